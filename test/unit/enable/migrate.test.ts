import * as assert from 'node:assert/strict';
import { AssociateSubnetCidrBlockCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ALL_IPV4_EGRESS, ScenarioBuilder } from '../../emulator/scenarios';
import { applyPlan, formatPlan, planEnable, toAwsCliCommands, type EnableOptions, type Plan } from '../../../src/core/aws/enable';
import { freeSubnetBlocks } from '../../../src/core/aws/ipv6Blocks';
import { CREDENTIALS, FAST, REGION, harness, type Harness } from './helpers';

const MIGRATE: EnableOptions = { enable: true, withNetwork: true, addIpv6Cidrs: true };
const WRITES = ['AssociateVpcCidrBlock', 'AssociateSubnetCidrBlock', 'CreateEgressOnlyInternetGateway', 'CreateRoute', 'ReplaceRoute', 'AuthorizeSecurityGroupEgress', 'UpdateFunctionConfiguration'];

describe('enable: migrating a deployed IPv4-only network to dual-stack', () => {
  let h: Harness | undefined;
  const logs: string[] = [];
  afterEach(async () => {
    await h?.close();
    h = undefined;
    logs.length = 0;
  });
  const plan = (names: string[], options = MIGRATE) => planEnable({ clients: h!.clients, functionNames: names, timing: FAST }, options);
  const apply = (p: Plan) => applyPlan(p, { clients: h!.clients, log: (line) => logs.push(line), timing: FAST });
  const writes = () => Object.fromEntries(Object.entries(h!.emulator.stats.operations).filter(([operation]) => WRITES.includes(operation)));

  it('adds a /56 to a VPC without one and the first free /64s to the subnets, waits for them, then the EIGW, route, egress and flag', async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    const net = r.ipv4OnlyVpc({ securityGroupEgress: [ALL_IPV4_EGRESS] });
    r.fn('legacy', { network: net });
    h = await harness(b.build());
    const [subnetA, subnetB] = net.subnetIds;

    const p = await plan(['legacy']);
    assert.deepEqual(p.steps.map((step) => step.kind), ['associate-vpc-cidr', 'associate-subnet-cidr', 'associate-subnet-cidr', 'create-eigw', 'create-route', 'authorize-egress', 'update-function']);
    assert.match(formatPlan(p), new RegExp(`1\\. Add an Amazon-provided IPv6 /56 block to ${net.vpcId} \\(and wait until it is associated\\)\\n2\\. Add IPv6 block the first free /64 of ${net.vpcId}'s new block to subnet ${subnetA} `));
    assert.equal(toAwsCliCommands(p)[0], `aws ec2 associate-vpc-cidr-block --vpc-id ${net.vpcId} --amazon-provided-ipv6-cidr-block --region ${REGION} --endpoint-url ${h.emulator.url}`);
    assert.deepEqual(writes(), {});

    const result = await apply(p);
    assert.equal(result.outcome, 'applied', result.message);
    assert.deepEqual(writes(), { AssociateVpcCidrBlock: 1, AssociateSubnetCidrBlock: 2, CreateEgressOnlyInternetGateway: 1, CreateRoute: 1, AuthorizeSecurityGroupEgress: 1, UpdateFunctionConfiguration: 1 });
    const after = await h.region();
    assert.deepEqual(after.vpcs!.find((v) => v.VpcId === net.vpcId)!.Ipv6CidrBlockAssociationSet!.map((a) => [a.Ipv6CidrBlock, a.Ipv6CidrBlockState?.State]), [['2600:1f18:4000:100::/56', 'associated']]);
    const blocks = Object.fromEntries(after.subnets!.map((s) => [s.SubnetId, (s.Ipv6CidrBlockAssociationSet ?? []).map((a) => [a.Ipv6CidrBlock, a.Ipv6CidrBlockState?.State])]));
    assert.deepEqual(blocks[subnetA], [['2600:1f18:4000:100::/64', 'associated']]);
    assert.deepEqual(blocks[subnetB], [['2600:1f18:4000:101::/64', 'associated']]);
    assert.equal(after.functions!.find((f) => f.FunctionName === 'legacy')!.VpcConfig!.Ipv6AllowedForDualStack, true);
    assert.ok(logs.includes(`AssociateVpcCidrBlock ${net.vpcId}: associated 2600:1f18:4000:100::/56`), logs.join('\n'));

    const again = await plan(['legacy']);
    assert.equal(again.status, 'nothing-to-do');
    assert.deepEqual(again.steps, []);
  });

  it('in a VPC with a block, gives only the IPv4-only subnet a /64 that no other subnet of the VPC uses', async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    const net = r.natOnlyVpc({ securityGroupEgress: [ALL_IPV4_EGRESS] });
    const ipv4Only = r.ipv4Subnet(net);
    // Not the function's: its block (the VPC's /64 number 2) must not be taken again.
    const other = r.ipv4Subnet(net);
    r.fn('mixed', { subnetIds: [net.subnetIds[0], ipv4Only], securityGroupIds: [net.securityGroupId] });
    h = await harness(b.build());
    const vpcBlock = (await h.region()).vpcs!.find((v) => v.VpcId === net.vpcId)!.Ipv6CidrBlockAssociationSet![0].Ipv6CidrBlock!;
    const prefix = vpcBlock.replace(/::\/56$/, '').split(':');
    const nth = (n: number) => `${prefix.slice(0, 3).join(':')}:${(parseInt(prefix[3], 16) + n).toString(16)}::/64`;
    const ec2 = new EC2Client({ region: REGION, endpoint: h.emulator.url, credentials: CREDENTIALS });
    await ec2.send(new AssociateSubnetCidrBlockCommand({ SubnetId: other, Ipv6CidrBlock: nth(2) }));

    const p = await plan(['mixed']);
    const cidrSteps = p.steps.filter((step) => step.kind === 'associate-subnet-cidr');
    assert.deepEqual(cidrSteps, [{ kind: 'associate-subnet-cidr', subnetId: ipv4Only, vpcId: net.vpcId, ipv6CidrBlock: nth(3), functions: ['mixed'] }]);
    assert.ok(!p.steps.some((step) => step.kind === 'associate-vpc-cidr'));
    const result = await apply(p);
    assert.equal(result.outcome, 'applied', result.message);
    const subnet = (await h.region()).subnets!.find((s) => s.SubnetId === ipv4Only)!;
    assert.deepEqual(subnet.Ipv6CidrBlockAssociationSet!.map((a) => [a.Ipv6CidrBlock, a.Ipv6CidrBlockState?.State]), [[nth(3), 'associated']]);
    assert.equal((await plan(['mixed'])).status, 'nothing-to-do');
  });

  it('without --add-ipv6-cidrs still refuses IPv4-only subnets and plans nothing', async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    r.fn('legacy', { network: r.ipv4OnlyVpc() });
    h = await harness(b.build());
    const p = await plan(['legacy'], { enable: true, withNetwork: true });
    assert.equal(p.status, 'refused');
    assert.deepEqual(p.steps, []);
  });

  it('reports exactly what was done when a step fails midway, and updates no function', async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    const net = r.ipv4OnlyVpc({ securityGroupEgress: [ALL_IPV4_EGRESS] });
    r.fn('legacy', { network: net }).deny('ec2:AssociateSubnetCidrBlock');
    h = await harness(b.build());
    const result = await apply(await plan(['legacy']));
    assert.equal(result.outcome, 'failed');
    assert.deepEqual(result.done.map((d) => [d.step.kind, d.result]), [['associate-vpc-cidr', 'associated 2600:1f18:4000:100::/56']]);
    assert.equal(
      result.message,
      `Add IPv6 block the first free /64 of ${net.vpcId}'s new block to subnet ${net.subnetIds[0]} (and wait until it is associated): Not allowed to call ec2:AssociateSubnetCidrBlock in ${REGION}: the identity of the default credentials needs the IAM permission ec2:AssociateSubnetCidrBlock. No function was updated. Done: Add an Amazon-provided IPv6 /56 block to ${net.vpcId} (and wait until it is associated) (associated 2600:1f18:4000:100::/56). Running it again is safe: what exists is found and not created twice.`,
    );
    assert.deepEqual(writes(), { AssociateVpcCidrBlock: 1, AssociateSubnetCidrBlock: 1 });
    // A re-run finds the VPC's block and does not ask for a second one.
    const again = await plan(['legacy']);
    assert.equal(again.steps[0].kind, 'associate-subnet-cidr');
    assert.equal((again.steps[0] as { ipv6CidrBlock?: string }).ipv6CidrBlock, '2600:1f18:4000:100::/64');
  });
});

describe('free /64 blocks of a VPC block', () => {
  it('takes the lowest unused /64s, skipping those in use, and says when the block is full', () => {
    assert.deepEqual(freeSubnetBlocks('2600:1f18:1:100::/56', ['2600:1f18:1:100::/64', '2600:1f18:1:102::/64'], 3), ['2600:1f18:1:101::/64', '2600:1f18:1:103::/64', '2600:1f18:1:104::/64']);
    assert.deepEqual(freeSubnetBlocks('2600:1f18:1:0::/56', [], 2), ['2600:1f18:1::/64', '2600:1f18:1:1::/64']);
    assert.equal(freeSubnetBlocks('2600:1f18:1:100::/63', ['2600:1f18:1:100::/64'], 2), undefined);
    assert.deepEqual(freeSubnetBlocks('2600:1f18:1:100::/63', ['2600:1f18:1:100::/64', '2600:1f18:9::/64'], 1), ['2600:1f18:1:101::/64']);
  });
});
