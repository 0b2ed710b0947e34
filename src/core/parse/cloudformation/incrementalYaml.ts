/**
 * Re-parsing a YAML template after an edit in proportion to the edit. A template is mostly one
 * section (`Resources:`) of many small entries, each a block of lines between two keys at the
 * section's indentation. When an edit stays inside one such entry, only that entry's lines are
 * parsed again, with the same parser and options, and its subtree is spliced into the previous
 * tree; the nodes after it are copied with their offsets shifted (the previous tree stays as it was:
 * an analysis of the previous text may still read it).
 *
 * An entry read alone reads as within the file when nothing reaches across its bounds; whatever
 * cannot be shown so falls back to parsing the whole file, which is always right:
 * - the previous text did not parse, or uses anchors, aliases or directives (what an alias copies,
 *   or how a tag or scalar resolves, is decided elsewhere in the file);
 * - the edit touches a top-level key, the lines between a section's key and its first entry, a
 *   section that is not a block map, or more than one entry;
 * - the edited lines no longer start with a key at the entry's indentation, or a line of them is
 *   indented less (it would end the section, or continue a quoted scalar or flow collection at the
 *   left margin, which only the whole file can tell);
 * - the edited entry does not parse alone (an unclosed quote or bracket would run on into the
 *   next entry in the file), holds a document marker, or nests near the depth bound.
 * The unit test and the server's property test check that the result equals a fresh parse.
 */
import { MAX_NESTING_DEPTH } from '../limits';
import type { MapNode, PairNode, ParsedTemplate, ValueNode, YamlParse, YamlParseFacts } from './valueTree';
import { LineIndex, isSyntaxError, majorityQuote, parseYamlTemplateWithFacts } from './valueTree';

export interface Reparse {
  parse: YamlParse;
  /** What was parsed again: one entry of a section, or the whole file (with the reason). */
  scope: { entry: string } | { file: string };
}

/** The parse of `text`, re-using `previous` (the parse of an earlier version of the same file) where the edit allows. */
export function reparseYamlTemplate(previous: YamlParse, text: string): Reparse {
  const local = reparseEntry(previous, text);
  if (typeof local === 'string') return { parse: parseYamlTemplateWithFacts(text), scope: { file: local } };
  return local;
}

/** Where two texts differ: `[start, oldEnd)` of the old text became `[start, newEnd)` of the new. */
interface Change {
  start: number;
  oldEnd: number;
  newEnd: number;
}

function changeBetween(before: string, after: string): Change {
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let suffix = 0;
  while (suffix < shorter - start && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { start, oldEnd: before.length - suffix, newEnd: after.length - suffix };
}

/** The last index whose item starts at or before `offset`; -1 if none does. */
function lastStartingAtOrBefore<T>(items: readonly T[], offset: number, startOf: (item: T) => number): number {
  let low = 0;
  let high = items.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (startOf(items[middle]) <= offset) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

function isBlockMap(node: ValueNode | undefined): node is MapNode {
  return node?.kind === 'map' && !node.flow && !node.tag;
}

/** Spaces before `offset` on its line, or -1 when something else stands there. */
function indentationBefore(text: string, lineStart: number, offset: number): number {
  for (let at = lineStart; at < offset; at++) if (text.charCodeAt(at) !== 32) return -1;
  return offset - lineStart;
}

const SPACE = 32;
const HASH = 35;
const LINE_FEED = 10;
const CARRIAGE_RETURN = 13;

/**
 * Whether lines of `text` from `start` to `end` start with a key at `column` and indent every other
 * line holding content (not blank, not a comment) at least as far.
 */
function staysWithinColumn(text: string, start: number, end: number, column: number): boolean {
  let first = true;
  for (let lineStart = start; lineStart < end; ) {
    let at = lineStart;
    while (at < end && text.charCodeAt(at) === SPACE) at++;
    const next = at < end ? text.charCodeAt(at) : LINE_FEED;
    const holdsContent = next !== HASH && next !== LINE_FEED && next !== CARRIAGE_RETURN;
    if (first && (!holdsContent || at - lineStart !== column)) return false;
    if (holdsContent && at - lineStart < column) return false;
    first = false;
    const lineEnd = text.indexOf('\n', at);
    lineStart = lineEnd < 0 ? end : lineEnd + 1;
  }
  return !first;
}

function shiftedNode(node: ValueNode, delta: number): ValueNode {
  switch (node.kind) {
    case 'scalar':
      return { ...node, start: node.start + delta, end: node.end + delta };
    case 'map':
      return { ...node, start: node.start + delta, end: node.end + delta, pairs: node.pairs.map((pair) => shiftedPair(pair, delta)) };
    case 'seq':
      return { ...node, start: node.start + delta, end: node.end + delta, items: node.items.map((item) => shiftedNode(item, delta)) };
  }
}

function shiftedPair(pair: PairNode, delta: number): PairNode {
  if (delta === 0) return pair;
  return { ...pair, keyStart: pair.keyStart + delta, keyEnd: pair.keyEnd + delta, end: pair.end + delta, value: pair.value && shiftedNode(pair.value, delta) };
}

/** Collections around the deepest node of a subtree, counted without recursion. */
function depthOf(node: ValueNode | undefined): number {
  const stack: [ValueNode, number][] = node ? [[node, 1]] : [];
  let deepest = 0;
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    deepest = Math.max(deepest, depth);
    if (current.kind === 'map') for (const pair of current.pairs) if (pair.value) stack.push([pair.value, depth + 1]);
    if (current.kind === 'seq') for (const item of current.items) stack.push([item, depth + 1]);
  }
  return deepest;
}

/** Quoted scalars of each style in a subtree, as the tree builder counts them. */
function quotesIn(node: ValueNode | undefined): { single: number; double: number } {
  const counts = { single: 0, double: 0 };
  const stack: ValueNode[] = node ? [node] : [];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.kind === 'scalar') {
      if (current.quote === 'single') counts.single++;
      if (current.quote === 'double') counts.double++;
    } else if (current.kind === 'map') {
      for (const pair of current.pairs) if (pair.value) stack.push(pair.value);
    } else {
      stack.push(...current.items);
    }
  }
  return counts;
}

/** Deeper than this, an entry is left to the whole-file parse, which applies the depth bound from the top. */
const ENTRY_DEPTH_LIMIT = MAX_NESTING_DEPTH / 2;

/** The re-parse of one entry spliced into the previous tree, or why the whole file must be parsed. */
function reparseEntry(previous: YamlParse, text: string): Reparse | string {
  const { parsed: old, facts } = previous;
  if (!facts || isSyntaxError(old)) return 'the previous text did not parse';
  if (!facts.entriesReadAlone) return 'the file uses anchors, aliases or directives';
  const root = old.root;
  if (!isBlockMap(root)) return 'the top level is not a block map';
  const change = changeBetween(old.text, text);
  const sectionIndex = lastStartingAtOrBefore(root.pairs, change.start, (pair) => pair.keyStart);
  const section = root.pairs[sectionIndex];
  if (!section || !isBlockMap(section.value) || section.value.pairs.length === 0) return 'the edit is not inside an entry of a section';
  const entries = section.value.pairs;
  const lineStartOf = (offset: number) => old.lines.lineStart(old.lines.lineOf(offset));
  const entryIndex = lastStartingAtOrBefore(entries, change.start, (pair) => lineStartOf(pair.keyStart));
  if (entryIndex < 0) return 'the edit is not inside an entry of a section';
  const entry = entries[entryIndex];
  const blockStart = lineStartOf(entry.keyStart);
  const column = indentationBefore(old.text, blockStart, entry.keyStart);
  const following = entries[entryIndex + 1] ?? root.pairs[sectionIndex + 1];
  const blockEnd = following ? lineStartOf(following.keyStart) : old.text.length;
  if (column < 0 || (following && indentationBefore(old.text, blockEnd, following.keyStart) < 0)) return 'a key of the section does not start its line';
  if (change.oldEnd > blockEnd) return 'the edit spans more than one entry';

  const delta = text.length - old.text.length;
  const newBlockEnd = blockEnd + delta;
  // The next key keeps its text (it is after the edit), but the line break before it may have been edited away.
  if (following && text.charCodeAt(newBlockEnd - 1) !== LINE_FEED) return 'the edit joins the entry to the next key';
  if (!staysWithinColumn(text, blockStart, newBlockEnd, column)) return "the edited lines do not stay within the entry's indentation";
  const block = parseYamlTemplateWithFacts(text.slice(blockStart, newBlockEnd));
  if (!block.facts || isSyntaxError(block.parsed)) return 'the edited entry does not parse alone';
  if (!block.facts.entriesReadAlone) return 'the edited entry uses anchors, aliases or directives';
  const blockRoot = block.parsed.root;
  if (!isBlockMap(blockRoot) || blockRoot.pairs.length === 0 || blockRoot.pairs[0].keyStart !== column) return 'the edited entry is not a key at the section indentation';
  if (blockRoot.pairs.some((pair) => depthOf(pair.value) > ENTRY_DEPTH_LIMIT)) return 'the edited entry nests near the depth bound';

  const newEntries = [...entries.slice(0, entryIndex), ...blockRoot.pairs.map((pair) => shiftedPair(pair, blockStart)), ...entries.slice(entryIndex + 1).map((pair) => shiftedPair(pair, delta))];
  const sectionMap: MapNode = { ...section.value, pairs: newEntries, end: newEntries[newEntries.length - 1].end };
  const rootPairs = [...root.pairs.slice(0, sectionIndex), { ...section, value: sectionMap, end: sectionMap.end }, ...root.pairs.slice(sectionIndex + 1).map((pair) => shiftedPair(pair, delta))];
  const lines = new LineIndex(text);

  const blockLine = old.lines.lineOf(blockStart);
  const oldEndLine = following ? old.lines.lineOf(blockEnd) : Infinity;
  const lineDelta = following ? lines.lineOf(newBlockEnd) - oldEndLine : 0;
  const comments = [
    ...old.comments.filter((comment) => comment.line < blockLine),
    ...block.parsed.comments.map((comment) => ({ ...comment, line: comment.line + blockLine })),
    ...old.comments.filter((comment) => comment.line >= oldEndLine).map((comment) => (lineDelta === 0 ? comment : { ...comment, line: comment.line + lineDelta })),
  ];

  const removed = quotesIn(entry.value);
  const newFacts: YamlParseFacts = {
    singleQuotes: facts.singleQuotes - removed.single + block.facts.singleQuotes,
    doubleQuotes: facts.doubleQuotes - removed.double + block.facts.doubleQuotes,
    entriesReadAlone: true,
  };
  const parsed: ParsedTemplate = {
    syntax: 'yaml',
    text,
    root: { ...root, pairs: rootPairs, end: rootPairs[rootPairs.length - 1].end },
    lines,
    comments,
    quote: majorityQuote(newFacts),
  };
  return { parse: { parsed, facts: newFacts }, scope: { entry: `${section.key}.${entry.key}` } };
}
