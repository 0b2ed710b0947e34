/** IPV6N004 in every format that can turn DNS64 on: exact ranges, exact fixes, and the silences. */
import * as assert from 'node:assert/strict';
import { analyzeParsed } from '../../../src/core/analysis/analyze';
import { applyEdits as applyFileEdits } from '../../../src/core/fixes/fixAll';
import type { Finding } from '../../../src/core/model/findings';
import type { ParsedUnit } from '../../../src/core/model/source';
import { parseCloudFormation } from '../../../src/core/parse/cloudformation';
import { majorVersionRange } from '../../../src/core/parse/terraform/modules';
import { applyEdits, span } from '../cloudformation/helpers';
import { parse as parseTf } from '../terraform/helpers';

function n004(parsed: ParsedUnit): Finding[] {
  assert.deepEqual(parsed.skipped, []);
  return analyzeParsed(parsed).filter((finding) => finding.rule === 'IPV6N004');
}

const cfnNetwork = (subnetExtra: string, extraResources = '', nat = true) => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  VpcIpv6Block:
    Type: AWS::EC2::VPCCidrBlock
    Properties:
      VpcId: !Ref Vpc
      AmazonProvidedIpv6CidrBlock: true
  Private:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
      Ipv6CidrBlock: !Select [1, !Cidr [!Select [0, !GetAtt Vpc.Ipv6CidrBlocks], 256, 64]]
${subnetExtra}${nat ? `  Nat:
    Type: AWS::EC2::NatGateway
    Properties:
      SubnetId: !Ref Private
` : ''}  Eigw:
    Type: AWS::EC2::EgressOnlyInternetGateway
    Properties:
      VpcId: !Ref Vpc
  Table:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  Ipv6Default:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref Table
      DestinationIpv6CidrBlock: "::/0"
      EgressOnlyInternetGatewayId: !Ref Eigw
${extraResources}  Association:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref Private
      RouteTableId: !Ref Table
`;

describe('IPV6N004: DNS64 without a NAT64 route', () => {
  describe('CloudFormation', () => {
    it('reports EnableDns64 at its key, names subnet and table, and adds the 64:ff9b::/96 route to the NAT gateway', () => {
      const text = cfnNetwork('      EnableDns64: true\n');
      const [finding, ...others] = n004(parseCloudFormation([{ path: 't.yaml', text }]));
      assert.deepEqual(others, []);
      assert.equal(span(finding.loc?.range), '17:6-17:17');
      assert.equal(
        finding.message,
        'Subnet Private has DNS64 on, but route table Table has no 64:ff9b::/96 route to a NAT gateway: names that resolve only to IPv4 get 64:ff9b:: addresses, which leave by ::/0 to egress-only internet gateway Eigw and are dropped.',
      );
      assert.deepEqual(finding.fixes.map((fix) => [fix.title, fix.preferred]), [['Route 64:ff9b::/96 to NAT gateway Nat', true]]);
      const fixed = applyEdits(text, finding.fixes[0].edits);
      assert.ok(fixed.includes('  TableNat64Route:\n    Type: AWS::EC2::Route\n    Properties:\n      RouteTableId: !Ref Table\n      DestinationIpv6CidrBlock: 64:ff9b::/96\n      NatGatewayId: !Ref Nat\n'), fixed);
      assert.deepEqual(n004(parseCloudFormation([{ path: 't.yaml', text: fixed }])), []);
    });

    it('offers, without a NAT gateway in scope, to turn DNS64 off (not preferred)', () => {
      const text = cfnNetwork("      EnableDns64: 'true'\n", '', false);
      const [finding] = n004(parseCloudFormation([{ path: 't.yaml', text }]));
      assert.deepEqual(finding.fixes.map((fix) => [fix.title, fix.preferred]), [['Turn DNS64 off on subnet Private', false]]);
      assert.ok(applyEdits(text, finding.fixes[0].edits).includes("      EnableDns64: 'false'\n"));
    });

    it('reports a JSON template too', () => {
      const json = `{"Resources": {
  "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
  "Private": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.0.1.0/24", "Ipv6CidrBlock": "2600:1f18::/64", "EnableDns64": true}},
  "Eigw": {"Type": "AWS::EC2::EgressOnlyInternetGateway", "Properties": {"VpcId": {"Ref": "Vpc"}}},
  "Table": {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": {"Ref": "Vpc"}}},
  "Default": {"Type": "AWS::EC2::Route", "Properties": {"RouteTableId": {"Ref": "Table"}, "DestinationIpv6CidrBlock": "::/0", "EgressOnlyInternetGatewayId": {"Ref": "Eigw"}}},
  "Association": {"Type": "AWS::EC2::SubnetRouteTableAssociation", "Properties": {"SubnetId": {"Ref": "Private"}, "RouteTableId": {"Ref": "Table"}}}
}}
`;
      const [finding] = n004(parseCloudFormation([{ path: 't.json', text: json }]));
      assert.equal(span(finding.loc?.range), '2:145-2:158');
      assert.ok(applyEdits(json, finding.fixes[0].edits).includes('"EnableDns64": false'));
    });

    it('stays silent with a NAT64 route, without DNS64, with DNS64 from a parameter, or with an unreadable route', () => {
      const nat64 = '  Nat64:\n    Type: AWS::EC2::Route\n    Properties:\n      RouteTableId: !Ref Table\n      DestinationIpv6CidrBlock: 64:ff9b::/96\n      NatGatewayId: !Ref Nat\n';
      const viaTransit = '  Nat64:\n    Type: AWS::EC2::Route\n    Properties:\n      RouteTableId: !Ref Table\n      DestinationIpv6CidrBlock: 64:ff9b::/96\n      TransitGatewayId: tgw-0123\n';
      const unreadable = '  Other:\n    Type: AWS::EC2::Route\n    Properties:\n      RouteTableId: !Ref Table\n      DestinationIpv6CidrBlock: !ImportValue Prefix\n      NatGatewayId: !Ref Nat\n';
      for (const text of [
        cfnNetwork('      EnableDns64: true\n', nat64),
        cfnNetwork('      EnableDns64: true\n', viaTransit),
        cfnNetwork('      EnableDns64: true\n', unreadable),
        cfnNetwork(''),
        cfnNetwork('      EnableDns64: false\n'),
        cfnNetwork('      EnableDns64: !Ref Dns64\n'),
      ]) {
        assert.deepEqual(n004(parseCloudFormation([{ path: 't.yaml', text }])), [], text);
      }
    });
  });

  describe('Terraform', () => {
    const main = (subnetExtra: string, more = '') => `resource "aws_vpc" "main" {
  cidr_block                       = "10.0.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_subnet" "private" {
  vpc_id          = aws_vpc.main.id
  cidr_block      = "10.0.1.0/24"
  ipv6_cidr_block = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)
${subnetExtra}}

resource "aws_nat_gateway" "main" {
  subnet_id = aws_subnet.private.id
}

resource "aws_egress_only_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route" "ipv6_default" {
  route_table_id              = aws_route_table.private.id
  destination_ipv6_cidr_block = "::/0"
  egress_only_gateway_id      = aws_egress_only_internet_gateway.main.id
}
${more}
resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}
`;

    it('reports enable_dns64 at its attribute and adds an aws_route to the NAT gateway', async () => {
      const text = main('  enable_dns64    = true\n');
      const [finding, ...others] = n004(await parseTf({ 'main.tf': text }));
      assert.deepEqual(others, []);
      assert.equal(span(finding.loc?.range), '9:2-9:24');
      assert.deepEqual(finding.fixes.map((fix) => [fix.title, fix.preferred]), [['Route 64:ff9b::/96 to NAT gateway aws_nat_gateway.main', true]]);
      const fixed = applyFileEdits(text, finding.fixes[0].edits);
      assert.ok(
        fixed.includes('resource "aws_route_table" "private" {\n  vpc_id = aws_vpc.main.id\n}\n\nresource "aws_route" "private_nat64" {\n  route_table_id              = aws_route_table.private.id\n  destination_ipv6_cidr_block = "64:ff9b::/96"\n  nat_gateway_id              = aws_nat_gateway.main.id\n}\n'),
        fixed,
      );
      assert.deepEqual(n004(await parseTf({ 'main.tf': fixed })), []);
    });

    it('stays silent with a NAT64 route or without DNS64', async () => {
      const nat64 = '\nresource "aws_route" "nat64" {\n  route_table_id              = aws_route_table.private.id\n  destination_ipv6_cidr_block = "64:ff9b::/96"\n  nat_gateway_id              = aws_nat_gateway.main.id\n}\n';
      assert.deepEqual(n004(await parseTf({ 'main.tf': main('  enable_dns64    = true\n', nat64) })), []);
      assert.deepEqual(n004(await parseTf({ 'main.tf': main('') })), []);
      assert.deepEqual(n004(await parseTf({ 'main.tf': main('  enable_dns64    = var.dns64\n') })), []);
    });
  });

  describe('terraform-aws-modules/vpc', () => {
    const vpcModule = (version: string, extra = '') => `module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
${version}
  cidr                         = "10.0.0.0/16"
  azs                          = ["eu-west-1a", "eu-west-1b"]
  enable_ipv6                  = true
  private_subnets              = ["10.0.1.0/24", "10.0.2.0/24"]
  private_subnet_ipv6_prefixes = [1, 2]
${extra}}
`;

    it('reports the dual-stack shape with DNS64 on by default (version 5) and no NAT64 route, at the module, offering DNS64 off', async () => {
      const text = vpcModule('  version = "~> 5.0"');
      const [finding, ...others] = n004(await parseTf({ 'main.tf': text }));
      assert.deepEqual(others, []);
      assert.equal(finding.subject, 'module.vpc.private_subnets');
      assert.equal(span(finding.loc?.range), '0:0-0:12');
      assert.deepEqual(finding.fixes.map((fix) => [fix.title, fix.preferred]), [['Turn DNS64 off on subnet module.vpc.private_subnets', false]]);
      const fixed = applyFileEdits(text, finding.fixes[0].edits);
      assert.ok(fixed.includes('  private_subnets              = ["10.0.1.0/24", "10.0.2.0/24"]\n  private_subnet_enable_dns64  = false\n'), fixed);
      assert.deepEqual(n004(await parseTf({ 'main.tf': fixed })), []);
    });

    it('reports an explicit private_subnet_enable_dns64 = true at the input', async () => {
      const [finding] = n004(await parseTf({ 'main.tf': vpcModule('', '  private_subnet_enable_dns64 = true\n') }));
      assert.equal(span(finding.loc?.range), '8:2-8:36');
    });

    it('stays silent when the module adds the NAT64 route (enable_nat_gateway), before version 4, without a version, or without the EIGW', async () => {
      for (const text of [
        vpcModule('  version = "5.8.1"', '  enable_nat_gateway = true\n'),
        vpcModule('  version = "~> 3.14"'),
        vpcModule(''),
        vpcModule('  version = ">= 3.0"'),
        vpcModule('  version = "~> 5.0"', '  create_egress_only_igw = false\n'),
        vpcModule('  version = "~> 5.0"', '  private_subnet_enable_dns64 = false\n'),
      ]) {
        assert.deepEqual(n004(await parseTf({ 'main.tf': text })), [], text);
      }
    });

    it('reads the major versions a constraint admits', () => {
      assert.deepEqual(majorVersionRange('~> 5.0'), { lowest: 5, highest: 5 });
      assert.deepEqual(majorVersionRange('5.8.1'), { lowest: 5, highest: 5 });
      assert.deepEqual(majorVersionRange('>= 4.0, < 6.0'), { lowest: 4, highest: 5 });
      assert.deepEqual(majorVersionRange('>= 3.0'), { lowest: 3, highest: Infinity });
      assert.deepEqual(majorVersionRange('< 5.2'), { lowest: 0, highest: 5 });
      assert.equal(majorVersionRange('latest'), undefined);
    });
  });
});
