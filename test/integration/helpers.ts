import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const extensionId = 'ipv6-lambda.ipv6-lambda';

export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(extensionId);
  if (!extension) throw new Error(`${extensionId} is not loaded in this host`);
  await extension.activate();
  return extension;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `probe` returns a value other than undefined, or fails with `what` after the timeout. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/**
 * Asks the harness (test/host/run.mjs) for a screenshot of the workbench and waits until it is
 * written to test-results/screenshots/<name>.png. Without the harness (desktop runs) it does nothing.
 */
export async function screenshot(name: string): Promise<void> {
  const runDir = process.env.IPV6_LAMBDA_TEST_RUN_DIR;
  if (!runDir) return;
  const safeName = name.replace(/[^a-zA-Z0-9._-]+/g, '-').slice(0, 100);
  const done = path.join(runDir, `screenshot-${safeName}.done`);
  console.log(`__ipv6_lambda_screenshot__:${safeName}`);
  await waitFor(`screenshot ${safeName}`, () => (fs.existsSync(done) ? true : undefined), 20_000);
}

export function workspaceFile(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the test host opened no workspace folder');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}
