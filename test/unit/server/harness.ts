/**
 * The language server in process, driven by a plain JSON-RPC client over a pair of streams: the
 * real protocol, the real handlers, nothing between them.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import { StreamMessageReader, StreamMessageWriter, createMessageConnection } from 'vscode-jsonrpc/node';
import type { ClientCapabilities, InitializeResult, PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startServer } from '../../../src/server/server';

export const WORKSPACE = path.join(__dirname, '..', '..', 'workspace');

export function workspaceUri(...segments: string[]): string {
  return pathToFileURL(path.join(WORKSPACE, ...segments)).href;
}

export function workspaceText(...segments: string[]): string {
  return readFileSync(path.join(WORKSPACE, ...segments), 'utf8');
}

/** What VS Code's client declares, as far as the server looks. */
export const pullClient: ClientCapabilities = {
  textDocument: { diagnostic: { dynamicRegistration: false }, codeAction: { resolveSupport: { properties: ['edit'] } } },
};

/** A client without pull diagnostics or resolve (e.g. an older LSP editor). */
export const pushClient: ClientCapabilities = {};

export interface TestServer {
  client: MessageConnection;
  initializeResult: InitializeResult;
  /** Every publishDiagnostics the server sent, in order. */
  published: PublishDiagnosticsParams[];
  /** Warnings and errors the server showed the user. */
  shown: string[];
  open(uri: string, text: string, languageId?: string): void;
  change(uri: string, version: number, text: string): void;
  /** Resolves with the next publishDiagnostics for the URI. */
  nextPublished(uri: string): Promise<PublishDiagnosticsParams>;
  dispose(): void;
}

export async function startTestServer(capabilities: ClientCapabilities, initializationOptions?: unknown): Promise<TestServer> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  startServer(server);
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const published: PublishDiagnosticsParams[] = [];
  const waiting: { uri: string; resolve: (params: PublishDiagnosticsParams) => void }[] = [];
  const shown: string[] = [];
  client.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    published.push(params);
    const index = waiting.findIndex((entry) => entry.uri === params.uri);
    if (index >= 0) waiting.splice(index, 1)[0].resolve(params);
  });
  client.onNotification('window/logMessage', () => undefined);
  client.onNotification('window/showMessage', (params: { message: string }) => shown.push(params.message));
  client.onRequest('window/showMessageRequest', (params: { message: string }) => {
    shown.push(params.message);
    return null;
  });
  client.onRequest('workspace/diagnostic/refresh', () => null);
  client.listen();
  const initializeResult = await client.sendRequest<InitializeResult>('initialize', { processId: null, rootUri: null, capabilities, initializationOptions });
  await client.sendNotification('initialized', {});
  return {
    client,
    initializeResult,
    published,
    shown,
    open(uri, text, languageId = 'yaml') {
      void client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    },
    change(uri, version, text) {
      void client.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    },
    nextPublished(uri) {
      return new Promise((resolve) => waiting.push({ uri, resolve }));
    },
    dispose() {
      client.dispose();
      server.dispose();
    },
  };
}
