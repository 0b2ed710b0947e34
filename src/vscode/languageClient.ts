/**
 * The language client (bundled as dist/client.js, loaded when the first infrastructure document
 * opens): it starts dist/server.js in its own process, so the analysis never runs on the extension
 * host's thread, restarts it when it dies and stops after repeated crashes, saying so.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CloseHandlerResult, ErrorHandler, ErrorHandlerResult, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { CloseAction, ErrorAction, LanguageClient, RevealOutputChannelOn, TransportKind } from 'vscode-languageclient/node';
import { SECTION } from './config';
import { documentSelector } from './documents';
import type { Log } from './log';
import { withRulePageLinks } from './rulePages';

/** Restarts allowed within CRASH_WINDOW_MS before the server is left stopped (the library's own default policy). */
export const MAX_RESTARTS = 4;
const CRASH_WINDOW_MS = 3 * 60_000;

/** Restarts the server after a crash with a log line; after MAX_RESTARTS crashes in a short while, stops and says so. */
class CrashPolicy implements ErrorHandler {
  private crashes: number[] = [];

  constructor(
    private readonly log: Log,
    private readonly restartCommand: string,
  ) {}

  error(error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
    this.log.error(`language server connection error: ${error.message}`);
    return { action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
  }

  closed(): CloseHandlerResult {
    const now = Date.now();
    this.crashes = [...this.crashes.filter((at) => now - at < CRASH_WINDOW_MS), now];
    if (this.crashes.length <= MAX_RESTARTS) {
      this.log.warn(`the language server stopped unexpectedly; restarting it (restart ${this.crashes.length} of ${MAX_RESTARTS} within 3 minutes)`);
      return { action: CloseAction.Restart, handled: true };
    }
    const message = `The IPv6 for Lambda language server crashed ${this.crashes.length} times within 3 minutes and was stopped: IPv6 diagnostics and fixes are off until it is restarted.`;
    this.log.error(message);
    void vscode.window.showErrorMessage(message, 'Restart Server', 'Show Output').then((choice) => {
      if (choice === 'Restart Server') void vscode.commands.executeCommand(this.restartCommand);
      if (choice === 'Show Output') this.log.show(true);
    });
    return { action: CloseAction.DoNotRestart, handled: true };
  }

  /** A restart the user asked for starts a new count. */
  reset(): void {
    this.crashes = [];
  }
}

export interface Ipv6LanguageClient extends vscode.Disposable {
  readonly client: LanguageClient;
  /** Stops the server (if running) and starts a new one. */
  restart(): Promise<void>;
}

export async function startLanguageClient(extensionPath: string, log: Log, restartCommand: string): Promise<Ipv6LanguageClient> {
  const serverModule = path.join(extensionPath, 'dist', 'server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const policy = new CrashPolicy(log, restartCommand);
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.tf');
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector as LanguageClientOptions['documentSelector'],
    synchronize: { configurationSection: SECTION, fileEvents: watcher },
    diagnosticPullOptions: { onChange: true, onSave: true },
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler: policy,
    // The server's rule links point to the web; here they open the page bundled with the extension.
    middleware: {
      handleDiagnostics: (uri, diagnostics, next) => next(uri, withRulePageLinks(diagnostics)),
      provideDiagnostics: async (document, previousResultId, token, next) => {
        const report = await next(document, previousResultId, token);
        if (report && 'items' in report) withRulePageLinks(report.items);
        return report;
      },
    },
  };
  const client = new LanguageClient('ipv6Lambda', 'IPv6 for Lambda Language Server', serverOptions, clientOptions);
  const started = performance.now();
  await client.start();
  log.info(`language server started in ${(performance.now() - started).toFixed(0)} ms`);
  return {
    client,
    async restart() {
      policy.reset();
      log.info('restarting the language server');
      if (client.isRunning()) await client.restart();
      else await client.start();
    },
    dispose() {
      watcher.dispose();
      void client.stop();
    },
  };
}
