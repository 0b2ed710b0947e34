import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isUnknown } from '../../../src/core/model/graph';
import type { ParsedUnit } from '../../../src/core/model/source';
import { isSuppressed } from '../../../src/core/model/suppress';
import { parseCdkTypescript } from '../../../src/core/parse/cdkTypescript';
import { applyFix, lines } from './helpers';

const file = 'stack.ts';
const parse = (text: string, name = file): Promise<ParsedUnit> => parseCdkTypescript({ path: name, text });
const range = (line: number, start: number, endLine: number, end: number) => ({ start: { line, character: start }, end: { line: endLine, character: end } });
const at = (line: number, start: number, endLine: number, end: number) => ({ file, range: range(line, start, endLine, end) });
const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../../fixtures/cdk', name), 'utf8');

/** A fix must leave a file that still parses and is still understood. */
async function reparsed(text: string): Promise<ParsedUnit> {
  const unit = await parse(text);
  assert.deepEqual(unit.skipped, []);
  return unit;
}

const header = lines(
  "import * as ec2 from 'aws-cdk-lib/aws-ec2';",
  "import * as lambda from 'aws-cdk-lib/aws-lambda';",
);

describe('CDK TypeScript: imports', () => {
  it('recognises namespace imports of aws-cdk-lib submodules', async () => {
    const unit = await parse(header + "const vpc = new ec2.Vpc(this, 'Vpc');\nnew lambda.Function(this, 'Fn', { vpc });\n");
    assert.deepEqual(unit.graph.vpcs.map((v) => v.key), ['Vpc']);
    assert.deepEqual(unit.graph.functions.map((f) => [f.key, f.subnets]), [['Fn', ['Vpc/subnets']]]);
  });

  it('recognises aliased named imports such as Function as LambdaFunction', async () => {
    const unit = await parse(
      lines(
        "import { Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';",
        "import { Vpc, IpProtocol } from 'aws-cdk-lib/aws-ec2';",
        "const vpc = new Vpc(this, 'Vpc', { ipProtocol: IpProtocol.DUAL_STACK });",
        "new LambdaFunction(this, 'Fn', { vpc, runtime: Runtime.NODEJS_22_X });",
      ),
    );
    assert.deepEqual(unit.graph.vpcs.map((v) => [v.key, v.ipv6]), [['Vpc', true]]);
    assert.deepEqual(unit.graph.functions.map((f) => f.loc), [at(3, 4, 3, 18)]);
  });

  it('recognises submodules imported from the aws-cdk-lib root and the root namespace itself', async () => {
    const unit = await parse(
      lines(
        "import * as cdk from 'aws-cdk-lib';",
        "import { aws_lambda as lambda, aws_ec2 as ec2 } from 'aws-cdk-lib';",
        "const vpc = new cdk.aws_ec2.Vpc(this, 'Vpc', { ipProtocol: ec2.IpProtocol.DUAL_STACK });",
        "new lambda.Function(this, 'A', { vpc });",
        "new cdk.aws_lambda.DockerImageFunction(this, 'B', { vpc });",
      ),
    );
    assert.deepEqual(unit.graph.vpcs.map((v) => [v.key, v.ipv6]), [['Vpc', true]]);
    assert.deepEqual(unit.graph.functions.map((f) => [f.key, f.subnets]), [['A', ['Vpc/subnets']], ['B', ['Vpc/subnets']]]);
  });

  it('recognises NodejsFunction and the alpha PythonFunction', async () => {
    const unit = await parse(
      lines(
        "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';",
        "import { PythonFunction as PyFn } from '@aws-cdk/aws-lambda-python-alpha';",
        "new NodejsFunction(this, 'Node', { entry: 'a.ts' });",
        "new PyFn(this, 'Py', { entry: 'src' });",
      ),
    );
    assert.deepEqual(unit.graph.functions.map((f) => f.key), ['Node', 'Py']);
  });

  it('ignores constructs of the same name that do not come from aws-cdk-lib', async () => {
    const unit = await parse(lines("import { Function, Vpc } from './my-constructs';", "new Vpc(this, 'Vpc');", "new Function(this, 'Fn', {});"));
    assert.deepEqual(unit.graph.functions, []);
    assert.deepEqual(unit.graph.vpcs, []);
  });
});

describe('CDK TypeScript: graph', () => {
  it('gives a dual-stack VPC its subnets, egress-only gateway and ::/0 route, and the function its created security group', async () => {
    const unit = await parse(fixture('dual-stack.ts'), file);
    const vpcLoc = at(9, 20, 9, 27);
    const { graph } = unit;
    assert.deepEqual(graph.vpcs, [{ kind: 'vpc', key: 'Vpc', name: 'Vpc', loc: vpcLoc, ipv6: true }]);
    assert.deepEqual(graph.subnets, [
      { kind: 'subnet', key: 'Vpc/subnets', name: 'Vpc subnets', loc: vpcLoc, vpc: 'Vpc', ipv4: true, ipv6: true, ipv6Native: false },
    ]);
    assert.deepEqual(graph.gateways, [
      { kind: 'nat', key: 'Vpc/NatGateway', name: 'Vpc NAT gateway', loc: vpcLoc, vpc: 'Vpc' },
      { kind: 'eigw', key: 'Vpc/EgressOnlyInternetGateway', name: 'Vpc egress-only internet gateway', loc: vpcLoc, vpc: 'Vpc' },
    ]);
    assert.deepEqual(graph.routeTables, [{ kind: 'routeTable', key: 'Vpc/RouteTables', name: 'Vpc route tables', loc: vpcLoc, vpc: 'Vpc', main: false }]);
    assert.deepEqual(graph.routes, [
      { key: 'Vpc/RouteTables/Ipv4Default', loc: vpcLoc, table: 'Vpc/RouteTables', destination: '0.0.0.0/0', target: { kind: 'nat', gateway: 'Vpc/NatGateway' } },
      { key: 'Vpc/RouteTables/Ipv6Default', loc: vpcLoc, table: 'Vpc/RouteTables', destination: '::/0', target: { kind: 'eigw', gateway: 'Vpc/EgressOnlyInternetGateway' } },
    ]);
    assert.deepEqual(graph.associations, [{ key: 'Vpc/subnets/RouteTables', loc: vpcLoc, subnet: 'Vpc/subnets', table: 'Vpc/RouteTables' }]);
    assert.deepEqual(graph.functions, [
      {
        kind: 'function',
        key: 'Handler',
        name: 'Handler',
        loc: at(11, 8, 11, 22),
        hasVpcConfig: true,
        ipv6Flag: undefined,
        flagLoc: undefined,
        vpcConfigLoc: at(15, 6, 15, 9),
        subnets: ['Vpc/subnets'],
        securityGroups: ['Handler/SecurityGroup'],
        securityGroupsLoc: at(15, 6, 15, 9),
      },
    ]);
    assert.deepEqual(graph.securityGroups, [
      {
        kind: 'securityGroup',
        key: 'Handler/SecurityGroup',
        name: 'Handler security group',
        loc: at(11, 8, 11, 22),
        vpc: 'Vpc',
        egress: [{ loc: at(11, 8, 11, 22), protocol: '-1', ipv4Cidrs: ['0.0.0.0/0'], ipv6Cidrs: [] }],
        createdForFunction: 'Handler',
      },
    ]);
  });

  it('treats a Vpc without ipProtocol as IPv4-only: its default private subnets send 0.0.0.0/0 to a NAT gateway, no IPv6 route', async () => {
    const { graph } = await parse(fixture('nat-only.ts'), file);
    assert.deepEqual(graph.subnets.map((s) => [s.key, s.ipv4, s.ipv6]), [['Vpc/subnets', true, false]]);
    assert.deepEqual(graph.gateways.map((g) => [g.kind, g.key]), [['nat', 'Vpc/NatGateway']]);
    assert.deepEqual(graph.routes.map((r) => [r.table, r.destination, r.target]), [['Vpc/RouteTables', '0.0.0.0/0', { kind: 'nat', gateway: 'Vpc/NatGateway' }]]);
    assert.deepEqual(graph.associations.map((a) => [a.subnet, a.table]), [['Vpc/subnets', 'Vpc/RouteTables']]);
    assert.deepEqual(
      graph.functions.map((f) => [f.ipv6Flag, f.flagLoc]),
      [[true, at(15, 6, 15, 35)]],
    );
  });

  it('reports a function without vpc as having no VPC config, located at its callee', async () => {
    const { graph } = await parse(header + "new lambda.Function(this, 'Fn', { ipv6AllowedForDualStack: true });\n");
    assert.deepEqual(graph.functions.map((f) => [f.hasVpcConfig, f.subnets, f.securityGroups, f.vpcConfigLoc, f.flagLoc]), [
      [false, [], [], at(2, 4, 2, 19), at(2, 34, 2, 63)],
    ]);
    assert.deepEqual(graph.securityGroups, []);
  });

  it('gives the created security group IPv6 egress only with allowAllIpv6Outbound, and no IPv4 egress with allowAllOutbound false', async () => {
    const { graph } = await parse(
      header +
        lines(
          "const vpc = new ec2.Vpc(this, 'Vpc');",
          "new lambda.Function(this, 'A', { vpc, allowAllIpv6Outbound: true });",
          "new lambda.Function(this, 'B', { vpc, allowAllOutbound: false });",
        ),
    );
    assert.deepEqual(graph.securityGroups.map((g) => [g.key, g.egress]), [
      [
        'A/SecurityGroup',
        [
          { loc: at(3, 4, 3, 19), protocol: '-1', ipv4Cidrs: ['0.0.0.0/0'], ipv6Cidrs: [] },
          { loc: at(3, 38, 3, 64), protocol: '-1', ipv4Cidrs: [], ipv6Cidrs: ['::/0'] },
        ],
      ],
      ['B/SecurityGroup', []],
    ]);
  });

  it('reads a security group construct with its allow-all props and addEgressRule calls', async () => {
    const { graph } = await parse(
      header +
        lines(
          "const vpc = new ec2.Vpc(this, 'Vpc', { ipProtocol: ec2.IpProtocol.DUAL_STACK });",
          "const sg = new ec2.SecurityGroup(this, 'Sg', { vpc, allowAllOutbound: false });",
          'sg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));',
          "sg.addEgressRule(ec2.Peer.ipv6('2001:DB8::/32'), ec2.Port.tcpRange(80, 81));",
          'sg.addIngressRule(ec2.Peer.anyIpv6(), ec2.Port.allTraffic());',
          "new lambda.Function(this, 'Fn', { vpc, securityGroups: [sg] });",
        ),
    );
    assert.deepEqual(graph.securityGroups, [
      {
        kind: 'securityGroup',
        key: 'Sg',
        name: 'Sg',
        loc: at(3, 15, 3, 32),
        vpc: 'Vpc',
        egress: [
          { loc: at(4, 0, 4, 55), protocol: 'tcp', fromPort: 443, toPort: 443, ipv4Cidrs: ['0.0.0.0/0'], ipv6Cidrs: [] },
          { loc: at(5, 0, 5, 75), protocol: 'tcp', fromPort: 80, toPort: 81, ipv4Cidrs: [], ipv6Cidrs: ['2001:db8::/32'] },
        ],
      },
    ]);
    assert.deepEqual(graph.functions.map((f) => [f.securityGroups, f.securityGroupsLoc]), [[['Sg'], at(7, 39, 7, 53)]]);
  });

  it('makes a security group egress unknown when its variable is used in ways that may add rules', async () => {
    const { graph } = await parse(
      header +
        lines(
          "const sg = new ec2.SecurityGroup(this, 'Sg', { vpc: ec2.Vpc.fromLookup(this, 'V', {}) });",
          'sg.connections.allowToAnyIpv4(ec2.Port.tcp(443));',
        ),
    );
    assert.deepEqual(graph.securityGroups.map((g) => [g.vpc, g.egress]), [
      [
        { unknown: true, why: 'the result of aws_ec2.Vpc.fromLookup is not known before deployment' },
        { unknown: true, why: 'sg is used on line 4 in a way that may add egress rules' },
      ],
    ]);
  });

  it('makes the created security group egress unknown when the function connections are used', async () => {
    const { graph } = await parse(
      header +
        lines(
          "const vpc = new ec2.Vpc(this, 'Vpc');",
          "this.fn = new lambda.Function(this, 'Fn', { vpc });",
          'this.fn.connections.allowTo(ec2.Peer.anyIpv6(), ec2.Port.tcp(443));',
        ),
    );
    assert.equal(isUnknown(graph.securityGroups[0].egress), true);
  });

  it('resolves this.vpc assigned in the constructor of a class that declares the field', async () => {
    const { graph } = await parse(
      header +
        lines(
          'class Network {',
          '  readonly vpc: ec2.Vpc;',
          '  constructor() {',
          "    this.vpc = new ec2.Vpc(this, 'Main', { ipProtocol: ec2.IpProtocol.DUAL_STACK });",
          "    new lambda.Function(this, 'Fn', { vpc: this.vpc });",
          '  }',
          '}',
        ),
    );
    assert.deepEqual(graph.functions.map((f) => f.subnets), [['Main/subnets']]);
  });

  it('leaves values from parameters, lookups, other files and repeated assignments unknown', async () => {
    const { graph } = await parse(
      header +
        lines(
          "import { sharedVpc } from './network';",
          'function make(scope: Construct, vpc: ec2.IVpc, props: lambda.FunctionProps) {',
          "  new lambda.Function(scope, 'FromParameter', { vpc });",
          "  new lambda.Function(scope, 'FromProps', props);",
          "  new lambda.Function(scope, 'FromSpread', { ...props, vpc: sharedVpc });",
          '}',
          "let twice = new ec2.Vpc(this, 'One');",
          "twice = new ec2.Vpc(this, 'Two');",
          "new lambda.Function(this, 'Twice', { vpc: twice });",
          "new lambda.Function(this, 'Lookup', { vpc: ec2.Vpc.fromLookup(this, 'L', { isDefault: true }), securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(this, 'S', 'sg-1')] });",
        ),
    );
    const byKey = new Map(graph.functions.map((f) => [f.key, f]));
    assert.deepEqual(byKey.get('FromParameter')?.subnets, { unknown: true, why: 'vpc is a parameter or is not assigned here' });
    assert.deepEqual(byKey.get('FromProps')?.hasVpcConfig, { unknown: true, why: 'vpc may be set by props built elsewhere' });
    assert.deepEqual(byKey.get('FromProps')?.ipv6Flag, { unknown: true, why: 'ipv6AllowedForDualStack may be set by props built elsewhere' });
    assert.deepEqual(byKey.get('FromSpread')?.subnets, { unknown: true, why: 'sharedVpc is not defined in this file' });
    assert.deepEqual(byKey.get('FromSpread')?.ipv6Flag, { unknown: true, why: 'ipv6AllowedForDualStack may be set by spread props' });
    assert.deepEqual(byKey.get('Twice')?.subnets, { unknown: true, why: 'twice is assigned in more than one place' });
    assert.deepEqual(byKey.get('Lookup')?.subnets, { unknown: true, why: 'the result of aws_ec2.Vpc.fromLookup is not known before deployment' });
    assert.deepEqual(byKey.get('Lookup')?.securityGroups, [
      { unknown: true, why: 'the result of aws_ec2.SecurityGroup.fromSecurityGroupId is not known before deployment' },
    ]);
  });

  it('leaves a flag or ipProtocol that is not a literal unknown', async () => {
    const { graph } = await parse(
      header +
        lines(
          "const vpc = new ec2.Vpc(this, 'Vpc', { ipProtocol: protocol });",
          "new lambda.Function(this, 'Fn', { vpc, ipv6AllowedForDualStack: enabled });",
        ),
    );
    assert.equal(isUnknown(graph.vpcs[0].ipv6), true);
    assert.equal(isUnknown(graph.subnets[0].ipv6), true);
    // No egress-only gateway is assumed; the NAT gateway is CDK's default.
    assert.deepEqual(graph.gateways.map((g) => g.kind), ['nat']);
    assert.deepEqual(graph.functions[0].ipv6Flag, { unknown: true, why: 'ipv6AllowedForDualStack is not a literal true or false' });
  });

  it('counts columns in UTF-16 code units', async () => {
    const { graph } = await parse(header + "const note = 'héllo 😀'; new lambda.Function(this, 'Fn', { vpc: v });\n");
    // 'héllo 😀' is 10 UTF-16 units with its quotes (the emoji takes two).
    assert.deepEqual(graph.functions[0].loc, at(2, 29, 2, 44));
    assert.deepEqual(graph.functions[0].vpcConfigLoc, at(2, 59, 2, 62));
  });

  it('skips a file with a syntax error and says where it is', async () => {
    const unit = await parse(header + "new lambda.Function(this, 'Fn', { vpc, });\nconst = ;\n");
    assert.deepEqual(unit.skipped, [{ file, reason: 'syntax error at line 4, column 1; fix it to get findings for this file' }]);
    assert.deepEqual(unit.graph.functions, []);
  });

  it('parses .tsx files with the TSX grammar', async () => {
    const unit = await parse(header + "const el = <div/>;\nnew lambda.Function(this, 'Fn', {});\n", 'stack.tsx');
    assert.deepEqual(unit.skipped, []);
    assert.deepEqual(unit.graph.functions.map((f) => f.key), ['Fn']);
  });

  it('reads suppression comments of both comment styles', async () => {
    const unit = await parse(
      header +
        lines(
          '/* ipv6-lambda-disable IPV6S001 */',
          '// ipv6-lambda-disable-next-line IPV6L001',
          "new lambda.Function(this, 'Fn', {});",
        ),
    );
    const suppressions = unit.suppressions.get(file);
    assert.equal(isSuppressed('IPV6S001', 0, suppressions), true);
    assert.equal(isSuppressed('IPV6L001', 4, suppressions), true);
    assert.equal(isSuppressed('IPV6L001', 5, suppressions), false);
  });
});

describe('CDK TypeScript: fixes', () => {
  it('inserts the flag and allowAllIpv6Outbound after vpc in a multi-line props object', async () => {
    const text = fixture('dual-stack.ts');
    const unit = await parse(text);
    const fixed = applyFix(text, unit.fixes.setFlag(unit.graph.functions[0], true));
    assert.equal(
      fixed,
      text.replace('      vpc,\n', '      vpc,\n      ipv6AllowedForDualStack: true,\n      allowAllIpv6Outbound: true,\n'),
    );
    const after = await reparsed(fixed);
    assert.deepEqual(after.graph.functions.map((f) => f.ipv6Flag), [true]);
    assert.deepEqual(after.graph.securityGroups[0].egress, [
      { loc: at(11, 8, 11, 22), protocol: '-1', ipv4Cidrs: ['0.0.0.0/0'], ipv6Cidrs: [] },
      { loc: at(17, 6, 17, 32), protocol: '-1', ipv4Cidrs: [], ipv6Cidrs: ['::/0'] },
    ]);
  });

  it('keeps a multi-line list without trailing comma without one', async () => {
    const text = header + lines("new lambda.Function(this, 'Fn', {", '  runtime,', '  vpc', '});');
    const unit = await parse(text);
    assert.equal(
      applyFix(text, unit.fixes.setFlag(unit.graph.functions[0], true)),
      header + lines("new lambda.Function(this, 'Fn', {", '  runtime,', '  vpc,', '  ipv6AllowedForDualStack: true,', '  allowAllIpv6Outbound: true', '});'),
    );
  });

  it('keeps a comment at the end of the vpc line on that line', async () => {
    const text = header + lines("new lambda.Function(this, 'Fn', {", '  vpc, // shared', '  runtime,', '});');
    const unit = await parse(text);
    assert.equal(
      applyFix(text, unit.fixes.setFlag(unit.graph.functions[0], true)),
      header + lines("new lambda.Function(this, 'Fn', {", '  vpc, // shared', '  ipv6AllowedForDualStack: true,', '  allowAllIpv6Outbound: true,', '  runtime,', '});'),
    );
  });

  it('keeps Windows line endings', async () => {
    const text = header.replace(/\n/g, '\r\n') + "new lambda.Function(this, 'Fn', {\r\n  vpc,\r\n});\r\n";
    const unit = await parse(text);
    assert.equal(
      applyFix(text, unit.fixes.setFlag(unit.graph.functions[0], true)),
      text.replace('  vpc,\r\n', '  vpc,\r\n  ipv6AllowedForDualStack: true,\r\n  allowAllIpv6Outbound: true,\r\n'),
    );
  });

  it('inserts into a one-line props object, and only the flag when securityGroups are given', async () => {
    const text = header + lines("new lambda.Function(this, 'A', { vpc, runtime });", "new lambda.Function(this, 'B', { vpc, securityGroups: [sg] });");
    const unit = await parse(text);
    const [a, b] = unit.graph.functions;
    assert.equal(
      applyFix(text, unit.fixes.setFlag(a, true)),
      header + lines("new lambda.Function(this, 'A', { vpc, ipv6AllowedForDualStack: true, allowAllIpv6Outbound: true, runtime });", "new lambda.Function(this, 'B', { vpc, securityGroups: [sg] });"),
    );
    assert.equal(
      applyFix(text, unit.fixes.setFlag(b, true)),
      header + lines("new lambda.Function(this, 'A', { vpc, runtime });", "new lambda.Function(this, 'B', { vpc, ipv6AllowedForDualStack: true, securityGroups: [sg] });"),
    );
  });

  it('changes written values instead of adding props twice', async () => {
    const text = header + lines("new lambda.Function(this, 'Fn', { vpc, ipv6AllowedForDualStack: false, allowAllIpv6Outbound: false });");
    const unit = await parse(text);
    const fn = unit.graph.functions[0];
    assert.equal(
      applyFix(text, unit.fixes.setFlag(fn, true)),
      header + lines("new lambda.Function(this, 'Fn', { vpc, ipv6AllowedForDualStack: true, allowAllIpv6Outbound: true });"),
    );
    assert.equal(unit.fixes.setFlag(fn, false), undefined);
  });

  it('sets the flag false where it is true', async () => {
    const text = fixture('nat-only.ts');
    const unit = await parse(text);
    const fixed = applyFix(text, unit.fixes.setFlag(unit.graph.functions[0], false));
    assert.equal(fixed, text.replace('ipv6AllowedForDualStack: true', 'ipv6AllowedForDualStack: false'));
    await reparsed(fixed);
  });

  it('removes the flag line from a multi-line object, and the pair from one-line objects', async () => {
    const multi = fixture('nat-only.ts');
    let unit = await parse(multi);
    assert.equal(applyFix(multi, unit.fixes.removeFlag(unit.graph.functions[0])), multi.replace('      ipv6AllowedForDualStack: true,\n', ''));

    const oneLine = header + lines(
      "new lambda.Function(this, 'A', { ipv6AllowedForDualStack: true, runtime });",
      "new lambda.Function(this, 'B', { runtime, ipv6AllowedForDualStack: true });",
      "new lambda.Function(this, 'C', { ipv6AllowedForDualStack: true });",
    );
    unit = await parse(oneLine);
    const [a, b, c] = unit.graph.functions;
    assert.equal(applyFix(oneLine, unit.fixes.removeFlag(a)), oneLine.replace('{ ipv6AllowedForDualStack: true, runtime }', '{ runtime }'));
    assert.equal(applyFix(oneLine, unit.fixes.removeFlag(b)), oneLine.replace('{ runtime, ipv6AllowedForDualStack: true }', '{ runtime }'));
    assert.equal(applyFix(oneLine, unit.fixes.removeFlag(c)), oneLine.replace("'C', { ipv6AllowedForDualStack: true }", "'C', {}"));
  });

  it('removes the last prop of a multi-line object without leaving a dangling comma', async () => {
    const text = header + lines("new lambda.Function(this, 'Fn', {", '  runtime,', '  ipv6AllowedForDualStack: true', '});');
    const unit = await parse(text);
    assert.equal(applyFix(text, unit.fixes.removeFlag(unit.graph.functions[0])), header + lines("new lambda.Function(this, 'Fn', {", '  runtime', '});'));
  });

  it('adds IPv6 egress to the created group with allowAllIpv6Outbound, and has no 443-only variant for it', async () => {
    const text = fixture('nat-only.ts');
    const unit = await parse(text);
    const group = unit.graph.securityGroups[0];
    assert.equal(applyFix(text, unit.fixes.addIpv6Egress(group, 'mirror')), text.replace('      vpc,\n', '      vpc,\n      allowAllIpv6Outbound: true,\n'));
    assert.equal(unit.fixes.addIpv6Egress(group, 'https'), undefined);
  });

  it('adds IPv6 egress to a security group construct: allowAllIpv6Outbound, or an addEgressRule for 443', async () => {
    const text = header + lines(
      'function build() {',
      "  const sg = new ec2.SecurityGroup(this, 'Sg', {",
      '    vpc,',
      '    allowAllOutbound: true,',
      '  });',
      '}',
    );
    const unit = await parse(text);
    const group = unit.graph.securityGroups[0];
    assert.equal(applyFix(text, unit.fixes.addIpv6Egress(group, 'mirror')), text.replace('    allowAllOutbound: true,\n', '    allowAllOutbound: true,\n    allowAllIpv6Outbound: true,\n'));
    const https = applyFix(text, unit.fixes.addIpv6Egress(group, 'https'));
    assert.equal(https, text.replace('  });\n', '  });\n  sg.addEgressRule(ec2.Peer.anyIpv6(), ec2.Port.tcp(443));\n'));
    const after = await reparsed(https);
    assert.deepEqual(after.graph.securityGroups[0].egress, [
      { loc: at(5, 4, 5, 26), protocol: '-1', ipv4Cidrs: ['0.0.0.0/0'], ipv6Cidrs: [] },
      { loc: at(7, 2, 7, 57), protocol: 'tcp', fromPort: 443, toPort: 443, ipv4Cidrs: [], ipv6Cidrs: ['::/0'] },
    ]);
  });

  it('writes Peer and Port the way the file imports them', async () => {
    const text = lines(
      "import { SecurityGroup, Peer, Port } from 'aws-cdk-lib/aws-ec2';",
      "this.sg = new SecurityGroup(this, 'Sg', { vpc })",
    );
    const unit = await parse(text);
    assert.equal(
      applyFix(text, unit.fixes.addIpv6Egress(unit.graph.securityGroups[0], 'https')),
      text + 'this.sg.addEgressRule(Peer.anyIpv6(), Port.tcp(443))\n',
    );
  });

  it('makes a VPC dual-stack: adds ipProtocol, replaces IPV4_ONLY, or creates the props object', async () => {
    const text = header + lines(
      "const a = new ec2.Vpc(this, 'A', { maxAzs: 2 });",
      "const b = new ec2.Vpc(this, 'B', { ipProtocol: ec2.IpProtocol.IPV4_ONLY });",
      "const c = new ec2.Vpc(this, 'C');",
    );
    const unit = await parse(text);
    assert.equal(applyFix(text, unit.fixes.makeDualStack('A')), text.replace('{ maxAzs: 2 }', '{ maxAzs: 2, ipProtocol: ec2.IpProtocol.DUAL_STACK }'));
    assert.equal(applyFix(text, unit.fixes.makeDualStack('B')), text.replace('IPV4_ONLY', 'DUAL_STACK'));
    const created = applyFix(text, unit.fixes.makeDualStack('C'));
    assert.equal(created, text.replace("'C')", "'C', { ipProtocol: ec2.IpProtocol.DUAL_STACK })"));
    assert.deepEqual((await reparsed(created)).graph.vpcs.map((v) => v.ipv6), [false, false, true]);
    assert.equal(unit.fixes.makeDualStack('A/subnets'), undefined);
  });

  it('writes no route fixes: CDK manages the routes of its VPCs', async () => {
    const unit = await parse(fixture('dual-stack.ts'));
    assert.equal(unit.fixes.retargetRouteToEigw(unit.graph.routes[0], 'Vpc'), undefined);
    assert.equal(unit.fixes.addIpv6DefaultRoute(unit.graph.routeTables[0], 'Vpc'), undefined);
  });

  it('writes nothing into props it cannot see', async () => {
    const text = header + "new lambda.Function(this, 'Fn', props);\n";
    const unit = await parse(text);
    assert.equal(unit.fixes.setFlag(unit.graph.functions[0], true), undefined);
    assert.equal(unit.fixes.removeFlag(unit.graph.functions[0]), undefined);
  });
});
