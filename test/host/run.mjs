// Runs the integration suite (out/test/integration) inside a real VS Code extension host:
// code-server serves the workbench, headless Chromium opens it with the extension under development
// and the tests' path in the `payload` parameter, and the workbench reports the suite's result
// through `codeAutomationExit` (the same mechanism @vscode/test-web uses).
import { chromium } from 'playwright-core';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { chromiumArgs, startCodeServer, workbenchUrl } from '../../scripts/code-server.mjs';
import { chromiumPath, setupHost } from '../../scripts/setup-host.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const timeoutMs = Number(process.env.IPV6_LAMBDA_TEST_TIMEOUT_MS ?? 10 * 60_000);
const screenshotDir = join(root, 'test-results', 'screenshots');
const SCREENSHOT_MARKER = '__ipv6_lambda_screenshot__:';
const SUITE_START_MARKER = '__ipv6_lambda_suite_start__';
const UI_MARKER = '__ipv6_lambda_ui__:';
const grepIndex = process.argv.indexOf('--grep');
const grep = grepIndex > 0 ? process.argv[grepIndex + 1] : undefined;
const keepRunDir = process.argv.includes('--keep');
// Another entry to run in the host instead of the suite, e.g. the host benchmark (out/bench/hostStall.js).
const testsIndex = process.argv.indexOf('--tests');

// Messages the offline workbench prints that say nothing about our tests.
const noise = [/ENOTFOUND/, /vsda/, /Failed to load resource/, /open-vsx|marketplace|gallery/i, /^\s+at .*workbench\.js/];

function log(message) {
  process.stderr.write(`[host] ${message}\n`);
}

/**
 * What a person would do in the workbench, asked for by a test (test/integration/helpers.ts `ui`):
 * click a dialog button, type into the focused input, press a key. The result goes back through a
 * file the test waits for.
 */
async function performUiRequest(page, request, runDir) {
  let outcome = 'ok';
  try {
    if (request.action === 'click') {
      const button = page.locator('.monaco-dialog-box').getByRole('button', { name: request.text, exact: true });
      await button.click({ timeout: 10_000 });
    } else if (request.action === 'type') {
      await page.keyboard.type(request.text, { delay: 20 });
    } else if (request.action === 'press') {
      await page.keyboard.press(request.key);
    } else if (request.action === 'dialogText') {
      outcome = await page.locator('.monaco-dialog-box').innerText({ timeout: 10_000 });
    } else {
      outcome = `error: unknown UI action ${request.action}`;
    }
  } catch (error) {
    outcome = `error: ${error.message}`;
  }
  writeFileSync(join(runDir, `ui-${request.id}.done`), outcome);
}

async function main() {
  setupHost();
  const testsPath = testsIndex > 0 ? resolve(process.argv[testsIndex + 1]) : join(root, 'out', 'test', 'integration', 'index.js');
  if (!existsSync(testsPath)) throw new Error(`${testsPath} is missing: run npm run build first`);

  const runDir = mkdtempSync(join(tmpdir(), 'ipv6-lambda-host-'));
  const workspace = join(runDir, 'workspace');
  cpSync(join(root, 'test', 'workspace'), workspace, { recursive: true });
  // Screenshots of earlier runs' failures would be mistaken for this run's.
  rmSync(screenshotDir, { recursive: true, force: true });
  mkdirSync(screenshotDir, { recursive: true });
  const cleanups = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch {
        // best effort: keep ending the rest
      }
    }
    if (!keepRunDir) rmSync(runDir, { recursive: true, force: true });
  };
  const timer = setTimeout(async () => {
    log(`timed out after ${timeoutMs / 1000} s; stopping everything`);
    await cleanup();
    process.exit(1);
  }, timeoutMs);

  try {
    const server = await startCodeServer({
      runDir,
      workspace,
      env: {
        IPV6_LAMBDA_TEST_RUN_DIR: runDir,
        IPV6_LAMBDA_TEST_GREP: grep ?? '',
        // Fake credentials for the tests' local AWS endpoint; the host never reads the user's ~/.aws.
        AWS_ACCESS_KEY_ID: 'AKIDTESTHOST',
        AWS_SECRET_ACCESS_KEY: 'test-host-secret',
        AWS_CONFIG_FILE: join(runDir, 'aws-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(runDir, 'aws-credentials'),
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      settings: { 'window.zoomLevel': 0 },
    });
    cleanups.push(() => server.stop());
    log(`code-server ${server.url}`);

    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: chromiumArgs,
      env: { ...process.env, XDG_CONFIG_HOME: join(runDir, 'chromium-config'), XDG_CACHE_HOME: join(runDir, 'chromium-cache') },
    });
    cleanups.push(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });

    const exitCode = new Promise((resolveExit) => {
      page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
    });
    // The workbench hands every log line, the extension host's included, to codeAutomationLog
    // (unformatted arguments, as @vscode/test-web receives them). All of it is kept in
    // test-results/console.log; the terminal gets the suite's part.
    const consoleLog = [];
    cleanups.push(() => writeFileSync(join(root, 'test-results', 'console.log'), consoleLog.join('\n')));
    let suiteStarted = false;
    await page.exposeFunction('codeAutomationLog', async (_type, args) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      consoleLog.push(text);
      if (text.includes(SUITE_START_MARKER)) {
        suiteStarted = true;
        return;
      }
      const uiAt = text.indexOf(UI_MARKER);
      if (uiAt >= 0) {
        await performUiRequest(page, JSON.parse(text.slice(uiAt + UI_MARKER.length)), runDir);
        return;
      }
      const at = text.indexOf(SCREENSHOT_MARKER);
      if (at >= 0) {
        const name = text.slice(at + SCREENSHOT_MARKER.length).trim();
        const file = join(screenshotDir, `${name}.png`);
        try {
          await page.screenshot({ path: file });
          log(`screenshot ${file}`);
        } finally {
          writeFileSync(join(runDir, `screenshot-${name}.done`), file);
        }
        return;
      }
      if (suiteStarted && !noise.some((pattern) => pattern.test(text))) console.log(text);
    });
    page.on('pageerror', (error) => log(`page error: ${error.message}`));

    const url = workbenchUrl(server, { workspace, extensionDevelopmentPath: root, extensionTestsPath: testsPath });
    await page.goto(url);
    const code = await exitCode;
    return code;
  } finally {
    clearTimeout(timer);
    await cleanup();
  }
}

main().then(
  (code) => {
    if (code !== 0) log(`integration tests failed (exit code ${code})`);
    process.exit(code);
  },
  (error) => {
    log(`could not run the integration tests: ${error.message}`);
    process.exit(1);
  },
);
