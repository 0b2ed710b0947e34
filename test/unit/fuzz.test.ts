/**
 * Damaged and hostile inputs derived from the fixtures: the analysis never throws, stays within a
 * time bound per input, and reports only inside the files it was given. Seeded: failures repeat.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeUnit } from '../../src/core/analysis/analyzeUnit';
import type { AnalysisUnit, SourceFile, SourceFormat } from '../../src/core/model/source';
import { seededRandom } from '../support/seededRandom';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const SEED = 0x1badb002;
/** Per input; generous because the machine is shared. */
const TIME_LIMIT_MS = 3000;

function formatOf(file: string): SourceFormat | undefined {
  if (file.endsWith('.tf')) return 'terraform';
  if (/\.(ya?ml|json|template)$/.test(file)) return 'cloudformation';
  if (file.endsWith('.ts')) return 'cdk-typescript';
  if (file.endsWith('.py')) return 'cdk-python';
  return undefined;
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const full = path.join(folder, name);
      return statSync(full).isDirectory() ? filesUnder(full) : [full];
    });
}

/** One unit per template or CDK file, one per Terraform folder. */
function fixtureUnits(): AnalysisUnit[] {
  const units: AnalysisUnit[] = [];
  const terraform = new Map<string, SourceFile[]>();
  for (const file of filesUnder(FIXTURES)) {
    const format = formatOf(file);
    if (!format) continue;
    const source = { path: path.relative(FIXTURES, file), text: readFileSync(file, 'utf8') };
    if (format !== 'terraform') units.push({ format, files: [source] });
    else terraform.set(path.dirname(file), [...(terraform.get(path.dirname(file)) ?? []), source]);
  }
  for (const files of terraform.values()) units.push({ format: 'terraform', files });
  return units;
}

const NOISE = ['{', '}', '[', ']', '"', "'", ':', '\n', ' ', '\t', '#', '!', '*', '=', '(', ')', ',', '\\', '\u0000', '😀', '${', '- '];

type Mutation = (text: string, next: () => number, format: SourceFormat) => string;

const mutations: Record<string, Mutation> = {
  truncated: (text, next) => text.slice(0, Math.floor(next() * text.length)),
  'byte-flipped': (text, next) => {
    const chars = [...text];
    for (let i = 0; i < 8; i++) chars[Math.floor(next() * chars.length)] = NOISE[Math.floor(next() * NOISE.length)];
    return chars.join('');
  },
  'deeply nested': (text, _next, format) => {
    const depth = 3000;
    const nest: Record<SourceFormat, string> = {
      cloudformation: text.trimStart().startsWith('{') ? `{"Deep": ${'['.repeat(depth)}${']'.repeat(depth)}, ${text.trimStart().slice(1)}` : `Deep: ${'['.repeat(depth)}${']'.repeat(depth)}\n${text}`,
      terraform: `${text}\nlocals {\n  deep = ${'['.repeat(depth)}${']'.repeat(depth)}\n}\n`,
      'cdk-typescript': `${text}\nconst deep = ${'('.repeat(depth)}1${')'.repeat(depth)};\n`,
      'cdk-python': `${text}\ndeep = ${'['.repeat(depth)}${']'.repeat(depth)}\n`,
      serverless: `${text}\ndeep: ${'['.repeat(depth)}${']'.repeat(depth)}\n`,
    };
    return nest[format];
  },
  'huge line': (text, next) => {
    const at = text.indexOf('\n', Math.floor(next() * text.length));
    const cut = at < 0 ? text.length : at;
    return `${text.slice(0, cut)}${'x'.repeat(200_000)}${text.slice(cut)}`;
  },
};

function lineCount(text: string): number {
  return text.split(/\r\n|\r|\n/).length;
}

async function analyseWithinBounds(unit: AnalysisUnit, label: string): Promise<void> {
  const started = performance.now();
  const result = await analyzeUnit(unit);
  const elapsed = performance.now() - started;
  assert.ok(elapsed < TIME_LIMIT_MS, `${label} took ${Math.round(elapsed)} ms`);
  const texts = new Map(unit.files.map((file) => [file.path, file.text]));
  for (const finding of result.findings) {
    assert.ok(finding.loc, `${label}: a finding from a file has a location`);
    const text = texts.get(finding.loc.file);
    assert.ok(text !== undefined, `${label}: finding in a file that was not analysed: ${finding.loc.file}`);
    assert.ok(finding.loc.range.start.line < lineCount(text), `${label}: finding past the end of ${finding.loc.file}`);
  }
  for (const skipped of result.skipped) assert.ok(texts.has(skipped.file), `${label}: skipped a file that was not analysed`);
}

describe('fuzzing the analysis with damaged fixtures', function () {
  this.timeout(60_000);
  const units = fixtureUnits();

  it('has fixtures of every format to start from', () => {
    assert.deepEqual([...new Set(units.map((unit) => unit.format))].sort(), ['cdk-python', 'cdk-typescript', 'cloudformation', 'terraform']);
  });

  for (const [name, mutate] of Object.entries(mutations)) {
    it(`never throws on ${name} variants`, async () => {
      const next = seededRandom(SEED ^ name.length);
      for (const unit of units) {
        const variants = name === 'truncated' || name === 'byte-flipped' ? 3 : 1;
        for (let i = 0; i < variants; i++) {
          const victim = Math.floor(next() * unit.files.length);
          const files = unit.files.map((file, index) => (index === victim ? { path: file.path, text: mutate(file.text, next, unit.format) } : file));
          await analyseWithinBounds({ format: unit.format, files }, `${name} #${i} of ${unit.files[victim].path}`);
        }
      }
    });
  }
});

describe('wrongly typed values', () => {
  const network = `AWSTemplateFormatVersion: '2010-09-09'
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
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
      Ipv6CidrBlock: !Select [0, !Cidr [!Select [0, !GetAtt Vpc.Ipv6CidrBlocks], 256, 64]]
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      VpcConfig:
`;

  async function rulesFor(vpcConfig: string): Promise<string[]> {
    const result = await analyzeUnit({ format: 'cloudformation', files: [{ path: 't.yaml', text: network + vpcConfig }] });
    return result.findings.map((finding) => finding.rule);
  }

  it('the valid template is reported, so the silence below means something', async () => {
    assert.deepEqual(await rulesFor('        SubnetIds: [!Ref Subnet]\n        SecurityGroupIds: [sg-1]\n'), ['IPV6L001']);
  });

  it('treats a flag that is not a boolean as unknown', async () => {
    assert.deepEqual(await rulesFor('        SubnetIds: [!Ref Subnet]\n        SecurityGroupIds: [sg-1]\n        Ipv6AllowedForDualStack: "yes"\n'), []);
    assert.deepEqual(await rulesFor('        SubnetIds: [!Ref Subnet]\n        SecurityGroupIds: [sg-1]\n        Ipv6AllowedForDualStack: [true]\n'), []);
  });

  it('treats subnets that are not a list as unknown', async () => {
    assert.deepEqual(await rulesFor('        SubnetIds: 42\n        SecurityGroupIds: [sg-1]\n        Ipv6AllowedForDualStack: true\n'), []);
    assert.deepEqual(await rulesFor('        SubnetIds: {a: 1}\n        SecurityGroupIds: [sg-1]\n'), []);
  });

  it('survives a VpcConfig that is a string, a list or null', async () => {
    for (const value of ['"vpc"', '[1, 2]', 'null']) {
      const text = network.replace('      VpcConfig:\n', `      VpcConfig: ${value}\n      `) + '\n';
      await analyseWithinBounds({ format: 'cloudformation', files: [{ path: 't.yaml', text }] }, `VpcConfig: ${value}`);
    }
  });
});

describe('fixtures in the shapes CloudFormation and editors also save', function () {
  this.timeout(60_000);
  const units = fixtureUnits();

  async function findingsOf(unit: AnalysisUnit): Promise<string[]> {
    const result = await analyzeUnit(unit);
    assert.deepEqual(result.skipped.map((skipped) => skipped.file), [], `${unit.files[0].path} is analysed`);
    return result.findings.map((finding) => `${finding.rule} ${finding.subject} ${finding.loc?.file}:${finding.loc?.range.start.line}:${finding.loc?.range.start.character}`);
  }

  it('finds the same at the same places when every file starts with a byte order mark', async () => {
    for (const unit of units.filter((candidate) => candidate.files.every((file) => !file.text.startsWith('\ufeff')))) {
      const marked = { format: unit.format, files: unit.files.map((file) => ({ path: file.path, text: `\ufeff${file.text}` })) };
      // The mark is one character of line 0: findings there may move by it, none elsewhere.
      const withoutLineZero = (findings: string[]) => findings.filter((finding) => !/:0:\d+$/.test(finding));
      assert.deepEqual(withoutLineZero(await findingsOf(marked)), withoutLineZero(await findingsOf(unit)), unit.files[0].path);
    }
  });

  it('finds the same, one line down and two columns right, in every YAML template indented under ---', async () => {
    for (const unit of units.filter((candidate) => candidate.format === 'cloudformation' && /\.ya?ml$/.test(candidate.files[0].path) && !candidate.files[0].text.startsWith('---'))) {
      const [file] = unit.files;
      const indented = `---\n${file.text.split('\n').map((line) => (line.length > 0 ? `  ${line}` : line)).join('\n')}`;
      const shifted = (await findingsOf(unit)).map((finding) => finding.replace(/:(\d+):(\d+)$/, (_, line: string, character: string) => `:${Number(line) + 1}:${Number(character) + 2}`));
      assert.deepEqual(await findingsOf({ format: unit.format, files: [{ path: file.path, text: indented }] }), shifted, file.path);
    }
  });
});
