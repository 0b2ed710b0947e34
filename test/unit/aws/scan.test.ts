import * as assert from 'node:assert/strict';
import { run } from '../../../src/cli/scan';
import { captureIo } from './captureIo';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { ScenarioBuilder } from '../../emulator/scenarios';

const REGION = 'eu-west-1';

describe('ipv6-lambda scan', () => {
  let emulator: RunningEmulator;
  const saved: Record<string, string | undefined> = {};
  const env = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'emulator-secret', AWS_CONFIG_FILE: '/nonexistent/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials', AWS_PROFILE: undefined };
  let dualSubnets: string[];
  let group: string;
  let vpc: string;
  let nat: string;
  const GIB = 2 ** 30;

  before(async () => {
    for (const [key, value] of Object.entries(env)) {
      saved[key] = process.env[key];
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    const dual = r.dualStackVpc();
    dualSubnets = dual.subnetIds;
    group = dual.securityGroupId;
    vpc = dual.vpcId;
    nat = dual.natId!;
    r.fn('api', { network: dual }).fn('plain').natBytes(nat, 300 * GIB, 100 * GIB);
    b.region('us-east-1').deny('lambda:ListFunctions');
    const denied = b.region('eu-central-1');
    denied.fn('api', { network: denied.dualStackVpc() }).deny('cloudwatch:GetMetricData');
    emulator = await startEmulator({ scenario: b.build() });
  });
  after(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await emulator.close();
  });

  it('prints the documented JSON with findings per function and counts API calls', async () => {
    const io = captureIo();
    const code = await run(['--region', REGION, '--endpoint-url', emulator.url, '--format', 'json'], io);
    assert.equal(code, 0);
    const report = JSON.parse(io.stdout.join(''));
    assert.equal(report.stats.apiCalls, emulator.stats.total);
    assert.equal(report.stats.apiCalls, 5);
    assert.deepEqual(emulator.stats.operations, { ListFunctions: 1, DescribeSubnets: 1, DescribeRouteTables: 1, DescribeSecurityGroups: 1, GetMetricData: 1 });
    assert.equal(typeof report.stats.elapsedMs, 'number');
    assert.deepEqual({ ...report, stats: undefined }, {
      version: 1,
      regions: [
        {
          region: REGION,
          error: null,
          functions: [
            {
              name: 'api',
              arn: `arn:aws:lambda:${REGION}:123456789012:function:api`,
              status: 'ready',
              vpcId: vpc,
              subnetIds: dualSubnets,
              securityGroupIds: [group],
              findings: [{ rule: 'IPV6L001', severity: 'warning', message: report.regions[0].functions[0].findings[0].message }],
            },
            { name: 'plain', arn: `arn:aws:lambda:${REGION}:123456789012:function:plain`, status: 'no-vpc', vpcId: null, subnetIds: [], securityGroupIds: [], findings: [] },
          ],
          natGateways: [{ id: nat, functions: ['api'], bytes: 400 * GIB, gigabytes: 400, dataProcessingUsd: 18 }],
          natNote: null,
        },
      ],
      natPricePerGb: 0.045,
      natWindowDays: 30,
      stats: undefined,
    });
    assert.match(report.regions[0].functions[0].findings[0].message, /api/);
  });

  it('prints a summary line per region and a line per function as text; a failed region does not fail the scan', async () => {
    const io = captureIo();
    const code = await run(['--region', `${REGION},us-east-1`, '--endpoint-url', emulator.url], io);
    assert.equal(code, 0);
    const lines = io.stdout.join('').split('\n');
    assert.deepEqual(lines.slice(0, 5), [
      `${REGION}: 1 ready · 1 no VPC`,
      '  api    ready to enable  IPV6L001',
      '  plain  no VPC',
      `  NAT gateway ${nat} (1 function): 400.0 GB in 30 days ≈ $18.00 at $0.045/GB — at most what IPv6 can save; IPv4-only destinations keep using it`,
      'us-east-1: could not be read: Not allowed to call lambda:ListFunctions in us-east-1: the identity of the default credentials needs the IAM permission lambda:ListFunctions.',
    ]);
    assert.match(lines[5], /^\d+ API calls in \d+ ms$/);
  });

  it('prices the NAT bytes at --nat-price-per-gb, and names the permission when the metrics are denied', async () => {
    const io = captureIo();
    assert.equal(await run(['--region', `${REGION},eu-central-1`, '--endpoint-url', emulator.url, '--format', 'json', '--nat-price-per-gb', '0.05'], io), 0);
    const report = JSON.parse(io.stdout.join(''));
    assert.equal(report.natPricePerGb, 0.05);
    assert.equal(report.regions[0].natGateways[0].dataProcessingUsd, 20);
    assert.deepEqual(report.regions[1].natGateways.map((g: { bytes: unknown; dataProcessingUsd: unknown }) => [g.bytes, g.dataProcessingUsd]), [[null, null]]);
    assert.equal(
      report.regions[1].natNote,
      "The NAT gateways' bytes are not shown: Not allowed to call cloudwatch:GetMetricData in eu-central-1: the identity of the default credentials needs the IAM permission cloudwatch:GetMetricData.",
    );
    assert.equal(report.regions[1].functions[0].status, 'ready');
    const bad = captureIo();
    assert.equal(await run(['--region', REGION, '--endpoint-url', emulator.url, '--nat-price-per-gb', 'cheap'], bad), 2);
  });

  it('exits 2 when no region could be read', async () => {
    const io = captureIo();
    assert.equal(await run(['--region', 'us-east-1', '--endpoint-url', emulator.url, '--format', 'json'], io), 2);
    assert.equal(JSON.parse(io.stdout.join('')).regions[0].functions.length, 0);
  });

  it('exits 2 with a usage message for an unknown format or a missing region', async () => {
    const io = captureIo();
    assert.equal(await run(['--format', 'xml', '--region', REGION], io), 2);
    assert.match(io.stderr.join(''), /--format must be one of text, json, not 'xml'/);
    const noRegion = captureIo();
    assert.equal(await run(['--endpoint-url', emulator.url], noRegion), 2);
    assert.match(noRegion.stderr.join(''), /no region given .*pass --region/);
  });
});
