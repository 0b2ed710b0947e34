// Installs the Python tools the tests check us against, idempotently: cfn-lint (AWS's CloudFormation
// linter) and moto's server (an AWS emulator written by others), pinned, in a virtual environment
// under .vscode-test/python/. A marker file records the pinned versions, so a changed pin reinstalls
// and an unchanged one costs one file read. Several test runs may share .vscode-test (it can be a
// symlink to a shared cache), so the install holds a lock directory while it works.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const cacheDir = join(root, '.vscode-test');
export const pythonToolVersions = { 'cfn-lint': '1.58.0', 'moto[server]': '5.2.5' };
export const venvDir = join(cacheDir, 'python');
export const cfnLintPath = join(venvDir, 'bin', 'cfn-lint');
export const motoServerPath = join(venvDir, 'bin', 'moto_server');
const marker = join(venvDir, '.installed.json');
const lockDir = join(cacheDir, 'python.lock');
const lockWaitMs = 15 * 60_000;

function log(message) {
  process.stderr.write(`[setup] ${message}\n`);
}

/** .vscode-test may be a symlink to a shared cache that nobody has created yet. */
export function ensureCacheDir() {
  try {
    if (lstatSync(cacheDir).isSymbolicLink() && !existsSync(cacheDir)) {
      mkdirSync(resolve(dirname(cacheDir), readlinkSync(cacheDir)), { recursive: true });
    }
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  mkdirSync(cacheDir, { recursive: true });
}

function installedVersions() {
  try {
    return JSON.parse(readFileSync(marker, 'utf8'));
  } catch {
    return undefined;
  }
}

function isInstalled() {
  const installed = installedVersions();
  return installed !== undefined
    && Object.entries(pythonToolVersions).every(([name, version]) => installed[name] === version)
    && existsSync(cfnLintPath) && existsSync(motoServerPath);
}

function findPython() {
  for (const candidate of [process.env.PYTHON, 'python3'].filter(Boolean)) {
    const probe = spawnSync(candidate, ['-c', 'import sys, venv, ensurepip; print(sys.version_info >= (3, 9))'], { encoding: 'utf8' });
    if (probe.status === 0 && probe.stdout.trim() === 'True') return candidate;
  }
  throw new Error('python3 (3.9 or newer, with the venv and ensurepip modules) is needed for the cfn-lint and moto tests. '
    + 'Install it (Debian: sudo apt-get install -y python3 python3-venv) or point the PYTHON variable at one, then run npm test again.');
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Runs `work` holding the lock; a lock left by a process that died is taken over. */
function withLock(work) {
  const deadline = Date.now() + lockWaitMs;
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const owner = Number(readFileSafe(join(lockDir, 'pid')));
      const ageMs = Date.now() - statSafe(lockDir);
      if ((owner && !isRunning(owner)) || (!owner && ageMs > 60_000)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`${lockDir} is held by process ${owner} for over ${lockWaitMs / 60_000} min; if no install is running, delete that folder and retry`);
      if (!announced) log(`another run is installing the Python tools (process ${owner}); waiting`);
      announced = true;
      sleep(1000);
    }
  }
  try {
    return work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function readFileSafe(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function statSafe(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Date.now();
  }
}

export function setupPython() {
  if (isInstalled()) return;
  const python = findPython();
  ensureCacheDir();
  withLock(() => {
    if (isInstalled()) return;
    const pins = Object.entries(pythonToolVersions).map(([name, version]) => `${name}==${version}`);
    log(`installing ${pins.join(' ')} into ${venvDir} (once; ~100 MB)`);
    rmSync(venvDir, { recursive: true, force: true });
    execFileSync(python, ['-m', 'venv', venvDir], { stdio: 'inherit' });
    const pip = join(venvDir, 'bin', 'pip');
    execFileSync(pip, ['install', '--quiet', '--disable-pip-version-check', ...pins], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (!existsSync(cfnLintPath) || !existsSync(motoServerPath)) throw new Error(`pip finished but ${cfnLintPath} or ${motoServerPath} is missing`);
    writeFileSync(marker, JSON.stringify(pythonToolVersions, null, 2));
  });
}

// `--paths` prints where the tools are, as JSON on stdout, for the test helpers (test/support).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    setupPython();
    if (process.argv.includes('--paths')) process.stdout.write(`${JSON.stringify({ cfnLint: cfnLintPath, motoServer: motoServerPath })}\n`);
    else log(`Python tools ready: ${Object.entries(pythonToolVersions).map(([name, version]) => `${name} ${version}`).join(', ')}`);
  } catch (error) {
    process.stderr.write(`[setup] ${error.message}\n`);
    process.exit(1);
  }
}
