/**
 * The migration to dual-stack in VS Code: IPV6M001's preferred quick fix, the refactoring on a VPC
 * or its functions, and the CodeLens above each IPv4-only VPC. Everything is computed in
 * core/migration; this adapter only converts.
 */
import * as vscode from 'vscode';
import type { MigrationOptions } from '../core/migration/migrate';
import { DIAGNOSTIC_SOURCE, toRange, toWorkspaceEdit } from './convert';
import { documentSelector, unitFor } from './documents';
import { analysisModule } from './lazy';

export const MIGRATE_REFACTOR_KIND = vscode.CodeActionKind.RefactorRewrite.append('ipv6Lambda.migrate');

function options(): MigrationOptions {
  const egress = vscode.workspace.getConfiguration('ipv6Lambda').get<string>('migration.securityGroupEgress');
  return { sgEgress: egress === 'https' ? 'https' : 'all' };
}

function ruleOf(diagnostic: vscode.Diagnostic): string | number | undefined {
  return typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
}

/** The functions the analysis reports IPV6M001 about, by the diagnostics' ranges. */
async function functionKeyOf(document: vscode.TextDocument, diagnostic: vscode.Diagnostic): Promise<string | undefined> {
  const unit = await unitFor(document);
  if (!unit) return undefined;
  const { findings } = await analysisModule().analyzeUnit(unit, { only: ['IPV6M001'] });
  return findings.find((finding) => finding.loc?.file === document.uri.toString() && finding.loc && toRange(finding.loc.range).isEqual(diagnostic.range))?.subject;
}

function toCodeAction(action: { title: string; edits?: import('../core/model/findings').TextEdit[]; disabledReason?: string }, kind: vscode.CodeActionKind): vscode.CodeAction {
  const codeAction = new vscode.CodeAction(action.title, kind);
  if (action.edits) codeAction.edit = toWorkspaceEdit(action.edits);
  else codeAction.disabled = { reason: action.disabledReason ?? 'not possible here' };
  return codeAction;
}

/**
 * The quick fix of each IPV6M001 diagnostic in the context (preferred) and, when refactorings are
 * asked for, "Migrate VPC … to dual-stack" at the position.
 */
export async function migrationCodeActions(document: vscode.TextDocument, position: vscode.Position, context: vscode.CodeActionContext, refactorAsked: boolean): Promise<vscode.CodeAction[]> {
  const actions: vscode.CodeAction[] = [];
  const unit = await unitFor(document);
  if (!unit) return actions;
  const core = analysisModule();
  const onlyQuickFixes = context.only && !context.only.contains(vscode.CodeActionKind.QuickFix) && !vscode.CodeActionKind.QuickFix.contains(context.only);
  for (const diagnostic of onlyQuickFixes ? [] : context.diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE || ruleOf(diagnostic) !== 'IPV6M001') continue;
    const functionKey = await functionKeyOf(document, diagnostic);
    const migration = functionKey ? await core.migrationForFunction(unit, functionKey, options()) : undefined;
    if (!migration) continue;
    const action = toCodeAction(migration, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    action.isPreferred = migration.edits !== undefined;
    actions.push(action);
  }
  if (refactorAsked && actions.length === 0) {
    const migration = await core.migrationActionAt(unit, document.uri.toString(), { line: position.line, character: position.character }, options());
    if (migration) actions.push(toCodeAction(migration, MIGRATE_REFACTOR_KIND));
  }
  return actions;
}

/** A CodeLens above each IPv4-only VPC that hosts functions. */
class MigrationLensProvider implements vscode.CodeLensProvider {
  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const unit = await unitFor(document);
    if (!unit) return [];
    const lenses = await analysisModule().migrationLenses(unit, document.uri.toString());
    return lenses.map((lens) => new vscode.CodeLens(toRange(lens.range), { title: lens.title, command: lens.command, arguments: lens.arguments }));
  }
}

/** Runs the migration of one VPC (the CodeLens's command) and applies it, or says why not. */
async function migrateVpc(file: string, vpcKey: string): Promise<boolean> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(file));
  const unit = await unitFor(document);
  if (!unit) return false;
  const migration = await analysisModule().migrateVpc(unit, vpcKey, options());
  if (!migration.edits) {
    void vscode.window.showWarningMessage(`${migration.title}: ${migration.disabledReason}`);
    return false;
  }
  return vscode.workspace.applyEdit(toWorkspaceEdit(migration.edits));
}

export function registerMigration(): vscode.Disposable[] {
  return [
    vscode.languages.registerCodeLensProvider(documentSelector, new MigrationLensProvider()),
    vscode.commands.registerCommand('ipv6Lambda.migrateVpc', migrateVpc),
  ];
}
