/**
 * The IPv6 for Lambda language server: the analysis of src/core over LSP, for VS Code (through
 * src/vscode/languageClient.ts) and any other LSP editor (`ipv6-lambda lsp --stdio`).
 */
import type { Connection, InitializeResult } from 'vscode-languageserver/node';
import { TextDocumentSyncKind, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { providedCodeActionKinds } from '../core/editor/codeActions';
import { codeLensProviders } from '../core/editor/codeLenses';
import { ServerContext } from './context';
import { CodeActionsHandler } from './handlers/codeActions';
import { serveCodeLenses } from './handlers/codeLenses';
import { DiagnosticsHandler } from './handlers/diagnostics';
import { serveMigrationCommand, serverCommands } from './handlers/migration';
import { Settings } from './settings';
import { filePathOf } from './units';

declare const VERSION: string | undefined;

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let diagnostics: DiagnosticsHandler | undefined;
  let context: ServerContext | undefined;

  connection.onInitialize((params): InitializeResult => {
    const capabilities = params.capabilities;
    const pull = capabilities.textDocument?.diagnostic !== undefined;
    const settings = new Settings(connection, capabilities.workspace?.configuration === true, params.initializationOptions);
    const folders = (params.workspaceFolders ?? []).map((folder) => filePathOf(folder.uri)).filter((folder) => folder !== undefined);
    context = new ServerContext(connection, documents, settings, folders);
    diagnostics = new DiagnosticsHandler(context, pull);
    new CodeActionsHandler(context, capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true);
    const lenses = codeLensProviders.length > 0;
    if (lenses) serveCodeLenses(context);
    serveMigrationCommand(context);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: providedCodeActionKinds, resolveProvider: true },
        // A Terraform file's findings depend on the other files of its folder.
        ...(pull ? { diagnosticProvider: { identifier: 'ipv6-lambda', interFileDependencies: true, workspaceDiagnostics: false } } : {}),
        ...(lenses ? { codeLensProvider: { resolveProvider: false } } : {}),
        executeCommandProvider: { commands: serverCommands },
      },
      serverInfo: { name: 'ipv6-lambda', version: typeof VERSION === 'string' ? VERSION : undefined },
    };
  });

  connection.onDidChangeConfiguration((params) => {
    context?.settings.changed(params.settings);
    diagnostics?.refreshAll();
  });
  // Another .tf file of an open folder changed on disk.
  connection.onDidChangeWatchedFiles(() => {
    context?.analyses.forgetAll();
    diagnostics?.refreshAll();
  });

  documents.listen(connection);
  connection.listen();
}
