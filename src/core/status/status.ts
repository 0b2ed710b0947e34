/**
 * A function's IPv6 status in one word, from the graph and the rules' findings. Shared by the
 * explorer tree and `ipv6-lambda scan`, so both say the same thing about the same function.
 */
import type { Finding, RuleId } from '../model/findings';
import type { LambdaFunction, ResourceGraph } from '../model/graph';
import { isKnown } from '../model/graph';
import { queryGraph, type GraphQuery } from '../model/query';

import { type StatusKind } from './words';

export { STATUS_WORDS, type StatusKind } from './words';

export interface FunctionStatus {
  kind: StatusKind;
  /** Why the status is unknown (or what makes it invalid/incomplete), in the user's words. */
  reason?: string;
  /** The findings about this function: its own and those of the route tables its subnets use. */
  findings: Finding[];
}

/** Short words for a region's summary line, in the order they are listed. */
const SUMMARY_WORDS: [StatusKind, string][] = [
  ['ready', 'ready'],
  ['enabled', 'on'],
  ['enabled-incomplete', 'on (incomplete)'],
  ['invalid', 'invalid'],
  ['ipv4-only', 'IPv4-only'],
  ['no-vpc', 'no VPC'],
  ['managed-instances', 'managed instances'],
  ['unknown', 'unknown'],
];

/** Rules that mean IPv6 is on but traffic cannot fully get out. */
const INCOMPLETE_RULES: ReadonlySet<RuleId> = new Set(['IPV6N001', 'IPV6N002', 'IPV6N003', 'IPV6S001']);
const INVALID_RULES: ReadonlySet<RuleId> = new Set(['IPV6L002', 'IPV6L003', 'IPV6L004']);

/** Findings by what they are about, so that picking a function's findings does not scan them all. */
interface FindingIndex {
  /** Position in the findings list, to keep a function's findings in the rules' order. */
  position: Map<Finding, number>;
  bySubject: Map<string, Finding[]>;
  /** Network findings by the route table they are about (the table itself or one of its routes). */
  networkByTable: Map<string, Finding[]>;
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function indexFindings(findings: Finding[], graph: ResourceGraph, query: GraphQuery): FindingIndex {
  const tableOfRoute = new Map<string, string>();
  for (const route of graph.routes) if (!tableOfRoute.has(route.key)) tableOfRoute.set(route.key, route.table);
  const index: FindingIndex = { position: new Map(), bySubject: new Map(), networkByTable: new Map() };
  findings.forEach((finding, position) => {
    index.position.set(finding, position);
    push(index.bySubject, finding.subject, finding);
    if (!finding.rule.startsWith('IPV6N')) return;
    const table = query.routeTable(finding.subject) ? finding.subject : tableOfRoute.get(finding.subject);
    if (table !== undefined) push(index.networkByTable, table, finding);
  });
  return index;
}

function findingsOf(fn: LambdaFunction, index: FindingIndex, query: GraphQuery): Finding[] {
  const own = new Set(index.bySubject.get(fn.key));
  if (isKnown(fn.subnets)) {
    for (const subnet of fn.subnets) {
      const table = isKnown(subnet) ? query.routeTableFor(subnet) : undefined;
      if (table && isKnown(table)) for (const finding of index.networkByTable.get(table.key) ?? []) own.add(finding);
    }
  }
  return [...own].sort((a, b) => index.position.get(a)! - index.position.get(b)!);
}

/** The status of one function; pass a shared `query` when classifying many functions of one graph. */
export function functionStatus(fn: LambdaFunction, graph: ResourceGraph, findings: Finding[], query: GraphQuery = queryGraph(graph)): FunctionStatus {
  return statusOf(fn, indexFindings(findings, graph, query), query);
}

function statusOf(fn: LambdaFunction, index: FindingIndex, query: GraphQuery): FunctionStatus {
  const own = findingsOf(fn, index, query);
  const result = (kind: StatusKind, reason?: string): FunctionStatus => ({ kind, ...(reason ? { reason } : {}), findings: own });

  if (fn.managedInstances) return result('managed-instances', 'runs on Lambda Managed Instances: its capacity provider sets the network, without an IPv6 setting');
  if (!isKnown(fn.subnets)) return result('unknown', fn.subnets.why);
  if (!isKnown(fn.ipv6Flag)) return result('unknown', fn.ipv6Flag.why);
  const flagOn = fn.ipv6Flag === true;
  if (fn.subnets.length === 0) return flagOn ? result('invalid', 'IPv6 is allowed but the function has no subnets') : result('no-vpc');

  let dualStack = true;
  for (const entry of fn.subnets) {
    if (!isKnown(entry)) return result('unknown', entry.why);
    const subnet = query.subnet(entry);
    if (!subnet) return result('unknown', `subnet ${entry} could not be read`);
    for (const fact of [subnet.ipv4, subnet.ipv6, subnet.ipv6Native]) {
      if (!isKnown(fact)) return result('unknown', fact.why);
    }
    if (subnet.ipv6Native === true) return result('invalid', `subnet ${subnet.name} is IPv6-only, which Lambda does not support`);
    if (!(subnet.ipv4 && subnet.ipv6)) {
      dualStack = false;
      if (flagOn) return result('invalid', `IPv6 is allowed but subnet ${subnet.name} has no IPv6 CIDR block`);
    }
  }
  const invalid = own.find((f) => INVALID_RULES.has(f.rule));
  if (invalid) return result('invalid', invalid.message);

  if (!flagOn) return result(dualStack ? 'ready' : 'ipv4-only');

  const incomplete = own.find((f) => INCOMPLETE_RULES.has(f.rule));
  if (incomplete) return result('enabled-incomplete', incomplete.message);
  // "On" is only claimed when the egress path is known to be complete.
  for (const entry of fn.subnets as string[]) {
    const table = query.routeTableFor(entry);
    if (!isKnown(table)) return result('unknown', table.why);
  }
  if (!isKnown(fn.securityGroups)) return result('unknown', fn.securityGroups.why);
  for (const entry of fn.securityGroups) {
    if (!isKnown(entry)) return result('unknown', entry.why);
    const group = query.securityGroup(entry);
    if (!group) return result('unknown', `security group ${entry} could not be read`);
    if (!isKnown(group.egress)) return result('unknown', group.egress.why);
  }
  return result('enabled');
}

/** Status of every function of the graph, by function key. */
export function functionStatuses(graph: ResourceGraph, findings: Finding[]): Map<string, FunctionStatus> {
  const query = queryGraph(graph);
  const index = indexFindings(findings, graph, query);
  return new Map(graph.functions.map((fn) => [fn.key, statusOf(fn, index, query)]));
}

/** "12 ready · 3 on · 40 IPv4-only · 5 no VPC": counts per status, zeros left out. */
export function statusSummary(statuses: Iterable<FunctionStatus | StatusKind>): string {
  const counts = new Map<StatusKind, number>();
  for (const status of statuses) {
    const kind = typeof status === 'string' ? status : status.kind;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  const parts = SUMMARY_WORDS.filter(([kind]) => counts.has(kind)).map(([kind, word]) => `${counts.get(kind)} ${word}`);
  return parts.length > 0 ? parts.join(' · ') : 'no functions';
}
