import type { Gateway, Route, Subnet } from '../model/graph';
import { isKnown } from '../model/graph';
import type { Finding, RelatedInformation } from '../model/findings';
import type { GraphQuery } from '../model/query';
import type { RuleDefinition } from './rule';
import { allSubnets, names, plural } from './rule';
import { ipv4DefaultViaNat, targetGateway } from './routes';

/** Known to have no IPv6 CIDR and to be an IPv4 subnet (not IPv6-native). */
function isKnownIpv4Only(subnet: Subnet): boolean {
  return subnet.ipv6 === false && subnet.ipv6Native === false && subnet.ipv4 === true;
}

/** Each subnet's `0.0.0.0/0` → NAT route, when every subnet's table is known and has one. */
function natRoutesOf(subnets: Subnet[], query: GraphQuery): Route[] | undefined {
  const routes: Route[] = [];
  for (const subnet of subnets) {
    const table = query.routeTableFor(subnet.key);
    if (!isKnown(table)) return undefined;
    const natRoute = ipv4DefaultViaNat(query.routesOf(table.key));
    if (!natRoute) return undefined;
    routes.push(natRoute);
  }
  return routes;
}

function distinctGateways(routes: Route[], query: GraphQuery): Gateway[] {
  const gateways = new Map<string, Gateway>();
  for (const route of routes) {
    const gateway = targetGateway(route, query);
    if (gateway) gateways.set(gateway.key, gateway);
  }
  return [...gateways.values()];
}

/**
 * The starting point of the migration, not a misconfiguration: a function that reaches the internet
 * only over IPv4 through NAT. Its fix is the migration of the whole VPC, which needs re-parsing
 * between steps; the editor and the CLI's `migrate` offer it (src/core/migration).
 */
export const IPV6M001: RuleDefinition = {
  id: 'IPV6M001',
  defaultSeverity: 'info',
  title: 'IPv4-only VPC function behind a NAT gateway',
  description:
    'A VPC function whose subnets have no IPv6 CIDR reaches the internet only over IPv4 through a NAT gateway: migrating its VPC to dual-stack lets IPv6 traffic leave through an egress-only internet gateway.',
  check({ graph, query }) {
    const findings: Finding[] = [];
    for (const fn of graph.functions) {
      // With the flag on, IPV6L002 already reports the IPv4-only subnets as an error.
      if (fn.hasVpcConfig !== true || !isKnown(fn.ipv6Flag) || fn.ipv6Flag === true) continue;
      const subnets = allSubnets(fn, query);
      if (!subnets || subnets.length === 0 || !subnets.every(isKnownIpv4Only)) continue;
      const natRoutes = natRoutesOf(subnets, query);
      if (!natRoutes) continue;
      const gateways = distinctGateways(natRoutes, query);
      const through = gateways.length > 0 ? `${plural(gateways.length, 'NAT gateway', 'NAT gateways')} ${names(gateways)}` : 'a NAT gateway';
      const related: RelatedInformation[] = [
        ...gateways.flatMap((gateway) => (gateway.loc ? [{ loc: gateway.loc, message: `NAT gateway ${gateway.name} carries the function's IPv4 traffic` }] : [])),
        ...subnets.flatMap((subnet) => (subnet.loc ? [{ loc: subnet.loc, message: `Subnet ${subnet.name} has no IPv6 CIDR block` }] : [])),
      ];
      findings.push({
        rule: 'IPV6M001',
        severity: 'info',
        message: `Function ${fn.name} in IPv4-only ${plural(subnets.length, 'subnet', 'subnets')} ${names(subnets)} reaches the internet only over IPv4 through ${through}: migrate its VPC to dual-stack so IPv6 traffic leaves through an egress-only internet gateway.`,
        loc: fn.vpcConfigLoc ?? fn.loc,
        subject: fn.key,
        related,
        fixes: [],
      });
    }
    return findings;
  },
};
