/** Core findings, edits and actions in LSP's shapes. */
import type { CodeAction, Diagnostic, TextEdit as LspTextEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import type { EditorCodeAction } from '../core/editor/codeActions';
import type { Range } from '../core/model/graph';
import type { Finding, Severity, TextEdit } from '../core/model/findings';
import { catalogueEntry } from '../core/rules';
import { DIAGNOSTIC_SOURCE } from '../core/rules/links';

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

const startOfFile: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function toDiagnostic(finding: Finding): Diagnostic {
  const diagnostic: Diagnostic = {
    range: finding.loc?.range ?? startOfFile,
    severity: severities[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    code: finding.rule,
    codeDescription: { href: catalogueEntry(finding.rule).docsUrl },
    message: finding.message,
  };
  if (finding.related.length > 0) {
    diagnostic.relatedInformation = finding.related.map((related) => ({ location: { uri: related.loc.file, range: related.loc.range }, message: related.message }));
  }
  return diagnostic;
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** The finding a client's diagnostic stands for (clients send back what we published). */
export function findingOf(diagnostic: Diagnostic, findings: Finding[]): Finding | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
  return findings.find((finding) => finding.rule === diagnostic.code && finding.message === diagnostic.message && finding.loc !== undefined && sameRange(finding.loc.range, diagnostic.range));
}

export function toWorkspaceEdit(edits: TextEdit[]): WorkspaceEdit {
  const changes: Record<string, LspTextEdit[]> = {};
  for (const edit of edits) (changes[edit.file] ??= []).push({ range: edit.range, newText: edit.newText });
  return { changes };
}

/** An editor action as LSP's; `diagnostics` are the client's own diagnostics it answers. */
export function toCodeAction(action: EditorCodeAction, diagnostics: Diagnostic[]): CodeAction {
  const codeAction: CodeAction = { title: action.title, kind: action.kind };
  if (diagnostics.length > 0) codeAction.diagnostics = diagnostics;
  if (action.isPreferred !== undefined) codeAction.isPreferred = action.isPreferred;
  if (action.edits) codeAction.edit = toWorkspaceEdit(action.edits);
  if (action.disabledReason) codeAction.disabled = { reason: action.disabledReason };
  return codeAction;
}
