import type { Route } from '../model/graph';
import { isKnown } from '../model/graph';
import type { Finding } from '../model/findings';
import { isIpv6DefaultRoute } from './cidr';
import type { RuleDefinition } from './rule';
import { fix, isKnownDualStack, names, plural, withFixes } from './rule';
import { gatewayName, ipv4DefaultViaNat } from './routes';

/** A route that is, or might be, the table's `::/0` route. */
function mayBeIpv6Default(route: Route): boolean {
  return !isKnown(route.destination) || isIpv6DefaultRoute(route.destination);
}

export const IPV6N002: RuleDefinition = {
  id: 'IPV6N002',
  defaultSeverity: 'warning',
  title: 'Dual-stack subnets without an IPv6 way out',
  description: 'A private route table of dual-stack subnets sends 0.0.0.0/0 to a NAT gateway but has no ::/0 route, so IPv6 traffic cannot leave the VPC.',
  check({ graph, query, fixes }) {
    const findings: Finding[] = [];
    // A route on a table the files do not define might be any table's ::/0 route.
    if (query.routesOutsideTables().some(mayBeIpv6Default)) return findings;
    for (const table of graph.routeTables) {
      const routes = query.routesOf(table.key);
      const natRoute = ipv4DefaultViaNat(routes);
      if (!natRoute || routes.some(mayBeIpv6Default)) continue;
      const dualStack = query.subnetsUsing(table.key).filter(isKnownDualStack);
      if (dualStack.length === 0) continue;
      const vpc = isKnown(table.vpc) ? table.vpc : dualStack.map((subnet) => subnet.vpc).find(isKnown);
      findings.push(
        withFixes(
          {
            rule: 'IPV6N002',
            severity: 'warning',
            message: `Route table ${table.name} sends 0.0.0.0/0 to ${gatewayName(natRoute, query, 'NAT gateway')} but has no ::/0 route: IPv6 traffic from dual-stack ${plural(dualStack.length, 'subnet', 'subnets')} ${names(dualStack)} has no way out.`,
            loc: table.loc,
            subject: table.key,
            related: [
              ...(natRoute.loc ? [{ loc: natRoute.loc, message: 'The IPv4 default route to the NAT gateway' }] : []),
              ...dualStack.flatMap((subnet) => (subnet.loc ? [{ loc: subnet.loc, message: `Dual-stack subnet ${subnet.name}` }] : [])),
            ],
          },
          () => (vpc ? fix('Add a ::/0 route to the egress-only internet gateway', true, fixes.addIpv6DefaultRoute(table, vpc)) : []),
        ),
      );
    }
    return findings;
  },
};
