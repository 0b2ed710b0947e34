/**
 * The migration of an IPv4-only NAT design to dual-stack, per format, on the IPv4-only examples:
 * the exact resulting text, and for every case: it analyses clean, re-parses, a second migration
 * changes nothing, the NAT route stays, the IPv6 indexes are distinct.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeParsed } from '../../../src/core/analysis/analyze';
import { migrateUnit, migrateVpc } from '../../../src/core/migration/migrate';
import { isKnown } from '../../../src/core/model/graph';
import type { AnalysisUnit, SourceFormat } from '../../../src/core/model/source';
import { parseUnit } from '../../../src/core/parse';

const ROOT = path.resolve(__dirname, '../../..');

function read(relative: string): string {
  return readFileSync(path.join(ROOT, relative), 'utf8');
}

function unitOf(format: SourceFormat, file: string, text = read(file)): AnalysisUnit {
  return { format, files: [{ path: file, text }] };
}

interface Case {
  format: SourceFormat;
  example: string;
  expected: string;
  added: string[];
}

/** The CloudFormation examples share one network: what their migration adds differs only by the function that gets the flag. */
function cloudFormationAdded(flagOn: string): string[] {
  return [
    'IPv6 block for VPC Vpc',
    'IPv6 /64 on subnet PrivateSubnetA',
    'IPv6 /64 on subnet PrivateSubnetB',
    'egress-only internet gateway for VPC Vpc',
    '::/0 → egress-only internet gateway in route table PrivateRouteTable',
    `Ipv6AllowedForDualStack on ${flagOn}`,
    'IPv6 egress on security group FunctionSecurityGroup',
  ];
}

const CDK_ADDED = ['IPv6 block for VPC Vpc', 'Ipv6AllowedForDualStack on OrdersApi', 'Ipv6AllowedForDualStack on BillingWorker', 'IPv6 egress on security group BillingGroup'];

const CASES: Case[] = [
  {
    format: 'cloudformation',
    example: 'examples/cloudformation/ipv4-only.yaml',
    expected: 'ipv4-only.yaml',
    added: cloudFormationAdded('OrdersApiFunction'),
  },
  {
    format: 'cloudformation',
    example: 'examples/cloudformation/ipv4-only.json',
    expected: 'ipv4-only.json',
    added: cloudFormationAdded('OrdersApiFunction'),
  },
  {
    format: 'cloudformation',
    example: 'examples/cloudformation/sam-ipv4-only.yaml',
    expected: 'sam-ipv4-only.yaml',
    added: cloudFormationAdded('ImageResizerFunction'),
  },
  {
    format: 'cloudformation',
    example: 'examples/cloudformation/ipv4-only-vpc-parameter.yaml',
    expected: 'ipv4-only-vpc-parameter.yaml',
    added: [
      'parameter VpcIdIpv6CidrBlock for the IPv6 block VPC VpcId already has',
      'IPv6 /64 on subnet PrivateSubnetA',
      'IPv6 /64 on subnet PrivateSubnetB',
      'egress-only internet gateway for VPC VpcId',
      '::/0 → egress-only internet gateway in route table PrivateRouteTable',
      'Ipv6AllowedForDualStack on OrdersApiFunction',
      'IPv6 egress on security group FunctionSecurityGroup',
    ],
  },
  {
    format: 'terraform',
    example: 'examples/terraform/ipv4-only/main.tf',
    expected: 'terraform-resources.tf.txt',
    added: [
      'IPv6 block for VPC aws_vpc.main',
      'IPv6 /64 on subnet aws_subnet.private',
      'egress-only internet gateway for VPC aws_vpc.main',
      '::/0 → egress-only internet gateway in route table aws_route_table.private',
      'Ipv6AllowedForDualStack on aws_lambda_function.orders_api',
      'IPv6 egress on security group aws_security_group.lambda',
    ],
  },
  {
    format: 'terraform',
    example: 'examples/terraform/ipv4-only-vpc-variable/main.tf',
    expected: 'terraform-vpc-variable.tf.txt',
    added: [
      'IPv6 block for VPC var.vpc_id',
      'IPv6 /64 on subnet aws_subnet.private',
      'egress-only internet gateway for VPC var.vpc_id',
      '::/0 → egress-only internet gateway in route table aws_route_table.private',
      'Ipv6AllowedForDualStack on aws_lambda_function.orders_api',
      'IPv6 egress on security group aws_security_group.lambda',
    ],
  },
  {
    format: 'terraform',
    example: 'examples/terraform/ipv4-only-modules/main.tf',
    expected: 'terraform-modules.tf.txt',
    added: [
      'IPv6 block for VPC module.vpc',
      'IPv6 /64 on subnet module.vpc.private_subnets',
      'Ipv6AllowedForDualStack on module.image_resizer',
      'IPv6 egress on security group aws_security_group.image_resizer',
    ],
  },
  {
    format: 'serverless',
    example: 'examples/serverless/serverless.yml',
    expected: 'serverless.yml',
    // One flag at the provider's vpc serves both functions.
    added: cloudFormationAdded('ordersApi'),
  },
  {
    format: 'cdk-typescript',
    example: 'examples/cdk/ipv4-only-stack.ts',
    expected: 'ipv4-only-stack.ts.txt',
    added: CDK_ADDED,
  },
  {
    format: 'cdk-python',
    example: 'examples/cdk/ipv4_only_stack.py',
    expected: 'ipv4_only_stack.py.txt',
    added: CDK_ADDED,
  },
];

describe('Migration to dual-stack', () => {
  for (const { format, example, expected, added } of CASES) {
    describe(`${format}: ${example}`, () => {
      it('starts as an IPv4-only NAT design: IPV6M001 and nothing else', async () => {
        const findings = analyzeParsed(await parseUnit(unitOf(format, example)));
        assert.ok(findings.length > 0);
        assert.deepEqual(new Set(findings.map((finding) => finding.rule)), new Set(['IPV6M001']));
      });

      it('writes exactly the expected text and says what it added', async () => {
        const result = await migrateUnit(unitOf(format, example));
        assert.deepEqual(result.refused, []);
        assert.deepEqual(result.migrated.map((migration) => migration.added), [added]);
        assert.equal(result.files.get(example), read(`test/fixtures/migration/${expected}`));
      });

      it('re-parses, analyses clean, keeps the NAT route, and a second migration changes nothing', async () => {
        const after = unitOf(format, example, read(`test/fixtures/migration/${expected}`));
        const parsed = await parseUnit(after);
        assert.deepEqual(parsed.skipped, []);
        assert.deepEqual(analyzeParsed(parsed), []);
        const natRoutes = parsed.graph.routes.filter((route) => route.destination === '0.0.0.0/0' && isKnown(route.target) && route.target.kind === 'nat');
        assert.ok(natRoutes.length >= 1, 'the 0.0.0.0/0 → NAT route stays');
        assert.ok(parsed.graph.functions.every((fn) => fn.ipv6Flag === true));
        const again = await migrateUnit(after);
        assert.equal(again.files.size, 0);
        assert.deepEqual(again.migrated, []);
        assert.deepEqual(again.refused, []);
      });
    });
  }

  it('CloudFormation: distinct !Select indexes and DependsOn on the VPCCidrBlock for every new subnet /64', () => {
    for (const name of ['ipv4-only.yaml', 'sam-ipv4-only.yaml']) {
      const text = read(`test/fixtures/migration/${name}`);
      const indexes = [...text.matchAll(/Ipv6CidrBlock: !Select \[(\d+),/g)].map((match) => Number(match[1]));
      assert.deepEqual(indexes, [0, 1]);
      assert.equal([...text.matchAll(/DependsOn: VpcIpv6CidrBlock/g)].length, 2);
    }
    const json = JSON.parse(read('test/fixtures/migration/ipv4-only.json')) as { Resources: Record<string, { DependsOn?: string; Properties: Record<string, unknown> }> };
    for (const [id, index] of [['PrivateSubnetA', 0], ['PrivateSubnetB', 1]] as const) {
      const subnet = json.Resources[id];
      assert.equal(subnet.DependsOn, 'VpcIpv6CidrBlock');
      assert.deepEqual(subnet.Properties.Ipv6CidrBlock, { 'Fn::Select': [index, { 'Fn::Cidr': [{ 'Fn::Select': [0, { 'Fn::GetAtt': ['Vpc', 'Ipv6CidrBlocks'] }] }, 256, 64] }] });
    }
    assert.deepEqual(json.Resources.VpcIpv6CidrBlock, { Type: 'AWS::EC2::VPCCidrBlock', Properties: { VpcId: { Ref: 'Vpc' }, AmazonProvidedIpv6CidrBlock: true } });
  });

  it('CloudFormation VPC from a parameter: reused by !Ref, subnets /64s of a parameter for its block, the caveats in the title', async () => {
    const example = 'examples/cloudformation/ipv4-only-vpc-parameter.yaml';
    const migration = await migrateVpc(unitOf('cloudformation', example), 'VpcId');
    assert.equal(
      migration.title,
      'Migrate VPC VpcId (parameter VpcId) to dual-stack: VPC VpcId must already have an IPv6 block, passed as parameter VpcIdIpv6CidrBlock; a second egress-only internet gateway if VPC VpcId has one already',
    );
    const text = migration.files!.get(example)!;
    assert.deepEqual([...text.matchAll(/Ipv6CidrBlock: !Select \[(\d+), !Cidr \[!Ref VpcIdIpv6CidrBlock, 256, 64\]\]/g)].map((match) => Number(match[1])), [0, 1]);
    assert.match(text, /\n {2}VpcIdEgressOnlyInternetGateway:\n {4}Type: AWS::EC2::EgressOnlyInternetGateway\n {4}Properties:\n {6}VpcId: !Ref VpcId\n/);
    // No block of its own: CloudFormation cannot read an added block's CIDR (no Ipv6CidrBlock attribute on AWS::EC2::VPCCidrBlock).
    assert.doesNotMatch(text, /AWS::EC2::VPCCidrBlock|DependsOn/);
  });

  it('CloudFormation VPC from a parameter: a VPCCidrBlock already in the template is refused, naming the subnet to write', async () => {
    const text = read('examples/cloudformation/ipv4-only-vpc-parameter.yaml').replace(
      'Resources:\n',
      'Resources:\n  SharedVpcIpv6:\n    Type: AWS::EC2::VPCCidrBlock\n    Properties:\n      VpcId: !Ref VpcId\n      AmazonProvidedIpv6CidrBlock: true\n\n',
    );
    const result = await migrateVpc(unitOf('cloudformation', 't.yaml', text), 'VpcId');
    assert.equal(result.files, undefined);
    assert.equal(result.disabledReason, "subnet PrivateSubnetA cannot get an IPv6 /64 here: write its ipv6 CIDR as a distinct /64 of VPC VpcId's block where the subnet is defined.");
  });

  it('Terraform VPC from a variable: an association by var.vpc_id, the subnets cut from its block, the caveats in the title', async () => {
    const example = 'examples/terraform/ipv4-only-vpc-variable/main.tf';
    const migration = await migrateVpc(unitOf('terraform', example), 'var.vpc_id');
    assert.equal(
      migration.title,
      'Migrate VPC var.vpc_id (variable vpc_id) to dual-stack: adds an Amazon-provided IPv6 block to VPC var.vpc_id, a second one if it has one already; a second egress-only internet gateway if VPC var.vpc_id has one already',
    );
    const parsed = await parseUnit(unitOf('terraform', example, migration.files!.get(example)!));
    assert.deepEqual(parsed.graph.vpcs.map((vpc) => [vpc.key, vpc.ipv6, vpc.reference]), [['var.vpc_id', true, 'variable vpc_id']]);
  });

  it('Terraform VPC from a variable: literal subnets take the first free /64 indexes of the association', async () => {
    const text = read('examples/terraform/ipv4-only-vpc-variable/main.tf')
      .replace(/resource "aws_subnet" "private" \{\n {2}count = length\(local\.azs\)\n\n {2}vpc_id {12}= var\.vpc_id\n {2}availability_zone = local\.azs\[count\.index\]\n {2}cidr_block {8}= [^\n]+\n\}/, `resource "aws_subnet" "a" {
  vpc_id     = var.vpc_id
  cidr_block = "10.0.20.0/24"
}

resource "aws_subnet" "b" {
  vpc_id     = var.vpc_id
  cidr_block = "10.0.21.0/24"
}`)
      .replace(/resource "aws_route_table_association" "private" \{\n {2}count = length\(local\.azs\)\n\n {2}subnet_id {6}= aws_subnet\.private\[count\.index\]\.id\n/, 'resource "aws_route_table_association" "a" {\n  subnet_id      = aws_subnet.a.id\n')
      .replace('aws_subnet.private[*].id', '[aws_subnet.a.id, aws_subnet.b.id]')
      .replace('resource "aws_security_group"', `resource "aws_route_table_association" "b" {
  subnet_id      = aws_subnet.b.id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group"`);
    const result = await migrateUnit(unitOf('terraform', 'main.tf', text));
    assert.deepEqual(result.refused, []);
    const migrated = result.files.get('main.tf')!;
    assert.match(migrated, /cidr_block {6}= "10\.0\.20\.0\/24"\n {2}ipv6_cidr_block = cidrsubnet\(aws_vpc_ipv6_cidr_block_association\.vpc\.ipv6_cidr_block, 8, 0\)\n/);
    assert.match(migrated, /cidr_block {6}= "10\.0\.21\.0\/24"\n {2}ipv6_cidr_block = cidrsubnet\(aws_vpc_ipv6_cidr_block_association\.vpc\.ipv6_cidr_block, 8, 1\)\n/);
    assert.deepEqual(analyzeParsed(await parseUnit(unitOf('terraform', 'main.tf', migrated))), []);
  });

  it('Serverless: the flag goes where the service writes each vpc, at the function level when the function has its own', async () => {
    const providerVpc = '  vpc:\n    securityGroupIds:\n      - !Ref FunctionSecurityGroup\n    subnetIds:\n      - !Ref PrivateSubnetA\n      - !Ref PrivateSubnetB\n';
    const ownVpc = '    vpc:\n      securityGroupIds:\n        - !Ref FunctionSecurityGroup\n      subnetIds:\n        - !Ref PrivateSubnetA\n';
    const text = read('examples/serverless/serverless.yml')
      .replace(providerVpc, '')
      .replace('    handler: index.handler\n', `    handler: index.handler\n${ownVpc}`);
    assert.ok(text.includes(ownVpc) && !text.includes(providerVpc));
    const result = await migrateUnit(unitOf('serverless', 'serverless.yml', text));
    assert.deepEqual(result.refused, []);
    const migrated = result.files.get('serverless.yml')!;
    assert.ok(migrated.includes(`    handler: index.handler\n${ownVpc}      ipv6AllowedForDualStack: true\n  billingWorker:\n    handler: billing.handler\n`));
    assert.ok(migrated.startsWith(text.slice(0, text.indexOf('functions:'))), 'the provider is left as it is');
    assert.deepEqual(analyzeParsed(await parseUnit(unitOf('serverless', 'serverless.yml', migrated))), []);
  });

  it('Terraform count subnets: the IPv6 index mirrors the IPv4 one, so it stays distinct per instance', () => {
    const text = read('test/fixtures/migration/terraform-resources.tf.txt');
    assert.match(text, /cidr_block {8}= cidrsubnet\(aws_vpc\.main\.cidr_block, 8, count\.index \+ 10\)\n {2}ipv6_cidr_block {3}= cidrsubnet\(aws_vpc\.main\.ipv6_cidr_block, 8, count\.index \+ 10\)\n/);
  });

  it('Terraform: a for_each subnet with cidrsubnet(…, each.value) gets the mirrored each.value index', async () => {
    const text = `resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "private" {
  for_each = { a = 10, b = 11 }

  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, each.value)
}

resource "aws_nat_gateway" "main" {
  subnet_id = "subnet-0123"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.main.id
  }
}

resource "aws_route_table_association" "private" {
  for_each = aws_subnet.private

  subnet_id      = each.value.id
  route_table_id = aws_route_table.private.id
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::123456789012:role/worker"

  vpc_config {
    subnet_ids         = [for s in aws_subnet.private : s.id]
    security_group_ids = []
  }
}
`;
    const result = await migrateUnit(unitOf('terraform', 'main.tf', text));
    assert.deepEqual(result.refused, []);
    assert.match(result.files.get('main.tf')!, /cidr_block {6}= cidrsubnet\(aws_vpc\.main\.cidr_block, 8, each\.value\)\n {2}ipv6_cidr_block = cidrsubnet\(aws_vpc\.main\.ipv6_cidr_block, 8, each\.value\)\n/);
  });

  it('Terraform: literal /24 subnets of a literal /16 get their own number as the IPv6 index', async () => {
    const text = read('examples/terraform/ipv4-only/main.tf')
      .replace('cidrsubnet(aws_vpc.main.cidr_block, 8, count.index + 10)', '"10.0.${count.index + 10}.0/24"')
      .replace(/resource "aws_subnet" "private" \{\n {2}count = length\(local\.azs\)\n\n {2}vpc_id {12}= aws_vpc\.main\.id\n {2}availability_zone = local\.azs\[count\.index\]\n {2}cidr_block {8}= "[^"]+"\n\}/, `resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.12.0/24"
}`)
      .replace('aws_subnet.private[count.index].id', 'aws_subnet.private.id')
      .replace('aws_subnet.private[*].id', '[aws_subnet.private.id]');
    const result = await migrateUnit(unitOf('terraform', 'main.tf', text));
    assert.deepEqual(result.refused, []);
    assert.match(result.files.get('main.tf')!, /cidr_block {6}= "10\.0\.12\.0\/24"\n {2}ipv6_cidr_block = cidrsubnet\(aws_vpc\.main\.ipv6_cidr_block, 8, 12\)\n/);
  });

  it('--sg-egress https adds TCP 443 to ::/0 instead of mirroring', async () => {
    const result = await migrateUnit(unitOf('cloudformation', 'examples/cloudformation/ipv4-only.json'), { sgEgress: 'https' });
    const json = JSON.parse(result.files.get('examples/cloudformation/ipv4-only.json')!) as { Resources: Record<string, { Properties: { SecurityGroupEgress?: unknown[] } }> };
    assert.deepEqual(json.Resources.FunctionSecurityGroup.Properties.SecurityGroupEgress, [
      { IpProtocol: '-1', CidrIp: '0.0.0.0/0' },
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv6: '::/0' },
    ]);
  });

  it('--all-subnets also gives the other private subnets of the VPC a /64, each with its own index', async () => {
    const text = read('examples/cloudformation/ipv4-only.yaml').replace(
      '  InternetGateway:\n',
      `  BatchSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.12.0/24

  BatchSubnetRouteTable:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref BatchSubnet
      RouteTableId: !Ref PrivateRouteTable

  InternetGateway:
`,
    );
    const only = await migrateUnit(unitOf('cloudformation', 't.yaml', text));
    assert.doesNotMatch(only.files.get('t.yaml')!, /CidrBlock: 10\.0\.12\.0\/24\n {6}Ipv6CidrBlock/);
    const all = await migrateUnit(unitOf('cloudformation', 't.yaml', text), { allSubnets: true });
    const migrated = all.files.get('t.yaml')!;
    assert.match(migrated, /CidrBlock: 10\.0\.12\.0\/24\n {6}Ipv6CidrBlock: !Select \[2, /);
    assert.deepEqual([...migrated.matchAll(/Ipv6CidrBlock: !Select \[(\d+),/g)].map((match) => Number(match[1])).sort(), [0, 1, 2]);
  });

  describe('refuses with the reason, writing nothing, when something is not in scope', () => {
    it('CloudFormation: subnets from a parameter', async () => {
      const text = read('examples/cloudformation/ipv4-only.yaml')
        .replace('Resources:\n', 'Parameters:\n  ExtraSubnet:\n    Type: AWS::EC2::Subnet::Id\n\nResources:\n')
        .replace('          - !Ref PrivateSubnetB\n', '          - !Ref PrivateSubnetB\n          - !Ref ExtraSubnet\n');
      const parsed = await parseUnit(unitOf('cloudformation', 't.yaml', text));
      // IPV6M001 needs every subnet known: silent here; the action on the VPC explains.
      assert.deepEqual(analyzeParsed(parsed), []);
      const result = await migrateVpc(unitOf('cloudformation', 't.yaml', text), 'Vpc');
      assert.equal(result.files, undefined);
      assert.equal(result.disabledReason, 'a subnet of OrdersApiFunction comes from parameter ExtraSubnet: give it an IPv6 CIDR where it is defined, or name it here.');
    });
  });
});
