import { isKnown } from '../model/graph';
import type { Finding } from '../model/findings';
import { isIpv6Destination, isNat64Prefix } from './cidr';
import type { RuleDefinition } from './rule';
import { fix, related, withFixes } from './rule';
import { gatewayName, routeName, targetGateway, vpcOfRoute } from './routes';

export const IPV6N001: RuleDefinition = {
  id: 'IPV6N001',
  defaultSeverity: 'error',
  title: 'IPv6 route to a NAT gateway',
  description: 'A NAT gateway carries IPv6 only for NAT64 (64:ff9b::/96); any other IPv6 destination routed to it goes nowhere.',
  check({ graph, query, fixes }) {
    const findings: Finding[] = [];
    for (const route of graph.routes) {
      if (!isKnown(route.destination) || !isKnown(route.target) || route.target.kind !== 'nat') continue;
      if (!isIpv6Destination(route.destination) || isNat64Prefix(route.destination)) continue;
      const table = query.routeTable(route.table);
      const vpc = vpcOfRoute(route, table, query);
      findings.push(
        withFixes(
          {
            rule: 'IPV6N001',
            severity: 'error',
            message: `Route ${routeName(route, table)} sends IPv6 traffic to ${gatewayName(route, query, 'NAT gateway')}, which only serves NAT64 (64:ff9b::/96): use an egress-only internet gateway.`,
            loc: route.loc,
            subject: route.key,
            related: related(targetGateway(route, query)?.loc, 'The NAT gateway'),
          },
          () => (vpc ? fix('Route it to the egress-only internet gateway', true, fixes.retargetRouteToEigw(route, vpc)) : []),
        ),
      );
    }
    return findings;
  },
};
