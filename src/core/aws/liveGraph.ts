/**
 * The resource graph of one region's inventory, keyed by AWS ids, so the same rules that check
 * templates check deployed functions. What a failed read would have told stays Unknown, with the
 * failure as its reason.
 */
import type { IpPermission, Route as Ec2Route, RouteTable as Ec2RouteTable, Subnet as Ec2Subnet } from '@aws-sdk/client-ec2';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type {
  EgressRule,
  Gateway,
  GatewayKind,
  LambdaFunction,
  ResourceGraph,
  Route,
  RouteTableAssociation,
  RouteTarget,
  SecurityGroup,
  Subnet,
  Unknown,
} from '../model/graph';
import { emptyGraph, unknown } from '../model/graph';
import type { RegionInventory } from './inventory';

/** The gateway kind an AWS id names: its prefix is how AWS tells them apart in a route. */
export function gatewayKindOf(id: string | undefined): GatewayKind | undefined {
  if (id?.startsWith('eigw-')) return 'eigw';
  if (id?.startsWith('nat-')) return 'nat';
  if (id?.startsWith('igw-')) return 'igw';
  return undefined;
}

function liveFunction(config: FunctionConfiguration): LambdaFunction {
  const name = config.FunctionName ?? config.FunctionArn ?? 'unnamed';
  const subnetIds = config.VpcConfig?.SubnetIds ?? [];
  return {
    kind: 'function',
    key: name,
    name,
    hasVpcConfig: subnetIds.length > 0,
    ipv6Flag: config.VpcConfig?.Ipv6AllowedForDualStack,
    ...(config.CapacityProviderConfig ? { managedInstances: true } : {}),
    subnets: subnetIds,
    securityGroups: config.VpcConfig?.SecurityGroupIds ?? [],
    arn: config.FunctionArn,
    ...(config.VpcConfig?.VpcId ? { vpcId: config.VpcConfig.VpcId } : {}),
    revisionId: config.RevisionId,
  };
}

function hasIpv6Block(associations: { Ipv6CidrBlockState?: { State?: string } }[] | undefined): boolean {
  return (associations ?? []).some((a) => a.Ipv6CidrBlockState?.State === 'associated' || a.Ipv6CidrBlockState?.State === 'associating');
}

function liveSubnet(subnet: Ec2Subnet): Subnet {
  const id = subnet.SubnetId ?? '';
  const ipv6Cidr = (subnet.Ipv6CidrBlockAssociationSet ?? []).find((a) => a.Ipv6CidrBlockState?.State === 'associated')?.Ipv6CidrBlock;
  return {
    kind: 'subnet',
    key: id,
    name: id,
    vpc: subnet.VpcId ?? unknown(`the VPC of subnet ${id}`),
    ipv4: Boolean(subnet.CidrBlock),
    ipv6: hasIpv6Block(subnet.Ipv6CidrBlockAssociationSet),
    ipv6Native: subnet.Ipv6Native ?? false,
    dns64: subnet.EnableDns64 ?? false,
    ...(subnet.CidrBlock ? { ipv4Cidr: subnet.CidrBlock } : {}),
    ...(ipv6Cidr ? { ipv6Cidr } : {}),
  };
}

function unreadSubnet(id: string, why: Unknown): Subnet {
  return { kind: 'subnet', key: id, name: id, vpc: why, ipv4: why, ipv6: why, ipv6Native: why };
}

function routeTarget(route: Ec2Route): RouteTarget {
  const id = route.EgressOnlyInternetGatewayId ?? route.NatGatewayId ?? route.GatewayId;
  const kind = gatewayKindOf(id);
  return kind && id ? { kind, gateway: id } : { kind: 'other' };
}

function liveRoutes(table: Ec2RouteTable): Route[] {
  const tableId = table.RouteTableId ?? '';
  return (table.Routes ?? []).flatMap((route) => {
    const destination = route.DestinationIpv6CidrBlock ?? route.DestinationCidrBlock ?? route.DestinationPrefixListId;
    if (!destination) return [];
    const normalised = destination.toLowerCase();
    return [{ key: `${tableId}:${normalised}`, table: tableId, destination: normalised, target: routeTarget(route) }];
  });
}

function egressRule(permission: IpPermission): EgressRule {
  const protocol = (permission.IpProtocol ?? '-1').toLowerCase();
  const ports = protocol === '-1' ? {} : { fromPort: permission.FromPort, toPort: permission.ToPort };
  return {
    protocol,
    ...Object.fromEntries(Object.entries(ports).filter(([, v]) => v !== undefined)),
    ipv4Cidrs: (permission.IpRanges ?? []).map((r) => r.CidrIp ?? '').filter(Boolean),
    ipv6Cidrs: (permission.Ipv6Ranges ?? []).map((r) => (r.CidrIpv6 ?? '').toLowerCase()).filter(Boolean),
    ...((permission.PrefixListIds ?? []).length > 0 || (permission.UserIdGroupPairs ?? []).length > 0 ? { otherTargets: true } : {}),
  };
}

export function buildLiveGraph(inventory: RegionInventory): ResourceGraph {
  const graph = emptyGraph();
  const { unreadable } = inventory;
  graph.functions = inventory.functions.map(liveFunction);

  const subnetIds = new Set(graph.functions.flatMap((f) => f.subnets as string[]));
  const groupIds = new Set(graph.functions.flatMap((f) => f.securityGroups as string[]));
  const vpcIds = new Set(graph.functions.map((f) => f.vpcId).filter((id): id is string => Boolean(id)));

  const described = new Map(inventory.subnets.map((s) => [s.SubnetId ?? '', s]));
  for (const id of [...subnetIds].sort()) {
    const subnet = described.get(id);
    if (subnet) graph.subnets.push(liveSubnet(subnet));
    else graph.subnets.push(unreadSubnet(id, unknown(unreadable.DescribeSubnets ?? `subnet ${id} was not found (deleted?)`)));
  }

  const describedVpcs = new Map(inventory.vpcs.map((v) => [v.VpcId ?? '', v]));
  for (const id of [...vpcIds].sort()) {
    const vpc = describedVpcs.get(id);
    const why = unknown(inventory.detail === 'status' ? `VPC ${id} was not described (its block does not decide any status)` : (unreadable.DescribeVpcs ?? `VPC ${id} was not found`));
    graph.vpcs.push({ kind: 'vpc', key: id, name: id, ipv6: vpc ? hasIpv6Block(vpc.Ipv6CidrBlockAssociationSet) : why });
  }

  for (const table of inventory.routeTables) {
    const id = table.RouteTableId ?? '';
    graph.routeTables.push({ kind: 'routeTable', key: id, name: id, vpc: table.VpcId ?? unknown(`the VPC of route table ${id}`), main: (table.Associations ?? []).some((a) => a.Main) });
    graph.routes.push(...liveRoutes(table));
    for (const association of table.Associations ?? []) {
      if (association.SubnetId) {
        graph.associations.push({ key: association.RouteTableAssociationId ?? `${id}:${association.SubnetId}`, subnet: association.SubnetId, table: id });
      }
    }
  }
  if (unreadable.DescribeRouteTables) {
    // Without the tables, a subnet without a known association cannot fall back to a main table either.
    const associated = new Set(graph.associations.map((a) => a.subnet));
    const why = unknown(unreadable.DescribeRouteTables);
    const unresolved: RouteTableAssociation[] = [...subnetIds].filter((id) => !associated.has(id)).sort().map((id) => ({ key: `unread:${id}`, subnet: id, table: why }));
    graph.associations.push(...unresolved);
  }

  const gateway = (id: string, kind: GatewayKind, vpc: string | undefined): Gateway => ({ kind, key: id, name: id, vpc: vpc ?? unknown(`the VPC of gateway ${id}`) });
  for (const g of inventory.egressOnlyInternetGateways) graph.gateways.push(gateway(g.EgressOnlyInternetGatewayId ?? '', 'eigw', g.Attachments?.[0]?.VpcId));
  for (const g of inventory.natGateways) graph.gateways.push(gateway(g.NatGatewayId ?? '', 'nat', g.VpcId));
  for (const g of inventory.internetGateways) graph.gateways.push(gateway(g.InternetGatewayId ?? '', 'igw', g.Attachments?.[0]?.VpcId));
  // A route can only target a gateway of its own VPC, so the route tables name the gateways the
  // status depends on even when they were not described.
  const knownGateways = new Set(graph.gateways.map((g) => g.key));
  for (const table of inventory.routeTables) {
    for (const route of table.Routes ?? []) {
      const target = routeTarget(route);
      if (target.kind === 'other' || !target.gateway || knownGateways.has(target.gateway)) continue;
      knownGateways.add(target.gateway);
      graph.gateways.push(gateway(target.gateway, target.kind, table.VpcId));
    }
  }

  const describedGroups = new Map(inventory.securityGroups.map((g) => [g.GroupId ?? '', g]));
  for (const id of [...groupIds].sort()) {
    const group = describedGroups.get(id);
    const why = unknown(unreadable.DescribeSecurityGroups ?? `security group ${id} was not found (deleted?)`);
    const element: SecurityGroup = group
      ? { kind: 'securityGroup', key: id, name: group.GroupName ? `${group.GroupName} (${id})` : id, vpc: group.VpcId ?? why, egress: (group.IpPermissionsEgress ?? []).map(egressRule) }
      : { kind: 'securityGroup', key: id, name: id, vpc: why, egress: why };
    graph.securityGroups.push(element);
  }
  return graph;
}
