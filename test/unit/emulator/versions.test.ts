import * as assert from 'node:assert/strict';
import { LambdaClient, ListAliasesCommand, ListVersionsByFunctionCommand, UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import type { Scenario } from '../../emulator/scenario';
import { ScenarioBuilder } from '../../emulator/scenarios';
import { startEmulator, type RunningEmulator } from '../../emulator/server';

const REGION = 'eu-west-1';
const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function';

describe('AWS emulator: published versions and aliases', () => {
  let emulator: RunningEmulator;
  let lambda: LambdaClient;

  before(async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    const net = r.dualStackVpc();
    r.fn('api', { network: net, versions: ['1', '2'], aliases: [{ Name: 'live', FunctionVersion: '2' }, { Name: 'canary', FunctionVersion: '1', Description: 'ten percent' }] });
    r.fn('plain', { network: net });
    r.fn('locked', { network: net, versions: ['1'] });
    r.deny('lambda:ListAliases');
    b.region('us-east-1').fn('many', { versions: Array.from({ length: 60 }, (_, i) => String(i + 1)) });
    emulator = await startEmulator({ scenario: b.build(), updateDelayMs: 10 });
    lambda = new LambdaClient({ endpoint: emulator.url, region: REGION, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'emulator-secret' }, maxAttempts: 1 });
  });

  after(() => emulator.close());

  it('lists $LATEST first, then the published versions, each with its own ARN', async () => {
    const out = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'api' }));
    assert.deepEqual(
      out.Versions?.map((v) => [v.Version, v.FunctionArn]),
      [
        ['$LATEST', `${ARN}:api`],
        ['1', `${ARN}:api:1`],
        ['2', `${ARN}:api:2`],
      ],
    );
    assert.equal(out.NextMarker, undefined);
    assert.deepEqual(out.Versions?.[1].VpcConfig, out.Versions?.[0].VpcConfig);
  });

  it('lists only $LATEST for a function that never published a version', async () => {
    const out = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: `${ARN}:plain` }));
    assert.deepEqual(out.Versions?.map((v) => v.Version), ['$LATEST']);
  });

  it('pages versions with MaxItems and NextMarker, at most 50 a page', async () => {
    const east = new LambdaClient({ endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'emulator-secret' }, maxAttempts: 1 });
    const first = await east.send(new ListVersionsByFunctionCommand({ FunctionName: 'many' }));
    assert.equal(first.Versions?.length, 50);
    const rest = await east.send(new ListVersionsByFunctionCommand({ FunctionName: 'many', Marker: first.NextMarker }));
    assert.deepEqual(rest.Versions?.map((v) => v.Version), Array.from({ length: 11 }, (_, i) => String(i + 50)));
    assert.equal(rest.NextMarker, undefined);
    const two = await east.send(new ListVersionsByFunctionCommand({ FunctionName: 'many', MaxItems: 2 }));
    assert.deepEqual(two.Versions?.map((v) => v.Version), ['$LATEST', '1']);
    assert.ok(two.NextMarker);
  });

  it('answers an unknown function with ResourceNotFoundException 404', async () => {
    await assert.rejects(lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'missing' })), (e: Error & { $metadata: { httpStatusCode: number } }) => {
      assert.equal(e.name, 'ResourceNotFoundException');
      assert.equal(e.$metadata.httpStatusCode, 404);
      return true;
    });
  });

  it('answers ListAliases denied by the scenario with AccessDeniedException 403 naming lambda:ListAliases', async () => {
    await assert.rejects(lambda.send(new ListAliasesCommand({ FunctionName: 'api' })), (e: Error & { $metadata: { httpStatusCode: number } }) => {
      assert.equal(e.name, 'AccessDeniedException');
      assert.equal(e.$metadata.httpStatusCode, 403);
      assert.match(e.message, /not authorized to perform: lambda:ListAliases/);
      return true;
    });
  });

  describe('ListAliases allowed', () => {
    before(() => emulator.state.regions.get(REGION)!.deny.clear());
    after(() => emulator.reset());

    it('lists aliases with ARN, target version, description and revision', async () => {
      const out = await lambda.send(new ListAliasesCommand({ FunctionName: 'api' }));
      assert.deepEqual(
        out.Aliases?.map(({ AliasArn, Name, FunctionVersion, Description }) => ({ AliasArn, Name, FunctionVersion, Description })),
        [
          { AliasArn: `${ARN}:api:live`, Name: 'live', FunctionVersion: '2', Description: '' },
          { AliasArn: `${ARN}:api:canary`, Name: 'canary', FunctionVersion: '1', Description: 'ten percent' },
        ],
      );
      assert.ok(out.Aliases?.every((a) => typeof a.RevisionId === 'string' && a.RevisionId.length > 0));
      assert.equal(out.NextMarker, undefined);
    });

    it('filters aliases by FunctionVersion and pages them with MaxItems', async () => {
      const toOne = await lambda.send(new ListAliasesCommand({ FunctionName: 'api', FunctionVersion: '1' }));
      assert.deepEqual(toOne.Aliases?.map((a) => a.Name), ['canary']);
      const first = await lambda.send(new ListAliasesCommand({ FunctionName: 'api', MaxItems: 1 }));
      const second = await lambda.send(new ListAliasesCommand({ FunctionName: 'api', MaxItems: 1, Marker: first.NextMarker }));
      assert.deepEqual([first.Aliases?.map((a) => a.Name), second.Aliases?.map((a) => a.Name), second.NextMarker], [['live'], ['canary'], undefined]);
    });

    it('lists no aliases for a function without any', async () => {
      const out = await lambda.send(new ListAliasesCommand({ FunctionName: 'plain' }));
      assert.deepEqual(out.Aliases, []);
    });
  });

  it('keeps published versions unchanged when $LATEST is updated, and the state document round-trips them', async () => {
    const before = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'locked' }));
    await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'locked', VpcConfig: { ...before.Versions![0].VpcConfig, Ipv6AllowedForDualStack: true } }),
    );
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 10, minDelay: 0.02 }, { FunctionName: 'locked' });
    const after = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'locked' }));
    assert.deepEqual(after.Versions?.map((v) => [v.Version, v.VpcConfig?.Ipv6AllowedForDualStack]), [['$LATEST', true], ['1', false]]);

    const state = (await (await fetch(`${emulator.url}/__emulator/state`)).json()) as Scenario;
    const reloaded = await startEmulator({ scenario: state });
    try {
      const client = new LambdaClient({ endpoint: reloaded.url, region: REGION, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'emulator-secret' }, maxAttempts: 1 });
      for (const name of ['api', 'locked']) {
        assert.deepEqual((await client.send(new ListVersionsByFunctionCommand({ FunctionName: name }))).Versions, (await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }))).Versions);
      }
      reloaded.state.regions.get(REGION)!.deny.clear();
      emulator.state.regions.get(REGION)!.deny.clear();
      assert.deepEqual((await client.send(new ListAliasesCommand({ FunctionName: 'api' }))).Aliases, (await lambda.send(new ListAliasesCommand({ FunctionName: 'api' }))).Aliases);
      assert.equal(state.regions[REGION].functions?.find((f) => f.FunctionName === 'plain')?.versions, undefined);
    } finally {
      await reloaded.close();
      emulator.reset();
    }
  });
});
