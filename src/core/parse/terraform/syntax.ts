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
  const text = node.text;
  // A string literal's parts lie between its two quotes; slicing spares a call into the parser per part.
  return node.type === 'string_lit' && text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : labelParts(node, text);
}

function labelParts(node: Node, text: string): string {
  if (node.type === 'identifier') return text;
  return node.children
    .filter((child) => child.type !== 'quoted_template_start' && child.type !== 'quoted_template_end')
    .map((child) => child.text)
    .join('');
}

export function readBlock(node: Node, file: HclFile): Block {
  const typeNode = node.children[0];
  const labelNodes: Node[] = [];
  let openBrace = node.children[0];
  let closeBrace = node.children[node.children.length - 1];
  let body: Node | undefined;
  for (const child of node.children.slice(1)) {
    // Each read of a node's type is a call into the parser: read it once.
    const type = child.type;
    if (type === 'string_lit' || type === 'identifier') labelNodes.push(child);
    else if (type === 'block_start') openBrace = child;
    else if (type === 'block_end') closeBrace = child;
    else if (type === 'body') body = child;
  }
  // A node's start position is kept in JS; its end position is a call into the parser.
  const headerEnd = (labelNodes.length > 0 ? labelNodes[labelNodes.length - 1] : typeNode).endPosition;
  const block: Block = {
    type: typeNode.text,
    labels: labelNodes.map(labelText),
    node,
    typeNode,
    header: { start: { line: typeNode.startPosition.row, character: typeNode.startPosition.column }, end: { line: headerEnd.row, character: headerEnd.column } },
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
      const children = child.children;
      const nameNode = children[0];
      // `name = value` is three tokens unless a comment sits between them.
      const expr = children.length === 3 ? children[2] : children.find((c) => c.type === 'expression');
      const name = nameNode.text;
      if (expr) block.attributes.set(name, { name, node: child, nameNode, expr, file });
    } else if (type === 'block') {
      block.blocks.push(readBlock(child, file));
    }
  }
  return block;
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
