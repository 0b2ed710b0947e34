import type { Node } from 'web-tree-sitter';
import type { TextEdit } from '../../model/findings';
import type { HclFile } from './syntax';

/**
 * A line holding one whole `name = value` (an attribute or object item): `terraform fmt` aligns the
 * `=` of consecutive such lines to one column, one space after the longest name.
 */
export interface Assignment {
  /** Column just after the name. */
  nameEnd: number;
  /** Column of the `=`. */
  equals: number;
}

export interface EditedLine {
  text: string;
  assignment?: Assignment;
}

const assignmentsByFile = new WeakMap<HclFile, Map<number, Assignment>>();

function assignmentOf(node: Node, file: HclFile): Assignment | undefined {
  const equals = node.children.find((c) => !c.isNamed && c.type === '=');
  const line = file.lines[node.startPosition.row];
  const after = line.slice(node.endPosition.column).trim();
  const alone =
    node.startPosition.row === node.endPosition.row &&
    line.slice(0, node.startPosition.column).trim() === '' &&
    (after === '' || after === ',' || after.startsWith('#') || after.startsWith('//'));
  return equals && alone ? { nameEnd: node.children[0].endPosition.column, equals: equals.startPosition.column } : undefined;
}

export function assignmentsOf(file: HclFile): Map<number, Assignment> {
  let assignments = assignmentsByFile.get(file);
  if (!assignments) {
    assignments = new Map();
    // Searched inside the parser: walking the tree from JS would visit every node of the file.
    for (const node of file.root.descendantsOfType(['attribute', 'object_elem'])) {
      const assignment = assignmentOf(node, file);
      if (assignment) assignments.set(node.startPosition.row, assignment);
    }
    assignmentsByFile.set(file, assignments);
  }
  return assignments;
}

export function indentationOf(file: HclFile, line: number): string {
  return /^[ \t]*/.exec(file.lines[line] ?? '')![0];
}

/** `name = value` at an indentation, as a line the aligner knows. */
export function assignmentLine(indent: string, name: string, value: string, trailing = ''): EditedLine {
  const nameEnd = indent.length + name.length;
  return { text: `${indent}${name} = ${value}${trailing}`, assignment: { nameEnd, equals: nameEnd + 1 } };
}

export function plainLine(text: string): EditedLine {
  return { text };
}

interface Entry extends EditedLine {
  /** The original line this entry is, unchanged or edited. */
  origin?: number;
  changed: boolean;
}

/**
 * Collects line-level changes to one file and turns them into text edits, re-aligning the `=` of
 * every run of assignment lines a change touches, as `terraform fmt` would.
 */
export class FileEditor {
  private readonly inserted = new Map<number, EditedLine[]>();
  private readonly replaced = new Map<number, EditedLine[]>();
  private readonly deleted = new Set<number>();

  constructor(readonly file: HclFile) {}

  /** Inserts lines after `line` (several calls for one line keep their order). */
  insertAfter(line: number, lines: EditedLine[]): void {
    this.inserted.set(line, [...(this.inserted.get(line) ?? []), ...lines]);
  }

  replaceLine(line: number, lines: EditedLine[]): void {
    this.replaced.set(line, lines);
  }

  deleteLines(first: number, last: number): void {
    for (let line = first; line <= last; line++) this.deleted.add(line);
  }

  get isEmpty(): boolean {
    return this.inserted.size + this.replaced.size + this.deleted.size === 0;
  }

  /**
   * The stretches of original lines the edits can reach: each changed line with, around it, the run
   * of assignment lines an alignment may rewrite. Only these are visited, so that writing a fix
   * costs the size of the change, not of the file. Stretches are bounded by unchanged lines that are
   * not assignments, which no alignment crosses, so each is edited on its own.
   */
  private stretches(assignments: Map<number, Assignment>): { first: number; last: number }[] {
    const changed = [...new Set([...this.inserted.keys(), ...this.replaced.keys(), ...this.deleted])].sort((a, b) => a - b);
    const stretches: { first: number; last: number }[] = [];
    for (const line of changed) {
      const previous = stretches[stretches.length - 1];
      if (previous && line <= previous.last + 1) {
        previous.last = Math.max(previous.last, this.extendDown(line, assignments));
        continue;
      }
      let first = line;
      while (first > 0 && assignments.has(first - 1)) first--;
      if (previous && first <= previous.last + 1) previous.last = this.extendDown(line, assignments);
      else stretches.push({ first, last: this.extendDown(line, assignments) });
    }
    return stretches;
  }

  private extendDown(line: number, assignments: Map<number, Assignment>): number {
    let last = line;
    while (last < this.file.lines.length - 1 && assignments.has(last + 1)) last++;
    return last;
  }

  edits(): TextEdit[] {
    const assignments = assignmentsOf(this.file);
    return this.stretches(assignments).flatMap(({ first, last }) => this.editsOf(first, last, assignments));
  }

  private editsOf(first: number, last: number, assignments: Map<number, Assignment>): TextEdit[] {
    const entries: Entry[] = [];
    const touched = new Set<number>();
    for (let line = first; line <= last; line++) {
      if (this.deleted.has(line)) {
        touched.add(entries.length);
        if (entries.length > 0) touched.add(entries.length - 1);
      } else if (this.replaced.has(line)) {
        for (const edited of this.replaced.get(line)!) {
          touched.add(entries.length);
          entries.push({ ...edited, origin: line, changed: true });
        }
      } else {
        entries.push({ text: lineText(this.file, line), assignment: assignments.get(line), origin: line, changed: false });
      }
      for (const edited of this.inserted.get(line) ?? []) {
        touched.add(entries.length);
        entries.push({ ...edited, changed: true });
      }
    }
    for (const at of touched) this.align(entries, at);
    return this.diff(entries, first, last);
  }

  /** Aligns the run of assignment lines around entry `at` (and, after a deletion, the one below it). */
  private align(entries: Entry[], at: number): void {
    for (const start of [at, at + 1]) {
      if (!entries[start]?.assignment) continue;
      let first = start;
      while (first > 0 && entries[first - 1].assignment) first--;
      let last = start;
      while (last < entries.length - 1 && entries[last + 1].assignment) last++;
      const column = Math.max(...entries.slice(first, last + 1).map((e) => e.assignment!.nameEnd)) + 1;
      for (const entry of entries.slice(first, last + 1)) {
        const { nameEnd, equals } = entry.assignment!;
        if (equals === column) continue;
        entry.text = entry.text.slice(0, nameEnd) + ' '.repeat(column - nameEnd) + entry.text.slice(equals);
        entry.assignment = { nameEnd, equals: column };
        entry.changed = true;
      }
    }
  }

  /** One edit per run of changed lines among original lines first..last. */
  private diff(entries: Entry[], first: number, last: number): TextEdit[] {
    const edits: TextEdit[] = [];
    let nextOrigin = first;
    let index = 0;
    while (index < entries.length || nextOrigin <= last) {
      const entry = entries[index];
      if (entry && !entry.changed && entry.origin === nextOrigin) {
        index++;
        nextOrigin++;
        continue;
      }
      const run: Entry[] = [];
      while (index < entries.length && entries[index].changed) run.push(entries[index++]);
      const resume = index < entries.length ? entries[index].origin! : last + 1;
      edits.push(this.edit(run, nextOrigin, resume - 1));
      nextOrigin = resume;
    }
    return edits;
  }

  /** Replaces original lines first..last (none when last < first) with the run's lines. */
  private edit(run: Entry[], first: number, last: number): TextEdit {
    const eol = lineBreakOf(this.file);
    const end = (line: number) => ({ line, character: lineText(this.file, line).length });
    const text = run.map((e) => e.text).join(eol);
    const file = this.file.path;
    if (last < first) {
      if (first === 0) return { file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: text + eol };
      return { file, range: { start: end(first - 1), end: end(first - 1) }, newText: eol + text };
    }
    if (run.length > 0) return { file, range: { start: { line: first, character: 0 }, end: end(last) }, newText: text };
    if (first > 0) return { file, range: { start: end(first - 1), end: end(last) }, newText: '' };
    const stop = last + 1 < this.file.lines.length ? { line: last + 1, character: 0 } : end(last);
    return { file, range: { start: { line: 0, character: 0 }, end: stop }, newText: '' };
  }
}

function lineText(file: HclFile, line: number): string {
  return file.lines[line].replace(/\r$/, '');
}

const lineBreaks = new WeakMap<HclFile, string>();

/** The file's line break, looked up once per file rather than once per edit. */
function lineBreakOf(file: HclFile): string {
  let eol = lineBreaks.get(file);
  if (eol === undefined) {
    eol = file.text.includes('\r\n') ? '\r\n' : '\n';
    lineBreaks.set(file, eol);
  }
  return eol;
}
