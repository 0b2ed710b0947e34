import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { run } from '../../../src/cli/scan';
import { captureIo } from './captureIo';
import { readAccounts } from '../../../src/core/aws/accounts';
import { ScenarioBuilder } from '../../emulator/scenarios';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { twoAccountProfiles, twoAccounts } from '../../emulator/twoAccounts';

const REGION = 'eu-west-1';

describe('several accounts at once', () => {
  let emulator: RunningEmulator;
  const saved: Record<string, string | undefined> = {};
  let folder: string;

  before(async () => {
    // One endpoint, two accounts: as on AWS, the credentials decide which account a request reaches.
    emulator = await startEmulator(twoAccounts(REGION));
    folder = mkdtempSync(path.join(tmpdir(), 'ipv6-lambda-accounts-'));
    writeFileSync(path.join(folder, 'config'), twoAccountProfiles(REGION, true));
    writeFileSync(path.join(folder, 'credentials'), '');
    const env = { AWS_CONFIG_FILE: path.join(folder, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(folder, 'credentials'), AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_PROFILE: undefined, AWS_REGION: undefined };
    for (const [key, value] of Object.entries(env)) {
      saved[key] = process.env[key];
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
  after(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(folder, { recursive: true, force: true });
    await emulator.close();
  });

  it('reads two profiles of different accounts, each named by its account id and alias, and one that fails alone', async () => {
    emulator.reset();
    const accounts = await readAccounts({ profiles: ['shop', 'finance', 'lost'], regions: [], endpointUrl: emulator.url });
    assert.deepEqual(
      accounts.map((a) => [a.profile, a.accountId, a.alias, a.error === null, a.regions.map((r) => [r.region, [...r.statuses].map(([name, status]) => [name, status.kind])])]),
      [
        ['shop', '111111111111', 'shop-prod', true, [[REGION, [['orders-api', 'ready']]]]],
        ['finance', '222222222222', undefined, true, [[REGION, [['billing', 'ipv4-only'], ['site', 'no-vpc']]]]],
        ['lost', undefined, undefined, false, []],
      ],
    );
    assert.match(accounts[2].error!, /profile lost/);
    assert.equal(emulator.stats.operations.GetCallerIdentity, 2);
    assert.equal(emulator.stats.operations.ListAccountAliases, 2);
  });

  it('names an account by its id alone, silently, when ListAccountAliases is denied', async () => {
    const denied = await startEmulator({ scenario: new ScenarioBuilder('333333333333').alias('hidden').denyGlobal('iam:ListAccountAliases').build() });
    try {
      const [account] = await readAccounts({ profiles: [undefined], regions: [REGION], endpointUrl: denied.url, credentials: { accessKeyId: 'AKIDX', secretAccessKey: 'x' } });
      assert.deepEqual([account.accountId, account.alias, account.error], ['333333333333', undefined, null]);
      assert.equal(denied.stats.operations.ListAccountAliases, 1);
    } finally {
      await denied.close();
    }
  });

  it('scan --profile A --profile B prints a block per account; --sso-session takes the profiles of that session', async () => {
    const io = captureIo();
    assert.equal(await run(['--profile', 'shop', '--profile', 'finance', '--endpoint-url', emulator.url], io), 0);
    const lines = io.stdout.join('').split('\n');
    assert.deepEqual(lines.slice(0, 7), [
      'Account shop-prod 111111111111 (profile shop)',
      `${REGION}: 1 ready`,
      '  orders-api  ready to enable  IPV6L001',
      `  NAT gateway ${lines[3].split(' ')[4]} (1 function): 0.00 GB in 30 days ≈ $0.00 at $0.045/GB — at most what IPv6 can save; IPv4-only destinations keep using it`,
      'Account 222222222222 (profile finance)',
      `${REGION}: 1 IPv4-only · 1 no VPC`,
      '  billing  IPv4-only subnets  IPV6M001',
    ]);
    const json = captureIo();
    assert.equal(await run(['--sso-session', 'company', '--format', 'json', '--endpoint-url', emulator.url], json), 0);
    const report = JSON.parse(json.stdout.join(''));
    assert.deepEqual(report.accounts.map((a: { profile: string; accountId: string; alias: string | null; regions: { functions: unknown[] }[] }) => [a.profile, a.accountId, a.alias, a.regions[0].functions.length]), [
      ['finance', '222222222222', null, 2],
      ['shop', '111111111111', 'shop-prod', 1],
    ]);
  });

  it('--all-profiles scans every profile and exits 0 while one account fails', async () => {
    const io = captureIo();
    assert.equal(await run(['--all-profiles', '--region', REGION, '--endpoint-url', emulator.url], io), 0);
    const text = io.stdout.join('');
    assert.match(text, /^Account 222222222222 \(profile finance\)$/m);
    assert.match(text, /^Account unknown \(profile lost\): could not be read: /m);
    assert.match(text, /^Account shop-prod 111111111111 \(profile shop\)$/m);
  });
});
