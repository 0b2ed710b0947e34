import type { Node } from 'web-tree-sitter';
import type { Position, Range } from '../../model/graph';
import type { ItemList, StatementSite, ErrorPosition } from './syntax';

// web-tree-sitter 0.27 parses JavaScript strings as UTF-16: its columns are UTF-16 code units, as LSP wants.
export function rangeOf(node: Node): Range {
  return { start: positionOf(node.startPosition), end: positionOf(node.endPosition) };
}

function positionOf(point: { row: number; column: number }): Position {
  return { line: point.row, character: point.column };
}

export function namedChildren(node: Node): Node[] {
  return node.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment');
}

/** The items between a node's first and last character (its delimiters). */
export function delimitedList(node: Node, items: Node[]): ItemList {
  const range = rangeOf(node);
  return {
    items: items.map(rangeOf),
    openEnd: { line: range.start.line, character: range.start.character + 1 },
    closeStart: { line: range.end.line, character: range.end.character - 1 },
  };
}

export function statementSite(node: Node, text: string): StatementSite {
  const lineStart = node.startIndex - node.startPosition.column;
  const before = text.slice(lineStart, node.startIndex);
  return { range: rangeOf(node), indent: /^\s*$/.test(before) ? before : '', semicolon: node.text.endsWith(';') };
}

export function firstErrorPosition(root: Node): ErrorPosition | undefined {
  if (!root.hasError) return undefined;
  const pending: Node[] = [root];
  while (pending.length > 0) {
    const node = pending.shift()!;
    if (node.isError || node.isMissing) return { line: node.startPosition.row, character: node.startPosition.column };
    for (const child of node.children) if (child?.hasError || child?.isMissing) pending.push(child);
  }
  return { line: 0, character: 0 };
}

export function walk(node: Node, visit: (node: Node) => boolean): void {
  if (!visit(node)) return;
  for (const child of node.children) if (child) walk(child, visit);
}
