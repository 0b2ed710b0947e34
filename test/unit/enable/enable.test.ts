import * as assert from 'node:assert/strict';
import { UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import type { RegionScenario } from '../../emulator/scenario';
import { ALL_IPV4_EGRESS, ScenarioBuilder } from '../../emulator/scenarios';
import { applyPlan, formatPlan, formatResultTable, planEnable, progressLine, resultSummary, toAwsCliCommands, type Plan } from '../../../src/core/aws/enable';
import { CREDENTIALS, FAST, REGION, harness, type Harness } from './helpers';

function withoutFunctions(region: RegionScenario): RegionScenario {
  const { functions: _functions, ...rest } = region;
  return rest;
}

describe('enable: planning and applying on the emulator', () => {
  let h: Harness | undefined;
  const logs: string[] = [];
  const log = (line: string) => logs.push(line);
  afterEach(async () => {
    await h?.close();
    h = undefined;
    logs.length = 0;
  });

  const plan = (names: string[], options: Parameters<typeof planEnable>[1]) => planEnable({ clients: h!.clients, functionNames: names, timing: FAST }, options);
  const apply = (p: Plan) => applyPlan(p, { clients: h!.clients, log, timing: FAST });

  it('re-sends subnets and security groups unchanged and changes only the flag', async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    const net = r.dualStackVpc({ subnets: 3 });
    r.fn('api', { network: net, securityGroupIds: [net.securityGroupId, r.securityGroup(net.vpcId, [ALL_IPV4_EGRESS])] });
    h = await harness(b.build());
    const before = await h.region();

    const p = await plan(['api'], { enable: true });
    assert.equal(p.status, 'ready');
    assert.deepEqual(p.steps.map((s) => s.kind), ['update-function']);
    const result = await apply(p);
    assert.equal(result.outcome, 'applied', result.message);

    const after = await h.region();
    assert.deepEqual(withoutFunctions(after), withoutFunctions(before));
    const [fnBefore, fnAfter] = [before.functions![0], after.functions![0]];
    assert.deepEqual(fnAfter.VpcConfig, { ...fnBefore.VpcConfig, Ipv6AllowedForDualStack: true });
    assert.deepEqual(fnAfter.VpcConfig!.SubnetIds, net.subnetIds);
    assert.notEqual(fnAfter.RevisionId, fnBefore.RevisionId);
    assert.deepEqual(logs, [
      `UpdateFunctionConfiguration api Ipv6AllowedForDualStack=true: sent (revision ${fnBefore.RevisionId} -> ${fnAfter.RevisionId})`,
      'UpdateFunctionConfiguration api Ipv6AllowedForDualStack=true: verified',
    ]);
  });

  it('does nothing on a second run and says so', async () => {
    const b = new ScenarioBuilder();
    const net = b.region(REGION).dualStackVpc();
    b.region(REGION).fn('api', { network: net });
    h = await harness(b.build());
    assert.equal((await apply(await plan(['api'], { enable: true }))).outcome, 'applied');
    const second = await plan(['api'], { enable: true });
    assert.equal(second.status, 'nothing-to-do');
    assert.deepEqual(second.steps, []);
    assert.deepEqual(second.functions.map((f) => f.reasons), [['IPv6 is already enabled on api.']]);
  });

  it('stops with changed-meanwhile and a new plan when the function changes between plan and apply', async () => {
    const b = new ScenarioBuilder();
    const net = b.region(REGION).dualStackVpc();
    b.region(REGION).fn('api', { network: net });
    h = await harness(b.build());
    const p = await plan(['api'], { enable: true });

    const lambda = await h.clients.lambda();
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'api', Description: 'changed by a colleague' }));
    const result = await apply(p);

    assert.equal(result.outcome, 'changed-meanwhile');
    assert.deepEqual(result.changedMeanwhile, ['api']);
    assert.deepEqual(result.done, []);
    const fn = (await h.region()).functions![0];
    assert.equal(fn.VpcConfig!.Ipv6AllowedForDualStack, false);
    assert.equal(fn.Description, 'changed by a colleague');
    assert.equal(result.replan?.status, 'ready');
    const update = result.replan!.steps[0];
    assert.ok(update.kind === 'update-function' && update.revisionId === fn.RevisionId, 'the new plan is pinned to the new revision');
    assert.match(result.message, /^api changed meanwhile and was not updated; review the new plan and confirm it to continue\./);
  });

  it('waits for an update in progress before reading the revision it plans against', async () => {
    const b = new ScenarioBuilder();
    const net = b.region(REGION).dualStackVpc();
    b.region(REGION).fn('api', { network: net });
    h = await harness(b.build(), { updateDelayMs: 200 });
    const lambda = await h.clients.lambda();
    const colleague = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'api', MemorySize: 256 }));
    assert.equal(colleague.LastUpdateStatus, 'InProgress');

    const p = await plan(['api'], { enable: true });
    const update = p.steps[0];
    assert.ok(update.kind === 'update-function' && update.revisionId === colleague.RevisionId);
    assert.ok((h.emulator.stats.operations.GetFunction ?? 0) > 0, 'the update waiter polled');
    assert.equal((await apply(p)).outcome, 'applied');
    const fn = (await h.region()).functions![0];
    assert.deepEqual([fn.MemorySize, fn.VpcConfig!.Ipv6AllowedForDualStack], [256, true]);
  });

  it('describes a plan in words: changes in order, what is withheld, refused, nothing to do and warnings', async () => {
    const b = new ScenarioBuilder('123456789012');
    const r = b.region(REGION);
    const net = r.natOnlyVpc({ securityGroupEgress: [ALL_IPV4_EGRESS], viaMainTable: true });
    r.route(net.routeTableId, { DestinationIpv6CidrBlock: '::/0', NatGatewayId: net.natId });
    r.fn('api', { network: net, RevisionId: 'rev-1' }).fn('legacy', { network: r.ipv4OnlyVpc() }).fn('on', { network: r.dualStackVpc(), ipv6: true });
    r.natBytes(net.natId!, 3 * 2 ** 30, 2 ** 30);
    h = await harness(b.build());
    const [subnetA, subnetB] = net.subnetIds;
    const { securityGroupId: sg, routeTableId: rtb, natId: nat, vpcId: vpc } = net;
    const legacySubnets = (await h.region()).functions![1].VpcConfig!.SubnetIds!.join(', ');
    const withoutNetwork = await plan(['api', 'legacy', 'on'], { enable: true });
    assert.equal(
      formatPlan(withoutNetwork),
      [
        'Enable IPv6 for Lambda functions in eu-west-1',
        '',
        'Changes, in this order:',
        `1. Set Ipv6AllowedForDualStack false → true on function api (subnets ${subnetA}, ${subnetB} and security groups ${sg} re-sent unchanged; only if still at revision rev-1)`,
        '',
        'NAT gateways these functions use for IPv4 egress (data processing, last 30 days; at most what IPv6 can save, since IPv4-only destinations keep using them):',
        `- ${nat} (api): 4.00 GB in 30 days ≈ $0.18 at $0.045/GB`,
        '',
        'Refused:',
        `- legacy: IPV6L002: subnets ${legacySubnets} have no IPv6 CIDR block. Let the plan add them (--with-network --add-ipv6-cidrs; in VS Code "Add IPv6 to the Network…"), associate one with each yourself (aws ec2 associate-subnet-cidr-block --subnet-id <id> --ipv6-cidr-block <a /64 of the VPC's block>), or attach the function to dual-stack subnets.`,
        '',
        'Nothing to do:',
        '- on: IPv6 is already enabled on on.',
        '',
        'Warnings:',
        `- api: IPV6N001: Route ${rtb}:::/0 (::/0 in route table ${rtb}) sends IPv6 traffic to NAT gateway ${nat}, which only serves NAT64 (64:ff9b::/96): use an egress-only internet gateway. Fix it with the network changes ("Enable and Fix Network", or --with-network).`,
        `- api: IPV6S001: Function api allows IPv6 but its security group group-${sg} (${sg}) allows no IPv6 egress: its IPv6 connections are dropped. Fix it with the network changes ("Enable and Fix Network", or --with-network).`,
      ].join('\n'),
    );
    const withNetwork = await plan(['api'], { enable: true, withNetwork: true });
    assert.equal(
      formatPlan(withNetwork),
      [
        'Enable IPv6 for Lambda functions in eu-west-1',
        '',
        'Changes, in this order:',
        `1. Add IPv6 egress to security group group-${sg} (${sg}): all traffic to ::/0 (mirrors its IPv4 egress)`,
        `2. Set Ipv6AllowedForDualStack false → true on function api (subnets ${subnetA}, ${subnetB} and security groups ${sg} re-sent unchanged; only if still at revision rev-1)`,
        '',
        'NAT gateways these functions use for IPv4 egress (data processing, last 30 days; at most what IPv6 can save, since IPv4-only destinations keep using them):',
        `- ${nat} (api): 4.00 GB in 30 days ≈ $0.18 at $0.045/GB`,
        '',
        'Not included:',
        `- Replace route ::/0 → ${nat} by ::/0 → the new egress-only internet gateway of ${vpc} in route table ${rtb} (shared: the VPC's main table, used by every subnet without a table of its own): needs the separate confirmation to replace existing ::/0 routes`,
      ].join('\n'),
    );
  });

  it('enables 50 functions under 30% throttling and 10% server errors, changing nothing else', async function () {
    this.timeout(60_000);
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    const nets = [r.dualStackVpc(), r.dualStackVpc({ viaMainTable: true })];
    const names = Array.from({ length: 50 }, (_, i) => `fn-${String(i).padStart(2, '0')}`);
    names.forEach((name, i) => r.fn(name, { network: nets[i % 2] }));
    h = await harness(b.build(), { throttleRate: 0.3, errorRate: 0.1, seed: 7, updateDelayMs: 10 });
    const before = await h.region();

    const p = await plan(names, { enable: true });
    assert.equal(p.steps.filter((s) => s.kind === 'update-function').length, 50);
    const result = await apply(p);
    assert.equal(result.outcome, 'applied', result.message);

    const after = await h.region();
    assert.deepEqual(withoutFunctions(after), withoutFunctions(before));
    for (const [i, fn] of after.functions!.entries()) {
      assert.deepEqual(fn.VpcConfig, { ...before.functions![i].VpcConfig, Ipv6AllowedForDualStack: true }, fn.FunctionName);
    }
    assert.deepEqual(
      result.functions.map((f) => [f.name, f.region, f.before, f.after, f.state]),
      names.map((name) => [name, REGION, false, true, 'updated']),
    );
    const stats = h.emulator.stats;
    assert.ok(stats.throttled > 0 && stats.serverErrors > 0, 'faults were injected');
  });

  it('on cancel starts no new update, finishes and reports those in flight, and reports the rest as cancelled', async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    const net = r.dualStackVpc();
    const names = Array.from({ length: 12 }, (_, i) => `fn-${String(i).padStart(2, '0')}`);
    for (const name of names) r.fn(name, { network: net });
    h = await harness(b.build(), { updateDelayMs: 30 });
    const p = await plan(names, { enable: true });
    const abort = new AbortController();
    const started: string[] = [];
    const reported: string[] = [];
    const result = await applyPlan(p, {
      clients: h.clients,
      log,
      timing: FAST,
      concurrency: 3,
      signal: abort.signal,
      onProgress: ({ step, state }) => {
        if (state === 'started' && step.kind === 'update-function') started.push(step.functionName);
      },
      onFunctionDone: (outcome) => {
        reported.push(outcome.name);
        if (reported.length === 4) abort.abort();
      },
    });
    assert.equal(result.outcome, 'failed');
    const updated = result.functions.filter((f) => f.state === 'updated').map((f) => f.name);
    const cancelled = result.functions.filter((f) => f.state === 'cancelled').map((f) => f.name);
    // The 4th finished while 2 more were in flight: those 6 finish, the other 6 never start.
    assert.deepEqual(updated, started);
    assert.equal(updated.length, 6);
    assert.deepEqual(cancelled, names.filter((name) => !started.includes(name)));
    assert.deepEqual([...reported].sort(), names);
    const flags = Object.fromEntries((await h.region()).functions!.map((f) => [f.FunctionName, f.VpcConfig!.Ipv6AllowedForDualStack]));
    assert.deepEqual(flags, Object.fromEntries(names.map((name) => [name, updated.includes(name)])));
    assert.equal(formatResultTable(result.functions).split('\n')[2], 'fn-00     eu-west-1  off → on             yes');
    assert.ok(formatResultTable(result.functions).includes('\nfn-11     eu-west-1  off → off            no (cancelled)\n'));
    assert.equal(resultSummary(result.functions), '12 functions: 6 enabled, 6 cancelled (1 region).');
    assert.equal(progressLine(7, 12, result.functions[11]), '[ 7/12] fn-11 … cancelled');
  });

  it('with the network opt-in creates one EIGW per VPC, one route per table and IPv6 egress, and nothing on a re-run', async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    const first = r.natOnlyVpc({ securityGroupEgress: [ALL_IPV4_EGRESS, { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }] });
    const second = r.natOnlyVpc({ securityGroupEgress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] });
    r.fn('a', { network: first }).fn('b', { network: first }).fn('c', { network: second });
    h = await harness(b.build());

    const p = await plan(['a', 'b', 'c'], { enable: true, withNetwork: true });
    assert.deepEqual(p.steps.map((s) => s.kind), ['create-eigw', 'create-eigw', 'create-route', 'create-route', 'authorize-egress', 'authorize-egress', 'update-function', 'update-function', 'update-function']);
    const result = await apply(p);
    assert.equal(result.outcome, 'applied', result.message);

    const state = await h.region();
    const eigws = state.egressOnlyInternetGateways!;
    assert.deepEqual(eigws.map((g) => g.Attachments![0].VpcId), [first.vpcId, second.vpcId]);
    for (const [net, eigw] of [[first, eigws[0]], [second, eigws[1]]] as const) {
      const table = state.routeTables!.find((t) => t.RouteTableId === net.routeTableId)!;
      assert.deepEqual(
        table.Routes!.filter((route) => route.DestinationIpv6CidrBlock).map((route) => [route.DestinationIpv6CidrBlock, route.EgressOnlyInternetGatewayId]),
        [['::/0', eigw.EgressOnlyInternetGatewayId]],
      );
    }
    const egressOf = (groupId: string) => state.securityGroups!.find((g) => g.GroupId === groupId)!.IpPermissionsEgress!.filter((e) => e.Ipv6Ranges!.length > 0).map((e) => [e.IpProtocol, e.FromPort, e.ToPort]);
    assert.deepEqual(egressOf(first.securityGroupId), [['-1', undefined, undefined]]);
    assert.deepEqual(egressOf(second.securityGroupId), [['tcp', 443, 443]]);

    const again = await plan(['a', 'b', 'c'], { enable: true, withNetwork: true });
    assert.equal(again.status, 'nothing-to-do');
    assert.deepEqual(again.steps, []);
    const unchanged = await h.region();
    assert.deepEqual(unchanged.egressOnlyInternetGateways, state.egressOnlyInternetGateways);
    assert.deepEqual(unchanged.routeTables, state.routeTables);
  });

  it('adds TCP 443 only when asked for HTTPS egress', async () => {
    const b = new ScenarioBuilder();
    const net = b.region(REGION).dualStackVpc({ securityGroupEgress: [ALL_IPV4_EGRESS] });
    b.region(REGION).fn('api', { network: net });
    h = await harness(b.build());
    const p = await plan(['api'], { enable: true, withNetwork: true, sgEgress: 'https' });
    assert.deepEqual(toAwsCliCommands(p), [
      `aws ec2 authorize-security-group-egress --group-id ${net.securityGroupId} --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,Ipv6Ranges=[{CidrIpv6=::/0}]' --region ${REGION} --endpoint-url ${h.emulator.url}`,
      `aws lambda update-function-configuration --function-name api --vpc-config SubnetIds=${net.subnetIds.join(',')},SecurityGroupIds=${net.securityGroupId},Ipv6AllowedForDualStack=true --revision-id ${(p.steps[1] as { revisionId: string }).revisionId} --region ${REGION} --endpoint-url ${h.emulator.url}`,
    ]);
  });

  it('names a shared route table and renders the network plan as AWS CLI commands', async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    const net = r.natOnlyVpc({ subnets: 3 });
    r.fn('api', { network: net, subnetIds: net.subnetIds.slice(0, 2) });
    h = await harness(b.build());
    const p = await plan(['api'], { enable: true, withNetwork: true });
    const [eigw, route] = p.steps;
    assert.equal(eigw.kind, 'create-eigw');
    assert.deepEqual(route, {
      kind: 'create-route',
      routeTableId: net.routeTableId,
      vpcId: net.vpcId,
      mainTable: false,
      otherSubnets: [net.subnetIds[2]],
      rule: 'IPV6N002',
      eigw: { createdInVpc: net.vpcId },
      functions: ['api'],
    });
    const variable = `EIGW_${net.vpcId.replace(/-/g, '_').toUpperCase()}`;
    assert.deepEqual(toAwsCliCommands(p).slice(0, 2), [
      `${variable}=$(aws ec2 create-egress-only-internet-gateway --vpc-id ${net.vpcId} --query EgressOnlyInternetGateway.EgressOnlyInternetGatewayId --output text --region ${REGION} --endpoint-url ${h.emulator.url})`,
      `aws ec2 create-route --route-table-id ${net.routeTableId} --destination-ipv6-cidr-block ::/0 --egress-only-internet-gateway-id "$${variable}" --region ${REGION} --endpoint-url ${h.emulator.url}`,
    ]);
    assert.match(formatPlan(p), new RegExp(`2\\. Add route ::/0 → the new egress-only internet gateway of ${net.vpcId} to route table ${net.routeTableId} \\(shared: also used by subnet ${net.subnetIds[2]}\\)`));
  });

  it('does not replace an existing ::/0 route to a NAT gateway without the separate confirmation', async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    const net = r.natOnlyVpc();
    r.route(net.routeTableId, { DestinationIpv6CidrBlock: '::/0', NatGatewayId: net.natId });
    r.fn('api', { network: net });
    h = await harness(b.build());
    const natRoute = () => h!.region().then((s) => s.routeTables!.find((t) => t.RouteTableId === net.routeTableId)!.Routes!.find((x) => x.DestinationIpv6CidrBlock === '::/0'));

    const unconfirmed = await plan(['api'], { enable: true, withNetwork: true });
    assert.deepEqual(unconfirmed.steps.map((s) => s.kind), ['update-function']);
    assert.deepEqual(unconfirmed.withheld.map((s) => [s.kind, s.routeTableId, s.currentTarget]), [['replace-route', net.routeTableId, net.natId]]);
    assert.match(formatPlan(unconfirmed), /Not included:\n- Replace route ::\/0 → nat-\w+ by ::\/0 → the new egress-only internet gateway of vpc-\w+ in route table rtb-\w+: needs the separate confirmation to replace existing ::\/0 routes/);
    assert.equal((await apply(unconfirmed)).outcome, 'applied');
    assert.equal((await natRoute())?.NatGatewayId, net.natId);
    assert.equal((await h.region()).egressOnlyInternetGateways!.length, 0);

    const confirmed = await plan(['api'], { enable: true, withNetwork: true, replaceExistingIpv6Routes: true });
    assert.deepEqual(confirmed.steps.map((s) => s.kind), ['create-eigw', 'replace-route']);
    assert.equal((await apply(confirmed)).outcome, 'applied');
    const eigw = (await h.region()).egressOnlyInternetGateways![0].EgressOnlyInternetGatewayId;
    assert.deepEqual(await natRoute(), { DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: eigw, Origin: 'CreateRoute', State: 'active' });
  });

  it('refuses functions without a VPC, in IPv4-only subnets or in IPv6-only subnets, naming the subnets', async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    const v4 = r.ipv4OnlyVpc();
    const dual = r.dualStackVpc();
    const native = r.ipv6NativeSubnet(dual);
    r.fn('plain').fn('old', { network: v4 }).fn('native', { subnetIds: [dual.subnetIds[0], native], securityGroupIds: [dual.securityGroupId] });
    h = await harness(b.build());
    const before = await h.state();
    const p = await plan(['plain', 'old', 'native'], { enable: true, withNetwork: true });
    assert.equal(p.status, 'refused');
    assert.deepEqual(p.steps, []);
    assert.deepEqual(
      p.functions.map((f) => [f.name, f.status, f.reasons]),
      [
        ['plain', 'refused', ['plain is not attached to a VPC: Lambda gives outbound IPv6 only to functions in dual-stack VPC subnets. Attach it to dual-stack subnets and security groups first.']],
        ['old', 'refused', [`IPV6L002: subnets ${v4.subnetIds.join(', ')} have no IPv6 CIDR block. Let the plan add them (--with-network --add-ipv6-cidrs; in VS Code "Add IPv6 to the Network…"), associate one with each yourself (aws ec2 associate-subnet-cidr-block --subnet-id <id> --ipv6-cidr-block <a /64 of the VPC's block>), or attach the function to dual-stack subnets.`]],
        ['native', 'refused', [`IPV6L003: subnet ${native} is IPv6-only; Lambda supports only dual-stack subnets. Attach the function to dual-stack subnets (an IPv4 and an IPv6 CIDR block) instead.`]],
      ],
    );
    assert.deepEqual(await h.state(), before);
  });

  it('refuses a function that does not exist and one named with a qualifier', async () => {
    const b = new ScenarioBuilder();
    b.region(REGION).fn('api', { network: b.region(REGION).dualStackVpc() });
    h = await harness(b.build());
    const p = await plan(['nope', 'api:prod'], { enable: true });
    assert.equal(p.status, 'refused');
    assert.deepEqual(p.functions.map((f) => f.reasons), [
      ['No function nope in eu-west-1: check the name and the region.'],
      ['api:prod names the published version or alias prod, which cannot change: only the unpublished version ($LATEST) can. Name the function without a qualifier.'],
    ]);
  });

  it('disables with the same operation and leaves the network alone', async () => {
    const b = new ScenarioBuilder();
    const net = b.region(REGION).dualStackVpc();
    b.region(REGION).fn('api', { network: net, ipv6: true }).fn('off', { network: net });
    h = await harness(b.build());
    const before = await h.region();
    const p = await plan(['api', 'off'], { enable: false, withNetwork: true });
    assert.deepEqual(p.steps.map((s) => s.kind === 'update-function' && [s.functionName, s.previousIpv6, s.ipv6]), [['api', true, false]]);
    assert.deepEqual(p.functions.map((f) => [f.name, f.status]), [['api', 'ready'], ['off', 'nothing-to-do']]);
    assert.equal((await apply(p)).outcome, 'applied');
    const after = await h.region();
    assert.deepEqual(withoutFunctions(after), withoutFunctions(before));
    assert.deepEqual(after.functions![0].VpcConfig, { ...before.functions![0].VpcConfig, Ipv6AllowedForDualStack: false });
  });

  it('reports what was already done when a later step fails, so a re-run is safe', async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    const net = r.natOnlyVpc();
    r.fn('api', { network: net });
    r.deny('ec2:CreateRoute');
    h = await harness(b.build());
    const result = await apply(await plan(['api'], { enable: true, withNetwork: true }));
    assert.equal(result.outcome, 'failed');
    const eigw = (await h.region()).egressOnlyInternetGateways![0].EgressOnlyInternetGatewayId;
    assert.deepEqual(result.done.map((d) => d.result), [`created ${eigw}`]);
    assert.match(result.message, /^Add route ::\/0 → .*: Not allowed to call ec2:CreateRoute in eu-west-1: .* No function was updated\. Done: Create an egress-only internet gateway in vpc-\w+ \(created eigw-\w+\)\. Running it again is safe/);
    assert.equal((await h.region()).functions![0].VpcConfig!.Ipv6AllowedForDualStack, false);

    const again = await plan(['api'], { enable: true, withNetwork: true });
    assert.deepEqual(again.steps.map((s) => s.kind), ['create-route', 'update-function']);
    assert.deepEqual((again.steps[0] as { eigw: unknown }).eigw, { existing: eigw });
  });

  it('never writes credentials into logs, plans, commands or messages', async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    const net = r.natOnlyVpc({ securityGroupEgress: [ALL_IPV4_EGRESS] });
    r.fn('api', { network: net }).fn('denied', { network: r.ipv4OnlyVpc() });
    h = await harness(b.build());
    const outputs: string[] = [];
    const p = await plan(['api', 'denied'], { enable: true, withNetwork: true });
    outputs.push(formatPlan(p), ...toAwsCliCommands(p), JSON.stringify(p));
    const result = await apply(p);
    outputs.push(JSON.stringify(result), ...logs);
    h.emulator.state.regions.get(REGION)!.deny.add('lambda:UpdateFunctionConfiguration');
    const failed = await apply(await plan(['api'], { enable: false }));
    outputs.push(JSON.stringify(failed), ...logs);
    assert.equal(failed.outcome, 'failed');
    const text = outputs.join('\n');
    for (const secret of [CREDENTIALS.secretAccessKey, CREDENTIALS.sessionToken, CREDENTIALS.accessKeyId]) assert.ok(!text.includes(secret), `leaked ${secret.slice(0, 4)}…`);
  });
});
