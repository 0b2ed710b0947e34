import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { Node } from '../../src/vscode/explorer/tree';
import { startEmulator } from '../emulator/server';
import { ScenarioBuilder } from '../emulator/scenarios';
import { activateExtension, screenshot } from './helpers';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const GIB = 2 ** 30;

/** us-east-1 has one function of each status; eu-west-1 refuses lambda:ListFunctions. */
function scenario() {
  const b = new ScenarioBuilder();
  const east = b.region('us-east-1');
  const dual = east.dualStackVpc();
  const natOnly = east.natOnlyVpc();
  const ipv4 = east.ipv4OnlyVpc();
  east.fn('orders-api', { network: dual });
  east.fn('payments', { network: dual, ipv6: true });
  east.fn('reports', { network: natOnly, ipv6: true });
  east.fn('legacy-batch', { network: ipv4 });
  east.fn('public-site');
  east.natBytes(natOnly.natId!, 3 * GIB, GIB);
  b.region('eu-west-1').deny('lambda:ListFunctions');
  return b.build();
}

describe('the Functions explorer against the local AWS endpoint', () => {
  let api: ExtensionApi;
  let emulator: Emulator;
  const settings = () => vscode.workspace.getConfiguration('ipv6Lambda');

  before(async () => {
    api = (await activateExtension()).exports as ExtensionApi;
    emulator = await startEmulator({ scenario: scenario() });
    await settings().update('endpointUrl', emulator.url, vscode.ConfigurationTarget.Global);
    await settings().update('regions', ['us-east-1', 'eu-west-1'], vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('ipv6Lambda.functions.focus');
  });

  after(async () => {
    await settings().update('endpointUrl', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('regions', undefined, vscode.ConfigurationTarget.Global);
    await emulator.close();
  });

  function children(node?: Node): Node[] {
    return api.explorer.tree.getChildren(node);
  }

  /** A region's function rows (or its message), without its NAT gateway rows. */
  function functionRows(node: Node): Node[] {
    return children(node).filter((child) => child.kind === 'function' || child.kind === 'message');
  }

  function labelled(nodes: Node[]): [string, string][] {
    return nodes.map((node) => {
      const item = api.explorer.tree.getTreeItem(node);
      return [String(item.label), String(item.description ?? '')];
    });
  }

  it('shows each region with its summary, the endpoint, and a region that failed with the AWS error', async () => {
    await vscode.commands.executeCommand('ipv6Lambda.refresh');
    const roots = children();
    assert.deepEqual(
      roots.map((node) => node.kind),
      ['endpoint', 'region', 'regionError'],
    );
    const [endpoint, east, west] = labelled(roots);
    assert.deepEqual(endpoint, ['Endpoint', emulator.url]);
    assert.deepEqual(east, ['us-east-1', '1 ready · 1 on · 1 on (incomplete) · 1 IPv4-only · 1 no VPC']);
    assert.equal(west[0], 'eu-west-1');
    assert.match(west[1], /lambda:ListFunctions/);
    assert.equal(api.explorer.tree.getTreeItem(roots[2]).contextValue, 'regionError');
  });

  it('summarises the ready functions in the status bar and lists them on click', async () => {
    assert.equal(api.statusBar.text, '$(cloud-upload) 1 ready for IPv6');
    await vscode.commands.executeCommand('ipv6Lambda.showReady');
    const east = children().find((node) => node.kind === 'region')!;
    assert.deepEqual(labelled(functionRows(east)).map(([label]) => label), ['orders-api']);
    await vscode.commands.executeCommand('ipv6Lambda.clearFilter');
    await settings().update('statusBar.enable', false, vscode.ConfigurationTarget.Global);
    assert.equal(api.statusBar.text, undefined);
    await settings().update('statusBar.enable', undefined, vscode.ConfigurationTarget.Global);
  });

  it('lists the functions sorted, with their status in words and a context value per status', async () => {
    const east = children().find((node) => node.kind === 'region')!;
    const functions = functionRows(east);
    assert.deepEqual(labelled(functions), [
      ['legacy-batch', 'IPv4-only subnets'],
      ['orders-api', 'ready to enable'],
      ['payments', 'IPv6 on'],
      ['public-site', 'no VPC'],
      ['reports', 'IPv6 on, egress incomplete'],
    ]);
    assert.deepEqual(
      functions.map((node) => api.explorer.tree.getTreeItem(node).contextValue),
      ['function.ipv4-only', 'function.ready', 'function.enabled', 'function.no-vpc', 'function.enabled-incomplete'],
    );
    await api.explorer.view.reveal(east, { expand: true, focus: false, select: false });
    await screenshot('explorer-statuses');
  });

  it('expands a function into its subnets, security groups and findings', async () => {
    const east = children().find((node) => node.kind === 'region')!;
    const reports = children(east).find((node) => node.kind === 'function' && node.fn.name === 'reports')!;
    const groups = children(reports);
    assert.deepEqual(labelled(groups).map(([label]) => label), ['Subnets', 'Security groups', 'Findings']);
    const subnets = labelled(children(groups[0]));
    assert.equal(subnets.length, 2);
    for (const [id, description] of subnets) {
      assert.match(id, /^subnet-/);
      assert.match(description, /^dual-stack · 2600:[0-9a-f:]+\/64 · no ::\/0 route$/);
    }
    assert.deepEqual(labelled(children(groups[2])).map(([rule]) => rule), ['IPV6N002']);
    const payments = children(east).find((node) => node.kind === 'function' && node.fn.name === 'payments')!;
    const paymentSubnets = labelled(children(children(payments)[0]));
    for (const [, description] of paymentSubnets) assert.match(description, /· ::\/0 → eigw-/);
  });

  it('filters by name and by status, and clears the filter', async () => {
    const east = () => children().find((node) => node.kind === 'region')!;
    api.explorer.setFilter({ text: 'PAY' });
    assert.deepEqual(labelled(functionRows(east())).map(([label]) => label), ['payments']);
    api.explorer.setFilter({ statuses: ['ready', 'no-vpc'] });
    assert.deepEqual(labelled(functionRows(east())).map(([label]) => label), ['orders-api', 'public-site']);
    assert.equal(api.explorer.view.description, 'filtered: ready, no-vpc');
    api.explorer.setFilter({ text: 'nothing-matches' });
    assert.deepEqual(labelled(children(east())), [['No function matches the filter', '']]);
    await vscode.commands.executeCommand('ipv6Lambda.clearFilter');
    assert.equal(functionRows(east()).length, 5);
    assert.equal(api.explorer.view.description, undefined);
  });

  it('groups functions by VPC when asked to', async () => {
    await api.explorer.refresh();
    await settings().update('explorer.groupByVpc', true, vscode.ConfigurationTarget.Global);
    try {
      const east = children().find((node) => node.kind === 'region')!;
      const vpcs = children(east).filter((node) => node.kind === 'vpc');
      assert.deepEqual(children(east).map((node) => node.kind), ['vpc', 'vpc', 'vpc', 'vpc', 'nat', 'nat', 'nat']);
      const [label, description] = labelled(vpcs)[3];
      assert.deepEqual([label, description], ['no VPC', '1 function']);
      assert.deepEqual(labelled(children(vpcs[3])).map(([name]) => name), ['public-site']);
      assert.deepEqual(
        vpcs.slice(0, 3).map((vpc) => labelled(children(vpc)).map(([name]) => name)).sort(),
        [['legacy-batch'], ['orders-api', 'payments'], ['reports']],
      );
    } finally {
      await settings().update('explorer.groupByVpc', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('shows each NAT gateway the functions egress through with its 30-day bytes and cost, also in the function tooltip', async () => {
    const east = children().find((node) => node.kind === 'region')!;
    const nats = children(east).filter((node) => node.kind === 'nat');
    const rows = labelled(nats);
    assert.equal(rows.length, 3);
    const reports = nats.find((node) => node.kind === 'nat' && node.gateway.functions.includes('reports'))!;
    assert.deepEqual(labelled([reports])[0], [`NAT gateway ${reports.kind === 'nat' ? reports.gateway.id : ''}`, '4.00 GB in 30 days ≈ $0.18 at $0.045/GB']);
    const tooltip = (api.explorer.tree.getTreeItem(reports).tooltip as vscode.MarkdownString).value;
    assert.match(tooltip, /upper bound of what IPv6 can save/);
    assert.match(tooltip, /`reports`/);
    const fn = functionRows(east).find((node) => node.kind === 'function' && node.fn.name === 'reports')!;
    // The tooltip is Markdown: its punctuation is escaped.
    assert.match((api.explorer.tree.getTreeItem(fn).tooltip as vscode.MarkdownString).value.replace(/\\/g, ''), /IPv4 egress through NAT gateway `nat-\w+`: 4\.00 GB in 30 days ≈ \$0\.18 at \$0\.045\/GB/);
    await settings().update('natPricePerGb', 0.09, vscode.ConfigurationTarget.Global);
    try {
      assert.equal(labelled([reports])[0][1], '4.00 GB in 30 days ≈ $0.36 at $0.09/GB');
    } finally {
      await settings().update('natPricePerGb', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('refreshes with one ListFunctions page, one batched round of EC2 describes and one GetMetricData per region', async () => {
    await fetch(`${emulator.url}/__emulator/reset`, { method: 'POST' });
    await vscode.commands.executeCommand('ipv6Lambda.refresh');
    const stats = (await (await fetch(`${emulator.url}/__emulator/stats`)).json()) as { regions: Record<string, Record<string, number>> };
    assert.deepEqual(stats.regions['us-east-1'], {
      ListFunctions: 1,
      DescribeSubnets: 1,
      DescribeSecurityGroups: 1,
      DescribeRouteTables: 1,
      GetMetricData: 1,
    });
    assert.deepEqual(stats.regions['eu-west-1'], { ListFunctions: 1 });
  });

  it('says what to do when the profile has no credentials, in every region', async () => {
    await settings().update('profile', 'no-such-profile', vscode.ConfigurationTarget.Global);
    try {
      await api.explorer.refresh();
      const roots = children().filter((node) => node.kind === 'regionError');
      assert.equal(roots.length, 2);
      for (const [, description] of labelled(roots)) assert.match(description, /No AWS credentials could be loaded for profile no-such-profile .*aws configure --profile no-such-profile/);
    } finally {
      await settings().update('profile', undefined, vscode.ConfigurationTarget.Global);
    }
    await api.explorer.refresh();
    assert.deepEqual(children().map((node) => node.kind), ['endpoint', 'region', 'regionError']);
  });

  it('retries a failed region once its error is gone, leaving the other regions as they were', async () => {
    const regionError = children().find((node) => node.kind === 'regionError')!;
    emulator.state.regions.get('eu-west-1')!.deny.clear();
    await vscode.commands.executeCommand('ipv6Lambda.retryRegion', regionError);
    const roots = labelled(children());
    assert.deepEqual(roots[2], ['eu-west-1', 'no functions']);
  });
});
