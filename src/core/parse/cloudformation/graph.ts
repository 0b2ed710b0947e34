/** Builds the resource graph of one template (YAML or JSON, SAM Globals merged). */
import type { EgressRule, Gateway, Known, LambdaFunction, Location, ResourceGraph, Route, RouteTarget, SecurityGroup, Subnet } from '../../model/graph';
import { emptyGraph, isKnown, isUnknown, unknown } from '../../model/graph';
import type { Template, TemplateResource } from './template';
import { booleanValue, ignoredRules, presence } from './template';
import type { MapNode, PairNode, ValueNode } from './valueTree';
import { asPlainMap, intrinsicOf, pairOf, scalarText, valueOf } from './valueTree';

const SUBNET = ['AWS::EC2::Subnet'];
const VPC = ['AWS::EC2::VPC'];
const ROUTE_TABLE = ['AWS::EC2::RouteTable'];
const SECURITY_GROUP = ['AWS::EC2::SecurityGroup'];
const NAT_GATEWAY = ['AWS::EC2::NatGateway'];
const INTERNET_GATEWAY = 'AWS::EC2::InternetGateway';
const EGRESS_ONLY_GATEWAY = ['AWS::EC2::EgressOnlyInternetGateway'];
const GATEWAY_ID_TARGETS = [INTERNET_GATEWAY, 'AWS::EC2::VPNGateway'];
const OTHER_ROUTE_TARGETS = [
  'TransitGatewayId', 'VpcPeeringConnectionId', 'NetworkInterfaceId', 'InstanceId', 'VpcEndpointId',
  'CarrierGatewayId', 'CoreNetworkArn', 'LocalGatewayId',
];

/** Where a function's VPC config pieces are written, for locations and fixes. */
export interface FunctionSource {
  resource: TemplateResource;
  /** The function's own `VpcConfig` pair. */
  ownVpcConfig?: PairNode;
  /** `Globals.Function.VpcConfig` (SAM functions only). */
  globalVpcConfig?: PairNode;
  /** The `Ipv6AllowedForDualStack` pair in effect, in the function or in Globals. */
  flag?: PairNode;
}

export interface TemplateGraph {
  graph: ResourceGraph;
  functions: Map<string, FunctionSource>;
  /** VPC key → logical ids of the `AWS::EC2::VPCCidrBlock` resources that give it IPv6. */
  ipv6CidrBlocks: Map<string, string[]>;
}

/**
 * SAM's Globals merge: maps merge key by key (the function wins), lists concatenate (Globals first),
 * anything else is the function's. Merged pairs keep the pair objects where they are written.
 */
function mergeGlobals(global: ValueNode | undefined, own: ValueNode | undefined): ValueNode | undefined {
  if (!own) return global;
  if (!global) return own;
  const globalMap = asPlainMap(global);
  const ownMap = asPlainMap(own);
  if (globalMap && ownMap) {
    const pairs: PairNode[] = [];
    for (const globalPair of globalMap.pairs) {
      const ownPair = pairOf(ownMap, globalPair.key);
      pairs.push(ownPair ? { ...ownPair, value: mergeGlobals(globalPair.value, ownPair.value) } : globalPair);
    }
    for (const ownPair of ownMap.pairs) if (!pairOf(globalMap, ownPair.key)) pairs.push(ownPair);
    return { ...ownMap, pairs };
  }
  if (global.kind === 'seq' && own.kind === 'seq' && !global.tag && !own.tag) return { ...own, items: [...global.items, ...own.items] };
  return own;
}

function anyTrue(values: Known<boolean>[]): Known<boolean> {
  if (values.some((value) => value === true)) return true;
  return values.find(isUnknown) ?? false;
}

/** A list property that names something: true unless absent or a known empty list. */
function declaresEntries(pair: PairNode | undefined): Known<boolean> {
  const present = presence(pair);
  if (present !== true) return present;
  return pair?.value?.kind === 'seq' && !pair.value.tag ? pair.value.items.length > 0 : true;
}

function literalLowerCase(node: ValueNode | undefined, what: string): Known<string> {
  const literal = scalarText(node);
  return literal !== undefined ? literal.toLowerCase() : unknown(`${what} is an expression`);
}

const PROTOCOL_NAMES: Record<string, string> = { '-1': '-1', all: '-1', '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6' };

function egressRule(rule: MapNode, loc: Location): EgressRule {
  const protocolText = scalarText(valueOf(rule, 'IpProtocol'))?.toLowerCase();
  const port = (key: string): Known<number> | undefined => {
    const pair = pairOf(rule, key);
    if (!pair?.value) return undefined;
    const text = scalarText(pair.value);
    return text !== undefined && /^-?\d+$/.test(text) ? Number(text) : unknown(`${key} is not a number`);
  };
  const cidrs = (key: string): Known<string>[] => {
    const pair = pairOf(rule, key);
    return pair?.value ? [literalLowerCase(pair.value, key)] : [];
  };
  const fromPort = port('FromPort');
  const toPort = port('ToPort');
  return {
    loc,
    protocol: protocolText === undefined ? unknown('IpProtocol is an expression') : (PROTOCOL_NAMES[protocolText] ?? protocolText),
    ...(fromPort !== undefined ? { fromPort } : {}),
    ...(toPort !== undefined ? { toPort } : {}),
    ipv4Cidrs: cidrs('CidrIp'),
    ipv6Cidrs: cidrs('CidrIpv6'),
    ...(pairOf(rule, 'DestinationPrefixListId') || pairOf(rule, 'DestinationSecurityGroupId') ? { otherTargets: true } : {}),
  };
}

export function buildGraph(template: Template, file: string): TemplateGraph {
  const { lines } = template.parsed;
  const at = (start: number, end: number): Location => ({ file, range: lines.range(start, end) });
  const keyLoc = (pair: PairNode): Location => at(pair.keyStart, pair.keyEnd);
  const element = (resource: TemplateResource) => {
    const ignore = ignoredRules(resource);
    return { key: resource.logicalId, name: resource.logicalId, loc: keyLoc(resource.pair), ...(ignore ? { ignore } : {}) };
  };
  const prop = (resource: TemplateResource, key: string): PairNode | undefined => pairOf(resource.properties, key);
  // A VPC the template takes by id as its own parameter is one VPC, named after the parameter.
  const parameterVpcs = new Set<string>();
  const vpcParameter = (node: ValueNode | undefined): string | undefined => {
    const name = template.ownParameter(node, VPC);
    if (name !== undefined) parameterVpcs.add(name);
    return name;
  };
  const vpcOf = (resource: TemplateResource): Known<string> => {
    const node = prop(resource, 'VpcId')?.value;
    return vpcParameter(node) ?? template.resolve(node, VPC);
  };

  const graph = emptyGraph();
  const functions = new Map<string, FunctionSource>();
  const ipv6CidrBlocks = new Map<string, string[]>();

  // VPCs and the CIDR blocks that give them IPv6.
  const vpcIpv6 = new Map<string, Known<boolean>[]>();
  const blocksForUnresolvedVpc: Known<boolean>[] = [];
  for (const block of template.ofType('AWS::EC2::VPCCidrBlock')) {
    const amazonProvided = booleanValue(prop(block, 'AmazonProvidedIpv6CidrBlock'), 'AmazonProvidedIpv6CidrBlock');
    const givesIpv6 = anyTrue([
      amazonProvided === undefined ? false : amazonProvided,
      presence(prop(block, 'Ipv6CidrBlock')),
      presence(prop(block, 'Ipv6Pool')),
      presence(prop(block, 'Ipv6IpamPoolId')),
    ]);
    if (givesIpv6 === false) continue;
    const vpcId = prop(block, 'VpcId')?.value;
    const parameter = vpcParameter(vpcId);
    const reference = parameter !== undefined ? { key: parameter } : template.reference(vpcId, VPC);
    if ('key' in reference) {
      vpcIpv6.set(reference.key, [...(vpcIpv6.get(reference.key) ?? []), givesIpv6]);
      if (givesIpv6 === true) ipv6CidrBlocks.set(reference.key, [...(ipv6CidrBlocks.get(reference.key) ?? []), block.logicalId]);
    } else if (!reference.outsideTemplate) {
      blocksForUnresolvedVpc.push(isUnknown(givesIpv6) ? givesIpv6 : reference.unknown);
    }
  }
  for (const vpc of template.ofType(...VPC)) {
    graph.vpcs.push({ ...element(vpc), kind: 'vpc', ipv6: anyTrue([...(vpcIpv6.get(vpc.logicalId) ?? []), ...blocksForUnresolvedVpc]) });
  }

  const subnetsByKey = new Map<string, Subnet>();
  for (const resource of template.ofType(...SUBNET)) {
    const native = booleanValue(prop(resource, 'Ipv6Native'), 'Ipv6Native');
    const dns64Pair = prop(resource, 'EnableDns64');
    const dns64 = booleanValue(dns64Pair, 'EnableDns64');
    const ipv4Cidr = scalarText(prop(resource, 'CidrBlock')?.value);
    const ipv6Cidr = scalarText(prop(resource, 'Ipv6CidrBlock')?.value);
    const subnet: Subnet = {
      ...element(resource),
      kind: 'subnet',
      vpc: vpcOf(resource),
      ipv4: anyTrue([presence(prop(resource, 'CidrBlock')), presence(prop(resource, 'Ipv4IpamPoolId'))]),
      ipv6: anyTrue(['Ipv6CidrBlock', 'Ipv6CidrBlocks', 'Ipv6IpamPoolId'].map((key) => presence(prop(resource, key)))),
      ipv6Native: native === undefined ? false : native,
      dns64: dns64 === undefined ? false : dns64,
      ...(dns64Pair ? { dns64Loc: keyLoc(dns64Pair) } : {}),
      ...(ipv4Cidr !== undefined ? { ipv4Cidr } : {}),
      ...(ipv6Cidr !== undefined ? { ipv6Cidr } : {}),
    };
    subnetsByKey.set(subnet.key, subnet);
    graph.subnets.push(subnet);
  }

  for (const resource of template.ofType(...ROUTE_TABLE)) {
    graph.routeTables.push({ ...element(resource), kind: 'routeTable', vpc: vpcOf(resource), main: false });
  }

  for (const resource of template.ofType('AWS::EC2::Route')) {
    const table = template.resolve(prop(resource, 'RouteTableId')?.value, ROUTE_TABLE);
    const ignore = ignoredRules(resource);
    const route: Route = {
      key: resource.logicalId,
      loc: keyLoc(resource.pair),
      // A table outside the template still needs a key; one no graph element has keeps it apart.
      table: isKnown(table) ? table : `(${table.why})`,
      destination: routeDestination(resource),
      target: routeTarget(template, resource),
      ...(ignore ? { ignore } : {}),
    };
    graph.routes.push(route);
  }

  for (const resource of template.ofType('AWS::EC2::SubnetRouteTableAssociation')) {
    graph.associations.push({
      key: resource.logicalId,
      loc: keyLoc(resource.pair),
      subnet: template.resolve(prop(resource, 'SubnetId')?.value, SUBNET),
      table: template.resolve(prop(resource, 'RouteTableId')?.value, ROUTE_TABLE),
    });
  }

  graph.gateways.push(...gateways(template, subnetsByKey, element, vpcOf, prop));
  graph.securityGroups.push(...securityGroups(template, element, vpcOf, prop, keyLoc, at));

  for (const resource of template.ofType('AWS::Lambda::Function', 'AWS::Serverless::Function')) {
    const serverless = resource.type === 'AWS::Serverless::Function';
    const source: FunctionSource = {
      resource,
      ownVpcConfig: prop(resource, 'VpcConfig'),
      globalVpcConfig: serverless ? pairOf(template.globalsFunction, 'VpcConfig') : undefined,
    };
    const vpcConfigPair = source.ownVpcConfig ?? source.globalVpcConfig;
    const vpcConfig = mergeGlobals(source.globalVpcConfig?.value, source.ownVpcConfig?.value);
    const fn: LambdaFunction = {
      ...element(resource),
      kind: 'function',
      hasVpcConfig: false,
      ipv6Flag: undefined,
      subnets: [],
      securityGroups: [],
      ...(vpcConfigPair ? { vpcConfigLoc: keyLoc(vpcConfigPair) } : {}),
      ...(prop(resource, 'CapacityProviderConfig') ? { managedInstances: true } : {}),
    };
    const vpcConfigMap = asPlainMap(vpcConfig);
    if (vpcConfigMap) {
      const subnetIds = pairOf(vpcConfigMap, 'SubnetIds');
      const securityGroupIds = pairOf(vpcConfigMap, 'SecurityGroupIds');
      source.flag = pairOf(vpcConfigMap, 'Ipv6AllowedForDualStack');
      fn.hasVpcConfig = anyTrue([declaresEntries(subnetIds), declaresEntries(securityGroupIds)]);
      fn.ipv6Flag = booleanValue(source.flag, 'Ipv6AllowedForDualStack');
      fn.subnets = template.referenceList(subnetIds?.value, SUBNET, 'SubnetIds');
      fn.securityGroups = template.referenceList(securityGroupIds?.value, SECURITY_GROUP, 'SecurityGroupIds');
      if (source.flag) fn.flagLoc = at(source.flag.keyStart, source.flag.end);
      if (securityGroupIds) fn.securityGroupsLoc = keyLoc(securityGroupIds);
    } else if (vpcConfig && presence(vpcConfigPair) !== false) {
      const why = unknown(`VpcConfig is an ${intrinsicOf(vpcConfig)?.name ?? 'expression'}`);
      Object.assign(fn, { hasVpcConfig: why, ipv6Flag: why, subnets: why, securityGroups: why });
    }
    functions.set(fn.key, source);
    graph.functions.push(fn);
  }

  for (const name of parameterVpcs) {
    const blocks = vpcIpv6.get(name);
    graph.vpcs.push({
      key: name,
      name,
      loc: keyLoc(template.parametersMap!.pairs.find((pair) => pair.key === name)!),
      kind: 'vpc',
      ipv6: blocks ? anyTrue(blocks) : unknown(`parameter ${name}: whether that VPC has an IPv6 block the template cannot say`),
      reference: `parameter ${name}`,
    });
  }

  return { graph, functions, ipv6CidrBlocks };
}

function routeDestination(resource: TemplateResource): Known<string> {
  for (const key of ['DestinationCidrBlock', 'DestinationIpv6CidrBlock']) {
    const pair = pairOf(resource.properties, key);
    if (pair?.value) return literalLowerCase(pair.value, key);
  }
  if (pairOf(resource.properties, 'DestinationPrefixListId')) return unknown('a prefix list destination');
  return unknown('no destination');
}

function routeTarget(template: Template, resource: TemplateResource): Known<RouteTarget> {
  const value = (key: string) => pairOf(resource.properties, key)?.value;
  const gatewayTarget = (kind: RouteTarget['kind'], node: ValueNode, types: string[]): RouteTarget => {
    const gateway = template.resolve(node, types);
    return isKnown(gateway) ? { kind, gateway } : { kind };
  };
  const nat = value('NatGatewayId');
  if (nat) return gatewayTarget('nat', nat, NAT_GATEWAY);
  const eigw = value('EgressOnlyInternetGatewayId');
  if (eigw) return gatewayTarget('eigw', eigw, EGRESS_ONLY_GATEWAY);
  const gatewayId = value('GatewayId');
  if (gatewayId) {
    const reference = template.reference(gatewayId, GATEWAY_ID_TARGETS);
    if ('key' in reference) {
      return template.resources.get(reference.key)?.type === INTERNET_GATEWAY ? { kind: 'igw', gateway: reference.key } : { kind: 'other' };
    }
    const literal = scalarText(gatewayId);
    if (literal?.startsWith('igw-')) return { kind: 'igw' };
    if (literal !== undefined) return { kind: 'other' };
    return reference.unknown;
  }
  if (OTHER_ROUTE_TARGETS.some((key) => value(key))) return { kind: 'other' };
  return unknown('no target');
}

type ElementOf = (resource: TemplateResource) => { key: string; name: string; loc: Location; ignore?: string[] };
type PropOf = (resource: TemplateResource, key: string) => PairNode | undefined;

function gateways(
  template: Template,
  subnets: Map<string, Subnet>,
  element: ElementOf,
  vpcOf: (resource: TemplateResource) => Known<string>,
  prop: PropOf,
): Gateway[] {
  const result: Gateway[] = [];
  for (const resource of template.ofType(...NAT_GATEWAY)) {
    const subnet = template.resolve(prop(resource, 'SubnetId')?.value, SUBNET);
    const vpc = isKnown(subnet) ? (subnets.get(subnet)?.vpc ?? unknown(`subnet ${subnet}`)) : subnet;
    result.push({ ...element(resource), kind: 'nat', vpc });
  }
  const attachments = template.ofType('AWS::EC2::VPCGatewayAttachment');
  for (const resource of template.ofType(INTERNET_GATEWAY)) {
    const attachment = attachments.find((candidate) => template.resolve(prop(candidate, 'InternetGatewayId')?.value, [INTERNET_GATEWAY]) === resource.logicalId);
    result.push({ ...element(resource), kind: 'igw', vpc: attachment ? vpcOf(attachment) : unknown(`${resource.logicalId} is not attached to a VPC in this template`) });
  }
  for (const resource of template.ofType(...EGRESS_ONLY_GATEWAY)) result.push({ ...element(resource), kind: 'eigw', vpc: vpcOf(resource) });
  return result;
}

function securityGroups(
  template: Template,
  element: ElementOf,
  vpcOf: (resource: TemplateResource) => Known<string>,
  prop: PropOf,
  keyLoc: (pair: PairNode) => Location,
  at: (start: number, end: number) => Location,
): SecurityGroup[] {
  const groups = new Map<string, SecurityGroup>();
  for (const resource of template.ofType(...SECURITY_GROUP)) {
    groups.set(resource.logicalId, { ...element(resource), kind: 'securityGroup', vpc: vpcOf(resource), egress: inlineEgress(prop(resource, 'SecurityGroupEgress'), at) });
  }
  for (const resource of template.ofType('AWS::EC2::SecurityGroupEgress')) {
    const reference = template.reference(prop(resource, 'GroupId')?.value, SECURITY_GROUP);
    if ('key' in reference) {
      const group = groups.get(reference.key);
      if (group && isKnown(group.egress)) {
        group.egress = resource.properties ? [...group.egress, egressRule(resource.properties, keyLoc(resource.pair))] : unknown(`${resource.logicalId} has no Properties`);
      }
    } else if (!reference.outsideTemplate) {
      // The rule may belong to any group of the template.
      for (const group of groups.values()) group.egress = unknown(`egress rule ${resource.logicalId} (${reference.unknown.why})`);
    }
  }
  return [...groups.values()];
}

function inlineEgress(pair: PairNode | undefined, at: (start: number, end: number) => Location): Known<EgressRule[]> {
  // Without SecurityGroupEgress — or with an empty one — AWS keeps its default allow-all egress.
  const defaultEgress = unknown('AWS default egress (no SecurityGroupEgress)');
  const present = presence(pair);
  if (present === false || !pair?.value) return defaultEgress;
  if (present !== true) return present;
  const list = pair.value;
  if (list.kind !== 'seq' || list.tag) return unknown('SecurityGroupEgress is an expression');
  if (list.items.length === 0) return defaultEgress;
  const rules: EgressRule[] = [];
  for (const item of list.items) {
    const rule = asPlainMap(item);
    if (!rule) return unknown('an egress rule is an expression');
    rules.push(egressRule(rule, at(rule.start, rule.end)));
  }
  return rules;
}
