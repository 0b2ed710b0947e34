/**
 * A local AWS endpoint for tests and demos: Lambda (REST-JSON), EC2 (Query/XML), STS
 * GetCallerIdentity and IAM ListAccountAliases on one port, answering the real SDK v3 clients. The region of each request comes
 * from its SigV4 credential scope, so one endpoint serves every region of the scenario.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { CLOUDWATCH_TARGET_PREFIX, CloudWatchError, cloudWatchErrorReply, getMetricData } from './cloudwatch';
import { ec2Handler, Ec2Error } from './ec2';
import { readEc2Input, writeEc2Error, writeEc2Output, escapeXml } from './ec2Wire';
import { LambdaError, lambdaErrorReply, routeLambda, type Reply } from './lambda';
import { regionOf, scenarioFromState, stateFromScenario, type EmulatorState, type Scenario } from './scenario';
// mulberry32, seeded: fault injection must be reproducible.
import { seededRandom } from '../support/seededRandom';

export interface EmulatorOptions {
  scenario: Scenario;
  /** 0 or absent: a free port. */
  port?: number;
  /** Added to every API request before it is answered. */
  latencyMs?: number;
  /** Share of API requests answered with a throttling error (0..1). */
  throttleRate?: number;
  /** Share of API requests answered with a server error (0..1). */
  errorRate?: number;
  /** How long an UpdateFunctionConfiguration stays InProgress. Default 50 ms. */
  updateDelayMs?: number;
  /** Seed of the fault draws; the same seed and request order give the same faults. Default 1. */
  seed?: number;
  /** Further accounts, by the access key id that signs for them: its requests see that scenario instead. */
  accounts?: Record<string, Scenario>;
}

export interface EmulatorStats {
  /** API requests per operation name (e.g. `ListFunctions`, `DescribeSubnets`), faults included. */
  operations: Record<string, number>;
  /** The same counts per region. */
  regions: Record<string, Record<string, number>>;
  total: number;
  throttled: number;
  serverErrors: number;
  /** Epoch ms of the first API request and of the last API response; null before any. */
  firstRequestAt: number | null;
  lastResponseAt: number | null;
}

export interface RunningEmulator {
  url: string;
  port: number;
  /** The live state (after writes). */
  readonly state: EmulatorState;
  /** A snapshot of the request counts. */
  readonly stats: EmulatorStats;
  /** Back to the loaded scenario, stats zeroed. */
  reset(): void;
  close(): Promise<void>;
}

export const DEFAULT_UPDATE_DELAY_MS = 50;

function emptyStats(): EmulatorStats {
  return { operations: {}, regions: {}, total: 0, throttled: 0, serverErrors: 0, firstRequestAt: null, lastResponseAt: null };
}

interface Credential {
  region: string;
  service: string;
  accessKeyId: string;
}

/** The credential scope of a SigV4 `Authorization` header. */
function credentialOf(header: string | undefined): Credential | undefined {
  const match = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request\s*,\s*SignedHeaders=[^,]+,\s*Signature=[0-9a-f]+$/.exec(header ?? '');
  return match ? { accessKeyId: match[1], region: match[2], service: match[3] } : undefined;
}

type Service = 'lambda' | 'ec2' | 'sts' | 'iam' | 'monitoring';

function xmlReply(status: number, body: string): Reply {
  return { status, headers: { 'content-type': 'text/xml;charset=UTF-8' }, body };
}

function stsError(status: number, code: string, message: string, requestId: string): Reply {
  return xmlReply(
    status,
    `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  );
}

function iamError(status: number, code: string, message: string, requestId: string): Reply {
  return xmlReply(
    status,
    `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  );
}

/** The error a service gives for a request it will not serve, in that service's wire format. */
function serviceError(service: Service, status: number, code: string, message: string, requestId: string): Reply {
  if (service === 'lambda') return lambdaErrorReply(new LambdaError(status, code, message), requestId);
  if (service === 'sts') return stsError(status, code, message, requestId);
  if (service === 'iam') return iamError(status, code, message, requestId);
  if (service === 'monitoring') return cloudWatchErrorReply(new CloudWatchError(status, code, message), requestId);
  return xmlReply(status, writeEc2Error(code, message, requestId));
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const latencyMs = options.latencyMs ?? 0;
  const throttleRate = options.throttleRate ?? 0;
  const errorRate = options.errorRate ?? 0;
  const updateDelayMs = options.updateDelayMs ?? DEFAULT_UPDATE_DELAY_MS;
  let state = stateFromScenario(options.scenario);
  const otherAccounts = () => new Map(Object.entries(options.accounts ?? {}).map(([accessKeyId, scenario]) => [accessKeyId, stateFromScenario(scenario)]));
  let accounts = otherAccounts();
  let stats = emptyStats();
  let random = seededRandom(options.seed ?? 1);

  const reset = () => {
    state = stateFromScenario(options.scenario);
    accounts = otherAccounts();
    stats = emptyStats();
    random = seededRandom(options.seed ?? 1);
  };

  function introspect(method: string, pathname: string): Reply | undefined {
    const ok = (body: unknown): Reply => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body, null, 2) });
    if (method === 'GET' && pathname === '/__emulator/stats') return ok(stats);
    if (method === 'GET' && pathname === '/__emulator/state') return ok(scenarioFromState(state, Date.now()));
    if (method === 'POST' && pathname === '/__emulator/reset') {
      reset();
      return ok({ reset: true });
    }
    return undefined;
  }

  function count(operation: string, region: string): void {
    stats.total += 1;
    stats.firstRequestAt ??= Date.now();
    stats.operations[operation] = (stats.operations[operation] ?? 0) + 1;
    const perRegion = (stats.regions[region] ??= {});
    perRegion[operation] = (perRegion[operation] ?? 0) + 1;
  }

  /** A throttle or server error drawn for this request, in the service's format. */
  function injectedFault(service: Service, requestId: string): Reply | undefined {
    if (throttleRate > 0 && random() < throttleRate) {
      stats.throttled += 1;
      if (service === 'lambda') {
        return lambdaErrorReply(new LambdaError(429, 'TooManyRequestsException', 'Rate exceeded', { Reason: 'CallerRateLimitExceeded' }), requestId);
      }
      return serviceError(service, service === 'ec2' ? 503 : 400, service === 'ec2' ? 'RequestLimitExceeded' : 'Throttling', 'Request limit exceeded.', requestId);
    }
    if (errorRate > 0 && random() < errorRate) {
      stats.serverErrors += 1;
      if (service === 'lambda') return lambdaErrorReply(new LambdaError(500, 'ServiceException', 'An internal error occurred. Try again.'), requestId);
      return serviceError(service, 500, service === 'ec2' ? 'InternalError' : 'InternalFailure', 'An internal error has occurred', requestId);
    }
    return undefined;
  }

  async function handle(request: http.IncomingMessage): Promise<Reply> {
    const requestId = randomUUID();
    const url = new URL(request.url ?? '/', 'http://emulator');
    const method = request.method ?? 'GET';
    const body = await readBody(request);
    const introspection = introspect(method, url.pathname);
    if (introspection) return introspection;

    const looksLikeLambda = url.pathname.startsWith('/2015-03-31/');
    const credential = credentialOf(request.headers.authorization);
    if (!credential) {
      return looksLikeLambda
        ? serviceError('lambda', 403, 'MissingAuthenticationTokenException', 'Missing Authentication Token', requestId)
        : serviceError('ec2', 403, 'MissingAuthenticationToken', 'Request is missing Authentication Token', requestId);
    }
    const service = credential.service as Service;
    const { region } = credential;
    const account = accounts.get(credential.accessKeyId) ?? state;
    const regionState = regionOf(account, region);
    const caller = `arn:aws:iam::${account.accountId}:user/emulator`;

    if (service === 'lambda') {
      const route = routeLambda(method, url.pathname);
      if (!route) return serviceError('lambda', 404, 'UnknownOperationException', `Unknown operation ${method} ${url.pathname}`, requestId);
      count(route.operation, region);
      await delay(latencyMs);
      const fault = injectedFault('lambda', requestId);
      if (fault) return fault;
      if (regionState.deny.has(route.action)) {
        return serviceError('lambda', 403, 'AccessDeniedException', `User: ${caller} is not authorized to perform: ${route.action} on resource: arn:aws:lambda:${region}:${account.accountId}:function:* because no identity-based policy allows the ${route.action} action`, requestId);
      }
      let parsed: unknown;
      try {
        parsed = body ? JSON.parse(body) : undefined;
      } catch {
        return serviceError('lambda', 400, 'InvalidRequestContentException', 'Could not parse request body into json', requestId);
      }
      try {
        const reply = route.run({ region, accountId: account.accountId, state: regionState, now: Date.now(), updateDelayMs, body: parsed, query: url.searchParams });
        reply.headers['x-amzn-requestid'] = requestId;
        return reply;
      } catch (error) {
        if (error instanceof LambdaError) return lambdaErrorReply(error, requestId);
        throw error;
      }
    }

    if (service === 'monitoring') {
      const target = String(request.headers['x-amz-target'] ?? '');
      if (target !== `${CLOUDWATCH_TARGET_PREFIX}GetMetricData`) return serviceError('monitoring', 400, 'InvalidAction', `The emulator serves only GetMetricData of CloudWatch, not ${target}.`, requestId);
      count('GetMetricData', region);
      await delay(latencyMs);
      const fault = injectedFault('monitoring', requestId);
      if (fault) return fault;
      if (regionState.deny.has('cloudwatch:GetMetricData')) {
        return serviceError('monitoring', 403, 'AccessDenied', `User: ${caller} is not authorized to perform: cloudwatch:GetMetricData because no identity-based policy allows the cloudwatch:GetMetricData action`, requestId);
      }
      try {
        return getMetricData(regionState, body ? JSON.parse(body) : undefined, requestId);
      } catch (error) {
        if (error instanceof CloudWatchError) return cloudWatchErrorReply(error, requestId);
        throw error;
      }
    }

    if (service !== 'ec2' && service !== 'sts' && service !== 'iam') {
      return serviceError('ec2', 400, 'InvalidAction', `The emulator does not serve the service '${service}'.`, requestId);
    }
    const params = new URLSearchParams(body);
    const action = params.get('Action') ?? '';
    if (service === 'sts') {
      if (action !== 'GetCallerIdentity') return stsError(400, 'InvalidAction', `Could not find operation ${action} for version ${params.get('Version')}`, requestId);
      count(action, region);
      await delay(latencyMs);
      return (
        injectedFault('sts', requestId) ??
        xmlReply(
          200,
          `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${caller}</Arn><UserId>AIDAEMULATOR000000000</UserId><Account>${account.accountId}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
        )
      );
    }

    if (service === 'iam') {
      if (action !== 'ListAccountAliases') return iamError(400, 'InvalidAction', `The emulator serves only ListAccountAliases of IAM, not ${action}.`, requestId);
      count(action, region);
      await delay(latencyMs);
      const fault = injectedFault('iam', requestId);
      if (fault) return fault;
      if (account.globalDeny.has('iam:ListAccountAliases')) {
        return iamError(403, 'AccessDenied', `User: ${caller} is not authorized to perform: iam:ListAccountAliases on resource: * because no identity-based policy allows the iam:ListAccountAliases action`, requestId);
      }
      const members = account.accountAliases.map((alias) => `<member>${escapeXml(alias)}</member>`).join('');
      return xmlReply(
        200,
        `<ListAccountAliasesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListAccountAliasesResult><IsTruncated>false</IsTruncated><AccountAliases>${members}</AccountAliases></ListAccountAliasesResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></ListAccountAliasesResponse>`,
      );
    }

    const handler = ec2Handler(action);
    const input = handler ? readEc2Input(action, params) : undefined;
    if (!handler || !input) return serviceError('ec2', 400, 'InvalidAction', `The action ${action} is not valid for this web service.`, requestId);
    if (params.get('Version') !== '2016-11-15') {
      return serviceError('ec2', 400, 'InvalidParameterValue', `Invalid API version ${params.get('Version')}`, requestId);
    }
    count(action, region);
    await delay(latencyMs);
    const fault = injectedFault('ec2', requestId);
    if (fault) return fault;
    if (regionState.deny.has(`ec2:${action}`)) {
      return serviceError('ec2', 403, 'UnauthorizedOperation', `You are not authorized to perform this operation. User: ${caller} is not authorized to perform: ec2:${action} because no identity-based policy allows the ec2:${action} action`, requestId);
    }
    try {
      return xmlReply(200, writeEc2Output(action, handler({ region, accountId: account.accountId, state: regionState }, input), requestId));
    } catch (error) {
      if (error instanceof Ec2Error) return serviceError('ec2', error.status, error.code, error.message, requestId);
      throw error;
    }
  }

  const server = http.createServer((request, response) => {
    handle(request).then(
      (reply) => {
        if (!request.url?.startsWith('/__emulator/')) stats.lastResponseAt = Date.now();
        response.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
        response.end(reply.body);
      },
      (error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(`emulator defect: ${error instanceof Error ? error.stack : String(error)}`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get state() {
      return state;
    },
    get stats() {
      return structuredClone(stats);
    },
    reset,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
