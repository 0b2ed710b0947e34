import * as vscode from 'vscode';

/**
 * The "IPv6 Lambda" output channel. A log channel: VS Code adds timestamps and levels.
 * Nothing that could hold a credential is ever passed to it (callers log ids and outcomes only).
 */
export type Log = vscode.LogOutputChannel;

export function createLog(): Log {
  return vscode.window.createOutputChannel('IPv6 Lambda', { log: true });
}
