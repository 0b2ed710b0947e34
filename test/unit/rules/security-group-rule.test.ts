import * as assert from 'node:assert/strict';
import { analyzeParsed } from '../../../src/core/analysis/analyze';
import type { EgressRule, ResourceGraph } from '../../../src/core/model/graph';
import { unknown } from '../../../src/core/model/graph';
import { at, dualStackNetwork, fixSummary, fn, group, ipv4Egress, ipv6Egress, parsedUnit } from './graphs';

function run(graph: ResourceGraph) {
  return analyzeParsed(parsedUnit(graph), { only: ['IPV6S001'] });
}

function network(groups: ResourceGraph['securityGroups'], fnOverrides: Parameters<typeof fn>[1] = {}): ResourceGraph {
  const graph = dualStackNetwork();
  graph.securityGroups = groups;
  graph.functions.push(fn('MyFn', { ipv6Flag: true, vpcConfigLoc: at(21), securityGroupsLoc: at(23), securityGroups: groups.map((g) => g.key), ...fnOverrides }));
  return graph;
}

describe('IPV6S001 security groups without IPv6 egress', () => {
  it('reports at the security-group reference and prefers mirroring the IPv4 egress; the HTTPS variant is offered', () => {
    const [finding, ...rest] = run(network([group('Sg', [ipv4Egress], { loc: at(10) })]));
    assert.equal(rest.length, 0);
    assert.equal(finding.severity, 'warning');
    assert.equal(finding.message, 'Function MyFn allows IPv6 but its security group Sg allows no IPv6 egress: its IPv6 connections are dropped.');
    assert.deepEqual(finding.loc, at(23));
    assert.deepEqual(finding.related, [{ loc: at(10), message: 'Security group Sg has no IPv6 egress' }]);
    assert.deepEqual(fixSummary(finding.fixes), ['*egress(Sg,mirror)', 'egress(Sg,https)']);
    assert.deepEqual(finding.fixes.map((f) => f.title), [
      'Add IPv6 egress to security group Sg mirroring its IPv4 egress',
      'Add IPv6 HTTPS egress (TCP 443 to ::/0) to security group Sg',
    ]);
  });

  it('prefers one fix when several groups lack IPv6 egress: one group allowing it is enough', () => {
    const [finding] = run(network([group('SgA', [ipv4Egress]), group('SgB', [])]));
    assert.equal(finding.message, 'Function MyFn allows IPv6 but its security groups SgA, SgB allow no IPv6 egress: its IPv6 connections are dropped.');
    assert.deepEqual(fixSummary(finding.fixes), ['*egress(SgA,mirror)', 'egress(SgB,mirror)', 'egress(SgA,https)', 'egress(SgB,https)']);
  });

  it('is silent when one of the groups allows IPv6 egress', () => {
    assert.deepEqual(run(network([group('SgA', [ipv4Egress]), group('SgB', [ipv6Egress])])), []);
  });

  it('is silent when a rule targets a prefix list or a security group, or an IPv6 CIDR is unknown', () => {
    const toGroup: EgressRule = { protocol: 'tcp', fromPort: 5432, toPort: 5432, ipv4Cidrs: [], ipv6Cidrs: [], otherTargets: true };
    assert.deepEqual(run(network([group('Sg', [ipv4Egress, toGroup])])), []);
    const unknownCidr: EgressRule = { protocol: '-1', ipv4Cidrs: [], ipv6Cidrs: [unknown('parameter')] };
    assert.deepEqual(run(network([group('Sg', [unknownCidr])])), []);
  });

  it("is silent when a group's egress is unknown (CloudFormation default egress)", () => {
    assert.deepEqual(run(network([group('Sg', unknown('AWS default egress'))])), []);
  });

  it('is silent when a group is not in the graph or the list is unknown', () => {
    assert.deepEqual(run(network([group('Sg', [ipv4Egress])], { securityGroups: ['Sg', 'sg-0abc'] })), []);
    assert.deepEqual(run(network([group('Sg', [ipv4Egress])], { securityGroups: ['Sg', unknown('import')] })), []);
    assert.deepEqual(run(network([group('Sg', [ipv4Egress])], { securityGroups: unknown('parameter') })), []);
  });

  it('is silent when the flag is not true', () => {
    assert.deepEqual(run(network([group('Sg', [ipv4Egress])], { ipv6Flag: undefined })), []);
    assert.deepEqual(run(network([group('Sg', [ipv4Egress])], { ipv6Flag: unknown('parameter') })), []);
  });

  it('reports the group CDK creates for the function', () => {
    const [finding] = run(network([group('MyFn/SecurityGroup', [ipv4Egress], { createdForFunction: 'MyFn' })]));
    assert.match(finding.message, /security group MyFn\/SecurityGroup allows no IPv6 egress/);
  });
});
