import * as assert from 'node:assert/strict';
import { analyzeParsed } from '../../../src/core/analysis/analyze';
import { fixUnit } from '../../../src/core/fixes/fixAll';
import type { Finding } from '../../../src/core/model/findings';
import type { SourceFile } from '../../../src/core/model/source';
import { parseTerraform } from '../../../src/core/parse/terraform';
import { applied, at, fixture, tf } from './helpers';

async function findingsOf(files: SourceFile[]): Promise<Finding[]> {
  return analyzeParsed(await parseTerraform(files));
}

/** Each finding as `RULE file range subject`. */
function summary(findings: Finding[]): string[] {
  return findings.map((f) => `${f.rule} ${f.loc?.file} ${at(f.loc)} ${f.subject}`);
}

function files(texts: Record<string, string>): SourceFile[] {
  return Object.entries(texts).map(([path, text]) => ({ path, text }));
}

const dualStackNetwork = tf(
  'resource "aws_vpc" "main" {',
  '  cidr_block                       = "10.0.0.0/16"',
  '  assign_generated_ipv6_cidr_block = true',
  '}',
  '',
  'resource "aws_subnet" "dual" {',
  '  vpc_id          = aws_vpc.main.id',
  '  cidr_block      = "10.0.1.0/24"',
  '  ipv6_cidr_block = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)',
  '}',
  '',
  'resource "aws_subnet" "ipv4" {',
  '  vpc_id     = aws_vpc.main.id',
  '  cidr_block = "10.0.2.0/24"',
  '}',
  '',
  'resource "aws_subnet" "native" {',
  '  vpc_id                          = aws_vpc.main.id',
  '  ipv6_native                     = true',
  '  ipv6_cidr_block                 = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 3)',
  '  assign_ipv6_address_on_creation = true',
  '}',
  '',
  'resource "aws_nat_gateway" "nat" {',
  '  subnet_id = aws_subnet.ipv4.id',
  '}',
  '',
  'resource "aws_internet_gateway" "igw" {',
  '  vpc_id = aws_vpc.main.id',
  '}',
  '',
  'resource "aws_security_group" "open" {',
  '  vpc_id = aws_vpc.main.id',
  '',
  '  egress {',
  '    from_port        = 0',
  '    to_port          = 0',
  '    protocol         = "-1"',
  '    cidr_blocks      = ["0.0.0.0/0"]',
  '    ipv6_cidr_blocks = ["::/0"]',
  '  }',
  '}',
);

function lambda(subnets: string, flag?: string): string {
  return tf(
    'resource "aws_lambda_function" "f" {',
    '  function_name = "f"',
    '',
    '  vpc_config {',
    `    subnet_ids         = ${subnets}`,
    '    security_group_ids = [aws_security_group.open.id]',
    ...(flag === undefined ? [] : [`    ipv6_allowed_for_dual_stack = ${flag}`]),
    '  }',
    '}',
  );
}

describe('terraform end to end: the fixtures', () => {
  it('finds L001, S001 and N002 in the NAT-only module split across files', async () => {
    assert.deepEqual(summary(await findingsOf(fixture('nat-only'))), [
      'IPV6L001 lambda.tf 7:2-7:12 aws_lambda_function.api',
      'IPV6S001 lambda.tf 22:4-22:22 aws_lambda_function.worker',
      'IPV6N002 network.tf 8:0-8:36 aws_route_table.private',
    ]);
  });

  it('finds nothing in the clean dual-stack module: a NAT64 route and subnets from a variable stay silent', async () => {
    assert.deepEqual(summary(await findingsOf(fixture('dual-stack'))), []);
  });

  it('finds L001 on the lambda module attached to the vpc module, and no N002 thanks to its EIGW route', async () => {
    assert.deepEqual(summary(await findingsOf(fixture('registry-modules'))), ['IPV6L001 main.tf 26:0-26:17 module.function']);
  });
});

describe('terraform end to end: each rule', () => {
  it('IPV6L001 fires at vpc_config of a function in dual-stack subnets without the flag, and stays silent when the flag is true or a subnet is only IPv4', async () => {
    assert.deepEqual(summary(await findingsOf(files({ 'net.tf': dualStackNetwork, 'fn.tf': lambda('[aws_subnet.dual.id]') }))), [
      'IPV6L001 fn.tf 3:2-3:12 aws_lambda_function.f',
    ]);
    assert.deepEqual(summary(await findingsOf(files({ 'net.tf': dualStackNetwork, 'fn.tf': lambda('[aws_subnet.dual.id]', 'true') }))), []);
    assert.deepEqual(summary(await findingsOf(files({ 'net.tf': dualStackNetwork, 'fn.tf': lambda('[aws_subnet.dual.id, aws_subnet.ipv4.id]') }))), []);
  });

  it('IPV6L002 fires at the flag when a subnet has no IPv6 CIDR, offering flag false and making the subnet dual-stack', async () => {
    const unit = files({ 'net.tf': dualStackNetwork, 'fn.tf': lambda('[aws_subnet.dual.id, aws_subnet.ipv4.id]', 'true') });
    const findings = await findingsOf(unit);
    assert.deepEqual(summary(findings), ['IPV6L002 fn.tf 6:4-6:38 aws_lambda_function.f']);
    assert.deepEqual(
      findings[0].fixes.map((f) => [f.title, f.preferred]),
      [
        ['Set Ipv6AllowedForDualStack to false on aws_lambda_function.f', false],
        ['Make subnet aws_subnet.ipv4 dual-stack', false],
      ],
    );
    const texts = applied(unit, findings[0].fixes[1]);
    assert.equal(
      texts['net.tf'].split('\n').slice(11, 16).join('\n'),
      [
        'resource "aws_subnet" "ipv4" {',
        '  vpc_id          = aws_vpc.main.id',
        '  cidr_block      = "10.0.2.0/24"',
        '  ipv6_cidr_block = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 0)',
        '}',
      ].join('\n'),
    );
    assert.deepEqual(summary(await findingsOf(files(texts))), []);
  });

  it('IPV6L003 fires at vpc_config for an IPv6-native subnet', async () => {
    const findings = await findingsOf(files({ 'net.tf': dualStackNetwork, 'fn.tf': lambda('[aws_subnet.native.id]', 'true') }));
    assert.deepEqual(summary(findings).filter((s) => s.startsWith('IPV6L003')), ['IPV6L003 fn.tf 3:2-3:12 aws_lambda_function.f']);
  });

  it('IPV6L004 fires at the flag of a function with an empty subnet list', async () => {
    const findings = await findingsOf(files({ 'net.tf': dualStackNetwork, 'fn.tf': lambda('[]', 'true') }));
    assert.deepEqual(summary(findings), ['IPV6L004 fn.tf 6:4-6:38 aws_lambda_function.f']);
  });

  it('no rule speaks about subnets that come from a variable, a data source or a literal id', async () => {
    for (const subnets of ['var.subnet_ids', '[data.aws_subnet.x.id]', '["subnet-0abc"]']) {
      for (const flag of [undefined, 'true']) {
        assert.deepEqual(summary(await findingsOf(files({ 'net.tf': dualStackNetwork, 'fn.tf': lambda(subnets, flag) }))), [], `${subnets} with flag ${flag}`);
      }
    }
  });

  const privateTable = (routes: string[]) =>
    files({
      'net.tf': dualStackNetwork,
      'rt.tf': tf(
        'resource "aws_route_table" "private" {',
        '  vpc_id = aws_vpc.main.id',
        '}',
        '',
        'resource "aws_route_table_association" "dual" {',
        '  subnet_id      = aws_subnet.dual.id',
        '  route_table_id = aws_route_table.private.id',
        '}',
        '',
        'resource "aws_route" "v4" {',
        '  route_table_id         = aws_route_table.private.id',
        '  destination_cidr_block = "0.0.0.0/0"',
        '  nat_gateway_id         = aws_nat_gateway.nat.id',
        '}',
        ...routes,
      ),
    });

  it('IPV6N001 fires at an aws_route sending ::/0 to a NAT gateway, but not for NAT64', async () => {
    const route = (name: string, cidr: string) => [
      `resource "aws_route" "${name}" {`,
      '  route_table_id              = aws_route_table.private.id',
      `  destination_ipv6_cidr_block = "${cidr}"`,
      '  nat_gateway_id              = aws_nat_gateway.nat.id',
      '}',
    ];
    assert.deepEqual(summary(await findingsOf(privateTable(route('v6', '::/0')))), ['IPV6N001 rt.tf 14:0-14:25 aws_route.v6']);
    assert.deepEqual(summary(await findingsOf(privateTable(route('nat64', '64:ff9b::/96')))).filter((s) => s.startsWith('IPV6N001')), []);
  });

  it('IPV6N002 fires at the private table of a dual-stack subnet without a ::/0 route, and is silent with one', async () => {
    assert.deepEqual(summary(await findingsOf(privateTable([]))), ['IPV6N002 rt.tf 0:0-0:36 aws_route_table.private']);
    const eigw = [
      'resource "aws_egress_only_internet_gateway" "eigw" {',
      '  vpc_id = aws_vpc.main.id',
      '}',
      'resource "aws_route" "v6" {',
      '  route_table_id              = aws_route_table.private.id',
      '  destination_ipv6_cidr_block = "::/0"',
      '  egress_only_gateway_id      = aws_egress_only_internet_gateway.eigw.id',
      '}',
    ];
    assert.deepEqual(summary(await findingsOf(privateTable(eigw))), []);
  });

  it('IPV6N002 stays silent when the route table has a dynamic route block', async () => {
    const unit = files({
      'net.tf': dualStackNetwork,
      'rt.tf': tf(
        'resource "aws_route_table" "private" {',
        '  vpc_id = aws_vpc.main.id',
        '  route {',
        '    cidr_block     = "0.0.0.0/0"',
        '    nat_gateway_id = aws_nat_gateway.nat.id',
        '  }',
        '  dynamic "route" {',
        '    for_each = var.extra_routes',
        '    content {',
        '      ipv6_cidr_block        = route.value.cidr',
        '      egress_only_gateway_id = route.value.gateway',
        '    }',
        '  }',
        '}',
        'resource "aws_route_table_association" "dual" {',
        '  subnet_id      = aws_subnet.dual.id',
        '  route_table_id = aws_route_table.private.id',
        '}',
      ),
    });
    assert.deepEqual(summary(await findingsOf(unit)), []);
  });

  it('IPV6N003 fires at the ::/0 route of a private table that goes to an internet gateway', async () => {
    const igw = [
      'resource "aws_route" "v6" {',
      '  route_table_id              = aws_route_table.private.id',
      '  destination_ipv6_cidr_block = "::/0"',
      '  gateway_id                  = aws_internet_gateway.igw.id',
      '}',
    ];
    assert.deepEqual(summary(await findingsOf(privateTable(igw))), ['IPV6N003 rt.tf 14:0-14:25 aws_route.v6']);
  });

  it('IPV6S001 fires at security_group_ids for a group without egress, and is silent for a dynamic egress block', async () => {
    const withGroup = (group: string[]) =>
      files({ 'net.tf': dualStackNetwork, 'sg.tf': tf(...group), 'fn.tf': lambda('[aws_subnet.dual.id]', 'true').replace('aws_security_group.open', 'aws_security_group.g') });
    assert.deepEqual(summary(await findingsOf(withGroup(['resource "aws_security_group" "g" {', '  vpc_id = aws_vpc.main.id', '}']))), [
      'IPV6S001 fn.tf 5:4-5:22 aws_lambda_function.f',
    ]);
    assert.deepEqual(
      summary(await findingsOf(withGroup(['resource "aws_security_group" "g" {', '  dynamic "egress" {', '    for_each = var.egress', '    content {}', '  }', '}']))),
      [],
    );
  });

  it('honours suppression comments', async () => {
    const unit = privateTable([]);
    unit[1] = { ...unit[1], text: '# ipv6-lambda-disable-next-line IPV6N002\n' + unit[1].text };
    assert.deepEqual(summary(await findingsOf(unit)), []);
  });
});

/** Scenarios that trigger every rule with a preferred fix. */
function scenarios(): Record<string, SourceFile[]> {
  const natRoute = (cidr: string, target: string) => [
    'resource "aws_route" "v6" {',
    '  route_table_id              = aws_route_table.private.id',
    `  destination_ipv6_cidr_block = "${cidr}"`,
    `  ${target}`,
    '}',
  ];
  const table = (extra: string[]) =>
    tf(
      'resource "aws_route_table" "private" {',
      '  vpc_id = aws_vpc.main.id',
      '}',
      '',
      'resource "aws_route_table_association" "dual" {',
      '  subnet_id      = aws_subnet.dual.id',
      '  route_table_id = aws_route_table.private.id',
      '}',
      '',
      'resource "aws_route" "v4" {',
      '  route_table_id         = aws_route_table.private.id',
      '  destination_cidr_block = "0.0.0.0/0"',
      '  nat_gateway_id         = aws_nat_gateway.nat.id',
      '}',
      '',
      ...extra,
    );
  return {
    'nat-only': fixture('nat-only'),
    'registry-modules': fixture('registry-modules'),
    'L004 flag without subnets': files({ 'net.tf': dualStackNetwork, 'fn.tf': lambda('[]', 'true') }),
    'N001 ::/0 to NAT': files({ 'net.tf': dualStackNetwork, 'rt.tf': table(natRoute('::/0', 'nat_gateway_id              = aws_nat_gateway.nat.id')) }),
    'N003 ::/0 to IGW': files({ 'net.tf': dualStackNetwork, 'rt.tf': table(natRoute('::/0', 'gateway_id                  = aws_internet_gateway.igw.id')) }),
    'N001 and N002 both wanting the one EIGW': files({
      'net.tf': dualStackNetwork,
      'rt.tf': table(natRoute('2600:1f18::/56', 'nat_gateway_id              = aws_nat_gateway.nat.id')),
    }),
  };
}

function key(finding: Finding): string {
  return `${finding.rule} ${finding.subject}`;
}

describe('terraform fixes: applying every preferred fix', () => {
  for (const [name, unit] of Object.entries(scenarios())) {
    it(`${name}: each preferred fix re-parses, removes its finding, adds none, and is then no longer offered`, async () => {
      const before = await findingsOf(unit);
      const fixable = before.filter((f) => f.fixes.some((fix) => fix.preferred));
      assert.ok(fixable.length > 0, 'the scenario has something to fix');
      for (const finding of fixable) {
        const fix = finding.fixes.find((f) => f.preferred)!;
        const texts = applied(unit, fix);
        const reparsed = await parseTerraform(files(texts));
        assert.deepEqual(reparsed.skipped, [], `${key(finding)}: the fixed files parse`);
        const after = analyzeParsed(reparsed);
        assert.ok(!after.some((f) => key(f) === key(finding)), `${key(finding)} is gone`);
        // Turning the flag on can reveal that the function's groups lack IPv6 egress (S001): that
        // is the next finding on the same function, not one the fix created from nothing.
        const revealed = (f: Finding) => finding.rule === 'IPV6L001' && f.rule === 'IPV6S001' && f.subject === finding.subject;
        const added = after.filter((f) => !before.some((b) => key(b) === key(f)) && !revealed(f));
        assert.deepEqual(added.map(key), [], `${key(finding)}: no new finding`);
      }
    });

    it(`${name}: fix-all leaves no finding, and fixing again changes nothing`, async () => {
      const first = await fixUnit({ format: 'terraform', files: unit });
      assert.deepEqual(first.remaining.map(key), []);
      assert.deepEqual(first.unparsable, []);
      const fixedFiles = unit.map((file) => ({ path: file.path, text: first.files.get(file.path) ?? file.text }));
      const second = await fixUnit({ format: 'terraform', files: fixedFiles });
      assert.deepEqual([...second.files.keys()], []);
      assert.deepEqual(second.applied, []);
    });
  }
});

describe('IPV6N002 where the VPC is a root variable', () => {
  const text = tf(
    'variable "vpc_id" {}',
    '',
    'variable "nat_gateway_id" {}',
    '',
    'resource "aws_subnet" "dual" {',
    '  vpc_id          = var.vpc_id',
    '  cidr_block      = "10.0.1.0/24"',
    '  ipv6_cidr_block = "2600:1f18:1234:5601::/64"',
    '}',
    '',
    'resource "aws_route_table" "private" {',
    '  vpc_id = var.vpc_id',
    '',
    '  route {',
    '    cidr_block     = "0.0.0.0/0"',
    '    nat_gateway_id = var.nat_gateway_id',
    '  }',
    '}',
    '',
    'resource "aws_route_table_association" "dual" {',
    '  subnet_id      = aws_subnet.dual.id',
    '  route_table_id = aws_route_table.private.id',
    '}',
  );

  it('prefers adding ::/0 to a new EIGW whose vpc_id reuses var.vpc_id, saying a second one may result', async () => {
    const [finding] = await findingsOf(files({ 'main.tf': text }));
    assert.equal(finding.rule, 'IPV6N002');
    const [preferred] = finding.fixes;
    assert.deepEqual([preferred.title, preferred.preferred], ['Add a ::/0 route to the egress-only internet gateway (a second egress-only internet gateway if VPC var.vpc_id has one already)', true]);
    const fixed = applied({ 'main.tf': text }, preferred)['main.tf'];
    assert.equal(
      fixed,
      text
        .replace('variable "vpc_id" {}\n', 'variable "vpc_id" {}\n\nresource "aws_egress_only_internet_gateway" "vpc" {\n  vpc_id = var.vpc_id\n}\n')
        .replace(
          '    nat_gateway_id = var.nat_gateway_id\n  }\n',
          '    nat_gateway_id = var.nat_gateway_id\n  }\n\n  route {\n    ipv6_cidr_block        = "::/0"\n    egress_only_gateway_id = aws_egress_only_internet_gateway.vpc.id\n  }\n',
        ),
    );
    assert.deepEqual(await findingsOf(files({ 'main.tf': fixed })), []);
  });

  it('a variable inside a local module is its caller\'s value, not a VPC of its own', async () => {
    const parsed = await parseTerraform(files({ 'main.tf': text }));
    assert.deepEqual(parsed.graph.vpcs.map((vpc) => [vpc.key, vpc.reference, at(vpc.loc)]), [['var.vpc_id', 'variable vpc_id', '0:0-0:17']]);
    const caller = await parseTerraform(files({ 'main.tf': 'module "net" {\n  source = "./net"\n}\n', 'net/main.tf': text }));
    assert.deepEqual(caller.graph.vpcs, []);
    assert.deepEqual(caller.graph.subnets.map((subnet) => [subnet.key, subnet.vpc]), [['module.net.aws_subnet.dual', { unknown: true, why: 'variable vpc_id, which module net is not given' }]]);
  });
});
