import * as assert from 'node:assert/strict';
import { analyzeParsed } from '../../../src/core/analysis/analyze';
import { functionStatus } from '../../../src/core/status/status';
import { parse } from './helpers';

const template = (functionExtra: string) => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  VpcIpv6Block:
    Type: AWS::EC2::VPCCidrBlock
    Properties: {VpcId: !Ref Vpc, AmazonProvidedIpv6CidrBlock: true}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, Ipv6CidrBlock: !Select [0, !Cidr [!Select [0, !GetAtt Vpc.Ipv6CidrBlocks], 256, 64]]}
  Fleet:
    Type: AWS::Lambda::CapacityProvider
    Properties:
      VpcConfig:
        SubnetIds: [!Ref Subnet]
        SecurityGroupIds: [sg-0123456789abcdef0]
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: {ZipFile: "def handler(e, c): pass"}
${functionExtra}`;

describe('Lambda Managed Instances (CapacityProviderConfig)', () => {
  const capacityProvider = '      CapacityProviderConfig:\n        LambdaManagedInstancesCapacityProviderConfig:\n          CapacityProviderArn: !GetAtt Fleet.Arn\n';

  it('runs no function rule on a function that runs on a capacity provider, and calls its status managed instances', () => {
    const parsed = parse(template(capacityProvider));
    assert.deepEqual(analyzeParsed(parsed), []);
    const fn = parsed.graph.functions.find((candidate) => candidate.key === 'Fn')!;
    assert.equal(functionStatus(fn, parsed.graph, []).kind, 'managed-instances');
  });

  it('stays silent even where a VpcConfig of its own would draw a finding', () => {
    assert.deepEqual(analyzeParsed(parse(template(`${capacityProvider}      VpcConfig:\n        SubnetIds: []\n        SecurityGroupIds: []\n        Ipv6AllowedForDualStack: true\n`))), []);
  });

  it('checks the same function without a capacity provider (so the silence above means something)', () => {
    assert.deepEqual(analyzeParsed(parse(template('      VpcConfig:\n        SubnetIds: []\n        SecurityGroupIds: []\n        Ipv6AllowedForDualStack: true\n'))).map((finding) => finding.rule), ['IPV6L004']);
  });
});
