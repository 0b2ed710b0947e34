import * as vscode from 'vscode';
import { createLog } from './vscode/log';

export function activate(context: vscode.ExtensionContext): void {
  const log = createLog();
  context.subscriptions.push(log);
  context.subscriptions.push(vscode.commands.registerCommand('ipv6Lambda.showOutput', () => log.show(true)));
  log.info(`IPv6 for Lambda ${context.extension.packageJSON.version} activated`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
