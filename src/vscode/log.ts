import * as vscode from 'vscode';
import { affectsSection, SECTION } from './config';

const levels = ['off', 'error', 'warn', 'info', 'debug', 'trace'] as const;
type Level = (typeof levels)[number];

/**
 * The "IPv6 Lambda" output channel: a log channel (VS Code adds timestamps), filtered by
 * `ipv6Lambda.logLevel`. Callers log ids and outcomes only — never credentials.
 */
export interface Log extends vscode.Disposable {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
  trace(message: string): void;
  show(preserveFocus?: boolean): void;
}

function configuredLevel(): number {
  const level = vscode.workspace.getConfiguration(SECTION).get<Level>('logLevel', 'info');
  return Math.max(0, levels.indexOf(level));
}

export function createLog(): Log {
  const channel = vscode.window.createOutputChannel('IPv6 Lambda', { log: true });
  let threshold = configuredLevel();
  const listener = vscode.workspace.onDidChangeConfiguration((event) => {
    if (affectsSection(event, 'logLevel')) threshold = configuredLevel();
  });
  const at = (level: Level, write: (message: string) => void) => (message: string) => {
    if (levels.indexOf(level) <= threshold) write(message);
  };
  return {
    error: at('error', (m) => channel.error(m)),
    warn: at('warn', (m) => channel.warn(m)),
    info: at('info', (m) => channel.info(m)),
    debug: at('debug', (m) => channel.debug(m)),
    trace: at('trace', (m) => channel.trace(m)),
    show: (preserveFocus) => channel.show(preserveFocus),
    dispose: () => {
      listener.dispose();
      channel.dispose();
    },
  };
}
