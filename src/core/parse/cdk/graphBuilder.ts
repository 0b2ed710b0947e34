import {
  type EgressRule,
  type Known,
  type LambdaFunction,
  type Location,
  type Range,
  type ResourceGraph,
  type SecurityGroup,
  emptyGraph,
  isUnknown,
  unknown,
} from '../../model/graph';
import { type Construct, type FileSymbols, knownBool, lookupProp } from './constructs';
import type { CallExpr, Expr } from './syntax';

export function subnetsKeyOf(vpcKey: string): string {
  return `${vpcKey}/subnets`;
}

export function createdGroupKeyOf(functionKey: string): string {
  return `${functionKey}/SecurityGroup`;
}

const allTraffic = '-1';

/** Builds the resource graph of one CDK file from the constructs it declares. */
export function buildGraph(symbols: FileSymbols, file: string): ResourceGraph {
  const graph = emptyGraph();
  const at = (range: Range): Location => ({ file, range });
  const calleeLoc = (construct: Construct) => at(construct.call.callee.range);

  for (const vpc of symbols.constructs.filter((c) => c.kind === 'vpc')) addVpc(graph, vpc, symbols, calleeLoc(vpc));
  for (const group of symbols.constructs.filter((c) => c.kind === 'securityGroup')) {
    graph.securityGroups.push({
      kind: 'securityGroup',
      key: group.key,
      name: group.name,
      loc: calleeLoc(group),
      vpc: vpcKeyOf(symbols, group.call),
      egress: securityGroupEgress(symbols, group, at),
    });
  }
  for (const fn of symbols.constructs.filter((c) => c.kind === 'function')) addFunction(graph, fn, symbols, at);
  return graph;
}

function addVpc(graph: ResourceGraph, vpc: Construct, symbols: FileSymbols, loc: Location): void {
  const ipv6 = dualStackOf(symbols, vpc.call);
  const subnetKey = subnetsKeyOf(vpc.key);
  graph.vpcs.push({ kind: 'vpc', key: vpc.key, name: vpc.name, loc, ipv6 });
  graph.subnets.push({ kind: 'subnet', key: subnetKey, name: `${vpc.name} subnets`, loc, vpc: vpc.key, ipv4: true, ipv6, ipv6Native: false });
  const natRoute = hasDefaultNatRoute(vpc.call);
  if (ipv6 !== true && !natRoute) return;
  const tableKey = `${vpc.key}/RouteTables`;
  graph.routeTables.push({ kind: 'routeTable', key: tableKey, name: `${vpc.name} route tables`, loc, vpc: vpc.key, main: false });
  graph.associations.push({ key: `${subnetKey}/RouteTables`, loc, subnet: subnetKey, table: tableKey });
  if (natRoute) {
    // The default subnet configuration puts functions in PRIVATE_WITH_EGRESS subnets, whose 0.0.0.0/0 goes to a NAT gateway.
    const natKey = `${vpc.key}/NatGateway`;
    graph.gateways.push({ kind: 'nat', key: natKey, name: `${vpc.name} NAT gateway`, loc, vpc: vpc.key });
    graph.routes.push({ key: `${tableKey}/Ipv4Default`, loc, table: tableKey, destination: '0.0.0.0/0', target: { kind: 'nat', gateway: natKey } });
  }
  if (ipv6 !== true) return;
  // CDK gives a dual-stack VPC an egress-only internet gateway and routes ::/0 of its private subnets to it.
  const eigwKey = `${vpc.key}/EgressOnlyInternetGateway`;
  graph.gateways.push({ kind: 'eigw', key: eigwKey, name: `${vpc.name} egress-only internet gateway`, loc, vpc: vpc.key });
  graph.routes.push({ key: `${tableKey}/Ipv6Default`, loc, table: tableKey, destination: '::/0', target: { kind: 'eigw', gateway: eigwKey } });
}

/**
 * With its default subnet configuration a Vpc has public subnets and PRIVATE_WITH_EGRESS subnets
 * whose 0.0.0.0/0 goes to a NAT gateway, unless `natGateways: 0`. Any other configuration, or a
 * count that is not a literal, is not known from the file.
 */
function hasDefaultNatRoute(call: CallExpr): boolean {
  for (const name of ['subnetConfiguration', 'natGatewayProvider', 'natGatewaySubnets', 'reservedAzs']) {
    if (lookupProp(call.props, name).kind !== 'absent') return false;
  }
  const natGateways = lookupProp(call.props, 'natGateways');
  if (natGateways.kind === 'absent') return true;
  return natGateways.kind === 'present' && natGateways.prop.value.kind === 'number' && natGateways.prop.value.value > 0;
}

function dualStackOf(symbols: FileSymbols, call: CallExpr): Known<boolean> {
  const ipProtocol = lookupProp(call.props, 'ipProtocol');
  if (ipProtocol.kind === 'absent') return false;
  if (ipProtocol.kind === 'unknown') return unknown(ipProtocol.why);
  const symbol = symbols.symbolOf(ipProtocol.prop.value);
  if (symbol === 'aws_ec2.IpProtocol.DUAL_STACK') return true;
  if (symbol === 'aws_ec2.IpProtocol.IPV4_ONLY') return false;
  return unknown('ipProtocol is not written as ec2.IpProtocol.DUAL_STACK or IPV4_ONLY');
}

function vpcKeyOf(symbols: FileSymbols, call: CallExpr): Known<string> {
  const vpc = lookupProp(call.props, 'vpc');
  if (vpc.kind === 'absent') return unknown('no vpc is given');
  if (vpc.kind === 'unknown') return unknown(vpc.why);
  const construct = symbols.resolveConstruct(vpc.prop.value);
  if (isUnknown(construct)) return construct;
  return construct.kind === 'vpc' ? construct.key : unknown(`${construct.name} is not a VPC`);
}

function boolProp(call: CallExpr, name: string, fallback: boolean): Known<boolean> {
  const lookup = lookupProp(call.props, name);
  if (lookup.kind === 'absent') return fallback;
  if (lookup.kind === 'unknown') return unknown(lookup.why);
  return knownBool(lookup.prop.value, name);
}

function allOutbound(call: CallExpr, at: (range: Range) => Location): Known<EgressRule[]> {
  const ipv4 = boolProp(call, 'allowAllOutbound', true);
  const ipv6 = boolProp(call, 'allowAllIpv6Outbound', false);
  if (isUnknown(ipv4)) return ipv4;
  if (isUnknown(ipv6)) return ipv6;
  const locOf = (name: string) => {
    const lookup = lookupProp(call.props, name);
    return lookup.kind === 'present' ? at(lookup.prop.range) : at(call.callee.range);
  };
  const rules: EgressRule[] = [];
  if (ipv4) rules.push({ loc: locOf('allowAllOutbound'), protocol: allTraffic, ipv4Cidrs: ['0.0.0.0/0'], ipv6Cidrs: [] });
  if (ipv6) rules.push({ loc: locOf('allowAllIpv6Outbound'), protocol: allTraffic, ipv4Cidrs: [], ipv6Cidrs: ['::/0'] });
  return rules;
}

/**
 * A group's egress is known only when every use of its variable is one we understand; anything
 * else (`sg.connections.allowTo…`, passing it to another construct) may add rules.
 */
function securityGroupEgress(symbols: FileSymbols, group: Construct, at: (range: Range) => Location): Known<EgressRule[]> {
  const egress = allOutbound(group.call, at);
  if (isUnknown(egress)) return egress;
  const name = group.definition?.name.split('.') ?? [];
  const usedInFunctions = new Set(functionGroupItems(symbols));
  for (const reference of symbols.referencesTo(group)) {
    const member = reference.path.slice(name.length);
    if (member.length === 0 && usedInFunctions.has(reference)) continue;
    if (member.length === 1 && member[0] === 'addIngressRule') continue;
    const call = member.length === 1 && member[0] === 'addEgressRule' ? symbols.file.calls.find((c) => c.callee === reference) : undefined;
    const rule = call ? egressRuleOf(symbols, call, at) : undefined;
    if (!rule) return unknown(`${group.definition?.targetText} is used on line ${reference.range.start.line + 1} in a way that may add egress rules`);
    egress.push(rule);
  }
  return egress;
}

function functionGroupItems(symbols: FileSymbols): Expr[] {
  return symbols.constructs
    .filter((c) => c.kind === 'function')
    .flatMap((fn) => {
      const lookup = lookupProp(fn.call.props, 'securityGroups');
      return lookup.kind === 'present' && lookup.prop.value.kind === 'list' ? lookup.prop.value.items : [];
    });
}

function egressRuleOf(symbols: FileSymbols, call: CallExpr, at: (range: Range) => Location): EgressRule | undefined {
  const [peer, port] = call.positional;
  if (peer?.kind !== 'call' || !port) return undefined;
  const peerSymbol = symbols.symbolOf(peer.callee);
  const cidr = peer.positional[0]?.kind === 'string' ? peer.positional[0].value.toLowerCase() : undefined;
  const rule: EgressRule = { loc: at(call.range), ...portOf(symbols, port), ipv4Cidrs: [], ipv6Cidrs: [] };
  switch (peerSymbol) {
    case 'aws_ec2.Peer.anyIpv4':
      rule.ipv4Cidrs.push('0.0.0.0/0');
      return rule;
    case 'aws_ec2.Peer.anyIpv6':
      rule.ipv6Cidrs.push('::/0');
      return rule;
    case 'aws_ec2.Peer.ipv4':
      rule.ipv4Cidrs.push(cidr ?? unknown('the peer CIDR is not a literal'));
      return rule;
    case 'aws_ec2.Peer.ipv6':
      rule.ipv6Cidrs.push(cidr ?? unknown('the peer CIDR is not a literal'));
      return rule;
    case 'aws_ec2.Peer.prefixList':
    case 'aws_ec2.Peer.securityGroupId':
      return { ...rule, otherTargets: true };
    default:
      return undefined;
  }
}

function portOf(symbols: FileSymbols, port: Expr): Pick<EgressRule, 'protocol' | 'fromPort' | 'toPort'> {
  const symbol = port.kind === 'call' ? symbols.symbolOf(port.callee) : undefined;
  const numbers = port.kind === 'call' ? port.positional.map((arg) => (arg.kind === 'number' ? arg.value : undefined)) : [];
  const range = (protocol: string, from: number | undefined, to: number | undefined) =>
    from === undefined || to === undefined ? { protocol, fromPort: unknown('the port is not a literal'), toPort: unknown('the port is not a literal') } : { protocol, fromPort: from, toPort: to };
  switch (symbol) {
    case 'aws_ec2.Port.allTraffic':
      return { protocol: allTraffic };
    case 'aws_ec2.Port.allTcp':
      return { protocol: 'tcp', fromPort: 0, toPort: 65535 };
    case 'aws_ec2.Port.allUdp':
      return { protocol: 'udp', fromPort: 0, toPort: 65535 };
    case 'aws_ec2.Port.tcp':
      return range('tcp', numbers[0], numbers[0]);
    case 'aws_ec2.Port.udp':
      return range('udp', numbers[0], numbers[0]);
    case 'aws_ec2.Port.tcpRange':
      return range('tcp', numbers[0], numbers[1]);
    case 'aws_ec2.Port.udpRange':
      return range('udp', numbers[0], numbers[1]);
    default:
      return { protocol: unknown('the port is not one of ec2.Port.tcp/udp/tcpRange/udpRange/allTcp/allUdp/allTraffic') };
  }
}

function addFunction(graph: ResourceGraph, fn: Construct, symbols: FileSymbols, at: (range: Range) => Location): void {
  const props = fn.call.props;
  const vpc = lookupProp(props, 'vpc');
  const flag = lookupProp(props, 'ipv6AllowedForDualStack');
  const groups = lookupProp(props, 'securityGroups');
  const vpcKey = vpc.kind === 'present' ? vpcKeyOf(symbols, fn.call) : undefined;

  const element: LambdaFunction = {
    kind: 'function',
    key: fn.key,
    name: fn.name,
    loc: at(fn.call.callee.range),
    hasVpcConfig: vpc.kind === 'unknown' ? unknown(vpc.why) : vpc.kind === 'present',
    ipv6Flag: flag.kind === 'unknown' ? unknown(flag.why) : flag.kind === 'present' ? knownBool(flag.prop.value, 'ipv6AllowedForDualStack') : undefined,
    flagLoc: flag.kind === 'present' ? at(flag.prop.range) : undefined,
    vpcConfigLoc: vpc.kind === 'present' ? at(vpc.prop.keyRange) : at(fn.call.callee.range),
    subnets: vpc.kind === 'unknown' ? unknown(vpc.why) : vpcKey === undefined ? [] : isUnknown(vpcKey) ? vpcKey : [subnetsKeyOf(vpcKey)],
    securityGroups: [],
  };
  if (groups.kind === 'present') {
    element.securityGroupsLoc = at(groups.prop.keyRange);
    element.securityGroups =
      groups.prop.value.kind === 'list'
        ? groups.prop.value.items.map((item) => groupKeyOf(symbols, item))
        : unknown('securityGroups is not a list written in this file');
  } else if (groups.kind === 'unknown') {
    element.securityGroups = unknown(groups.why);
  } else if (vpc.kind !== 'absent') {
    const created = createdGroup(symbols, fn, vpcKey ?? unknown(vpc.kind === 'unknown' ? vpc.why : 'no vpc'), at);
    element.securityGroups = [created.key];
    if (vpc.kind === 'present') element.securityGroupsLoc = at(vpc.prop.keyRange);
    graph.securityGroups.push(created);
  }
  graph.functions.push(element);
}

function groupKeyOf(symbols: FileSymbols, item: Expr): Known<string> {
  const construct = symbols.resolveConstruct(item);
  if (isUnknown(construct)) return construct;
  return construct.kind === 'securityGroup' ? construct.key : unknown(`${construct.name} is not a security group`);
}

/** The group CDK creates for a function in a VPC that names no security groups. */
function createdGroup(symbols: FileSymbols, fn: Construct, vpc: Known<string>, at: (range: Range) => Location): SecurityGroup {
  let egress = allOutbound(fn.call, at);
  const depth = fn.definition?.name.split('.').length ?? 0;
  const connections = symbols.referencesTo(fn).find((reference) => reference.path[depth] === 'connections');
  if (connections) egress = unknown(`${fn.definition?.targetText}.connections on line ${connections.range.start.line + 1} may add egress rules`);
  return { kind: 'securityGroup', key: createdGroupKeyOf(fn.key), name: `${fn.name} security group`, loc: at(fn.call.callee.range), vpc, egress, createdForFunction: fn.key };
}
