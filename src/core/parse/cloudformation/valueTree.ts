/**
 * One tree for YAML and JSON templates, so that the graph builder and the fix writer see the same
 * shapes. Offsets are UTF-16 indexes into the file's text (what both parsers report); `end` is where
 * the written content ends, never trailing comments or blank lines.
 */
import * as jsonc from 'jsonc-parser';
import type { Alias, CST, Document, Node as YamlNode, Pair as YamlPair, ParsedNode } from 'yaml';
import { Composer, isAlias, isMap, isScalar, isSeq, Scalar } from 'yaml';
import type { Position, Range } from '../../model/graph';
import { lineAt, lineStartsOf } from '../../model/lineStarts';
import type { Comment } from '../../model/suppress';
import { MAX_ALIAS_NODES, MAX_NESTING_DEPTH, aliasesExpandTooFar, nestedTooDeep } from '../limits';
import { type TokenReading, cloudFormationTokens } from './yamlLexer';

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
  /** The file is well-formed as far as it was read but exceeds a bound of {@link ../limits}. */
  exceedsLimit?: true;
}

const SHORT_FORM_INTRINSICS = [
  'Ref', 'GetAtt', 'Sub', 'If', 'Select', 'Split', 'Join', 'Equals', 'Not', 'And', 'Or', 'FindInMap', 'GetAZs',
  'ImportValue', 'Base64', 'Cidr', 'Transform', 'Condition', 'ToJsonString', 'Length', 'ForEach',
] as const;

/** Line starts of a text, to turn offsets into LSP positions. */
export class LineIndex {
  private readonly starts: number[];

  constructor(readonly text: string) {
    this.starts = lineStartsOf(text);
  }

  lineOf(offset: number): number {
    return lineAt(this.starts, offset);
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

/** The options templates are parsed with (exported for the benchmark's bare-parse baseline). */
export const yamlParseOptions = { customTags, uniqueKeys: false } as const;
export const jsonParseOptions: jsonc.ParseOptions = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };

/**
 * Builds the value tree from the composed document, expanding aliases into copies. The copies are
 * counted: an alias bomb (`a2: &a2 [*a1, *a1, …]`, ten levels) would otherwise expand to billions of
 * nodes. The first bound crossed is kept in `exceeded` and stops the build.
 */
class YamlTreeBuilder {
  singleQuotes = 0;
  doubleQuotes = 0;
  /** An anchor or an alias was read: what an alias copies may be written anywhere in the file. */
  sawAnchorOrAlias = false;
  exceeded: string | undefined;
  private aliasNodes = 0;
  /** `Alias.resolve` searches the whole document; each alias is looked up once. */
  private readonly anchored = new Map<Alias, YamlNode | undefined>();

  constructor(
    private readonly doc: Document.Parsed,
    private readonly text: string,
  ) {}

  /** `depth`: collections around the node; `copying`: the node is reached through an alias. */
  node(node: YamlNode | null | undefined, depth = 0, copying = false): ValueNode | undefined {
    if (!node || this.exceeded) return undefined;
    if (depth > MAX_NESTING_DEPTH) {
      this.exceeded = nestedTooDeep();
      return undefined;
    }
    if (isAlias(node)) {
      this.sawAnchorOrAlias = true;
      return this.node(this.target(node), depth, true);
    }
    if (node.anchor) this.sawAnchorOrAlias = true;
    if (copying && ++this.aliasNodes > MAX_ALIAS_NODES) {
      this.exceeded = aliasesExpandTooFar();
      return undefined;
    }
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
      const pairs = node.items.flatMap((pair) => this.pair(pair as YamlPair<YamlNode, YamlNode>, depth + 1, copying));
      const flow = node.flow === true;
      const end = flow || pairs.length === 0 ? range[1] : pairs[pairs.length - 1].end;
      return { kind: 'map', flow, pairs, start: range[0], end, ...(tag ? { tag } : {}) };
    }
    if (isSeq(node)) {
      const items = node.items.flatMap((item) => this.node(item as YamlNode, depth + 1, copying) ?? []);
      const flow = node.flow === true;
      const end = flow || items.length === 0 ? range[1] : items[items.length - 1].end;
      return { kind: 'seq', flow, items, start: range[0], end, ...(tag ? { tag } : {}) };
    }
    return undefined;
  }

  private target(alias: Alias): YamlNode | undefined {
    if (!this.anchored.has(alias)) this.anchored.set(alias, alias.resolve(this.doc) as YamlNode | undefined);
    return this.anchored.get(alias);
  }

  private pair(pair: YamlPair<YamlNode, YamlNode>, depth: number, copying: boolean): PairNode[] {
    const key = pair.key;
    if (isAlias(key) || (key as YamlNode | null)?.anchor) this.sawAnchorOrAlias = true;
    if (!isScalar(key) || !(key as ParsedNode).range) return [];
    const [keyStart, keyEnd] = (key as ParsedNode).range;
    const value = this.node(pair.value, depth, copying);
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

/** Pushes tokens onto the explicit stack of {@link readTokens}, all at one depth. */
/** Tokens that neither are nor hold a comment or a collection: most of a file, never stacked. */
const BARE_TOKENS = new Set<string>(['space', 'newline', 'map-value-ind', 'seq-item-ind', 'explicit-key-ind', 'comma', 'flow-map-start', 'flow-map-end', 'flow-seq-start', 'flow-seq-end', 'anchor', 'tag']);

function pushTokens(stack: CST.Token[], depths: number[], tokens: readonly (CST.Token | null | undefined)[] | undefined, depth: number): void {
  if (!tokens) return;
  for (const token of tokens) {
    if (!token || BARE_TOKENS.has(token.type)) continue;
    stack.push(token);
    depths.push(depth);
  }
}

function pushItems(stack: CST.Token[], depths: number[], items: readonly CST.CollectionItem[], depth: number): void {
  for (const item of items) {
    pushTokens(stack, depths, item.start, depth);
    if (item.key) pushTokens(stack, depths, [item.key], depth);
    pushTokens(stack, depths, item.sep, depth);
    if (item.value) pushTokens(stack, depths, [item.value], depth);
  }
}

/**
 * Collects the `#` comments held anywhere in a concrete syntax token, with their line, and answers
 * whether its collections nest deeper than the bound. An explicit stack instead of recursion: the
 * parser builds any depth, and a walk that recursed would overflow on what it is meant to refuse.
 * (No closures here: this runs for every token of the file.)
 */
function collectCommentsWithinDepth(root: CST.Token, lines: LineIndex, into: Comment[]): boolean {
  const stack: CST.Token[] = [root];
  const depths: number[] = [0];
  while (stack.length > 0) {
    const token = stack.pop()!;
    const depth = depths.pop()!;
    switch (token.type) {
      case 'comment':
        into.push({ text: token.source, line: lines.lineOf(token.offset) });
        break;
      case 'document':
        pushTokens(stack, depths, token.start, depth);
        pushTokens(stack, depths, [token.value], depth);
        pushTokens(stack, depths, token.end, depth);
        break;
      case 'doc-end':
      case 'alias':
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
        pushTokens(stack, depths, token.end, depth);
        break;
      case 'block-scalar':
        pushTokens(stack, depths, token.props, depth);
        break;
      case 'flow-collection':
        if (depth >= MAX_NESTING_DEPTH) return false;
        pushTokens(stack, depths, [token.start], depth);
        pushItems(stack, depths, token.items, depth + 1);
        pushTokens(stack, depths, token.end, depth);
        break;
      case 'block-map':
      case 'block-seq':
        if (depth >= MAX_NESTING_DEPTH) return false;
        pushItems(stack, depths, token.items, depth + 1);
        break;
      default:
    }
  }
  return true;
}

/**
 * The syntax tokens of a text, on their way to the composer, leaving their comments behind: the
 * text is read once for both (a second pass cost as much as the composing itself). Stops at the
 * first token that nests too deep, before the composer (which recurses) sees it.
 */
function* commentsTaken(text: string, lines: LineIndex, into: Comment[], reading: TokenReading): Generator<CST.Token> {
  for (const token of cloudFormationTokens(text, reading)) {
    if (reading.tooDeep) return;
    if (!collectCommentsWithinDepth(token, lines, into)) {
      reading.tooDeep = true;
      return;
    }
    yield token;
  }
}

function syntaxError(message: string, offset: number, lines: LineIndex): TemplateSyntaxError {
  const { line, character } = lines.position(offset);
  return { message: `${message} at line ${line + 1}, column ${character + 1}`, line };
}

function limitError(message: string): TemplateSyntaxError {
  return { message, line: 0, exceedsLimit: true };
}

/** What a re-parse of part of the file needs to know about the whole parse, besides its tree (see ./incrementalYaml). */
export interface YamlParseFacts {
  /** Quoted scalars of each style, which decide {@link ParsedTemplate.quote}. */
  singleQuotes: number;
  doubleQuotes: number;
  /**
   * No anchor, alias or directive (`%YAML`, `%TAG`) anywhere: then each entry of a section reads
   * the same alone as within the file.
   */
  entriesReadAlone: boolean;
}

export interface YamlParse {
  parsed: ParsedTemplate | TemplateSyntaxError;
  /** Absent when the text did not parse. */
  facts?: YamlParseFacts;
}

export function majorityQuote(facts: YamlParseFacts): ParsedTemplate['quote'] {
  return facts.doubleQuotes > facts.singleQuotes ? 'double' : 'single';
}

function defaultDirectives(document: Document.Parsed): boolean {
  const { yaml, tags } = document.directives;
  const handles = Object.keys(tags);
  return !yaml.explicit && handles.length === 1 && tags['!!'] === 'tag:yaml.org,2002:';
}

/**
 * One parse: the lexer of {@link cloudFormationTokens}, then `yaml`'s parser and composer. A file
 * that is really broken gets the composer's first error with its line and column.
 */
export function parseYamlTemplate(text: string): ParsedTemplate | TemplateSyntaxError {
  return parseYamlTemplateWithFacts(text).parsed;
}

export function parseYamlTemplateWithFacts(text: string): YamlParse {
  const lines = new LineIndex(text);
  const comments: Comment[] = [];
  const reading: TokenReading = { tooDeep: false };
  const documents: Document.Parsed[] = [];
  for (const composed of new Composer(yamlParseOptions).compose(commentsTaken(text, lines, comments, reading), true, text.length)) {
    documents.push(composed);
    if (documents.length > 1) break;
  }
  if (reading.tooDeep) return { parsed: limitError(nestedTooDeep()) };
  const [document, second] = documents;
  if (second) return { parsed: syntaxError('the file holds more than one YAML document; CloudFormation reads one template per file', second.range[0], lines) };
  const error = document.errors[0];
  if (error) return { parsed: syntaxError(error.message.split('\n')[0], error.pos[0], lines) };
  const builder = new YamlTreeBuilder(document, text);
  const root = builder.node(document.contents as YamlNode | null);
  if (builder.exceeded) return { parsed: limitError(builder.exceeded) };
  const facts: YamlParseFacts = {
    singleQuotes: builder.singleQuotes,
    doubleQuotes: builder.doubleQuotes,
    entriesReadAlone: !builder.sawAnchorOrAlias && defaultDirectives(document),
  };
  return {
    parsed: { syntax: 'yaml', text, root, lines, comments: comments.sort((a, b) => a.line - b.line), quote: majorityQuote(facts) },
    facts,
  };
}

class JsonNestingTooDeep extends Error {}

/**
 * Builds the value tree straight from the parser's events: building jsonc's own tree first and
 * converting it cost more than the parse itself.
 */
class JsonTreeBuilder implements jsonc.JSONVisitor {
  root: ValueNode | undefined;
  readonly errors: jsonc.ParseError[] = [];
  private readonly open: (MapNode | SeqNode)[] = [];
  private readonly keys: { key: string; keyStart: number; keyEnd: number }[] = [];

  onObjectBegin = (offset: number): void => {
    this.checkDepth();
    this.open.push({ kind: 'map', flow: true, pairs: [], start: offset, end: offset });
  };

  onObjectProperty = (property: string, offset: number, length: number): void => {
    this.keys.push({ key: property, keyStart: offset, keyEnd: offset + length });
  };

  onObjectEnd = (offset: number, length: number): void => {
    this.close(offset + length);
  };

  onArrayBegin = (offset: number): void => {
    this.checkDepth();
    this.open.push({ kind: 'seq', flow: true, items: [], start: offset, end: offset });
  };

  onArrayEnd = (offset: number, length: number): void => {
    this.close(offset + length);
  };

  onLiteralValue = (value: unknown, offset: number, length: number): void => {
    const scalar = value as string | number | boolean | null;
    this.add({ kind: 'scalar', value: scalar, quote: typeof scalar === 'string' ? 'double' : 'plain', start: offset, end: offset + length });
  };

  onError = (error: jsonc.ParseErrorCode, offset: number, length: number): void => {
    this.errors.push({ error, offset, length });
  };

  /** jsonc's parser recurses per level: it is stopped before the stack runs out. */
  private checkDepth(): void {
    if (this.open.length >= MAX_NESTING_DEPTH) throw new JsonNestingTooDeep();
  }

  private close(end: number): void {
    const node = this.open.pop();
    if (!node) return;
    node.end = end;
    this.add(node);
  }

  private add(node: ValueNode): void {
    const parent = this.open[this.open.length - 1];
    if (!parent) this.root ??= node;
    else if (parent.kind === 'seq') parent.items.push(node);
    else {
      const key = this.keys.pop();
      if (key) parent.pairs.push({ key: key.key, keyStart: key.keyStart, keyEnd: key.keyEnd, value: node, end: node.end });
    }
  }
}

/**
 * A byte order mark is not JSON but editors save one; CloudFormation reads such files. It is read
 * as a space, so that every offset stays that of the file's own text.
 */
function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
}

export function parseJsonTemplate(text: string): ParsedTemplate | TemplateSyntaxError {
  const builder = new JsonTreeBuilder();
  try {
    jsonc.visit(withoutByteOrderMark(text), builder, jsonParseOptions);
  } catch (error) {
    if (error instanceof JsonNestingTooDeep) return limitError(nestedTooDeep());
    throw error;
  }
  const lines = new LineIndex(text);
  const { errors, root } = builder;
  if (errors.length > 0 || !root) {
    const error = errors[0];
    const offset = error?.offset ?? 0;
    const message = error ? `${jsonc.printParseErrorCode(error.error)} at line ${lines.lineOf(offset) + 1}, column ${lines.position(offset).character + 1}` : 'empty JSON document';
    return { message, line: lines.lineOf(offset) };
  }
  return { syntax: 'json', text, root, lines, comments: [], quote: 'double' };
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
    // Copied without the tag rather than deleting it: an object with a deleted property is slow to read.
    const { tag, ...argument } = node;
    return { name: tag === 'Ref' || tag === 'Condition' ? tag : `Fn::${tag}`, argument: argument as ValueNode };
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
