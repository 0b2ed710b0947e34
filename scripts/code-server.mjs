// Starts code-server (the real VS Code workbench and Node extension host) with everything it writes
// kept under one run folder, so nothing lands in the user's home folder.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { codeServerEntry } from './setup-host.mjs';

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForHealth(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with code ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs / 1000} s`);
}

/** Settings every host we start shares: no welcome page, telemetry, update checks, tips or git prompts. */
export const quietWorkbenchSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'git.openRepositoryInParentFolders': 'never',
};

/**
 * `settings` are added to quietWorkbenchSettings.
 * @param {{ runDir: string, workspace: string, port?: number, host?: string, env?: Record<string,string>, settings?: object, logToConsole?: boolean }} options
 */
export async function startCodeServer(options) {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort());
  const { runDir } = options;
  const dirs = ['user-data', 'extensions', 'xdg-config', 'xdg-data', 'xdg-cache'].map((d) => join(runDir, d));
  dirs.forEach((d) => mkdirSync(d, { recursive: true }));
  writeFileSync(join(runDir, 'cs.yaml'), 'cert: false\n');
  const userDir = join(runDir, 'user-data', 'User');
  mkdirSync(userDir, { recursive: true });
  writeFileSync(join(userDir, 'settings.json'), JSON.stringify({ ...quietWorkbenchSettings, ...options.settings }, null, 2));
  const logFile = join(runDir, 'code-server.log');
  const out = options.logToConsole ? 'inherit' : openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    [
      codeServerEntry,
      '--auth', 'none',
      '--bind-addr', `${host}:${port}`,
      '--user-data-dir', dirs[0],
      '--extensions-dir', dirs[1],
      '--config', join(runDir, 'cs.yaml'),
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      options.workspace,
    ],
    {
      detached: true, // its own process group, so stop() ends the extension host too
      stdio: ['ignore', out, out],
      // IPV6_LAMBDA_HOST_URL: where the host serves the workbench, for tests that read the served page.
      env: { ...process.env, ...options.env, IPV6_LAMBDA_HOST_URL: `http://${host}:${port}`, XDG_CONFIG_HOME: dirs[2], XDG_DATA_HOME: dirs[3], XDG_CACHE_HOME: dirs[4] },
    },
  );
  const url = `http://${host}:${port}`;
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  try {
    await waitForHealth(url, child, 30_000);
  } catch (error) {
    stop();
    throw new Error(`${error.message}. See ${logFile}.`);
  }
  return { url, port, host, child, logFile, stop };
}

/** The workbench URL that loads an extension under development (code-server rejects the CLI flag). */
export function workbenchUrl(server, { workspace, extensionDevelopmentPath, extensionTestsPath }) {
  const remote = (path) => `vscode-remote://${server.host}:${server.port}${path}`;
  const payload = [['extensionDevelopmentPath', remote(extensionDevelopmentPath)]];
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  const params = new URLSearchParams({ folder: workspace, payload: JSON.stringify(payload) });
  return `${server.url}/?${params}`;
}

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
