/**
 * The Lambda calls of an enable run with what the SDK's standard retries leave over: a bounded
 * backoff on throttling and server errors, and a bounded wait while a function update is in progress.
 */
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { AwsClients } from '../clients';
import { describeAwsError } from '../errors';
import type { Timing } from './types';
import { DEFAULT_TIMING } from './types';

const THROTTLING = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling', 'RequestLimitExceeded', 'EC2ThrottledException', 'SlowDown']);
const TRANSIENT_NETWORK = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNREFUSED', 'TimeoutError', 'RequestTimeout']);

export function errorName(error: unknown): string {
  const e = error as { name?: string; Code?: string; code?: string } | undefined;
  return e?.name ?? e?.Code ?? e?.code ?? '';
}

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

/** Throttled, a server error or a dropped connection: the same call may succeed later. */
export function isRetryable(error: unknown): boolean {
  const name = errorName(error);
  const status = httpStatus(error);
  return THROTTLING.has(name) || TRANSIENT_NETWORK.has(name) || TRANSIENT_NETWORK.has((error as { code?: string })?.code ?? '') || (status !== undefined && (status >= 500 || status === 429));
}

export class AbortedError extends Error {
  constructor() {
    super('Cancelled.');
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError();
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function timingWith(overrides: Partial<Timing> | undefined): Timing {
  return { ...DEFAULT_TIMING, ...overrides };
}

/** Runs `call`, retrying retryable failures with exponential backoff and jitter, a bounded number of times. */
export async function withBackoff<T>(call: () => Promise<T>, timing: Timing, signal?: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    throwIfAborted(signal);
    try {
      return await call();
    } catch (error) {
      if (!isRetryable(error) || attempt >= timing.backoffAttempts) throw error;
      const ceiling = Math.min(timing.backoffBaseMs * 2 ** (attempt - 1), 20_000);
      await sleep(ceiling / 2 + Math.random() * (ceiling / 2), signal);
    }
  }
}

export interface CallContext {
  clients: AwsClients;
  timing: Timing;
  signal?: AbortSignal;
}

/** A message for a failed call that names the IAM action and what to do; never credentials. */
export function describeFailure(error: unknown, action: string, clients: AwsClients): string {
  if (error instanceof AbortedError) return error.message;
  const { region, profile, endpointUrl } = clients.target;
  return describeAwsError(error, { action, region, profile, endpointUrl });
}

export async function getConfiguration(context: CallContext, functionName: string): Promise<FunctionConfiguration> {
  const { GetFunctionConfigurationCommand } = await import('@aws-sdk/client-lambda');
  const lambda = await context.clients.lambda();
  return withBackoff(() => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }), { abortSignal: context.signal }), context.timing, context.signal);
}

/**
 * Waits (bounded) until no update is in progress. Returns the final status ('InProgress' when the wait
 * ran out) and, when the waiter's last read succeeded, the configuration it read.
 */
export async function waitForUpdate(context: CallContext, functionName: string): Promise<{ status: string; reason?: string; config?: FunctionConfiguration }> {
  const { waitUntilFunctionUpdatedV2 } = await import('@aws-sdk/client-lambda');
  const lambda = await context.clients.lambda();
  const { timing } = context;
  try {
    const result = await waitUntilFunctionUpdatedV2(
      {
        client: lambda,
        maxWaitTime: timing.maxWaitSeconds,
        minDelay: timing.waiterMinDelaySeconds,
        maxDelay: Math.max(timing.waiterMinDelaySeconds, Math.min(30, timing.maxWaitSeconds / 4)),
        abortSignal: context.signal,
      },
      { FunctionName: functionName },
    );
    const config = (result.reason as { Configuration?: FunctionConfiguration } | undefined)?.Configuration;
    return { status: 'Successful', ...(config ? { config } : {}) };
  } catch (error) {
    throwIfAborted(context.signal);
    // The waiter reports Failed and timeouts as errors; the configuration says which it was.
    const config = await getConfiguration(context, functionName);
    return { status: config.LastUpdateStatus ?? 'Successful', reason: config.LastUpdateStatusReason ?? (error instanceof Error ? error.message : undefined), config };
  }
}

/** The function's configuration once no update is in progress (waiting a bounded time for one to finish). */
export async function settledConfiguration(context: CallContext, functionName: string): Promise<FunctionConfiguration> {
  const config = await getConfiguration(context, functionName);
  if (config.LastUpdateStatus !== 'InProgress') return config;
  await waitForUpdate(context, functionName);
  return getConfiguration(context, functionName);
}
