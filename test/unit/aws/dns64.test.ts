/** IPV6N004 on a live account: DescribeSubnets' EnableDns64, read through the real SDK client from the emulator. */
import * as assert from 'node:assert/strict';
import { reportRegion } from '../../../src/core/aws/account';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { type Network, ScenarioBuilder } from '../../emulator/scenarios';

const REGION = 'eu-west-1';
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'emulator-secret' };

describe('DNS64 without NAT64 on a live account (IPV6N004)', () => {
  let emulator: RunningEmulator;
  let broken: Network;
  let findings: { rule: string; subject: string; message: string }[];

  before(async () => {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    broken = r.dualStackVpc({ dns64: true, subnets: 1 });
    const translated = r.dualStackVpc({ dns64: true, subnets: 1 });
    r.route(translated.routeTableId, { DestinationIpv6CidrBlock: '64:ff9b::/96', NatGatewayId: translated.natId });
    r.dualStackVpc({ subnets: 1 });
    r.fn('api', { network: broken, ipv6: true });
    emulator = await startEmulator({ scenario: b.build() });
    findings = (await reportRegion(REGION, { endpointUrl: emulator.url, credentials })).findings;
  });
  after(() => emulator.close());

  it('reports the DNS64 subnet whose table has no 64:ff9b::/96 route, naming the subnet and the table', () => {
    const dns64 = findings.filter((finding) => finding.rule === 'IPV6N004');
    assert.deepEqual(
      dns64.map((finding) => [finding.subject, finding.message]),
      [
        [
          broken.subnetIds[0],
          `Subnet ${broken.subnetIds[0]} has DNS64 on, but route table ${broken.routeTableId} has no 64:ff9b::/96 route to a NAT gateway: names that resolve only to IPv4 get 64:ff9b:: addresses, which leave by ::/0 to egress-only internet gateway ${broken.eigwId} and are dropped.`,
        ],
      ],
    );
  });

  it('stays silent for a DNS64 subnet routed to NAT64 and for a subnet without DNS64', () => {
    assert.equal(findings.filter((finding) => finding.rule === 'IPV6N004').length, 1);
  });
});
