import type { Node, Tree } from 'web-tree-sitter';
import type { Position, Range } from '../../model/graph';
import { lineAt, lineStartsOf } from '../../model/lineStarts';
import type { ItemList, StatementSite, ErrorPosition } from './syntax';

interface Point {
  row: number;
  column: number;
}

/**
 * A named syntax node copied into JavaScript. Every property of a web-tree-sitter `Node` is a call
 * into WebAssembly that allocates; the lowering reads each node many times, so the named nodes are
 * copied once, in one cursor walk, and read from the copy (punctuation and keywords are left out:
 * nothing reads them). Text comes from the source (web-tree-sitter indexes JavaScript strings by
 * UTF-16 code unit) and positions from a line table, only when asked for.
 */
export class SyntaxNode {
  /** The named children, comments included. */
  readonly children: SyntaxNode[] = [];

  constructor(
    readonly id: number,
    readonly type: string,
    /** The field this node fills in its parent (`name`, `value`), if any. */
    readonly field: string | undefined,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly parent: SyntaxNode | null,
    private readonly source: SourceText,
  ) {}

  get text(): string {
    return this.source.text.slice(this.startIndex, this.endIndex);
  }

  get startPosition(): Point {
    return this.source.pointAt(this.startIndex);
  }

  get endPosition(): Point {
    return this.source.pointAt(this.endIndex);
  }

  childForFieldName(field: string): SyntaxNode | null {
    return this.children.find((child) => child.field === field) ?? null;
  }

  childrenForFieldName(field: string): SyntaxNode[] {
    return this.children.filter((child) => child.field === field);
  }
}

/** The source with the start of each line, for positions as tree-sitter counts them (rows split at `\n`). */
class SourceText {
  private readonly lineStarts: number[];

  constructor(readonly text: string) {
    this.lineStarts = lineStartsOf(text);
  }

  /** The line of the last lookup: positions are mostly asked for in source order. */
  private recent = 0;

  pointAt(index: number): Point {
    const { lineStarts, recent } = this;
    if (lineStarts[recent] <= index && (recent + 1 === lineStarts.length || index < lineStarts[recent + 1])) {
      return { row: recent, column: index - lineStarts[recent] };
    }
    const row = lineAt(lineStarts, index);
    this.recent = row;
    return { row, column: index - lineStarts[row] };
  }
}

/**
 * Copies the named nodes of the tree parsed from `text` (see {@link SyntaxNode}), without the
 * insides of `leaves`: node types that never have named children, or whose parts nothing reads.
 */
export function copyTree(tree: Tree, text: string, leaves: ReadonlySet<string>): SyntaxNode {
  const source = new SourceText(text);
  const { language } = tree;
  // Per type id: whether the walk copies the node, and whether it enters it.
  const namedTypes: (boolean | undefined)[] = [];
  const leafTypes: (boolean | undefined)[] = [];
  const cursor = tree.walk();
  let nextId = 0;
  const copy = (parent: SyntaxNode | null, typeId: number): SyntaxNode => {
    const fieldId = cursor.currentFieldId;
    const node = new SyntaxNode(
      nextId++,
      language.types[typeId] || 'ERROR',
      fieldId ? (language.fields[fieldId] ?? undefined) : undefined,
      cursor.startIndex,
      cursor.endIndex,
      parent,
      source,
    );
    parent?.children.push(node);
    return node;
  };
  try {
    const root = copy(null, cursor.nodeTypeId);
    let parent = root;
    if (!cursor.gotoFirstChild()) return root;
    for (;;) {
      const typeId = cursor.nodeTypeId;
      namedTypes[typeId] ??= language.nodeTypeIsNamed(typeId);
      if (namedTypes[typeId]) {
        const node = copy(parent, typeId);
        leafTypes[typeId] ??= leaves.has(node.type);
        if (!leafTypes[typeId] && cursor.gotoFirstChild()) {
          parent = node;
          continue;
        }
      }
      while (!cursor.gotoNextSibling()) {
        if (parent === root) return root;
        cursor.gotoParent();
        parent = parent.parent ?? root;
      }
    }
  } finally {
    cursor.delete();
  }
}

// web-tree-sitter 0.27 parses JavaScript strings as UTF-16: its columns are UTF-16 code units, as LSP wants.
export function rangeOf(node: SyntaxNode): Range {
  return { start: positionOf(node.startPosition), end: positionOf(node.endPosition) };
}

function positionOf(point: { row: number; column: number }): Position {
  return { line: point.row, character: point.column };
}

export function namedChildren(node: SyntaxNode): SyntaxNode[] {
  return node.children.filter((child) => child.type !== 'comment');
}

/** The items between a node's first and last character (its delimiters). */
export function delimitedList(node: SyntaxNode, items: SyntaxNode[]): ItemList {
  const range = rangeOf(node);
  return {
    items: items.map(rangeOf),
    openEnd: { line: range.start.line, character: range.start.character + 1 },
    closeStart: { line: range.end.line, character: range.end.character - 1 },
  };
}

export function statementSite(node: SyntaxNode, text: string): StatementSite {
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

export function walk(node: SyntaxNode, visit: (node: SyntaxNode) => boolean): void {
  if (!visit(node)) return;
  for (const child of node.children) walk(child, visit);
}
