import type { TextEdit } from '../../../src/core/model/findings';
import type { EditsWithCreates } from '../../../src/core/model/fixes';

function offsetAt(text: string, line: number, character: number): number {
  let offset = 0;
  for (let current = 0; current < line; current++) offset = text.indexOf('\n', offset) + 1;
  return offset + character;
}

/** Applies non-overlapping edits the way an editor does: all against the original text. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const located = edits.map((edit) => ({
    start: offsetAt(text, edit.range.start.line, edit.range.start.character),
    end: offsetAt(text, edit.range.end.line, edit.range.end.character),
    newText: edit.newText,
  }));
  located.sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  for (const edit of located) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

export function applyFix(text: string, fix: EditsWithCreates | undefined): string {
  if (!fix) throw new Error('expected a fix, got none');
  return applyEdits(text, fix.edits);
}

/** Lines of source, joined: keeps expected texts readable in tests. */
export function lines(...source: string[]): string {
  return source.join('\n') + '\n';
}
