import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits } from '../../../src/core/fixes/fixAll';
import type { TextEdit } from '../../../src/core/model/findings';
import type { EditsWithCreates } from '../../../src/core/model/fixes';
import type { ResourceGraph } from '../../../src/core/model/graph';
import type { ParsedUnit, SourceFile } from '../../../src/core/model/source';
import { parseTerraform } from '../../../src/core/parse/terraform';

export const fixturesFolder = path.join(__dirname, '../../fixtures/terraform');

/** The .tf files of a fixture folder, named by their file name. */
export function fixture(name: string): SourceFile[] {
  const folder = path.join(fixturesFolder, name);
  return fs
    .readdirSync(folder)
    .filter((file) => file.endsWith('.tf'))
    .sort()
    .map((file) => ({ path: file, text: fs.readFileSync(path.join(folder, file), 'utf8') }));
}

/** Parses inline files: `{ 'main.tf': '…' }`. */
export function parse(files: Record<string, string>): Promise<ParsedUnit> {
  return parseTerraform(Object.entries(files).map(([file, text]) => ({ path: file, text })));
}

type Elements = Exclude<keyof ResourceGraph, never>;

export function element<K extends Elements>(graph: ResourceGraph, kind: K, key: string): ResourceGraph[K][number] {
  const found = (graph[kind] as { key: string }[]).find((e) => e.key === key);
  if (!found) throw new Error(`${kind} ${key} not in the graph: ${(graph[kind] as { key: string }[]).map((e) => e.key).join(', ')}`);
  return found as ResourceGraph[K][number];
}

/** The texts of all files after applying the edits. */
export function applied(files: Record<string, string> | SourceFile[], written: EditsWithCreates | undefined): Record<string, string> {
  if (!written) throw new Error('the fix builder wrote no fix');
  const texts: Record<string, string> = Array.isArray(files) ? Object.fromEntries(files.map((f) => [f.path, f.text])) : { ...files };
  const byFile = new Map<string, TextEdit[]>();
  for (const edit of written.edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
  for (const [file, edits] of byFile) texts[file] = applyEdits(texts[file], edits);
  return texts;
}

/** A 0-based range as `line:character-line:character`, for compact exact assertions. */
export function at(loc: { range: { start: { line: number; character: number }; end: { line: number; character: number } } } | undefined): string {
  if (!loc) return 'nowhere';
  const { start, end } = loc.range;
  return `${start.line}:${start.character}-${end.line}:${end.character}`;
}

/** Joins lines with \n and a final newline: keeps expected .tf texts readable in tests. */
export function tf(...lines: string[]): string {
  return lines.join('\n') + '\n';
}
