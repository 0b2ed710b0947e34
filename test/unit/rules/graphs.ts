/** Hand-built graphs for rule tests: a dual-stack VPC with a private table, and a fix writer that records calls. */
import type { EgressRule, Gateway, LambdaFunction, Location, ResourceGraph, Route, RouteTable, SecurityGroup, Subnet, Vpc } from '../../../src/core/model/graph';
import { emptyGraph } from '../../../src/core/model/graph';
import type { TextEdit } from '../../../src/core/model/findings';
import type { FixBuilder } from '../../../src/core/model/fixes';
import type { ParsedUnit } from '../../../src/core/model/source';

export const FILE = 'template.yaml';

/** A one-line location on `line`, so tests can tell where a finding is reported. */
export function at(line: number, file = FILE): Location {
  return { file, range: { start: { line, character: 2 }, end: { line, character: 10 } } };
}

export function vpc(key: string, overrides: Partial<Vpc> = {}): Vpc {
  return { kind: 'vpc', key, name: key, ipv6: true, ...overrides };
}

export function subnet(key: string, overrides: Partial<Subnet> = {}): Subnet {
  return { kind: 'subnet', key, name: key, vpc: 'Vpc', ipv4: true, ipv6: true, ipv6Native: false, ...overrides };
}

export function fn(key: string, overrides: Partial<LambdaFunction> = {}): LambdaFunction {
  return {
    kind: 'function',
    key,
    name: key,
    hasVpcConfig: true,
    ipv6Flag: undefined,
    subnets: ['SubnetA', 'SubnetB'],
    securityGroups: ['Sg'],
    ...overrides,
  };
}

export function gateway(key: string, kind: Gateway['kind'], overrides: Partial<Gateway> = {}): Gateway {
  return { kind, key, name: key, vpc: 'Vpc', ...overrides };
}

export function table(key: string, overrides: Partial<RouteTable> = {}): RouteTable {
  return { kind: 'routeTable', key, name: key, vpc: 'Vpc', main: false, ...overrides };
}

export function route(key: string, tableKey: string, destination: Route['destination'], target: Route['target'], overrides: Partial<Route> = {}): Route {
  return { key, table: tableKey, destination, target, ...overrides };
}

export function group(key: string, egress: SecurityGroup['egress'], overrides: Partial<SecurityGroup> = {}): SecurityGroup {
  return { kind: 'securityGroup', key, name: key, vpc: 'Vpc', egress, ...overrides };
}

export const ipv4Egress: EgressRule = { protocol: '-1', ipv4Cidrs: ['0.0.0.0/0'], ipv6Cidrs: [] };
export const ipv6Egress: EgressRule = { protocol: '-1', ipv4Cidrs: [], ipv6Cidrs: ['::/0'] };

/**
 * A private network that is dual-stack everywhere and correct: subnets A and B use table Private
 * (0.0.0.0/0 → NAT, ::/0 → EIGW).
 */
export function dualStackNetwork(): ResourceGraph {
  return {
    ...emptyGraph(),
    vpcs: [vpc('Vpc', { loc: at(1) })],
    subnets: [subnet('SubnetA', { loc: at(2) }), subnet('SubnetB', { loc: at(3) })],
    gateways: [gateway('Nat', 'nat', { loc: at(4) }), gateway('Eigw', 'eigw', { loc: at(5) }), gateway('Igw', 'igw', { loc: at(6) })],
    routeTables: [table('Private', { loc: at(7) })],
    routes: [
      route('NatRoute', 'Private', '0.0.0.0/0', { kind: 'nat', gateway: 'Nat' }, { loc: at(8) }),
      route('V6Route', 'Private', '::/0', { kind: 'eigw', gateway: 'Eigw' }, { loc: at(9) }),
    ],
    associations: [
      { key: 'AssocA', subnet: 'SubnetA', table: 'Private' },
      { key: 'AssocB', subnet: 'SubnetB', table: 'Private' },
    ],
    securityGroups: [group('Sg', [ipv4Egress, ipv6Egress], { loc: at(10) })],
  };
}

/** Writes one recognisable edit per call: `newText` names the call, e.g. `setFlag(Fn,true)`. */
export function recordingFixes(): FixBuilder {
  let line = 100;
  const edit = (newText: string): { edits: TextEdit[] } => {
    line += 1;
    return { edits: [{ file: FILE, range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText }] };
  };
  return {
    setFlag: (f, value) => edit(`setFlag(${f.key},${value})`),
    removeFlag: (f) => edit(`removeFlag(${f.key})`),
    retargetRouteToEigw: (r, vpcKey) => ({ ...edit(`retarget(${r.key},${vpcKey})`), creates: [`eigw:${vpcKey}`] }),
    addIpv6DefaultRoute: (t, vpcKey) => ({ ...edit(`addRoute(${t.key},${vpcKey})`), creates: [`eigw:${vpcKey}`] }),
    addIpv6Egress: (g, variant) => edit(`egress(${g.key},${variant})`),
    makeDualStack: (key) => edit(`dualStack(${key})`),
    addVpcIpv6Block: (vpcKey) => edit(`ipv6Block(${vpcKey})`),
  };
}

export function parsedUnit(graph: ResourceGraph, fixes: FixBuilder = recordingFixes()): ParsedUnit {
  return { graph, fixes, suppressions: new Map(), skipped: [] };
}

/** What a fix does, in the recording builder's words. */
export function fixSummary(fixes: { preferred: boolean; edits: TextEdit[] }[]): string[] {
  return fixes.map((f) => `${f.preferred ? '*' : ''}${f.edits.map((e) => e.newText).join('+')}`);
}
