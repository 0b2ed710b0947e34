/** Applies the preferred fixes of a unit until nothing more can be fixed (the CLI's `fix`, fix-all). */
import type { AnalyzeOptions } from '../analysis/analyze';
import { analyzeParsed } from '../analysis/analyze';
import type { Position } from '../model/graph';
import type { Finding, Fix, RuleId, TextEdit } from '../model/findings';
import type { AnalysisUnit, ParsedUnit, SkippedFile } from '../model/source';
import { parseUnit } from '../parse';

/** Enough for a fix that makes room for another (e.g. an EIGW, then the routes that use it). */
const MAX_PASSES = 10;

/** Offsets of each line start; lines end at \r\n, \n or \r as in LSP. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (code === 10) {
      starts.push(i + 1);
    }
  }
  return starts;
}

function offsetOf(position: Position, starts: number[], text: string): number {
  if (position.line >= starts.length) return text.length;
  const lineStart = starts[position.line];
  const lineEnd = position.line + 1 < starts.length ? starts[position.line + 1] : text.length;
  return Math.min(lineStart + position.character, lineEnd);
}

/**
 * Applies edits of one file. Edits must not overlap; insertions at the same place keep their
 * order.
 */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const starts = lineStarts(text);
  const resolved = edits
    .map((edit, order) => ({ start: offsetOf(edit.range.start, starts, text), end: offsetOf(edit.range.end, starts, text), newText: edit.newText, order }))
    .sort((a, b) => a.start - b.start || a.end - b.end || a.order - b.order);
  let result = '';
  let cursor = 0;
  for (const edit of resolved) {
    if (edit.start < cursor) throw new Error('overlapping edits');
    result += text.slice(cursor, edit.start) + edit.newText;
    cursor = Math.max(cursor, edit.end);
  }
  return result + text.slice(cursor);
}

/** One edit that turns a file's whole text `before` into `after` (fix-all and refactorings hand these to editors). */
export function replaceWholeText(file: string, before: string, after: string): TextEdit {
  const starts = lineStarts(before);
  const last = starts.length - 1;
  return { file, range: { start: { line: 0, character: 0 }, end: { line: last, character: before.length - starts[last] } }, newText: after };
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** Two edits conflict when they overlap or insert at the same place (their order would be arbitrary). */
function conflicts(a: TextEdit, b: TextEdit): boolean {
  if (a.file !== b.file) return false;
  const overlap = before(a.range.start, b.range.end) && before(b.range.start, a.range.end);
  return overlap || (isInsertion(a) && isInsertion(b) && !before(a.range.start, b.range.start) && !before(b.range.start, a.range.start));
}

function isInsertion(edit: TextEdit): boolean {
  return !before(edit.range.start, edit.range.end);
}

export interface AppliedFix {
  rule: RuleId;
  title: string;
  file: string;
}

export interface FixResult {
  /** The new text of every file that changed. */
  files: Map<string, string>;
  applied: AppliedFix[];
  /** What the analysis still finds after the fixes. */
  remaining: Finding[];
  /** Files whose fixed text no longer parsed: they are left as they were. */
  unparsable: SkippedFile[];
  /** Files that did not parse to begin with. */
  skipped: SkippedFile[];
}

interface Chosen {
  finding: Finding;
  fix: Fix;
}

/** Edits taken in one pass, indexed by file and line so that each conflict check looks at neighbours only. */
class TakenEdits {
  private readonly byLine = new Map<string, TextEdit[]>();

  private *slots(edit: TextEdit): Generator<string> {
    for (let line = edit.range.start.line; line <= edit.range.end.line; line++) yield `${line}\u0000${edit.file}`;
  }

  conflictsWith(edit: TextEdit): boolean {
    for (const slot of this.slots(edit)) if (this.byLine.get(slot)?.some((taken) => conflicts(edit, taken))) return true;
    return false;
  }

  add(edit: TextEdit): void {
    for (const slot of this.slots(edit)) this.byLine.set(slot, [...(this.byLine.get(slot) ?? []), edit]);
  }
}

/** Preferred fixes that fit together in one pass: no overlapping edits, no resource created twice. */
function chooseFixes(findings: Finding[], files: Set<string>, frozen: Set<string>): Chosen[] {
  const chosen: Chosen[] = [];
  const taken = new TakenEdits();
  const created = new Set<string>();
  for (const finding of findings) {
    const fix = finding.fixes.find((candidate) => candidate.preferred);
    if (!fix) continue;
    if (fix.edits.some((edit) => !files.has(edit.file) || frozen.has(edit.file))) continue;
    if (fix.creates?.some((key) => created.has(key))) continue;
    if (fix.edits.some((edit) => taken.conflictsWith(edit))) continue;
    chosen.push({ finding, fix });
    fix.edits.forEach((edit) => taken.add(edit));
    fix.creates?.forEach((key) => created.add(key));
  }
  return chosen;
}

interface Attempt {
  texts: Map<string, string>;
  applied: AppliedFix[];
  parsed: ParsedUnit;
  /** Files a fix broke in this attempt. */
  broken: SkippedFile[];
  skippedAtStart: SkippedFile[];
}

async function attempt(unit: AnalysisUnit, options: AnalyzeOptions, frozen: Set<string>, parse: Parse): Promise<Attempt> {
  const texts = new Map(unit.files.map((file) => [file.path, file.text]));
  const applied: AppliedFix[] = [];
  const currentUnit = (): AnalysisUnit => ({ format: unit.format, files: unit.files.map((file) => ({ path: file.path, text: texts.get(file.path)! })) });
  let parsed = await parse(unit);
  const skippedAtStart = parsed.skipped;
  const unparsableAtStart = new Set(skippedAtStart.map((skipped) => skipped.file));
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const chosen = chooseFixes(analyzeParsed(parsed, options), new Set(texts.keys()), frozen);
    if (chosen.length === 0) break;
    const editsByFile = new Map<string, TextEdit[]>();
    for (const { fix } of chosen) for (const edit of fix.edits) editsByFile.set(edit.file, [...(editsByFile.get(edit.file) ?? []), edit]);
    let changed = false;
    for (const [file, edits] of editsByFile) {
      const before = texts.get(file)!;
      const after = applyEdits(before, edits);
      changed ||= after !== before;
      texts.set(file, after);
    }
    if (!changed) break;
    parsed = await parse(currentUnit());
    const broken = parsed.skipped.filter((skipped) => !unparsableAtStart.has(skipped.file) && editsByFile.has(skipped.file));
    if (broken.length > 0) return { texts, applied, parsed, broken, skippedAtStart };
    for (const { finding, fix } of chosen) applied.push({ rule: finding.rule, title: fix.title, file: fix.edits[0].file });
  }
  return { texts, applied, parsed, broken: [], skippedAtStart };
}

/** Parses a unit; the default is the real parsers, tests pass their own. */
export type Parse = (unit: AnalysisUnit) => Promise<ParsedUnit>;

export async function fixUnit(unit: AnalysisUnit, options: AnalyzeOptions = {}, parse: Parse = parseUnit): Promise<FixResult> {
  const frozen = new Set<string>();
  const unparsable: SkippedFile[] = [];
  // A fix that breaks its file is a defect of the fix writer: the file stays as it was, and the
  // fixes are redone without touching it so that no other file keeps half of a fix.
  for (;;) {
    const result = await attempt(unit, options, frozen, parse);
    if (result.broken.length === 0) {
      const files = new Map<string, string>();
      for (const file of unit.files) if (result.texts.get(file.path) !== file.text) files.set(file.path, result.texts.get(file.path)!);
      return { files, applied: result.applied, remaining: analyzeParsed(result.parsed, options), unparsable, skipped: result.skippedAtStart };
    }
    for (const { file, reason } of result.broken) {
      frozen.add(file);
      unparsable.push({ file, reason: `a fix made the file unparsable (${reason}); it was left unchanged` });
    }
  }
}
