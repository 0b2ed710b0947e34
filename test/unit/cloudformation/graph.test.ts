import * as assert from 'node:assert/strict';
import type { LambdaFunction, ResourceGraph } from '../../../src/core/model/graph';
import { unknown } from '../../../src/core/model/graph';
import { fixture, parse, span } from './helpers';

function graphOf(text: string, path = 'template.yaml'): ResourceGraph {
  const parsed = parse(text, path);
  assert.deepEqual(parsed.skipped, []);
  return parsed.graph;
}

function fn(graph: ResourceGraph, key: string): LambdaFunction {
  const found = graph.functions.find((candidate) => candidate.key === key);
  assert.ok(found, `function ${key}`);
  return found;
}

const NETWORK = `
Parameters:
  PrivateSubnets:
    Type: List<AWS::EC2::Subnet::Id>
  SubnetParam:
    Type: AWS::EC2::Subnet::Id
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24}
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: sg, VpcId: !Ref Vpc}
`;

function functionWith(vpcConfig: string, extraResources = ''): LambdaFunction {
  const text = `${NETWORK}${extraResources}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      VpcConfig: ${vpcConfig}
`;
  return fn(graphOf(text), 'Fn');
}

describe('CloudFormation graph', () => {
  describe('the NAT-only template', () => {
    const graph = graphOf(fixture('nat-only.yaml'), 'nat-only.yaml');

    it('reads the VPC as IPv6 through its AWS::EC2::VPCCidrBlock', () => {
      assert.deepEqual(graph.vpcs, [{ key: 'Vpc', name: 'Vpc', kind: 'vpc', ipv6: true, loc: { file: 'nat-only.yaml', range: { start: { line: 4, character: 2 }, end: { line: 4, character: 5 } } } }]);
    });

    it('reads each subnet with its VPC, CIDRs and the key scalar as its location', () => {
      assert.deepEqual(
        graph.subnets.map((subnet) => [subnet.key, subnet.vpc, subnet.ipv4, subnet.ipv6, subnet.ipv6Native, subnet.ipv4Cidr, span(subnet.loc?.range)]),
        [
          ['PublicSubnet', 'Vpc', true, true, false, '10.0.0.0/24', '15:2-15:14'],
          ['PrivateSubnetA', 'Vpc', true, true, false, '10.0.1.0/24', '23:2-23:16'],
          ['PrivateSubnetB', 'Vpc', true, true, false, '10.0.2.0/24', '31:2-31:16'],
        ],
      );
    });

    it('reads gateways with their VPCs: the NAT through its subnet, the internet gateway through its attachment', () => {
      assert.deepEqual(
        graph.gateways.map((gateway) => [gateway.kind, gateway.key, gateway.vpc]),
        [
          ['nat', 'NatGateway', 'Vpc'],
          ['igw', 'InternetGateway', 'Vpc'],
        ],
      );
    });

    it('reads the route table, its route and the associations', () => {
      assert.deepEqual(graph.routeTables.map((table) => [table.key, table.vpc, table.main]), [['PrivateRouteTable', 'Vpc', false]]);
      assert.deepEqual(graph.routes, [
        {
          key: 'PrivateDefaultRoute',
          loc: { file: 'nat-only.yaml', range: { start: { line: 64, character: 2 }, end: { line: 64, character: 21 } } },
          table: 'PrivateRouteTable',
          destination: '0.0.0.0/0',
          target: { kind: 'nat', gateway: 'NatGateway' },
        },
      ]);
      assert.deepEqual(
        graph.associations.map((association) => [association.key, association.subnet, association.table]),
        [
          ['PrivateSubnetARouteTable', 'PrivateSubnetA', 'PrivateRouteTable'],
          ['PrivateSubnetBRouteTable', 'PrivateSubnetB', 'PrivateRouteTable'],
        ],
      );
    });

    it('reads the security group egress list rule by rule', () => {
      assert.deepEqual(graph.securityGroups.map((group) => [group.key, group.vpc]), [['FunctionSecurityGroup', 'Vpc']]);
      assert.deepEqual(graph.securityGroups[0].egress, [
        { loc: { file: 'nat-only.yaml', range: { start: { line: 89, character: 10 }, end: { line: 90, character: 27 } } }, protocol: '-1', ipv4Cidrs: ['0.0.0.0/0'], ipv6Cidrs: [] },
      ]);
    });

    it('reads a function without the flag, with its VPC config and security-group locations', () => {
      const orders = fn(graph, 'OrdersFunction');
      assert.equal(orders.hasVpcConfig, true);
      assert.equal(orders.ipv6Flag, undefined);
      assert.equal(orders.flagLoc, undefined);
      assert.deepEqual(orders.subnets, ['PrivateSubnetA', 'PrivateSubnetB']);
      assert.deepEqual(orders.securityGroups, ['FunctionSecurityGroup']);
      assert.equal(span(orders.loc?.range), '93:2-93:16');
      assert.equal(span(orders.vpcConfigLoc?.range), '101:6-101:15');
      assert.equal(span(orders.securityGroupsLoc?.range), '105:8-105:24');
    });

    it('reports the flag as the whole key: value pair and resolves GetAtt GroupId to the group', () => {
      const billing = fn(graph, 'BillingFunction');
      assert.equal(billing.ipv6Flag, true);
      assert.equal(span(billing.flagLoc?.range), '122:8-122:37');
      assert.deepEqual(billing.securityGroups, ['FunctionSecurityGroup']);
    });
  });

  describe('SAM Globals', () => {
    const graph = graphOf(fixture('sam-globals.yaml'), 'sam-globals.yaml');

    it('gives a function without VpcConfig the Globals one, located in Globals', () => {
      const reports = fn(graph, 'ReportsFunction');
      assert.equal(reports.hasVpcConfig, true);
      assert.deepEqual(reports.subnets, ['SubnetA']);
      assert.deepEqual(reports.securityGroups, ['FunctionSecurityGroup']);
      assert.equal(span(reports.vpcConfigLoc?.range), '7:8-7:17');
      assert.equal(span(reports.securityGroupsLoc?.range), '10:12-10:28');
    });

    it('concatenates Globals and function lists, merges the maps and keeps the function flag where it is written', () => {
      const exporter = fn(graph, 'ExportFunction');
      assert.deepEqual(exporter.subnets, ['SubnetA', 'SubnetB']);
      assert.deepEqual(exporter.securityGroups, ['FunctionSecurityGroup']);
      assert.equal(exporter.ipv6Flag, true);
      assert.equal(span(exporter.vpcConfigLoc?.range), '51:12-51:21');
      assert.equal(span(exporter.flagLoc?.range), '51:51-51:80');
      assert.equal(span(exporter.securityGroupsLoc?.range), '10:12-10:28');
    });

    it('does not apply Globals.Function to AWS::Lambda::Function', () => {
      const text = `Globals:\n  Function:\n    VpcConfig: {SubnetIds: [subnet-1]}\nResources:\n  Plain:\n    Type: AWS::Lambda::Function\n    Properties: {Handler: x}\n`;
      const plain = fn(graphOf(text), 'Plain');
      assert.equal(plain.hasVpcConfig, false);
      assert.deepEqual(plain.subnets, []);
    });

    it('points the flag at Globals when that is where it is written', () => {
      const text = `Globals:\n  Function:\n    VpcConfig:\n      Ipv6AllowedForDualStack: false\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      VpcConfig:\n        SubnetIds: [subnet-1]\n`;
      const f = fn(graphOf(text), 'F');
      assert.equal(f.ipv6Flag, false);
      assert.equal(span(f.flagLoc?.range), '3:6-3:36');
      assert.equal(span(f.vpcConfigLoc?.range), '8:6-8:15');
    });
  });

  describe('references', () => {
    it('leaves a whole subnet list from a parameter unknown, naming the parameter', () => {
      assert.deepEqual(functionWith('{SubnetIds: !Ref PrivateSubnets}').subnets, unknown('parameter PrivateSubnets'));
    });

    it('resolves each entry on its own: resource, parameter, literal id, import', () => {
      const f = functionWith('{SubnetIds: [!Ref Subnet, !Ref SubnetParam, subnet-123, !ImportValue Shared-Subnet]}');
      assert.deepEqual(f.subnets, [
        'Subnet',
        unknown('parameter SubnetParam'),
        unknown('subnet-123 (an id not defined in this template)'),
        unknown('imported value Shared-Subnet'),
      ]);
    });

    it('accepts every intrinsic spelling: short and long Ref, GetAtt dotted and as a list, Sub of one name', () => {
      const f = functionWith('{SubnetIds: [{Ref: Subnet}, !GetAtt Subnet.SubnetId, !GetAtt [Subnet, SubnetId], {"Fn::GetAtt": [Subnet, SubnetId]}, !Sub "${Subnet}"]}');
      assert.deepEqual(f.subnets, ['Subnet', 'Subnet', 'Subnet', 'Subnet', 'Subnet']);
    });

    it('resolves an Fn::If whose branches agree and leaves disagreeing branches unknown', () => {
      const f = functionWith('{SubnetIds: [!If [Prod, !Ref Subnet, !Ref Subnet], !If [Prod, !Ref Subnet, !Ref SubnetParam]]}');
      assert.deepEqual(f.subnets, ['Subnet', unknown('condition Prod')]);
    });

    it('does not take a reference to a resource of another type as a subnet', () => {
      assert.deepEqual(functionWith('{SubnetIds: [!Ref Sg]}').subnets, [unknown('Sg is a AWS::EC2::SecurityGroup')]);
    });

    it('turns wrong types into unknowns instead of failing', () => {
      const f = functionWith('{SubnetIds: 42, SecurityGroupIds: [!Ref Sg], Ipv6AllowedForDualStack: "yes"}');
      assert.deepEqual(f.subnets, unknown('SubnetIds is not a list'));
      assert.deepEqual(f.ipv6Flag, unknown('Ipv6AllowedForDualStack is "yes", not true or false'));
      assert.equal(f.hasVpcConfig, true);
    });

    it('reads a flag from a parameter as unknown and the string "true" as true', () => {
      assert.deepEqual(functionWith('{SubnetIds: [!Ref Subnet], Ipv6AllowedForDualStack: !Ref EnableIpv6}').ipv6Flag, unknown('parameter EnableIpv6'));
      assert.equal(functionWith('{SubnetIds: [!Ref Subnet], Ipv6AllowedForDualStack: "true"}').ipv6Flag, true);
    });

    it('treats empty lists as no VPC config and a VpcConfig expression as unknown', () => {
      const empty = functionWith('{SubnetIds: [], SecurityGroupIds: [], Ipv6AllowedForDualStack: true}');
      assert.equal(empty.hasVpcConfig, false);
      assert.deepEqual(empty.subnets, []);
      const conditional = functionWith('!If [UseVpc, {SubnetIds: [!Ref Subnet]}, !Ref AWS::NoValue]');
      assert.deepEqual(conditional.hasVpcConfig, unknown('VpcConfig is an Fn::If'));
      assert.deepEqual(conditional.subnets, unknown('VpcConfig is an Fn::If'));
    });
  });

  describe('subnets', () => {
    function subnet(properties: string) {
      const graph = graphOf(`Parameters:\n  V6:\n    Type: String\nResources:\n  S:\n    Type: AWS::EC2::Subnet\n    Properties: ${properties}\n`);
      return graph.subnets[0];
    }

    it('counts an IPv6 CIDR from a parameter or an expression as present', () => {
      assert.equal(subnet('{CidrBlock: 10.0.0.0/24, Ipv6CidrBlock: !Ref V6}').ipv6, true);
      assert.equal(subnet('{Ipv4IpamPoolId: pool, Ipv6IpamPoolId: pool6}').ipv4, true);
      assert.equal(subnet('{CidrBlock: 10.0.0.0/24, Ipv6CidrBlocks: [!Ref V6]}').ipv6, true);
    });

    it('knows an absent IPv6 CIDR is absent and one that may be AWS::NoValue is unknown', () => {
      assert.equal(subnet('{CidrBlock: 10.0.0.0/24}').ipv6, false);
      assert.deepEqual(subnet('{CidrBlock: 10.0.0.0/24, Ipv6CidrBlock: !If [V6On, !Ref V6, !Ref AWS::NoValue]}').ipv6, unknown('condition V6On'));
    });

    it('reads Ipv6Native', () => {
      const native = subnet('{Ipv6Native: true, Ipv6CidrBlock: !Ref V6}');
      assert.deepEqual([native.ipv4, native.ipv6, native.ipv6Native], [false, true, true]);
    });

    it('leaves the VPC of a subnet in an imported VPC unknown', () => {
      assert.deepEqual(subnet('{VpcId: !ImportValue Network-Vpc, CidrBlock: 10.0.0.0/24}').vpc, unknown('imported value Network-Vpc'));
    });
  });

  describe('routes and gateways', () => {
    const text = `Parameters:
  Table:
    Type: String
  Gw:
    Type: String
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  Rt: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}
  Igw: {Type: AWS::EC2::InternetGateway}
  Vgw: {Type: AWS::EC2::VPNGateway, Properties: {Type: ipsec.1}}
  Eigw: {Type: AWS::EC2::EgressOnlyInternetGateway, Properties: {VpcId: !Ref Vpc}}
  ToIgw: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref Rt, DestinationIpv6CidrBlock: '::/0', GatewayId: !Ref Igw}}
  ToVgw: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref Rt, DestinationCidrBlock: 192.168.0.0/16, GatewayId: !Ref Vgw}}
  ToEigw: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref Rt, DestinationIpv6CidrBlock: '2600:1F00::/40', EgressOnlyInternetGatewayId: !GetAtt Eigw.Id}}
  ToPeer: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref Table, DestinationCidrBlock: 172.16.0.0/12, VpcPeeringConnectionId: pcx-1}}
  ToParamGw: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref Rt, DestinationCidrBlock: !Ref Gw, GatewayId: !Ref Gw}}
`;
    const graph = graphOf(text);

    it('classifies targets: internet gateway, VPN gateway as other, egress-only gateway, peering as other, parameter unknown', () => {
      assert.deepEqual(
        graph.routes.map((route) => [route.key, route.table, route.destination, route.target]),
        [
          ['ToIgw', 'Rt', '::/0', { kind: 'igw', gateway: 'Igw' }],
          ['ToVgw', 'Rt', '192.168.0.0/16', { kind: 'other' }],
          ['ToEigw', 'Rt', '2600:1f00::/40', { kind: 'eigw', gateway: 'Eigw' }],
          ['ToPeer', '(parameter Table)', '172.16.0.0/12', { kind: 'other' }],
          ['ToParamGw', 'Rt', unknown('DestinationCidrBlock is an expression'), unknown('parameter Gw')],
        ],
      );
    });

    it('leaves an internet gateway without an attachment in an unknown VPC', () => {
      assert.deepEqual(
        graph.gateways.map((gateway) => [gateway.key, gateway.vpc]),
        [
          ['Igw', unknown('Igw is not attached to a VPC in this template')],
          ['Eigw', 'Vpc'],
        ],
      );
    });
  });

  describe('security groups', () => {
    function groups(resources: string) {
      return graphOf(`Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n${resources}`).securityGroups;
    }

    it('leaves a group without SecurityGroupEgress (AWS default egress) unknown, even with standalone rules', () => {
      const [group] = groups(`    Properties: {GroupDescription: d}\n  Rule:\n    Type: AWS::EC2::SecurityGroupEgress\n    Properties: {GroupId: !Ref Sg, IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIpv6: '::/0'}\n`);
      assert.deepEqual(group.egress, unknown('AWS default egress (no SecurityGroupEgress)'));
    });

    it('adds standalone AWS::EC2::SecurityGroupEgress rules to the group they name by Ref or GetAtt GroupId', () => {
      const [group] = groups(
        `    Properties:\n      GroupDescription: d\n      SecurityGroupEgress: [{IpProtocol: '6', FromPort: '443', ToPort: 443, CidrIp: 10.0.0.0/8}]\n  Rule:\n    Type: AWS::EC2::SecurityGroupEgress\n    Properties: {GroupId: !GetAtt Sg.GroupId, IpProtocol: -1, CidrIpv6: '::/0', DestinationPrefixListId: pl-1}\n`,
      );
      assert.deepEqual(group.egress, [
        { loc: { file: 'template.yaml', range: { start: { line: 5, character: 28 }, end: { line: 5, character: 95 } } }, protocol: 'tcp', fromPort: 443, toPort: 443, ipv4Cidrs: ['10.0.0.0/8'], ipv6Cidrs: [] },
        { loc: { file: 'template.yaml', range: { start: { line: 6, character: 2 }, end: { line: 6, character: 6 } } }, protocol: '-1', ipv4Cidrs: [], ipv6Cidrs: ['::/0'], otherTargets: true },
      ]);
    });

    it('makes every group unknown when a standalone rule may belong to any of them', () => {
      const [group] = groups(`    Properties:\n      GroupDescription: d\n      SecurityGroupEgress: [{IpProtocol: -1, CidrIp: 0.0.0.0/0}]\n  Other:\n    Type: AWS::EC2::SecurityGroup\n    Properties: {GroupDescription: d}\n  Rule:\n    Type: AWS::EC2::SecurityGroupEgress\n    Properties: {GroupId: !If [C, !Ref Sg, !Ref Other], IpProtocol: -1, CidrIpv6: '::/0'}\n`);
      assert.deepEqual(group.egress, unknown('egress rule Rule (condition C)'));
    });

    it('keeps an empty SecurityGroupEgress as AWS default egress', () => {
      const [group] = groups(`    Properties: {GroupDescription: d, SecurityGroupEgress: []}\n`);
      assert.deepEqual(group.egress, unknown('AWS default egress (no SecurityGroupEgress)'));
    });
  });

  describe('JSON', () => {
    const graph = graphOf(fixture('nat-route.json'), 'nat-route.json');

    it('reads the same graph from JSON, with ranges from node offsets', () => {
      const route = graph.routes.find((candidate) => candidate.key === 'PrivateIpv6Route');
      assert.deepEqual(route, {
        key: 'PrivateIpv6Route',
        loc: { file: 'nat-route.json', range: { start: { line: 53, character: 8 }, end: { line: 53, character: 26 } } },
        table: 'PrivateRouteTable',
        destination: '::/0',
        target: { kind: 'nat', gateway: 'NatGateway' },
      });
      assert.deepEqual(
        graph.subnets.map((subnet) => [subnet.key, subnet.ipv4, subnet.ipv6]),
        [
          ['PublicSubnet', true, false],
          ['PrivateSubnet', true, true],
        ],
      );
    });

    it('reads a literal security group id as unknown and the flag pair with its quotes', () => {
      const worker = fn(graph, 'Worker');
      assert.deepEqual(worker.securityGroups, [unknown('sg-0123456789abcdef0 (an id not defined in this template)')]);
      assert.equal(span(worker.flagLoc?.range), '78:20-78:51');
      assert.equal(span(worker.vpcConfigLoc?.range), '75:16-75:27');
    });

    it('reads Metadata ipv6-lambda ignore into the element', () => {
      assert.deepEqual(fn(graph, 'Worker').ignore, ['IPV6L002']);
    });
  });

  it('reads Metadata ignore in YAML, one id or a list', () => {
    const graph = graphOf(`Resources:\n  R:\n    Type: AWS::EC2::Route\n    Metadata:\n      ipv6-lambda:\n        ignore: IPV6N001\n    Properties: {RouteTableId: rtb-1}\n`);
    assert.deepEqual(graph.routes[0].ignore, ['IPV6N001']);
  });

  it('measures characters in UTF-16 code units, as editors do', () => {
    const line = '  Fn: {Type: AWS::Lambda::Function, Metadata: {Note: "🚀 déjà"}, Properties: {VpcConfig: {SubnetIds: []}}}';
    const f = fn(graphOf(`Resources:\n${line}\n`), 'Fn');
    assert.equal(span(f.vpcConfigLoc?.range), `1:${line.indexOf('VpcConfig')}-1:${line.indexOf('VpcConfig') + 9}`);
    assert.equal(line.indexOf('VpcConfig'), 78);
  });

  it('follows YAML anchors and aliases', () => {
    const text = `Resources:\n  Subnet:\n    Type: AWS::EC2::Subnet\n    Properties: {CidrBlock: 10.0.0.0/24}\n  A:\n    Type: AWS::Lambda::Function\n    Properties:\n      VpcConfig: &vpc {SubnetIds: [!Ref Subnet]}\n  B:\n    Type: AWS::Lambda::Function\n    Properties:\n      VpcConfig: *vpc\n`;
    assert.deepEqual(fn(graphOf(text), 'B').subnets, ['Subnet']);
  });
});
