// `npm test`: typecheck, lint, the Python tools' set-up, unit tests, build, the package tests (which
// need the build), then the integration suite inside a real VS Code extension host — in that order, stopping at the first failing step. Ends with
// one line that counts the tests of both suites and one that says how long each stage took.
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const totals = { passed: 0, failed: 0, pending: 0 };
const stageTimes = [];

function run(title, command, args, { count = false } = {}) {
  process.stdout.write(`\n=== ${title}\n`);
  return new Promise((resolveRun) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      if (count) output += chunk;
    });
    child.on('close', (code) => {
      if (count) {
        // Mocha's closing lines, from the unit run and from the extension host.
        const number = (word) => [...output.matchAll(new RegExp(`^\\s*(\\d+) ${word}`, 'gm'))].reduce((sum, m) => sum + Number(m[1]), 0);
        totals.passed += number('passing');
        totals.failed += number('failing');
        totals.pending += number('pending');
      }
      resolveRun(code ?? 1);
    });
  });
}

const steps = [
  ['typecheck', 'npx', ['tsc', '--noEmit', '-p', '.']],
  ['lint', 'npx', ['eslint', 'src', 'test', 'scripts', 'bench']],
  ['set-up: cfn-lint and moto (Python)', 'node', ['scripts/setup-python.mjs']],
  ['unit tests', 'npx', ['mocha', '--config', '.mocharc.json'], { count: true }],
  ['build', 'node', ['scripts/build.mjs']],
  ['package tests (npm package, GitHub Action, pre-commit hook)', 'npx', ['mocha', '--no-config', '--require', 'tsx/cjs', '--extension', 'ts', '--timeout', '120000', 'test/package/**/*.test.ts'], { count: true }],
  ['integration tests (VS Code extension host)', 'node', ['test/host/run.mjs'], { count: true }],
];

let exitCode = 0;
for (const [title, command, args, options] of steps) {
  const startedAt = performance.now();
  const code = await run(title, command, args, options);
  const seconds = (performance.now() - startedAt) / 1000;
  stageTimes.push(`${title} ${seconds.toFixed(1)} s`);
  process.stdout.write(`--- ${title}: ${seconds.toFixed(1)} s\n`);
  if (code !== 0) {
    process.stdout.write(`\n${title} failed (exit code ${code})\n`);
    exitCode = code;
    if (totals.failed === 0) totals.failed = 1;
    break;
  }
}
const skipped = totals.pending ? `, ${totals.pending} skipped` : '';
process.stdout.write(`\ntests: ${totals.passed} passed, ${totals.failed} failed${skipped}\n`);
process.stdout.write(`stages: ${stageTimes.join(', ')}\n`);
process.exit(exitCode);
