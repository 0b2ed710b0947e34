import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isUnknown } from '../../../src/core/model/graph';
import type { ParsedUnit } from '../../../src/core/model/source';
import { isSuppressed } from '../../../src/core/model/suppress';
import { parseCdkPython } from '../../../src/core/parse/cdkPython';
import { applyFix, lines } from './helpers';

const file = 'stack.py';
const parse = (text: string): Promise<ParsedUnit> => parseCdkPython({ path: file, text });
const at = (line: number, start: number, endLine: number, end: number) => ({
  file,
  range: { start: { line, character: start }, end: { line: endLine, character: end } },
});
const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../../fixtures/cdk', name), 'utf8');

async function reparsed(text: string): Promise<ParsedUnit> {
  const unit = await parse(text);
  assert.deepEqual(unit.skipped, []);
  return unit;
}

const header = lines('from aws_cdk import aws_ec2 as ec2, aws_lambda as _lambda');

describe('CDK Python: imports', () => {
  it('recognises `from aws_cdk import aws_lambda as _lambda` and `import aws_cdk.aws_lambda as lambda_`', async () => {
    const unit = await parse(
      lines(
        'from aws_cdk import aws_ec2 as ec2, aws_lambda as _lambda',
        'import aws_cdk.aws_lambda as lambda_',
        'vpc = ec2.Vpc(self, "Vpc", ip_protocol=ec2.IpProtocol.DUAL_STACK)',
        '_lambda.Function(self, "A", vpc=vpc)',
        'lambda_.DockerImageFunction(self, "B", vpc=vpc)',
      ),
    );
    assert.deepEqual(unit.graph.functions.map((f) => [f.key, f.subnets]), [['A', ['Vpc/subnets']], ['B', ['Vpc/subnets']]]);
    assert.deepEqual(unit.graph.vpcs.map((v) => v.ipv6), [true]);
  });

  it('recognises imported classes with aliases, unaliased module paths and the alpha PythonFunction', async () => {
    const unit = await parse(
      lines(
        'import aws_cdk',
        'import aws_cdk.aws_ec2',
        'from aws_cdk.aws_lambda import Function as Fn',
        'from aws_cdk.aws_lambda_python_alpha import PythonFunction',
        'vpc = aws_cdk.aws_ec2.Vpc(self, "Vpc", ip_protocol=aws_cdk.aws_ec2.IpProtocol.DUAL_STACK)',
        'Fn(self, "A", vpc=vpc)',
        'PythonFunction(self, "B", entry="src")',
        'aws_cdk.aws_lambda.Function(self, "C")',
      ),
    );
    assert.deepEqual(unit.graph.vpcs.map((v) => v.ipv6), [true]);
    assert.deepEqual(unit.graph.functions.map((f) => [f.key, f.hasVpcConfig]), [['A', true], ['B', false], ['C', false]]);
  });

  it('ignores constructs of the same name that do not come from aws_cdk', async () => {
    const unit = await parse(lines('from my_lib import Function, Vpc', 'Vpc(self, "Vpc")', 'Function(self, "Fn")'));
    assert.deepEqual([unit.graph.functions, unit.graph.vpcs], [[], []]);
  });
});

describe('CDK Python: graph', () => {
  it('reads the dual-stack fixture with exact ranges', async () => {
    const { graph } = await parse(fixture('dual-stack.py'));
    const vpcLoc = at(7, 19, 7, 26);
    assert.deepEqual(graph.vpcs, [{ kind: 'vpc', key: 'Vpc', name: 'Vpc', loc: vpcLoc, ipv6: true }]);
    assert.deepEqual(graph.subnets.map((s) => [s.key, s.ipv6, s.loc]), [['Vpc/subnets', true, vpcLoc]]);
    assert.deepEqual(graph.gateways.map((g) => [g.kind, g.key]), [
      ['nat', 'Vpc/NatGateway'],
      ['eigw', 'Vpc/EgressOnlyInternetGateway'],
    ]);
    assert.deepEqual(graph.routes.map((r) => [r.destination, r.target]), [
      ['0.0.0.0/0', { kind: 'nat', gateway: 'Vpc/NatGateway' }],
      ['::/0', { kind: 'eigw', gateway: 'Vpc/EgressOnlyInternetGateway' }],
    ]);
    assert.deepEqual(graph.functions, [
      {
        kind: 'function',
        key: 'Handler',
        name: 'Handler',
        loc: at(9, 8, 9, 24),
        hasVpcConfig: true,
        ipv6Flag: undefined,
        flagLoc: undefined,
        vpcConfigLoc: at(15, 12, 15, 15),
        subnets: ['Vpc/subnets'],
        securityGroups: ['Handler/SecurityGroup'],
        securityGroupsLoc: at(15, 12, 15, 15),
      },
    ]);
    assert.deepEqual(graph.securityGroups.map((g) => [g.key, g.createdForFunction, g.egress]), [
      ['Handler/SecurityGroup', 'Handler', [{ loc: at(9, 8, 9, 24), protocol: '-1', ipv4Cidrs: ['0.0.0.0/0'], ipv6Cidrs: [] }]],
    ]);
  });

  it('reads the NAT-only fixture: an IPv4-only VPC and the flag as a keyword argument', async () => {
    const { graph } = await parse(fixture('nat-only.py'));
    assert.deepEqual(graph.subnets.map((s) => s.ipv6), [false]);
    // CDK's default private subnets send 0.0.0.0/0 to its NAT gateway; no IPv6 route exists.
    assert.deepEqual(graph.routes.map((r) => [r.destination, r.target]), [['0.0.0.0/0', { kind: 'nat', gateway: 'Vpc/NatGateway' }]]);
    assert.deepEqual(graph.functions.map((f) => [f.ipv6Flag, f.flagLoc]), [[true, at(17, 12, 17, 44)]]);
  });

  it('reads security groups with snake_case props and add_egress_rule calls', async () => {
    const { graph } = await parse(
      header +
        lines(
          'sg = ec2.SecurityGroup(self, "Sg", vpc=vpc, allow_all_outbound=False, allow_all_ipv6_outbound=True)',
          'sg.add_egress_rule(ec2.Peer.any_ipv4(), ec2.Port.all_tcp())',
          '_lambda.Function(self, "Fn", vpc=vpc, security_groups=[sg], allow_all_outbound=False)',
        ),
    );
    assert.deepEqual(graph.securityGroups, [
      {
        kind: 'securityGroup',
        key: 'Sg',
        name: 'Sg',
        loc: at(1, 5, 1, 22),
        vpc: { unknown: true, why: 'vpc is not defined in this file' },
        egress: [
          { loc: at(1, 70, 1, 98), protocol: '-1', ipv4Cidrs: [], ipv6Cidrs: ['::/0'] },
          { loc: at(2, 0, 2, 59), protocol: 'tcp', fromPort: 0, toPort: 65535, ipv4Cidrs: ['0.0.0.0/0'], ipv6Cidrs: [] },
        ],
      },
    ]);
    assert.deepEqual(graph.functions.map((f) => [f.securityGroups, f.securityGroupsLoc]), [[['Sg'], at(3, 38, 3, 53)]]);
  });

  it('resolves self attributes and leaves parameters, **kwargs and lookups unknown', async () => {
    const { graph } = await parse(
      header +
        lines(
          'class S(Stack):',
          '    def __init__(self, scope, id, vpc, **kwargs):',
          '        self.vpc = ec2.Vpc(self, "Vpc", ip_protocol=ec2.IpProtocol.DUAL_STACK)',
          '        _lambda.Function(self, "Own", vpc=self.vpc)',
          '        _lambda.Function(self, "Param", vpc=vpc)',
          '        _lambda.Function(self, "Kwargs", **kwargs)',
          '        _lambda.Function(self, "Lookup", vpc=ec2.Vpc.from_lookup(self, "L", is_default=True))',
        ),
    );
    const byKey = new Map(graph.functions.map((f) => [f.key, f]));
    assert.deepEqual(byKey.get('Own')?.subnets, ['Vpc/subnets']);
    assert.deepEqual(byKey.get('Param')?.subnets, { unknown: true, why: 'vpc is a parameter or is not assigned here' });
    assert.deepEqual(byKey.get('Kwargs')?.hasVpcConfig, { unknown: true, why: 'vpc may be set by spread props' });
    assert.deepEqual(byKey.get('Lookup')?.subnets, { unknown: true, why: 'the result of aws_ec2.Vpc.fromLookup is not known before deployment' });
  });

  it('leaves an ip_protocol that is not written as ec2.IpProtocol.X unknown', async () => {
    const { graph } = await parse(header + 'ec2.Vpc(self, "Vpc", ip_protocol=PROTOCOL)\n');
    assert.equal(isUnknown(graph.vpcs[0].ipv6), true);
  });

  it('counts columns in UTF-16 code units', async () => {
    const { graph } = await parse(header + 'note = "😀é"; fn = _lambda.Function(self, "Fn", vpc=v)\n');
    assert.deepEqual(graph.functions[0].loc, at(1, 19, 1, 35));
    assert.deepEqual(graph.functions[0].vpcConfigLoc, at(1, 48, 1, 51));
  });

  it('skips a file with a syntax error and says where it is', async () => {
    const unit = await parse(header + lines('def broken(:', '    pass'));
    assert.deepEqual(unit.skipped, [{ file, reason: 'syntax error at line 2, column 12; fix it to get findings for this file' }]);
  });

  it('reads # suppression comments', async () => {
    const unit = await parse(header + lines('# ipv6-lambda-disable-next-line IPV6L001', '_lambda.Function(self, "Fn")', '# ipv6-lambda-disable IPV6S001'));
    const suppressions = unit.suppressions.get(file);
    assert.equal(isSuppressed('IPV6L001', 2, suppressions), true);
    assert.equal(isSuppressed('IPV6S001', 0, suppressions), true);
  });
});

describe('CDK Python: fixes', () => {
  it('inserts the flag and allow_all_ipv6_outbound after vpc in a multi-line call', async () => {
    const text = fixture('dual-stack.py');
    const unit = await parse(text);
    const fixed = applyFix(text, unit.fixes.setFlag(unit.graph.functions[0], true));
    assert.equal(
      fixed,
      text.replace('            vpc=self.vpc,\n', '            vpc=self.vpc,\n            ipv6_allowed_for_dual_stack=True,\n            allow_all_ipv6_outbound=True,\n'),
    );
    assert.deepEqual((await reparsed(fixed)).graph.functions.map((f) => f.ipv6Flag), [true]);
  });

  it('adds a comma to the last argument when the closing parenthesis has its own line', async () => {
    const text = header + lines('_lambda.Function(', '    self, "Fn",', '    vpc=vpc', ')');
    const unit = await parse(text);
    const fixed = applyFix(text, unit.fixes.setFlag(unit.graph.functions[0], true));
    assert.equal(fixed, header + lines('_lambda.Function(', '    self, "Fn",', '    vpc=vpc,', '    ipv6_allowed_for_dual_stack=True,', '    allow_all_ipv6_outbound=True', ')'));
    await reparsed(fixed);
  });

  it('inserts into a one-line call, and only the flag beside security_groups', async () => {
    const text = header + lines('_lambda.Function(self, "A", vpc=vpc, handler="h")', '_lambda.Function(self, "B", vpc=vpc, security_groups=[sg])');
    const unit = await parse(text);
    const [a, b] = unit.graph.functions;
    assert.equal(
      applyFix(text, unit.fixes.setFlag(a, true)),
      text.replace('"A", vpc=vpc,', '"A", vpc=vpc, ipv6_allowed_for_dual_stack=True, allow_all_ipv6_outbound=True,'),
    );
    assert.equal(applyFix(text, unit.fixes.setFlag(b, true)), text.replace('"B", vpc=vpc,', '"B", vpc=vpc, ipv6_allowed_for_dual_stack=True,'));
  });

  it('sets the flag false, and removes it with its line', async () => {
    const text = fixture('nat-only.py');
    const unit = await parse(text);
    const fn = unit.graph.functions[0];
    assert.equal(applyFix(text, unit.fixes.setFlag(fn, false)), text.replace('ipv6_allowed_for_dual_stack=True', 'ipv6_allowed_for_dual_stack=False'));
    const removed = applyFix(text, unit.fixes.removeFlag(fn));
    assert.equal(removed, text.replace('            ipv6_allowed_for_dual_stack=True,\n', ''));
    await reparsed(removed);
  });

  it('removes the last keyword argument of a one-line call with its comma', async () => {
    const text = header + '_lambda.Function(self, "Fn", ipv6_allowed_for_dual_stack=True)\n';
    const unit = await parse(text);
    assert.equal(applyFix(text, unit.fixes.removeFlag(unit.graph.functions[0])), header + '_lambda.Function(self, "Fn")\n');
  });

  it('adds allow_all_ipv6_outbound to the created group, and to a SecurityGroup or an add_egress_rule for 443', async () => {
    const text = header + lines(
      'class S(Stack):',
      '    def __init__(self, scope, id):',
      '        self.sg = ec2.SecurityGroup(self, "Sg", vpc=vpc)',
      '        fn = _lambda.Function(self, "Fn", vpc=vpc)',
    );
    const unit = await parse(text);
    const [sg, created] = unit.graph.securityGroups;
    assert.equal(applyFix(text, unit.fixes.addIpv6Egress(created, 'mirror')), text.replace('"Fn", vpc=vpc)', '"Fn", vpc=vpc, allow_all_ipv6_outbound=True)'));
    assert.equal(applyFix(text, unit.fixes.addIpv6Egress(sg, 'mirror')), text.replace('"Sg", vpc=vpc)', '"Sg", vpc=vpc, allow_all_ipv6_outbound=True)'));
    const https = applyFix(text, unit.fixes.addIpv6Egress(sg, 'https'));
    assert.equal(
      https,
      text.replace('"Sg", vpc=vpc)\n', '"Sg", vpc=vpc)\n        self.sg.add_egress_rule(ec2.Peer.any_ipv6(), ec2.Port.tcp(443))\n'),
    );
    const after = await reparsed(https);
    assert.deepEqual(after.graph.securityGroups[0].egress, [
      { loc: at(3, 18, 3, 35), protocol: '-1', ipv4Cidrs: ['0.0.0.0/0'], ipv6Cidrs: [] },
      { loc: at(4, 8, 4, 71), protocol: 'tcp', fromPort: 443, toPort: 443, ipv4Cidrs: [], ipv6Cidrs: ['::/0'] },
    ]);
  });

  it('makes a VPC dual-stack with ip_protocol, replacing IPV4_ONLY', async () => {
    const text = header + lines('a = ec2.Vpc(self, "A")', 'b = ec2.Vpc(', '    self,', '    "B",', '    ip_protocol=ec2.IpProtocol.IPV4_ONLY,', ')');
    const unit = await parse(text);
    const a = applyFix(text, unit.fixes.makeDualStack('A'));
    assert.equal(a, text.replace('"A")', '"A", ip_protocol=ec2.IpProtocol.DUAL_STACK)'));
    assert.equal(applyFix(text, unit.fixes.makeDualStack('B')), text.replace('IPV4_ONLY', 'DUAL_STACK'));
    assert.deepEqual((await reparsed(a)).graph.vpcs.map((v) => v.ipv6), [true, false]);
  });
});
