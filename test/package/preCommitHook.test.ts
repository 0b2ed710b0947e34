/**
 * The pre-commit hook (.pre-commit-hooks.yaml) on a fixture repository: the files pre-commit would
 * pass it (staged, matching `files`, not `exclude`), given to the hook's `entry` with the built CLI
 * standing for the `ipv6-lambda` that pre-commit installs from this repository.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import YAML from 'yaml';

const ROOT = path.resolve(__dirname, '../..');

interface Hook {
  id: string;
  entry: string;
  language: string;
  files: string;
  exclude: string;
}

describe('the pre-commit hook', function () {
  this.timeout(60_000);
  const hooks = YAML.parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
  const hook = hooks.find((candidate) => candidate.id === 'ipv6-lambda')!;
  let repository: string;

  before(() => {
    repository = fs.mkdtempSync(path.join(os.tmpdir(), 'ipv6-lambda-hook-'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd: repository, stdio: 'pipe' });
    git('init', '--quiet');
    const copy = (from: string, to: string) => {
      fs.mkdirSync(path.dirname(path.join(repository, to)), { recursive: true });
      fs.cpSync(path.join(ROOT, from), path.join(repository, to), { recursive: true });
    };
    copy('test/fixtures/cloudformation/nat-route.json', 'stacks/network.json');
    copy('test/fixtures/cloudformation/dual-stack.yaml', 'stacks/clean.yaml');
    copy('test/fixtures/terraform/nat-only', 'terraform');
    copy('test/fixtures/cloudformation/nat-only.yaml', 'node_modules/some-package/template.yaml');
    fs.writeFileSync(path.join(repository, 'README.md'), '# infra\n');
    git('add', '--force', '.');
    // Present but not staged: pre-commit does not pass it.
    copy('test/fixtures/cloudformation/sam-globals.yaml', 'stacks/unstaged.yaml');
  });

  after(() => fs.rmSync(repository, { recursive: true, force: true }));

  /** What pre-commit hands the hook: staged files that match `files` and not `exclude` (Python `re.search`). */
  function filesForHook(): string[] {
    const staged = execFileSync('git', ['diff', '--cached', '--name-only'], { cwd: repository, encoding: 'utf8' }).split('\n').filter(Boolean);
    return staged.filter((file) => new RegExp(hook.files).test(file) && !new RegExp(hook.exclude).test(file));
  }

  it('is a node hook running `ipv6-lambda check`, the bin of this package', () => {
    assert.equal(hook.language, 'node');
    assert.equal(hook.entry, 'ipv6-lambda check');
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
    assert.deepEqual(Object.keys(manifest.bin), ['ipv6-lambda']);
    // pre-commit installs a node hook with `npm pack`: the bundle must be built on the way.
    assert.equal(manifest.scripts.prepack, 'node scripts/build.mjs');
  });

  it('gets the staged IaC files, without node_modules, README or unstaged files', () => {
    assert.deepEqual(filesForHook(), ['stacks/clean.yaml', 'stacks/network.json', 'terraform/lambda.tf', 'terraform/main.tf', 'terraform/network.tf']);
  });

  it('fails the commit with the findings of those files', () => {
    const [bin, ...args] = hook.entry.split(' ');
    assert.equal(bin, 'ipv6-lambda');
    const result = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), ...args, ...filesForHook()], { cwd: repository, encoding: 'utf8' });
    assert.equal(result.stderr, '');
    assert.equal(result.status, 1);
    assert.deepEqual(
      // Finding lines are `file:line:col severity rule message`; the rule pages follow them.
      result.stdout.split('\n').filter((line) => /^\S+:\d+:\d+ /.test(line)).map((line) => line.split(' ').slice(0, 3).join(' ').replace(/:\d+:\d+/, '')),
      ['stacks/network.json error IPV6N001', 'terraform/lambda.tf warning IPV6L001', 'terraform/lambda.tf warning IPV6S001', 'terraform/network.tf warning IPV6N002'],
    );
    assert.match(result.stdout, /\nRule pages:\n {2}IPV6L001 https:\/\/\S+\/IPV6L001\.md\n {2}IPV6N001 /);
  });
});
