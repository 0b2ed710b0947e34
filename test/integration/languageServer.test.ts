import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient';
import type { ExtensionApi } from '../../src/extension';
import { MAX_RESTARTS } from '../../src/vscode/languageClient';
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

  it('stays stopped after repeated crashes, and the restart command starts it again', async () => {
    const editor = await openDocument('cloudformation', 'flag-without-ipv6.json');
    await expectDiagnostics(editor.document.uri, [{ rule: 'IPV6L002', severity: 'error', range: [21, 10, 21, 41] }]);
    const api = (await activateExtension()).exports as ExtensionApi;
    const { client } = await api.languageServer.client();
    // The policy restarts MAX_RESTARTS times within 3 minutes (earlier tests may have used some), then stops.
    for (let kills = 0; kills <= MAX_RESTARTS && client.isRunning(); kills++) {
      const pid = await waitFor('a server process', () => serverProcesses()[0], 20_000);
      process.kill(pid, 'SIGKILL');
      await waitFor('the server restarted or left stopped', () => (serverProcesses().some((other) => other !== pid) || client.state === State.Stopped ? true : undefined), 20_000);
      await waitFor('the client to settle', () => (client.isRunning() || client.state === State.Stopped ? true : undefined), 20_000);
    }
    assert.equal(client.state, State.Stopped);
    assert.deepEqual(serverProcesses(), []);
    await vscode.commands.executeCommand('ipv6Lambda.restartLanguageServer');
    await waitFor('a server process after the restart command', () => serverProcesses()[0], 20_000);
    await editor.edit((edit) => edit.replace(new vscode.Range(21, 37, 21, 41), 'false'));
    await expectDiagnostics(editor.document.uri, []);
  });
});
