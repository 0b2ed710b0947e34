import * as vscode from 'vscode';
import type { Finding, Severity, TextEdit } from '../core/model/findings';
import type { Location, Range } from '../core/model/graph';
import { rulePageLink } from './rulePages';

/** Paths in analysis units from the extension are URI strings. */
export function toUri(path: string): vscode.Uri {
  return vscode.Uri.parse(path);
}

export function toRange(range: Range): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export function toLocation(loc: Location): vscode.Location {
  return new vscode.Location(toUri(loc.file), toRange(loc.range));
}

const severities: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export const DIAGNOSTIC_SOURCE = 'ipv6-lambda';

export function toDiagnostic(finding: Finding): vscode.Diagnostic {
  const range = finding.loc ? toRange(finding.loc.range) : new vscode.Range(0, 0, 0, 0);
  const diagnostic = new vscode.Diagnostic(range, finding.message, severities[finding.severity]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = { value: finding.rule, target: rulePageLink(finding.rule) };
  if (finding.related.length > 0) {
    diagnostic.relatedInformation = finding.related.map((related) => new vscode.DiagnosticRelatedInformation(toLocation(related.loc), related.message));
  }
  return diagnostic;
}

export function toWorkspaceEdit(edits: TextEdit[]): vscode.WorkspaceEdit {
  const workspaceEdit = new vscode.WorkspaceEdit();
  for (const edit of edits) workspaceEdit.replace(toUri(edit.file), toRange(edit.range), edit.newText);
  return workspaceEdit;
}
