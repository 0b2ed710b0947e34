import * as assert from 'node:assert/strict';
import { analyzeParsed } from '../../../src/core/analysis/analyze';
import type { ResourceGraph } from '../../../src/core/model/graph';
import { unknown } from '../../../src/core/model/graph';
import type { RuleId } from '../../../src/core/model/findings';
import { noFixes } from '../../../src/core/model/fixes';
import { at, dualStackNetwork, fixSummary, fn, parsedUnit, subnet } from './graphs';

function run(rule: RuleId, graph: ResourceGraph) {
  return analyzeParsed(parsedUnit(graph), { only: [rule] });
}

function withFunction(overrides: Parameters<typeof fn>[1], graph = dualStackNetwork()): ResourceGraph {
  graph.functions.push(fn('MyFn', { loc: at(20), vpcConfigLoc: at(21), flagLoc: at(22), securityGroupsLoc: at(23), ...overrides }));
  return graph;
}

describe('IPV6L001 function in dual-stack subnets without the flag', () => {
  it('reports a function whose subnets are all dual-stack and whose flag is absent, at its VPC config', () => {
    const [finding, ...rest] = run('IPV6L001', withFunction({ ipv6Flag: undefined, flagLoc: undefined }));
    assert.equal(rest.length, 0);
    assert.equal(finding.rule, 'IPV6L001');
    assert.equal(finding.severity, 'warning');
    assert.equal(
      finding.message,
      'Function MyFn is in dual-stack subnets SubnetA, SubnetB but Ipv6AllowedForDualStack is not set: it cannot reach IPv6 destinations.',
    );
    assert.deepEqual(finding.loc, at(21));
    assert.equal(finding.subject, 'MyFn');
    assert.deepEqual(finding.related.map((r) => [r.loc.range.start.line, r.message]), [
      [2, 'Dual-stack subnet SubnetA'],
      [3, 'Dual-stack subnet SubnetB'],
    ]);
    assert.deepEqual(fixSummary(finding.fixes), ['*setFlag(MyFn,true)']);
    assert.equal(finding.fixes[0].title, 'Set Ipv6AllowedForDualStack to true on MyFn');
  });

  it('reports a flag set to false', () => {
    const [finding] = run('IPV6L001', withFunction({ ipv6Flag: false }));
    assert.match(finding.message, /Ipv6AllowedForDualStack is false:/);
  });

  it('falls back to the function location when the VPC config has none', () => {
    const [finding] = run('IPV6L001', withFunction({ vpcConfigLoc: undefined }));
    assert.deepEqual(finding.loc, at(20));
  });

  it('is silent when the flag is true', () => {
    assert.deepEqual(run('IPV6L001', withFunction({ ipv6Flag: true })), []);
  });

  it('is silent when the flag is unknown', () => {
    assert.deepEqual(run('IPV6L001', withFunction({ ipv6Flag: unknown('parameter EnableIpv6') })), []);
  });

  it('is silent when one subnet is IPv4-only', () => {
    const graph = dualStackNetwork();
    graph.subnets[1] = subnet('SubnetB', { ipv6: false });
    assert.deepEqual(run('IPV6L001', withFunction({}, graph)), []);
  });

  it('is silent when one subnet is unknown', () => {
    assert.deepEqual(run('IPV6L001', withFunction({ subnets: ['SubnetA', unknown('parameter SubnetB')] })), []);
    assert.deepEqual(run('IPV6L001', withFunction({ subnets: unknown('parameter SubnetIds') })), []);
  });

  it('is silent when a subnet is not defined in the analysed files', () => {
    assert.deepEqual(run('IPV6L001', withFunction({ subnets: ['SubnetA', 'subnet-0abc'] })), []);
  });

  it("is silent when a subnet's IPv6 CIDR is unknown", () => {
    const graph = dualStackNetwork();
    graph.subnets[0] = subnet('SubnetA', { ipv6: unknown('variable') });
    assert.deepEqual(run('IPV6L001', withFunction({}, graph)), []);
  });

  it('is silent for a function outside a VPC and for one with no subnets', () => {
    assert.deepEqual(run('IPV6L001', withFunction({ hasVpcConfig: false, subnets: [] })), []);
    assert.deepEqual(run('IPV6L001', withFunction({ subnets: [] })), []);
  });

  it('does not look at routes', () => {
    const graph = dualStackNetwork();
    graph.routes = [];
    assert.equal(run('IPV6L001', withFunction({}, graph)).length, 1);
  });

  it('reports live functions without a location and without fixes', () => {
    const graph = withFunction({ loc: undefined, vpcConfigLoc: undefined, flagLoc: undefined });
    const [finding] = analyzeParsed({ ...parsedUnit(graph), fixes: noFixes }, { only: ['IPV6L001'] });
    assert.equal(finding.loc, undefined);
    assert.deepEqual(finding.fixes, []);
  });
});

describe('IPV6L002 flag true with a subnet lacking IPv6', () => {
  it('reports at the flag, names the IPv4-only subnets and offers no preferred fix', () => {
    const graph = dualStackNetwork();
    graph.subnets[1] = subnet('SubnetB', { ipv6: false, loc: at(3) });
    const [finding, ...rest] = run('IPV6L002', withFunction({ ipv6Flag: true }, graph));
    assert.equal(rest.length, 0);
    assert.equal(finding.severity, 'error');
    assert.equal(finding.message, 'Function MyFn sets Ipv6AllowedForDualStack to true but subnet SubnetB has no IPv6 CIDR block: AWS rejects this configuration.');
    assert.deepEqual(finding.loc, at(22));
    assert.deepEqual(finding.related.map((r) => r.message), ['Subnet SubnetB has no IPv6 CIDR block']);
    assert.deepEqual(fixSummary(finding.fixes), ['setFlag(MyFn,false)', 'dualStack(SubnetB)']);
  });

  it('fires when one known subnet lacks IPv6 even though another is unknown', () => {
    const graph = dualStackNetwork();
    graph.subnets[1] = subnet('SubnetB', { ipv6: false });
    assert.equal(run('IPV6L002', withFunction({ ipv6Flag: true, subnets: [unknown('parameter'), 'SubnetB'] }, graph)).length, 1);
  });

  it('offers to make the VPC dual-stack when the subnet cannot be changed on its own (CDK)', () => {
    const graph = dualStackNetwork();
    graph.subnets = [subnet('SubnetA', { ipv6: false }), subnet('SubnetB', { ipv6: false })];
    const fixes = { ...parsedUnit(graph).fixes };
    const base = fixes.makeDualStack;
    fixes.makeDualStack = (key) => (key === 'Vpc' ? base(key) : undefined);
    graph.functions.push(fn('MyFn', { ipv6Flag: true, flagLoc: at(22) }));
    const [finding] = analyzeParsed(parsedUnit(graph, fixes), { only: ['IPV6L002'] });
    assert.equal(finding.message, 'Function MyFn sets Ipv6AllowedForDualStack to true but subnets SubnetA, SubnetB have no IPv6 CIDR block: AWS rejects this configuration.');
    assert.deepEqual(fixSummary(finding.fixes), ['setFlag(MyFn,false)', 'dualStack(Vpc)']);
    assert.equal(finding.fixes[1].title, 'Make VPC Vpc dual-stack');
  });

  it('is silent when the flag is not true or the subnet IPv6 is unknown', () => {
    const graph = dualStackNetwork();
    graph.subnets[1] = subnet('SubnetB', { ipv6: false });
    assert.deepEqual(run('IPV6L002', withFunction({ ipv6Flag: undefined }, graph)), []);
    assert.deepEqual(run('IPV6L002', withFunction({ ipv6Flag: unknown('parameter') }, graph)), []);
    const unknownIpv6 = dualStackNetwork();
    unknownIpv6.subnets[1] = subnet('SubnetB', { ipv6: unknown('variable') });
    assert.deepEqual(run('IPV6L002', withFunction({ ipv6Flag: true }, unknownIpv6)), []);
  });
});

describe('IPV6L003 function in an IPv6-only subnet', () => {
  it('reports at the VPC config and offers to set the flag false when it is true', () => {
    const graph = dualStackNetwork();
    graph.subnets[0] = subnet('SubnetA', { ipv4: false, ipv6Native: true, loc: at(2) });
    const [finding, ...rest] = run('IPV6L003', withFunction({ ipv6Flag: true }, graph));
    assert.equal(rest.length, 0);
    assert.equal(finding.severity, 'error');
    assert.equal(finding.message, 'Function MyFn is attached to IPv6-only subnet SubnetA: Lambda supports only dual-stack or IPv4 subnets.');
    assert.deepEqual(finding.loc, at(21));
    assert.deepEqual(finding.related.map((r) => r.message), ['IPv6-only subnet SubnetA']);
    assert.deepEqual(fixSummary(finding.fixes), ['setFlag(MyFn,false)']);
  });

  it('fires without the flag too, with no fix to offer', () => {
    const graph = dualStackNetwork();
    graph.subnets[0] = subnet('SubnetA', { ipv6Native: true });
    const [finding] = run('IPV6L003', withFunction({ ipv6Flag: undefined }, graph));
    assert.deepEqual(finding.fixes, []);
  });

  it('is silent when IPv6-native is unknown', () => {
    const graph = dualStackNetwork();
    graph.subnets[0] = subnet('SubnetA', { ipv6Native: unknown('variable') });
    assert.deepEqual(run('IPV6L003', withFunction({ ipv6Flag: true }, graph)), []);
  });
});

describe('IPV6L004 flag true without subnets', () => {
  it('reports a flag on a function without VPC config and prefers removing it', () => {
    const [finding, ...rest] = run('IPV6L004', withFunction({ hasVpcConfig: false, subnets: [], securityGroups: [], ipv6Flag: true }));
    assert.equal(rest.length, 0);
    assert.equal(finding.severity, 'error');
    assert.equal(finding.message, 'Function MyFn sets Ipv6AllowedForDualStack to true but is not attached to any subnet: AWS rejects the flag without subnets.');
    assert.deepEqual(finding.loc, at(22));
    assert.deepEqual(fixSummary(finding.fixes), ['*removeFlag(MyFn)']);
  });

  it('reports an empty subnet list', () => {
    assert.equal(run('IPV6L004', withFunction({ subnets: [], ipv6Flag: true })).length, 1);
  });

  it('is silent when the subnets or the VPC config are unknown, or the flag is not true', () => {
    assert.deepEqual(run('IPV6L004', withFunction({ subnets: unknown('parameter'), ipv6Flag: true })), []);
    assert.deepEqual(run('IPV6L004', withFunction({ hasVpcConfig: unknown('condition'), subnets: [], ipv6Flag: true })), []);
    assert.deepEqual(run('IPV6L004', withFunction({ hasVpcConfig: false, subnets: [], ipv6Flag: false })), []);
    assert.deepEqual(run('IPV6L004', withFunction({ ipv6Flag: true })), []);
  });
});
