import type { Gateway, Route, RouteTable } from '../model/graph';
import { isKnown } from '../model/graph';
import type { GraphQuery } from '../model/query';
import { isIpv4DefaultRoute } from './cidr';

/** The table's `0.0.0.0/0` route when it targets a NAT gateway: the table is a private one. */
export function ipv4DefaultViaNat(routes: Route[]): Route | undefined {
  return routes.find(
    (route) => isKnown(route.destination) && isIpv4DefaultRoute(route.destination) && isKnown(route.target) && route.target.kind === 'nat',
  );
}

export function targetGateway(route: Route, query: GraphQuery): Gateway | undefined {
  if (!isKnown(route.target) || route.target.gateway === undefined) return undefined;
  return query.gateway(route.target.gateway);
}

/** The gateway's name, or how to call it when it is not in the graph. */
export function gatewayName(route: Route, query: GraphQuery, fallback: string): string {
  const gateway = targetGateway(route, query);
  return gateway ? `${fallback} ${gateway.name}` : `a ${fallback}`;
}

/** The VPC a route lives in, from its table or else its gateway. */
export function vpcOfRoute(route: Route, table: RouteTable | undefined, query: GraphQuery): string | undefined {
  if (table && isKnown(table.vpc)) return table.vpc;
  const gateway = targetGateway(route, query);
  return gateway && isKnown(gateway.vpc) ? gateway.vpc : undefined;
}

export function routeName(route: Route, table: RouteTable | undefined): string {
  const destination = isKnown(route.destination) ? route.destination : 'unknown destination';
  return table ? `${route.key} (${destination} in route table ${table.name})` : `${route.key} (${destination})`;
}
