import * as assert from 'node:assert/strict';
import type { LambdaFunction, Route, RouteTable, SecurityGroup } from '../../../src/core/model/graph';
import type { EditsWithCreates, FixBuilder } from '../../../src/core/model/fixes';
import type { ParsedUnit } from '../../../src/core/model/source';
import { applyEdits, fixture, parse } from './helpers';

/** Applies what `write` asks of the template's FixBuilder and checks the result still parses. */
function fixed(text: string, path: string, write: (fixes: FixBuilder, parsed: ParsedUnit) => EditsWithCreates | undefined): { text: string; creates?: string[] } {
  const parsed = parse(text, path);
  const written = write(parsed.fixes, parsed);
  assert.ok(written, 'the builder wrote a fix');
  const result = applyEdits(text, written.edits);
  assert.deepEqual(parse(result, path).skipped, [], `the fixed template parses:\n${result}`);
  return { text: result, ...(written.creates ? { creates: written.creates } : {}) };
}

const fn = (parsed: ParsedUnit, key: string): LambdaFunction => parsed.graph.functions.find((candidate) => candidate.key === key)!;
const route = (parsed: ParsedUnit, key: string): Route => parsed.graph.routes.find((candidate) => candidate.key === key)!;
const table = (parsed: ParsedUnit, key: string): RouteTable => parsed.graph.routeTables.find((candidate) => candidate.key === key)!;
const group = (parsed: ParsedUnit, key: string): SecurityGroup => parsed.graph.securityGroups.find((candidate) => candidate.key === key)!;

describe('CloudFormation fixes', () => {
  describe('setFlag', () => {
    it('appends the flag to a block VpcConfig after its last value, keeping a trailing comment on its line', () => {
      const text = `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      VpcConfig:
        SubnetIds:
          - subnet-1   # private
      Handler: index.handler
`;
      assert.equal(
        fixed(text, 't.yaml', (fixes, parsed) => fixes.setFlag(fn(parsed, 'Fn'), true)).text,
        `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      VpcConfig:
        SubnetIds:
          - subnet-1   # private
        Ipv6AllowedForDualStack: true
      Handler: index.handler
`,
      );
    });

    it('inserts into a flow-style VpcConfig so that it stays valid YAML', () => {
      const text = `Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      VpcConfig: {SubnetIds: [subnet-1], SecurityGroupIds: [sg-1]}\n`;
      assert.equal(
        fixed(text, 't.yaml', (fixes, parsed) => fixes.setFlag(fn(parsed, 'Fn'), true)).text,
        `Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      VpcConfig: {SubnetIds: [subnet-1], SecurityGroupIds: [sg-1], Ipv6AllowedForDualStack: true}\n`,
      );
    });

    it('inserts into Globals.Function.VpcConfig when that is where the function gets it (4-space indentation)', () => {
      const result = fixed(fixture('sam-globals.yaml'), 'sam-globals.yaml', (fixes, parsed) => fixes.setFlag(fn(parsed, 'ReportsFunction'), true)).text;
      assert.ok(
        result.includes(`        VpcConfig:
            SubnetIds:
                - !Ref SubnetA
            SecurityGroupIds:
                - !Ref FunctionSecurityGroup
            Ipv6AllowedForDualStack: true

Resources:`),
      );
    });

    it('turns true into false where the flag is written', () => {
      const result = fixed(fixture('sam-globals.yaml'), 'sam-globals.yaml', (fixes, parsed) => fixes.setFlag(fn(parsed, 'ExportFunction'), false)).text;
      assert.ok(result.includes('            VpcConfig: {SubnetIds: [!Ref SubnetB], Ipv6AllowedForDualStack: false}\n'));
    });

    it("overrides a Globals flag in the function's own VpcConfig rather than changing it for every function", () => {
      const text = `Globals:\n  Function:\n    VpcConfig:\n      Ipv6AllowedForDualStack: false\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      VpcConfig:\n        SubnetIds: [subnet-1]\n`;
      assert.equal(
        fixed(text, 't.yaml', (fixes, parsed) => fixes.setFlag(fn(parsed, 'F'), true)).text,
        `Globals:\n  Function:\n    VpcConfig:\n      Ipv6AllowedForDualStack: false\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      VpcConfig:\n        SubnetIds: [subnet-1]\n        Ipv6AllowedForDualStack: true\n`,
      );
    });

    it('appends to a multi-line JSON object with its indentation and a comma, and changes false to true', () => {
      const text = `{\n    "Resources": {\n        "Fn": {\n            "Type": "AWS::Lambda::Function",\n            "Properties": {\n                "VpcConfig": {\n                    "SubnetIds": ["subnet-1"]\n                }\n            }\n        },\n        "Off": {\n            "Type": "AWS::Lambda::Function",\n            "Properties": {"VpcConfig": {"SubnetIds": ["subnet-1"], "Ipv6AllowedForDualStack": false}}\n        }\n    }\n}\n`;
      assert.equal(
        fixed(text, 't.json', (fixes, parsed) => fixes.setFlag(fn(parsed, 'Fn'), true)).text,
        `{\n    "Resources": {\n        "Fn": {\n            "Type": "AWS::Lambda::Function",\n            "Properties": {\n                "VpcConfig": {\n                    "SubnetIds": ["subnet-1"],\n                    "Ipv6AllowedForDualStack": true\n                }\n            }\n        },\n        "Off": {\n            "Type": "AWS::Lambda::Function",\n            "Properties": {"VpcConfig": {"SubnetIds": ["subnet-1"], "Ipv6AllowedForDualStack": false}}\n        }\n    }\n}\n`,
      );
      assert.ok(fixed(text, 't.json', (fixes, parsed) => fixes.setFlag(fn(parsed, 'Off'), true)).text.includes('{"VpcConfig": {"SubnetIds": ["subnet-1"], "Ipv6AllowedForDualStack": true}}'));
    });

    it('appends to a one-line JSON object on the same line', () => {
      const text = `{"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"VpcConfig": {"SubnetIds": ["subnet-1"]}}}}}`;
      assert.equal(
        fixed(text, 't.json', (fixes, parsed) => fixes.setFlag(fn(parsed, 'Fn'), true)).text,
        `{"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"VpcConfig": {"SubnetIds": ["subnet-1"], "Ipv6AllowedForDualStack": true}}}}}`,
      );
    });

    it('writes nothing when the flag already has the value, comes from a parameter, or the function has no VpcConfig', () => {
      const text = `Resources:\n  On:\n    Type: AWS::Lambda::Function\n    Properties: {VpcConfig: {SubnetIds: [s], Ipv6AllowedForDualStack: true}}\n  Param:\n    Type: AWS::Lambda::Function\n    Properties: {VpcConfig: {SubnetIds: [s], Ipv6AllowedForDualStack: !Ref Flag}}\n  NoVpc:\n    Type: AWS::Lambda::Function\n    Properties: {Handler: x}\n`;
      const parsed = parse(text);
      assert.equal(parsed.fixes.setFlag(fn(parsed, 'On'), true), undefined);
      assert.equal(parsed.fixes.setFlag(fn(parsed, 'Param'), false), undefined);
      assert.equal(parsed.fixes.setFlag(fn(parsed, 'NoVpc'), true), undefined);
    });
  });

  describe('removeFlag', () => {
    it('removes the line of a block-style flag', () => {
      const text = `Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      VpcConfig:\n        SubnetIds: []\n        Ipv6AllowedForDualStack: true\n      Handler: x\n`;
      assert.equal(
        fixed(text, 't.yaml', (fixes, parsed) => fixes.removeFlag(fn(parsed, 'Fn'))).text,
        `Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      VpcConfig:\n        SubnetIds: []\n      Handler: x\n`,
      );
    });

    it('removes a flow-style flag with its comma, first or last', () => {
      const text = `Resources:\n  A:\n    Type: AWS::Lambda::Function\n    Properties: {VpcConfig: {SubnetIds: [], Ipv6AllowedForDualStack: true}}\n  B:\n    Type: AWS::Lambda::Function\n    Properties: {VpcConfig: {Ipv6AllowedForDualStack: true, SubnetIds: []}}\n`;
      const a = fixed(text, 't.yaml', (fixes, parsed) => fixes.removeFlag(fn(parsed, 'A'))).text;
      assert.ok(a.includes('    Properties: {VpcConfig: {SubnetIds: []}}\n  B:'));
      const b = fixed(text, 't.yaml', (fixes, parsed) => fixes.removeFlag(fn(parsed, 'B'))).text;
      assert.ok(b.endsWith('    Properties: {VpcConfig: {SubnetIds: []}}\n'));
    });

    it('removes the whole VpcConfig when the flag is all it holds (JSON, with the comma before it)', () => {
      const text = `{\n  "Resources": {\n    "Fn": {\n      "Type": "AWS::Lambda::Function",\n      "Properties": {\n        "Handler": "x",\n        "VpcConfig": {\n          "Ipv6AllowedForDualStack": true\n        }\n      }\n    }\n  }\n}\n`;
      assert.equal(
        fixed(text, 't.json', (fixes, parsed) => fixes.removeFlag(fn(parsed, 'Fn'))).text,
        `{\n  "Resources": {\n    "Fn": {\n      "Type": "AWS::Lambda::Function",\n      "Properties": {\n        "Handler": "x"\n      }\n    }\n  }\n}\n`,
      );
    });
  });

  describe('retargetRouteToEigw', () => {
    const withEigw = `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Eigw:
    Type: AWS::EC2::EgressOnlyInternetGateway
    Properties:
      VpcId: !Ref Vpc
  Rt:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  Bad:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref Rt
      DestinationIpv6CidrBlock: '::/0'
      NatGatewayId:
        Ref: Nat
`;

    it("replaces the NAT target key and value with the VPC's existing egress-only gateway", () => {
      const result = fixed(withEigw, 't.yaml', (fixes, parsed) => fixes.retargetRouteToEigw(route(parsed, 'Bad'), 'Vpc'));
      assert.equal(result.creates, undefined);
      assert.equal(result.text, withEigw.replace('NatGatewayId:\n        Ref: Nat', 'EgressOnlyInternetGatewayId: !Ref Eigw'));
    });

    it('adds an egress-only gateway after the VPC, with a free logical id, when the template has none (blank-line separated resources)', () => {
      const text = `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16

  VpcEgressOnlyInternetGateway:
    Type: AWS::SNS::Topic

  Bad:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: rtb-1, DestinationIpv6CidrBlock: '::/0', GatewayId: !Ref Igw}

  Igw:
    Type: AWS::EC2::InternetGateway
`;
      const result = fixed(text, 't.yaml', (fixes, parsed) => fixes.retargetRouteToEigw(route(parsed, 'Bad'), 'Vpc'));
      assert.deepEqual(result.creates, ['eigw:Vpc']);
      assert.equal(
        result.text,
        `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16

  VpcEgressOnlyInternetGateway2:
    Type: AWS::EC2::EgressOnlyInternetGateway
    Properties:
      VpcId: !Ref Vpc

  VpcEgressOnlyInternetGateway:
    Type: AWS::SNS::Topic

  Bad:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: rtb-1, DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: !Ref VpcEgressOnlyInternetGateway2}

  Igw:
    Type: AWS::EC2::InternetGateway
`,
      );
    });

    it('writes JSON: a {"Ref": …} target and a new gateway resource indented like its neighbours', () => {
      const result = fixed(fixture('nat-route.json'), 'nat-route.json', (fixes, parsed) => fixes.retargetRouteToEigw(route(parsed, 'PrivateIpv6Route'), 'Vpc'));
      assert.deepEqual(result.creates, ['eigw:Vpc']);
      assert.ok(
        result.text.includes(`                "CidrBlock": "10.3.0.0/16"
            }
        },
        "VpcEgressOnlyInternetGateway": {
            "Type": "AWS::EC2::EgressOnlyInternetGateway",
            "Properties": {
                "VpcId": {"Ref": "Vpc"}
            }
        },
        "VpcIpv6Block": {`),
      );
      assert.ok(result.text.includes(`                "DestinationIpv6CidrBlock": "::/0",
                "EgressOnlyInternetGatewayId": {"Ref": "VpcEgressOnlyInternetGateway"}
            }`));
    });
  });

  describe('addIpv6DefaultRoute', () => {
    it("adds a ::/0 route resource after the table's last route and the gateway after the VPC (YAML, single quotes)", () => {
      const result = fixed(fixture('nat-only.yaml'), 'nat-only.yaml', (fixes, parsed) => fixes.addIpv6DefaultRoute(table(parsed, 'PrivateRouteTable'), 'Vpc'));
      assert.deepEqual(result.creates, ['eigw:Vpc']);
      assert.ok(
        result.text.includes(`      CidrBlock: 10.0.0.0/16

  VpcEgressOnlyInternetGateway:
    Type: AWS::EC2::EgressOnlyInternetGateway
    Properties:
      VpcId: !Ref Vpc

  VpcIpv6Block:`),
      );
      assert.ok(
        result.text.includes(`      NatGatewayId: !Ref NatGateway

  PrivateRouteTableIpv6DefaultRoute:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref PrivateRouteTable
      DestinationIpv6CidrBlock: '::/0'
      EgressOnlyInternetGatewayId: !Ref VpcEgressOnlyInternetGateway

  PrivateSubnetARouteTable:`),
      );
    });

    it('uses the existing gateway and places the route right after a table without routes (JSON, 2 spaces)', () => {
      const text = `{\n  "Resources": {\n    "Vpc": {"Type": "AWS::EC2::VPC"},\n    "Eigw": {\n      "Type": "AWS::EC2::EgressOnlyInternetGateway",\n      "Properties": {"VpcId": {"Ref": "Vpc"}}\n    },\n    "Rt": {\n      "Type": "AWS::EC2::RouteTable",\n      "Properties": {"VpcId": {"Ref": "Vpc"}}\n    }\n  }\n}\n`;
      const result = fixed(text, 't.json', (fixes, parsed) => fixes.addIpv6DefaultRoute(table(parsed, 'Rt'), 'Vpc'));
      assert.equal(result.creates, undefined);
      assert.equal(
        result.text,
        `{\n  "Resources": {\n    "Vpc": {"Type": "AWS::EC2::VPC"},\n    "Eigw": {\n      "Type": "AWS::EC2::EgressOnlyInternetGateway",\n      "Properties": {"VpcId": {"Ref": "Vpc"}}\n    },\n    "Rt": {\n      "Type": "AWS::EC2::RouteTable",\n      "Properties": {"VpcId": {"Ref": "Vpc"}}\n    },\n    "RtIpv6DefaultRoute": {\n      "Type": "AWS::EC2::Route",\n      "Properties": {\n        "RouteTableId": {"Ref": "Rt"},\n        "DestinationIpv6CidrBlock": "::/0",\n        "EgressOnlyInternetGatewayId": {"Ref": "Eigw"}\n      }\n    }\n  }\n}\n`,
      );
    });
  });

  describe('addIpv6Egress', () => {
    it('mirrors each 0.0.0.0/0 rule with CidrIpv6 ::/0 beside it, leaving other rules alone (block YAML)', () => {
      const text = `Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: d
      SecurityGroupEgress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 0.0.0.0/0
          Description: HTTPS out
        - IpProtocol: tcp
          FromPort: 5432
          ToPort: 5432
          CidrIp: 10.0.0.0/8
`;
      assert.equal(
        fixed(text, 't.yaml', (fixes, parsed) => fixes.addIpv6Egress(group(parsed, 'Sg'), 'mirror')).text,
        `Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: d
      SecurityGroupEgress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 0.0.0.0/0
          Description: HTTPS out
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIpv6: '::/0'
          Description: HTTPS out
        - IpProtocol: tcp
          FromPort: 5432
          ToPort: 5432
          CidrIp: 10.0.0.0/8
`,
      );
    });

    it('mirrors rules in a JSON array and in a flow YAML list', () => {
      const json = `{\n  "Resources": {\n    "Sg": {\n      "Type": "AWS::EC2::SecurityGroup",\n      "Properties": {\n        "SecurityGroupEgress": [\n          {"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}\n        ]\n      }\n    }\n  }\n}\n`;
      assert.ok(
        fixed(json, 't.json', (fixes, parsed) => fixes.addIpv6Egress(group(parsed, 'Sg'), 'mirror')).text.includes(
          `          {"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"},\n          {"IpProtocol": "-1", "CidrIpv6": "::/0"}\n        ]`,
        ),
      );
      const flow = `Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties: {SecurityGroupEgress: [{IpProtocol: -1, CidrIp: 0.0.0.0/0}]}\n`;
      assert.ok(
        fixed(flow, 't.yaml', (fixes, parsed) => fixes.addIpv6Egress(group(parsed, 'Sg'), 'mirror')).text.includes(
          `{SecurityGroupEgress: [{IpProtocol: -1, CidrIp: 0.0.0.0/0}, {IpProtocol: -1, CidrIpv6: '::/0'}]}`,
        ),
      );
    });

    it('has nothing to mirror without a 0.0.0.0/0 rule', () => {
      const parsed = parse(`Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties: {SecurityGroupEgress: [{IpProtocol: -1, CidrIp: 10.0.0.0/8}]}\n`);
      assert.equal(parsed.fixes.addIpv6Egress(group(parsed, 'Sg'), 'mirror'), undefined);
    });

    it('adds one TCP 443 rule to ::/0 in the style of the list (block YAML, JSON)', () => {
      const block = fixed(fixture('nat-only.yaml'), 'nat-only.yaml', (fixes, parsed) => fixes.addIpv6Egress(group(parsed, 'FunctionSecurityGroup'), 'https')).text;
      assert.ok(
        block.includes(`      SecurityGroupEgress:
        - IpProtocol: -1
          CidrIp: 0.0.0.0/0
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIpv6: '::/0'

  # The flag`),
      );
      const json = `{\n    "Resources": {\n        "Sg": {\n            "Type": "AWS::EC2::SecurityGroup",\n            "Properties": {\n                "SecurityGroupEgress": [\n                    {\n                        "IpProtocol": "-1",\n                        "CidrIp": "0.0.0.0/0"\n                    }\n                ]\n            }\n        }\n    }\n}\n`;
      assert.ok(
        fixed(json, 't.json', (fixes, parsed) => fixes.addIpv6Egress(group(parsed, 'Sg'), 'https')).text.includes(
          `                    },\n                    {\n                        "IpProtocol": "tcp",\n                        "FromPort": 443,\n                        "ToPort": 443,\n                        "CidrIpv6": "::/0"\n                    }\n                ]`,
        ),
      );
    });
  });

  describe('makeDualStack', () => {
    it('adds an IPv6 CIDR with the first free index and DependsOn the VPC CIDR block (block YAML, 4 spaces)', () => {
      const result = fixed(fixture('sam-globals.yaml'), 'sam-globals.yaml', (fixes) => fixes.makeDualStack('SubnetB')).text;
      assert.ok(
        result.includes(`    SubnetB:
        Type: AWS::EC2::Subnet
        Properties:
            VpcId: !Ref Vpc
            CidrBlock: 10.2.1.0/24
            Ipv6CidrBlock: !Select [1, !Cidr [!Select [0, !GetAtt Vpc.Ipv6CidrBlocks], 256, 64]]
        DependsOn: VpcIpv6Block
    FunctionSecurityGroup:`),
      );
    });

    it('turns a single DependsOn into a list and writes JSON intrinsics in long form', () => {
      const result = fixed(fixture('nat-route.json'), 'nat-route.json', (fixes) => fixes.makeDualStack('PublicSubnet')).text;
      assert.ok(
        result.includes(`                "CidrBlock": "10.3.0.0/24",
                "Ipv6CidrBlock": {"Fn::Select": [0, {"Fn::Cidr": [{"Fn::Select": [0, {"Fn::GetAtt": ["Vpc", "Ipv6CidrBlocks"]}]}, 256, 64]}]}
            },
            "DependsOn": "VpcIpv6Block"
        },`),
      );
      const yaml = `Resources:\n  Vpc: {Type: AWS::EC2::VPC}\n  Block: {Type: AWS::EC2::VPCCidrBlock, Properties: {VpcId: !Ref Vpc, AmazonProvidedIpv6CidrBlock: true}}\n  S:\n    Type: AWS::EC2::Subnet\n    DependsOn: Gateway\n    Properties:\n      VpcId: !Ref Vpc\n      CidrBlock: 10.0.0.0/24\n`;
      assert.equal(
        fixed(yaml, 't.yaml', (fixes) => fixes.makeDualStack('S')).text,
        `Resources:\n  Vpc: {Type: AWS::EC2::VPC}\n  Block: {Type: AWS::EC2::VPCCidrBlock, Properties: {VpcId: !Ref Vpc, AmazonProvidedIpv6CidrBlock: true}}\n  S:\n    Type: AWS::EC2::Subnet\n    DependsOn: [Gateway, Block]\n    Properties:\n      VpcId: !Ref Vpc\n      CidrBlock: 10.0.0.0/24\n      Ipv6CidrBlock: !Select [0, !Cidr [!Select [0, !GetAtt Vpc.Ipv6CidrBlocks], 256, 64]]\n`,
      );
    });

    it('appends after a block scalar without swallowing the line that follows it', () => {
      const text = `Resources:\n  Vpc: {Type: AWS::EC2::VPC}\n  Block: {Type: AWS::EC2::VPCCidrBlock, Properties: {VpcId: !Ref Vpc, Ipv6Pool: pool}}\n  S:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      CidrBlock: 10.0.0.0/24\n    Metadata:\n      Note: |\n        private\n\n  Next: {Type: AWS::SNS::Topic}\n`;
      assert.equal(
        fixed(text, 't.yaml', (fixes) => fixes.makeDualStack('S')).text,
        `Resources:\n  Vpc: {Type: AWS::EC2::VPC}\n  Block: {Type: AWS::EC2::VPCCidrBlock, Properties: {VpcId: !Ref Vpc, Ipv6Pool: pool}}\n  S:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      CidrBlock: 10.0.0.0/24\n      Ipv6CidrBlock: !Select [0, !Cidr [!Select [0, !GetAtt Vpc.Ipv6CidrBlocks], 256, 64]]\n    Metadata:\n      Note: |\n        private\n    DependsOn: Block\n\n  Next: {Type: AWS::SNS::Topic}\n`,
      );
    });

    it('writes nothing when the VPC has no IPv6 CIDR block in the template, or for a VPC key', () => {
      const parsed = parse(`Resources:\n  Vpc: {Type: AWS::EC2::VPC}\n  S: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24}}\n`);
      assert.equal(parsed.fixes.makeDualStack('S'), undefined);
      assert.equal(parsed.fixes.makeDualStack('Vpc'), undefined);
    });
  });

  it('writes CRLF line breaks into a CRLF template', () => {
    const text = 'Resources:\r\n  Fn:\r\n    Type: AWS::Lambda::Function\r\n    Properties:\r\n      VpcConfig:\r\n        SubnetIds: [s]\r\n';
    assert.equal(
      fixed(text, 't.yaml', (fixes, parsed) => fixes.setFlag(fn(parsed, 'Fn'), true)).text,
      'Resources:\r\n  Fn:\r\n    Type: AWS::Lambda::Function\r\n    Properties:\r\n      VpcConfig:\r\n        SubnetIds: [s]\r\n        Ipv6AllowedForDualStack: true\r\n',
    );
  });
});
