/**
 * Starts the language client (dist/client.js, which starts the server) when the first document it
 * serves opens, so that activation loads neither the client library nor any analysis code.
 */
import * as vscode from 'vscode';
import { isCandidate } from './documents';
import { clientModule } from './lazy';
import type { Ipv6LanguageClient } from './languageClient';
import type { Log } from './log';

export const RESTART_COMMAND = 'ipv6Lambda.restartLanguageServer';

export class LanguageServer implements vscode.Disposable {
  private started: Promise<Ipv6LanguageClient> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionPath: string,
    private readonly log: Log,
  ) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((document) => {
        if (isCandidate(document)) void this.client();
      }),
      vscode.commands.registerCommand(RESTART_COMMAND, async () => (this.started ? (await this.started).restart() : void (await this.client()))),
    );
    if (vscode.workspace.textDocuments.some(isCandidate)) void this.client();
  }

  /** The running client, started on first use. */
  client(): Promise<Ipv6LanguageClient> {
    this.started ??= clientModule()
      .startLanguageClient(this.extensionPath, this.log, RESTART_COMMAND)
      .catch((error: unknown) => {
        this.started = undefined;
        const message = `The IPv6 for Lambda language server did not start: ${error instanceof Error ? error.message : String(error)}. Run "IPv6 Lambda: Restart Language Server" to try again.`;
        this.log.error(message);
        void vscode.window.showErrorMessage(message);
        throw error;
      });
    return this.started;
  }

  dispose(): void {
    this.disposables.forEach((disposable) => disposable.dispose());
    void this.started?.then((client) => client.dispose(), () => undefined);
  }
}
