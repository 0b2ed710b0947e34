// `npm start`: the extension in a real VS Code (code-server) in the browser, on local demo data:
// builds, starts the demo AWS endpoint (examples/demo-account.json), starts code-server with the
// extension loaded and pointed at that endpoint, opens examples/, and prints the URL.
// `npm start -- --no-browser-host` runs only the endpoint, for desktop VS Code.
// Ctrl-C stops everything it started.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCodeServer, workbenchUrl } from './code-server.mjs';
import { demoEnv, demoSettings, startDemoEndpoint } from './demo.mjs';
import { setupHost } from './setup-host.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';
const endpointOnly = process.argv.includes('--no-browser-host');
const started = Date.now();

const runDir = mkdtempSync(join(tmpdir(), 'ipv6-lambda-start-'));
const stops = [];
let stopping = false;
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const stop of stops.reverse()) stop();
  rmSync(runDir, { recursive: true, force: true });
  process.exit(code);
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

try {
  if (!endpointOnly) {
    execFileSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
    setupHost();
  }
  const endpoint = await startDemoEndpoint({ runDir, port: endpointOnly ? Number(process.env.ENDPOINT_PORT ?? 4566) : 0 });
  stops.push(endpoint.stop);
  endpoint.child.on('exit', () => {
    if (!stopping) {
      console.error('npm start: the demo endpoint stopped; stopping.');
      stopAll(1);
    }
  });
  if (endpointOnly) {
    console.log(`\nDemo AWS endpoint (examples/demo-account.json): ${endpoint.url}\n`);
    console.log('In desktop VS Code (F5 on this folder), set:');
    console.log(`  "ipv6Lambda.endpointUrl": "${endpoint.url}",`);
    console.log('  "ipv6Lambda.regions": ["us-east-1", "eu-west-1", "ap-southeast-2"]');
    console.log('and start VS Code with any non-empty AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (the endpoint accepts any key).');
    console.log(`The CLI: AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo node dist/cli.js scan --region us-east-1 --endpoint-url ${endpoint.url}\n`);
    console.log('Press Ctrl-C to stop.');
  } else {
    const workspace = join(root, 'examples');
    const server = await startCodeServer({
      runDir,
      workspace,
      port,
      host,
      env: demoEnv(endpoint.files),
      settings: demoSettings(endpoint.url),
    });
    stops.push(server.stop);
    server.child.on('exit', () => {
      if (!stopping) {
        console.error(`npm start: code-server stopped (see ${server.logFile}); stopping.`);
        stopAll(1);
      }
    });
    const url = workbenchUrl(server, { workspace, extensionDevelopmentPath: root });
    console.log(`\nIPv6 for Lambda is running in VS Code (ready in ${((Date.now() - started) / 1000).toFixed(1)} s) at:\n\n  ${url}\n`);
    console.log(`Demo AWS endpoint: ${endpoint.url} (examples/demo-account.json; nothing real, nothing written to ~/.aws)`);
    console.log('Press Ctrl-C to stop.');
  }
} catch (error) {
  console.error(`npm start: ${error.message}`);
  stopAll(1);
}
