/**
 * CloudWatch `GetMetricData` as the SDK v3 client (3.1164) sends it: AWS JSON 1.0 (`X-Amz-Target:
 * GraniteServiceVersion20100801.GetMetricData`) in awsQuery-compatible mode, whose errors carry the
 * query error code in `x-amzn-query-error`. Serves `AWS/NATGateway` byte counts from the scenario:
 * each query gets one datapoint, the scenario's 30-day total for its gateway and metric.
 */
import type { GetMetricDataInput, MetricDataResult } from '@aws-sdk/client-cloudwatch';
import type { Reply } from './lambda';
import type { RegionState } from './scenario';

export const CLOUDWATCH_TARGET_PREFIX = 'GraniteServiceVersion20100801.';
const NAT_METRICS = new Set(['BytesOutToDestination', 'BytesInFromDestination']);
/** AWS accepts at most 500 queries in one GetMetricData call. */
const MAX_QUERIES = 500;

export class CloudWatchError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function cloudWatchErrorReply(error: CloudWatchError, requestId: string): Reply {
  return {
    status: error.status,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': requestId,
      'x-amzn-query-error': `${error.code};${error.status >= 500 ? 'Receiver' : 'Sender'}`,
    },
    body: JSON.stringify({ __type: `com.amazonaws.cloudwatch#${error.code}`, message: error.message }),
  };
}

export function getMetricData(state: RegionState, body: unknown, requestId: string): Reply {
  const input = (body ?? {}) as GetMetricDataInput;
  const queries = input.MetricDataQueries ?? [];
  if (queries.length === 0 || queries.length > MAX_QUERIES) {
    throw new CloudWatchError(400, 'InvalidParameterValue', `The collection MetricDataQueries must not be empty and must not have more than ${MAX_QUERIES} members.`);
  }
  const end = typeof input.EndTime === 'number' ? input.EndTime : Date.parse(String(input.EndTime)) / 1000;
  const results: MetricDataResult[] = queries.map((query) => {
    const metric = query.MetricStat?.Metric;
    const gateway = metric?.Dimensions?.find((d) => d.Name === 'NatGatewayId')?.Value ?? '';
    const name = metric?.MetricName ?? '';
    const known = metric?.Namespace === 'AWS/NATGateway' && NAT_METRICS.has(name) && query.MetricStat?.Stat === 'Sum';
    const value = known ? state.natMetrics[gateway]?.[name as 'BytesOutToDestination' | 'BytesInFromDestination'] : undefined;
    return { Id: query.Id, Label: name, StatusCode: 'Complete', Timestamps: value === undefined ? [] : [new Date(end * 1000)], Values: value === undefined ? [] : [value] } as MetricDataResult;
  });
  const wire = results.map((r) => ({ ...r, Timestamps: (r.Timestamps ?? []).map((t) => t.getTime() / 1000) }));
  return {
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId },
    body: JSON.stringify({ MetricDataResults: wire, Messages: [] }),
  };
}
