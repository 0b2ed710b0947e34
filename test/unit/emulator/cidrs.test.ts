import * as assert from 'node:assert/strict';
import { AssociateSubnetCidrBlockCommand, AssociateVpcCidrBlockCommand, DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ASSOCIATION_DELAY_MS } from '../../emulator/cidrs';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { ScenarioBuilder, type Network } from '../../emulator/scenarios';

const REGION = 'eu-west-1';

describe('emulator: IPv6 CIDR associations', () => {
  let emulator: RunningEmulator;
  let ec2: EC2Client;
  let ipv4: Network;
  let dual: Network;
  let spare: string;
  beforeEach(async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    ipv4 = r.ipv4OnlyVpc();
    dual = r.dualStackVpc();
    spare = r.ipv4Subnet(dual);
    emulator = await startEmulator({ scenario: b.build() });
    ec2 = new EC2Client({ region: REGION, endpoint: emulator.url, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, maxAttempts: 1 });
  });
  afterEach(() => emulator.close());

  const failure = async (send: Promise<unknown>) => send.then(() => assert.fail('expected an error'), (error: { name: string; message: string; $metadata: { httpStatusCode?: number } }) => [error.name, error.$metadata.httpStatusCode, error.message]);

  it('associates an Amazon-provided /56: associating at first, associated a moment later', async () => {
    const answer = await ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: ipv4.vpcId, AmazonProvidedIpv6CidrBlock: true }));
    assert.equal(answer.VpcId, ipv4.vpcId);
    assert.deepEqual([answer.Ipv6CidrBlockAssociation?.Ipv6CidrBlock, answer.Ipv6CidrBlockAssociation?.Ipv6CidrBlockState?.State], ['2600:1f18:4000:100::/56', 'associating']);
    const state = async () => (await ec2.send(new DescribeVpcsCommand({ VpcIds: [ipv4.vpcId] }))).Vpcs![0].Ipv6CidrBlockAssociationSet![0].Ipv6CidrBlockState?.State;
    assert.equal(await state(), 'associating');
    await new Promise((resolve) => setTimeout(resolve, ASSOCIATION_DELAY_MS + 20));
    assert.equal(await state(), 'associated');
    assert.deepEqual(await failure(ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: ipv4.vpcId, AmazonProvidedIpv6CidrBlock: true }))), ['InvalidParameterValue', 400, `The VPC '${ipv4.vpcId}' already has an Amazon-provided IPv6 CIDR block.`]);
  });

  it('associates a free /64 of the VPC block with a subnet, asynchronously', async () => {
    const block = '2600:1f18:1001:1ff::/64';
    const answer = await ec2.send(new AssociateSubnetCidrBlockCommand({ SubnetId: spare, Ipv6CidrBlock: block }));
    assert.deepEqual([answer.SubnetId, answer.Ipv6CidrBlockAssociation?.Ipv6CidrBlock, answer.Ipv6CidrBlockAssociation?.Ipv6CidrBlockState?.State], [spare, block, 'associating']);
    await new Promise((resolve) => setTimeout(resolve, ASSOCIATION_DELAY_MS + 20));
    const subnet = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [spare] }))).Subnets![0];
    assert.deepEqual(subnet.Ipv6CidrBlockAssociationSet!.map((a) => [a.Ipv6CidrBlock, a.Ipv6CidrBlockState?.State]), [[block, 'associated']]);
  });

  it('refuses a /64 another subnet uses, one outside the VPC block, a non-/64, and a subnet whose VPC has no block', async () => {
    const taken = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [dual.subnetIds[0]] }))).Subnets![0].Ipv6CidrBlockAssociationSet![0].Ipv6CidrBlock!;
    assert.deepEqual(await failure(ec2.send(new AssociateSubnetCidrBlockCommand({ SubnetId: spare, Ipv6CidrBlock: taken }))), ['InvalidSubnet.Conflict', 400, `The CIDR '${taken}' conflicts with another subnet`]);
    assert.deepEqual(await failure(ec2.send(new AssociateSubnetCidrBlockCommand({ SubnetId: spare, Ipv6CidrBlock: '2600:1f18:9999::/64' }))), ['InvalidSubnet.Range', 400, `The CIDR '2600:1f18:9999::/64' is invalid.`]);
    assert.deepEqual((await failure(ec2.send(new AssociateSubnetCidrBlockCommand({ SubnetId: spare, Ipv6CidrBlock: '2600:1f18:1001:100::/60' }))))[0], 'InvalidParameterValue');
    assert.deepEqual(await failure(ec2.send(new AssociateSubnetCidrBlockCommand({ SubnetId: ipv4.subnetIds[0], Ipv6CidrBlock: '2600:1f18:4000:100::/64' }))), [
      'InvalidParameterValue',
      400,
      `The VPC '${ipv4.vpcId}' of subnet '${ipv4.subnetIds[0]}' has no associated IPv6 CIDR block.`,
    ]);
    assert.deepEqual((await failure(ec2.send(new AssociateSubnetCidrBlockCommand({ SubnetId: 'subnet-0000000000000dead', Ipv6CidrBlock: taken }))))[0], 'InvalidSubnetID.NotFound');
  });
});
