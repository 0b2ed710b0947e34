/** `ipv6-lambda lsp --stdio` as an LSP editor runs it: a child process, a plain JSON-RPC client on its stdin/stdout. */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { StreamMessageReader, StreamMessageWriter, createMessageConnection } from 'vscode-jsonrpc/node';
import { workspaceText, workspaceUri } from './harness';

const ROOT = path.join(__dirname, '..', '..', '..');

describe('ipv6-lambda lsp --stdio', () => {
  it('answers initialize, textDocument/diagnostic and textDocument/codeAction for a JSON template, and exits on request', async () => {
    const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), path.join(ROOT, 'src', 'cli.ts'), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const client = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    client.onNotification('window/logMessage', () => undefined);
    client.listen();
    try {
      const initialized = await client.sendRequest('initialize', {
        processId: process.pid,
        rootUri: null,
        capabilities: { textDocument: { diagnostic: {}, codeAction: { resolveSupport: { properties: ['edit'] } } } },
      });
      assert.deepEqual(initialized, {
        capabilities: {
          textDocumentSync: { openClose: true, change: 2, save: { includeText: false } },
          codeActionProvider: { codeActionKinds: ['quickfix', 'source.fixAll.ipv6Lambda', 'refactor.rewrite.ipv6Lambda', 'refactor.rewrite.ipv6Lambda.migrate'], resolveProvider: true },
          diagnosticProvider: { identifier: 'ipv6-lambda', interFileDependencies: true, workspaceDiagnostics: false },
          codeLensProvider: { resolveProvider: false },
          executeCommandProvider: { commands: ['ipv6Lambda.migrateVpc'] },
        },
        serverInfo: { name: 'ipv6-lambda' },
      });
      await client.sendNotification('initialized', {});
      const uri = workspaceUri('cloudformation', 'flag-without-ipv6.json');
      await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'json', version: 1, text: workspaceText('cloudformation', 'flag-without-ipv6.json') } });

      const report = await client.sendRequest<{ kind: string; items: unknown[] }>('textDocument/diagnostic', { textDocument: { uri } });
      const diagnostic = {
        range: { start: { line: 21, character: 10 }, end: { line: 21, character: 41 } },
        severity: 1,
        source: 'ipv6-lambda',
        code: 'IPV6L002',
        codeDescription: { href: 'https://github.com/ipv6-lambda/ipv6-lambda/blob/main/docs/rules/IPV6L002.md' },
        message: 'Function Worker sets Ipv6AllowedForDualStack to true but subnet Ipv4Subnet has no IPv6 CIDR block: AWS rejects this configuration.',
        relatedInformation: [
          { location: { uri, range: { start: { line: 7, character: 4 }, end: { line: 7, character: 16 } } }, message: 'Subnet Ipv4Subnet has no IPv6 CIDR block' },
        ],
      };
      assert.deepEqual(report, { kind: 'full', items: [diagnostic] });

      const actions = await client.sendRequest('textDocument/codeAction', {
        textDocument: { uri },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic], triggerKind: 2 /* automatic */ },
      });
      // JSON has no comments, so no suppression; no preferred fix, so no fix-all.
      assert.deepEqual(actions, [
        {
          title: 'Set Ipv6AllowedForDualStack to false on Worker',
          kind: 'quickfix',
          diagnostics: [diagnostic],
          isPreferred: false,
          edit: { changes: { [uri]: [{ range: { start: { line: 21, character: 37 }, end: { line: 21, character: 41 } }, newText: 'false' }] } },
        },
      ]);

      await client.sendRequest('shutdown');
      await client.sendNotification('exit');
      assert.equal(await exited, 0);
    } finally {
      client.dispose();
      child.kill();
    }
  });
});
