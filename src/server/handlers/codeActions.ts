/**
 * Code actions over the core's (src/core/editor/codeActions.ts): quick fixes, fix-all (also on
 * save), suppressions, the refactoring. A fix-all offered in the quick-fix menu carries only
 * `data`; its edit is computed by `codeAction/resolve` when picked, for the document version it
 * was offered on.
 */
import type { CodeAction, CodeActionParams, Diagnostic } from 'vscode-languageserver/node';
import { CodeActionTriggerKind, ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { EditorCodeAction } from '../../core/editor/codeActions';
import { codeActions, resolveFixAll } from '../../core/editor/codeActions';
import type { Finding } from '../../core/model/findings';
import { AnalysisAbandoned } from '../analyses';
import type { ServerContext } from '../context';
import { analyzeOptions } from '../context';
import { findingOf, toCodeAction, toWorkspaceEdit } from '../convert';

/** What a fix-all offered without its edit needs to compute it. */
interface FixAllData {
  fixAll: { uri: string; version: number };
}

function isFixAllData(data: unknown): data is FixAllData {
  return typeof (data as FixAllData | undefined)?.fixAll?.uri === 'string';
}

export class CodeActionsHandler {
  constructor(
    private readonly context: ServerContext,
    /** False when the client cannot resolve an action's edit later: then every edit is computed at once. */
    private readonly clientResolvesEdits: boolean,
  ) {
    context.connection.onCodeAction((params, token) => this.provide(params).catch((error: unknown) => this.failed(error, token.isCancellationRequested)));
    context.connection.onCodeActionResolve((action) => this.resolve(action));
  }

  private failed(error: unknown, cancelled: boolean): CodeAction[] {
    if (error instanceof AnalysisAbandoned || cancelled) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'the document changed');
    this.context.logFailure('code actions', error);
    return [];
  }

  private async provide(params: CodeActionParams): Promise<CodeAction[]> {
    const uri = params.textDocument.uri;
    const found = await this.context.analyseDocument(uri);
    const document = this.context.documents.get(uri);
    if (!found || !document) return [];
    const fileFindings = found.analysis.findings.filter((finding) => finding.loc?.file === uri);
    const asked: { diagnostic: Diagnostic; finding: Finding }[] = [];
    for (const diagnostic of params.context.diagnostics) {
      const finding = findingOf(diagnostic, fileFindings);
      if (finding) asked.push({ diagnostic, finding });
    }
    const actions = await codeActions({
      unit: found.analysis.unit,
      file: uri,
      range: params.range,
      fileFindings,
      asked: asked.map(({ finding }) => finding),
      only: params.context.only,
      // Clients that do not say (older LSP) asked explicitly.
      invoked: params.context.triggerKind !== CodeActionTriggerKind.Automatic,
      options: found.options,
      migration: { sgEgress: (await this.context.settings.for(uri)).migration.securityGroupEgress },
    });
    const result: CodeAction[] = [];
    for (const action of actions) {
      const diagnostics = asked.filter(({ finding }) => action.findings.includes(finding)).map(({ diagnostic }) => diagnostic);
      result.push(await this.withEditOrData(action, diagnostics, uri, document.version));
    }
    return result;
  }

  private async withEditOrData(action: EditorCodeAction, diagnostics: Diagnostic[], uri: string, version: number): Promise<CodeAction> {
    const codeAction = toCodeAction(action, diagnostics);
    if (action.edits || action.disabledReason) return codeAction;
    if (this.clientResolvesEdits) {
      codeAction.data = { fixAll: { uri, version } } satisfies FixAllData;
      return codeAction;
    }
    return this.resolve({ ...codeAction, data: { fixAll: { uri, version } } satisfies FixAllData });
  }

  private async resolve(action: CodeAction): Promise<CodeAction> {
    if (!isFixAllData(action.data)) return action;
    const { uri, version } = action.data.fixAll;
    const document = this.context.documents.get(uri);
    if (!document || document.version !== version) {
      throw new ResponseError(ErrorCodes.InvalidRequest, `${action.title}: the file changed since this action was offered; ask for it again.`);
    }
    const target = await this.context.units.unitOf(uri);
    if (!target) return action;
    const edits = await resolveFixAll(target.unit, analyzeOptions(await this.context.settings.for(uri)));
    return { ...action, edit: toWorkspaceEdit(edits ?? []) };
  }
}
