/**
 * What the explorer shows of a region: its functions with their status, subnets, security groups
 * and findings, computed from a region report (pure, so the tree only renders it).
 */
import type { Finding } from '../model/findings';
import type { EgressRule, Subnet } from '../model/graph';
import { isKnown } from '../model/graph';
import { queryGraph } from '../model/query';
import { catalogueEntry } from '../rules';
import { STATUS_WORDS, statusSummary, type StatusKind } from '../status/status';
import type { RegionReport } from './account';

export type FunctionStatus = StatusKind;

export interface SubnetView {
  id: string;
  dualStack: boolean | undefined;
  ipv6Native: boolean | undefined;
  ipv4Cidr?: string;
  ipv6Cidr?: string;
  routeTableId?: string;
  /** Where the subnet's `::/0` goes, e.g. `eigw-0abc`, or undefined when it has no IPv6 default route. */
  ipv6DefaultRoute?: string;
}

export interface SecurityGroupView {
  id: string;
  name?: string;
  /** undefined: could not be read. */
  ipv6Egress: boolean | undefined;
}

export interface FindingView {
  rule: string;
  /** The rule's title: short enough for a tree row (the message goes in the tooltip). */
  title: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  docsUrl: string;
}

export interface FunctionView {
  name: string;
  arn: string;
  region: string;
  /** The profile it was read with, when the explorer reads several. */
  profile?: string;
  status: FunctionStatus;
  statusWords: string;
  /** Why the status is unknown (e.g. a denied describe call). */
  reason?: string;
  vpcId?: string;
  ipv6Flag: boolean;
  subnets: SubnetView[];
  securityGroups: SecurityGroupView[];
  findings: FindingView[];
  /** NAT gateways its subnets send 0.0.0.0/0 to. */
  natGateways?: NatGatewayView[];
}

export interface NatGatewayView {
  id: string;
  /** Functions egressing through it. */
  functions: string[];
  /** Bytes processed in `days` days, both directions; undefined when unknown. */
  bytes?: number;
  days: number;
}

export interface RegionView {
  region: string;
  /** The profile (account) it was read with, when the explorer reads several. */
  profile?: string;
  functions: FunctionView[];
  natGateways?: NatGatewayView[];
  /** Why the NAT figures are missing (the permission to ask for). */
  natNote?: string;
  summary: string;
  /** The region could not be read: what failed and what to do. */
  error?: { message: string; hint?: string };
}

function dualStack(subnet: Subnet): boolean | undefined {
  if (!isKnown(subnet.ipv4) || !isKnown(subnet.ipv6) || !isKnown(subnet.ipv6Native)) return undefined;
  return subnet.ipv4 && subnet.ipv6 && !subnet.ipv6Native;
}

function allowsIpv6(rules: EgressRule[]): boolean {
  return rules.some((rule) => rule.ipv6Cidrs.some((cidr) => isKnown(cidr)));
}

function findingView(finding: Finding): FindingView {
  const entry = catalogueEntry(finding.rule);
  return { rule: finding.rule, title: entry.title, severity: finding.severity, message: finding.message, docsUrl: entry.docsUrl };
}

/** The region's functions, sorted by name, ready for the tree. */
export function regionView(report: RegionReport): RegionView {
  if (report.error !== null || !report.graph) {
    return { region: report.region, functions: [], summary: 'could not be read', error: { message: report.error ?? 'no data' } };
  }
  const graph = report.graph;
  const query = queryGraph(graph);
  const groups = new Map(graph.securityGroups.map((group) => [group.key, group]));
  const configs = new Map((report.inventory?.functions ?? []).map((config) => [config.FunctionName ?? '', config]));
  const functions: FunctionView[] = graph.functions.map((fn) => {
    const status = report.statuses.get(fn.key) ?? { kind: 'unknown' as const, findings: [], reason: 'no status was computed' };
    const subnets: SubnetView[] = (isKnown(fn.subnets) ? fn.subnets : []).filter(isKnown).map((id) => {
      const subnet = query.subnet(id);
      const table = query.routeTableFor(id);
      const tableKey = isKnown(table) ? table?.key : undefined;
      const defaultRoute = tableKey ? query.routesOf(tableKey).find((route) => route.destination === '::/0') : undefined;
      const target = defaultRoute && isKnown(defaultRoute.target) ? (defaultRoute.target.gateway ?? defaultRoute.target.kind) : undefined;
      return {
        id,
        dualStack: subnet ? dualStack(subnet) : undefined,
        ipv6Native: subnet && isKnown(subnet.ipv6Native) ? subnet.ipv6Native : undefined,
        ...(subnet?.ipv4Cidr ? { ipv4Cidr: subnet.ipv4Cidr } : {}),
        ...(subnet?.ipv6Cidr ? { ipv6Cidr: subnet.ipv6Cidr } : {}),
        ...(tableKey ? { routeTableId: tableKey } : {}),
        ...(target ? { ipv6DefaultRoute: target } : {}),
      };
    });
    const securityGroups: SecurityGroupView[] = (isKnown(fn.securityGroups) ? fn.securityGroups : []).filter(isKnown).map((id) => {
      const group = groups.get(id);
      return { id, ...(group && group.name !== id ? { name: group.name } : {}), ipv6Egress: group && isKnown(group.egress) ? allowsIpv6(group.egress) : undefined };
    });
    return {
      name: fn.name,
      arn: fn.arn ?? configs.get(fn.key)?.FunctionArn ?? fn.key,
      region: report.region,
      status: status.kind,
      statusWords: STATUS_WORDS[status.kind],
      ...(status.kind === 'unknown' && status.reason ? { reason: status.reason } : {}),
      ...(fn.vpcId ? { vpcId: fn.vpcId } : {}),
      ipv6Flag: fn.ipv6Flag === true,
      subnets,
      securityGroups,
      findings: status.findings.map(findingView),
    };
  });
  functions.sort((a, b) => a.name.localeCompare(b.name));
  const bill = report.natBill;
  const natGateways: NatGatewayView[] = (bill?.gateways ?? []).map((g) => ({ id: g.natGatewayId, functions: g.functions, days: bill!.days, ...(g.bytes !== undefined ? { bytes: g.bytes } : {}) }));
  for (const fn of functions) {
    const own = natGateways.filter((g) => g.functions.includes(fn.name));
    if (own.length > 0) fn.natGateways = own;
  }
  return {
    region: report.region,
    functions,
    summary: statusSummary(functions.map((fn) => fn.status)),
    ...(natGateways.length > 0 ? { natGateways } : {}),
    ...(bill?.note ? { natNote: bill.note } : {}),
  };
}
