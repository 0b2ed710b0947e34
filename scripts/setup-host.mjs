// Installs what the integration tests need, idempotently: Debian packages (Chromium, fonts, the
// libraries code-server's native modules build against) and code-server 4.100.3 into .vscode-test/.
// Neither @vscode/test-electron nor @vscode/test-web can download VS Code on an offline machine;
// code-server runs the same workbench and Node extension host from the npm registry.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCacheDir } from './setup-python.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const codeServerVersion = '4.100.3';
export const codeServerDir = join(root, '.vscode-test', `code-server-${codeServerVersion}`);
export const codeServerEntry = join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const debianPackages = ['chromium', 'fonts-dejavu-core', 'ripgrep', 'libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'pkg-config'];

function log(message) {
  process.stderr.write(`[setup] ${message}\n`);
}

function missingDebianPackages() {
  return debianPackages.filter((name) => {
    const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return result.status !== 0 || !result.stdout.includes('install ok installed');
  });
}

function ensureDebianPackages() {
  const isDebian = existsSync('/usr/bin/dpkg-query') && existsSync('/usr/bin/apt-get');
  if (!isDebian) {
    if (!existsSync(chromiumPath)) {
      throw new Error(`Chromium not found at ${chromiumPath}. Install Chromium and set CHROMIUM_PATH, plus a C/C++ toolchain and the Kerberos, X11, xkbfile and libsecret development headers for code-server.`);
    }
    return;
  }
  const missing = missingDebianPackages();
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`Missing Debian packages. Install them with:\n  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`);
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
}

/** @vscode/ripgrep's postinstall downloads from GitHub; seed its cache with Debian's rg instead. */
function seedRipgrepCache(tmp) {
  const cache = join(tmp, 'vscode-ripgrep-cache-1.15.11');
  mkdirSync(cache, { recursive: true });
  const staging = join(tmp, 'rg-staging');
  mkdirSync(staging, { recursive: true });
  copyFileSync('/usr/bin/rg', join(staging, 'rg'));
  execFileSync('tar', ['-czf', join(cache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz'), '-C', staging, 'rg']);
}

function ensureCodeServer() {
  const marker = join(codeServerDir, '.installed');
  if (existsSync(marker) && existsSync(codeServerEntry)) return;
  log(`installing code-server ${codeServerVersion} into ${codeServerDir} (once; ~300 MB)`);
  rmSync(codeServerDir, { recursive: true, force: true });
  mkdirSync(codeServerDir, { recursive: true });
  writeFileSync(join(codeServerDir, 'package.json'), JSON.stringify({ name: 'code-server-host', private: true }));
  const tmp = mkdtempSync(join(tmpdir(), 'ipv6-lambda-setup-'));
  try {
    seedRipgrepCache(tmp);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', `code-server@${codeServerVersion}`], {
      cwd: codeServerDir,
      stdio: 'inherit',
      env: {
        ...process.env,
        TMPDIR: tmp,
        // code-server's postinstall refuses root without it; node-pty's postinstall runs npx node-gyp.
        npm_config_unsafe_perm: 'true',
        npm_config_yes: 'true',
      },
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (!existsSync(codeServerEntry)) throw new Error(`code-server did not install: ${codeServerEntry} is missing`);
  writeFileSync(marker, new Date().toISOString());
}

/**
 * code-server builds the page's product configuration (`enableTelemetry`) from its bundled
 * product.json, which no flag changes: --disable-telemetry only drops the events. Our copy of the
 * host says telemetry is off in the page as well.
 */
export const codeServerProductJson = join(codeServerDir, 'node_modules', 'code-server', 'lib', 'vscode', 'product.json');

function turnOffProductTelemetry() {
  const product = JSON.parse(readFileSync(codeServerProductJson, 'utf8'));
  if (product.enableTelemetry === false) return;
  product.enableTelemetry = false;
  writeFileSync(codeServerProductJson, `${JSON.stringify(product, null, 2)}\n`);
  log('code-server: telemetry off in its product configuration');
}

export function setupHost() {
  ensureCacheDir();
  ensureDebianPackages();
  ensureCodeServer();
  turnOffProductTelemetry();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    setupHost();
    log('VS Code test host ready');
  } catch (error) {
    process.stderr.write(`[setup] ${error.message}\n`);
    process.exit(1);
  }
}
