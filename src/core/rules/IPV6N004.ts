import type { Gateway, Route } from '../model/graph';
import { isKnown } from '../model/graph';
import type { Finding } from '../model/findings';
import { coversNat64Prefix, isIpv6DefaultRoute } from './cidr';
import type { RuleDefinition } from './rule';
import { fix, related, withFixes } from './rule';
import { gatewayName } from './routes';

/**
 * A route that takes, or might take, NAT64 traffic somewhere other than the default route: NAT64's
 * prefix to a NAT gateway, or to a transit gateway or appliance that does NAT64 centrally.
 */
function mayCarryNat64(route: Route): boolean {
  if (!isKnown(route.destination)) return true;
  if (!coversNat64Prefix(route.destination)) return false;
  return !isKnown(route.target) || route.target.kind === 'nat' || route.target.kind === 'other';
}

/** The `::/0` route when it goes to an egress-only or internet gateway, where NAT64 addresses are dropped. */
function ipv6DefaultViaGateway(routes: Route[]): Route | undefined {
  return routes.find(
    (route) => isKnown(route.destination) && isIpv6DefaultRoute(route.destination) && isKnown(route.target) && (route.target.kind === 'eigw' || route.target.kind === 'igw'),
  );
}

export const IPV6N004: RuleDefinition = {
  id: 'IPV6N004',
  defaultSeverity: 'warning',
  title: 'DNS64 without a NAT64 route',
  description:
    'A subnet with an IPv6 CIDR and DNS64 on, whose route table sends ::/0 to an egress-only or internet gateway and has no 64:ff9b::/96 route to a NAT gateway: names that resolve only to IPv4 get synthesised 64:ff9b:: addresses, and that traffic is dropped.',
  check({ graph, query, fixes }) {
    const findings: Finding[] = [];
    // A route on a table the files do not define might be this table's NAT64 route.
    if (query.routesOutsideTables().some(mayCarryNat64)) return findings;
    const natByVpc = new Map<string, Gateway>();
    for (const gateway of graph.gateways) if (gateway.kind === 'nat' && isKnown(gateway.vpc) && !natByVpc.has(gateway.vpc)) natByVpc.set(gateway.vpc, gateway);
    for (const subnet of graph.subnets) {
      if (subnet.dns64 !== true || subnet.ipv6 !== true) continue;
      const table = query.routeTableFor(subnet.key);
      if (!isKnown(table)) continue;
      const routes = query.routesOf(table.key);
      const defaultRoute = ipv6DefaultViaGateway(routes);
      if (!defaultRoute || routes.some(mayCarryNat64)) continue;
      const vpc = isKnown(subnet.vpc) ? subnet.vpc : isKnown(table.vpc) ? table.vpc : undefined;
      const nat = vpc === undefined ? undefined : natByVpc.get(vpc);
      const viaInternetGateway = isKnown(defaultRoute.target) && defaultRoute.target.kind === 'igw';
      const gateway = gatewayName(defaultRoute, query, viaInternetGateway ? 'internet gateway' : 'egress-only internet gateway');
      findings.push(
        withFixes(
          {
            rule: 'IPV6N004',
            severity: 'warning',
            message: `Subnet ${subnet.name} has DNS64 on, but route table ${table.name} has no 64:ff9b::/96 route to a NAT gateway: names that resolve only to IPv4 get 64:ff9b:: addresses, which leave by ::/0 to ${gateway} and are dropped.`,
            loc: subnet.dns64Loc ?? subnet.loc,
            subject: subnet.key,
            related: [...related(table.loc, `Route table ${table.name}`), ...related(defaultRoute.loc, 'The IPv6 default route')],
          },
          () => (nat ? fix(`Route 64:ff9b::/96 to NAT gateway ${nat.name}`, true, fixes.addNat64Route?.(table, nat)) : fix(`Turn DNS64 off on subnet ${subnet.name}`, false, fixes.turnDns64Off?.(subnet))),
        ),
      );
    }
    return findings;
  },
};

