/** Human-readable output: `file:line:col severity IPV6xxxx message`, 1-based like compilers print. */
import type { Finding, Severity } from '../model/findings';
import { docsUrl } from '../rules/links';
import type { Report } from './report';

const COLOURS: Record<Severity, string> = { error: '\u001b[31m', warning: '\u001b[33m', info: '\u001b[36m' };
const DIM = '\u001b[2m';
const RESET = '\u001b[0m';

export interface TextOptions {
  colour: boolean;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function formatFindingLine(finding: Finding, options: TextOptions): string {
  const where = finding.loc ? `${finding.loc.file}:${finding.loc.range.start.line + 1}:${finding.loc.range.start.character + 1}` : finding.subject;
  const severity = options.colour ? `${COLOURS[finding.severity]}${finding.severity}${RESET}` : finding.severity;
  const rule = options.colour ? `${DIM}${finding.rule}${RESET}` : finding.rule;
  return `${where} ${severity} ${rule} ${finding.message}`;
}

/** `3 problems (1 error, 2 warnings) in 2 files`, or `No problems found.` */
export function formatSummary(findings: Finding[]): string {
  if (findings.length === 0) return 'No problems found.';
  const bySeverity = (severity: Severity) => findings.filter((f) => f.severity === severity).length;
  const parts = [count(bySeverity('error'), 'error', 'errors'), count(bySeverity('warning'), 'warning', 'warnings')];
  const infos = bySeverity('info');
  if (infos > 0) parts.push(count(infos, 'info', 'infos'));
  const files = new Set(findings.map((f) => f.loc?.file ?? f.subject)).size;
  return `${count(findings.length, 'problem', 'problems')} (${parts.join(', ')}) in ${count(files, 'file', 'files')}`;
}

export function formatSkipped(report: Report): string[] {
  return report.skipped.map((skipped) => `${skipped.file}: skipped: ${skipped.reason}`);
}

/** `12 files in 5 units analysed, 1 skipped`: what a run covered, so that silence can be trusted. */
export function formatCoverage(report: Report): string {
  const analysed = report.analysed ?? [];
  const files = analysed.reduce((total, unit) => total + unit.files.length, 0);
  const skipped = new Set(report.skipped.map((file) => file.file)).size;
  return `${count(files, 'file', 'files')} in ${count(analysed.length, 'unit', 'units')} analysed, ${skipped} skipped`;
}

/** One line per rule that fired, with its page: what the finding lines' ids mean, without repeating a URL per finding. */
export function formatRulePages(findings: Finding[]): string[] {
  const ids = [...new Set(findings.map((finding) => finding.rule))].sort();
  return ids.length === 0 ? [] : ['Rule pages:', ...ids.map((id) => `  ${id} ${docsUrl(id)}`)];
}

export function formatText(report: Report, options: TextOptions): string {
  return [...report.findings.map((finding) => formatFindingLine(finding, options)), ...formatRulePages(report.findings), formatSummary(report.findings)].join('\n');
}
