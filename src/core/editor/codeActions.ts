/**
 * The code actions an editor offers on a file: quick fixes of its findings, fix-all (also on save),
 * suppression comments, the "Enable IPv6 dual-stack" refactoring and the migration of a VPC to
 * dual-stack (IPV6M001's preferred quick fix, and a refactoring on the VPC or its functions). Plain data, so that the
 * language server and any other editor adapter offer exactly the same actions.
 */
import { fixUnit, replaceWholeText } from '../fixes/fixAll';
import type { Position, Range } from '../model/graph';
import type { Finding, TextEdit } from '../model/findings';
import type { AnalysisUnit, SourceFormat } from '../model/source';
import type { AnalyzeOptions } from '../analysis/analyze';
import { migrationActionAt, migrationForFunction, type MigrationAction } from '../migration/actions';
import type { MigrationOptions } from '../migration/migrate';
import { enableIpv6Refactor } from '../fixes/enableDualStack';

export const QUICK_FIX_KIND = 'quickfix';
export const FIX_ALL_KIND = 'source.fixAll.ipv6Lambda';
export const ENABLE_REFACTOR_KIND = 'refactor.rewrite.ipv6Lambda';
export const MIGRATE_REFACTOR_KIND = 'refactor.rewrite.ipv6Lambda.migrate';
export const providedCodeActionKinds = [QUICK_FIX_KIND, FIX_ALL_KIND, ENABLE_REFACTOR_KIND, MIGRATE_REFACTOR_KIND];

export interface EditorCodeAction {
  title: string;
  kind: string;
  /** The findings this action answers (the editor attaches their diagnostics). */
  findings: Finding[];
  isPreferred?: boolean;
  /** Absent on a fix-all offered in the quick-fix menu: its edits are computed by resolveFixAll when picked. */
  edits?: TextEdit[];
  /** Set when the action cannot be done here, with the reason. */
  disabledReason?: string;
}

export interface CodeActionRequest {
  unit: AnalysisUnit;
  /** The file (its path in the unit) the actions are asked for. */
  file: string;
  range: Range;
  /** The findings of the unit's last analysis that lie in this file. */
  fileFindings: Finding[];
  /** Those of the file's findings the editor asks about (the diagnostics in its context). */
  asked: Finding[];
  /** The kinds the editor wants (`only`); undefined for every kind. */
  only?: string[];
  /** True when the user asked explicitly (Ctrl+.), false for the automatic lightbulb. */
  invoked: boolean;
  options?: AnalyzeOptions;
  /** How the migration writes IPv6 egress (setting ipv6Lambda.migration.securityGroupEgress). */
  migration?: MigrationOptions;
}

/** `a` contains `b` in LSP's hierarchy of kinds (`source` contains `source.fixAll`). */
function kindContains(a: string, b: string): boolean {
  return a === b || b.startsWith(`${a}.`);
}

/** How a line comment starts in each format (JSON has none: its templates use resource Metadata). */
const lineComment: Record<SourceFormat, string | undefined> = {
  cloudformation: '#',
  terraform: '#',
  'cdk-typescript': '//',
  'cdk-python': '#',
  serverless: '#',
};

function fixAllTitle(format: SourceFormat): string {
  return format === 'terraform' ? 'Fix all IPv6 issues in this folder' : 'Fix all IPv6 issues in this file';
}

/** The text of one line (0-based), without its line break. */
function lineText(text: string, line: number): string {
  let start = 0;
  for (let current = 0; current < line; current++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return '';
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
}

function suppression(unit: AnalysisUnit, file: string, finding: Finding): EditorCodeAction | undefined {
  const comment = file.endsWith('.json') ? undefined : lineComment[unit.format];
  const text = unit.files.find((candidate) => candidate.path === file)?.text;
  if (!comment || text === undefined || !finding.loc) return undefined;
  const line = finding.loc.range.start.line;
  const indent = /^[ \t]*/.exec(lineText(text, line))![0];
  const at = { line, character: 0 };
  return {
    title: `Disable ${finding.rule} for this line`,
    kind: QUICK_FIX_KIND,
    findings: [finding],
    edits: [{ file, range: { start: at, end: at }, newText: `${indent}${comment} ipv6-lambda-disable-next-line ${finding.rule}\n` }],
  };
}

function quickFixes(request: CodeActionRequest): EditorCodeAction[] {
  const actions: EditorCodeAction[] = [];
  // Suppressions go last: fixing comes before silencing.
  const suppressions: EditorCodeAction[] = [];
  for (const finding of request.asked) {
    for (const fix of finding.fixes) {
      actions.push({ title: fix.title, kind: QUICK_FIX_KIND, findings: [finding], isPreferred: fix.preferred, edits: fix.edits });
    }
    const suppress = suppression(request.unit, request.file, finding);
    if (suppress) suppressions.push(suppress);
  }
  const fixable = request.fileFindings.some((finding) => finding.fixes.some((fix) => fix.preferred));
  if (fixable && actions.length + suppressions.length > 0) {
    // Attached to the findings so editors rank it with the fixes, before the suppressions.
    actions.push({ title: fixAllTitle(request.unit.format), kind: QUICK_FIX_KIND, findings: request.asked });
  }
  return [...actions, ...suppressions];
}

/** Every preferred fix of the unit, re-analysed until nothing fixable remains, as whole-file edits; undefined when nothing changes. */
export async function resolveFixAll(unit: AnalysisUnit, options: AnalyzeOptions = {}): Promise<TextEdit[] | undefined> {
  const result = await fixUnit(unit, options);
  if (result.files.size === 0) return undefined;
  const originals = new Map(unit.files.map((file) => [file.path, file.text]));
  return [...result.files].map(([file, text]) => replaceWholeText(file, originals.get(file)!, text));
}

async function enableRefactor(unit: AnalysisUnit, file: string, position: Position): Promise<EditorCodeAction | undefined> {
  const refactor = await enableIpv6Refactor(unit, file, position);
  if (!refactor) return undefined;
  return refactor.edits
    ? { title: refactor.title, kind: ENABLE_REFACTOR_KIND, findings: [], edits: refactor.edits }
    : { title: refactor.title, kind: ENABLE_REFACTOR_KIND, findings: [], disabledReason: refactor.disabledReason ?? 'not possible here' };
}

function migrationAction(migration: MigrationAction, kind: string, findings: Finding[]): EditorCodeAction {
  return migration.edits
    ? { title: migration.title, kind, findings, isPreferred: kind === QUICK_FIX_KIND, edits: migration.edits }
    : { title: migration.title, kind, findings, disabledReason: migration.disabledReason ?? 'not possible here' };
}

/** IPV6M001's preferred fix: the migration of the VPC of the function it is about. */
async function migrationQuickFixes(request: CodeActionRequest): Promise<EditorCodeAction[]> {
  const actions: EditorCodeAction[] = [];
  for (const finding of request.asked.filter((candidate) => candidate.rule === 'IPV6M001')) {
    const migration = await migrationForFunction(request.unit, finding.subject, request.migration);
    if (migration) actions.push(migrationAction(migration, QUICK_FIX_KIND, [finding]));
  }
  return actions;
}

/** The actions for a request, in the order an editor shows them. */
export async function codeActions(request: CodeActionRequest): Promise<EditorCodeAction[]> {
  const only = request.only;
  const wants = (kind: string) => !only || only.some((asked) => kindContains(asked, kind) || kindContains(kind, asked));
  const migrations = wants(QUICK_FIX_KIND) ? await migrationQuickFixes(request) : [];
  const actions = [...migrations, ...(wants(QUICK_FIX_KIND) ? quickFixes(request) : [])];
  // Computing fix-all (re-analysing until nothing is fixable) only when its kind is asked for by name: on save, in the source menu.
  if (only && wants(FIX_ALL_KIND)) {
    const edits = await resolveFixAll(request.unit, request.options);
    if (edits) actions.push({ title: fixAllTitle(request.unit.format), kind: FIX_ALL_KIND, findings: [], edits });
  }
  // Parsing for the refactoring is not worth it on every cursor move: only when asked for.
  const refactorAsked = request.invoked || only !== undefined;
  if (refactorAsked && wants(ENABLE_REFACTOR_KIND)) {
    const refactor = await enableRefactor(request.unit, request.file, request.range.start);
    if (refactor) actions.push(refactor);
  }
  if (refactorAsked && migrations.length === 0 && wants(MIGRATE_REFACTOR_KIND)) {
    const migration = await migrationActionAt(request.unit, request.file, request.range.start, request.migration);
    if (migration) actions.push(migrationAction(migration, MIGRATE_REFACTOR_KIND, []));
  }
  return actions;
}
