import * as assert from 'node:assert/strict';
import {
  AuthorizeSecurityGroupEgressCommand,
  CreateEgressOnlyInternetGatewayCommand,
  CreateRouteCommand,
  DescribeEgressOnlyInternetGatewaysCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  ReplaceRouteCommand,
} from '@aws-sdk/client-ec2';
import {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListFunctionsCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { ScenarioBuilder, type Network } from '../../emulator/scenarios';

const REGION = 'eu-west-1';
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'emulator-secret' };

function clientsFor(emulator: RunningEmulator, region = REGION, maxAttempts = 1) {
  const config = { endpoint: emulator.url, region, credentials, maxAttempts };
  return { lambda: new LambdaClient(config), ec2: new EC2Client(config), sts: new STSClient(config) };
}

async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

describe('AWS emulator with the real SDK v3 clients', () => {
  let emulator: RunningEmulator;
  let dual: Network;
  let ipv4: Network;
  let natOnly: Network;
  let nativeSubnet: string;
  let clients: ReturnType<typeof clientsFor>;

  before(async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    dual = r.dualStackVpc();
    ipv4 = r.ipv4OnlyVpc({ viaMainTable: true });
    natOnly = r.natOnlyVpc({ subnets: 1 });
    nativeSubnet = r.ipv6NativeSubnet(dual);
    for (let i = 0; i < 120; i++) r.fn(`fn-${String(i).padStart(3, '0')}`, { network: i % 2 ? dual : ipv4 });
    r.fn('outside-vpc');
    b.region('us-east-1').ipv4OnlyVpc();
    b.region('ap-south-1').deny('ec2:DescribeSubnets', 'lambda:ListFunctions');
    emulator = await startEmulator({ scenario: b.build(), updateDelayMs: 100 });
    clients = clientsFor(emulator);
  });
  after(() => emulator.close());
  beforeEach(() => emulator.reset());

  describe('Lambda', () => {
    it('pages ListFunctions 50 at a time with NextMarker', async () => {
      const pages: number[] = [];
      let marker: string | undefined;
      do {
        const page = await clients.lambda.send(new ListFunctionsCommand({ Marker: marker }));
        pages.push(page.Functions?.length ?? 0);
        marker = page.NextMarker;
      } while (marker);
      assert.deepEqual(pages, [50, 50, 21]);
    });

    it('honours MaxItems below 50 and caps larger values at 50', async () => {
      assert.equal((await clients.lambda.send(new ListFunctionsCommand({ MaxItems: 7 }))).Functions?.length, 7);
      assert.equal((await clients.lambda.send(new ListFunctionsCommand({ MaxItems: 500 }))).Functions?.length, 50);
    });

    it('fills in omitted fields the way AWS reports them', async () => {
      const fn = await clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-001' }));
      assert.equal(fn.FunctionArn, `arn:aws:lambda:${REGION}:123456789012:function:fn-001`);
      assert.equal(fn.State, 'Active');
      assert.equal(fn.LastUpdateStatus, 'Successful');
      assert.match(fn.RevisionId ?? '', /^[0-9a-f-]{36}$/);
      assert.deepEqual(fn.VpcConfig, { SubnetIds: dual.subnetIds, SecurityGroupIds: [dual.securityGroupId], Ipv6AllowedForDualStack: false, VpcId: dual.vpcId });
      const outside = await clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'outside-vpc' }));
      assert.equal(outside.VpcConfig, undefined);
    });

    it('finds a function by name or ARN in GetFunction', async () => {
      const byArn = await clients.lambda.send(new GetFunctionCommand({ FunctionName: `arn:aws:lambda:${REGION}:123456789012:function:fn-002` }));
      assert.equal(byArn.Configuration?.FunctionName, 'fn-002');
      assert.ok(byArn.Code?.Location);
    });

    it('answers an unknown function with ResourceNotFoundException 404', async () => {
      const error = await rejection(clients.lambda.send(new GetFunctionCommand({ FunctionName: 'missing' })));
      assert.deepEqual(error, { name: 'ResourceNotFoundException', message: `Function not found: arn:aws:lambda:${REGION}:123456789012:function:missing`, status: 404 });
    });

    it('updates the VpcConfig with a new RevisionId, InProgress until the update delay passes', async () => {
      const before = await clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-001' }));
      const updated = await clients.lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: 'fn-001',
          RevisionId: before.RevisionId,
          VpcConfig: { SubnetIds: dual.subnetIds, SecurityGroupIds: [dual.securityGroupId], Ipv6AllowedForDualStack: true },
        }),
      );
      assert.equal(updated.LastUpdateStatus, 'InProgress');
      assert.notEqual(updated.RevisionId, before.RevisionId);
      assert.equal(updated.VpcConfig?.Ipv6AllowedForDualStack, true);
      const waited = await waitUntilFunctionUpdatedV2({ client: clients.lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: 'fn-001' });
      assert.equal(waited.state, 'SUCCESS');
      const after = await clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-001' }));
      assert.equal(after.LastUpdateStatus, 'Successful');
      assert.equal(after.RevisionId, updated.RevisionId);
    });

    it('rejects a second update while one is in progress with ResourceConflictException 409', async () => {
      const vpc = { SubnetIds: dual.subnetIds, SecurityGroupIds: [dual.securityGroupId] };
      await clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn-001', VpcConfig: vpc }));
      const error = await rejection(clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn-001', VpcConfig: vpc })));
      assert.equal(error.name, 'ResourceConflictException');
      assert.equal(error.status, 409);
    });

    it('rejects a stale RevisionId with PreconditionFailedException 412', async () => {
      const error = await rejection(clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn-001', RevisionId: 'stale', Description: 'x' })));
      assert.equal(error.name, 'PreconditionFailedException');
      assert.equal(error.status, 412);
    });

    const invalid: [string, object, string | RegExp][] = [
      ['subnets without security groups', { SubnetIds: ['S'] }, 'SubnetIds and SecurityIds must coexist or be both empty list.'],
      ['security groups without subnets', { SecurityGroupIds: ['G'] }, 'SubnetIds and SecurityIds must coexist or be both empty list.'],
      ['the flag without subnets', { SubnetIds: [], SecurityGroupIds: [], Ipv6AllowedForDualStack: true }, 'Ipv6AllowedForDualStack cannot be true without subnet or security groups.'],
      ['the flag with an IPv4-only subnet', { SubnetIds: ['IPV4'], SecurityGroupIds: ['G'], Ipv6AllowedForDualStack: true }, /Not dual-stack: subnet-/],
      ['the flag with an IPv6-native subnet', { SubnetIds: ['NATIVE'], SecurityGroupIds: ['G'], Ipv6AllowedForDualStack: true }, /Not dual-stack: subnet-/],
      ['an unknown subnet', { SubnetIds: ['subnet-404'], SecurityGroupIds: ['G'] }, /InvalidSubnetID.NotFound/],
    ];
    for (const [what, template, message] of invalid) {
      it(`rejects ${what} with InvalidParameterValueException 400`, async () => {
        const vpcConfig = JSON.parse(
          JSON.stringify(template).replace('"S"', `"${dual.subnetIds[0]}"`).replace('"G"', `"${dual.securityGroupId}"`).replace('"IPV4"', `"${ipv4.subnetIds[0]}"`).replace('"NATIVE"', `"${nativeSubnet}"`),
        );
        const error = await rejection(clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn-001', VpcConfig: vpcConfig })));
        assert.equal(error.name, 'InvalidParameterValueException');
        assert.equal(error.status, 400);
        if (typeof message === 'string') assert.equal(error.message, message);
        else assert.match(error.message, message);
      });
    }

    it('replaces the whole VpcConfig: an omitted flag becomes false, empty lists detach', async () => {
      const vpc = { SubnetIds: dual.subnetIds, SecurityGroupIds: [dual.securityGroupId] };
      await clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn-001', VpcConfig: { ...vpc, Ipv6AllowedForDualStack: true } }));
      await waitUntilFunctionUpdatedV2({ client: clients.lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: 'fn-001' });
      const withoutFlag = await clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn-001', VpcConfig: vpc }));
      assert.equal(withoutFlag.VpcConfig?.Ipv6AllowedForDualStack, false);
      await waitUntilFunctionUpdatedV2({ client: clients.lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: 'fn-001' });
      const detached = await clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn-001', VpcConfig: { SubnetIds: [], SecurityGroupIds: [] } }));
      assert.deepEqual(detached.VpcConfig, { SubnetIds: [], SecurityGroupIds: [], Ipv6AllowedForDualStack: false, VpcId: '' });
    });

    it('answers a denied action with AccessDeniedException 403 naming the permission', async () => {
      const denied = clientsFor(emulator, 'ap-south-1');
      const error = await rejection(denied.lambda.send(new ListFunctionsCommand({})));
      assert.equal(error.name, 'AccessDeniedException');
      assert.equal(error.status, 403);
      assert.match(error.message, /not authorized to perform: lambda:ListFunctions/);
    });

    it('serves each region from the credential scope', async () => {
      const us = clientsFor(emulator, 'us-east-1');
      assert.deepEqual((await us.lambda.send(new ListFunctionsCommand({}))).Functions, []);
      assert.equal((await us.ec2.send(new DescribeVpcsCommand({}))).Vpcs?.length, 1);
    });
  });

  describe('EC2', () => {
    it('describes subnets by id list with the fields the SDK reads', async () => {
      const { Subnets } = await clients.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [dual.subnetIds[0], nativeSubnet] }));
      assert.equal(Subnets?.length, 2);
      const [dualSubnet, native] = Subnets ?? [];
      assert.equal(dualSubnet.CidrBlock, '10.0.0.0/24');
      assert.equal(dualSubnet.Ipv6CidrBlockAssociationSet?.[0]?.Ipv6CidrBlockState?.State, 'associated');
      assert.equal(dualSubnet.Ipv6Native, false);
      assert.equal(native.Ipv6Native, true);
      assert.equal(native.CidrBlock, undefined);
    });

    it('answers an unknown subnet id with InvalidSubnetID.NotFound', async () => {
      const error = await rejection(clients.ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-404'] })));
      assert.deepEqual(error, { name: 'InvalidSubnetID.NotFound', message: "The subnet ID 'subnet-404' does not exist", status: 400 });
    });

    it('filters subnets by vpc-id and subnet-id (values OR, filters AND)', async () => {
      const { Subnets } = await clients.ec2.send(
        new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [dual.vpcId] }, { Name: 'subnet-id', Values: [dual.subnetIds[1], ipv4.subnetIds[0]] }] }),
      );
      assert.deepEqual(Subnets?.map((s) => s.SubnetId), [dual.subnetIds[1]]);
    });

    it('pages with MaxResults and NextToken', async () => {
      const ids: string[] = [];
      const pages: number[] = [];
      let token: string | undefined;
      do {
        const page = await clients.ec2.send(new DescribeSubnetsCommand({ MaxResults: 5, NextToken: token }));
        pages.push(page.Subnets?.length ?? 0);
        ids.push(...(page.Subnets ?? []).map((s) => s.SubnetId ?? ''));
        token = page.NextToken;
      } while (token);
      // dual-stack VPC: 2 private + 1 public + 1 IPv6-native; IPv4-only: 2 + 1; NAT-only: 1 + 1.
      assert.deepEqual(pages, [5, 4]);
      assert.equal(new Set(ids).size, 9);
    });

    it('finds route tables by association.subnet-id and the main table by vpc-id + association.main', async () => {
      const associated = await clients.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: [dual.subnetIds[0]] }] }));
      assert.deepEqual(associated.RouteTables?.map((t) => t.RouteTableId), [dual.routeTableId]);
      const routes = associated.RouteTables?.[0]?.Routes?.map((r) => [r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock, r.GatewayId ?? r.NatGatewayId ?? r.EgressOnlyInternetGatewayId]);
      assert.deepEqual(routes, [['10.0.0.0/16', 'local'], ['0.0.0.0/0', dual.natId], ['::/0', dual.eigwId]]);
      const main = await clients.ec2.send(
        new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [ipv4.vpcId, dual.vpcId] }, { Name: 'association.main', Values: ['true'] }] }),
      );
      assert.deepEqual(main.RouteTables?.map((t) => [t.RouteTableId, t.Associations?.[0]?.Main]), [[dual.mainRouteTableId, true], [ipv4.mainRouteTableId, true]]);
    });

    it('describes gateways with attachment.vpc-id and vpc-id filters, and security groups by group-id', async () => {
      const eigws = await clients.ec2.send(new DescribeEgressOnlyInternetGatewaysCommand({}));
      assert.deepEqual(eigws.EgressOnlyInternetGateways?.map((g) => [g.EgressOnlyInternetGatewayId, g.Attachments?.[0]?.VpcId]), [[dual.eigwId, dual.vpcId]]);
      const nats = await clients.ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: 'vpc-id', Values: [natOnly.vpcId] }] }));
      assert.deepEqual(nats.NatGateways?.map((g) => g.NatGatewayId), [natOnly.natId]);
      const igws = await clients.ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [ipv4.vpcId] }] }));
      assert.equal(igws.InternetGateways?.length, 1);
      const groups = await clients.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-id', Values: [dual.securityGroupId] }] }));
      assert.deepEqual(groups.SecurityGroups?.[0]?.IpPermissionsEgress?.map((p) => [p.IpProtocol, p.IpRanges?.[0]?.CidrIp, p.Ipv6Ranges?.[0]?.CidrIpv6]), [
        ['-1', '0.0.0.0/0', undefined],
        ['-1', undefined, '::/0'],
      ]);
      const vpcs = await clients.ec2.send(new DescribeVpcsCommand({ VpcIds: [dual.vpcId] }));
      assert.match(vpcs.Vpcs?.[0]?.Ipv6CidrBlockAssociationSet?.[0]?.Ipv6CidrBlock ?? '', /::\/56$/);
    });

    it('rejects a filter name the action does not know', async () => {
      const error = await rejection(clients.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'bogus', Values: ['x'] }] })));
      assert.equal(error.name, 'InvalidParameterValue');
    });

    it('creates an EIGW and routes ::/0 to it; a duplicate destination is RouteAlreadyExists', async () => {
      const { EgressOnlyInternetGateway } = await clients.ec2.send(new CreateEgressOnlyInternetGatewayCommand({ VpcId: natOnly.vpcId }));
      const eigw = EgressOnlyInternetGateway?.EgressOnlyInternetGatewayId ?? '';
      assert.match(eigw, /^eigw-[0-9a-f]{17}$/);
      const created = await clients.ec2.send(new CreateRouteCommand({ RouteTableId: natOnly.routeTableId, DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: eigw }));
      assert.equal(created.Return, true);
      const duplicate = await rejection(clients.ec2.send(new CreateRouteCommand({ RouteTableId: natOnly.routeTableId, DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: eigw })));
      assert.deepEqual(duplicate, { name: 'RouteAlreadyExists', message: 'The route identified by ::/0 already exists.', status: 400 });
      const table = emulator.state.regions.get(REGION)?.routeTables.find((t) => t.RouteTableId === natOnly.routeTableId);
      assert.deepEqual(table?.Routes?.at(-1), { DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: eigw, Origin: 'CreateRoute', State: 'active' });
    });

    it('rejects an EIGW target for an IPv4 destination and a bad CIDR with InvalidParameterValue', async () => {
      const ipv4Target = await rejection(clients.ec2.send(new CreateRouteCommand({ RouteTableId: dual.routeTableId, DestinationCidrBlock: '1.2.3.0/24', EgressOnlyInternetGatewayId: dual.eigwId })));
      assert.equal(ipv4Target.name, 'InvalidParameterValue');
      const badCidr = await rejection(clients.ec2.send(new CreateRouteCommand({ RouteTableId: dual.routeTableId, DestinationIpv6CidrBlock: 'nope', EgressOnlyInternetGatewayId: dual.eigwId })));
      assert.equal(badCidr.name, 'InvalidParameterValue');
    });

    it('replaces an existing route and reports InvalidRoute.NotFound for a missing one', async () => {
      await clients.ec2.send(new ReplaceRouteCommand({ RouteTableId: dual.routeTableId, DestinationIpv6CidrBlock: '::/0', NatGatewayId: dual.natId }));
      const table = emulator.state.regions.get(REGION)?.routeTables.find((t) => t.RouteTableId === dual.routeTableId);
      assert.equal(table?.Routes?.find((r) => r.DestinationIpv6CidrBlock === '::/0')?.NatGatewayId, dual.natId);
      const missing = await rejection(clients.ec2.send(new ReplaceRouteCommand({ RouteTableId: natOnly.routeTableId, DestinationIpv6CidrBlock: '::/0', NatGatewayId: natOnly.natId })));
      assert.equal(missing.name, 'InvalidRoute.NotFound');
    });

    it('adds IPv6 egress to a group and rejects the same rule again with InvalidPermission.Duplicate', async () => {
      const ipPermissions = [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Ipv6Ranges: [{ CidrIpv6: '::/0' }] }];
      const added = await clients.ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: ipv4.securityGroupId, IpPermissions: ipPermissions }));
      assert.equal(added.Return, true);
      assert.deepEqual(added.SecurityGroupRules?.map((r) => [r.IsEgress, r.IpProtocol, r.FromPort, r.ToPort, r.CidrIpv6]), [[true, 'tcp', 443, 443, '::/0']]);
      const again = await rejection(clients.ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: ipv4.securityGroupId, IpPermissions: ipPermissions })));
      assert.equal(again.name, 'InvalidPermission.Duplicate');
    });

    it('answers a denied describe with UnauthorizedOperation 403', async () => {
      const error = await rejection(clientsFor(emulator, 'ap-south-1').ec2.send(new DescribeSubnetsCommand({})));
      assert.equal(error.name, 'UnauthorizedOperation');
      assert.equal(error.status, 403);
    });
  });

  it('answers STS GetCallerIdentity with the scenario account', async () => {
    const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, '123456789012');
    assert.equal(identity.Arn, 'arn:aws:iam::123456789012:user/emulator');
  });

  it('rejects a request without a SigV4 Authorization header as MissingAuthenticationToken 403', async () => {
    const lambda = await fetch(`${emulator.url}/2015-03-31/functions`);
    assert.equal(lambda.status, 403);
    assert.equal(lambda.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
    const ec2 = await fetch(emulator.url, { method: 'POST', body: 'Action=DescribeVpcs&Version=2016-11-15', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(ec2.status, 403);
    assert.match(await ec2.text(), /<Code>MissingAuthenticationToken<\/Code>/);
  });

  it('counts requests per operation and region, and reset zeroes them and restores the scenario', async () => {
    await clients.lambda.send(new ListFunctionsCommand({}));
    await clients.ec2.send(new DescribeVpcsCommand({}));
    await clients.ec2.send(new DescribeVpcsCommand({}));
    await clients.ec2.send(new CreateEgressOnlyInternetGatewayCommand({ VpcId: natOnly.vpcId }));
    const stats = (await (await fetch(`${emulator.url}/__emulator/stats`)).json()) as { operations: Record<string, number>; regions: Record<string, Record<string, number>>; total: number; firstRequestAt: number; lastResponseAt: number };
    assert.deepEqual(stats.operations, { ListFunctions: 1, DescribeVpcs: 2, CreateEgressOnlyInternetGateway: 1 });
    assert.deepEqual(stats.regions, { [REGION]: { ListFunctions: 1, DescribeVpcs: 2, CreateEgressOnlyInternetGateway: 1 } });
    assert.ok(stats.lastResponseAt >= stats.firstRequestAt);
    const state = (await (await fetch(`${emulator.url}/__emulator/state`)).json()) as { regions: Record<string, { egressOnlyInternetGateways: unknown[] }> };
    assert.equal(state.regions[REGION].egressOnlyInternetGateways.length, 2);
    await fetch(`${emulator.url}/__emulator/reset`, { method: 'POST' });
    assert.equal(emulator.stats.total, 0);
    assert.equal(emulator.state.regions.get(REGION)?.egressOnlyInternetGateways.length, 1);
  });
});

describe('AWS emulator faults', () => {
  const scenario = () => {
    const b = new ScenarioBuilder();
    b.region(REGION).dualStackVpc();
    b.region(REGION).fn('one');
    return b.build();
  };

  it('throttles at the given rate: Lambda TooManyRequestsException 429, EC2 RequestLimitExceeded 503', async () => {
    const emulator = await startEmulator({ scenario: scenario(), throttleRate: 1 });
    try {
      const { lambda, ec2 } = clientsFor(emulator);
      assert.deepEqual(await rejection(lambda.send(new ListFunctionsCommand({}))), { name: 'TooManyRequestsException', message: 'Rate exceeded', status: 429 });
      assert.deepEqual(await rejection(ec2.send(new DescribeVpcsCommand({}))), { name: 'RequestLimitExceeded', message: 'Request limit exceeded.', status: 503 });
      assert.equal(emulator.stats.throttled, 2);
    } finally {
      await emulator.close();
    }
  });

  it('fails at the given rate: Lambda ServiceException 500, EC2 InternalError 500', async () => {
    const emulator = await startEmulator({ scenario: scenario(), errorRate: 1 });
    try {
      const { lambda, ec2 } = clientsFor(emulator);
      assert.equal((await rejection(lambda.send(new ListFunctionsCommand({})))).status, 500);
      assert.equal((await rejection(lambda.send(new ListFunctionsCommand({})))).name, 'ServiceException');
      assert.equal((await rejection(ec2.send(new DescribeVpcsCommand({})))).name, 'InternalError');
    } finally {
      await emulator.close();
    }
  });

  it('draws the same faults for the same seed', async () => {
    const outcomes = async (seed: number) => {
      const emulator = await startEmulator({ scenario: scenario(), throttleRate: 0.5, seed });
      try {
        const { ec2 } = clientsFor(emulator);
        const results: string[] = [];
        for (let i = 0; i < 12; i++) results.push(await ec2.send(new DescribeVpcsCommand({})).then(() => 'ok', (e: Error) => e.name));
        return results;
      } finally {
        await emulator.close();
      }
    };
    const first = await outcomes(7);
    assert.deepEqual(await outcomes(7), first);
    assert.ok(first.includes('ok') && first.includes('RequestLimitExceeded'));
  });

  it('lets the SDK retry through occasional throttling', async () => {
    const emulator = await startEmulator({ scenario: scenario(), throttleRate: 0.3, seed: 3 });
    try {
      const { ec2 } = clientsFor(emulator, REGION, 5);
      for (let i = 0; i < 4; i++) assert.equal((await ec2.send(new DescribeVpcsCommand({}))).Vpcs?.length, 1);
      assert.ok(emulator.stats.throttled > 0);
    } finally {
      await emulator.close();
    }
  });

  it('adds the configured latency to each request', async () => {
    const emulator = await startEmulator({ scenario: scenario(), latencyMs: 60 });
    try {
      const started = Date.now();
      await clientsFor(emulator).ec2.send(new DescribeVpcsCommand({}));
      assert.ok(Date.now() - started >= 60);
    } finally {
      await emulator.close();
    }
  });
});
