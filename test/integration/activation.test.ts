import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { activateExtension, screenshot } from './helpers';

describe('the extension in a real VS Code host', () => {
  it('activates', async () => {
    const extension = await activateExtension();
    assert.equal(extension.isActive, true);
    // A figure for the notes, not an assertion: speed is measured, not timed in tests.
    console.log(`      (activate() took ${(extension.exports as ExtensionApi).activationMs.toFixed(1)} ms in this host)`);
  });

  it('registers every command its manifest contributes', async () => {
    const extension = await activateExtension();
    const contributed: string[] = (extension.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((id) => !registered.has(id)), []);
    assert.ok(contributed.length > 0);
  });

  it('contributes the Functions view in its own activity-bar container and opens it', async () => {
    const extension = await activateExtension();
    const containers = extension.packageJSON.contributes.viewsContainers.activitybar as { id: string }[];
    assert.deepEqual(containers.map((c) => c.id), ['ipv6Lambda']);
    // The focus command exists only when VS Code registered the view.
    await vscode.commands.executeCommand('ipv6Lambda.functions.focus');
    await screenshot('functions-view');
  });
});
