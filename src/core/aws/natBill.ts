/**
 * What the NAT gateways that functions egress through processed in the last 30 days, and what that
 * data processing costs at a price per GB: CloudWatch `AWS/NATGateway` `BytesOutToDestination` +
 * `BytesInFromDestination` (both directions are billed), one `GetMetricData` call per region for all
 * gateways. It is an upper bound of what IPv6 can save: traffic to IPv4-only destinations keeps
 * using the NAT gateway.
 */
import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { ResourceGraph } from '../model/graph';
import { isKnown } from '../model/graph';
import { queryGraph } from '../model/query';
import { isIpv4DefaultRoute } from '../rules/cidr';
import type { AwsClients } from './clients';
import { describeAwsError } from './errors';
import { NAT_WINDOW_DAYS } from './natText';

const METRICS = ['BytesOutToDestination', 'BytesInFromDestination'] as const;
/** GetMetricData takes at most 500 queries: two per gateway. */
const GATEWAYS_PER_CALL = 250;

export interface NatGatewayUsage {
  natGatewayId: string;
  /** Functions whose subnets send 0.0.0.0/0 to this gateway, by name. */
  functions: string[];
  /** Bytes processed in the window, both directions; undefined when the metrics could not be read. */
  bytes?: number;
}

export interface NatBill {
  days: number;
  gateways: NatGatewayUsage[];
  /** Why the figures are missing (e.g. the permission to ask for), when they are. */
  note?: string;
}

/** The NAT gateways the functions' subnets route 0.0.0.0/0 to, with those functions, sorted by id. */
export function natGatewaysOfFunctions(graph: ResourceGraph): NatGatewayUsage[] {
  const query = queryGraph(graph);
  const byGateway = new Map<string, Set<string>>();
  for (const fn of graph.functions) {
    if (!isKnown(fn.subnets)) continue;
    for (const subnet of fn.subnets) {
      const table = isKnown(subnet) ? query.routeTableFor(subnet) : undefined;
      if (!table || !isKnown(table)) continue;
      for (const route of query.routesOf(table.key)) {
        if (!isKnown(route.destination) || !isIpv4DefaultRoute(route.destination) || !isKnown(route.target) || route.target.kind !== 'nat' || !route.target.gateway) continue;
        const functions = byGateway.get(route.target.gateway) ?? new Set<string>();
        functions.add(fn.name);
        byGateway.set(route.target.gateway, functions);
      }
    }
  }
  return [...byGateway].sort(([a], [b]) => (a < b ? -1 : 1)).map(([natGatewayId, functions]) => ({ natGatewayId, functions: [...functions].sort() }));
}

/** The gateways' bytes over the last `days` days (one call per 250 gateways); a failed call becomes the bill's note. */
export async function readNatBill(clients: AwsClients, gateways: NatGatewayUsage[], now = new Date(), days = NAT_WINDOW_DAYS): Promise<NatBill> {
  const bill: NatBill = { days, gateways: gateways.map((g) => ({ ...g })) };
  if (gateways.length === 0) return bill;
  const { GetMetricDataCommand } = await import('@aws-sdk/client-cloudwatch');
  const cloudwatch = await clients.cloudwatch();
  const seconds = days * 24 * 3600;
  const start = new Date(now.getTime() - seconds * 1000);
  try {
    for (let offset = 0; offset < bill.gateways.length; offset += GATEWAYS_PER_CALL) {
      const chunk = bill.gateways.slice(offset, offset + GATEWAYS_PER_CALL);
      const queries: MetricDataQuery[] = chunk.flatMap((gateway, i) =>
        METRICS.map((metric, m) => ({
          Id: `g${i}m${m}`,
          MetricStat: { Metric: { Namespace: 'AWS/NATGateway', MetricName: metric, Dimensions: [{ Name: 'NatGatewayId', Value: gateway.natGatewayId }] }, Period: seconds, Stat: 'Sum' },
          ReturnData: true,
        })),
      );
      const sums = new Map<string, number>();
      let token: string | undefined;
      do {
        const page = await cloudwatch.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: start, EndTime: now, NextToken: token }));
        for (const result of page.MetricDataResults ?? []) sums.set(result.Id ?? '', (sums.get(result.Id ?? '') ?? 0) + (result.Values ?? []).reduce((a, b) => a + b, 0));
        token = page.NextToken;
      } while (token);
      chunk.forEach((gateway, i) => (gateway.bytes = METRICS.reduce((sum, _metric, m) => sum + (sums.get(`g${i}m${m}`) ?? 0), 0)));
    }
  } catch (error) {
    const { region, profile, endpointUrl } = clients.target;
    bill.gateways.forEach((gateway) => delete gateway.bytes);
    bill.note = `The NAT gateways' bytes are not shown: ${describeAwsError(error, { action: 'cloudwatch:GetMetricData', region, profile, endpointUrl })}`;
  }
  return bill;
}
