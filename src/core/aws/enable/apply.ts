/**
 * Applies a confirmed plan: network steps first (each additive, each checked against the live state
 * just before it runs), then the function updates, each pinned to the revision the plan read. Nothing
 * is overwritten silently: a function changed since planning is re-planned and reported instead.
 */
import type { EC2Client, EgressOnlyInternetGateway, RouteTable } from '@aws-sdk/client-ec2';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { CallContext } from './calls';
import { describeFailure, errorName, getConfiguration, throwIfAborted, timingWith, waitForUpdate, withBackoff } from './calls';
import { activeIpv6Block, subnetsOfVpcs } from './cidrPlan';
import { freeSubnetBlocks } from '../ipv6Blocks';
import { planEnable } from './plan';
import { describeStep, egressText } from './render';
import type {
  ApplyContext,
  ApplyResult,
  AssociateSubnetCidrStep,
  AssociateVpcCidrStep,
  AuthorizeEgressStep,
  CreateEigwStep,
  CreateRouteStep,
  DoneStep,
  FunctionOutcome,
  GatewayRef,
  Plan,
  ReplaceRouteStep,
  Step,
  UpdateFunctionStep,
} from './types';

/** The live state no longer matches the plan for this step; carries what was found. */
class ChangedMeanwhile extends Error {}

/** A step that could not be done; the message says why and what to do. */
class StepFailed extends Error {}

interface RunState {
  context: CallContext;
  log: (line: string) => void;
  /** Gateways created or found during this run, by VPC. */
  eigwByVpc: Map<string, string>;
  /** IPv6 blocks associated or found during this run, by VPC. */
  vpcBlocks: Map<string, string>;
}

function sameMembers(a: string[] | undefined, b: string[]): boolean {
  const left = [...(a ?? [])].sort();
  const right = [...b].sort();
  return left.length === right.length && left.every((value, i) => value === right[i]);
}

async function ec2Of(state: RunState): Promise<{ client: EC2Client; commands: typeof import('@aws-sdk/client-ec2') }> {
  return { client: await state.context.clients.ec2(), commands: await import('@aws-sdk/client-ec2') };
}

async function eigwsInVpc(state: RunState, vpcId: string): Promise<EgressOnlyInternetGateway[]> {
  const { client, commands } = await ec2Of(state);
  const found: EgressOnlyInternetGateway[] = [];
  let token: string | undefined;
  do {
    const page = await withBackoff(() => client.send(new commands.DescribeEgressOnlyInternetGatewaysCommand({ NextToken: token })), state.context.timing, state.context.signal);
    found.push(...(page.EgressOnlyInternetGateways ?? []).filter((g) => (g.Attachments ?? []).some((a) => a.VpcId === vpcId)));
    token = page.NextToken;
  } while (token);
  return found;
}

async function createEigw(state: RunState, step: CreateEigwStep): Promise<string> {
  // Someone may have added one since planning; a VPC needs only one.
  const existing = (await eigwsInVpc(state, step.vpcId))[0]?.EgressOnlyInternetGatewayId;
  if (existing) {
    state.eigwByVpc.set(step.vpcId, existing);
    state.log(`CreateEgressOnlyInternetGateway ${step.vpcId}: skipped, ${existing} already exists in the VPC`);
    return `already present: ${existing}`;
  }
  const { client, commands } = await ec2Of(state);
  try {
    const created = await withBackoff(
      () => client.send(new commands.CreateEgressOnlyInternetGatewayCommand({ VpcId: step.vpcId, ClientToken: step.clientToken })),
      state.context.timing,
      state.context.signal,
    );
    const id = created.EgressOnlyInternetGateway?.EgressOnlyInternetGatewayId ?? '';
    state.eigwByVpc.set(step.vpcId, id);
    state.log(`CreateEgressOnlyInternetGateway ${step.vpcId}: created ${id}`);
    return `created ${id}`;
  } catch (error) {
    state.log(`CreateEgressOnlyInternetGateway ${step.vpcId}: failed (${errorName(error)})`);
    throw new StepFailed(describeFailure(error, 'ec2:CreateEgressOnlyInternetGateway', state.context.clients));
  }
}

function resolveEigw(state: RunState, ref: GatewayRef): string {
  if ('existing' in ref) return ref.existing;
  const id = state.eigwByVpc.get(ref.createdInVpc);
  if (!id) throw new StepFailed(`No egress-only internet gateway exists in ${ref.createdInVpc}: its creation did not happen.`);
  return id;
}

async function ipv6DefaultTarget(state: RunState, routeTableId: string): Promise<string | undefined> {
  const { client, commands } = await ec2Of(state);
  const page = await withBackoff(() => client.send(new commands.DescribeRouteTablesCommand({ RouteTableIds: [routeTableId] })), state.context.timing, state.context.signal);
  const table: RouteTable | undefined = page.RouteTables?.[0];
  const route = (table?.Routes ?? []).find((r) => r.DestinationIpv6CidrBlock === '::/0');
  return route ? (route.EgressOnlyInternetGatewayId ?? route.NatGatewayId ?? route.GatewayId ?? route.TransitGatewayId ?? route.NetworkInterfaceId ?? route.VpcPeeringConnectionId ?? 'another target') : undefined;
}

async function createRoute(state: RunState, step: CreateRouteStep): Promise<string> {
  const eigw = resolveEigw(state, step.eigw);
  const { client, commands } = await ec2Of(state);
  try {
    await withBackoff(
      () => client.send(new commands.CreateRouteCommand({ RouteTableId: step.routeTableId, DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: eigw })),
      state.context.timing,
      state.context.signal,
    );
    state.log(`CreateRoute ${step.routeTableId} ::/0 -> ${eigw}: created`);
    return `created ::/0 -> ${eigw}`;
  } catch (error) {
    if (errorName(error) !== 'RouteAlreadyExists') {
      state.log(`CreateRoute ${step.routeTableId} ::/0 -> ${eigw}: failed (${errorName(error)})`);
      throw new StepFailed(describeFailure(error, 'ec2:CreateRoute', state.context.clients));
    }
    const target = await ipv6DefaultTarget(state, step.routeTableId);
    if (target?.startsWith('eigw-')) {
      state.log(`CreateRoute ${step.routeTableId} ::/0 -> ${eigw}: skipped, ::/0 already goes to ${target}`);
      return `already present: ::/0 -> ${target}`;
    }
    state.log(`CreateRoute ${step.routeTableId} ::/0 -> ${eigw}: not done, ::/0 was added meanwhile and goes to ${target}`);
    throw new ChangedMeanwhile(`Route table ${step.routeTableId} got a ::/0 route to ${target} after planning; it was left as is.`);
  }
}

async function replaceRoute(state: RunState, step: ReplaceRouteStep): Promise<string> {
  const eigw = resolveEigw(state, step.eigw);
  const target = await ipv6DefaultTarget(state, step.routeTableId);
  if (target === eigw) return `already present: ::/0 -> ${eigw}`;
  if (target !== step.currentTarget) {
    state.log(`ReplaceRoute ${step.routeTableId} ::/0 -> ${eigw}: not done, ::/0 now goes to ${target ?? 'nothing'} instead of ${step.currentTarget}`);
    throw new ChangedMeanwhile(`The ::/0 route of ${step.routeTableId} changed after planning (now ${target ?? 'none'}, planned from ${step.currentTarget}); it was left as is.`);
  }
  const { client, commands } = await ec2Of(state);
  try {
    await withBackoff(
      () => client.send(new commands.ReplaceRouteCommand({ RouteTableId: step.routeTableId, DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: eigw })),
      state.context.timing,
      state.context.signal,
    );
    state.log(`ReplaceRoute ${step.routeTableId} ::/0 ${step.currentTarget} -> ${eigw}: replaced`);
    return `replaced ::/0 -> ${step.currentTarget} by ::/0 -> ${eigw}`;
  } catch (error) {
    state.log(`ReplaceRoute ${step.routeTableId} ::/0 -> ${eigw}: failed (${errorName(error)})`);
    throw new StepFailed(describeFailure(error, 'ec2:ReplaceRoute', state.context.clients));
  }
}

async function authorizeEgress(state: RunState, step: AuthorizeEgressStep): Promise<string> {
  const { client, commands } = await ec2Of(state);
  const added: string[] = [];
  // One call per permission, so a rule someone added meanwhile does not keep the others out.
  for (const permission of step.permissions) {
    const text = egressText(permission);
    try {
      await withBackoff(() => client.send(new commands.AuthorizeSecurityGroupEgressCommand({ GroupId: step.groupId, IpPermissions: [permission] })), state.context.timing, state.context.signal);
      state.log(`AuthorizeSecurityGroupEgress ${step.groupId} ${text}: added`);
      added.push(text);
    } catch (error) {
      if (errorName(error) === 'InvalidPermission.Duplicate') {
        state.log(`AuthorizeSecurityGroupEgress ${step.groupId} ${text}: skipped, already present`);
        continue;
      }
      state.log(`AuthorizeSecurityGroupEgress ${step.groupId} ${text}: failed (${errorName(error)})`);
      throw new StepFailed(describeFailure(error, 'ec2:AuthorizeSecurityGroupEgress', state.context.clients));
    }
  }
  return added.length > 0 ? `added ${added.join('; ')}` : 'already present';
}

function isApplied(config: FunctionConfiguration, step: UpdateFunctionStep): boolean {
  return (
    (config.VpcConfig?.Ipv6AllowedForDualStack === true) === step.ipv6 &&
    sameMembers(config.VpcConfig?.SubnetIds, step.subnetIds) &&
    sameMembers(config.VpcConfig?.SecurityGroupIds, step.securityGroupIds)
  );
}

const MAX_CONFLICT_WAITS = 5;

async function updateFunction(state: RunState, step: UpdateFunctionStep): Promise<string> {
  const { UpdateFunctionConfigurationCommand } = await import('@aws-sdk/client-lambda');
  const lambda = await state.context.clients.lambda();
  const flag = `Ipv6AllowedForDualStack=${step.ipv6}`;
  const request = {
    FunctionName: step.functionName,
    VpcConfig: { SubnetIds: step.subnetIds, SecurityGroupIds: step.securityGroupIds, Ipv6AllowedForDualStack: step.ipv6 },
    RevisionId: step.revisionId,
  };
  let newRevision: string | undefined;
  for (let conflicts = 0; newRevision === undefined; ) {
    throwIfAborted(state.context.signal);
    try {
      const updated = await withBackoff(() => lambda.send(new UpdateFunctionConfigurationCommand(request), { abortSignal: state.context.signal }), state.context.timing, state.context.signal);
      newRevision = updated.RevisionId ?? '';
    } catch (error) {
      const name = errorName(error);
      if (name === 'ResourceConflictException' && conflicts < MAX_CONFLICT_WAITS) {
        // Another update is running; once it ends, the revision tells whether it changed the function.
        conflicts += 1;
        await waitForUpdate(state.context, step.functionName);
        continue;
      }
      if (name === 'PreconditionFailedException') {
        const config = await getConfiguration(state.context, step.functionName);
        // A retried request whose first attempt went through also lands here: then it is done.
        if (isApplied(config, step)) {
          state.log(`UpdateFunctionConfiguration ${step.functionName} ${flag}: already in place (revision ${config.RevisionId})`);
          return `already ${flag}`;
        }
        state.log(`UpdateFunctionConfiguration ${step.functionName} ${flag}: not done, the function changed since planning (revision ${step.revisionId} -> ${config.RevisionId})`);
        throw new ChangedMeanwhile(`${step.functionName} was changed by someone else after planning; it was not updated.`);
      }
      state.log(`UpdateFunctionConfiguration ${step.functionName} ${flag}: failed (${name})`);
      throw new StepFailed(describeFailure(error, 'lambda:UpdateFunctionConfiguration', state.context.clients));
    }
  }
  state.log(`UpdateFunctionConfiguration ${step.functionName} ${flag}: sent (revision ${step.revisionId} -> ${newRevision})`);
  // Updates take a moment; polling at once would only read InProgress.
  await new Promise((resolve) => setTimeout(resolve, state.context.timing.waiterMinDelaySeconds * 1000));
  const settled = await waitForUpdate(state.context, step.functionName);
  if (settled.status === 'Failed') {
    state.log(`UpdateFunctionConfiguration ${step.functionName} ${flag}: update failed (${settled.reason ?? 'no reason given'})`);
    throw new StepFailed(`The update of ${step.functionName} failed: ${settled.reason ?? 'Lambda gave no reason'}. Its configuration is unchanged; fix the cause and run again.`);
  }
  if (settled.status === 'InProgress') {
    throw new StepFailed(`The update of ${step.functionName} was sent but is still in progress after ${state.context.timing.maxWaitSeconds} s; check it later (running again is safe).`);
  }
  const config = settled.config ?? (await getConfiguration(state.context, step.functionName));
  if (!isApplied(config, step)) {
    state.log(`UpdateFunctionConfiguration ${step.functionName} ${flag}: verification failed`);
    throw new StepFailed(`After the update, ${step.functionName} does not show ${flag} with its subnets and security groups unchanged; check it in the console.`);
  }
  state.log(`UpdateFunctionConfiguration ${step.functionName} ${flag}: verified`);
  return `${flag} verified`;
}

/** Polls `read` until the association is `associated` (bounded by the timing's longest wait). */
async function untilAssociated(state: RunState, what: string, read: () => Promise<{ Ipv6CidrBlock?: string; Ipv6CidrBlockState?: { State?: string; StatusMessage?: string } } | undefined>): Promise<string> {
  const deadline = Date.now() + state.context.timing.maxWaitSeconds * 1000;
  for (;;) {
    const association = await read();
    const status = association?.Ipv6CidrBlockState?.State;
    if (status === 'associated') return association?.Ipv6CidrBlock ?? '';
    if (status !== 'associating') {
      throw new StepFailed(`The IPv6 block of ${what} ended ${status ?? 'missing'}${association?.Ipv6CidrBlockState?.StatusMessage ? ` (${association.Ipv6CidrBlockState.StatusMessage})` : ''}; check it in the VPC console and run again.`);
    }
    if (Date.now() > deadline) throw new StepFailed(`The IPv6 block of ${what} is still associating after ${state.context.timing.maxWaitSeconds} s; run again once it is associated.`);
    await new Promise((resolve) => setTimeout(resolve, state.context.timing.waiterMinDelaySeconds * 1000));
  }
}

async function vpcAssociation(state: RunState, vpcId: string) {
  const { client, commands } = await ec2Of(state);
  const page = await withBackoff(() => client.send(new commands.DescribeVpcsCommand({ VpcIds: [vpcId] })), state.context.timing, state.context.signal);
  return (page.Vpcs?.[0]?.Ipv6CidrBlockAssociationSet ?? []).find((a) => a.Ipv6CidrBlockState?.State !== 'disassociated' && a.Ipv6CidrBlockState?.State !== 'failed');
}

async function associateVpcCidr(state: RunState, step: AssociateVpcCidrStep): Promise<string> {
  const existing = await vpcAssociation(state, step.vpcId);
  if (existing) {
    const block = await untilAssociated(state, step.vpcId, () => vpcAssociation(state, step.vpcId));
    state.vpcBlocks.set(step.vpcId, block);
    state.log(`AssociateVpcCidrBlock ${step.vpcId}: skipped, the VPC already has ${block}`);
    return `already present: ${block}`;
  }
  const { client, commands } = await ec2Of(state);
  try {
    await withBackoff(() => client.send(new commands.AssociateVpcCidrBlockCommand({ VpcId: step.vpcId, AmazonProvidedIpv6CidrBlock: true })), state.context.timing, state.context.signal);
  } catch (error) {
    state.log(`AssociateVpcCidrBlock ${step.vpcId}: failed (${errorName(error)})`);
    throw new StepFailed(describeFailure(error, 'ec2:AssociateVpcCidrBlock', state.context.clients));
  }
  const block = await untilAssociated(state, step.vpcId, () => vpcAssociation(state, step.vpcId));
  state.vpcBlocks.set(step.vpcId, block);
  state.log(`AssociateVpcCidrBlock ${step.vpcId}: associated ${block}`);
  return `associated ${block}`;
}

async function subnetAssociation(state: RunState, subnetId: string) {
  const { client, commands } = await ec2Of(state);
  const page = await withBackoff(() => client.send(new commands.DescribeSubnetsCommand({ SubnetIds: [subnetId] })), state.context.timing, state.context.signal);
  return (page.Subnets?.[0]?.Ipv6CidrBlockAssociationSet ?? []).find((a) => a.Ipv6CidrBlockState?.State === 'associated' || a.Ipv6CidrBlockState?.State === 'associating');
}

async function associateSubnetCidr(state: RunState, step: AssociateSubnetCidrStep): Promise<string> {
  if (await subnetAssociation(state, step.subnetId)) {
    const block = await untilAssociated(state, step.subnetId, () => subnetAssociation(state, step.subnetId));
    state.log(`AssociateSubnetCidrBlock ${step.subnetId}: skipped, the subnet already has ${block}`);
    return `already present: ${block}`;
  }
  let cidr = step.ipv6CidrBlock;
  if (!cidr) {
    // The VPC's block was added by this run: take its first /64 no subnet of the VPC uses.
    const vpcBlock = state.vpcBlocks.get(step.vpcId) ?? (await vpcAssociation(state, step.vpcId))?.Ipv6CidrBlock;
    if (!vpcBlock) throw new StepFailed(`VPC ${step.vpcId} has no IPv6 block: its association did not happen.`);
    const used = (await subnetsOfVpcs(state.context, [step.vpcId])).map((s) => activeIpv6Block(s.Ipv6CidrBlockAssociationSet)).filter((b): b is string => Boolean(b));
    cidr = freeSubnetBlocks(vpcBlock, used, 1)?.[0];
    if (!cidr) throw new StepFailed(`VPC ${step.vpcId}'s IPv6 block ${vpcBlock} has no free /64 left for subnet ${step.subnetId}.`);
  }
  const { client, commands } = await ec2Of(state);
  try {
    await withBackoff(() => client.send(new commands.AssociateSubnetCidrBlockCommand({ SubnetId: step.subnetId, Ipv6CidrBlock: cidr })), state.context.timing, state.context.signal);
  } catch (error) {
    state.log(`AssociateSubnetCidrBlock ${step.subnetId} ${cidr}: failed (${errorName(error)})`);
    if (errorName(error) === 'InvalidSubnet.Conflict') {
      throw new ChangedMeanwhile(`The IPv6 block ${cidr} planned for subnet ${step.subnetId} is now used by another subnet of ${step.vpcId}; plan again to choose a free one.`);
    }
    throw new StepFailed(describeFailure(error, 'ec2:AssociateSubnetCidrBlock', state.context.clients));
  }
  const block = await untilAssociated(state, step.subnetId, () => subnetAssociation(state, step.subnetId));
  state.log(`AssociateSubnetCidrBlock ${step.subnetId} ${block}: associated`);
  return `associated ${block}`;
}

function runStep(state: RunState, step: Step): Promise<string> {
  switch (step.kind) {
    case 'associate-vpc-cidr':
      return associateVpcCidr(state, step);
    case 'associate-subnet-cidr':
      return associateSubnetCidr(state, step);
    case 'create-eigw':
      return createEigw(state, step);
    case 'create-route':
      return createRoute(state, step);
    case 'replace-route':
      return replaceRoute(state, step);
    case 'authorize-egress':
      return authorizeEgress(state, step);
    case 'update-function':
      return updateFunction(state, step);
  }
}

function summary(done: DoneStep[]): string {
  if (done.length === 0) return 'Nothing was changed.';
  return `Done: ${done.map((d) => `${describeStep(d.step)} (${d.result})`).join('; ')}.`;
}

/** Runs the plan's steps in order; stops at the first network problem, and never overwrites a changed function. */
export async function applyPlan(plan: Plan, context: ApplyContext): Promise<ApplyResult> {
  const state: RunState = { context: { clients: context.clients, timing: timingWith(context.timing), signal: context.signal }, log: context.log, eigwByVpc: new Map(), vpcBlocks: new Map() };
  const done: DoneStep[] = [];
  const total = plan.steps.length;
  const progress = (step: Step, index: number, progressState: 'started' | 'done' | 'failed') => context.onProgress?.({ step, index, total, state: progressState });
  const rerun = ' Running it again is safe: what exists is found and not created twice.';

  const networkSteps = plan.steps.filter((s) => s.kind !== 'update-function');
  for (const [index, step] of networkSteps.entries()) {
    progress(step, index, 'started');
    try {
      done.push({ step, result: await runStep(state, step) });
      progress(step, index, 'done');
    } catch (error) {
      progress(step, index, 'failed');
      const why = error instanceof Error ? error.message : String(error);
      const outcome = error instanceof ChangedMeanwhile ? 'changed-meanwhile' : 'failed';
      const message = `${describeStep(step)}: ${why} No function was updated. ${summary(done)}${rerun}`;
      return { outcome, done, message, changedMeanwhile: [], functions: [] };
    }
  }

  const updates = plan.steps.flatMap((s, index) => (s.kind === 'update-function' ? [{ step: s, index }] : []));
  const failures: string[] = [];
  const changed: string[] = [];
  const outcomes = new Map<UpdateFunctionStep, FunctionOutcome>();
  const region = context.clients.target.region;
  const finish = (step: UpdateFunctionStep, state: FunctionOutcome['state'], reason?: string) => {
    const outcome: FunctionOutcome = { name: step.functionName, region, before: step.previousIpv6, after: state === 'updated' ? step.ipv6 : step.previousIpv6, state, ...(reason ? { reason } : {}) };
    outcomes.set(step, outcome);
    context.onFunctionDone?.(outcome);
  };
  // An update once sent is seen through (waited for and verified) even after a cancel: stopping
  // halfway would leave a function changed but reported as not.
  const inFlight: RunState = { ...state, context: { ...state.context, signal: undefined } };
  let next = 0;
  const worker = async () => {
    while (next < updates.length) {
      const { step, index } = updates[next++];
      // Cancelling stops new updates; those already sent finish and are reported.
      if (context.signal?.aborted) {
        failures.push(`${step.functionName}: cancelled before it was updated.`);
        finish(step, 'cancelled', 'cancelled before it was updated');
        continue;
      }
      progress(step, index, 'started');
      try {
        done.push({ step, result: await runStep(inFlight, step) });
        progress(step, index, 'done');
        finish(step, 'updated');
      } catch (error) {
        progress(step, index, 'failed');
        const why = error instanceof Error ? error.message : String(error);
        if (error instanceof ChangedMeanwhile) {
          changed.push(step.functionName);
          finish(step, 'changed-meanwhile', why);
        } else {
          failures.push(`${step.functionName}: ${why}`);
          finish(step, 'failed', why);
        }
      }
    }
  };
  const workers = Math.max(1, Math.min(context.concurrency ?? 4, updates.length));
  await Promise.all(Array.from({ length: workers }, worker));
  const functions = updates.map(({ step }) => outcomes.get(step)!);
  done.sort((a, b) => plan.steps.indexOf(a.step) - plan.steps.indexOf(b.step));

  if (failures.length > 0) {
    return { outcome: 'failed', done, message: `${failures.join(' ')} ${summary(done)}${rerun}`, changedMeanwhile: changed, functions };
  }
  if (changed.length > 0) {
    const replan = await planEnable({ clients: context.clients, functionNames: changed, timing: context.timing, signal: context.signal }, plan.options);
    return {
      outcome: 'changed-meanwhile',
      done,
      message: `${changed.join(', ')} changed meanwhile and ${changed.length === 1 ? 'was' : 'were'} not updated; review the new plan and confirm it to continue. ${summary(done)}`,
      changedMeanwhile: changed,
      replan,
      functions,
    };
  }
  return { outcome: 'applied', done, message: summary(done), changedMeanwhile: [], functions };
}
