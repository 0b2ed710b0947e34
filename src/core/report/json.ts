/** Machine-readable output, version 1: 0-based ranges, file paths as the user named them. */
import type { Range } from '../model/graph';
import type { Report } from './report';

export interface JsonReport {
  version: 1;
  findings: {
    rule: string;
    severity: string;
    message: string;
    file?: string;
    range?: Range;
    related: { file: string; range: Range; message: string }[];
    fixes: { title: string; preferred: boolean; edits: { file: string; range: Range; newText: string }[] }[];
  }[];
  skipped: { file: string; reason: string }[];
  /** The analysed units by name, in the order analysed. */
  units?: string[];
  /** Added in 0.2 (version stays 1): each unit analysed and its files. */
  analysed?: { unit: string; format: string; files: string[] }[];
}

export function toJsonReport(report: Report): JsonReport {
  return {
    version: 1,
    findings: report.findings.map((finding) => ({
      rule: finding.rule,
      severity: finding.severity,
      message: finding.message,
      ...(finding.loc ? { file: finding.loc.file, range: finding.loc.range } : {}),
      related: finding.related.map((related) => ({ file: related.loc.file, range: related.loc.range, message: related.message })),
      fixes: finding.fixes.map((fix) => ({
        title: fix.title,
        preferred: fix.preferred,
        edits: fix.edits.map((edit) => ({ file: edit.file, range: edit.range, newText: edit.newText })),
      })),
    })),
    skipped: report.skipped.map(({ file, reason }) => ({ file, reason })),
    ...(report.units ? { units: report.units } : {}),
    ...(report.analysed ? { analysed: report.analysed.map(({ unit, format, files }) => ({ unit, format, files })) } : {}),
  };
}

export function formatJson(report: Report): string {
  return JSON.stringify(toJsonReport(report), null, 2);
}
