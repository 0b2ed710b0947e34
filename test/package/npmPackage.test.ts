/**
 * The CLI as its users get it: `npm pack`, then `npm install -g` of the tarball into an empty prefix
 * with no registry (offline: the package must need nothing but itself), then the installed
 * `ipv6-lambda` run in a folder with no repository around it. Needs the build (dist/).
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; dependencies?: object };

interface PackResult {
  filename: string;
  size: number;
  files: { path: string }[];
}

describe('the npm package of the CLI', function () {
  this.timeout(120_000);
  let work: string;
  let packed: PackResult;
  let bin: string;

  before(() => {
    assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'cli.js')), 'dist/cli.js is built (node scripts/build.mjs)');
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ipv6-lambda-package-'));
    [packed] = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' })) as PackResult[];
    const prefix = path.join(work, 'prefix');
    execFileSync('npm', ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', path.join(work, packed.filename)], { cwd: work, stdio: 'pipe' });
    bin = path.join(prefix, 'bin', 'ipv6-lambda');
  });

  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it('holds the CLI bundle, its grammars, the rule pages, README, license and manifest only', () => {
    const files = packed.files.map((file) => file.path).sort();
    assert.deepEqual(
      files.filter((file) => !/^docs\/rules\/IPV6[A-Z]\d{3}\.md$/.test(file) && !/^dist\/[\w-]+\.wasm$/.test(file)),
      ['LICENSE', 'README.md', 'dist/cli.js', 'package.json'],
    );
    assert.ok(files.includes('dist/web-tree-sitter.wasm') && files.includes('dist/tree-sitter-terraform.wasm'), files.join(', '));
    assert.ok(files.includes('docs/rules/IPV6L001.md'));
    console.log(`      ${packed.filename}: ${(packed.size / 1024).toFixed(0)} KB, ${files.length} files`);
    assert.ok(packed.size < 2 * 1024 * 1024, `${packed.size} bytes`);
  });

  it('declares no runtime dependencies: the bundle carries them', () => {
    assert.equal(manifest.dependencies, undefined);
  });

  it('installs offline and prints its version', () => {
    const result = spawnSync(bin, ['--version'], { cwd: work, encoding: 'utf8' });
    assert.equal(result.stderr, '');
    assert.equal(result.stdout.trim(), manifest.version);
    assert.equal(result.status, 0);
  });

  it('checks a CloudFormation template and a Terraform folder in an empty folder', () => {
    const project = path.join(work, 'project');
    fs.mkdirSync(project);
    fs.copyFileSync(path.join(ROOT, 'test/fixtures/cloudformation/nat-route.json'), path.join(project, 'template.json'));
    fs.cpSync(path.join(ROOT, 'test/fixtures/terraform/nat-only'), path.join(project, 'network'), { recursive: true });
    const result = spawnSync(bin, ['check', '--format', 'json'], { cwd: project, encoding: 'utf8' });
    assert.equal(result.stderr, '');
    assert.equal(result.status, 1);
    const report = JSON.parse(result.stdout) as { findings: { rule: string; file: string }[] };
    assert.deepEqual(report.findings.map((finding) => `${finding.file} ${finding.rule}`).sort(), [
      'network/lambda.tf IPV6L001',
      'network/lambda.tf IPV6S001',
      'network/network.tf IPV6N002',
      'template.json IPV6N001',
    ]);
  });
});
