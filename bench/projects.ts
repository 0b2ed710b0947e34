/**
 * Project units at scale: `npx tsx bench/projects.ts`. A Terraform root calling 20 local modules
 * (each a dual-stack network with its subnets, routes and security group, and a function using the
 * module's outputs in the root) analysed as one unit, against the same folders analysed one by one
 * as before project units; goal: the unit in under 2× the folders' time. Prints figures, never fails.
 * A CDK app of 50 stack files (25 network stacks exposing `public readonly vpc`, 25 API stacks whose
 * functions receive `props.vpc`, and bin/app.ts wiring them) is measured the same way: as one unit
 * against its files one by one.
 * BENCH_RUNS=n sets the runs per figure (median; default 5).
 */
import { analyzeParsed } from '../src/core/analysis/analyze';
import type { SourceFile } from '../src/core/model/source';
import { parseCdkTypescript, parseCdkTypescriptApp } from '../src/core/parse/cdkTypescript';
import { parseTerraform } from '../src/core/parse/terraform';

const MODULES = 20;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** Pairs of network and API stacks: 50 stack files. */
const CDK_STACK_PAIRS = 25;

function moduleFiles(i: number): SourceFile[] {
  const folder = `modules/network${i}`;
  const main = [
    'resource "aws_vpc" "this" {',
    `  cidr_block                       = "10.${i}.0.0/16"`,
    '  assign_generated_ipv6_cidr_block = var.enable_ipv6',
    '}',
    '',
    'resource "aws_subnet" "private" {',
    '  count           = 3',
    '  vpc_id          = aws_vpc.this.id',
    '  cidr_block      = cidrsubnet(aws_vpc.this.cidr_block, 8, count.index)',
    '  ipv6_cidr_block = var.enable_ipv6 ? cidrsubnet(aws_vpc.this.ipv6_cidr_block, 8, count.index) : null',
    '}',
    '',
    'resource "aws_route_table" "private" {',
    '  vpc_id = aws_vpc.this.id',
    '}',
    '',
    'resource "aws_route" "nat" {',
    '  route_table_id         = aws_route_table.private.id',
    '  destination_cidr_block = "0.0.0.0/0"',
    '  nat_gateway_id         = aws_nat_gateway.this.id',
    '}',
    '',
    'resource "aws_nat_gateway" "this" {',
    '  subnet_id = aws_subnet.private[0].id',
    '}',
    '',
    'resource "aws_route_table_association" "private" {',
    '  count          = 3',
    '  subnet_id      = aws_subnet.private[count.index].id',
    '  route_table_id = aws_route_table.private.id',
    '}',
    '',
    'resource "aws_security_group" "lambda" {',
    '  vpc_id = aws_vpc.this.id',
    '  egress {',
    '    from_port   = 0',
    '    to_port     = 0',
    '    protocol    = "-1"',
    '    cidr_blocks = ["0.0.0.0/0"]',
    '  }',
    '}',
  ].join('\n');
  const io = [
    'variable "enable_ipv6" {',
    '  type    = bool',
    '  default = false',
    '}',
    '',
    'output "private_subnet_ids" {',
    '  value = aws_subnet.private[*].id',
    '}',
    '',
    'output "security_group_id" {',
    '  value = aws_security_group.lambda.id',
    '}',
  ].join('\n');
  return [
    { path: `${folder}/main.tf`, text: main },
    { path: `${folder}/io.tf`, text: io },
  ];
}

function rootFile(): SourceFile {
  const blocks: string[] = [];
  for (let i = 0; i < MODULES; i++) {
    blocks.push(
      `module "network${i}" {`,
      `  source      = "./modules/network${i}"`,
      '  enable_ipv6 = true',
      '}',
      '',
      `resource "aws_lambda_function" "fn${i}" {`,
      `  function_name = "fn${i}"`,
      '  vpc_config {',
      `    subnet_ids         = module.network${i}.private_subnet_ids`,
      `    security_group_ids = [module.network${i}.security_group_id]`,
      '  }',
      '}',
      '',
    );
  }
  return { path: 'main.tf', text: blocks.join('\n') };
}

async function median(task: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = process.hrtime.bigint();
    await task();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

function cdkAppFiles(): SourceFile[] {
  const files: SourceFile[] = [];
  const app = ["import * as cdk from 'aws-cdk-lib';"];
  const wiring = ['', 'const app = new cdk.App();'];
  for (let i = 0; i < CDK_STACK_PAIRS; i++) {
    files.push({
      path: `lib/network-stack-${i}.ts`,
      text: [
        "import * as cdk from 'aws-cdk-lib';",
        "import * as ec2 from 'aws-cdk-lib/aws-ec2';",
        '',
        `export class NetworkStack${i} extends cdk.Stack {`,
        '  public readonly vpc: ec2.IVpc;',
        '  constructor(scope: cdk.App, id: string, props?: cdk.StackProps) {',
        '    super(scope, id, props);',
        "    this.vpc = new ec2.Vpc(this, 'Vpc', { ipProtocol: ec2.IpProtocol.DUAL_STACK, maxAzs: 2 });",
        '  }',
        '}',
      ].join('\n'),
    });
    files.push({
      path: `lib/api-stack-${i}.ts`,
      text: [
        "import * as cdk from 'aws-cdk-lib';",
        "import * as ec2 from 'aws-cdk-lib/aws-ec2';",
        "import * as lambda from 'aws-cdk-lib/aws-lambda';",
        '',
        `export interface ApiStack${i}Props extends cdk.StackProps {`,
        '  vpc: ec2.IVpc;',
        '}',
        '',
        `export class ApiStack${i} extends cdk.Stack {`,
        `  constructor(scope: cdk.App, id: string, props: ApiStack${i}Props) {`,
        '    super(scope, id, props);',
        "    const group = new ec2.SecurityGroup(this, 'Group', { vpc: props.vpc, allowAllOutbound: true });",
        "    new lambda.Function(this, 'Handler', {",
        '      runtime: lambda.Runtime.NODEJS_22_X,',
        "      handler: 'index.handler',",
        "      code: lambda.Code.fromAsset('lambda'),",
        '      vpc: props.vpc,',
        '      securityGroups: [group],',
        '    });',
        '  }',
        '}',
      ].join('\n'),
    });
    app.push(`import { NetworkStack${i} } from '../lib/network-stack-${i}';`, `import { ApiStack${i} } from '../lib/api-stack-${i}';`);
    wiring.push(`const network${i} = new NetworkStack${i}(app, 'Network${i}');`, `new ApiStack${i}(app, 'Api${i}', { vpc: network${i}.vpc });`);
  }
  return [{ path: 'bin/app.ts', text: [...app, ...wiring].join('\n') }, ...files];
}

async function benchCdkApp(): Promise<void> {
  const files = cdkAppFiles();
  const findings = analyzeParsed(await parseCdkTypescriptApp(files, '.')).length;
  await median(() => parseCdkTypescriptApp(files, '.'));
  const oneByOne = await median(async () => {
    for (const file of files) analyzeParsed(await parseCdkTypescript(file));
  });
  const asUnit = await median(async () => analyzeParsed(await parseCdkTypescriptApp(files, '.')));
  const ratio = asUnit / oneByOne;
  console.log(`CDK TypeScript app with ${files.length - 1} stack files and bin/app.ts (${findings} findings as a unit)`);
  console.log(`  files one by one    ${oneByOne.toFixed(1)} ms`);
  console.log(`  one project unit    ${asUnit.toFixed(1)} ms  = ${ratio.toFixed(2)}× (goal < 2×) ${ratio < 2 ? 'ok' : 'OVER GOAL'}`);
}

async function main(): Promise<void> {
  const modules = Array.from({ length: MODULES }, (_, i) => moduleFiles(i));
  const root = rootFile();
  const unitFiles = [root, ...modules.flat()];
  const findings = analyzeParsed(await parseTerraform(unitFiles, '.')).length;
  // Warm the parser and the JIT before timing.
  await median(() => parseTerraform(unitFiles, '.'));

  const oneByOne = await median(async () => {
    analyzeParsed(await parseTerraform([root], '.'));
    for (const files of modules) analyzeParsed(await parseTerraform(files));
  });
  const asUnit = await median(async () => analyzeParsed(await parseTerraform(unitFiles, '.')));
  const ratio = asUnit / oneByOne;
  console.log(`Terraform root with ${MODULES} local modules (${unitFiles.length} files, ${findings} findings as a unit)`);
  console.log(`  folders one by one  ${oneByOne.toFixed(1)} ms`);
  console.log(`  one project unit    ${asUnit.toFixed(1)} ms  = ${ratio.toFixed(2)}× (goal < 2×) ${ratio < 2 ? 'ok' : 'OVER GOAL'}`);
  await benchCdkApp();
}

void main();
