import * as vscode from 'vscode';
import { Ipv6CodeActions } from './vscode/codeActions';
import { IacDiagnostics } from './vscode/diagnostics';
import { documentSelector } from './vscode/documents';
import { createLog } from './vscode/log';

export function activate(context: vscode.ExtensionContext): void {
  const log = createLog();
  context.subscriptions.push(log);
  context.subscriptions.push(vscode.commands.registerCommand('ipv6Lambda.showOutput', () => log.show(true)));

  const diagnostics = new IacDiagnostics(log);
  context.subscriptions.push(diagnostics);
  context.subscriptions.push(vscode.languages.registerCodeActionsProvider(documentSelector, new Ipv6CodeActions(diagnostics), Ipv6CodeActions.metadata));

  log.info(`IPv6 for Lambda ${context.extension.packageJSON.version} activated`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
