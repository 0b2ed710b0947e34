/** Runs the rule catalogue on a graph and applies suppressions, rule selection and severities. */
import type { ResourceGraph } from '../model/graph';
import type { Finding, RuleId, Severity } from '../model/findings';
import type { FixBuilder } from '../model/fixes';
import { noFixes } from '../model/fixes';
import { queryGraph } from '../model/query';
import type { FileSuppressions, ParsedUnit } from '../model/source';
import { isSuppressed } from '../model/suppress';
import { rules } from '../rules';

export interface AnalyzeOptions {
  /** Per-rule severity, or 'off' to disable the rule. */
  severities?: Partial<Record<RuleId, Severity | 'off'>>;
  /** Run only these rules. */
  only?: RuleId[];
  /** Do not run these rules. */
  ignore?: RuleId[];
}

function selectedRules(options: AnalyzeOptions) {
  const only = options.only?.length ? new Set(options.only) : undefined;
  const ignore = new Set(options.ignore ?? []);
  return rules.filter((rule) => (!only || only.has(rule.id)) && !ignore.has(rule.id) && options.severities?.[rule.id] !== 'off');
}

/** Rule ids each element asks to ignore (CloudFormation `Metadata.ipv6-lambda.ignore`). */
function ignoredBySubject(graph: ResourceGraph): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  const elements: { key: string; ignore?: string[] }[][] = [graph.functions, graph.routes, graph.routeTables];
  for (const list of elements) {
    for (const element of list) if (element.ignore?.length) map.set(element.key, new Set(element.ignore));
  }
  return map;
}

function compareFindings(a: Finding, b: Finding): number {
  const fileA = a.loc?.file ?? '';
  const fileB = b.loc?.file ?? '';
  if (fileA !== fileB) return fileA < fileB ? -1 : 1;
  const lines = (a.loc?.range.start.line ?? 0) - (b.loc?.range.start.line ?? 0);
  if (lines !== 0) return lines;
  const characters = (a.loc?.range.start.character ?? 0) - (b.loc?.range.start.character ?? 0);
  if (characters !== 0) return characters;
  if (a.rule !== b.rule) return a.rule < b.rule ? -1 : 1;
  if (a.subject !== b.subject) return a.subject < b.subject ? -1 : 1;
  return 0;
}

/** The graph the rules see: functions on Lambda Managed Instances have no IPv6 setting of their own for any rule to check. */
function withoutManagedInstances(graph: ResourceGraph): ResourceGraph {
  return graph.functions.some((fn) => fn.managedInstances) ? { ...graph, functions: graph.functions.filter((fn) => !fn.managedInstances) } : graph;
}

function run(fullGraph: ResourceGraph, fixes: FixBuilder, suppressions: Map<string, FileSuppressions>, options: AnalyzeOptions): Finding[] {
  const graph = withoutManagedInstances(fullGraph);
  const context = { graph, query: queryGraph(graph), fixes };
  const ignored = ignoredBySubject(graph);
  const findings: Finding[] = [];
  for (const rule of selectedRules(options)) {
    const severity = options.severities?.[rule.id];
    for (const finding of rule.check(context)) {
      if (ignored.get(finding.subject)?.has(finding.rule)) continue;
      if (finding.loc && isSuppressed(finding.rule, finding.loc.range.start.line, suppressions.get(finding.loc.file))) continue;
      // Set in place: copying would write the finding's fixes, which are written only when read.
      if (severity && severity !== 'off') finding.severity = severity;
      findings.push(finding);
    }
  }
  return findings.sort(compareFindings);
}

export function analyzeParsed(parsed: ParsedUnit, options: AnalyzeOptions = {}): Finding[] {
  return run(parsed.graph, parsed.fixes, parsed.suppressions, options);
}

/** For graphs built from a live account: no files, so no comments and no fixes. */
export function analyzeGraph(graph: ResourceGraph, options: AnalyzeOptions = {}): Finding[] {
  return run(graph, noFixes, new Map(), options);
}
