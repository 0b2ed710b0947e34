/**
 * Our AWS code against a second endpoint written by others: moto's server (moto[server], pinned in
 * scripts/setup-python.mjs). The suite builds an account in moto with the SDK, copies what moto then
 * describes into our own emulator (test/emulator) as a scenario, and runs `scan` and `enable` on
 * both: the statuses, the plans and the resulting state must match.
 *
 * What moto supports and the suite uses: VPCs with an Amazon-provided IPv6 block, dual-stack and
 * IPv4-only subnets, an internet gateway, an Elastic IP and a NAT gateway, an egress-only internet
 * gateway, route tables with 0.0.0.0/0 → NAT and ::/0 → EIGW routes and subnet associations,
 * security groups with IPv4 and IPv6 egress (authorize and revoke), IAM roles, and Lambda functions
 * with a VpcConfig, which moto stores as given, `Ipv6AllowedForDualStack` included, and replaces on
 * UpdateFunctionConfiguration.
 *
 * Where moto differs from AWS (each checked below, so that a moto upgrade that changes it shows):
 * - it writes a subnet's IPv6 association state as a Python dict (`{'State': 'associated'}`); the
 *   suite talks to moto through a proxy that repairs that one answer (test/support/moto.ts).
 * - a function's `VpcConfig.VpcId` is always `vpc-123abc` when it has security groups, not its
 *   subnets' VPC. The scan lists route tables by the functions' VPCs, as AWS reports them, so the
 *   proxy writes the VPC of the function's subnets there (the suite tells it each subnet's VPC);
 *   our emulator is given the real VPC id. A network plan is still made on our emulator and
 *   applied to both.
 * - a function's VpcConfig has no `Ipv6AllowedForDualStack` unless it was set; AWS reports false.
 * - GetFunctionConfiguration has no RevisionId, so the "changed meanwhile" guard of enable cannot be
 *   exercised against moto (our emulator's tests do that); plans are compared without it.
 */
import * as assert from 'node:assert/strict';
import {
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  AssociateVpcCidrBlockCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupEgressCommand,
  CreateEgressOnlyInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeEgressOnlyInternetGatewaysCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  RevokeSecurityGroupEgressCommand,
  type RouteTable,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, GetFunctionConfigurationCommand, LambdaClient, ListFunctionsCommand, type FunctionConfiguration } from '@aws-sdk/client-lambda';
import { deflateRawSync } from 'node:zlib';
import { readAccount } from '../../../src/core/aws/account';
import { createClients } from '../../../src/core/aws/clients';
import { applyPlan, planEnable, type EnableOptions, type Plan } from '../../../src/core/aws/enable';
import type { Scenario } from '../../emulator/scenario';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { MOTO_PLACEHOLDER_VPC, startMoto, type RunningMoto } from '../../support/moto';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const CREDENTIALS = { accessKeyId: 'AKIAMOTOTESTKEY00001', secretAccessKey: 'moto-test-secret-key-not-a-real-one' };
const FAST = { maxWaitSeconds: 10, waiterMinDelaySeconds: 0.02, backoffBaseMs: 5, backoffAttempts: 8 };

/** A zip archive with one stored file: moto unzips a function's code. */
function zipWithOneFile(name: string, content: string): Uint8Array {
  const data = Buffer.from(content);
  const deflated = deflateRawSync(data);
  const crc = crc32(data);
  const fileName = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(deflated.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(deflated.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const centralOffset = local.length + fileName.length + deflated.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, fileName, deflated, central, fileName, end]);
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** The account the suite builds: one VPC with a subnet for every status, and functions in them. */
interface Built {
  vpcId: string;
  /** Subnet ids by role. */
  subnets: { public: string; natOnlyA: string; natOnlyB: string; withEigw: string; ipv4Only: string };
  natOnlyTable: string;
  natId: string;
  eigwId: string;
  groups: { dualStackEgress: string; ipv4Egress: string };
}

async function buildAccount(url: string): Promise<Built> {
  const config = { region: REGION, endpoint: url, credentials: CREDENTIALS };
  const ec2 = new EC2Client(config);
  const lambda = new LambdaClient(config);
  const iam = new IAMClient(config);
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
  const ipv6 = (await ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: vpcId, AmazonProvidedIpv6CidrBlock: true }))).Ipv6CidrBlockAssociation!.Ipv6CidrBlock!;
  // A /56 from moto (`2400:6500:5497:1500::/56`); the subnets take its /64s (`…:1501::/64`).
  const groups56 = ipv6.split('::')[0].split(':');
  const fourth = groups56[3].padStart(4, '0').slice(0, 2);
  const slash64 = (index: number) => `${groups56.slice(0, 3).join(':')}:${fourth}${index.toString(16).padStart(2, '0')}::/64`;
  const subnet = async (cidr: string, ipv6Index?: number) =>
    (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, ...(ipv6Index !== undefined ? { Ipv6CidrBlock: slash64(ipv6Index) } : {}) }))).Subnet!.SubnetId!;
  const subnets = {
    public: await subnet('10.0.0.0/24', 0),
    natOnlyA: await subnet('10.0.1.0/24', 1),
    natOnlyB: await subnet('10.0.2.0/24', 2),
    withEigw: await subnet('10.0.3.0/24', 3),
    ipv4Only: await subnet('10.0.4.0/24'),
  };
  const igwId = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));
  const allocation = (await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }))).AllocationId!;
  const natId = (await ec2.send(new CreateNatGatewayCommand({ SubnetId: subnets.public, AllocationId: allocation }))).NatGateway!.NatGatewayId!;
  const eigwId = (await ec2.send(new CreateEgressOnlyInternetGatewayCommand({ VpcId: vpcId }))).EgressOnlyInternetGateway!.EgressOnlyInternetGatewayId!;

  const table = async (routes: { ipv4?: boolean; ipv6ToEigw?: boolean }, associated: string[]) => {
    const id = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    if (routes.ipv4) await ec2.send(new CreateRouteCommand({ RouteTableId: id, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: natId }));
    if (routes.ipv6ToEigw) await ec2.send(new CreateRouteCommand({ RouteTableId: id, DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: eigwId }));
    for (const subnetId of associated) await ec2.send(new AssociateRouteTableCommand({ RouteTableId: id, SubnetId: subnetId }));
    return id;
  };
  const natOnlyTable = await table({ ipv4: true }, [subnets.natOnlyA, subnets.natOnlyB]);
  await table({ ipv4: true, ipv6ToEigw: true }, [subnets.withEigw]);
  await table({ ipv4: true }, [subnets.ipv4Only]);

  const group = async (name: string, ipv6Egress: boolean) => {
    const id = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: vpcId }))).GroupId!;
    // A new group in an IPv6 VPC lets all IPv4 and all IPv6 out (in moto as in AWS); HTTPS only
    // makes the mirrored IPv6 rule visible.
    await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: id, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] }] }));
    await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: id, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }], ...(ipv6Egress ? { Ipv6Ranges: [{ CidrIpv6: '::/0' }] } : {}) }] }));
    return id;
  };
  const groups = { dualStackEgress: await group('dual-stack-egress', true), ipv4Egress: await group('ipv4-egress', false) };

  const role = (await iam.send(new CreateRoleCommand({ RoleName: 'function-role', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }))).Role!.Arn!;
  const code = { ZipFile: zipWithOneFile('index.py', 'def handler(event, context):\n    return "ok"\n') };
  const fn = (name: string, vpc?: { subnets: string[]; groups: string[]; flag?: boolean }) =>
    lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'python3.12',
        Handler: 'index.handler',
        Role: role,
        Code: code,
        ...(vpc ? { VpcConfig: { SubnetIds: vpc.subnets, SecurityGroupIds: vpc.groups, ...(vpc.flag !== undefined ? { Ipv6AllowedForDualStack: vpc.flag } : {}) } } : {}),
      }),
    );
  await fn('ready', { subnets: [subnets.withEigw], groups: [groups.dualStackEgress] });
  await fn('enabled', { subnets: [subnets.withEigw], groups: [groups.dualStackEgress], flag: true });
  await fn('nat-only', { subnets: [subnets.natOnlyA, subnets.natOnlyB], groups: [groups.ipv4Egress] });
  await fn('ipv4-only', { subnets: [subnets.ipv4Only], groups: [groups.ipv4Egress] });
  await fn('invalid', { subnets: [subnets.ipv4Only], groups: [groups.ipv4Egress], flag: true });
  await fn('no-vpc');
  return { vpcId, subnets, natOnlyTable, natId, eigwId, groups };
}

/** What moto describes, as a scenario of our emulator, with the VPC id AWS would report on each function. */
async function scenarioFrom(url: string): Promise<Scenario> {
  const config = { region: REGION, endpoint: url, credentials: CREDENTIALS };
  const ec2 = new EC2Client(config);
  const lambda = new LambdaClient(config);
  const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? [];
  const vpcOfSubnet = new Map(subnets.map((s) => [s.SubnetId, s.VpcId]));
  const functions = ((await lambda.send(new ListFunctionsCommand({}))).Functions ?? []).map((fn): FunctionConfiguration => {
    if (!fn.VpcConfig?.SubnetIds?.length) return fn;
    return { ...fn, VpcConfig: { ...fn.VpcConfig, VpcId: vpcOfSubnet.get(fn.VpcConfig.SubnetIds[0]) } };
  });
  return {
    accountId: ACCOUNT,
    regions: {
      [REGION]: {
        functions,
        vpcs: (await ec2.send(new DescribeVpcsCommand({}))).Vpcs,
        subnets,
        routeTables: (await ec2.send(new DescribeRouteTablesCommand({}))).RouteTables,
        egressOnlyInternetGateways: (await ec2.send(new DescribeEgressOnlyInternetGatewaysCommand({}))).EgressOnlyInternetGateways,
        natGateways: (await ec2.send(new DescribeNatGatewaysCommand({}))).NatGateways,
        internetGateways: (await ec2.send(new DescribeInternetGatewaysCommand({}))).InternetGateways,
        securityGroups: (await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups,
      },
    },
  };
}

/** The state enable changes, as comparable data: each function's flag, each table's IPv6 routes, each group's IPv6 egress. */
async function ipv6State(url: string): Promise<{ flags: Record<string, boolean | null>; ipv6Routes: Record<string, string[]>; ipv6Egress: Record<string, string[]> }> {
  const config = { region: REGION, endpoint: url, credentials: CREDENTIALS };
  const ec2 = new EC2Client(config);
  const lambda = new LambdaClient(config);
  const flags: Record<string, boolean | null> = {};
  for (const fn of (await lambda.send(new ListFunctionsCommand({}))).Functions ?? []) {
    const current = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn.FunctionName }));
    // moto leaves the flag out where AWS (and our emulator) report false.
    flags[fn.FunctionName!] = current.VpcConfig ? current.VpcConfig.Ipv6AllowedForDualStack === true : null;
  }
  const routes = (table: RouteTable) =>
    (table.Routes ?? []).filter((route) => route.DestinationIpv6CidrBlock && route.GatewayId !== 'local').map((route) => `${route.DestinationIpv6CidrBlock} -> ${route.EgressOnlyInternetGatewayId ?? route.NatGatewayId ?? route.GatewayId}`).sort();
  const egress = (group: SecurityGroup) =>
    (group.IpPermissionsEgress ?? []).flatMap((rule) => (rule.Ipv6Ranges ?? []).map((range) => `${rule.IpProtocol} ${rule.FromPort ?? ''}-${rule.ToPort ?? ''} ${range.CidrIpv6}`)).sort();
  const tables = (await ec2.send(new DescribeRouteTablesCommand({}))).RouteTables ?? [];
  const groups = (await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? [];
  return {
    flags,
    ipv6Routes: Object.fromEntries(tables.map((table) => [table.RouteTableId!, routes(table)])),
    ipv6Egress: Object.fromEntries(groups.map((group) => [group.GroupId!, egress(group)])),
  };
}

describe('moto as a second AWS endpoint: scan and enable agree with our emulator', function () {
  this.timeout(120_000);
  let moto: RunningMoto;
  let emulator: RunningEmulator;
  let built: Built;
  const endpoints = () => ({ moto: moto.url, emulator: emulator.url });

  before(async () => {
    moto = await startMoto();
    built = await buildAccount(moto.url);
    for (const subnet of Object.values(built.subnets)) moto.vpcOfSubnet.set(subnet, built.vpcId);
    emulator = await startEmulator({ scenario: await scenarioFrom(moto.url), updateDelayMs: 0 });
  });

  after(async () => {
    await emulator?.close();
    await moto?.close();
  });

  it("moto writes a subnet's IPv6 association state unlike AWS, which the proxy repairs", async () => {
    const describe = (url: string) => new EC2Client({ region: REGION, endpoint: url, credentials: CREDENTIALS }).send(new DescribeSubnetsCommand({ SubnetIds: [built.subnets.withEigw] }));
    const state = async (url: string) => (await describe(url)).Subnets![0].Ipv6CidrBlockAssociationSet![0].Ipv6CidrBlockState!.State;
    assert.equal(await state(moto.rawUrl), "{'State': 'associated'}");
    assert.equal(await state(moto.url), 'associated');
  });

  it("moto reports a placeholder VPC id on functions, not their subnets' VPC, which the proxy repairs", async () => {
    const vpcOfReady = async (url: string) => (await new LambdaClient({ region: REGION, endpoint: url, credentials: CREDENTIALS }).send(new GetFunctionConfigurationCommand({ FunctionName: 'ready' }))).VpcConfig?.VpcId;
    assert.equal(await vpcOfReady(moto.rawUrl), MOTO_PLACEHOLDER_VPC);
    assert.notEqual(built.vpcId, MOTO_PLACEHOLDER_VPC);
    assert.equal(await vpcOfReady(moto.url), built.vpcId);
  });

  it('moto gives no RevisionId in GetFunctionConfiguration', async () => {
    const lambda = new LambdaClient({ region: REGION, endpoint: moto.url, credentials: CREDENTIALS });
    assert.equal((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'no-vpc' }))).RevisionId, undefined);
  });

  const scan = async (url: string) => {
    const [report] = await readAccount({ regions: [REGION], endpointUrl: url, credentials: CREDENTIALS });
    assert.equal(report.error, null);
    return {
      statuses: Object.fromEntries([...report.statuses].map(([name, status]) => [name, status.kind]).sort()),
      findings: report.findings.map((finding) => `${finding.rule} ${finding.subject}`).sort(),
    };
  };

  it('scan gives every function the same status and the same findings on both', async () => {
    const [onMoto, onEmulator] = [await scan(moto.url), await scan(emulator.url)];
    assert.deepEqual(onMoto.statuses, {
      enabled: 'enabled',
      invalid: 'invalid',
      'ipv4-only': 'ipv4-only',
      'nat-only': 'ready',
      'no-vpc': 'no-vpc',
      ready: 'ready',
    });
    assert.deepEqual(onEmulator, onMoto);
  });

  /** A plan's steps without what moto cannot give: the revision, and Lambda's VpcId (a placeholder on moto). */
  const comparable = (plan: Plan) => plan.steps.map((step) => (step.kind === 'update-function' ? { ...step, revisionId: undefined, vpcId: undefined } : step));

  const enable = async (url: string, names: string[], options: EnableOptions): Promise<{ plan: Plan; outcome: string }> => {
    const clients = createClients({ region: REGION, endpointUrl: url }, { credentials: CREDENTIALS });
    const plan = await planEnable({ clients, functionNames: names, timing: FAST }, options);
    if (plan.status !== 'ready') return { plan, outcome: plan.status };
    const result = await applyPlan(plan, { clients, log: () => undefined, timing: FAST });
    return { plan, outcome: result.outcome };
  };

  it('enable sets only the flag of a ready function, with the same plan and the same resulting state on both', async () => {
    const results = { moto: await enable(moto.url, ['ready'], { enable: true }), emulator: await enable(emulator.url, ['ready'], { enable: true }) };
    assert.deepEqual(results.moto.plan.steps.map((step) => step.kind), ['update-function']);
    assert.equal(results.moto.outcome, 'applied');
    assert.deepEqual(comparable(results.emulator.plan), comparable(results.moto.plan));
    assert.equal(results.emulator.outcome, results.moto.outcome);
    const [onMoto, onEmulator] = [await ipv6State(endpoints().moto), await ipv6State(endpoints().emulator)];
    assert.equal(onMoto.flags.ready, true);
    assert.deepEqual(onEmulator, onMoto);
  });

  it('enable with the network, planned where the VPC is known, adds the ::/0 route and IPv6 egress in moto as in our emulator', async () => {
    // moto's placeholder VpcId hides the VPC's gateways from a plan made against moto (it would
    // create a second EIGW), so the plan is made on our emulator, whose scenario holds moto's ids,
    // and applied to both: moto then answers every write enable makes.
    const clients = (url: string) => createClients({ region: REGION, endpointUrl: url }, { credentials: CREDENTIALS });
    const plan = await planEnable({ clients: clients(emulator.url), functionNames: ['nat-only'], timing: FAST }, { enable: true, withNetwork: true });
    assert.equal(plan.status, 'ready');
    assert.deepEqual(plan.steps.map((step) => step.kind), ['create-route', 'authorize-egress', 'update-function']);
    const outcomes = {
      moto: (await applyPlan(plan, { clients: clients(moto.url), log: () => undefined, timing: FAST })).outcome,
      emulator: (await applyPlan(plan, { clients: clients(emulator.url), log: () => undefined, timing: FAST })).outcome,
    };
    assert.deepEqual(outcomes, { moto: 'applied', emulator: 'applied' });
    const [onMoto, onEmulator] = [await ipv6State(moto.url), await ipv6State(emulator.url)];
    assert.equal(onMoto.flags['nat-only'], true);
    assert.deepEqual(onMoto.ipv6Routes[built.natOnlyTable], [`::/0 -> ${built.eigwId}`]);
    assert.deepEqual(onMoto.ipv6Egress[built.groups.ipv4Egress], ['tcp 443-443 ::/0']);
    assert.deepEqual(onEmulator, onMoto);
    assert.equal((await scan(moto.url)).statuses['nat-only'], 'enabled');
  });

  it('enable refuses the function whose subnet has no IPv6 on both', async () => {
    const [onMoto, onEmulator] = [await enable(moto.url, ['ipv4-only'], { enable: true }), await enable(emulator.url, ['ipv4-only'], { enable: true })];
    assert.equal(onMoto.outcome, 'refused');
    assert.deepEqual(onEmulator.plan.functions.map((f) => f.reasons), onMoto.plan.functions.map((f) => f.reasons));
    assert.equal(onEmulator.outcome, onMoto.outcome);
  });
});
