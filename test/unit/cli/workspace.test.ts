import * as assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { detectFormat } from '../../../src/core/parse';
import { MissingPathError, collectUnits } from '../../../src/core/project/workspace';
import { TEMPLATE, TERRAFORM_MAIN, TempProject } from './harness';

const CDK_TS = `import * as cdk from 'aws-cdk-lib';\nexport class S extends cdk.Stack {}\n`;
const CDK_PY = `import aws_cdk as cdk\n`;

describe('workspace: collecting analysis units', () => {
  let project: TempProject;
  beforeEach(() => {
    project = new TempProject({
      'template.yaml': TEMPLATE,
      'package.json': '{"name": "x"}',
      'infra/main.tf': TERRAFORM_MAIN,
      'infra/variables.tf': 'variable "x" {}\n',
      'infra/modules/net/net.tf': 'resource "aws_vpc" "v" {}\n',
      'cdk/stack.ts': CDK_TS,
      'cdk/types.d.ts': CDK_TS,
      'cdk/util.ts': 'export const x = 1;\n',
      'cdk/app.py': CDK_PY,
      'node_modules/lib/template.yaml': TEMPLATE,
      '.terraform/modules/m/main.tf': TERRAFORM_MAIN,
      'cdk.out/Stack.template.json': '{"Resources": {}}',
      '.aws-sam/build/template.yaml': TEMPLATE,
    });
  });
  afterEach(() => project.remove());

  function describeUnits(units: { format: string; files: { path: string }[] }[]): string[] {
    return units.map((unit) => `${unit.format}: ${unit.files.map((file) => file.path).join(' ')}`);
  }

  it('finds templates, CDK files and one unit per Terraform folder, skipping generated folders', async () => {
    const { units, skipped } = await collectUnits(['.'], { cwd: project.root });
    assert.deepEqual(describeUnits(units), [
      'cdk-python: cdk/app.py',
      'cdk-typescript: cdk/stack.ts',
      'terraform: infra/main.tf infra/variables.tf',
      'terraform: infra/modules/net/net.tf',
      'cloudformation: template.yaml',
    ]);
    assert.deepEqual(skipped, []);
  });

  it('reports paths as the user wrote them', async () => {
    const { units } = await collectUnits(['infra/'], { cwd: project.root });
    assert.deepEqual(describeUnits(units), ['terraform: infra/main.tf infra/variables.tf', 'terraform: infra/modules/net/net.tf']);
  });

  it('completes a named .tf file with the other .tf files of its folder', async () => {
    const { units } = await collectUnits(['infra/variables.tf'], { cwd: project.root });
    assert.deepEqual(describeUnits(units), ['terraform: infra/main.tf infra/variables.tf']);
  });

  it('names an explicitly given file that is in no supported format', async () => {
    const { units, skipped } = await collectUnits(['package.json', 'template.yaml', 'template.yaml'], { cwd: project.root });
    assert.deepEqual(describeUnits(units), ['cloudformation: template.yaml']);
    assert.deepEqual(skipped, [{ file: 'package.json', reason: 'not a CloudFormation/SAM template, Terraform file or CDK source file' }]);
  });

  it('fails on a path that does not exist', async () => {
    await assert.rejects(collectUnits(['missing.yaml'], { cwd: project.root }), (error: unknown) => error instanceof MissingPathError && error.message === 'missing.yaml: no such file or directory');
  });
});

describe('detecting a file format', () => {
  it('takes every .tf file as Terraform', () => {
    assert.equal(detectFormat('main.tf', ''), 'terraform');
  });

  it('takes YAML, JSON and .template files only when they are CloudFormation templates', () => {
    assert.equal(detectFormat('template.yaml', TEMPLATE), 'cloudformation');
    assert.equal(detectFormat('stack.template', TEMPLATE), 'cloudformation');
    assert.equal(detectFormat('t.json', '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}'), 'cloudformation');
    assert.equal(detectFormat('docker-compose.yml', 'services:\n  web:\n    image: nginx\n'), undefined);
    assert.equal(detectFormat('package.json', '{"name": "x"}'), undefined);
  });

  it('takes TypeScript and Python files only when they import the CDK', () => {
    assert.equal(detectFormat('stack.ts', CDK_TS), 'cdk-typescript');
    assert.equal(detectFormat('types.d.ts', CDK_TS), undefined);
    assert.equal(detectFormat('util.ts', 'export const x = 1;'), undefined);
    assert.equal(detectFormat('app.py', CDK_PY), 'cdk-python');
    assert.equal(detectFormat('tool.py', 'import boto3\n'), undefined);
  });
});

describe('workspace: what a folder walk leaves out', () => {
  let project: TempProject;
  beforeEach(() => {
    project = new TempProject({
      'template.yaml': TEMPLATE,
      'README.md': '# x\n',
      'config.yaml': 'services: {}\n',
      'lib/util.ts': 'export const x = 1;\n',
      'node_modules/lib/template.yaml': TEMPLATE,
    });
  });
  afterEach(() => project.remove());

  it('lists every file and folder it does not analyse, with why', async () => {
    const { unrecognised } = await collectUnits(['.'], { cwd: project.root });
    assert.deepEqual(unrecognised, [
      { file: 'README.md', reason: 'not a format ipv6-lambda reads (.md file)' },
      { file: 'config.yaml', reason: 'not a CloudFormation/SAM template: no AWSTemplateFormatVersion, AWS transform or Resources of typed resources' },
      { file: 'lib/util.ts', reason: 'TypeScript that does not use aws-cdk-lib' },
      { file: 'node_modules', reason: 'a folder of generated or vendored files; not walked' },
    ]);
  });

  it('answers a symbolic link loop once, with its reason, and reads the linked files once', async function () {
    this.timeout(5000);
    symlinkSync(project.root, path.join(project.root, 'lib', 'loop'), 'dir');
    symlinkSync(path.join(project.root, 'missing'), path.join(project.root, 'dangling.yaml'));
    const started = performance.now();
    const { units, unrecognised } = await collectUnits(['.'], { cwd: project.root });
    assert.ok(performance.now() - started < 2000, 'answered at once');
    assert.deepEqual(units.map((unit) => unit.files.map((file) => file.path).join(' ')), ['template.yaml']);
    assert.deepEqual(
      unrecognised.filter((entry) => entry.reason.includes('symbolic link')),
      [
        { file: 'dangling.yaml', reason: 'a symbolic link to nothing' },
        { file: path.join('lib', 'loop'), reason: 'a symbolic link to ., which this walk already reads; not followed again' },
      ],
    );
  });

  it('follows a symbolic link to a file or a folder outside the walk', async () => {
    const outside = new TempProject({ 'shared/network.yaml': TEMPLATE });
    try {
      symlinkSync(path.join(outside.root, 'shared'), path.join(project.root, 'shared'), 'dir');
      const { units } = await collectUnits(['.'], { cwd: project.root });
      assert.deepEqual(units.map((unit) => unit.files[0].path), [path.join('shared', 'network.yaml'), 'template.yaml']);
    } finally {
      outside.remove();
    }
  });
});
