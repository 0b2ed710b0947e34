// `npm start`: builds the extension and serves it in a real VS Code (code-server) in the browser,
// opening examples/. Ctrl-C stops everything it started.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCodeServer, workbenchUrl } from './code-server.mjs';
import { setupHost } from './setup-host.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';

execFileSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
setupHost();

const runDir = mkdtempSync(join(tmpdir(), 'ipv6-lambda-start-'));
const workspace = join(root, 'examples');
const stops = [];
const stopAll = () => {
  for (const stop of stops.reverse()) stop();
  rmSync(runDir, { recursive: true, force: true });
};
process.on('SIGINT', () => {
  stopAll();
  process.exit(0);
});
process.on('SIGTERM', () => {
  stopAll();
  process.exit(0);
});

try {
  const server = await startCodeServer({
    runDir,
    workspace,
    port,
    host,
    settings: { 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'extensions.autoCheckUpdates': false },
  });
  stops.push(server.stop);
  const url = workbenchUrl(server, { workspace, extensionDevelopmentPath: root });
  console.log(`\nIPv6 for Lambda is running in VS Code at:\n\n  ${url}\n\nPress Ctrl-C to stop.`);
} catch (error) {
  console.error(`npm start: ${error.message}`);
  stopAll();
  process.exit(1);
}
