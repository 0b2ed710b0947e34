import type { Known, LambdaFunction, Location, ResourceGraph, Subnet } from '../model/graph';
import { isKnown } from '../model/graph';
import type { Finding, Fix, RelatedInformation, RuleId, Severity } from '../model/findings';
import type { EditsWithCreates, FixBuilder } from '../model/fixes';
import type { GraphQuery } from '../model/query';

/** What a rule sees: the graph, its indexes, and the format's fix writer. */
export interface RuleContext {
  graph: ResourceGraph;
  query: GraphQuery;
  fixes: FixBuilder;
}

export interface RuleDefinition {
  id: RuleId;
  defaultSeverity: Severity;
  title: string;
  description: string;
  /** Findings at the default severity; the analyzer applies suppressions and overrides. */
  check(context: RuleContext): Finding[];
}

/**
 * A finding whose fixes are written when first read. Diagnostics need only the finding; writing
 * edits costs more than detecting, and most findings are never fixed in a given analysis.
 */
export function withFixes(finding: Omit<Finding, 'fixes'>, write: () => Fix[]): Finding {
  let fixes: Fix[] | undefined;
  return Object.defineProperty(finding, 'fixes', {
    enumerable: true,
    get: () => (fixes ??= write()),
  }) as Finding;
}

/** A fix from the builder's edits, or nothing when the builder cannot write it in this file. */
export function fix(title: string, preferred: boolean, written: EditsWithCreates | undefined): Fix[] {
  if (!written || written.edits.length === 0) return [];
  return [{ title: written.caveat ? `${title} (${written.caveat})` : title, preferred, edits: written.edits, ...(written.creates?.length ? { creates: written.creates } : {}) }];
}

export function related(loc: Location | undefined, message: string): RelatedInformation[] {
  return loc ? [{ loc, message }] : [];
}

/** Has an IPv4 CIDR and an IPv6 CIDR and is not IPv6-native; false or unknown otherwise. */
export function isKnownDualStack(subnet: Subnet): boolean {
  return subnet.ipv4 === true && subnet.ipv6 === true && subnet.ipv6Native === false;
}

/** The function's subnets that are in the graph (unknown entries and foreign keys left out). */
export function knownSubnets(fn: LambdaFunction, query: GraphQuery): Subnet[] {
  if (!isKnown(fn.subnets)) return [];
  const result: Subnet[] = [];
  for (const entry of fn.subnets) {
    if (!isKnown(entry)) continue;
    const subnet = query.subnet(entry);
    if (subnet) result.push(subnet);
  }
  return result;
}

/** Every attached subnet, when each one is in the graph; undefined when any is unknown. */
export function allSubnets(fn: LambdaFunction, query: GraphQuery): Subnet[] | undefined {
  if (!isKnown(fn.subnets)) return undefined;
  const subnets = knownSubnets(fn, query);
  return subnets.length === fn.subnets.length ? subnets : undefined;
}

export function names(items: { name: string }[]): string {
  return items.map((item) => item.name).join(', ');
}

export function plural(count: number, one: string, many: string): string {
  return count === 1 ? one : many;
}

export function isTrue(value: Known<boolean | undefined>): boolean {
  return value === true;
}
