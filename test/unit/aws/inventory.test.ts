import * as assert from 'node:assert/strict';
import { readAccount } from '../../../src/core/aws/account';
import { createClients } from '../../../src/core/aws/clients';
import { readRegion } from '../../../src/core/aws/inventory';
import { buildLiveGraph } from '../../../src/core/aws/liveGraph';
import { isKnown } from '../../../src/core/model/graph';
import { queryGraph } from '../../../src/core/model/query';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { ScenarioBuilder } from '../../emulator/scenarios';

const REGION = 'eu-west-1';
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'emulator-secret' };

async function withEmulator<T>(b: ScenarioBuilder, body: (emulator: RunningEmulator) => Promise<T>): Promise<T> {
  const emulator = await startEmulator({ scenario: b.build() });
  try {
    return await body(emulator);
  } finally {
    await emulator.close();
  }
}

function clientsFor(emulator: RunningEmulator, region = REGION) {
  return createClients({ region, endpointUrl: emulator.url }, { credentials });
}

describe('region inventory', () => {
  it('lists every page of functions and then makes one batched round of subnet, route-table and security-group describes, never a call per function', async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    const dual = r.dualStackVpc();
    const ipv4 = r.ipv4OnlyVpc({ viaMainTable: true });
    for (let i = 0; i < 120; i++) r.fn(`fn-${i}`, { network: i % 3 ? dual : ipv4, ipv6: i % 3 !== 0 });
    r.fn('plain');
    await withEmulator(b, async (emulator) => {
      const inventory = await readRegion({ clients: clientsFor(emulator), region: REGION });
      assert.deepEqual(emulator.stats.operations, {
        ListFunctions: 3,
        DescribeSubnets: 1,
        DescribeSecurityGroups: 1,
        DescribeRouteTables: 1,
      });
      assert.equal(inventory.functions.length, 121);
      assert.deepEqual(inventory.subnets.map((s) => s.SubnetId).sort(), [...dual.subnetIds, ...ipv4.subnetIds].sort());
      assert.deepEqual(inventory.routeTables.map((t) => t.RouteTableId).sort(), [dual.routeTableId, dual.mainRouteTableId, ipv4.mainRouteTableId].sort());
      assert.deepEqual(inventory.egressOnlyInternetGateways, []);
      assert.deepEqual(inventory.unreadable, {});
      // The gateways the routes name are still in the graph, with their VPC.
      const eigw = buildLiveGraph(inventory).gateways.find((g) => g.key === dual.eigwId);
      assert.deepEqual(eigw, { kind: 'eigw', key: dual.eigwId, name: dual.eigwId, vpc: dual.vpcId });
    });
  });

  it('with network detail also describes the VPCs and their gateways, for planning changes', async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    const dual = r.dualStackVpc();
    r.fn('api', { network: dual });
    await withEmulator(b, async (emulator) => {
      const inventory = await readRegion({ clients: clientsFor(emulator), region: REGION, detail: 'network' });
      assert.deepEqual(emulator.stats.operations, {
        ListFunctions: 1,
        DescribeSubnets: 1,
        DescribeSecurityGroups: 1,
        DescribeRouteTables: 1,
        DescribeEgressOnlyInternetGateways: 1,
        DescribeNatGateways: 1,
        DescribeInternetGateways: 1,
        DescribeVpcs: 1,
      });
      assert.deepEqual(inventory.egressOnlyInternetGateways.map((g) => g.EgressOnlyInternetGatewayId), [dual.eigwId]);
      assert.deepEqual(inventory.vpcs.map((v) => v.VpcId), [dual.vpcId]);
    });
  });

  it('makes no EC2 call when no function is in a VPC', async () => {
    const b = new ScenarioBuilder();
    b.region(REGION).dualStackVpc();
    b.region(REGION).fn('a').fn('b');
    await withEmulator(b, async (emulator) => {
      await readRegion({ clients: clientsFor(emulator), region: REGION });
      assert.deepEqual(emulator.stats.operations, { ListFunctions: 1 });
    });
  });

  it('splits more than 200 subnet ids into filter chunks of 200', async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    const net = r.dualStackVpc({ subnets: 210 });
    for (let i = 0; i < 14; i++) r.fn(`fn-${i}`, { network: { ...net, subnetIds: net.subnetIds.slice(i * 15, i * 15 + 15) } });
    await withEmulator(b, async (emulator) => {
      const inventory = await readRegion({ clients: clientsFor(emulator), region: REGION });
      assert.equal(emulator.stats.operations.DescribeSubnets, 2);
      assert.equal(emulator.stats.operations.DescribeRouteTables, 1);
      assert.equal(inventory.subnets.length, 210);
    });
  });

  it('keeps reading when a describe is denied and records why its data is missing', async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    const dual = r.dualStackVpc();
    r.fn('api', { network: dual, ipv6: true });
    r.deny('ec2:DescribeSubnets');
    await withEmulator(b, async (emulator) => {
      const inventory = await readRegion({ clients: clientsFor(emulator), region: REGION });
      assert.deepEqual(Object.keys(inventory.unreadable), ['DescribeSubnets']);
      assert.equal(inventory.unreadable.DescribeSubnets, `Not allowed to call ec2:DescribeSubnets in ${REGION}: the identity of the default credentials needs the IAM permission ec2:DescribeSubnets.`);
      assert.equal(inventory.routeTables.length, 2);
      const graph = buildLiveGraph(inventory);
      const subnet = graph.subnets.find((s) => s.key === dual.subnetIds[0]);
      assert.deepEqual(subnet?.ipv6, { unknown: true, why: inventory.unreadable.DescribeSubnets });
    });
  });
});

describe('live resource graph', () => {
  it('keys elements by AWS id, takes the gateways the routes name (typed by id prefix) and resolves main route tables', async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    const dual = r.dualStackVpc();
    const ipv4 = r.ipv4OnlyVpc({ viaMainTable: true });
    r.fn('api', { network: dual, ipv6: true }).fn('legacy', { network: ipv4 });
    await withEmulator(b, async (emulator) => {
      const graph = buildLiveGraph(await readRegion({ clients: clientsFor(emulator), region: REGION }));
      const query = queryGraph(graph);
      assert.deepEqual(graph.functions.map((f) => [f.key, f.ipv6Flag, f.subnets, f.securityGroups, f.vpcId]), [
        ['api', true, dual.subnetIds, [dual.securityGroupId], dual.vpcId],
        ['legacy', false, ipv4.subnetIds, [ipv4.securityGroupId], ipv4.vpcId],
      ]);
      const dualTable = query.routeTableFor(dual.subnetIds[0]);
      const mainTable = query.routeTableFor(ipv4.subnetIds[0]);
      assert.equal(isKnown(dualTable) && dualTable.key, dual.routeTableId);
      assert.equal(isKnown(mainTable) && mainTable.key, ipv4.mainRouteTableId);
      assert.deepEqual(query.routesOf(dual.routeTableId).map((route) => [route.destination, route.target]), [
        ['10.0.0.0/16', { kind: 'other' }],
        ['0.0.0.0/0', { kind: 'nat', gateway: dual.natId }],
        ['::/0', { kind: 'eigw', gateway: dual.eigwId }],
      ]);
      assert.deepEqual(graph.gateways.map((g) => [g.kind, g.key, g.vpc]).sort(), [
        ['eigw', dual.eigwId, dual.vpcId],
        ['nat', dual.natId, dual.vpcId],
        ['nat', ipv4.natId, ipv4.vpcId],
      ].sort());
      const subnet = query.subnet(dual.subnetIds[0]);
      assert.deepEqual([subnet?.ipv4, subnet?.ipv6, subnet?.ipv6Native, subnet?.vpc], [true, true, false, dual.vpcId]);
      assert.deepEqual(query.securityGroup(ipv4.securityGroupId)?.egress, [{ protocol: '-1', ipv4Cidrs: ['0.0.0.0/0'], ipv6Cidrs: [] }]);
    });
  });
});

describe('account reading', () => {
  it('reads regions independently: a region that cannot be listed fails alone, with what to do', async () => {
    const b = new ScenarioBuilder();
    b.region(REGION).fn('a');
    b.region('us-east-1').deny('lambda:ListFunctions');
    await withEmulator(b, async (emulator) => {
      const reports = await readAccount({ regions: [REGION, 'us-east-1'], endpointUrl: emulator.url, credentials });
      assert.deepEqual(reports.map((r) => [r.region, r.error, r.statuses.size]), [
        [REGION, null, 1],
        ['us-east-1', 'Not allowed to call lambda:ListFunctions in us-east-1: the identity of the default credentials needs the IAM permission lambda:ListFunctions.', 0],
      ]);
    });
  });

  it('names the endpoint when it cannot be reached', async () => {
    const reports = await readAccount({ regions: [REGION], endpointUrl: 'http://127.0.0.1:1', credentials, maxAttempts: 1 });
    assert.match(reports[0].error ?? '', /^Could not reach AWS at http:\/\/127\.0\.0\.1:1 for lambda:ListFunctions in eu-west-1 .*check the network and --endpoint-url\.$/);
  });
});
