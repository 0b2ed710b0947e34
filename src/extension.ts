import * as vscode from 'vscode';
import { EnableCommands } from './vscode/enable';
import { registerExplorerCommands } from './vscode/explorer/commands';
import { Explorer } from './vscode/explorer/index';
import { LanguageServer } from './vscode/languageServer';
import { createLog } from './vscode/log';
import { registerRulePages } from './vscode/rulePages';
import { ReadyStatusBar } from './vscode/statusBar';

/** What activate() returns: the live parts, for the integration tests. */
export interface ExtensionApi {
  explorer: Explorer;
  /** Diagnostics, code actions and CodeLenses come from the language server through its client. */
  languageServer: LanguageServer;
  enable: EnableCommands;
  statusBar: ReadyStatusBar;
  /** How long activate() took, as logged in the output channel. */
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const started = performance.now();
  const log = createLog();
  context.subscriptions.push(log, vscode.commands.registerCommand('ipv6Lambda.showOutput', () => log.show(true)));

  const languageServer = new LanguageServer(context.extensionPath, log);
  context.subscriptions.push(languageServer);

  const explorer = new Explorer(log);
  const enable = new EnableCommands(explorer, log);
  const statusBar = new ReadyStatusBar(explorer);
  context.subscriptions.push(explorer, ...registerExplorerCommands(explorer), ...enable.register(), statusBar);
  context.subscriptions.push(registerRulePages(context.extensionUri));

  const activationMs = performance.now() - started;
  log.info(`IPv6 for Lambda ${context.extension.packageJSON.version} activated in ${activationMs.toFixed(1)} ms`);
  return { explorer, languageServer, enable, statusBar, activationMs };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
