/** Lambda's REST-JSON API (2015-03-31): the operations the extension and CLI use. */
import { randomUUID } from 'node:crypto';
import type { FunctionConfiguration, UpdateFunctionConfigurationRequest } from '@aws-sdk/client-lambda';
import type { RegionState, StoredFunction } from './scenario';
import { settledConfig } from './scenario';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface LambdaContext {
  region: string;
  accountId: string;
  state: RegionState;
  now: number;
  updateDelayMs: number;
  /** Parsed JSON body (PUT); undefined for GET. */
  body: unknown;
  query: URLSearchParams;
}

export interface LambdaRoute {
  operation: string;
  /** The IAM action AWS checks for the operation. */
  action: string;
  run(ctx: LambdaContext): Reply;
}

export class LambdaError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function lambdaErrorReply(error: LambdaError, requestId: string): Reply {
  return {
    status: error.status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': error.type, 'x-amzn-requestid': requestId },
    body: JSON.stringify({ Type: error.status >= 500 ? 'Service' : 'User', message: error.message, ...error.extra }),
  };
}

function json(body: unknown): Reply {
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

const PAGE_LIMIT = 50;
const PREFIX = '/2015-03-31/functions';

/** `name`, `name:qualifier`, a partial ARN (`123456789012:function:name`) or a full ARN → the function name. */
function nameFromIdentifier(identifier: string): string {
  const afterFunction = identifier.includes(':function:') ? identifier.slice(identifier.indexOf(':function:') + ':function:'.length) : identifier;
  return afterFunction.split(':')[0];
}

function findFunction(ctx: LambdaContext, identifier: string): StoredFunction {
  const name = nameFromIdentifier(identifier);
  const fn = ctx.state.functions.find((f) => f.config.FunctionName === name);
  if (!fn) {
    throw new LambdaError(404, 'ResourceNotFoundException', `Function not found: arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${name}`);
  }
  return fn;
}

/** One page of `items` as `Marker`/`MaxItems` ask (at most 50), and the marker of the next page. */
function page<T>(ctx: LambdaContext, items: T[]): { items: T[]; next?: string } {
  const marker = ctx.query.get('Marker');
  const maxItems = ctx.query.has('MaxItems') ? Number(ctx.query.get('MaxItems')) : PAGE_LIMIT;
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 10000) {
    throw new LambdaError(400, 'InvalidParameterValueException', `1 validation error detected: Value '${ctx.query.get('MaxItems')}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000`);
  }
  const start = marker ? decodeMarker(marker) : 0;
  const pageSize = Math.min(maxItems, PAGE_LIMIT);
  const next = start + pageSize < items.length ? encodeMarker(start + pageSize) : undefined;
  return { items: items.slice(start, start + pageSize), ...(next ? { next } : {}) };
}

function listFunctions(ctx: LambdaContext): Reply {
  const { items, next } = page(ctx, ctx.state.functions);
  return json({ Functions: items.map((f) => settledConfig(f, ctx.now)), ...(next ? { NextMarker: next } : {}) });
}

/** $LATEST first, then the published versions, as AWS lists them. */
function listVersionsByFunction(ctx: LambdaContext, identifier: string): Reply {
  const fn = findFunction(ctx, identifier);
  const { items, next } = page(ctx, [settledConfig(fn, ctx.now), ...fn.versions]);
  return json({ Versions: items, ...(next ? { NextMarker: next } : {}) });
}

function listAliases(ctx: LambdaContext, identifier: string): Reply {
  const fn = findFunction(ctx, identifier);
  const version = ctx.query.get('FunctionVersion');
  const { items, next } = page(ctx, version ? fn.aliases.filter((a) => a.FunctionVersion === version) : fn.aliases);
  return json({ Aliases: items, ...(next ? { NextMarker: next } : {}) });
}

function encodeMarker(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

function decodeMarker(marker: string): number {
  try {
    const offset = (JSON.parse(Buffer.from(marker, 'base64').toString('utf8')) as { offset?: unknown }).offset;
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // falls through to the error AWS gives for a marker it did not issue
  }
  throw new LambdaError(400, 'InvalidParameterValueException', 'Invalid marker parameter.');
}

function getFunction(ctx: LambdaContext, identifier: string): Reply {
  const fn = findFunction(ctx, identifier);
  return json({
    Configuration: settledConfig(fn, ctx.now),
    Code: { RepositoryType: 'S3', Location: `https://awslambda-${ctx.region}-tasks.s3.${ctx.region}.amazonaws.com/snapshots/${ctx.accountId}/${fn.config.FunctionName}` },
    Tags: {},
  });
}

function getFunctionConfiguration(ctx: LambdaContext, identifier: string): Reply {
  return json(settledConfig(findFunction(ctx, identifier), ctx.now));
}

function isDualStack(ctx: LambdaContext, subnetId: string): boolean {
  const subnet = ctx.state.subnets.find((s) => s.SubnetId === subnetId);
  const hasIpv6 = (subnet?.Ipv6CidrBlockAssociationSet ?? []).some((a) => a.Ipv6CidrBlockState?.State !== 'disassociated');
  return Boolean(subnet?.CidrBlock) && hasIpv6 && !subnet?.Ipv6Native;
}

function validatedVpcConfig(ctx: LambdaContext, request: NonNullable<UpdateFunctionConfigurationRequest['VpcConfig']>): NonNullable<FunctionConfiguration['VpcConfig']> {
  const subnetIds = request.SubnetIds ?? [];
  const groupIds = request.SecurityGroupIds ?? [];
  const flag = request.Ipv6AllowedForDualStack ?? false;
  if ((subnetIds.length === 0) !== (groupIds.length === 0)) {
    throw new LambdaError(400, 'InvalidParameterValueException', 'SubnetIds and SecurityIds must coexist or be both empty list.');
  }
  if (flag && subnetIds.length === 0) {
    throw new LambdaError(400, 'InvalidParameterValueException', 'Ipv6AllowedForDualStack cannot be true without subnet or security groups.');
  }
  if (subnetIds.length > 16) {
    throw new LambdaError(400, 'InvalidParameterValueException', `1 validation error detected: Value at 'vpcConfig.subnetIds' failed to satisfy constraint: Member must have length less than or equal to 16`);
  }
  if (groupIds.length > 5) {
    throw new LambdaError(400, 'InvalidParameterValueException', `1 validation error detected: Value at 'vpcConfig.securityGroupIds' failed to satisfy constraint: Member must have length less than or equal to 5`);
  }
  const missingSubnet = subnetIds.find((id) => !ctx.state.subnets.some((s) => s.SubnetId === id));
  if (missingSubnet) {
    throw new LambdaError(400, 'InvalidParameterValueException', `Error occurred while DescribeSubnets. EC2 Error Code: InvalidSubnetID.NotFound. EC2 Error Message: The subnet ID '${missingSubnet}' does not exist`);
  }
  const missingGroup = groupIds.find((id) => !ctx.state.securityGroups.some((g) => g.GroupId === id));
  if (missingGroup) {
    throw new LambdaError(400, 'InvalidParameterValueException', `Error occurred while DescribeSecurityGroups. EC2 Error Code: InvalidGroup.NotFound. EC2 Error Message: The security group '${missingGroup}' does not exist`);
  }
  const vpcIds = new Set(subnetIds.map((id) => ctx.state.subnets.find((s) => s.SubnetId === id)?.VpcId));
  if (vpcIds.size > 1) {
    throw new LambdaError(400, 'InvalidParameterValueException', 'Subnets must belong to the same VPC.');
  }
  if (flag) {
    const notDualStack = subnetIds.filter((id) => !isDualStack(ctx, id));
    if (notDualStack.length > 0) {
      throw new LambdaError(400, 'InvalidParameterValueException', `Ipv6AllowedForDualStack can only be true when every subnet is dual-stack (IPv4 and IPv6 CIDR blocks, not IPv6-only). Not dual-stack: ${notDualStack.join(', ')}.`);
    }
  }
  return { SubnetIds: subnetIds, SecurityGroupIds: groupIds, Ipv6AllowedForDualStack: flag, VpcId: [...vpcIds][0] ?? '' };
}

/** Settings UpdateFunctionConfiguration carries as plain values (replaced as sent). */
const PLAIN_SETTINGS = ['Role', 'Handler', 'Description', 'Timeout', 'MemorySize', 'Environment', 'Runtime', 'DeadLetterConfig', 'KMSKeyArn', 'TracingConfig', 'Layers', 'FileSystemConfigs', 'ImageConfig', 'EphemeralStorage', 'SnapStart', 'LoggingConfig'] as const;

function updateFunctionConfiguration(ctx: LambdaContext, identifier: string): Reply {
  const fn = findFunction(ctx, identifier);
  const current = settledConfig(fn, ctx.now);
  const request = (ctx.body ?? {}) as UpdateFunctionConfigurationRequest;
  if (current.LastUpdateStatus === 'InProgress') {
    throw new LambdaError(409, 'ResourceConflictException', `The operation cannot be performed at this time. An update is in progress for resource: ${current.FunctionArn}`);
  }
  if (request.RevisionId !== undefined && request.RevisionId !== current.RevisionId) {
    throw new LambdaError(412, 'PreconditionFailedException', 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id');
  }
  const next: FunctionConfiguration = { ...current };
  if (request.VpcConfig) next.VpcConfig = validatedVpcConfig(ctx, request.VpcConfig);
  for (const setting of PLAIN_SETTINGS) {
    if (request[setting] !== undefined) (next as Record<string, unknown>)[setting] = request[setting];
  }
  next.RevisionId = randomUUID();
  next.LastModified = new Date(ctx.now).toISOString().replace('Z', '+0000');
  next.LastUpdateStatus = ctx.updateDelayMs > 0 ? 'InProgress' : 'Successful';
  if (ctx.updateDelayMs > 0) {
    next.LastUpdateStatusReason = 'The function is being updated.';
    next.LastUpdateStatusReasonCode = undefined;
  }
  fn.config = next;
  fn.updateCompletesAt = ctx.updateDelayMs > 0 ? ctx.now + ctx.updateDelayMs : undefined;
  return json(next);
}

/** The operation a request names, or undefined when Lambda has no such route. */
export function routeLambda(method: string, pathname: string): LambdaRoute | undefined {
  if (!pathname.startsWith(PREFIX)) return undefined;
  const rest = pathname.slice(PREFIX.length).replace(/^\/+/, '');
  if (rest === '' && method === 'GET') return { operation: 'ListFunctions', action: 'lambda:ListFunctions', run: listFunctions };
  const [encodedName, sub, ...extra] = rest.split('/');
  if (extra.length > 0 || !encodedName) return undefined;
  const name = decodeURIComponent(encodedName);
  if (sub === undefined && method === 'GET') return { operation: 'GetFunction', action: 'lambda:GetFunction', run: (ctx) => getFunction(ctx, name) };
  if (sub === 'configuration' && method === 'GET') {
    return { operation: 'GetFunctionConfiguration', action: 'lambda:GetFunctionConfiguration', run: (ctx) => getFunctionConfiguration(ctx, name) };
  }
  if (sub === 'versions' && method === 'GET') {
    return { operation: 'ListVersionsByFunction', action: 'lambda:ListVersionsByFunction', run: (ctx) => listVersionsByFunction(ctx, name) };
  }
  if (sub === 'aliases' && method === 'GET') return { operation: 'ListAliases', action: 'lambda:ListAliases', run: (ctx) => listAliases(ctx, name) };
  if (sub === 'configuration' && method === 'PUT') {
    return { operation: 'UpdateFunctionConfiguration', action: 'lambda:UpdateFunctionConfiguration', run: (ctx) => updateFunctionConfiguration(ctx, name) };
  }
  return undefined;
}
