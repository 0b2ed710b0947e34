import { isKnown } from '../model/graph';
import type { Finding } from '../model/findings';
import { isIpv6DefaultRoute } from './cidr';
import type { RuleDefinition } from './rule';
import { fix, related, withFixes } from './rule';
import { gatewayName, ipv4DefaultViaNat, targetGateway, vpcOfRoute } from './routes';

export const IPV6N003: RuleDefinition = {
  id: 'IPV6N003',
  defaultSeverity: 'warning',
  title: 'Private route table sends ::/0 to an internet gateway',
  description: 'A route table that uses a NAT gateway for IPv4 sends ::/0 to an internet gateway, which lets the internet initiate connections to its subnets over IPv6.',
  check({ graph, query, fixes }) {
    const findings: Finding[] = [];
    for (const table of graph.routeTables) {
      const routes = query.routesOf(table.key);
      const natRoute = ipv4DefaultViaNat(routes);
      if (!natRoute) continue;
      for (const route of routes) {
        if (!isKnown(route.destination) || !isIpv6DefaultRoute(route.destination)) continue;
        if (!isKnown(route.target) || route.target.kind !== 'igw') continue;
        const vpc = vpcOfRoute(route, table, query);
        findings.push(
          withFixes(
            {
              rule: 'IPV6N003',
              severity: 'warning',
              message: `Route table ${table.name} is private (0.0.0.0/0 goes to ${gatewayName(natRoute, query, 'NAT gateway')}) but sends ::/0 to ${gatewayName(route, query, 'internet gateway')}: the internet can reach its subnets over IPv6; use an egress-only internet gateway.`,
              loc: route.loc,
              subject: route.key,
              related: [...related(natRoute.loc, 'The IPv4 default route to the NAT gateway'), ...related(targetGateway(route, query)?.loc, 'The internet gateway')],
            },
            () => (vpc ? fix('Route ::/0 to the egress-only internet gateway', true, fixes.retargetRouteToEigw(route, vpc)) : []),
          ),
        );
      }
    }
    return findings;
  },
};
