import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Range } from '../../../src/core/model/graph';
import type { TextEdit } from '../../../src/core/model/findings';
import type { ParsedUnit } from '../../../src/core/model/source';
import { parseCloudFormation } from '../../../src/core/parse/cloudformation';

export function fixture(name: string): string {
  return readFileSync(join(__dirname, '../../fixtures/cloudformation', name), 'utf8');
}

export function parse(text: string, path = 'template.yaml'): ParsedUnit {
  return parseCloudFormation([{ path, text }]);
}

function offsetAt(text: string, line: number, character: number): number {
  let offset = 0;
  for (let current = 0; current < line; current++) offset = text.indexOf('\n', offset) + 1;
  return offset + character;
}

/** Applies edits the way an editor does: every range refers to the original text. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const resolved = edits
    .map((edit) => ({ start: offsetAt(text, edit.range.start.line, edit.range.start.character), end: offsetAt(text, edit.range.end.line, edit.range.end.character), newText: edit.newText }))
    .sort((a, b) => b.start - a.start);
  let result = text;
  for (const edit of resolved) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

/** `line:character-line:character`, to compare ranges compactly. */
export function span(range: Range | undefined): string {
  return range ? `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}` : 'none';
}
