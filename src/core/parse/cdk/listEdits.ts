import type { Position } from '../../model/graph';
import type { TextEdit } from '../../model/findings';
import { lineAt, lineStartsOf } from '../../model/lineStarts';
import type { ItemList } from './syntax';

/** Converts LSP positions to string offsets; both count UTF-16 code units. */
export class TextIndex {
  private readonly lineStarts: number[];
  readonly eol: string;

  constructor(readonly text: string) {
    this.lineStarts = lineStartsOf(text);
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
  }

  offsetAt(position: Position): number {
    return this.lineStarts[position.line] + position.character;
  }

  positionAt(offset: number): Position {
    const line = lineAt(this.lineStarts, offset);
    return { line, character: offset - this.lineStarts[line] };
  }

  lineIndent(line: number): string {
    // Sticky, from the line's start: slicing the rest of the file for each fix would copy it.
    const indent = /[ \t]*/y;
    indent.lastIndex = this.lineStarts[line];
    return indent.exec(this.text)![0];
  }
}

function insertAt(file: string, index: TextIndex, offset: number, newText: string): TextEdit {
  const position = index.positionAt(offset);
  return { file, range: { start: position, end: position }, newText };
}

interface LineTail {
  /** After the item's own comma, if it has one. */
  commaEnd?: number;
  /** Where the item's line ends (before the line break), when nothing but a comment follows the item. */
  lineEnd?: number;
}

function tailOf(index: TextIndex, itemEnd: number): LineTail {
  const text = index.text;
  let at = itemEnd;
  while (text[at] === ' ' || text[at] === '\t') at++;
  const commaEnd = text[at] === ',' ? at + 1 : undefined;
  const from = commaEnd ?? itemEnd;
  let lineEnd = text.indexOf('\n', from);
  if (lineEnd < 0) return { commaEnd };
  if (text[lineEnd - 1] === '\r') lineEnd--;
  const rest = text.slice(from, lineEnd).trim();
  const onlyComment = rest === '' || rest.startsWith('//') || rest.startsWith('#') || rest.startsWith('/*');
  return { commaEnd, lineEnd: onlyComment ? lineEnd : undefined };
}

/**
 * Inserts items after the item at `after` (the last item when undefined), following the list's layout:
 * one item per line with the anchor's indentation and trailing-comma habit, or `, item` on one line.
 */
export function insertItems(file: string, index: TextIndex, list: ItemList, after: number | undefined, itemTexts: string[]): TextEdit[] {
  if (list.items.length === 0) {
    const start = index.offsetAt(list.openEnd);
    const end = index.offsetAt(list.closeStart);
    return [{ file, range: { start: index.positionAt(start), end: index.positionAt(end) }, newText: ` ${itemTexts.join(', ')} ` }];
  }
  const anchorIndex = after ?? list.items.length - 1;
  const anchor = list.items[anchorIndex];
  const anchorEnd = index.offsetAt(anchor.end);
  const tail = tailOf(index, anchorEnd);
  if (tail.lineEnd === undefined) {
    return [insertAt(file, index, anchorEnd, itemTexts.map((item) => `, ${item}`).join(''))];
  }
  const indent = index.lineIndent(anchor.start.line);
  const lines = itemTexts.map((item) => `${index.eol}${indent}${item}`).join(',') + (tail.commaEnd !== undefined ? ',' : '');
  if (tail.commaEnd !== undefined) return [insertAt(file, index, tail.lineEnd, lines)];
  if (index.text.slice(anchorEnd, tail.lineEnd).trim() === '') return [insertAt(file, index, anchorEnd, `,${lines}`)];
  return [insertAt(file, index, anchorEnd, ','), insertAt(file, index, tail.lineEnd, lines)];
}

/** Deletes one item with its separator, leaving the list's layout as it was. */
export function removeItem(file: string, index: TextIndex, list: ItemList, at: number): TextEdit {
  const range = (start: number, end: number): TextEdit => ({
    file,
    range: { start: index.positionAt(start), end: index.positionAt(end) },
    newText: '',
  });
  const item = list.items[at];
  if (list.items.length === 1) return range(index.offsetAt(list.openEnd), index.offsetAt(list.closeStart));
  const itemStart = index.offsetAt(item.start);
  const itemEnd = index.offsetAt(item.end);
  const isLast = at === list.items.length - 1;
  const tail = tailOf(index, itemEnd);
  const ownLine = index.lineIndent(item.start.line).length === item.start.character;
  if (isLast && tail.commaEnd === undefined) return range(index.offsetAt(list.items[at - 1].end), itemEnd);
  if (ownLine && tail.lineEnd !== undefined) {
    const lineStart = itemStart - item.start.character;
    const nextLineStart = index.text.indexOf('\n', tail.lineEnd) + 1;
    return range(lineStart, nextLineStart);
  }
  if (isLast) return range(index.offsetAt(list.items[at - 1].end), tail.commaEnd ?? itemEnd);
  return range(itemStart, index.offsetAt(list.items[at + 1].start));
}
