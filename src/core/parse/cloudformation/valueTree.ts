/**
 * One tree for YAML and JSON templates, so that the graph builder and the fix writer see the same
 * shapes. Offsets are UTF-16 indexes into the file's text (what both parsers report); `end` is where
 * the written content ends, never trailing comments or blank lines.
 */
import * as jsonc from 'jsonc-parser';
import type { Document, Node as YamlNode, Pair as YamlPair, ParsedNode } from 'yaml';
import { isAlias, isMap, isScalar, isSeq, LineCounter, Parser, parseDocument, Scalar } from 'yaml';
import type { Position, Range } from '../../model/graph';
import type { Comment } from '../../model/suppress';

interface NodeBase {
  start: number;
  end: number;
  /** A short-form intrinsic written as a YAML tag, without the `!` (e.g. `Ref`, `GetAtt`). */
  tag?: string;
}

export type QuoteStyle = 'plain' | 'single' | 'double' | 'block';

export interface ScalarNode extends NodeBase {
  kind: 'scalar';
  value: string | number | boolean | null;
  quote: QuoteStyle;
}

export interface PairNode {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: ValueNode | undefined;
  /** End of the value as written (the key's end when the value is empty). */
  end: number;
}

export interface MapNode extends NodeBase {
  kind: 'map';
  /** Written in braces (`{…}`); every JSON object is. */
  flow: boolean;
  pairs: PairNode[];
}

export interface SeqNode extends NodeBase {
  kind: 'seq';
  flow: boolean;
  items: ValueNode[];
}

export type ValueNode = ScalarNode | MapNode | SeqNode;

export type TemplateSyntax = 'yaml' | 'json';

export interface ParsedTemplate {
  syntax: TemplateSyntax;
  text: string;
  root: ValueNode | undefined;
  lines: LineIndex;
  comments: Comment[];
  /** The quote style most used for quoted strings in the file (YAML), for text the fixes add. */
  quote: 'single' | 'double';
}

export interface TemplateSyntaxError {
  message: string;
  /** 0-based. */
  line: number;
}

const SHORT_FORM_INTRINSICS = [
  'Ref', 'GetAtt', 'Sub', 'If', 'Select', 'Split', 'Join', 'Equals', 'Not', 'And', 'Or', 'FindInMap', 'GetAZs',
  'ImportValue', 'Base64', 'Cidr', 'Transform', 'Condition', 'ToJsonString', 'Length', 'ForEach',
] as const;

/** Line starts of a text, to turn offsets into LSP positions. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  lineOf(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    return this.starts[line];
  }

  /** Offset of the end of the offset's line, before its line break. */
  lineEnd(offset: number): number {
    const line = this.lineOf(offset);
    let end = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length;
    if (end > this.starts[line] && this.text.charCodeAt(end - 1) === 13 && end < this.text.length) end -= 1;
    return end;
  }

  position(offset: number): Position {
    const line = this.lineOf(offset);
    return { line, character: offset - this.starts[line] };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }
}

// The short-form tags only need to survive parsing: the tree builder reads `node.tag` back.
const customTags = SHORT_FORM_INTRINSICS.flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => value },
  { tag: `!${name}`, collection: 'seq' as const, resolve: (value: unknown) => value },
  { tag: `!${name}`, collection: 'map' as const, resolve: (value: unknown) => value },
]);

const MAX_ALIAS_DEPTH = 50;

class YamlTreeBuilder {
  singleQuotes = 0;
  doubleQuotes = 0;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly text: string,
  ) {}

  node(node: YamlNode | null | undefined, depth = 0): ValueNode | undefined {
    if (!node || depth > MAX_ALIAS_DEPTH) return undefined;
    if (isAlias(node)) return this.node(node.resolve(this.doc) as YamlNode | undefined, depth + 1);
    const tag = shortFormTag(node.tag);
    const range = (node as ParsedNode).range;
    if (isScalar(node)) {
      const quote = quoteStyle(node.type);
      if (quote === 'single') this.singleQuotes++;
      if (quote === 'double') this.doubleQuotes++;
      const value = node.value;
      const scalar = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null ? value : String(value);
      // A block scalar's range runs through its trailing line breaks.
      const end = quote === 'block' ? range[0] + this.text.slice(range[0], range[1]).trimEnd().length : range[1];
      return { kind: 'scalar', value: scalar, quote, start: range[0], end, ...(tag ? { tag } : {}) };
    }
    if (isMap(node)) {
      const pairs = node.items.flatMap((pair) => this.pair(pair as YamlPair<YamlNode, YamlNode>, depth));
      const flow = node.flow === true;
      const end = flow || pairs.length === 0 ? range[1] : pairs[pairs.length - 1].end;
      return { kind: 'map', flow, pairs, start: range[0], end, ...(tag ? { tag } : {}) };
    }
    if (isSeq(node)) {
      const items = node.items.flatMap((item) => this.node(item as YamlNode, depth) ?? []);
      const flow = node.flow === true;
      const end = flow || items.length === 0 ? range[1] : items[items.length - 1].end;
      return { kind: 'seq', flow, items, start: range[0], end, ...(tag ? { tag } : {}) };
    }
    return undefined;
  }

  private pair(pair: YamlPair<YamlNode, YamlNode>, depth: number): PairNode[] {
    const key = pair.key;
    if (!isScalar(key) || !(key as ParsedNode).range) return [];
    const [keyStart, keyEnd] = (key as ParsedNode).range;
    const value = this.node(pair.value, depth);
    const present = value && !(value.kind === 'scalar' && value.value === null && value.start === value.end);
    return [{ key: String(key.value), keyStart, keyEnd, value: present ? value : undefined, end: present ? value.end : keyEnd }];
  }
}

function shortFormTag(tag: string | undefined): string | undefined {
  if (!tag || !tag.startsWith('!') || tag.startsWith('!!')) return undefined;
  const name = tag.slice(1);
  return (SHORT_FORM_INTRINSICS as readonly string[]).includes(name) ? name : undefined;
}

function quoteStyle(type: Scalar['type']): QuoteStyle {
  switch (type) {
    case 'QUOTE_SINGLE':
      return 'single';
    case 'QUOTE_DOUBLE':
      return 'double';
    case 'BLOCK_FOLDED':
    case 'BLOCK_LITERAL':
      return 'block';
    default:
      return 'plain';
  }
}

/** Every `#` comment of a YAML text with its line, from the concrete syntax tree. */
function yamlComments(text: string, lines: LineIndex): Comment[] {
  const comments: Comment[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const token = value as { type?: unknown; offset?: unknown; source?: unknown };
    if (token.type === 'comment' && typeof token.offset === 'number' && typeof token.source === 'string') {
      comments.push({ text: token.source, line: lines.lineOf(token.offset) });
      return;
    }
    Object.values(value).forEach(visit);
  };
  for (const token of new Parser().parse(text)) visit(token);
  return comments.sort((a, b) => a.line - b.line);
}

export function parseYamlTemplate(text: string): ParsedTemplate | TemplateSyntaxError {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { customTags, lineCounter, uniqueKeys: false });
  const lines = new LineIndex(text);
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    return { message: error.message.split('\n')[0], line: lines.lineOf(error.pos[0]) };
  }
  const builder = new YamlTreeBuilder(doc, text);
  const root = builder.node(doc.contents as YamlNode | null);
  return {
    syntax: 'yaml',
    text,
    root,
    lines,
    comments: yamlComments(text, lines),
    quote: builder.doubleQuotes > builder.singleQuotes ? 'double' : 'single',
  };
}

function jsonNode(node: jsonc.Node): ValueNode | undefined {
  const start = node.offset;
  const end = node.offset + node.length;
  switch (node.type) {
    case 'object': {
      const pairs: PairNode[] = [];
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (!key || typeof key.value !== 'string') continue;
        const converted = value ? jsonNode(value) : undefined;
        pairs.push({ key: key.value, keyStart: key.offset, keyEnd: key.offset + key.length, value: converted, end: converted?.end ?? key.offset + key.length });
      }
      return { kind: 'map', flow: true, pairs, start, end };
    }
    case 'array':
      return { kind: 'seq', flow: true, items: (node.children ?? []).flatMap((child) => jsonNode(child) ?? []), start, end };
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
      return { kind: 'scalar', value: node.value as string | number | boolean | null, quote: node.type === 'string' ? 'double' : 'plain', start, end };
    default:
      return undefined;
  }
}

export function parseJsonTemplate(text: string): ParsedTemplate | TemplateSyntaxError {
  const errors: jsonc.ParseError[] = [];
  const tree = jsonc.parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const lines = new LineIndex(text);
  if (errors.length > 0 || !tree) {
    const error = errors[0];
    const offset = error?.offset ?? 0;
    const message = error ? `${jsonc.printParseErrorCode(error.error)} at line ${lines.lineOf(offset) + 1}, column ${lines.position(offset).character + 1}` : 'empty JSON document';
    return { message, line: lines.lineOf(offset) };
  }
  return { syntax: 'json', text, root: jsonNode(tree), lines, comments: [], quote: 'double' };
}

export function isSyntaxError(value: ParsedTemplate | TemplateSyntaxError): value is TemplateSyntaxError {
  return (value as ParsedTemplate).syntax === undefined;
}

// ---- reading the tree ----

export function pairOf(map: ValueNode | undefined, key: string): PairNode | undefined {
  if (!map || map.kind !== 'map' || map.tag) return undefined;
  // CloudFormation keeps the last of duplicate keys, as JSON.parse and yaml's toJS do.
  for (let i = map.pairs.length - 1; i >= 0; i--) if (map.pairs[i].key === key) return map.pairs[i];
  return undefined;
}

export function valueOf(map: ValueNode | undefined, key: string): ValueNode | undefined {
  return pairOf(map, key)?.value;
}

export function asPlainMap(node: ValueNode | undefined): MapNode | undefined {
  return node && node.kind === 'map' && !node.tag && !intrinsicOf(node) ? node : undefined;
}

export interface Intrinsic {
  /** Long-form name: `Ref`, `Condition`, `Fn::GetAtt`, … */
  name: string;
  argument: ValueNode | undefined;
}

/** The intrinsic function a node calls, in short (`!Ref X`) or long (`{"Ref": "X"}`) form. */
export function intrinsicOf(node: ValueNode | undefined): Intrinsic | undefined {
  if (!node) return undefined;
  if (node.tag) {
    const argument = { ...node };
    delete argument.tag;
    return { name: node.tag === 'Ref' || node.tag === 'Condition' ? node.tag : `Fn::${node.tag}`, argument };
  }
  if (node.kind === 'map' && node.pairs.length === 1) {
    const [pair] = node.pairs;
    if (pair.key === 'Ref' || pair.key.startsWith('Fn::')) return { name: pair.key, argument: pair.value };
  }
  return undefined;
}

export function scalarText(node: ValueNode | undefined): string | undefined {
  return node?.kind === 'scalar' && !node.tag && node.value !== null ? String(node.value) : undefined;
}
