import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { terraformRootOf, terraformUnitOf, unitKey, unitName, unitsContaining } from '../../../src/core/project/units';
import { collectUnits, nodeWorkspaceFs } from '../../../src/core/project/workspace';
import { TempProject } from './harness';

const fixture = (name: string, format = 'terraform') => path.join(__dirname, '../../fixtures', format, name);
const read = (name: string, file: string, format?: string) => fs.readFileSync(path.join(fixture(name, format), file), 'utf8');

describe('project units', () => {
  let project: TempProject;
  beforeEach(() => {
    project = new TempProject({
      'infra/main.tf': read('local-module', 'main.tf'),
      'infra/modules/network/main.tf': read('local-module', 'modules/network/main.tf'),
      'infra/modules/network/variables.tf': read('local-module', 'modules/network/variables.tf'),
      'infra/modules/network/outputs.tf': read('local-module', 'modules/network/outputs.tf'),
      'other/main.tf': 'resource "aws_vpc" "v" {}\n',
    });
  });
  afterEach(() => project.remove());

  it('collects a Terraform root with its local modules as one unit, named by its root', async () => {
    const { units } = await collectUnits(['.'], { cwd: project.root });
    assert.deepEqual(
      units.map((unit) => [unit.root, unit.files.map((file) => file.path)]),
      [
        ['infra', ['infra/main.tf', 'infra/modules/network/main.tf', 'infra/modules/network/outputs.tf', 'infra/modules/network/variables.tf']],
        ['other', ['other/main.tf']],
      ],
    );
    assert.deepEqual(units.map(unitName), ['infra (Terraform root, 1 module, 4 files)', 'other (Terraform root, 1 file)']);
  });

  it('analyses a module folder named alone as its own root', async () => {
    const { units } = await collectUnits(['infra/modules/network'], { cwd: project.root });
    assert.deepEqual(units.map((unit) => unit.root), ['infra/modules/network']);
  });

  it('finds the root that calls a module folder, up to the stop folder', async () => {
    const network = path.join(project.root, 'infra/modules/network');
    assert.equal(await terraformRootOf(network, nodeWorkspaceFs, project.root), path.join(project.root, 'infra'));
    assert.equal(await terraformRootOf(network, nodeWorkspaceFs, network), network);
    assert.equal(await terraformRootOf(path.join(project.root, 'other'), nodeWorkspaceFs, project.root), path.join(project.root, 'other'));
  });

  it('gives a module file the unit of its root, and names the units that read a file', async () => {
    const unit = await terraformUnitOf(path.join(project.root, 'infra/modules/network/outputs.tf'), nodeWorkspaceFs, project.root);
    assert.equal(unitKey(unit), `terraform:${path.join(project.root, 'infra')}`);
    const other = await terraformUnitOf(path.join(project.root, 'other/main.tf'), nodeWorkspaceFs, project.root);
    assert.deepEqual(unitsContaining(path.join(project.root, 'infra/modules/network/main.tf'), [unit, other]), [unit]);
    assert.deepEqual(unitsContaining(path.join(project.root, 'infra/nothing.tf'), [unit, other]), []);
  });

  it('check reports a finding of a root that uses its local module, and names the units', async () => {
    const result = await project.run(['check', '--format', 'json', '.']);
    const report = JSON.parse(result.out) as { findings: { rule: string; file: string; range: unknown }[]; units: string[] };
    assert.deepEqual(
      report.findings.map((finding) => [finding.rule, finding.file, finding.range]),
      [['IPV6L001', 'infra/main.tf', { start: { line: 12, character: 2 }, end: { line: 12, character: 12 } }]],
    );
    assert.deepEqual(report.units, ['infra (Terraform root, 1 module, 4 files)', 'other (Terraform root, 1 file)']);
  });
});

describe('CloudFormation units', () => {
  let project: TempProject;
  beforeEach(() => {
    project = new TempProject({
      'stacks/api.yaml': read('import-export', 'api.yaml', 'cloudformation'),
      'stacks/network.yaml': read('import-export', 'network.yaml', 'cloudformation'),
      'stacks/unrelated.yaml': read('nat-only.yaml', '', 'cloudformation'),
    });
  });
  afterEach(() => project.remove());

  it('check analyses the templates that import each other as one unit, the others alone', async () => {
    const result = await project.run(['check', '--format', 'json', '--rule', 'IPV6L001', 'stacks']);
    const report = JSON.parse(result.out) as { findings: { rule: string; file: string; range: { start: { line: number } } }[]; units: string[] };
    assert.deepEqual(report.units, ['stacks (CloudFormation templates that import each other, 2 files)', 'stacks/unrelated.yaml (CloudFormation template)']);
    assert.deepEqual(
      report.findings.filter((finding) => finding.file === 'stacks/api.yaml').map((finding) => [finding.rule, finding.range.start.line]),
      [['IPV6L001', 11]],
    );
  });

  it('fix writes the flag into the importing template', async () => {
    await project.run(['fix', '--rule', 'IPV6L001', 'stacks/api.yaml', 'stacks/network.yaml']);
    assert.equal(project.read('stacks/api.yaml'), `${read('import-export', 'api.yaml', 'cloudformation')}        Ipv6AllowedForDualStack: true\n`);
    assert.equal(project.read('stacks/network.yaml'), read('import-export', 'network.yaml', 'cloudformation'));
  });
});
