import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { activateExtension, closeAllEditors, expectDiagnostics, openDocument, waitFor } from './helpers';

/** Process ids of the language servers this extension host started (Linux /proc). */
function serverProcesses(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return parent === process.pid && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('dist/server.js');
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('the language server behind the extension', () => {
  before(activateExtension);
  afterEach(closeAllEditors);

  it('runs the analysis in its own process and is restarted after a crash', async () => {
    const editor = await openDocument('cloudformation', 'nat-only.yaml');
    const uri = editor.document.uri;
    await expectDiagnostics(uri, [
      { rule: 'IPV6N002', severity: 'warning', range: [23, 2, 23, 15] },
      { rule: 'IPV6L001', severity: 'warning', range: [54, 6, 54, 15] },
    ]);
    const [crashed] = serverProcesses();
    assert.ok(crashed, 'a server process, child of the extension host');
    process.kill(crashed, 'SIGKILL');
    const restarted = await waitFor('a new server process', () => serverProcesses().find((pid) => pid !== crashed), 20_000);
    assert.notEqual(restarted, crashed);
    const api = (await activateExtension()).exports as ExtensionApi;
    await waitFor('the restarted client to run', async () => ((await api.languageServer.client()).client.isRunning() ? true : undefined), 20_000);
    // The new server analyses what is typed from now on.
    await editor.edit((edit) => edit.insert(new vscode.Position(55, 0), '        Ipv6AllowedForDualStack: true\n'));
    await expectDiagnostics(uri, [
      { rule: 'IPV6N002', severity: 'warning', range: [23, 2, 23, 15] },
      { rule: 'IPV6S001', severity: 'warning', range: [58, 8, 58, 24] },
    ]);
  });
});
