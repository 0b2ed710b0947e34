import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeParsed } from '../../../src/core/analysis/analyze';
import type { Finding } from '../../../src/core/model/findings';
import type { SourceFile } from '../../../src/core/model/source';
import { parseTerraform } from '../../../src/core/parse/terraform';
import { at, fixturesFolder, tf } from './helpers';

/** Every .tf file (and modules.json) under a fixture folder and the module folders it borrows, named relative to it. */
function tree(name: string, ...borrowed: string[]): SourceFile[] {
  const root = path.join(fixturesFolder, name);
  const files: SourceFile[] = [];
  const walk = (folder: string): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.tf') || entry.name === 'modules.json') files.push({ path: path.relative(root, full), text: fs.readFileSync(full, 'utf8') });
    }
  };
  walk(root);
  borrowed.forEach((folder) => walk(path.join(root, folder)));
  return files;
}

function withFile(files: SourceFile[], replaced: string, text: string): SourceFile[] {
  return files.map((file) => (file.path === replaced ? { path: file.path, text } : file));
}

async function summary(files: SourceFile[]): Promise<string[]> {
  const findings: Finding[] = analyzeParsed(await parseTerraform(files, '.'));
  return findings.map((f) => `${f.rule} ${f.loc?.file} ${at(f.loc)} ${f.subject}`);
}

describe('Terraform local modules', () => {
  it('evaluates a local module with the arguments of its block and follows its outputs', async () => {
    assert.deepEqual(await summary(tree('local-module')), ['IPV6L001 main.tf 12:2-12:12 aws_lambda_function.api']);
  });

  it('keys the module elements by their address in the root', async () => {
    const parsed = await parseTerraform(tree('local-module'), '.');
    assert.deepEqual(parsed.graph.subnets.map((s) => [s.key, s.loc?.file, s.ipv6]), [['module.network.aws_subnet.private', 'modules/network/main.tf', true]]);
    assert.deepEqual(parsed.graph.functions[0].subnets, ['module.network.aws_subnet.private']);
    assert.deepEqual(parsed.graph.functions[0].securityGroups, ['module.network.aws_security_group.lambda']);
  });

  it('uses the variable default when the module block does not set it', async () => {
    const files = withFile(tree('local-module'), 'main.tf', tf('module "network" {', '  source = "./modules/network"', '}', '', fs.readFileSync(path.join(fixturesFolder, 'local-module/main.tf'), 'utf8').split('\n').slice(5).join('\n')));
    const parsed = await parseTerraform(files, '.');
    assert.deepEqual(parsed.graph.subnets.map((s) => s.ipv6), [false]);
    assert.deepEqual(await summary(files), []);
  });

  it('stays silent when the argument is a variable of the root', async () => {
    const files = withFile(tree('local-module'), 'main.tf', tree('local-module')[0].text.replace('enable_ipv6 = true', 'enable_ipv6 = var.ipv6'));
    const parsed = await parseTerraform(files, '.');
    assert.equal((parsed.graph.subnets[0].ipv6 as { why: string }).why, 'a conditional expression');
    assert.deepEqual(await summary(files), []);
  });

  it('reports a finding written in the module in the module file', async () => {
    const files = withFile(
      tree('local-module'),
      'modules/network/main.tf',
      tree('local-module')[1].text + tf('', 'resource "aws_lambda_function" "inner" {', '  vpc_config {', '    subnet_ids         = aws_subnet.private[*].id', '    security_group_ids = []', '  }', '}'),
    );
    assert.deepEqual(await summary(files), ['IPV6L001 main.tf 12:2-12:12 aws_lambda_function.api', 'IPV6L001 modules/network/main.tf 24:2-24:12 module.network.aws_lambda_function.inner']);
  });

  it('treats the instances of a module with count as one configuration', async () => {
    assert.deepEqual(await summary(tree('module-count', '../local-module/modules/network')), ['IPV6L001 main.tf 8:2-8:12 aws_lambda_function.api']);
  });

  it('leaves a module with count = 0 out', async () => {
    const counted = tree('module-count', '../local-module/modules/network');
    const files = withFile(counted, 'main.tf', counted[0].text.replace('count       = 1', 'count       = 0'));
    assert.deepEqual(await summary(files), []);
  });

  it('follows modules that terraform init placed under .terraform/modules', async () => {
    assert.deepEqual(await summary(tree('init-modules')), ['IPV6L001 main.tf 7:2-7:12 aws_lambda_function.api']);
  });

  it('does not guess the folder of a downloaded module without modules.json', async () => {
    assert.deepEqual(await summary(tree('init-modules').filter((file) => !file.path.endsWith('modules.json'))), []);
  });

  it('leaves a module whose folder is not in the unit unknown', async () => {
    const files = tree('local-module').filter((file) => file.path === 'main.tf');
    const parsed = await parseTerraform(files, '.');
    assert.equal((parsed.graph.functions[0].subnets as { why: string }).why, 'output private_subnet_ids of module network');
    assert.deepEqual(await summary(files), []);
  });
});
