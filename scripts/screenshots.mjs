// `npm run screenshots`: regenerates docs/images/*.png from the real extension. Starts what
// `npm start` starts (build, the demo AWS endpoint, code-server with the extension under
// development), opens the workbench in headless Chromium and drives it like a person: clicks,
// keys, the command palette, real modal dialogs. docs/images/ changes only when every screenshot
// was taken; nothing else is written outside a temporary run folder.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumArgs, startCodeServer, workbenchUrl } from './code-server.mjs';
import { demoEnv, demoSettings, startDemoEndpoint } from './demo.mjs';
import { chromiumPath, setupHost } from './setup-host.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const imagesDir = join(root, 'docs', 'images');
const workspace = join(root, 'examples');
const viewport = { width: 1400, height: 900 };
const overallTimeoutMs = 5 * 60_000;
const waitMs = 30_000;
const failureShot = join(tmpdir(), 'ipv6-lambda-screenshots-failure.png');

/** The example whose IPV6L001 finding the editor screenshots show, and the demo function to enable. */
const exampleFile = 'cloudformation/nat-only.yaml';
const region = 'us-east-1';
const functionToEnable = 'payments-webhook';
const functionToExpand = 'invoice-generator';

const started = Date.now();
const timings = [];
let interrupted = false;
function log(message) {
  process.stderr.write(`[screenshots] ${message}\n`);
}
function mark(name) {
  timings.push([name, Date.now()]);
}

/** 0-based line of the first line whose key is `key:` (the example is ours; it has one VpcConfig). */
function lineOfKey(file, key) {
  const line = readFileSync(file, 'utf8').split('\n').findIndex((text) => text.trimStart().startsWith(`${key}:`));
  if (line < 0) throw new Error(`${file} has no ${key} key any more: update scripts/screenshots.mjs`);
  return line;
}

let shotsDir;
async function shoot(page, name, clip) {
  await page.screenshot({ path: join(shotsDir, `${name}.png`), clip, animations: 'disabled', caret: 'hide' });
  mark(name);
  log(`took ${name}.png`);
}

/** The side bar's tree rows labelled exactly `label`. */
function treeRow(page, label) {
  return page.locator('.part.sidebar .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) });
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: waitMs });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor({ timeout: waitMs });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: waitMs });
}

async function dismissNoise(page) {
  // Chat and the secondary side bar open by themselves in a fresh profile of some versions.
  const auxiliary = page.locator('.part.auxiliarybar');
  if (await auxiliary.isVisible()) await runCommand(page, 'View: Close Secondary Side Bar');
  const toasts = page.locator('.notification-toast-container');
  if (await toasts.count()) await runCommand(page, 'Notifications: Clear All Notifications');
}

/** Drags the sash on the side bar's right edge so tree descriptions fit. */
async function widenSideBar(page, width) {
  const sideBar = await page.locator('.part.sidebar').boundingBox();
  const edge = sideBar.x + sideBar.width;
  const y = sideBar.y + sideBar.height / 2;
  await page.mouse.move(edge, y);
  await page.mouse.down();
  await page.mouse.move(edge + (width - sideBar.width) / 2, y, { steps: 5 });
  await page.mouse.move(sideBar.x + width, y, { steps: 5 });
  await page.mouse.up();
  const after = await page.locator('.part.sidebar').boundingBox();
  if (Math.abs(after.width - width) > 40) throw new Error(`the side bar is ${after.width} px wide after dragging its sash, not ${width}`);
}

async function expandRow(page, label) {
  const row = treeRow(page, label).first();
  await row.waitFor({ timeout: waitMs });
  if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
  await page.waitForFunction((el) => el.getAttribute('aria-expanded') === 'true', await row.elementHandle(), { timeout: waitMs });
}

async function explorerShot(page) {
  await page.getByRole('tab', { name: /IPv6 for Lambda/ }).click();
  await page.locator('.part.sidebar .title-label', { hasText: /IPv6 for Lambda/i }).waitFor({ timeout: waitMs });
  await widenSideBar(page, 640);
  // Regions load on their own; a region row becomes expandable once it answered.
  await page.locator('.part.sidebar .monaco-list-row[aria-expanded]', { has: page.locator('.label-name', { hasText: region }) }).waitFor({ timeout: waitMs });
  await expandRow(page, region);
  await treeRow(page, functionToExpand).waitFor({ timeout: waitMs });
  await expandRow(page, functionToExpand);
  await treeRow(page, 'Subnets').waitFor({ timeout: waitMs });
  // Arrow keys move the focus but leave the function selected; Right expands the focused row.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((el) => el.getAttribute('aria-expanded') === 'true', await treeRow(page, 'Subnets').elementHandle(), { timeout: waitMs });
  await page.keyboard.press('ArrowUp');
  await page.locator('.part.sidebar .monaco-list-row', { hasText: 'Findings' }).first().waitFor({ timeout: waitMs });
  // Away from the rows, so no hover tooltip covers the tree.
  await page.mouse.move(viewport.width - 20, viewport.height - 60);
  const sideBar = await page.locator('.part.sidebar').boundingBox();
  await shoot(page, 'explorer', { x: 0, y: 0, width: sideBar.x + sideBar.width + 24, height: viewport.height });
  // Collapsed again, so the enable screenshots show the whole region.
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction((el) => el.getAttribute('aria-expanded') === 'false', await treeRow(page, functionToExpand).elementHandle(), { timeout: waitMs });
}

async function openExample(page) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: waitMs });
  await input.fill(exampleFile);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'nat-only.yaml' }).first().waitFor({ timeout: waitMs });
  await page.keyboard.press('Enter');
  await page.locator('.editor-group-container .tab.active', { hasText: 'nat-only.yaml' }).waitFor({ timeout: waitMs });
}

/** Puts the cursor on `line` (0-based) and 1-based `column`, as Go to Line does. */
async function goToLine(page, line, column) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: waitMs });
  await input.fill(`:${line + 1}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: waitMs });
}

async function hoverShot(page, vpcConfigLine) {
  await goToLine(page, vpcConfigLine, 7);
  // The only squiggle in view: IPV6N002's route table is far above.
  const squiggle = page.locator('.monaco-editor .view-overlays .squiggly-warning').first();
  await squiggle.waitFor({ state: 'visible', timeout: waitMs });
  const box = await squiggle.boundingBox({ timeout: waitMs });
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
  const hover = page.locator('.monaco-hover', { hasText: 'IPV6L001' });
  await hover.waitFor({ state: 'visible', timeout: waitMs });
  await shoot(page, 'diagnostic-hover');
  await page.mouse.move(viewport.width - 20, viewport.height - 60);
  await page.keyboard.press('Escape');
  await hover.waitFor({ state: 'hidden', timeout: waitMs });
}

async function quickFixShot(page) {
  await page.keyboard.press('Control+.');
  const menu = page.locator('.action-widget');
  await menu.locator('.action-list-item, .monaco-list-row', { hasText: 'Fix all IPv6 issues in this file' }).first().waitFor({ timeout: waitMs });
  await shoot(page, 'quick-fix');
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'hidden', timeout: waitMs });
}

async function enableShots(page) {
  // The Functions view stayed visible since the explorer screenshot: hiding it would read the account again.
  const row = treeRow(page, functionToEnable).first();
  await row.waitFor({ timeout: waitMs });
  await row.hover();
  await row.locator('.action-label[aria-label^="Enable IPv6 for a Function"]').click({ timeout: waitMs });
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.getByRole('button', { name: 'Enable and Fix Network…', exact: true }).waitFor({ timeout: waitMs });
  await page.locator('.notification-toast', { hasText: `Checking ${functionToEnable}` }).waitFor({ state: 'hidden', timeout: waitMs });
  await page.mouse.move(viewport.width - 20, viewport.height - 60);
  await shoot(page, 'enable-plan');

  await dialog.getByRole('button', { name: 'Enable and Fix Network…', exact: true }).click();
  await dialog.waitFor({ state: 'hidden', timeout: waitMs });
  await pickQuickInput(page, 'Mirror the IPv4 egress');
  await dialog.getByRole('button', { name: 'Apply', exact: true }).waitFor({ timeout: waitMs });
  await page.locator('.notification-toast', { hasText: 'Planning' }).waitFor({ state: 'hidden', timeout: waitMs });
  await shoot(page, 'enable-network-plan');

  await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
  await dialog.waitFor({ state: 'hidden', timeout: waitMs });
  // The result notification says the apply finished; the tree then reads the region again.
  await page.locator('.notification-toast', { hasText: 'IPv6 Lambda: IPv6 enabled for' }).first().waitFor({ timeout: 60_000 });
  const enabledRow = treeRow(page, functionToEnable);
  await enabledRow.locator('.label-description', { hasText: /^IPv6 on$/ }).waitFor({ timeout: waitMs });
  // The row's tooltip shows the new ::/0 route of its subnets.
  await enabledRow.locator('.label-name').hover();
  await page.locator('.monaco-hover', { hasText: 'Ipv6AllowedForDualStack' }).filter({ visible: true }).waitFor({ timeout: waitMs });
  await shoot(page, 'enable-result');
}

async function pickQuickInput(page, label) {
  const item = page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
  await item.click({ timeout: waitMs });
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: waitMs });
}

async function main() {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  setupHost();
  mark('build');
  const runDir = mkdtempSync(join(tmpdir(), 'ipv6-lambda-screenshots-'));
  shotsDir = join(runDir, 'images');
  mkdirSync(shotsDir);
  const stops = [];
  const stopAll = async () => {
    for (let stop = stops.pop(); stop; stop = stops.pop()) {
      try {
        await stop();
      } catch {
        // keep stopping the rest
      }
    }
    rmSync(runDir, { recursive: true, force: true });
  };
  const timer = setTimeout(async () => {
    log(`gave up after ${overallTimeoutMs / 1000} s; stopping everything`);
    await stopAll();
    process.exit(1);
  }, overallTimeoutMs);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, async () => {
      interrupted = true;
      log(`${signal}: stopping everything`);
      await stopAll();
      process.exit(1);
    });
  }
  try {
    const endpoint = await startDemoEndpoint({ runDir });
    stops.push(endpoint.stop);
    const server = await startCodeServer({
      runDir,
      workspace,
      env: demoEnv(endpoint.files),
      settings: {
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'chat.commandCenter.enabled': false,
        'window.zoomLevel': 0,
        'editor.minimap.enabled': false,
        'editor.stickyScroll.enabled': false,
        // Below the line, so the hover leaves the function's code above it in view.
        'editor.hover.above': false,
        ...demoSettings(endpoint.url),
      },
    });
    stops.push(server.stop);
    mark('servers');
    const home = join(runDir, 'home');
    mkdirSync(home);
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: chromiumArgs,
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(runDir, 'chromium-config'), XDG_CACHE_HOME: join(runDir, 'chromium-cache') },
    });
    stops.push(() => browser.close());
    const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
    page.on('pageerror', (error) => log(`page error: ${error.message}`));
    await page.goto(workbenchUrl(server, { workspace, extensionDevelopmentPath: root }));
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: /IPv6 for Lambda/ }).waitFor({ timeout: waitMs });
    await dismissNoise(page);
    mark('workbench');

    try {
      await explorerShot(page);
      await openExample(page);
      await hoverShot(page, lineOfKey(join(workspace, exampleFile), 'VpcConfig'));
      await quickFixShot(page);
      await enableShots(page);
    } catch (error) {
      await page.screenshot({ path: failureShot }).catch(() => {});
      throw new Error(`${error.message}\nThe workbench at that moment: ${failureShot}`);
    }
    mkdirSync(imagesDir, { recursive: true });
    for (const file of readdirSync(shotsDir)) {
      copyFileSync(join(shotsDir, file), join(imagesDir, file));
      log(`wrote docs/images/${file}`);
    }
  } finally {
    clearTimeout(timer);
    await stopAll();
  }
}

main().then(
  () => {
    let previous = started;
    const steps = timings.map(([name, at]) => {
      const text = `${name} ${((at - previous) / 1000).toFixed(1)} s`;
      previous = at;
      return text;
    });
    log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s (${steps.join(', ')})`);
    process.exit(0);
  },
  (error) => {
    // After Ctrl-C the steps fail only because everything was stopped.
    if (interrupted) return;
    log(`failed: ${error.message}`);
    process.exit(1);
  },
);
