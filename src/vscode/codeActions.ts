import * as vscode from 'vscode';
import type { Finding } from '../core/model/findings';
import type { SourceFormat } from '../core/model/source';
import { DIAGNOSTIC_SOURCE, toRange, toWorkspaceEdit } from './convert';
import type { IacDiagnostics } from './diagnostics';
import { unitFor } from './documents';
import { analysisModule } from './lazy';
import { MIGRATE_REFACTOR_KIND, migrationCodeActions } from './migration';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('ipv6Lambda');
export const ENABLE_REFACTOR_KIND = vscode.CodeActionKind.RefactorRewrite.append('ipv6Lambda');

function sameFinding(diagnostic: vscode.Diagnostic, finding: Finding): boolean {
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return code === finding.rule && finding.loc !== undefined && diagnostic.range.isEqual(toRange(finding.loc.range)) && diagnostic.message === finding.message;
}

/** How a line comment starts in each format (JSON has none: its templates use resource Metadata). */
const lineComment: Record<SourceFormat, string | undefined> = {
  cloudformation: '#',
  terraform: '#',
  'cdk-typescript': '//',
  'cdk-python': '#',
  serverless: '#',
};

function fixAllTitle(format: SourceFormat | undefined): string {
  return format === 'terraform' ? 'Fix all IPv6 issues in this folder' : 'Fix all IPv6 issues in this file';
}

/** Quick fixes for our diagnostics, fix-all (also on save), and suppression comments. */
export class Ipv6CodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND, ENABLE_REFACTOR_KIND, MIGRATE_REFACTOR_KIND],
  };

  private readonly pendingFixAll = new WeakMap<vscode.CodeAction, vscode.TextDocument>();

  constructor(private readonly diagnostics: IacDiagnostics) {}

  async provideCodeActions(document: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    if (context.only && FIX_ALL_KIND.contains(context.only)) {
      const fixAll = await this.fixAll(document, FIX_ALL_KIND);
      return fixAll ? [fixAll] : [];
    }
    const wants = (kind: vscode.CodeActionKind) => !context.only || context.only.contains(kind) || kind.contains(context.only);
    const actions = wants(vscode.CodeActionKind.QuickFix) ? await this.quickFixes(document, context) : [];
    // Parsing for the refactoring is not worth it on every cursor move: only when asked for.
    const refactorAsked = context.triggerKind === vscode.CodeActionTriggerKind.Invoke || (context.only !== undefined && wants(ENABLE_REFACTOR_KIND));
    if (refactorAsked && wants(ENABLE_REFACTOR_KIND)) {
      const refactor = await this.enableRefactor(document, range.start);
      if (refactor) actions.push(refactor);
    }
    actions.push(...(await migrationCodeActions(document, range.start, context, refactorAsked && wants(MIGRATE_REFACTOR_KIND))));
    return actions;
  }

  /** "Enable IPv6 dual-stack for this function", on any function; disabled with the reason when it cannot be done here. */
  private async enableRefactor(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CodeAction | undefined> {
    const unit = await unitFor(document);
    if (!unit) return undefined;
    const refactor = await analysisModule().enableIpv6Refactor(unit, document.uri.toString(), { line: position.line, character: position.character });
    if (!refactor) return undefined;
    const action = new vscode.CodeAction(refactor.title, ENABLE_REFACTOR_KIND);
    if (refactor.edits) action.edit = toWorkspaceEdit(refactor.edits);
    else action.disabled = { reason: refactor.disabledReason ?? 'not possible here' };
    return action;
  }

  private async quickFixes(document: vscode.TextDocument, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const findings = this.diagnostics.findingsFor(document.uri);
    const actions: vscode.CodeAction[] = [];
    // Suppressions go last: fixing comes before silencing.
    const suppressions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const finding = findings.find((candidate) => sameFinding(diagnostic, candidate));
      if (!finding) continue;
      for (const fix of finding.fixes) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = fix.preferred;
        action.edit = toWorkspaceEdit(fix.edits);
        actions.push(action);
      }
      const suppress = this.suppression(document, diagnostic, finding);
      if (suppress) suppressions.push(suppress);
    }
    const fixable = findings.filter((finding) => finding.fixes.some((fix) => fix.preferred)).length;
    if (fixable > 0 && actions.length + suppressions.length > 0) {
      // Its edit is computed only when the user picks it (resolveCodeAction).
      const unit = this.diagnostics.unitOf(document.uri);
      const fixAll = new vscode.CodeAction(fixAllTitle(unit?.format), vscode.CodeActionKind.QuickFix);
      // Attached to the diagnostics so VS Code ranks it with the fixes, before the suppressions.
      fixAll.diagnostics = context.diagnostics.filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE);
      this.pendingFixAll.set(fixAll, document);
      actions.push(fixAll);
    }
    return [...actions, ...suppressions];
  }

  async resolveCodeAction(action: vscode.CodeAction): Promise<vscode.CodeAction> {
    const document = this.pendingFixAll.get(action);
    if (document) action.edit = (await this.fixAll(document, action.kind!))?.edit ?? new vscode.WorkspaceEdit();
    return action;
  }

  /** Every preferred fix of the document's unit, re-analysed until nothing fixable remains. */
  private async fixAll(document: vscode.TextDocument, kind: vscode.CodeActionKind): Promise<vscode.CodeAction | undefined> {
    const unit = await unitFor(document);
    if (!unit) return undefined;
    const { fixUnit, replaceWholeText } = analysisModule();
    const result = await fixUnit(unit);
    if (result.files.size === 0) return undefined;
    const action = new vscode.CodeAction(fixAllTitle(unit.format), kind);
    const originals = new Map(unit.files.map((file) => [file.path, file.text]));
    action.edit = toWorkspaceEdit([...result.files].map(([file, text]) => replaceWholeText(file, originals.get(file)!, text)));
    return action;
  }

  private suppression(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, finding: Finding): vscode.CodeAction | undefined {
    const unit = this.diagnostics.unitOf(document.uri);
    const comment = unit && !document.uri.path.endsWith('.json') ? lineComment[unit.format] : undefined;
    if (!comment) return undefined;
    const line = document.lineAt(diagnostic.range.start.line);
    const indent = line.text.slice(0, line.firstNonWhitespaceCharacterIndex);
    const action = new vscode.CodeAction(`Disable ${finding.rule} for this line`, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    action.edit = new vscode.WorkspaceEdit();
    action.edit.insert(document.uri, new vscode.Position(line.lineNumber, 0), `${indent}${comment} ipv6-lambda-disable-next-line ${finding.rule}\n`);
    return action;
  }
}
