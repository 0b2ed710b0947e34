/**
 * Analysis cost on large inputs: `npx tsx bench/analysis.ts`. Prints, per format, the bare parse
 * time (the parser the analyser uses, with the same options, and nothing else), the full analysis
 * time (parse, graph and rules; goal ≤ 1.5× the bare parse) and the time to write every finding's
 * fixes; then the time to analyse a 50 KB template once warm (goal ≤ 10 ms), and the language server's
 * re-analysis of a CloudFormation YAML template after a one-line edit (5 MB: goal ≤ 0.1× its bare parse;
 * 50 KB: goal ≤ 10 ms). Prints figures, never
 * fails. Also `check --format json` against `--format text` (goal ≤ 1.2×). BENCH_RUNS=n sets the runs per
 * figure (median; default 3); BENCH_ONLY=yaml,terraform picks formats; BENCH_SCALE=2 doubles the inputs.
 */
import * as jsonc from 'jsonc-parser';
import { parseDocument } from 'yaml';
import { analyzeParsed } from '../src/core/analysis/analyze';
import type { AnalysisUnit, ParsedUnit, SourceFile } from '../src/core/model/source';
import { parseCdkTypescript } from '../src/core/parse/cdkTypescript';
import { keptTemplateParses, parseCloudFormation } from '../src/core/parse/cloudformation';
import { jsonParseOptions, yamlParseOptions } from '../src/core/parse/cloudformation/valueTree';
import { parseTerraform } from '../src/core/parse/terraform';
import { formatJson } from '../src/core/report/json';
import { formatText } from '../src/core/report/text';
import { createParser, type Grammar } from '../src/core/parse/treeSitter';

/** One cell of a network: a subnet with its private table, NAT route, a group and a function. */
interface CellNames {
  vpc: string;
  subnet: string;
  table: string;
  route: string;
  association: string;
  group: string;
  fn: string;
}

function cell(i: number): CellNames {
  return { vpc: `Vpc${Math.floor(i / 50)}`, subnet: `Subnet${i}`, table: `Table${i}`, route: `NatRoute${i}`, association: `Assoc${i}`, group: `Sg${i}`, fn: `Fn${i}` };
}

/** CloudFormation resources of cell i as a plain object (VPC, EIGW-less NAT network, function). */
function cloudFormationResources(i: number): Record<string, unknown> {
  const n = cell(i);
  const resources: Record<string, unknown> = {
    [n.subnet]: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: n.vpc }, CidrBlock: `10.${i % 250}.${i % 200}.0/24`, Ipv6CidrBlock: `2001:db8:${(i % 65535).toString(16)}::/64` } },
    [n.table]: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: n.vpc } } },
    [n.route]: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: n.table }, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: { Ref: 'Nat' } } },
    [n.association]: { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: { Ref: n.subnet }, RouteTableId: { Ref: n.table } } },
    [n.group]: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: { GroupDescription: 'function', VpcId: { Ref: n.vpc }, SecurityGroupEgress: [{ IpProtocol: '-1', CidrIp: '0.0.0.0/0' }] },
    },
    [n.fn]: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: 'arn:aws:iam::123456789012:role/fn',
        Code: { ZipFile: 'exports.handler = async () => ({ statusCode: 200 })' },
        VpcConfig: { SubnetIds: [{ Ref: n.subnet }], SecurityGroupIds: [{ Ref: n.group }] },
      },
    },
  };
  if (i % 50 === 0) {
    resources[n.vpc] = { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/8' } };
    resources[`${n.vpc}Ipv6`] = { Type: 'AWS::EC2::VPCCidrBlock', Properties: { VpcId: { Ref: n.vpc }, AmazonProvidedIpv6CidrBlock: true } };
  }
  return resources;
}

/** Cells until the template, written by `render`, reaches the target size. */
function cloudFormationTemplate(targetBytes: number, render: (resources: Record<string, unknown>) => string): Record<string, unknown> {
  const resources: Record<string, unknown> = { Nat: { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: { Ref: 'Subnet0' }, AllocationId: 'eipalloc-1' } } };
  let size = 0;
  for (let i = 0; size < targetBytes; i++) {
    const part = cloudFormationResources(i);
    Object.assign(resources, part);
    size += render(part).length;
  }
  return { AWSTemplateFormatVersion: '2010-09-09', Resources: resources };
}

/** Block-style YAML with the short intrinsic `!Ref`, as people write templates. */
function toYaml(value: unknown, indent: string): string {
  if (Array.isArray(value)) return value.map((item) => `\n${indent}- ${toYaml(item, `${indent}  `).replace(/^\n\s*/, '')}`).join('');
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && entries[0][0] === 'Ref') return `!Ref ${entries[0][1] as string}`;
    return entries.map(([key, item]) => `\n${indent}${key}:${typeof item === 'object' && !isRef(item) ? '' : ' '}${toYaml(item, `${indent}  `)}`).join('');
  }
  return typeof value === 'string' && /^[\w./:-]+$/.test(value) && !/^[\d.]+$/.test(value) ? value : JSON.stringify(value);
}

function yamlText(resources: Record<string, unknown>): string {
  return toYaml(resources, '  ');
}

function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

function isRef(value: unknown): boolean {
  return !!value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1 && 'Ref' in value;
}

function terraformCell(i: number): string {
  const n = cell(i);
  const vpc = `aws_vpc.v${Math.floor(i / 50)}`;
  const header =
    i % 50 === 0
      ? `resource "aws_vpc" "v${i / 50}" {\n  cidr_block                       = "10.0.0.0/8"\n  assign_generated_ipv6_cidr_block = true\n}\n\n`
      : '';
  return `${header}resource "aws_subnet" "s${i}" {
  vpc_id          = ${vpc}.id
  cidr_block      = "10.${i % 250}.${i % 200}.0/24"
  ipv6_cidr_block = cidrsubnet(${vpc}.ipv6_cidr_block, 8, ${i % 256})
}

resource "aws_route_table" "t${i}" {
  vpc_id = ${vpc}.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat.id
  }
}

resource "aws_route_table_association" "a${i}" {
  subnet_id      = aws_subnet.s${i}.id
  route_table_id = aws_route_table.t${i}.id
}

resource "aws_security_group" "g${i}" {
  vpc_id = ${vpc}.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_lambda_function" "${n.fn.toLowerCase()}" {
  function_name = "${n.fn}"
  role          = "arn:aws:iam::123456789012:role/fn"
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  vpc_config {
    subnet_ids         = [aws_subnet.s${i}.id]
    security_group_ids = [aws_security_group.g${i}.id]
  }
}

`;
}

function terraformFolder(targetBytes: number, fileCount: number): SourceFile[] {
  const files: SourceFile[] = [{ path: 'nat.tf', text: 'resource "aws_nat_gateway" "nat" {\n  subnet_id = aws_subnet.s0.id\n}\n' }];
  const perFile = targetBytes / fileCount;
  let i = 0;
  for (let f = 0; f < fileCount; f++) {
    let text = '';
    while (text.length < perFile) text += terraformCell(i++);
    files.push({ path: `cells${f}.tf`, text });
  }
  return files;
}

function cdkTypescript(targetBytes: number): string {
  let body = '';
  for (let i = 0; body.length < targetBytes; i++) {
    body += `    const vpc${i} = new ec2.Vpc(this, 'Vpc${i}', { ipProtocol: ec2.IpProtocol.DUAL_STACK, natGateways: 1 });
    new lambda.Function(this, 'Fn${i}', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset('lambda'),
      vpc: vpc${i},
      ipv6AllowedForDualStack: ${i % 2 === 0},
    });
`;
  }
  return `import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export class BigStack extends cdk.Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
${body}  }
}
`;
}

async function median(runs: number, task: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await task();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

/** The files with a comment added at the end of each: the same analysis, none of the kept parses. */
function edited(files: SourceFile[], run: number): SourceFile[] {
  return files.map((file) => ({ ...file, text: `${file.text}# run ${run}\n` }));
}

function megabytes(files: SourceFile[]): string {
  return `${(files.reduce((sum, file) => sum + file.text.length, 0) / 1024 / 1024).toFixed(1)} MB`;
}

/** Writing fixes is timed for at most this long; the rest is projected, so the benchmark ends. */
const FIX_WRITING_BUDGET_MS = 10_000;

/** Time to write the fixes of every finding (once), projected from the first ones when slow. */
function fixWritingTime(parsed: ParsedUnit): string {
  const findings = analyzeParsed(parsed);
  const started = performance.now();
  let written = 0;
  for (const finding of findings) {
    if (performance.now() - started > FIX_WRITING_BUDGET_MS) break;
    void finding.fixes.length;
    written++;
  }
  const elapsed = performance.now() - started;
  if (written === findings.length) return `${elapsed.toFixed(0)} ms`;
  return `> ${elapsed.toFixed(0)} ms (${written} of ${findings.length} findings in the budget; ≈${((elapsed / written) * findings.length / 1000).toFixed(0)} s if linear)`;
}

/** The parser alone, as the analyser calls it: the floor analysis time is measured against. */
type BareParse = () => Promise<unknown> | unknown;

function bareYaml(text: string): BareParse {
  return () => parseDocument(text, yamlParseOptions);
}

function bareJson(text: string): BareParse {
  return () => jsonc.parseTree(text, [], jsonParseOptions);
}

function bareTreeSitter(grammar: Grammar, files: SourceFile[]): BareParse {
  return async () => {
    const parser = await createParser(grammar);
    for (const file of files) parser.parse(file.text)?.delete();
    parser.delete();
  };
}

/**
 * The bare parse, the whole analysis (parse, graph, rules: what diagnostics cost, as fixes are
 * written only when read) and their ratio; then writing every finding's fixes, which
 * `check --format json` and fix-all pay on top.
 */
async function compare(label: string, unit: AnalysisUnit, bare: BareParse, parse: () => Promise<ParsedUnit> | ParsedUnit, runs: number): Promise<void> {
  const probe = await parse();
  await bare();
  const parseMs = await median(runs, bare);
  const analysisMs = await median(runs, async () => analyzeParsed(await parse()));
  const ratio = analysisMs / parseMs;
  console.log(
    `${label.padEnd(20)} ${megabytes(unit.files).padStart(7)}  ${String(probe.graph.functions.length).padStart(6)} functions  ` +
      `${String(analyzeParsed(probe).length).padStart(6)} findings  bare parse ${parseMs.toFixed(0).padStart(6)} ms  ` +
      `analysis ${analysisMs.toFixed(0).padStart(6)} ms  ${ratio.toFixed(2)}× ${ratio <= 1.5 ? '(goal ≤ 1.5× met)' : '(goal ≤ 1.5× MISSED)'}`,
  );
  console.log(`${''.padEnd(20)} writing every finding's fixes: ${fixWritingTime(probe)}`);
  // What `check` costs per output format: JSON writes every fix, text none.
  const check = (format: (findings: ReturnType<typeof analyzeParsed>) => string) => async () => format(analyzeParsed(await parse()));
  const textMs = await median(runs, check((findings) => formatText({ findings, skipped: [] }, { colour: false })));
  const jsonMs = await median(runs, check((findings) => formatJson({ findings, skipped: [] })));
  const formats = jsonMs / textMs;
  console.log(`${''.padEnd(20)} check --format text ${textMs.toFixed(0)} ms, --format json ${jsonMs.toFixed(0)} ms: ${formats.toFixed(2)}× ${formats <= 1.2 ? '(goal ≤ 1.2× met)' : '(goal ≤ 1.2× MISSED)'}`);
}

/**
 * The language server's re-analysis after a one-line edit in the middle of a template: parsing from
 * the kept parse of the previous version (one entry re-parsed), then graph and rules. Each run edits
 * the text the previous run left.
 */
async function afterOneLineEdit(file: SourceFile, runs: number): Promise<number> {
  const kept = keptTemplateParses();
  parseCloudFormation([file], kept);
  const line = 'Runtime: nodejs20.x';
  const at = file.text.indexOf(line, file.text.length >> 1);
  let run = 0;
  return median(runs, () => {
    const text = `${file.text.slice(0, at)}${line} # edit ${++run}${file.text.slice(at + line.length)}`;
    return analyzeParsed(parseCloudFormation([{ ...file, text }], kept));
  });
}

async function main(): Promise<void> {
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  // BENCH_SCALE=2 doubles every input: each figure should at most double (×2.2), or the analysis is not linear.
  const scale = Number(process.env.BENCH_SCALE ?? 1);
  console.log(`ipv6-lambda analysis benchmark (median of ${runs} runs, inputs ×${scale}; machine load skews figures)\n`);

  const megabyte = 1024 * 1024 * scale;
  const cfn = cloudFormationTemplate(5 * megabyte, yamlText);
  const yaml: SourceFile[] = [{ path: 'big.yaml', text: `AWSTemplateFormatVersion: '2010-09-09'\nResources:${yamlText(cfn.Resources as Record<string, unknown>)}\n` }];
  const json: SourceFile[] = [{ path: 'big.json', text: jsonText(cloudFormationTemplate(5 * megabyte, jsonText)) }];
  const terraform = terraformFolder(2 * megabyte, 8);
  const cdk: SourceFile = { path: 'big-stack.ts', text: cdkTypescript(megabyte) };
  console.log(`CloudFormation YAML: ${Object.keys(cfn.Resources as object).length} resources`);

  let terraformRuns = 0;
  const only = process.env.BENCH_ONLY?.split(',');
  const selected = (label: string) => !only || only.some((word) => label.toLowerCase().includes(word.toLowerCase()));
  const cases: [string, AnalysisUnit, BareParse, () => Promise<ParsedUnit> | ParsedUnit][] = [
    ['CloudFormation YAML', { format: 'cloudformation', files: yaml }, bareYaml(yaml[0].text), () => parseCloudFormation(yaml)],
    ['CloudFormation JSON', { format: 'cloudformation', files: json }, bareJson(json[0].text), () => parseCloudFormation(json)],
    // Each run changes every file (a comment at the end), so that no run reuses the parses kept from the previous one.
    ['Terraform (8 files)', { format: 'terraform', files: terraform }, bareTreeSitter('terraform', terraform), () => parseTerraform(edited(terraform, ++terraformRuns))],
    ['CDK TypeScript', { format: 'cdk-typescript', files: [cdk] }, bareTreeSitter('typescript', [cdk]), () => parseCdkTypescript(cdk)],
  ];
  for (const [label, unit, bare, parse] of cases) {
    if (selected(label)) await compare(label, unit, bare, parse, runs);
  }

  if (selected('yaml')) {
    const editMs = await afterOneLineEdit(yaml[0], runs);
    const bareMs = await median(runs, bareYaml(yaml[0].text));
    const ratio = editMs / bareMs;
    console.log(
      `\nCloudFormation YAML ${megabytes(yaml)}, re-analysis after a one-line edit: ${editMs.toFixed(0)} ms = ${ratio.toFixed(2)}× its bare parse (${bareMs.toFixed(0)} ms) ` +
        `${ratio <= 0.1 ? '(goal ≤ 0.1× met)' : '(goal ≤ 0.1× MISSED)'}`,
    );
  }

  if (selected('terraform')) {
    // The language server re-analyses a folder after each edit: the unchanged files' parses are kept.
    const full = await median(runs, async () => analyzeParsed(await parseTerraform(edited(terraform, ++terraformRuns))));
    await parseTerraform(terraform);
    let edits = 0;
    const oneFile = await median(runs, async () => analyzeParsed(await parseTerraform(terraform.map((file, index) => (index === 1 ? { ...file, text: `${file.text}# edit ${++edits}\n` } : file)))));
    console.log(`\nTerraform (8 files), after editing one file: ${oneFile.toFixed(0)} ms (a fresh analysis of all: ${full.toFixed(0)} ms)`);
  }

  const small = cloudFormationTemplate(50 * 1024, yamlText);
  const smallYaml: SourceFile[] = [{ path: 'small.yaml', text: `AWSTemplateFormatVersion: '2010-09-09'\nResources:${yamlText(small.Resources as Record<string, unknown>)}\n` }];
  for (let i = 0; i < 20; i++) analyzeParsed(parseCloudFormation(smallYaml));
  const warmMs = await median(21, () => analyzeParsed(parseCloudFormation(smallYaml)));
  const smallParsed = parseCloudFormation(smallYaml);
  const rulesMs = await median(21, () => analyzeParsed(smallParsed));
  const smallBareMs = await median(21, bareYaml(smallYaml[0].text));
  console.log(
    `\n${(smallYaml[0].text.length / 1024).toFixed(0)} KB template, warm: ${warmMs.toFixed(1)} ms per analysis ` +
      `(bare parse ${smallBareMs.toFixed(1)} ms, rules ${rulesMs.toFixed(1)} ms, graph the rest) ${warmMs <= 10 ? '(goal ≤ 10 ms met)' : '(goal ≤ 10 ms MISSED)'}`,
  );
  const smallEditMs = await afterOneLineEdit(smallYaml[0], 21);
  console.log(`${''.padEnd(20)} after a one-line edit: ${smallEditMs.toFixed(1)} ms ${smallEditMs <= 10 ? '(goal ≤ 10 ms met)' : '(goal ≤ 10 ms MISSED)'}`);
}

main().catch((error: unknown) => {
  console.log(`benchmark could not run: ${error instanceof Error ? error.message : String(error)}`);
});
