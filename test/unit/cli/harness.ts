/**
 * Runs CLI commands in-process on temporary copies of small projects, capturing what they print.
 * A command is called as src/cli.ts dispatches it, `run(args, io)` of its module: the dispatcher's
 * dynamic import() is not resolved by the tsx/cjs hook mocha runs with.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as check from '../../../src/cli/check';
import * as fix from '../../../src/cli/fix';
import type { CliIo } from '../../../src/cli/io';
import * as migrate from '../../../src/cli/migrate';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export class TempProject {
  readonly root = mkdtempSync(path.join(tmpdir(), 'ipv6-lambda-cli-'));

  constructor(files: Record<string, string>) {
    for (const [name, text] of Object.entries(files)) this.write(name, text);
  }

  write(name: string, text: string): void {
    mkdirSync(path.dirname(path.join(this.root, name)), { recursive: true });
    writeFileSync(path.join(this.root, name), text);
  }

  read(name: string): string {
    return readFileSync(path.join(this.root, name), 'utf8');
  }

  async run(argv: string[], options: { isTty?: boolean } = {}): Promise<CliRun> {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (text) => out.push(text), err: (text) => err.push(text), isTty: options.isTty ?? false, cwd: this.root, env: {} };
    const [name, ...args] = argv;
    const code = await { check, fix, migrate }[name as 'check' | 'fix' | 'migrate'].run(args, io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * A dual-stack VPC whose private table routes ::/0 to the NAT gateway (IPV6N001, line 34) and a
 * function without the flag (IPV6L001, VpcConfig on line 59).
 */
export const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  VpcV6:
    Type: AWS::EC2::VPCCidrBlock
    Properties:
      VpcId: !Ref Vpc
      AmazonProvidedIpv6CidrBlock: true
  SubnetA:
    Type: AWS::EC2::Subnet
    DependsOn: VpcV6
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
      Ipv6CidrBlock: !Select [0, !Cidr [!Select [0, !GetAtt Vpc.Ipv6CidrBlocks], 256, 64]]
  Nat:
    Type: AWS::EC2::NatGateway
    Properties:
      SubnetId: !Ref SubnetA
      AllocationId: eipalloc-123
  Private:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  NatRoute:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref Private
      DestinationCidrBlock: 0.0.0.0/0
      NatGatewayId: !Ref Nat
  V6Route:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref Private
      DestinationIpv6CidrBlock: ::/0
      NatGatewayId: !Ref Nat
  Assoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref SubnetA
      RouteTableId: !Ref Private
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: fn
      VpcId: !Ref Vpc
      SecurityGroupEgress:
        - IpProtocol: "-1"
          CidrIp: 0.0.0.0/0
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/x
      Code: { ZipFile: "exports.handler = async () => 1" }
      VpcConfig:
        SubnetIds: [!Ref SubnetA]
        SecurityGroupIds: [!Ref Sg]
`;

/** A function in an IPv6-only subnet: IPV6L003, which has no fix. */
export const IPV6_ONLY_TEMPLATE = `Resources:
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: vpc-123
      Ipv6Native: true
      Ipv6CidrBlock: 2001:db8::/64
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/x
      Code: { ZipFile: "x" }
      VpcConfig:
        SubnetIds: [!Ref Subnet]
        SecurityGroupIds: [sg-123]
`;

/** A Terraform module with a private table of a dual-stack subnet without ::/0 (IPV6N002, main.tf line 16). */
export const TERRAFORM_MAIN = `resource "aws_vpc" "main" {
  cidr_block                       = "10.0.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_subnet" "a" {
  vpc_id          = aws_vpc.main.id
  cidr_block      = "10.0.1.0/24"
  ipv6_cidr_block = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)
}

resource "aws_nat_gateway" "nat" {
  subnet_id = aws_subnet.a.id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat.id
  }
}

resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.private.id
}
`;
