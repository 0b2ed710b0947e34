import * as assert from 'node:assert/strict';
import { ScenarioBuilder } from '../../emulator/scenarios';
import { formatPlan, planEnable } from '../../../src/core/aws/enable';
import { FAST, REGION, harness, type Harness } from './helpers';

describe('enable: published versions and aliases', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const plan = (names: string[], options: Parameters<typeof planEnable>[1]) => planEnable({ clients: h!.clients, functionNames: names, timing: FAST }, options);

  it('notes that only $LATEST changes when the function has published versions and an alias', async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    const net = r.dualStackVpc();
    r.fn('api', { network: net, versions: ['1', '2'], aliases: [{ Name: 'live', FunctionVersion: '2' }] });
    h = await harness(b.build());

    const p = await plan(['api'], { enable: true });
    const note = 'Only $LATEST changes: published versions 1, 2 and alias live → 2 keep Ipv6AllowedForDualStack false until you publish a new version and move the alias.';
    assert.equal(p.status, 'ready');
    assert.deepEqual(p.functions[0].notes, [note]);
    assert.deepEqual(p.functions[0].warnings, []);
    assert.ok(formatPlan(p).endsWith(`\n\nNotes:\n- api: ${note}`), formatPlan(p));
    assert.deepEqual([h.emulator.stats.operations.ListVersionsByFunction, h.emulator.stats.operations.ListAliases], [1, 1]);
  });

  it('names the setting the versions keep when disabling, and leaves out aliases of $LATEST', async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    const net = r.dualStackVpc();
    r.fn('api', { network: net, ipv6: true, versions: ['3'], aliases: [{ Name: 'dev', FunctionVersion: '$LATEST' }] });
    h = await harness(b.build());

    const p = await plan(['api'], { enable: false });
    assert.deepEqual(p.functions[0].notes, ['Only $LATEST changes: published version 3 keeps Ipv6AllowedForDualStack true until you publish a new version.']);
  });

  it('says the versions keep their own setting when they differ, and that more exist beyond the first page', async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    const net = r.dualStackVpc();
    const dualStack = { SubnetIds: net.subnetIds, SecurityGroupIds: [net.securityGroupId], Ipv6AllowedForDualStack: true };
    const versions = [{ Version: '1', VpcConfig: dualStack }, ...Array.from({ length: 59 }, (_, i) => String(i + 2))];
    r.fn('api', { network: net, versions });
    h = await harness(b.build());

    const p = await plan(['api'], { enable: true });
    const listed = Array.from({ length: 49 }, (_, i) => String(i + 1)).join(', ');
    assert.deepEqual(p.functions[0].notes, [`Only $LATEST changes: published versions ${listed}, … keep their own Ipv6AllowedForDualStack setting until you publish a new version.`]);
    assert.equal(h.emulator.stats.operations.ListVersionsByFunction, 1);
  });

  it('adds no note for a function without published versions or aliases', async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    const net = r.dualStackVpc();
    r.fn('api', { network: net, aliases: [{ Name: 'dev', FunctionVersion: '$LATEST' }] });
    h = await harness(b.build());

    const p = await plan(['api'], { enable: true });
    assert.equal(p.functions[0].notes, undefined);
    assert.doesNotMatch(formatPlan(p), /Notes:/);
  });

  it('plans anyway when the listings are denied, and names the missing permissions', async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    const net = r.dualStackVpc();
    r.fn('api', { network: net, versions: ['1'] });
    r.deny('lambda:ListVersionsByFunction', 'lambda:ListAliases');
    h = await harness(b.build());

    const p = await plan(['api'], { enable: true });
    assert.equal(p.status, 'ready');
    assert.deepEqual(p.steps.map((s) => s.kind), ['update-function']);
    assert.deepEqual(p.functions[0].notes, [
      'Could not check for published versions and aliases (lambda:ListVersionsByFunction and lambda:ListAliases were denied): only $LATEST changes; published versions keep the setting they were published with. Allow lambda:ListVersionsByFunction and lambda:ListAliases to see them.',
    ]);
  });

  it('reports the versions it could read and the one listing that was denied', async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    const net = r.dualStackVpc();
    r.fn('api', { network: net, versions: ['1'] });
    r.deny('lambda:ListAliases');
    h = await harness(b.build());

    const p = await plan(['api'], { enable: true });
    assert.deepEqual(p.functions[0].notes, [
      'Only $LATEST changes: published version 1 keeps Ipv6AllowedForDualStack false until you publish a new version.',
      'Could not check for aliases (lambda:ListAliases was denied): only $LATEST changes; published versions keep the setting they were published with. Allow lambda:ListAliases to see them.',
    ]);
  });

  it('does not list versions of a function it refuses', async () => {
    const b = new ScenarioBuilder();
    b.region(REGION).fn('outside', { versions: ['1'] });
    h = await harness(b.build());

    const p = await plan(['outside'], { enable: true });
    assert.equal(p.functions[0].status, 'refused');
    assert.equal(p.functions[0].notes, undefined);
    assert.equal(h.emulator.stats.operations.ListVersionsByFunction, undefined);
  });
});
