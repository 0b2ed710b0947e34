import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { Node } from '../../src/vscode/explorer/tree';
import type { Scenario } from '../emulator/scenario';
import { startEmulator } from '../emulator/server';
import { ScenarioBuilder, type Network } from '../emulator/scenarios';
import { activateExtension, screenshot, ui, waitFor } from './helpers';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

describe('Enable IPv6 on a deployed function, in the editor', () => {
  let api: ExtensionApi;
  let emulator: Emulator;
  let dual: Network;
  let natOnly: Network;
  let legacy: Network;
  const settings = () => vscode.workspace.getConfiguration('ipv6Lambda');
  const batchNames = Array.from({ length: 8 }, (_, i) => `batch-${i}`);

  before(async () => {
    api = (await activateExtension()).exports as ExtensionApi;
    const b = new ScenarioBuilder();
    const east = b.region('us-east-1');
    dual = east.dualStackVpc();
    natOnly = east.natOnlyVpc();
    east.fn('orders-api', { network: dual });
    east.fn('reports-worker', { network: natOnly });
    for (const name of batchNames) east.fn(name, { network: dual });
    legacy = east.ipv4OnlyVpc();
    east.fn('legacy-app', { network: legacy });
    emulator = await startEmulator({ scenario: b.build(), updateDelayMs: 100 });
    await settings().update('endpointUrl', emulator.url, vscode.ConfigurationTarget.Global);
    await settings().update('regions', ['us-east-1'], vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('ipv6Lambda.functions.focus');
    await api.explorer.refresh();
  });

  after(async () => {
    await settings().update('endpointUrl', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('regions', undefined, vscode.ConfigurationTarget.Global);
    await emulator.close();
  });

  async function state(): Promise<Scenario['regions'][string]> {
    const scenario = (await (await fetch(`${emulator.url}/__emulator/state`)).json()) as Scenario;
    return scenario.regions['us-east-1'];
  }

  /** Answers the plan modals in order, recording what they showed. */
  function answerModals(...answers: string[]): { message: string; detail: string; buttons: string[] }[] {
    const shown: { message: string; detail: string; buttons: string[] }[] = [];
    api.enable.modal = async (_kind, message, detail, ...buttons) => {
      shown.push({ message, detail, buttons });
      const answer = answers.shift();
      if (answer !== undefined && !buttons.includes(answer)) throw new Error(`no button "${answer}" in ${JSON.stringify(buttons)}`);
      return answer;
    };
    return shown;
  }

  function functionNode(name: string): Node {
    const region = api.explorer.tree.getChildren().find((node) => node.kind === 'region')!;
    const node = api.explorer.tree.getChildren(region).find((candidate) => candidate.kind === 'function' && candidate.fn.name === name);
    assert.ok(node, `${name} in the tree`);
    return node;
  }

  it('several selected functions: one plan, a progress line per function; cancel starts no new update, those in flight finish and are reported', async () => {
    const nodes = batchNames.map(functionNode);
    const shown = answerModals('Enable 8 Functions');
    const lines: string[] = [];
    const original = api.enable.progress;
    // The notification's Cancel button cancels this token; here the test does, after the second line.
    api.enable.progress = (title, task) => {
      const cancel = new vscode.CancellationTokenSource();
      return task(
        {
          report: ({ message }) => {
            if (!message || !title.startsWith('Enabling')) return;
            lines.push(message);
            if (lines.length === 2) cancel.cancel();
          },
        },
        cancel.token,
      );
    };
    try {
      await vscode.commands.executeCommand('ipv6Lambda.enableIpv6', nodes[0], nodes);
    } finally {
      api.enable.progress = original;
    }
    assert.deepEqual(shown.map((modal) => [modal.message, modal.buttons]), [['Enable IPv6 for 8 of 8 selected functions?', ['Enable 8 Functions', 'Copy as AWS CLI Commands']]]);
    assert.equal(lines.length, 8);
    lines.forEach((line, i) => assert.match(line, new RegExp(`^\\[${i + 1}/8\\] batch-\\d … (enabled|cancelled)$`)));
    // Four updates run at a time: four were in flight and one more had started when the second ended.
    const enabled = lines.filter((line) => line.endsWith('enabled')).map((line) => line.split(' ')[1]);
    assert.equal(enabled.length, 5);
    const flags = (await state()).functions!.filter((f) => f.FunctionName!.startsWith('batch-')).map((f) => [f.FunctionName, f.VpcConfig!.Ipv6AllowedForDualStack]);
    assert.deepEqual(flags, batchNames.map((name) => [name, enabled.includes(name)]));
    const statuses = batchNames.map((name) => [name, (functionNode(name) as Extract<Node, { kind: 'function' }>).fn.status]);
    assert.deepEqual(statuses, batchNames.map((name) => [name, enabled.includes(name) ? 'enabled' : 'ready']));
  });

  it('from the tree: shows the plan in a modal and, on "Enable", sets the flag keeping subnets and security groups', async () => {
    const before = await state();
    const shown = answerModals('Enable');
    await vscode.commands.executeCommand('ipv6Lambda.enableIpv6', functionNode('orders-api'));
    assert.equal(shown.length, 1);
    assert.equal(shown[0].message, 'Enable IPv6 for orders-api?');
    assert.deepEqual(shown[0].buttons, ['Enable', 'Copy as AWS CLI Commands']);
    assert.match(shown[0].detail, /orders-api/);
    const after = await state();
    const was = before.functions!.find((fn) => fn.FunctionName === 'orders-api')!;
    const now = after.functions!.find((fn) => fn.FunctionName === 'orders-api')!;
    assert.deepEqual(now.VpcConfig, { ...was.VpcConfig, Ipv6AllowedForDualStack: true });
    assert.notEqual(now.RevisionId, was.RevisionId);
    // Nothing else changed: the other function, the route tables, the gateways.
    assert.deepEqual(after.functions!.find((fn) => fn.FunctionName === 'reports-worker'), before.functions!.find((fn) => fn.FunctionName === 'reports-worker'));
    assert.deepEqual(after.routeTables, before.routeTables);
    assert.deepEqual(after.egressOnlyInternetGateways, before.egressOnlyInternetGateways);
    const item = api.explorer.tree.getTreeItem(functionNode('orders-api'));
    assert.equal(item.description, 'IPv6 on');
    await screenshot('enable-result-tree');
  });

  it('from the command palette: picks the function, fixes the network on request, and creates one EIGW and one route', async () => {
    const shown = answerModals('Enable and Fix Network…', 'Apply');
    const running = vscode.commands.executeCommand('ipv6Lambda.enableIpv6');
    // The quick pick of functions, then the quick pick of the IPv6 egress variant, as a person uses them.
    await ui({ action: 'type', text: 'reports-worker' });
    await ui({ action: 'press', key: 'Enter' });
    await waitFor('the plan modal', () => (shown.length === 1 ? true : undefined));
    await ui({ action: 'press', key: 'Enter' }); // "Mirror the IPv4 egress", the first choice
    await running;
    assert.deepEqual(shown.map((modal) => modal.message), ['Enable IPv6 for reports-worker?', 'Enable IPv6 for reports-worker and change the network?']);
    assert.deepEqual(shown[0].buttons, ['Enable', 'Enable and Fix Network…', 'Copy as AWS CLI Commands']);
    assert.match(shown[1].detail, /egress-only internet gateway/i);
    const after = await state();
    const gateways = after.egressOnlyInternetGateways!.filter((gateway) => gateway.Attachments?.some((attachment) => attachment.VpcId === natOnly.vpcId));
    assert.equal(gateways.length, 1);
    const table = after.routeTables!.find((candidate) => candidate.RouteTableId === natOnly.routeTableId)!;
    const ipv6Default = table.Routes!.filter((route) => route.DestinationIpv6CidrBlock === '::/0');
    assert.deepEqual(ipv6Default.map((route) => route.EgressOnlyInternetGatewayId), [gateways[0].EgressOnlyInternetGatewayId]);
    const fn = after.functions!.find((candidate) => candidate.FunctionName === 'reports-worker')!;
    assert.deepEqual(fn.VpcConfig?.SubnetIds, natOnly.subnetIds);
    assert.equal(fn.VpcConfig?.Ipv6AllowedForDualStack, true);
    assert.equal(api.explorer.tree.getTreeItem(functionNode('reports-worker')).description, 'IPv6 on');
  });

  it('on an "IPv4-only subnets" function: offers adding IPv6 to its network, then adds the blocks, gateway, route, egress and flag', async () => {
    assert.equal(api.explorer.tree.getTreeItem(functionNode('legacy-app')).description, 'IPv4-only subnets');
    const shown = answerModals('Add IPv6 to the Network…', 'Apply');
    const running = vscode.commands.executeCommand('ipv6Lambda.enableIpv6', functionNode('legacy-app'));
    await waitFor('the first modal', () => (shown.length === 1 ? true : undefined));
    await ui({ action: 'press', key: 'Enter' }); // "Mirror the IPv4 egress", the first choice
    await running;
    assert.deepEqual(shown.map((modal) => [modal.message, modal.buttons]), [
      ['legacy-app is in IPv4-only subnets', ['Add IPv6 to the Network…']],
      ['Enable IPv6 for legacy-app and change the network?', ['Apply', 'Copy as AWS CLI Commands']],
    ]);
    assert.match(shown[1].detail, new RegExp(`1\\. Add an Amazon-provided IPv6 /56 block to ${legacy.vpcId} `));
    const after = await state();
    const vpc = after.vpcs!.find((candidate) => candidate.VpcId === legacy.vpcId)!;
    assert.deepEqual(vpc.Ipv6CidrBlockAssociationSet!.map((a) => [a.Ipv6CidrBlock, a.Ipv6CidrBlockState?.State]), [['2600:1f18:4000:100::/56', 'associated']]);
    const blocks = legacy.subnetIds.map((id) => after.subnets!.find((subnet) => subnet.SubnetId === id)!.Ipv6CidrBlockAssociationSet!.map((a) => a.Ipv6CidrBlock));
    assert.deepEqual(blocks, [['2600:1f18:4000:100::/64'], ['2600:1f18:4000:101::/64']]);
    assert.equal(after.egressOnlyInternetGateways!.filter((gateway) => gateway.Attachments?.some((attachment) => attachment.VpcId === legacy.vpcId)).length, 1);
    assert.equal(after.functions!.find((candidate) => candidate.FunctionName === 'legacy-app')!.VpcConfig?.Ipv6AllowedForDualStack, true);
    assert.equal(api.explorer.tree.getTreeItem(functionNode('legacy-app')).description, 'IPv6 on');
  });
});
