import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeUnit } from '../../../src/core/analysis/analyzeUnit';
import type { Finding } from '../../../src/core/model/findings';
import type { AnalysisUnit } from '../../../src/core/model/source';
import { cdkUnitOf, unitKey, unitName } from '../../../src/core/project/units';
import { collectUnits, nodeWorkspaceFs } from '../../../src/core/project/workspace';
import { TempProject } from '../cli/harness';
import { applyEdits } from './helpers';

const fixtures = path.join(__dirname, '../../fixtures/cdk-apps');
const read = (app: string, file: string) => fs.readFileSync(path.join(fixtures, app, file), 'utf8');
const root = '/app';

function unitOf(format: AnalysisUnit['format'], files: Record<string, string>): AnalysisUnit {
  return { format, root, files: Object.entries(files).map(([name, text]) => ({ path: path.join(root, name), text })) };
}

/** `[rule, file, line, start, endLine, end]` per finding, with the same for each related location. */
function summary(findings: Finding[]) {
  return findings.map((f) => ({
    at: [f.rule, path.relative(root, f.loc!.file), f.loc!.range.start.line, f.loc!.range.start.character, f.loc!.range.end.line, f.loc!.range.end.character],
    related: f.related.map((r) => [path.relative(root, r.loc.file), r.loc.range.start.line, r.loc.range.start.character, r.loc.range.end.line, r.loc.range.end.character]),
  }));
}

async function analyze(unit: AnalysisUnit): Promise<Finding[]> {
  const { findings, skipped } = await analyzeUnit(unit);
  assert.deepEqual(skipped, []);
  return findings;
}

const typescriptApp = (): Record<string, string> => ({
  'bin/app.ts': read('typescript', 'bin/app.ts'),
  'lib/network-stack.ts': read('typescript', 'lib/network-stack.ts'),
  'lib/api-stack.ts': read('typescript', 'lib/api-stack.ts'),
});
const pythonApp = (): Record<string, string> => ({
  'app.py': read('python', 'app.py'),
  'network_stack.py': read('python', 'network_stack.py'),
  'api_stack.py': read('python', 'api_stack.py'),
});

/** The function's `vpc` prop in lib/api-stack.ts, and `ec2.Vpc` in lib/network-stack.ts. */
const typescriptFinding = { at: ['IPV6L001', 'lib/api-stack.ts', 17, 6, 17, 9], related: [['lib/network-stack.ts', 10, 19, 10, 26]] };

describe('CDK app as one unit: TypeScript', () => {
  it('finds the function of lib/api-stack.ts in the dual-stack VPC that bin/app.ts passes from lib/network-stack.ts', async () => {
    assert.deepEqual(summary(await analyze(unitOf('cdk-typescript', typescriptApp()))), [typescriptFinding]);
  });

  it('writes the fix into lib/api-stack.ts, at the function', async () => {
    const [finding] = await analyze(unitOf('cdk-typescript', typescriptApp()));
    const fix = finding.fixes.find((candidate) => candidate.preferred)!;
    assert.deepEqual([...new Set(fix.edits.map((edit) => path.relative(root, edit.file)))], ['lib/api-stack.ts']);
    const fixed = applyEdits(read('typescript', 'lib/api-stack.ts'), fix.edits);
    assert.match(fixed, /vpc: props\.vpc,\n\s+ipv6AllowedForDualStack: true,\n\s+allowAllIpv6Outbound: true,\n/);
  });

  it('gives no IPV6L001 when the network stack is IPv4-only, only the migration (IPV6M001) at the function', async () => {
    const files = typescriptApp();
    files['lib/network-stack.ts'] = files['lib/network-stack.ts'].replace('DUAL_STACK', 'IPV4_ONLY');
    assert.deepEqual(summary(await analyze(unitOf('cdk-typescript', files))).map((finding) => finding.at), [['IPV6M001', 'lib/api-stack.ts', 17, 6, 17, 9]]);
  });

  it('follows a variable holding the props object and a namespace import', async () => {
    const files = typescriptApp();
    files['bin/app.ts'] = files['bin/app.ts']
      .replace("import { NetworkStack } from '../lib/network-stack';", "import * as net from '../lib/network-stack';")
      .replace("new NetworkStack(app, 'Network')", "new net.NetworkStack(app, 'Network')")
      .replace("new ApiStack(app, 'Api', { vpc: network.vpc });", "const apiProps = { vpc: network.vpc };\nnew ApiStack(app, 'Api', apiProps);");
    assert.deepEqual(summary(await analyze(unitOf('cdk-typescript', files))), [typescriptFinding]);
  });

  it('reports when every instantiation passes the same VPC', async () => {
    const files = typescriptApp();
    files['bin/app.ts'] += "new ApiStack(app, 'ApiCopy', { vpc: network.vpc });\n";
    assert.deepEqual(summary(await analyze(unitOf('cdk-typescript', files))), [typescriptFinding]);
  });

  it('is silent when instantiations pass different VPCs', async () => {
    const files = typescriptApp();
    files['lib/legacy-network-stack.ts'] = files['lib/network-stack.ts'].replace('NetworkStack', 'LegacyNetworkStack').replace('DUAL_STACK', 'IPV4_ONLY');
    files['bin/app.ts'] =
      "import { LegacyNetworkStack } from '../lib/legacy-network-stack';\n" +
      files['bin/app.ts'] +
      "new ApiStack(app, 'LegacyApi', { vpc: new LegacyNetworkStack(app, 'Legacy').vpc });\n";
    assert.deepEqual(summary(await analyze(unitOf('cdk-typescript', files))), []);
  });

  it('is silent when an instantiation passes a VPC it cannot know', async () => {
    const files = typescriptApp();
    files['bin/app.ts'] = files['bin/app.ts'].replace('{ vpc: network.vpc }', '{ vpc: lookedUp }');
    assert.deepEqual(summary(await analyze(unitOf('cdk-typescript', files))), []);
  });

  it('keeps the per-file view for a stack no file instantiates', async () => {
    const files = typescriptApp();
    delete files['bin/app.ts'];
    assert.deepEqual(summary(await analyze(unitOf('cdk-typescript', files))), []);
  });
});

describe('CDK app as one unit: Python', () => {
  it('finds the function of api_stack.py in the dual-stack VPC that app.py passes as vpc=network.vpc', async () => {
    assert.deepEqual(summary(await analyze(unitOf('cdk-python', pythonApp()))), [
      { at: ['IPV6L001', 'api_stack.py', 13, 12, 13, 15], related: [['network_stack.py', 7, 19, 7, 26]] },
    ]);
  });

  it('writes the fix into api_stack.py', async () => {
    const [finding] = await analyze(unitOf('cdk-python', pythonApp()));
    const fix = finding.fixes.find((candidate) => candidate.preferred)!;
    assert.deepEqual([...new Set(fix.edits.map((edit) => path.relative(root, edit.file)))], ['api_stack.py']);
    assert.match(applyEdits(read('python', 'api_stack.py'), fix.edits), /vpc=vpc,\n\s+ipv6_allowed_for_dual_stack=True,\n\s+allow_all_ipv6_outbound=True,\n/);
  });

  it('gives only the migration (IPV6M001) when the network stack is IPv4-only, and is silent when instantiations disagree', async () => {
    const ipv4 = pythonApp();
    ipv4['network_stack.py'] = ipv4['network_stack.py'].replace('DUAL_STACK', 'IPV4_ONLY');
    assert.deepEqual(summary(await analyze(unitOf('cdk-python', ipv4))).map((finding) => finding.at.slice(0, 2)), [['IPV6M001', 'api_stack.py']]);
    const disagree = pythonApp();
    disagree['app.py'] = disagree['app.py'].replace('app.synth()', 'ApiStack(app, "Other", vpc=other_vpc)\napp.synth()');
    assert.deepEqual(summary(await analyze(unitOf('cdk-python', disagree))), []);
  });
});

describe('CDK app units', () => {
  let project: TempProject;
  beforeEach(() => {
    project = new TempProject({
      'app/cdk.json': read('typescript', 'cdk.json'),
      ...Object.fromEntries(Object.entries(typescriptApp()).map(([name, text]) => [`app/${name}`, text])),
      'app/test/api.test.ts': "import * as cdk from 'aws-cdk-lib';\nimport { ApiStack } from '../lib/api-stack';\nnew ApiStack(new cdk.App(), 'Test', { vpc: undefined });\n",
      'py/cdk.json': read('python', 'cdk.json'),
      ...Object.fromEntries(Object.entries(pythonApp()).map(([name, text]) => [`py/${name}`, text])),
    });
  });
  afterEach(() => project.remove());

  it('gives a stack file the unit of the app that cdk.json runs; a test the entry never imports stays alone, so nothing is reported twice', async () => {
    const api = path.join(project.root, 'app/lib/api-stack.ts');
    const unit = await cdkUnitOf(api, fs.readFileSync(api, 'utf8'), 'cdk-typescript', nodeWorkspaceFs, project.root);
    assert.equal(unitKey(unit), `cdk-typescript:${path.join(project.root, 'app')}`);
    assert.deepEqual(
      unit.files.map((file) => path.relative(project.root, file.path)),
      ['app/bin/app.ts', 'app/lib/api-stack.ts', 'app/lib/network-stack.ts'],
    );
    const test = path.join(project.root, 'app/test/api.test.ts');
    const testUnit = await cdkUnitOf(test, fs.readFileSync(test, 'utf8'), 'cdk-typescript', nodeWorkspaceFs, project.root);
    assert.deepEqual(
      testUnit.files.map((file) => path.relative(project.root, file.path)),
      ['app/test/api.test.ts'],
    );
  });

  it('without cdk.json, analyses a file with the files it imports', async () => {
    fs.rmSync(path.join(project.root, 'py/cdk.json'));
    const app = path.join(project.root, 'py/app.py');
    const unit = await cdkUnitOf(app, fs.readFileSync(app, 'utf8'), 'cdk-python', nodeWorkspaceFs, project.root);
    assert.deepEqual(
      unit.files.map((file) => path.relative(project.root, file.path)),
      ['py/app.py', 'py/api_stack.py', 'py/network_stack.py'],
    );
    const { units } = await collectUnits(['py'], { cwd: project.root });
    assert.deepEqual(units.map(unitName), ['py/app.py (CDK Python file with the files it imports, 3 files)']);
  });

  it('without cdk.json, analyses a stack file with the files that import it: the same unit and finding as the app’s entry', async () => {
    fs.rmSync(path.join(project.root, 'app/cdk.json'));
    fs.rmSync(path.join(project.root, 'app/test'), { recursive: true });
    const unitOfFile = async (name: string) => {
      const file = path.join(project.root, name);
      return cdkUnitOf(file, fs.readFileSync(file, 'utf8'), 'cdk-typescript', nodeWorkspaceFs, project.root);
    };
    const api = await unitOfFile('app/lib/api-stack.ts');
    assert.deepEqual(
      api.files.map((file) => path.relative(project.root, file.path)),
      ['app/bin/app.ts', 'app/lib/api-stack.ts', 'app/lib/network-stack.ts'],
    );
    assert.equal(unitKey(await unitOfFile('app/lib/network-stack.ts')), unitKey(api));
    assert.equal(unitKey(await unitOfFile('app/bin/app.ts')), unitKey(api));
    const { findings } = await analyzeUnit(api);
    assert.deepEqual(
      findings.map((finding) => [finding.rule, path.relative(project.root, finding.loc!.file), finding.loc!.range]),
      [['IPV6L001', 'app/lib/api-stack.ts', { start: { line: 17, character: 6 }, end: { line: 17, character: 9 } }]],
    );
    const { units } = await collectUnits(['app/lib/api-stack.ts'], { cwd: project.root });
    assert.deepEqual(units.map(unitName), [`${path.join('app', 'bin', 'app.ts')} (CDK TypeScript file with the files it imports, 3 files)`]);
  });

  it('without cdk.json, finds a Python stack’s importer in the project folder that pyproject.toml marks', async () => {
    fs.rmSync(path.join(project.root, 'py/cdk.json'));
    project.write('py/pyproject.toml', '[project]\nname = "network-app"\n');
    const file = path.join(project.root, 'py/network_stack.py');
    const unit = await cdkUnitOf(file, fs.readFileSync(file, 'utf8'), 'cdk-python', nodeWorkspaceFs, project.root);
    assert.deepEqual(
      unit.files.map((candidate) => path.relative(project.root, candidate.path)),
      ['py/app.py', 'py/api_stack.py', 'py/network_stack.py'],
    );
  });

  it('without cdk.json, keeps a file that no other file imports or is imported by on its own', async () => {
    fs.rmSync(path.join(project.root, 'app/cdk.json'));
    project.write('app/lib/alone-stack.ts', "import * as cdk from 'aws-cdk-lib';\nexport class AloneStack extends cdk.Stack {}\n");
    const file = path.join(project.root, 'app/lib/alone-stack.ts');
    const unit = await cdkUnitOf(file, fs.readFileSync(file, 'utf8'), 'cdk-typescript', nodeWorkspaceFs, project.root);
    assert.deepEqual(unit.files.map((candidate) => path.relative(project.root, candidate.path)), ['app/lib/alone-stack.ts']);
  });

  it('collects each app once, named by its folder', async () => {
    const { units } = await collectUnits(['.'], { cwd: project.root });
    assert.deepEqual(units.map(unitName), ['app (CDK TypeScript app, 3 files)', 'app/test/api.test.ts (CDK TypeScript file)', 'py (CDK Python app, 3 files)']);
  });

  it('check reports the findings where the constructs are written', async () => {
    const result = await project.run(['check', '--format', 'json', '.']);
    const report = JSON.parse(result.out) as { findings: { rule: string; file: string; range: unknown }[] };
    assert.deepEqual(
      report.findings.map((finding) => [finding.rule, finding.file, finding.range]),
      [
        ['IPV6L001', path.join('app', 'lib', 'api-stack.ts'), { start: { line: 17, character: 6 }, end: { line: 17, character: 9 } }],
        ['IPV6L001', 'py/api_stack.py', { start: { line: 13, character: 12 }, end: { line: 13, character: 15 } }],
      ],
    );
  });

  it('fix writes the flag into the API stack and leaves the other files of the app as they are', async () => {
    const before = ['app/bin/app.ts', 'app/lib/network-stack.ts'].map((file) => project.read(file));
    await project.run(['fix', '--rule', 'IPV6L001', 'app']);
    assert.match(project.read('app/lib/api-stack.ts'), /vpc: props\.vpc,\n\s+ipv6AllowedForDualStack: true,\n\s+allowAllIpv6Outbound: true,\n/);
    assert.deepEqual(['app/bin/app.ts', 'app/lib/network-stack.ts'].map((file) => project.read(file)), before);
    const after = await project.run(['check', '--format', 'json', 'app']);
    assert.deepEqual((JSON.parse(after.out) as { findings: unknown[] }).findings, []);
  });
});
