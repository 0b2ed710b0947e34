// The demo's local AWS endpoint (test/emulator, serving examples/demo-account.json) and the
// settings, credentials and config files that point the extension at it. Nothing touches ~/.aws.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const demoScenario = join(root, 'examples', 'demo-account.json');
export const demoRegions = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const demoKeys = { id: 'AKIADEMODEMODEMODEMO', secret: 'demo-secret-not-a-real-key' };

/** Starts the emulator in its own process group; resolves once it listens. */
export function startDemoEndpoint({ port = 0, runDir } = {}) {
  const child = spawn(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'test', 'emulator', 'cli.ts'), '--scenario', demoScenario, '--port', String(port), '--update-delay-ms', '1500'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  return new Promise((resolveStart, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => {
      stop();
      reject(new Error('the demo endpoint did not start within 30 s'));
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo endpoint exited with code ${code}`));
    });
    lines.once('line', (line) => {
      clearTimeout(timer);
      const url = /listening on (\S+)/.exec(line)?.[1];
      if (!url) {
        stop();
        reject(new Error(`unexpected first line from the demo endpoint: ${line}`));
        return;
      }
      const files = runDir ? writeDemoAwsFiles(runDir) : undefined;
      resolveStart({ url, stop, files, child });
    });
  });
}

/** A config and credentials file with one `demo` profile, for the AWS SDK's own providers. */
export function writeDemoAwsFiles(runDir) {
  const config = join(runDir, 'aws-config');
  const credentials = join(runDir, 'aws-credentials');
  writeFileSync(config, `[profile demo]\nregion = us-east-1\n`);
  writeFileSync(credentials, `[demo]\naws_access_key_id = ${demoKeys.id}\naws_secret_access_key = ${demoKeys.secret}\n`);
  return { config, credentials };
}

/** Environment for a process (code-server, the CLI) that should use the demo account. */
export function demoEnv(files) {
  return { AWS_CONFIG_FILE: files.config, AWS_SHARED_CREDENTIALS_FILE: files.credentials, AWS_PROFILE: 'demo', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
}

/** User settings that point the extension at the demo endpoint. */
export function demoSettings(url) {
  return { 'ipv6Lambda.endpointUrl': url, 'ipv6Lambda.profile': 'demo', 'ipv6Lambda.regions': demoRegions };
}
