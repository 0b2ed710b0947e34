// `npm run test:desktop`: the same integration suite in desktop VS Code, downloaded by
// @vscode/test-electron (needs internet; CI uses test/host/run.mjs with code-server instead).
import { runTests } from '@vscode/test-electron';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const workspace = join(mkdtempSync(join(tmpdir(), 'ipv6-lambda-desktop-')), 'workspace');
cpSync(join(root, 'test', 'workspace'), workspace, { recursive: true });
try {
  await runTests({
    version: '1.100.3',
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out', 'test', 'integration', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (error) {
  console.error(`integration tests failed: ${error.message ?? error}`);
  process.exit(1);
}
