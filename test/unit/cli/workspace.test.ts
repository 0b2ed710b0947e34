import * as assert from 'node:assert/strict';
import { detectFormat } from '../../../src/core/parse';
import { MissingPathError, collectUnits } from '../../../src/core/workspace';
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
