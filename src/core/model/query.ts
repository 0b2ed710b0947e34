/**
 * Indexes over one ResourceGraph, built once per analysis so that every rule stays linear in the
 * size of the graph.
 */
import type { Gateway, Known, ResourceGraph, Route, RouteTable, SecurityGroup, Subnet, Vpc } from './graph';
import { isKnown, unknown } from './graph';

export interface GraphQuery {
  subnet(key: string): Subnet | undefined;
  vpc(key: string): Vpc | undefined;
  securityGroup(key: string): SecurityGroup | undefined;
  routeTable(key: string): RouteTable | undefined;
  gateway(key: string): Gateway | undefined;
  /** The routes the graph places in the table. */
  routesOf(tableKey: string): Route[];
  /**
   * Routes whose table is not in the graph (e.g. a table from a parameter): they might belong to any
   * table, so a rule that needs a table's complete route list cannot rely on it when one of them
   * could matter.
   */
  routesOutsideTables(): Route[];
  /**
   * The route table a subnet uses: its explicit association, else its VPC's main table when the
   * graph knows it. Unknown when an association cannot be resolved.
   */
  routeTableFor(subnetKey: string): Known<RouteTable>;
  /** Subnets in the graph known to use the table (explicitly or as their VPC's main table). */
  subnetsUsing(tableKey: string): Subnet[];
  /** The VPC's egress-only internet gateway, when the graph has one. */
  eigwFor(vpcKey: string): Gateway | undefined;
}

function byKey<T extends { key: string }>(items: T[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) if (!map.has(item.key)) map.set(item.key, item);
  return map;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function queryGraph(graph: ResourceGraph): GraphQuery {
  const subnets = byKey(graph.subnets);
  const vpcs = byKey(graph.vpcs);
  const securityGroups = byKey(graph.securityGroups);
  const routeTables = byKey(graph.routeTables);
  const gateways = byKey(graph.gateways);

  const routesByTable = new Map<string, Route[]>();
  const routesOutside: Route[] = [];
  for (const route of graph.routes) {
    if (routeTables.has(route.table)) push(routesByTable, route.table, route);
    else routesOutside.push(route);
  }

  const mainTableByVpc = new Map<string, RouteTable>();
  for (const table of graph.routeTables) {
    if (table.main && isKnown(table.vpc) && !mainTableByVpc.has(table.vpc)) mainTableByVpc.set(table.vpc, table);
  }

  const eigwByVpc = new Map<string, Gateway>();
  for (const gateway of graph.gateways) {
    if (gateway.kind === 'eigw' && isKnown(gateway.vpc) && !eigwByVpc.has(gateway.vpc)) eigwByVpc.set(gateway.vpc, gateway);
  }

  // An association whose subnet is unknown might be any subnet's, so no subnet can fall back to
  // its main table with certainty.
  let unresolvedAssociation = false;
  const explicitTable = new Map<string, Known<string>>();
  for (const association of graph.associations) {
    if (!isKnown(association.subnet)) {
      unresolvedAssociation = true;
      continue;
    }
    const previous = explicitTable.get(association.subnet);
    // Two associations for one subnet disagree: which one wins is not known from the files.
    if (previous !== undefined && previous !== association.table) explicitTable.set(association.subnet, unknown('conflicting route table associations'));
    else explicitTable.set(association.subnet, association.table);
  }

  const tableForSubnet = new Map<string, Known<RouteTable>>();
  const subnetsByTable = new Map<string, Subnet[]>();
  for (const subnet of subnets.values()) {
    const table = resolveTable(subnet);
    tableForSubnet.set(subnet.key, table);
    if (isKnown(table)) push(subnetsByTable, table.key, subnet);
  }

  function resolveTable(subnet: Subnet): Known<RouteTable> {
    const explicit = explicitTable.get(subnet.key);
    if (explicit !== undefined) {
      if (!isKnown(explicit)) return explicit;
      return routeTables.get(explicit) ?? unknown(`route table ${explicit} is not defined here`);
    }
    if (unresolvedAssociation) return unknown('a route table association refers to an unknown subnet');
    if (!isKnown(subnet.vpc)) return unknown(`the VPC of subnet ${subnet.name}`);
    return mainTableByVpc.get(subnet.vpc) ?? unknown(`the main route table of VPC ${subnet.vpc}`);
  }

  return {
    subnet: (key) => subnets.get(key),
    vpc: (key) => vpcs.get(key),
    securityGroup: (key) => securityGroups.get(key),
    routeTable: (key) => routeTables.get(key),
    gateway: (key) => gateways.get(key),
    routesOf: (tableKey) => routesByTable.get(tableKey) ?? [],
    routesOutsideTables: () => routesOutside,
    routeTableFor: (subnetKey) => tableForSubnet.get(subnetKey) ?? unknown(`subnet ${subnetKey} is not defined here`),
    subnetsUsing: (tableKey) => subnetsByTable.get(tableKey) ?? [],
    eigwFor: (vpcKey) => eigwByVpc.get(vpcKey),
  };
}
