/**
 * Property: after incremental edits (LSP `didChange` with ranges) and their undoing, the server's
 * diagnostics are exactly those of a fresh analysis of the edited text. Seeded: failures repeat.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Diagnostic, DocumentDiagnosticReport } from 'vscode-languageserver/node';
import { analyzeUnit } from '../../../src/core/analysis/analyzeUnit';
import { detectFormat } from '../../../src/core/parse';
import { toDiagnostic } from '../../../src/server/convert';
import type { TestServer } from './harness';
import { pullClient, startTestServer } from './harness';
import { seededRandom } from '../../support/seededRandom';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures');
const SEED = 0x5eed1e55;
const EDITS_PER_FIXTURE = 8;

/** LSP position (UTF-16) of an offset. */
function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Offsets where the lines of a text start. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

/**
 * Edits a person makes while fixing a template, mostly leaving it parsable: flip a flag, delete
 * or duplicate a line, add a comment line, type a space.
 */
function randomEdit(text: string, comment: string, next: () => number): { start: number; end: number; newText: string } {
  const starts = lineStarts(text);
  const line = Math.floor(next() * starts.length);
  const lineStart = starts[line];
  const lineEnd = line + 1 < starts.length ? starts[line + 1] : text.length;
  const choice = next();
  if (choice < 0.15) {
    const flags = [...text.matchAll(/\b(true|false|True|False)\b/g)];
    if (flags.length > 0) {
      const flag = flags[Math.floor(next() * flags.length)];
      const flipped = { true: 'false', false: 'true', True: 'False', False: 'True' }[flag[0]]!;
      return { start: flag.index, end: flag.index + flag[0].length, newText: flipped };
    }
  }
  if (choice < 0.3) return { start: lineStart, end: lineEnd, newText: '' };
  if (choice < 0.65) return { start: lineStart, end: lineStart, newText: text.slice(lineStart, lineEnd) };
  if (choice < 0.8 && comment) return { start: lineStart, end: lineStart, newText: `${comment} edited\n` };
  const end = text.indexOf('\n', lineStart);
  return { start: end < 0 ? text.length : end, end: end < 0 ? text.length : end, newText: ' ' };
}

/** A fresh analysis of the edited text, in its unit: alone, or with the other .tf files of its folder as they are on disk. */
async function freshDiagnostics(uri: string, text: string): Promise<Diagnostic[]> {
  const filePath = fileURLToPath(uri);
  const format = detectFormat(filePath, text);
  if (!format) return [];
  const folder = path.dirname(filePath);
  const files =
    format === 'terraform'
      ? readdirSync(folder)
          .filter((name) => name.endsWith('.tf'))
          .sort()
          .map((name) => pathToFileURL(path.join(folder, name)).href)
          .map((file) => ({ path: file, text: file === uri ? text : readFileSync(fileURLToPath(file), 'utf8') }))
      : [{ path: uri, text }];
  const { findings } = await analyzeUnit({ format, files });
  return findings.filter((finding) => finding.loc?.file === uri).map(toDiagnostic);
}

/** Folder, file, language, line comment. */
const fixtures = [
  ['cloudformation', 'nat-only.yaml', 'yaml', '#'],
  ['cloudformation', 'sam-globals.yaml', 'yaml', '#'],
  ['cloudformation', 'nat-route.json', 'json', ''],
  ['cdk', 'dual-stack.ts', 'typescript', '//'],
  ['cdk', 'nat-only.ts', 'typescript', '//'],
  ['cdk', 'dual-stack.py', 'python', '#'],
  ['cdk', 'nat-only.py', 'python', '#'],
  // Edited in place (in memory): the other files of the folder are read from disk.
  ['terraform/nat-only', 'lambda.tf', 'terraform', '#'],
  ['terraform/nat-only', 'network.tf', 'terraform', '#'],
];

describe('incremental edits in the language server', () => {
  let server: TestServer;
  afterEach(() => server.dispose());

  for (const [folder, name, languageId, comment] of fixtures) {
    it(`${folder}/${name}: the diagnostics after each of ${EDITS_PER_FIXTURE} random edits (each then undone) are those of a fresh analysis`, async () => {
      server = await startTestServer(pullClient);
      const file = path.join(FIXTURES, folder, name);
      // Outside a Terraform folder, a name of its own, so that no other file is read from disk.
      const uri = pathToFileURL(languageId === 'terraform' ? file : path.join(path.dirname(file), `edited-${name}`)).href;
      let text = readFileSync(file, 'utf8');
      server.open(uri, text, languageId);
      const next = seededRandom(SEED ^ name.length);
      let stepsWithFindings = 0;
      let version = 1;
      const send = async (edit: { start: number; end: number; newText: string }) => {
        const range = { start: positionAt(text, edit.start), end: positionAt(text, edit.end) };
        void server.client.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ range, text: edit.newText }] });
        text = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
        const report = await server.client.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
        const expected = await freshDiagnostics(uri, text);
        assert.deepEqual(report.kind === 'full' ? report.items : undefined, expected, `after change ${version}: ${JSON.stringify(edit)}`);
        return expected.length > 0;
      };
      for (let step = 0; step < EDITS_PER_FIXTURE; step++) {
        // Each edit is made, then undone, so that every edit is one change away from the fixture.
        const edit = randomEdit(text, comment, next);
        const removed = text.slice(edit.start, edit.end);
        if (await send(edit)) stepsWithFindings++;
        await send({ start: edit.start, end: edit.start + edit.newText.length, newText: removed });
      }
      // The edits must leave something to compare: a run where every text stopped parsing proves nothing.
      assert.ok(stepsWithFindings >= EDITS_PER_FIXTURE / 3, `only ${stepsWithFindings} of ${EDITS_PER_FIXTURE} edited texts had findings`);
    });
  }
});
