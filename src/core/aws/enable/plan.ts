/**
 * Plans an enable/disable run from live data: reads each function, checks it and its network with
 * the rule catalogue (the same rules that check templates, on the graph the inventory builds), and
 * lists the exact writes. Planning never writes.
 */
import { randomUUID } from 'node:crypto';
import type { IpPermission, SecurityGroup as Ec2SecurityGroup } from '@aws-sdk/client-ec2';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { analyzeGraph } from '../../analysis/analyze';
import type { Finding } from '../../model/findings';
import type { LambdaFunction, ResourceGraph } from '../../model/graph';
import { isKnown } from '../../model/graph';
import type { GraphQuery } from '../../model/query';
import { queryGraph } from '../../model/query';
import { isIpv6DefaultRoute } from '../../rules/cidr';
import { isKnownDualStack } from '../../rules/rule';
import type { Ec2Read, RegionInventory } from '../inventory';
import { readRegion } from '../inventory';
import { buildLiveGraph } from '../liveGraph';
import { natGatewaysOfFunctions, readNatBill } from '../natBill';
import { DEFAULT_NAT_PRICE_PER_GB } from '../natText';
import type { CallContext } from './calls';
import { describeFailure, errorName, settledConfiguration, timingWith, withBackoff } from './calls';
import type {
  AuthorizeEgressStep,
  CreateEigwStep,
  CreateRouteStep,
  EnableOptions,
  FunctionPlan,
  GatewayRef,
  NetworkStep,
  Plan,
  PlanTarget,
  ReplaceRouteStep,
  Step,
  UpdateFunctionStep,
} from './types';
import { planIpv6Cidrs } from './cidrPlan';
import { publishedVersionNotes } from './versions';

/** The reads network changes are planned from; without any of them the network part is not planned. */
const NETWORK_READS: Ec2Read[] = ['DescribeRouteTables', 'DescribeEgressOnlyInternetGateways', 'DescribeSecurityGroups', 'DescribeNatGateways', 'DescribeInternetGateways'];
const INVENTORY_ROUNDS = 3;

/** A function identifier that names a published version or alias rather than $LATEST. */
function qualifierOf(identifier: string): string | undefined {
  const marker = ':function:';
  const afterFunction = identifier.includes(marker) ? identifier.slice(identifier.indexOf(marker) + marker.length) : identifier;
  const [, qualifier] = afterFunction.split(':');
  return qualifier && qualifier !== '$LATEST' ? qualifier : undefined;
}

/**
 * The region's inventory, read again (a bounded number of times) while some EC2 read failed: under
 * throttling the SDK's retries may not be enough, and a plan from partial data refuses more than it must.
 */
async function readInventory(context: CallContext): Promise<RegionInventory> {
  const region = context.clients.target.region;
  const read = () =>
    withBackoff(() => readRegion({ clients: context.clients, region, detail: 'network' }), context.timing, context.signal).catch((error: unknown) => {
      throw new Error(describeFailure(error, 'lambda:ListFunctions', context.clients));
    });
  let inventory = await read();
  for (let round = 1; round < INVENTORY_ROUNDS && Object.keys(inventory.unreadable).length > 0; round += 1) {
    await new Promise((resolve) => setTimeout(resolve, context.timing.backoffBaseMs * round));
    inventory = await read();
  }
  return inventory;
}

function refused(name: string, arn: string | undefined, ...reasons: string[]): FunctionPlan {
  return { name, arn, status: 'refused', reasons, warnings: [] };
}

function subnetList(ids: string[]): string {
  return `${ids.length === 1 ? 'subnet' : 'subnets'} ${ids.join(', ')}`;
}

/** Why enabling must not be attempted, from the rules' findings on the function with the flag set. */
function preflightRefusals(fn: LambdaFunction, findings: Finding[], query: GraphQuery): string[] {
  const subnetIds = isKnown(fn.subnets) ? fn.subnets.filter(isKnown) : [];
  const subnets = subnetIds.map((id) => query.subnet(id));
  const reasons: string[] = [];
  if (findings.some((f) => f.rule === 'IPV6L003' && f.subject === fn.key)) {
    const ipv6Only = subnets.filter((s) => s?.ipv6Native === true).map((s) => s!.key);
    reasons.push(`IPV6L003: ${subnetList(ipv6Only)} ${ipv6Only.length === 1 ? 'is' : 'are'} IPv6-only; Lambda supports only dual-stack subnets. Attach the function to dual-stack subnets (an IPv4 and an IPv6 CIDR block) instead.`);
  }
  if (findings.some((f) => f.rule === 'IPV6L002' && f.subject === fn.key)) {
    const ipv4Only = subnets.filter((s) => s?.ipv6 === false).map((s) => s!.key);
    reasons.push(`IPV6L002: ${subnetList(ipv4Only)} ${ipv4Only.length === 1 ? 'has' : 'have'} no IPv6 CIDR block. Let the plan add them (--with-network --add-ipv6-cidrs; in VS Code "Add IPv6 to the Network…"), associate one with each yourself (aws ec2 associate-subnet-cidr-block --subnet-id <id> --ipv6-cidr-block <a /64 of the VPC's block>), or attach the function to dual-stack subnets.`);
  }
  if (reasons.length > 0) return reasons;
  const unconfirmed = subnetIds.flatMap((id, i) => {
    const subnet = subnets[i];
    if (subnet && isKnownDualStack(subnet)) return [];
    const why = subnet && !isKnown(subnet.ipv6) ? subnet.ipv6.why : `subnet ${id} is not dual-stack`;
    return [`${id} (${why})`];
  });
  if (unconfirmed.length > 0) {
    reasons.push(`Could not confirm that ${unconfirmed.length === 1 ? 'subnet' : 'subnets'} ${unconfirmed.join(', ')} ${unconfirmed.length === 1 ? 'is' : 'are'} dual-stack; nothing is changed without that. Fix the cause and plan again.`);
  }
  return reasons;
}

function mirroredPermissions(group: Ec2SecurityGroup): IpPermission[] {
  const seen = new Set<string>();
  const permissions: IpPermission[] = [];
  for (const permission of group.IpPermissionsEgress ?? []) {
    if (!(permission.IpRanges ?? []).some((range) => range.CidrIp === '0.0.0.0/0')) continue;
    const protocol = permission.IpProtocol ?? '-1';
    const allPorts = protocol === '-1';
    const key = allPorts ? protocol : `${protocol}:${permission.FromPort}:${permission.ToPort}`;
    if (seen.has(key)) continue;
    seen.add(key);
    permissions.push({
      IpProtocol: protocol,
      ...(allPorts ? {} : { FromPort: permission.FromPort, ToPort: permission.ToPort }),
      Ipv6Ranges: [{ CidrIpv6: '::/0' }],
    });
  }
  return permissions;
}

const HTTPS_EGRESS: IpPermission = { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Ipv6Ranges: [{ CidrIpv6: '::/0' }] };

/** Collects network steps keyed by the resource they change, so functions sharing a VPC share them. */
class NetworkSteps {
  readonly eigws = new Map<string, CreateEigwStep>();
  readonly routes = new Map<string, CreateRouteStep | ReplaceRouteStep>();
  readonly egress = new Map<string, AuthorizeEgressStep>();
  private readonly clientTokenPrefix = `ipv6-lambda-${randomUUID()}`;

  eigwFor(vpcId: string, existing: string | undefined, functionName: string, withheld: boolean): GatewayRef {
    if (existing) return { existing };
    if (!withheld) {
      const step = this.eigws.get(vpcId) ?? { kind: 'create-eigw', vpcId, clientToken: `${this.clientTokenPrefix}-${this.eigws.size}`, functions: [] };
      addFunction(step.functions, functionName);
      this.eigws.set(vpcId, step);
    }
    return { createdInVpc: vpcId };
  }
}

function addFunction(functions: string[], name: string): void {
  if (!functions.includes(name)) functions.push(name);
}

interface NetworkPlanInput {
  fn: LambdaFunction;
  config: FunctionConfiguration;
  graph: ResourceGraph;
  query: GraphQuery;
  findings: Finding[];
  inventory: RegionInventory;
  options: EnableOptions;
  steps: NetworkSteps;
  withheld: Map<string, ReplaceRouteStep>;
}

/** The function's network gaps as warnings, and (with withNetwork) the steps that close them. */
function planNetwork({ fn, config, graph, query, findings, inventory, options, steps, withheld }: NetworkPlanInput): string[] {
  const warnings: string[] = [];
  const vpcId = config.VpcConfig?.VpcId ?? '';
  const subnetIds = config.VpcConfig?.SubnetIds ?? [];
  const unread = NETWORK_READS.filter((read) => inventory.unreadable[read]);
  if (unread.length > 0) {
    warnings.push(`The network could not be checked completely (${unread.map((read) => inventory.unreadable[read]).join(' ')}); no network change is planned.`);
  }

  const tableIds = new Set<string>();
  for (const subnetId of subnetIds) {
    const table = query.routeTableFor(subnetId);
    if (isKnown(table)) tableIds.add(table.key);
    else if (unread.length === 0) warnings.push(`The route table of subnet ${subnetId} is not known (${table.why}).`);
  }
  const planNetworkSteps = options.withNetwork === true && unread.length === 0;
  const later = options.withNetwork ? '' : ' Fix it with the network changes ("Enable and Fix Network", or --with-network).';

  for (const finding of findings) {
    const route = graph.routes.find((r) => r.key === finding.subject);
    const tableId = finding.rule === 'IPV6N002' ? finding.subject : route?.table;
    if (!tableId || !tableIds.has(tableId) || !['IPV6N001', 'IPV6N002', 'IPV6N003'].includes(finding.rule)) continue;
    const replacesDefault = finding.rule !== 'IPV6N002' && route !== undefined && isKnown(route.destination) && isIpv6DefaultRoute(route.destination);
    if (finding.rule !== 'IPV6N002' && !replacesDefault) {
      warnings.push(`${finding.rule}: ${finding.message} This route is not changed; fix it by hand.`);
      continue;
    }
    if (!planNetworkSteps) {
      warnings.push(`${finding.rule}: ${finding.message}${later}`);
      continue;
    }
    const table = inventory.routeTables.find((t) => t.RouteTableId === tableId);
    const ownSubnets = new Set(subnetIds);
    const common = {
      routeTableId: tableId,
      vpcId,
      mainTable: query.routeTable(tableId)?.main === true,
      otherSubnets: (table?.Associations ?? []).map((a) => a.SubnetId).filter((id): id is string => Boolean(id) && !ownSubnets.has(id as string)).sort(),
      rule: finding.rule,
    };
    const existingEigw = query.eigwFor(vpcId)?.key;
    if (finding.rule === 'IPV6N002') {
      const step = steps.routes.get(tableId) ?? { kind: 'create-route', ...common, eigw: steps.eigwFor(vpcId, existingEigw, fn.name, false), functions: [] };
      addFunction(step.functions, fn.name);
      steps.routes.set(tableId, step);
      continue;
    }
    const confirmed = options.replaceExistingIpv6Routes === true;
    const target = isKnown(route!.target) ? (route!.target.gateway ?? route!.target.kind) : 'an unknown target';
    const pool = confirmed ? steps.routes : withheld;
    const step = pool.get(tableId) ?? { kind: 'replace-route', ...common, currentTarget: target, eigw: steps.eigwFor(vpcId, existingEigw, fn.name, !confirmed), functions: [] };
    addFunction(step.functions, fn.name);
    pool.set(tableId, step as ReplaceRouteStep);
  }

  if (findings.some((f) => f.rule === 'IPV6S001' && f.subject === fn.key)) {
    const s001 = findings.find((f) => f.rule === 'IPV6S001' && f.subject === fn.key)!;
    if (!planNetworkSteps) {
      warnings.push(`IPV6S001: ${s001.message}${later}`);
    } else {
      const variant = options.sgEgress ?? 'all';
      let planned = 0;
      for (const groupId of config.VpcConfig?.SecurityGroupIds ?? []) {
        const group = inventory.securityGroups.find((g) => g.GroupId === groupId);
        if (!group) continue;
        const permissions = variant === 'https' ? [HTTPS_EGRESS] : mirroredPermissions(group);
        if (permissions.length === 0) continue;
        const step = steps.egress.get(groupId) ?? { kind: 'authorize-egress', groupId, groupName: group.GroupName ?? groupId, vpcId: group.VpcId ?? vpcId, permissions, variant, functions: [] };
        addFunction(step.functions, fn.name);
        steps.egress.set(groupId, step);
        planned += 1;
      }
      if (planned === 0) {
        warnings.push(`IPV6S001: ${s001.message} Its security groups have no IPv4 egress to 0.0.0.0/0 to mirror; choose HTTPS-only IPv6 egress or add the rules by hand.`);
      }
    }
  }
  return warnings;
}

function byKey<T>(map: Map<string, T>): T[] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, value]) => value);
}

const READ_CONCURRENCY = 4;

/** The function's settled configuration, or why it cannot be planned. */
async function readFunction(context: CallContext, identifier: string): Promise<FunctionPlan | FunctionConfiguration> {
  const qualifier = qualifierOf(identifier);
  if (qualifier) {
    return refused(identifier, undefined, `${identifier} names the published version or alias ${qualifier}, which cannot change: only the unpublished version ($LATEST) can. Name the function without a qualifier.`);
  }
  let config: FunctionConfiguration;
  try {
    config = await settledConfiguration(context, identifier);
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') {
      return refused(identifier, undefined, `No function ${identifier} in ${context.clients.target.region}: check the name and the region.`);
    }
    throw new Error(describeFailure(error, 'lambda:GetFunctionConfiguration', context.clients));
  }
  if (config.LastUpdateStatus === 'InProgress') {
    return refused(config.FunctionName ?? identifier, config.FunctionArn, `An update of ${config.FunctionName} is still in progress after ${context.timing.maxWaitSeconds} s; plan again when it has finished.`);
  }
  return config;
}

/** `read` applied to each item, a few at a time; the results keep the items' order. */
async function mapInOrder<T, R>(items: T[], read: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const reader = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await read(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, items.length) }, reader));
  return results;
}

/** Reads the functions and their network and lists the exact changes; writes nothing. */
export async function planEnable(target: PlanTarget, options: EnableOptions): Promise<Plan> {
  const context: CallContext = { clients: target.clients, timing: timingWith(target.timing), signal: target.signal };
  const reads = await mapInOrder(target.functionNames, (name) => readFunction(context, name));
  const functionPlans: FunctionPlan[] = reads.filter((read): read is FunctionPlan => 'status' in read);
  const configs: FunctionConfiguration[] = reads.filter((read): read is FunctionConfiguration => !('status' in read));

  const networkSteps = new NetworkSteps();
  const withheld = new Map<string, ReplaceRouteStep>();
  const updates: UpdateFunctionStep[] = [];
  const needsNetwork = options.enable && configs.some((c) => (c.VpcConfig?.SubnetIds ?? []).length > 0);
  const read = needsNetwork ? await readInventory(context) : undefined;
  // Migrating: plan the IPv6 blocks first, then everything else on the network as it will be.
  const migrating = options.withNetwork === true && options.addIpv6Cidrs === true && read !== undefined && !read.unreadable.DescribeSubnets && !read.unreadable.DescribeVpcs;
  const cidrPlan = migrating ? await planIpv6Cidrs(context, configs, read) : undefined;
  const inventory = cidrPlan?.inventory ?? read;
  const graph = inventory ? buildLiveGraph({ ...inventory, functions: configs.filter((c) => (c.VpcConfig?.SubnetIds ?? []).length > 0) }) : undefined;
  // The rules judge the configuration enabling would produce: L002/L003 then name the subnets AWS would reject.
  if (graph) for (const fn of graph.functions) fn.ipv6Flag = true;
  const findings = graph ? analyzeGraph(graph) : [];
  const query = graph ? queryGraph(graph) : undefined;

  for (const config of configs) {
    const name = config.FunctionName ?? '';
    const subnetIds = config.VpcConfig?.SubnetIds ?? [];
    const securityGroupIds = config.VpcConfig?.SecurityGroupIds ?? [];
    const current = config.VpcConfig?.Ipv6AllowedForDualStack === true;
    const update: UpdateFunctionStep = {
      kind: 'update-function',
      functionName: name,
      functionArn: config.FunctionArn,
      subnetIds,
      securityGroupIds,
      vpcId: config.VpcConfig?.VpcId || undefined,
      ipv6: options.enable,
      previousIpv6: current,
      revisionId: config.RevisionId ?? '',
    };
    if (!options.enable) {
      if (current) {
        updates.push(update);
        functionPlans.push({ name, arn: config.FunctionArn, status: 'ready', reasons: [], warnings: [] });
      } else {
        functionPlans.push({ name, arn: config.FunctionArn, status: 'nothing-to-do', reasons: [`IPv6 is already off for ${name}.`], warnings: [] });
      }
      continue;
    }
    if (subnetIds.length === 0) {
      functionPlans.push(refused(name, config.FunctionArn, `${name} is not attached to a VPC: Lambda gives outbound IPv6 only to functions in dual-stack VPC subnets. Attach it to dual-stack subnets and security groups first.`));
      continue;
    }
    const fn = graph!.functions.find((f) => f.key === name)!;
    const cidrProblem = cidrPlan?.problems.get(name);
    const reasons = cidrProblem ? [cidrProblem] : preflightRefusals(fn, findings, query!);
    if (reasons.length > 0 && !current) {
      functionPlans.push(refused(name, config.FunctionArn, ...reasons));
      continue;
    }
    const warnings = [...reasons, ...planNetwork({ fn, config, graph: graph!, query: query!, findings, inventory: inventory!, options, steps: networkSteps, withheld })];
    const addsNetwork = [...(cidrPlan?.steps ?? []), ...networkSteps.eigws.values(), ...networkSteps.routes.values(), ...networkSteps.egress.values()].some((step) => step.functions.includes(name));
    if (current && !addsNetwork) {
      functionPlans.push({ name, arn: config.FunctionArn, status: 'nothing-to-do', reasons: [`IPv6 is already enabled on ${name}.`], warnings });
      continue;
    }
    if (!current) updates.push(update);
    functionPlans.push({ name, arn: config.FunctionArn, status: 'ready', reasons: current ? [`IPv6 is already enabled on ${name}; only its network changes.`] : [], warnings });
  }

  const considered = functionPlans.filter((f) => f.status !== 'refused');
  const notes = await mapInOrder(considered, (f) => publishedVersionNotes(context, f.name));
  considered.forEach((f, i) => {
    if (notes[i].length > 0) f.notes = notes[i];
  });

  // Blocks of refused functions are not added: a migration step serves only functions that go on.
  const going = new Set(functionPlans.filter((f) => f.status === 'ready').map((f) => f.name));
  const cidrSteps = (cidrPlan?.steps ?? []).filter((step) => step.functions.some((name) => going.has(name)));
  const network: NetworkStep[] = [...cidrSteps, ...byKey(networkSteps.eigws), ...byKey(networkSteps.routes), ...byKey(networkSteps.egress)];
  const steps: Step[] = [...network, ...updates];
  const status = steps.length > 0 ? 'ready' : functionPlans.some((f) => f.status === 'refused') ? 'refused' : 'nothing-to-do';
  // What the NAT gateways of the functions that go on cost: the figure the change is made for.
  const natGateways = graph && steps.length > 0 ? natGatewaysOfFunctions(graph).filter((g) => g.functions.some((name) => going.has(name))) : [];
  const nat = natGateways.length > 0 ? { ...(await readNatBill(target.clients, natGateways)), pricePerGb: target.natPricePerGb ?? DEFAULT_NAT_PRICE_PER_GB } : undefined;
  return { status, target: target.clients.target, options, functions: functionPlans, steps, withheld: byKey(withheld), ...(nat ? { nat } : {}) };
}
