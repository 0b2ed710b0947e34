import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TempProject } from './harness';

const ROOT = path.resolve(__dirname, '../../..');
const read = (relative: string) => readFileSync(path.join(ROOT, relative), 'utf8');
const IPV4_ONLY = read('examples/cloudformation/ipv4-only.yaml');
const MIGRATED = read('test/fixtures/migration/ipv4-only.yaml');
const TERRAFORM = read('examples/terraform/ipv4-only/main.tf');

const ADDED = [
  'template.yaml: migrated VPC Vpc to dual-stack:',
  '  + IPv6 block for VPC Vpc',
  '  + IPv6 /64 on subnet PrivateSubnetA',
  '  + IPv6 /64 on subnet PrivateSubnetB',
  '  + egress-only internet gateway for VPC Vpc',
  '  + ::/0 → egress-only internet gateway in route table PrivateRouteTable',
  '  + Ipv6AllowedForDualStack on OrdersApiFunction',
  '  + IPv6 egress on security group FunctionSecurityGroup',
];

describe('ipv6-lambda migrate', () => {
  let project: TempProject;
  beforeEach(() => {
    project = new TempProject({ 'template.yaml': IPV4_ONLY, 'infra/main.tf': TERRAFORM });
  });
  afterEach(() => project.remove());

  it('migrates in place, says per VPC what it added, exits 0, and a second run changes nothing', async () => {
    const result = await project.run(['migrate', 'template.yaml']);
    assert.equal(result.err, '');
    assert.equal(result.out, [...ADDED, 'Migrated 1 VPC.'].join('\n'));
    assert.equal(result.code, 0);
    assert.equal(project.read('template.yaml'), MIGRATED);
    assert.equal((await project.run(['check', '--fail-on', 'info', 'template.yaml'])).code, 0);
    const again = await project.run(['migrate', 'template.yaml']);
    assert.deepEqual([again.code, again.out], [0, 'No VPC to migrate.']);
    assert.equal(project.read('template.yaml'), MIGRATED);
  });

  it('migrates a Terraform folder with count subnets', async () => {
    const result = await project.run(['migrate', 'infra']);
    assert.equal(result.code, 0);
    assert.equal(project.read('infra/main.tf'), read('test/fixtures/migration/terraform-resources.tf.txt'));
  });

  it('prints a unified diff with --dry-run and writes nothing', async () => {
    const result = await project.run(['migrate', '--dry-run', 'template.yaml']);
    assert.equal(result.code, 0);
    assert.match(result.out, /^template\.yaml: would migrate VPC Vpc to dual-stack:\n/);
    assert.match(result.out, /\n\+ {2}VpcIpv6CidrBlock:\n\+ {4}Type: AWS::EC2::VPCCidrBlock\n/);
    assert.match(result.out, /\n {7}NatGatewayId: !Ref NatGateway\n \n\+ {2}PrivateRouteTableIpv6DefaultRoute:\n/);
    assert.match(result.out, /\nWould migrate 1 VPC\.$/);
    assert.equal(project.read('template.yaml'), IPV4_ONLY);
  });

  it('--sg-egress https adds TCP 443 only', async () => {
    const text = IPV4_ONLY.replace('        - IpProtocol: tcp\n          FromPort: 443\n          ToPort: 443\n          CidrIp: 0.0.0.0/0', "        - IpProtocol: '-1'\n          CidrIp: 0.0.0.0/0");
    project.write('template.yaml', text);
    assert.equal((await project.run(['migrate', '--sg-egress', 'https', 'template.yaml'])).code, 0);
    assert.match(project.read('template.yaml'), /CidrIp: 0\.0\.0\.0\/0\n {8}- IpProtocol: tcp\n {10}FromPort: 443\n {10}ToPort: 443\n {10}CidrIpv6: '::\/0'\n/);
  });

  it('exits 1 with the reason when a VPC cannot be migrated, and writes nothing', async () => {
    // The subnet's VPC is another stack's export: IPV6M001 fires, the migration cannot name the VPC.
    const foreign = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !ImportValue SharedVpcId, CidrBlock: 10.1.0.0/24}
  Nat:
    Type: AWS::EC2::NatGateway
    Properties: {SubnetId: subnet-0123, AllocationId: eipalloc-0123}
  Table:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !ImportValue SharedVpcId}
  Default:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref Table, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat}
  Assoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref Subnet, RouteTableId: !Ref Table}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      VpcConfig: {SubnetIds: [!Ref Subnet], SecurityGroupIds: [sg-0123]}
`;
    project.write('foreign.yaml', foreign);
    const result = await project.run(['migrate', 'foreign.yaml']);
    assert.equal(result.code, 1);
    assert.equal(
      result.err,
      'foreign.yaml: cannot migrate Fn: Fn cannot be migrated here: the VPC of subnet Subnet comes from imported value SharedVpcId. Give the VPC an IPv6 block where it is defined, or define the VPC in this scope.',
    );
    assert.match(result.out, /^No VPC to migrate\.\nRemaining:\nforeign\.yaml:\d+:\d+ info IPV6M001 /);
    assert.equal(project.read('foreign.yaml'), foreign);
  });

  it('migrates a VPC from a parameter by reference and says what the reviewer must check', async () => {
    project.write('shared.yaml', read('examples/cloudformation/ipv4-only-vpc-parameter.yaml'));
    const result = await project.run(['migrate', 'shared.yaml']);
    assert.deepEqual([result.code, result.err], [0, '']);
    assert.equal(
      result.out,
      [
        'shared.yaml: migrated VPC VpcId to dual-stack:',
        '  + parameter VpcIdIpv6CidrBlock for the IPv6 block VPC VpcId already has',
        '  + IPv6 /64 on subnet PrivateSubnetA',
        '  + IPv6 /64 on subnet PrivateSubnetB',
        '  + egress-only internet gateway for VPC VpcId',
        '  + ::/0 → egress-only internet gateway in route table PrivateRouteTable',
        '  + Ipv6AllowedForDualStack on OrdersApiFunction',
        '  + IPv6 egress on security group FunctionSecurityGroup',
        '  ! VPC VpcId must already have an IPv6 block, passed as parameter VpcIdIpv6CidrBlock',
        '  ! a second egress-only internet gateway if VPC VpcId has one already',
        'Migrated 1 VPC.',
      ].join('\n'),
    );
    assert.equal(project.read('shared.yaml'), read('test/fixtures/migration/ipv4-only-vpc-parameter.yaml'));
  });

  it('exits 2 on a bad option', async () => {
    const result = await project.run(['migrate', '--sg-egress', 'udp']);
    assert.equal(result.code, 2);
    assert.match(result.err, /--sg-egress must be all or https, not 'udp'/);
  });
});
