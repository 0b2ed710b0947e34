import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
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

export interface DiagnosticSummary {
  rule: string;
  severity: 'error' | 'warning' | 'info';
  range: [number, number, number, number];
}

const severityNames: Record<number, DiagnosticSummary['severity']> = { 0: 'error', 1: 'warning', 2: 'info' };

/** Our diagnostics on a file, as comparable data, in position order. */
export function ipv6Diagnostics(uri: vscode.Uri): DiagnosticSummary[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'ipv6-lambda')
    .map((d) => ({
      rule: String(typeof d.code === 'object' ? d.code.value : d.code),
      severity: severityNames[d.severity],
      range: [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character] as DiagnosticSummary['range'],
    }))
    .sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1] || a.rule.localeCompare(b.rule));
}

/** Waits until the file's diagnostics are exactly `expected`; fails with the difference otherwise. */
export async function expectDiagnostics(uri: vscode.Uri, expected: DiagnosticSummary[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (isDeepStrictEqual(ipv6Diagnostics(uri), expected)) return;
    await sleep(50);
  }
  assert.deepEqual(ipv6Diagnostics(uri), expected, `diagnostics of ${uri.path}`);
}

export async function openDocument(...segments: string[]): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(...segments));
  return vscode.window.showTextDocument(document);
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

let copies = 0;

/** A fresh copy of a workspace file or folder, so a test may edit it freely. Returns the copy's URI. */
export async function copyOfWorkspaceItem(...segments: string[]): Promise<vscode.Uri> {
  const source = workspaceFile(...segments);
  const target = workspaceFile(`scratch-${++copies}`, segments[segments.length - 1]);
  await vscode.workspace.fs.copy(source, target, { overwrite: true });
  return target;
}

/** Our code actions at a diagnostic of the given rule (fails when there is no such diagnostic). */
export async function codeActionsFor(uri: vscode.Uri, rule: string): Promise<vscode.CodeAction[]> {
  const diagnostic = vscode.languages.getDiagnostics(uri).find((d) => typeof d.code === 'object' && d.code.value === rule);
  if (!diagnostic) throw new Error(`no ${rule} diagnostic on ${uri.path}`);
  return codeActionsAt(uri, diagnostic.range, vscode.CodeActionKind.QuickFix);
}

/**
 * The code actions at a range, as the lightbulb asks for them. The workbench cancels such a request
 * when the document's diagnostics change meanwhile (e.g. the built-in TypeScript or JSON language
 * server reports on the file just opened); a person would simply ask again, and so does this.
 */
export async function codeActionsAt(uri: vscode.Uri, range: vscode.Range, kind: vscode.CodeActionKind): Promise<vscode.CodeAction[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, kind.value);
    } catch (error) {
      if (attempt === 5 || !(error instanceof Error) || error.message !== 'Canceled') throw error;
      await sleep(500);
    }
  }
}

let uiRequests = 0;

export type UiRequest = { action: 'click'; text: string } | { action: 'type'; text: string } | { action: 'press'; key: string } | { action: 'dialogText' };

/**
 * Asks the harness to act in the workbench as a person would (click a modal dialog's button, type,
 * press a key) and returns what it reports (for `dialogText`, the dialog's text).
 */
export async function ui(request: UiRequest): Promise<string> {
  const runDir = process.env.IPV6_LAMBDA_TEST_RUN_DIR;
  if (!runDir) throw new Error('UI requests need the code-server harness (test/host/run.mjs)');
  const id = ++uiRequests;
  const done = path.join(runDir, `ui-${id}.done`);
  console.log(`__ipv6_lambda_ui__:${JSON.stringify({ ...request, id })}`);
  const outcome = await waitFor(`UI request ${JSON.stringify(request)}`, () => (fs.existsSync(done) ? fs.readFileSync(done, 'utf8') : undefined), 20_000);
  if (outcome.startsWith('error: ')) throw new Error(`UI request ${JSON.stringify(request)} failed: ${outcome}`);
  return outcome;
}
