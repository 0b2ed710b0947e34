import * as assert from 'node:assert/strict';
import { analyzeParsed } from '../../../src/core/analysis/analyze';
import type { ResourceGraph } from '../../../src/core/model/graph';
import { unknown } from '../../../src/core/model/graph';
import type { RuleId } from '../../../src/core/model/findings';
import { at, dualStackNetwork, fixSummary, parsedUnit, route, subnet, table } from './graphs';

function run(rule: RuleId, graph: ResourceGraph) {
  return analyzeParsed(parsedUnit(graph), { only: [rule] });
}

/** The dual-stack network with its `::/0` route replaced. */
function withIpv6Route(destination: string, target: ResourceGraph['routes'][number]['target']): ResourceGraph {
  const graph = dualStackNetwork();
  graph.routes[1] = route('V6Route', 'Private', destination, target, { loc: at(9) });
  return graph;
}

describe('IPV6N001 IPv6 route to a NAT gateway', () => {
  it('reports ::/0 to a NAT gateway at the route and prefers retargeting it to the EIGW', () => {
    const [finding, ...rest] = run('IPV6N001', withIpv6Route('::/0', { kind: 'nat', gateway: 'Nat' }));
    assert.equal(rest.length, 0);
    assert.equal(finding.severity, 'error');
    assert.equal(
      finding.message,
      'Route V6Route (::/0 in route table Private) sends IPv6 traffic to NAT gateway Nat, which only serves NAT64 (64:ff9b::/96): use an egress-only internet gateway.',
    );
    assert.deepEqual(finding.loc, at(9));
    assert.equal(finding.subject, 'V6Route');
    assert.deepEqual(finding.related, [{ loc: at(4), message: 'The NAT gateway' }]);
    assert.deepEqual(fixSummary(finding.fixes), ['*retarget(V6Route,Vpc)']);
    assert.deepEqual(finding.fixes[0].creates, ['eigw:Vpc']);
  });

  it('reports other IPv6 prefixes too', () => {
    assert.equal(run('IPV6N001', withIpv6Route('2001:db8::/32', { kind: 'nat' })).length, 1);
  });

  it('does not report the NAT64 prefix 64:ff9b::/96 however it is spelled', () => {
    assert.deepEqual(run('IPV6N001', withIpv6Route('64:ff9b::/96', { kind: 'nat', gateway: 'Nat' })), []);
    assert.deepEqual(run('IPV6N001', withIpv6Route('64:FF9B:0:0:0:0::/96', { kind: 'nat', gateway: 'Nat' })), []);
  });

  it('does not report IPv4 routes or IPv6 routes to other targets', () => {
    const graph = dualStackNetwork();
    assert.deepEqual(run('IPV6N001', graph), []);
    assert.deepEqual(run('IPV6N001', withIpv6Route('::/0', { kind: 'igw' })), []);
  });

  it('is silent when the destination or the target is unknown', () => {
    assert.deepEqual(run('IPV6N001', withIpv6Route(unknown('parameter') as unknown as string, { kind: 'nat' })), []);
    const graph = dualStackNetwork();
    graph.routes[1] = route('V6Route', 'Private', '::/0', unknown('parameter'));
    assert.deepEqual(run('IPV6N001', graph), []);
  });

  it('finds the VPC through the gateway when the table is not in the graph, and offers no fix without a VPC', () => {
    const graph = withIpv6Route('::/0', { kind: 'nat', gateway: 'Nat' });
    graph.routes[1].table = 'rtb-elsewhere';
    const [finding] = run('IPV6N001', graph);
    assert.equal(finding.message, 'Route V6Route (::/0) sends IPv6 traffic to NAT gateway Nat, which only serves NAT64 (64:ff9b::/96): use an egress-only internet gateway.');
    assert.deepEqual(fixSummary(finding.fixes), ['*retarget(V6Route,Vpc)']);
    graph.routes[1].target = { kind: 'nat' };
    const [withoutVpc] = run('IPV6N001', graph);
    assert.match(withoutVpc.message, /to a NAT gateway,/);
    assert.deepEqual(withoutVpc.fixes, []);
  });
});

describe('IPV6N002 dual-stack subnets behind NAT without ::/0', () => {
  function natOnly(): ResourceGraph {
    const graph = dualStackNetwork();
    graph.routes.splice(1, 1);
    return graph;
  }

  it('reports the route table and prefers adding ::/0 to the EIGW', () => {
    const [finding, ...rest] = run('IPV6N002', natOnly());
    assert.equal(rest.length, 0);
    assert.equal(finding.severity, 'warning');
    assert.equal(
      finding.message,
      'Route table Private sends 0.0.0.0/0 to NAT gateway Nat but has no ::/0 route: IPv6 traffic from dual-stack subnets SubnetA, SubnetB has no way out.',
    );
    assert.deepEqual(finding.loc, at(7));
    assert.equal(finding.subject, 'Private');
    assert.deepEqual(finding.related.map((r) => [r.loc.range.start.line, r.message]), [
      [8, 'The IPv4 default route to the NAT gateway'],
      [2, 'Dual-stack subnet SubnetA'],
      [3, 'Dual-stack subnet SubnetB'],
    ]);
    assert.deepEqual(fixSummary(finding.fixes), ['*addRoute(Private,Vpc)']);
    assert.deepEqual(finding.fixes[0].creates, ['eigw:Vpc']);
  });

  it('is silent when the table has a ::/0 route, whatever its target', () => {
    assert.deepEqual(run('IPV6N002', dualStackNetwork()), []);
    assert.deepEqual(run('IPV6N002', withIpv6Route('::/0', { kind: 'nat' })), []);
  });

  it('is silent when a route destination of the table is unknown', () => {
    const graph = natOnly();
    graph.routes.push(route('Mystery', 'Private', unknown('parameter'), { kind: 'eigw' }));
    assert.deepEqual(run('IPV6N002', graph), []);
  });

  it('is silent when a ::/0 route sits on a table the files do not define', () => {
    const graph = natOnly();
    graph.routes.push(route('Elsewhere', 'rtb-imported', '::/0', { kind: 'eigw' }));
    assert.deepEqual(run('IPV6N002', graph), []);
  });

  it('is silent for IPv4-only subnets and for public tables', () => {
    const ipv4 = natOnly();
    ipv4.subnets = [subnet('SubnetA', { ipv6: false }), subnet('SubnetB', { ipv6: false })];
    assert.deepEqual(run('IPV6N002', ipv4), []);
    const publicTable = natOnly();
    publicTable.routes[0] = route('NatRoute', 'Private', '0.0.0.0/0', { kind: 'igw' });
    assert.deepEqual(run('IPV6N002', publicTable), []);
  });

  it("uses the VPC's main table for subnets without an explicit association", () => {
    const graph = natOnly();
    graph.associations = [];
    graph.routeTables[0] = table('Private', { main: true, loc: at(7) });
    assert.equal(run('IPV6N002', graph).length, 1);
  });

  it('is silent when no association or main table ties a dual-stack subnet to the table', () => {
    const graph = natOnly();
    graph.associations = [];
    assert.deepEqual(run('IPV6N002', graph), []);
  });

  it('does not fall back to the main table when an association has an unknown subnet', () => {
    const graph = natOnly();
    graph.associations = [{ key: 'Assoc', subnet: unknown('parameter'), table: 'Other' }];
    graph.routeTables[0] = table('Private', { main: true });
    assert.deepEqual(run('IPV6N002', graph), []);
  });
});

describe('IPV6N003 private table sends ::/0 to an internet gateway', () => {
  it('reports the ::/0 route and prefers retargeting it to the EIGW', () => {
    const [finding, ...rest] = run('IPV6N003', withIpv6Route('::/0', { kind: 'igw', gateway: 'Igw' }));
    assert.equal(rest.length, 0);
    assert.equal(finding.severity, 'warning');
    assert.equal(
      finding.message,
      'Route table Private is private (0.0.0.0/0 goes to NAT gateway Nat) but sends ::/0 to internet gateway Igw: the internet can reach its subnets over IPv6; use an egress-only internet gateway.',
    );
    assert.deepEqual(finding.loc, at(9));
    assert.equal(finding.subject, 'V6Route');
    assert.deepEqual(finding.related.map((r) => r.message), ['The IPv4 default route to the NAT gateway', 'The internet gateway']);
    assert.deepEqual(fixSummary(finding.fixes), ['*retarget(V6Route,Vpc)']);
  });

  it('is silent for a public table (0.0.0.0/0 to the internet gateway)', () => {
    const graph = withIpv6Route('::/0', { kind: 'igw', gateway: 'Igw' });
    graph.routes[0] = route('NatRoute', 'Private', '0.0.0.0/0', { kind: 'igw', gateway: 'Igw' });
    assert.deepEqual(run('IPV6N003', graph), []);
  });

  it('is silent when the IPv4 default target is unknown', () => {
    const graph = withIpv6Route('::/0', { kind: 'igw', gateway: 'Igw' });
    graph.routes[0] = route('NatRoute', 'Private', '0.0.0.0/0', unknown('parameter'));
    assert.deepEqual(run('IPV6N003', graph), []);
  });
});
