/**
 * Which VPCs a migration covers: the VPCs of the functions IPV6M001 reports, with the functions,
 * subnets and route tables each one takes along.
 */
import { analyzeParsed } from '../analysis/analyze';
import type { LambdaFunction, ResourceGraph, RouteTable, Subnet } from '../model/graph';
import { isKnown } from '../model/graph';
import type { GraphQuery } from '../model/query';
import { queryGraph } from '../model/query';
import type { ParsedUnit } from '../model/source';
import { ipv4DefaultViaNat } from '../rules/routes';

export interface MigrationOptions {
  /** IPv6 egress for the functions' security groups: mirror the IPv4 egress (default) or TCP 443 only. */
  sgEgress?: 'all' | 'https';
  /** Give every private subnet of the VPC (0.0.0.0/0 → NAT) an IPv6 /64, not only the functions' subnets. */
  allSubnets?: boolean;
}

/** A VPC that hosts IPv4-only functions behind NAT, or why the functions' VPC cannot be named. */
export type Candidate = { vpcKey: string; vpcName: string; functions: string[] } | { refused: string; functions: string[] };

/** The VPCs to migrate, in the order their first function is reported. */
export function migrationCandidates(parsed: ParsedUnit): Candidate[] {
  const query = queryGraph(parsed.graph);
  const byVpc = new Map<string, { vpcKey: string; vpcName: string; functions: string[] }>();
  const refused: Candidate[] = [];
  for (const finding of analyzeParsed(parsed, { only: ['IPV6M001'] })) {
    const fn = parsed.graph.functions.find((candidate) => candidate.key === finding.subject);
    if (!fn) continue;
    const vpcs = vpcsOf(fn, query);
    if (vpcs.size !== 1 || [...vpcs].some((key) => key.startsWith(UNKNOWN_VPC))) {
      const subnet = knownSubnetsOf(fn, query).find((candidate) => !isKnown(candidate.vpc));
      const why = subnet && !isKnown(subnet.vpc) ? `the VPC of subnet ${subnet.name} comes from ${subnet.vpc.why}` : `its subnets are in several VPCs`;
      refused.push({ refused: `${fn.name} cannot be migrated here: ${why}. Give the VPC an IPv6 block where it is defined, or define the VPC in this scope.`, functions: [fn.key] });
      continue;
    }
    const [vpcKey] = vpcs;
    const entry = byVpc.get(vpcKey) ?? { vpcKey, vpcName: query.vpc(vpcKey)?.name ?? vpcKey, functions: [] };
    entry.functions.push(fn.key);
    byVpc.set(vpcKey, entry);
  }
  return [...byVpc.values(), ...refused];
}

function knownSubnetsOf(fn: LambdaFunction, query: GraphQuery): Subnet[] {
  if (!isKnown(fn.subnets)) return [];
  return fn.subnets.flatMap((entry) => {
    const subnet = isKnown(entry) ? query.subnet(entry) : undefined;
    return subnet ? [subnet] : [];
  });
}

const UNKNOWN_VPC = '\u0000unknown VPC of ';

/** The VPC keys of the function's subnets; an unknown VPC counts as one more. */
function vpcsOf(fn: LambdaFunction, query: GraphQuery): Set<string> {
  const vpcs = new Set<string>();
  for (const subnet of knownSubnetsOf(fn, query)) vpcs.add(isKnown(subnet.vpc) ? subnet.vpc : `${UNKNOWN_VPC}${subnet.key}`);
  return vpcs;
}

export interface VpcScope {
  functions: LambdaFunction[];
  subnets: Subnet[];
  tables: RouteTable[];
}

/**
 * Everything of one VPC the migration changes, on the current text; a string says what stands in
 * the way, naming what to change where.
 */
export function vpcScope(graph: ResourceGraph, query: GraphQuery, vpcKey: string, options: MigrationOptions): VpcScope | string {
  const vpc = query.vpc(vpcKey);
  if (!vpc?.loc) return `VPC ${vpc?.name ?? vpcKey} is not defined in these files: give it an IPv6 block where it is defined.`;
  const functions: LambdaFunction[] = [];
  const subnets = new Map<string, Subnet>();
  for (const fn of graph.functions) {
    if (!isKnown(fn.subnets) || fn.hasVpcConfig !== true) continue;
    const own = knownSubnetsOf(fn, query);
    if (!own.some((subnet) => subnet.vpc === vpcKey)) continue;
    const unknownEntry = fn.subnets.find((entry) => !isKnown(entry));
    if (unknownEntry && !isKnown(unknownEntry)) return `a subnet of ${fn.name} comes from ${unknownEntry.why}: give it an IPv6 CIDR where it is defined, or name it here.`;
    const foreign = fn.subnets.find((entry) => isKnown(entry) && !query.subnet(entry));
    if (foreign !== undefined) return `subnet ${String(foreign)} of ${fn.name} is not defined in these files: give it an IPv6 CIDR where it is defined.`;
    const elsewhere = own.find((subnet) => subnet.vpc !== vpcKey);
    if (elsewhere) return `${fn.name} is also attached to subnet ${elsewhere.name} of another VPC.`;
    functions.push(fn);
    for (const subnet of own) subnets.set(subnet.key, subnet);
  }
  if (functions.length === 0) return `VPC ${vpc.name} hosts no function of these files.`;
  if (options.allSubnets) {
    for (const subnet of graph.subnets) {
      const table = subnet.vpc === vpcKey ? query.routeTableFor(subnet.key) : undefined;
      if (table && isKnown(table) && ipv4DefaultViaNat(query.routesOf(table.key))) subnets.set(subnet.key, subnet);
    }
  }
  const tables = new Map<string, RouteTable>();
  for (const subnet of subnets.values()) {
    if (subnet.ipv6Native === true) return `subnet ${subnet.name} is IPv6-only: Lambda needs dual-stack subnets (an IPv4 and an IPv6 CIDR).`;
    const table = query.routeTableFor(subnet.key);
    if (!isKnown(table)) return `the route table of subnet ${subnet.name} is not known here (${table.why}): define the association in these files.`;
    tables.set(table.key, table);
  }
  return { functions, subnets: [...subnets.values()], tables: [...tables.values()] };
}
