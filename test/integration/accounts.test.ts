import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { Node } from '../../src/vscode/explorer/tree';
import { startEmulator } from '../emulator/server';
import { twoAccountProfiles, twoAccounts } from '../emulator/twoAccounts';
import { activateExtension } from './helpers';

const REGION = 'eu-west-1';

describe('the Functions explorer with several accounts', () => {
  let api: ExtensionApi;
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let folder: string;
  const saved: Record<string, string | undefined> = {};
  const settings = () => vscode.workspace.getConfiguration('ipv6Lambda');

  before(async () => {
    api = (await activateExtension()).exports as ExtensionApi;
    emulator = await startEmulator(twoAccounts(REGION));
    folder = mkdtempSync(path.join(tmpdir(), 'ipv6-lambda-accounts-'));
    writeFileSync(path.join(folder, 'config'), twoAccountProfiles(REGION));
    writeFileSync(path.join(folder, 'credentials'), '');
    for (const [key, value] of Object.entries({ AWS_CONFIG_FILE: path.join(folder, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(folder, 'credentials') })) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
    await settings().update('endpointUrl', emulator.url, vscode.ConfigurationTarget.Global);
    await settings().update('regions', [REGION], vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('ipv6Lambda.functions.focus');
  });

  after(async () => {
    await settings().update('profiles', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('endpointUrl', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('regions', undefined, vscode.ConfigurationTarget.Global);
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(folder, { recursive: true, force: true });
    await emulator.close();
    await api.explorer.refresh();
  });

  const children = (node?: Node) => api.explorer.tree.getChildren(node);
  const row = (node: Node): [string, string, string | undefined] => {
    const item = api.explorer.tree.getTreeItem(node);
    return [String(item.label), String(item.description ?? ''), item.contextValue];
  };

  it('shows each account at the top level with its regions; an account that fails shows its error and Retry', async () => {
    await settings().update('profiles', ['shop', 'finance', 'lost'], vscode.ConfigurationTarget.Global);
    await api.explorer.refresh();
    const accounts = children().filter((node) => node.kind === 'account');
    assert.deepEqual(accounts.map(row).slice(0, 2), [
      ['shop-prod', '111111111111 · profile shop', 'account'],
      ['222222222222', 'profile finance', 'account'],
    ]);
    const [label, description, contextValue] = row(accounts[2]);
    assert.deepEqual([label, contextValue], ['Account not read', 'accountError']);
    assert.match(description, /profile lost/);
    const regionsOf = (account: Node) => children(account).map(row);
    assert.deepEqual(regionsOf(accounts[0]), [[REGION, '1 ready', 'region']]);
    assert.deepEqual(regionsOf(accounts[1]), [[REGION, '1 IPv4-only · 1 no VPC', 'region']]);
    const financeRegion = children(accounts[1])[0];
    assert.deepEqual(children(financeRegion).filter((node) => node.kind === 'function').map((node) => row(node)[0]), ['billing', 'site']);
    // A function knows its account: enabling it uses that profile.
    const billing = children(financeRegion).find((node) => node.kind === 'function')!;
    assert.equal(billing.kind === 'function' && billing.fn.profile, 'finance');
    assert.deepEqual(api.explorer.tree.getParent(financeRegion), accounts[1]);
  });
});
