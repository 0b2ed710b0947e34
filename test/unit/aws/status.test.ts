import * as assert from 'node:assert/strict';
import { reportRegion } from '../../../src/core/aws/account';
import { STATUS_WORDS, statusSummary } from '../../../src/core/status/status';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { ALL_IPV4_EGRESS, ScenarioBuilder } from '../../emulator/scenarios';

const REGION = 'eu-west-1';
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'emulator-secret' };

describe('function status', () => {
  let emulator: RunningEmulator;
  let statuses: Map<string, { kind: string; reason?: string; findings: { rule: string }[] }>;

  before(async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    const dual = r.dualStackVpc();
    const natOnly = r.natOnlyVpc();
    const ipv4 = r.ipv4OnlyVpc();
    const noIpv6Egress = r.dualStackVpc({ securityGroupEgress: [ALL_IPV4_EGRESS] });
    const natIpv6 = r.dualStackVpc();
    r.route(natIpv6.routeTableId, { DestinationIpv6CidrBlock: '2001:db8::/32', NatGatewayId: natIpv6.natId });
    const native = r.ipv6NativeSubnet(dual);
    r.fn('on', { network: dual, ipv6: true })
      .fn('ready', { network: dual })
      .fn('nat-only', { network: natOnly, ipv6: true })
      .fn('nat-only-off', { network: natOnly })
      .fn('no-egress', { network: noIpv6Egress, ipv6: true })
      .fn('nat-ipv6', { network: natIpv6, ipv6: true })
      .fn('legacy', { network: ipv4 })
      .fn('flag-on-ipv4', { network: ipv4, ipv6: true })
      .fn('native', { subnetIds: [native], securityGroupIds: [dual.securityGroupId] })
      .fn('plain')
      .fn('managed', { CapacityProviderConfig: { LambdaManagedInstancesCapacityProviderConfig: { CapacityProviderArn: `arn:aws:lambda:${REGION}:123456789012:capacity-provider:fleet` } } });
    emulator = await startEmulator({ scenario: b.build() });
    statuses = (await reportRegion(REGION, { endpointUrl: emulator.url, credentials })).statuses;
  });
  after(() => emulator.close());

  const expected: [string, string, string[]][] = [
    ['on', 'enabled', []],
    ['ready', 'ready', ['IPV6L001']],
    ['nat-only', 'enabled-incomplete', ['IPV6N002']],
    ['nat-only-off', 'ready', ['IPV6L001', 'IPV6N002']],
    ['no-egress', 'enabled-incomplete', ['IPV6S001']],
    ['nat-ipv6', 'enabled-incomplete', ['IPV6N001']],
    ['legacy', 'ipv4-only', ['IPV6M001']],
    ['flag-on-ipv4', 'invalid', ['IPV6L002', 'IPV6S001']],
    ['native', 'invalid', ['IPV6L003']],
    ['plain', 'no-vpc', []],
    ['managed', 'managed-instances', []],
  ];
  for (const [name, kind, rules] of expected) {
    it(`classifies ${name} as ${kind}${rules.length ? ` with ${rules.join(', ')}` : ''}`, () => {
      const status = statuses.get(name);
      assert.equal(status?.kind, kind);
      assert.deepEqual(status?.findings.map((f) => f.rule).sort(), rules);
    });
  }

  it('is unknown, with the reason, when the subnets could not be read', async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    r.fn('api', { network: r.dualStackVpc() }).deny('ec2:DescribeSubnets');
    const denied = await startEmulator({ scenario: b.build() });
    try {
      const status = (await reportRegion(REGION, { endpointUrl: denied.url, credentials })).statuses.get('api');
      assert.deepEqual(status, { kind: 'unknown', reason: `Not allowed to call ec2:DescribeSubnets in ${REGION}: the identity of the default credentials needs the IAM permission ec2:DescribeSubnets.`, findings: [] });
    } finally {
      await denied.close();
    }
  });

  it('does not claim IPv6 on when the route tables could not be read', async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    r.fn('api', { network: r.dualStackVpc(), ipv6: true }).deny('ec2:DescribeRouteTables');
    const denied = await startEmulator({ scenario: b.build() });
    try {
      const status = (await reportRegion(REGION, { endpointUrl: denied.url, credentials })).statuses.get('api');
      assert.equal(status?.kind, 'unknown');
      assert.match(status?.reason ?? '', /ec2:DescribeRouteTables/);
    } finally {
      await denied.close();
    }
  });

  it('summarises a region in a fixed order, leaving out zero counts', () => {
    assert.equal(statusSummary(['ipv4-only', 'ready', 'no-vpc', 'enabled', 'ready', 'ipv4-only', 'ipv4-only']), '2 ready · 1 on · 3 IPv4-only · 1 no VPC');
    assert.equal(statusSummary([]), 'no functions');
  });

  it('has words for every status', () => {
    assert.deepEqual(STATUS_WORDS, {
      'enabled': 'IPv6 on',
      'enabled-incomplete': 'IPv6 on, egress incomplete',
      'ready': 'ready to enable',
      'ipv4-only': 'IPv4-only subnets',
      'invalid': 'invalid IPv6 setup',
      'no-vpc': 'no VPC',
      'managed-instances': 'managed instances',
      'unknown': 'unknown',
    });
  });
});
