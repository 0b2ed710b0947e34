import type { Node } from 'web-tree-sitter';
import type { Location, Range } from '../../model/graph';

/** One parsed .tf file. Tree-sitter columns over a JS string are UTF-16 units, as Range wants. */
export interface HclFile {
  path: string;
  text: string;
  lines: string[];
  root: Node;
}

export interface Attribute {
  name: string;
  /** The whole `name = value`. */
  node: Node;
  nameNode: Node;
  expr: Node;
  /** Where `expr` is among the children of `node`. */
  exprIndex: number;
  file: HclFile;
}

export interface Block {
  type: string;
  labels: string[];
  node: Node;
  typeNode: Node;
  /** From the block type to the end of its last label, e.g. `resource "aws_route" "v6"`. */
  header: Range;
  /** Absent for an empty block `x {}`. */
  body?: Node;
  openBrace: Node;
  closeBrace: Node;
  attributes: Map<string, Attribute>;
  blocks: Block[];
  file: HclFile;
}

export function rangeOf(node: Node): Range {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

export function locationOf(file: HclFile, node: Node): Location {
  return { file: file.path, range: rangeOf(node) };
}

/** The text of a string literal label or template without its quotes. */
export function labelText(node: Node): string {
  return labelOf(node, node.type, node.text);
}

/** {@link labelText} of a node whose type and text are read already: each read is a call into the parser. */
function labelOf(node: Node, type: string, text: string): string {
  // A string literal's parts lie between its two quotes; slicing spares a call into the parser per part.
  if (type === 'string_lit' && text.length >= 2 && text.startsWith('"') && text.endsWith('"')) return text.slice(1, -1);
  if (type === 'identifier') return text;
  return node.children
    .filter((child) => child.type !== 'quoted_template_start' && child.type !== 'quoted_template_end')
    .map((child) => child.text)
    .join('');
}

/** Where a node read as `text` ends: found from its start when it holds no line break, sparing a call into the parser. */
function endOf(node: Node, text: string): { line: number; character: number } {
  if (!text.includes('\n')) return { line: node.startPosition.row, character: node.startPosition.column + text.length };
  const end = node.endPosition;
  return { line: end.row, character: end.column };
}

/** The source text of a node, sliced from the file (tree-sitter indexes JS strings by UTF-16 unit, as slice does). */
function textOf(node: Node, file: HclFile): string {
  return file.text.slice(node.startIndex, node.endIndex);
}

export function readBlock(node: Node, file: HclFile): Block {
  const children = node.children;
  const typeNode = children[0];
  const typeText = textOf(typeNode, file);
  const labels: string[] = [];
  let headerEnd = endOf(typeNode, typeText);
  let openBrace = typeNode;
  let closeBrace = children[children.length - 1];
  let body: Node | undefined;
  for (let index = 1; index < children.length; index++) {
    const child = children[index];
    // Each read of a node's type is a call into the parser: read it once.
    const type = child.type;
    if (type === 'string_lit' || type === 'identifier') {
      const text = textOf(child, file);
      labels.push(labelOf(child, type, text));
      headerEnd = endOf(child, text);
    } else if (type === 'block_start') openBrace = child;
    else if (type === 'block_end') closeBrace = child;
    else if (type === 'body') body = child;
  }
  const block: Block = {
    type: typeText,
    labels,
    node,
    typeNode,
    header: { start: { line: typeNode.startPosition.row, character: typeNode.startPosition.column }, end: headerEnd },
    body,
    openBrace,
    closeBrace,
    attributes: new Map(),
    blocks: [],
    file,
  };
  for (const child of body?.children ?? []) {
    const type = child.type;
    if (type === 'attribute') {
      const attributeChildren = child.children;
      const nameNode = attributeChildren[0];
      // `name = value` is three tokens unless a comment sits between them.
      const exprIndex = attributeChildren.length === 3 ? 2 : attributeChildren.findIndex((c) => c.type === 'expression');
      const name = textOf(nameNode, file);
      if (exprIndex >= 0) block.attributes.set(name, { name, node: child, nameNode, expr: attributeChildren[exprIndex], exprIndex, file });
    } else if (type === 'block') {
      block.blocks.push(readBlock(child, file));
    }
  }
  return block;
}

/**
 * The attribute's expression as a node of its own. Reading a node's children makes web-tree-sitter
 * cache them on it; `attribute.expr` lives as long as the model, so evaluating it directly would keep
 * every node of every evaluated expression alive, while a fresh node lets them die young.
 */
export function freshExpression(attribute: Attribute): Node {
  return attribute.node.child(attribute.exprIndex)!;
}

export function topLevelBlocks(file: HclFile): Block[] {
  const body = file.root.children.find((child) => child.type === 'body');
  return (body?.children ?? []).filter((child) => child.type === 'block').map((child) => readBlock(child, file));
}

/** The first ERROR or MISSING node, for the "syntax error at line N" message. */
export function firstSyntaxError(node: Node): Node | undefined {
  if (node.isError || node.isMissing) return node;
  if (!node.hasError) return undefined;
  for (const child of node.children) {
    const found = firstSyntaxError(child);
    if (found) return found;
  }
  return node;
}

/** Blocks nested in `block` by type, e.g. all `egress` blocks of a security group. */
export function nestedBlocks(block: Block, type: string): Block[] {
  return block.blocks.filter((b) => b.type === type);
}

/** `dynamic "egress" { … }` blocks that generate nested blocks of `type`. */
export function dynamicBlocks(block: Block, type: string): Block[] {
  return block.blocks.filter((b) => b.type === 'dynamic' && b.labels[0] === type);
}
