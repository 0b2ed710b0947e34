/**
 * The composite GitHub Action (action.yml): its inputs, the command lines its run step composes from
 * them (scripts/action.mjs, given the inputs as GitHub does: INPUT_* variables), and a run of that
 * step on fixtures with the built CLI, as the runner would after the build step.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import YAML from 'yaml';

const ROOT = path.resolve(__dirname, '../..');
const SCRIPT = path.join(ROOT, 'scripts', 'action.mjs');

interface ActionStep {
  name: string;
  shell?: string;
  run: string;
  'working-directory'?: string;
  env?: Record<string, string>;
}

interface Action {
  inputs: Record<string, { description: string; required: boolean; default: string }>;
  runs: { using: string; steps: ActionStep[] };
}

function runStep(inputs: Record<string, string>, args: string[] = [], cwd = ROOT) {
  const env: NodeJS.ProcessEnv = { ...process.env, GITHUB_ACTION_PATH: ROOT };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`] = value;
  return spawnSync(process.execPath, [SCRIPT, ...args], { cwd, env, encoding: 'utf8' });
}

function composed(inputs: Record<string, string>): { args: string[]; stdoutFile?: string }[] {
  const result = runStep(inputs, ['--dry-run']);
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as { args: string[]; stdoutFile?: string }[];
}

describe('the GitHub Action', function () {
  this.timeout(60_000);
  const action = YAML.parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as Action;
  const defaults = Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, input.default]));

  it('is a composite action with the inputs paths, format, fail-on and sarif-file, each handed to the run step', () => {
    assert.equal(action.runs.using, 'composite');
    assert.deepEqual(Object.keys(action.inputs), ['paths', 'format', 'fail-on', 'sarif-file']);
    assert.deepEqual(defaults, { paths: '.', format: 'text', 'fail-on': 'warning', 'sarif-file': '' });
    const check = action.runs.steps.find((step) => step.run.includes('scripts/action.mjs'))!;
    assert.deepEqual(check.env, {
      INPUT_PATHS: '${{ inputs.paths }}',
      INPUT_FORMAT: '${{ inputs.format }}',
      INPUT_FAIL_ON: '${{ inputs.fail-on }}',
      INPUT_SARIF_FILE: '${{ inputs.sarif-file }}',
    });
    assert.ok(action.runs.steps.every((step) => step.shell === 'bash'), 'composite steps name their shell');
  });

  it('builds the CLI from its own folder rather than using committed build output', () => {
    const build = action.runs.steps[0];
    assert.equal(build['working-directory'], '${{ github.action_path }}');
    assert.equal(build.run, 'npm ci --no-audit --no-fund --ignore-scripts && node scripts/build.mjs');
  });

  it('composes one check from the default inputs', () => {
    assert.deepEqual(composed(defaults), [{ args: ['check', '.', '--format', 'text', '--fail-on', 'warning'] }]);
  });

  it('writes SARIF first, never failing, then runs the check that decides the step', () => {
    assert.deepEqual(composed({ paths: 'infra\n  stacks/app.yaml ', format: 'json', 'fail-on': 'error', 'sarif-file': 'out/ipv6.sarif' }), [
      { args: ['check', 'infra', 'stacks/app.yaml', '--format', 'sarif', '--fail-on', 'never'], stdoutFile: 'out/ipv6.sarif' },
      { args: ['check', 'infra', 'stacks/app.yaml', '--format', 'json', '--fail-on', 'error'] },
    ]);
  });

  it('refuses an unknown format or threshold, naming the input and what it accepts', () => {
    const result = runStep({ ...defaults, 'fail-on': 'warnings' }, ['--dry-run']);
    assert.equal(result.status, 2);
    assert.equal(result.stderr, "::error title=ipv6-lambda::input 'fail-on' must be one of error, warning, info, never, not 'warnings'\n");
  });

  it('fails the step on findings and leaves a SARIF report of them for the upload step', () => {
    assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'cli.js')), 'dist/cli.js is built');
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'ipv6-lambda-action-'));
    try {
      fs.mkdirSync(path.join(workspace, 'infra'));
      fs.copyFileSync(path.join(ROOT, 'test/fixtures/cloudformation/nat-route.json'), path.join(workspace, 'infra', 'template.json'));
      fs.copyFileSync(path.join(ROOT, 'test/fixtures/cloudformation/dual-stack.yaml'), path.join(workspace, 'clean.yaml'));
      const result = runStep({ ...defaults, paths: 'infra', 'sarif-file': 'ipv6-lambda.sarif' }, [], workspace);
      assert.equal(result.status, 1, result.stderr);
      assert.match(result.stdout, /^infra\/template\.json:\d+:\d+ error IPV6N001 /m);
      const sarif = JSON.parse(fs.readFileSync(path.join(workspace, 'ipv6-lambda.sarif'), 'utf8')) as { runs: { results: { ruleId: string }[] }[] };
      assert.deepEqual(sarif.runs[0].results.map((result) => result.ruleId), ['IPV6N001']);
    } finally {
      fs.rmSync(workspace, { recursive: true, force: true });
    }
  });
});
