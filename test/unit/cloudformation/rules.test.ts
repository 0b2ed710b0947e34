import * as assert from 'node:assert/strict';
import { analyzeParsed } from '../../../src/core/analysis/analyze';
import type { Finding } from '../../../src/core/model/findings';
import { parseCloudFormation } from '../../../src/core/parse/cloudformation';
import { applyEdits, fixture, parse, span } from './helpers';

function findings(text: string, path: string): Finding[] {
  const parsed = parse(text, path);
  assert.deepEqual(parsed.skipped, []);
  return analyzeParsed(parsed);
}

/** `RULE subject line:char-line:char` for each finding, in the analyzer's order. */
function summary(text: string, path: string): string[] {
  return findings(text, path).map((finding) => `${finding.rule} ${finding.subject} ${span(finding.loc?.range)}`);
}

const NETWORK = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Subnets:
    Type: List<AWS::EC2::Subnet::Id>
  Table:
    Type: AWS::EC2::RouteTable::Id
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Block:
    Type: AWS::EC2::VPCCidrBlock
    Properties: {VpcId: !Ref Vpc, AmazonProvidedIpv6CidrBlock: true}
  DualStack:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24, Ipv6CidrBlock: !Select [0, !Cidr [!Select [0, !GetAtt Vpc.Ipv6CidrBlocks], 256, 64]]}
  Ipv4Only:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}
  Native:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, Ipv6Native: true, Ipv6CidrBlock: !Select [2, !Cidr [!Select [0, !GetAtt Vpc.Ipv6CidrBlocks], 256, 64]]}
  Igw:
    Type: AWS::EC2::InternetGateway
  Attachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}
  Nat:
    Type: AWS::EC2::NatGateway
    Properties: {SubnetId: !Ref DualStack}
  Private:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  PrivateIpv4:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref Private, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat}
`;

function withResources(resources: string): string {
  return NETWORK + resources;
}

describe('CloudFormation: rules end to end', () => {
  it('NAT-only template: IPV6L001 at VpcConfig, IPV6N002 at the route table, IPV6S001 at SecurityGroupIds', () => {
    assert.deepEqual(summary(fixture('nat-only.yaml'), 'nat-only.yaml'), [
      'IPV6N002 PrivateRouteTable 59:2-59:19',
      'IPV6L001 OrdersFunction 101:6-101:15',
      'IPV6S001 BillingFunction 120:8-120:24',
    ]);
  });

  it('clean dual-stack template: nothing, though a NAT64 route goes to the NAT gateway and a subnet is a parameter', () => {
    assert.deepEqual(summary(fixture('dual-stack.yaml'), 'dual-stack.yaml'), []);
  });

  it('SAM Globals: IPV6L001 at the Globals VpcConfig, IPV6L002 at the flag in the function', () => {
    assert.deepEqual(summary(fixture('sam-globals.yaml'), 'sam-globals.yaml'), ['IPV6L001 ReportsFunction 7:8-7:17', 'IPV6L002 ExportFunction 51:51-51:80']);
  });

  it('JSON: IPV6N001 at the route sending ::/0 to the NAT gateway; Metadata ignore silences IPV6L002', () => {
    assert.deepEqual(summary(fixture('nat-route.json'), 'nat-route.json'), ['IPV6N001 PrivateIpv6Route 53:8-53:26']);
  });

  it('IPV6L003 at the VpcConfig of a function in an IPv6-native subnet', () => {
    const text = withResources(`  Fn:
    Type: AWS::Lambda::Function
    Properties:
      VpcConfig:
        SubnetIds: [!Ref Native]
`);
    assert.deepEqual(summary(text, 't.yaml'), ['IPV6L003 Fn 39:6-39:15']);
  });

  it('IPV6L004 at the flag of a function whose subnet list is empty', () => {
    const text = withResources(`  Fn:
    Type: AWS::Lambda::Function
    Properties:
      VpcConfig:
        SubnetIds: []
        Ipv6AllowedForDualStack: true
`);
    assert.deepEqual(summary(text, 't.yaml'), ['IPV6L004 Fn 41:8-41:37']);
  });

  it('IPV6N003 at a private table route sending ::/0 to the internet gateway', () => {
    const text = withResources(`  PrivateIpv6:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref Private
      DestinationIpv6CidrBlock: ::/0
      GatewayId: !Ref Igw
`);
    assert.deepEqual(summary(text, 't.yaml'), ['IPV6N003 PrivateIpv6 36:2-36:13']);
  });

  it('IPV6N001 fires for any IPv6 prefix to a NAT gateway but not for NAT64 64:ff9b::/96', () => {
    const text = withResources(`  Nat64:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref Private, DestinationIpv6CidrBlock: 64:ff9b::/96, NatGatewayId: !Ref Nat}
  Wrong:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref Private, DestinationIpv6CidrBlock: '2001:db8::/32', NatGatewayId: !Ref Nat}
`);
    assert.deepEqual(summary(text, 't.yaml'), ['IPV6N001 Wrong 39:2-39:7']);
  });

  it('stays silent on what parameters decide: subnets, the route table, the flag', () => {
    const text = withResources(`  FromParameters:
    Type: AWS::Lambda::Function
    Properties:
      VpcConfig:
        SubnetIds: !Ref Subnets
        Ipv6AllowedForDualStack: true
  FlagFromParameter:
    Type: AWS::Lambda::Function
    Properties:
      VpcConfig:
        SubnetIds: [!Ref Ipv4Only]
        Ipv6AllowedForDualStack: !Ref Subnets
  ForeignTableRoute:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref Table, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat}
`);
    assert.deepEqual(summary(text, 't.yaml'), []);
  });

  it('honours a disable-next-line comment above the reported line', () => {
    const text = fixture('nat-only.yaml').replace('      VpcConfig:\n        SubnetIds:\n          - !Ref PrivateSubnetA\n          - !Ref PrivateSubnetB', '      # ipv6-lambda-disable-next-line IPV6L001\n      VpcConfig:\n        SubnetIds:\n          - !Ref PrivateSubnetA\n          - !Ref PrivateSubnetB');
    assert.deepEqual(
      findings(text, 'nat-only.yaml').map((finding) => finding.rule),
      ['IPV6N002', 'IPV6S001'],
    );
  });

  describe('fixes, applied and analysed again', () => {
    const cases: [string, string][] = [
      ['nat-only.yaml', fixture('nat-only.yaml')],
      ['sam-globals.yaml', fixture('sam-globals.yaml')],
      ['nat-route.json', fixture('nat-route.json')],
      ['l004.yaml', withResources(`  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      VpcConfig:\n        SubnetIds: []\n        Ipv6AllowedForDualStack: true\n`)],
      ['n003.yaml', withResources(`  PrivateIpv6:\n    Type: AWS::EC2::Route\n    Properties:\n      RouteTableId: !Ref Private\n      DestinationIpv6CidrBlock: ::/0\n      GatewayId: !Ref Igw\n`)],
      ['l002.yaml', withResources(`  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      VpcConfig: {SubnetIds: [!Ref Ipv4Only], Ipv6AllowedForDualStack: true}\n`)],
    ];
    const id = (finding: Finding) => `${finding.rule} ${finding.subject}`;

    for (const [path, text] of cases) {
      // Turning the flag on can reveal that the function's groups let no IPv6 out: that IPV6S001 is the next step, not a regression.
      const revealedBy = (finding: Finding): string[] => (finding.rule === 'IPV6L001' ? [`IPV6S001 ${finding.subject}`] : []);

      it(`${path}: each preferred fix removes its finding and adds none (beyond the IPV6S001 an IPV6L001 fix may reveal)`, () => {
        const before = findings(text, path);
        const preferred = before.filter((finding) => finding.fixes.some((fix) => fix.preferred));
        assert.ok(preferred.length > 0 || path === 'l002.yaml', 'the case has preferred fixes');
        for (const finding of preferred) {
          const fix = finding.fixes.find((candidate) => candidate.preferred)!;
          const after = findings(applyEdits(text, fix.edits), path).map(id);
          assert.ok(!after.includes(id(finding)), `${id(finding)} is gone`);
          const added = after.filter((entry) => !before.map(id).includes(entry) && !revealedBy(finding).includes(entry));
          assert.deepEqual(added, [], `${id(finding)}: no new finding`);
        }
      });

      it(`${path}: every offered fix leaves a template that parses, without its finding`, () => {
        for (const finding of findings(text, path)) {
          for (const fix of finding.fixes) {
            const after = findings(applyEdits(text, fix.edits), path).map(id);
            assert.ok(!after.includes(id(finding)), `${fix.title}: ${id(finding)} is gone`);
          }
        }
      });

      it(`${path}: fixing everything converges, and a second pass has nothing to apply`, () => {
        let current = text;
        for (let pass = 0; pass < 3; pass++) {
          const created = new Set<string>();
          const edits = findings(current, path).flatMap((finding) => {
            const fix = finding.fixes.find((candidate) => candidate.preferred);
            if (!fix || fix.creates?.some((key) => created.has(key))) return [];
            fix.creates?.forEach((key) => created.add(key));
            return fix.edits;
          });
          if (edits.length === 0) break;
          current = applyEdits(current, edits);
        }
        const remaining = findings(current, path);
        assert.deepEqual(remaining.filter((finding) => finding.fixes.some((fix) => fix.preferred)).map(id), []);
        assert.ok(remaining.every((finding) => ['IPV6L002', 'IPV6L003'].includes(finding.rule)), remaining.map(id).join(', '));
      });
    }
  });
});

describe('IPV6N001/IPV6N002 fixes where the VPC is a parameter', () => {
  const SHARED = fixture('nat-only-vpc-parameter.yaml');
  const EIGW = `  VpcIdEgressOnlyInternetGateway:
    Type: AWS::EC2::EgressOnlyInternetGateway
    Properties:
      VpcId: !Ref VpcId
`;

  it('IPV6N002: the preferred fix adds the EIGW with VpcId: !Ref VpcId, saying a second one may result', () => {
    const [finding] = findings(SHARED, 't.yaml');
    assert.equal(finding.rule, 'IPV6N002');
    const [preferred] = finding.fixes!;
    assert.deepEqual([preferred.title, preferred.preferred], ['Add a ::/0 route to the egress-only internet gateway (a second egress-only internet gateway if VPC VpcId has one already)', true]);
    const fixed = applyEdits(SHARED, preferred.edits);
    assert.equal(
      fixed,
      SHARED.replace(
        '  Association:\n',
        `  TableIpv6DefaultRoute:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref Table
      DestinationIpv6CidrBlock: '::/0'
      EgressOnlyInternetGatewayId: !Ref VpcIdEgressOnlyInternetGateway
  Association:
`,
      ) + EIGW,
    );
    assert.deepEqual(findings(fixed, 't.yaml'), []);
  });

  it('IPV6N001: the preferred fix retargets ::/0 from the NAT gateway to a new EIGW of the parameter VPC', () => {
    const text = SHARED.replace(
      '  Association:\n',
      `  Ipv6Default:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref Table
      DestinationIpv6CidrBlock: '::/0'
      NatGatewayId: !Ref NatGatewayId
  Association:
`,
    );
    const [finding] = findings(text, 't.yaml');
    assert.equal(finding.rule, 'IPV6N001');
    const [preferred] = finding.fixes!;
    assert.equal(preferred.title, 'Route it to the egress-only internet gateway (a second egress-only internet gateway if VPC VpcId has one already)');
    const fixed = applyEdits(text, preferred.edits);
    assert.equal(
      fixed,
      text.replace("      DestinationIpv6CidrBlock: '::/0'\n      NatGatewayId: !Ref NatGatewayId\n", "      DestinationIpv6CidrBlock: '::/0'\n      EgressOnlyInternetGatewayId: !Ref VpcIdEgressOnlyInternetGateway\n") + EIGW,
    );
    assert.deepEqual(findings(fixed, 't.yaml'), []);
  });

  it('the graph has the parameter VPC, declared at the parameter; a parameter a parent stack passes is that value instead', () => {
    const parsed = parse(SHARED, 't.yaml');
    assert.deepEqual(
      parsed.graph.vpcs.map((vpc) => [vpc.key, vpc.reference, vpc.loc && span(vpc.loc.range)]),
      [['VpcId', 'parameter VpcId', '2:2-2:7']],
    );
    assert.equal(parsed.graph.subnets[0].vpc, 'VpcId');
    const parent = `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  App:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./app.yaml
      Parameters: {VpcId: !Ref Vpc, NatGatewayId: nat-0123}
`;
    const nested = parseCloudFormation([{ path: 'parent.yaml', text: parent }, { path: 'app.yaml', text: SHARED }]);
    assert.deepEqual(nested.graph.vpcs.map((vpc) => [vpc.key, vpc.reference]), [['parent.Vpc', undefined]]);
    assert.deepEqual(nested.graph.subnets.map((subnet) => [subnet.key, subnet.vpc]), [['app.Subnet', 'parent.Vpc']]);
  });
});
