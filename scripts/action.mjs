// The GitHub Action's run step (action.yml): turns the action's inputs, which GitHub passes as
// INPUT_* environment variables, into `ipv6-lambda check` command lines and runs them with the CLI
// built in the action's folder. With `sarif-file`, a SARIF report is written there first (never
// failing), so that a later upload step has it even when the check fails the job. `--dry-run` prints
// the command lines as JSON instead of running them.
import { spawnSync } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const FORMATS = ['text', 'json', 'sarif'];
const THRESHOLDS = ['error', 'warning', 'info', 'never'];

/**
 * @param {{ paths?: string, format?: string, failOn?: string, sarifFile?: string }} inputs as action.yml names them
 * @returns {{ args: string[], stdoutFile?: string }[]} the `ipv6-lambda` argument lists to run, in order
 */
export function actionCommands(inputs) {
  const paths = (inputs.paths ?? '').split(/\s+/).filter(Boolean);
  const format = inputs.format?.trim() || 'text';
  const failOn = inputs.failOn?.trim() || 'warning';
  const sarifFile = inputs.sarifFile?.trim() ?? '';
  if (!FORMATS.includes(format)) throw new Error(`input 'format' must be one of ${FORMATS.join(', ')}, not '${format}'`);
  if (!THRESHOLDS.includes(failOn)) throw new Error(`input 'fail-on' must be one of ${THRESHOLDS.join(', ')}, not '${failOn}'`);
  const targets = paths.length > 0 ? paths : ['.'];
  const commands = [];
  if (sarifFile) commands.push({ args: ['check', ...targets, '--format', 'sarif', '--fail-on', 'never'], stdoutFile: sarifFile });
  commands.push({ args: ['check', ...targets, '--format', format, '--fail-on', failOn] });
  return commands;
}

function inputsFromEnvironment(env) {
  return { paths: env.INPUT_PATHS, format: env.INPUT_FORMAT, failOn: env.INPUT_FAIL_ON, sarifFile: env.INPUT_SARIF_FILE };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cli = join(process.env.GITHUB_ACTION_PATH ?? resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'dist', 'cli.js');
  let commands;
  try {
    commands = actionCommands(inputsFromEnvironment(process.env));
  } catch (error) {
    process.stderr.write(`::error title=ipv6-lambda::${error.message}\n`);
    process.exit(2);
  }
  if (process.argv.includes('--dry-run')) {
    process.stdout.write(`${JSON.stringify(commands)}\n`);
    process.exit(0);
  }
  let exitCode = 0;
  for (const { args, stdoutFile } of commands) {
    process.stderr.write(`ipv6-lambda ${args.join(' ')}${stdoutFile ? ` > ${stdoutFile}` : ''}\n`);
    const out = stdoutFile ? openSync(stdoutFile, 'w') : 'inherit';
    const result = spawnSync(process.execPath, [cli, ...args], { stdio: ['ignore', out, 'inherit'] });
    if (stdoutFile) closeSync(out);
    exitCode = result.status ?? 2;
    if (stdoutFile && exitCode !== 0) break;
  }
  process.exit(exitCode);
}
