import * as assert from 'node:assert/strict';
import { unknown } from '../../../src/core/model/graph';
import { at, element, fixture, parse, tf } from './helpers';
import { parseTerraform } from '../../../src/core/parse/terraform';

const network = tf(
  'resource "aws_vpc" "main" {',
  '  cidr_block                       = "10.0.0.0/16"',
  '  assign_generated_ipv6_cidr_block = true',
  '}',
  '',
  'resource "aws_subnet" "a" {',
  '  vpc_id          = aws_vpc.main.id',
  '  cidr_block      = "10.0.1.0/24"',
  '  ipv6_cidr_block = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)',
  '}',
  '',
  'resource "aws_subnet" "b" {',
  '  vpc_id     = aws_vpc.main.id',
  '  cidr_block = "10.0.2.0/24"',
  '}',
  '',
  'resource "aws_subnet" "many" {',
  '  count      = 3',
  '  vpc_id     = aws_vpc.main.id',
  '  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index + 10)',
  '}',
  '',
  'resource "aws_subnet" "keyed" {',
  '  for_each   = toset(["a", "b"])',
  '  vpc_id     = aws_vpc.main.id',
  '  cidr_block = "10.0.3.0/24"',
  '}',
  '',
  'resource "aws_security_group" "sg" {',
  '  vpc_id = aws_vpc.main.id',
  '}',
);

/** The subnets of a function whose vpc_config.subnet_ids is `expression`. */
async function subnetsOf(expression: string, extra = '') {
  const { graph } = await parse({
    'network.tf': network,
    'lambda.tf': tf(
      'resource "aws_lambda_function" "f" {',
      '  vpc_config {',
      `    subnet_ids         = ${expression}`,
      '    security_group_ids = [aws_security_group.sg.id]',
      '  }',
      '}',
      extra,
    ),
  });
  return element(graph, 'functions', 'aws_lambda_function.f').subnets;
}

describe('terraform graph: references to subnets', () => {
  it('resolves a list of `aws_subnet.x.id` defined in another file', async () => {
    assert.deepEqual(await subnetsOf('[aws_subnet.a.id, aws_subnet.b.id]'), ['aws_subnet.a', 'aws_subnet.b']);
  });

  it('resolves an indexed instance `aws_subnet.x[0].id` and a legacy `.0` index to the one element', async () => {
    assert.deepEqual(await subnetsOf('[aws_subnet.many[0].id, aws_subnet.many.1.id]'), ['aws_subnet.many', 'aws_subnet.many']);
  });

  it('resolves a splat `aws_subnet.x[*].id` and the legacy `aws_subnet.x.*.id` to the element', async () => {
    assert.deepEqual(await subnetsOf('aws_subnet.many[*].id'), ['aws_subnet.many']);
    assert.deepEqual(await subnetsOf('aws_subnet.many.*.id'), ['aws_subnet.many']);
  });

  it('resolves `[for s in aws_subnet.x : s.id]`, with or without a condition', async () => {
    assert.deepEqual(await subnetsOf('[for s in aws_subnet.keyed : s.id]'), ['aws_subnet.keyed']);
    assert.deepEqual(await subnetsOf('[for k, s in aws_subnet.keyed : s.id if k != "a"]'), ['aws_subnet.keyed']);
  });

  it('resolves `values(aws_subnet.x)[*].id`', async () => {
    assert.deepEqual(await subnetsOf('values(aws_subnet.keyed)[*].id'), ['aws_subnet.keyed']);
  });

  it('resolves concat() of known lists and keeps an unknown part as an unknown entry', async () => {
    assert.deepEqual(await subnetsOf('concat([aws_subnet.a.id], aws_subnet.many[*].id)'), ['aws_subnet.a', 'aws_subnet.many']);
    assert.deepEqual(await subnetsOf('concat(var.more, [aws_subnet.b.id])'), [unknown('variable more'), 'aws_subnet.b']);
  });

  it('resolves locals that are references, and locals referring to locals', async () => {
    const extra = tf('locals {', '  private = [aws_subnet.a.id, local.second]', '  second  = aws_subnet.b.id', '}');
    assert.deepEqual(await subnetsOf('local.private', extra), ['aws_subnet.a', 'aws_subnet.b']);
  });

  it('leaves a local it cannot evaluate unknown, with the reason', async () => {
    const extra = tf('locals {', '  chosen = var.use_a ? [aws_subnet.a.id] : [aws_subnet.b.id]', '}');
    assert.deepEqual(await subnetsOf('local.chosen', extra), unknown('a conditional expression'));
    assert.deepEqual(await subnetsOf('local.missing'), unknown('local value missing, which is not defined in this folder'));
  });

  it('says why variables, data sources, module outputs and literal ids are unknown', async () => {
    assert.deepEqual(await subnetsOf('var.private_subnet_ids'), unknown('variable private_subnet_ids'));
    assert.deepEqual(await subnetsOf('[data.aws_subnet.shared.id]'), [unknown('data source data.aws_subnet.shared')]);
    assert.deepEqual(await subnetsOf('module.net.subnet_ids'), unknown('output subnet_ids of module net'));
    assert.deepEqual(await subnetsOf('["subnet-123"]'), [unknown('"subnet-123", which is not defined in this folder')]);
    assert.deepEqual(await subnetsOf('[aws_subnet.nowhere.id]'), [unknown('aws_subnet.nowhere, which is not defined in this folder')]);
  });

  it('makes wrongly typed values unknown instead of failing', async () => {
    assert.deepEqual(await subnetsOf('aws_subnet.a.id'), unknown('aws_subnet.a.id, which is not a list'));
    assert.deepEqual(await subnetsOf('[aws_security_group.sg.id]'), [unknown('aws_security_group.sg.id, which is not a subnet id')]);
    assert.deepEqual(await subnetsOf('[aws_subnet.a.arn]'), [unknown('aws_subnet.a.arn, which is not a subnet id')]);
    assert.deepEqual(await subnetsOf('true'), unknown('a bool, which is not a list'));
  });

  it('resolves `each.value.id` under `for_each = aws_subnet.x`', async () => {
    const { graph } = await parse({
      'network.tf': network,
      'routes.tf': tf(
        'resource "aws_route_table" "rt" {',
        '  vpc_id = aws_vpc.main.id',
        '}',
        '',
        'resource "aws_route_table_association" "keyed" {',
        '  for_each       = aws_subnet.keyed',
        '  subnet_id      = each.value.id',
        '  route_table_id = aws_route_table.rt.id',
        '}',
      ),
    });
    const association = element(graph, 'associations', 'aws_route_table_association.keyed');
    assert.equal(association.subnet, 'aws_subnet.keyed');
    assert.equal(association.table, 'aws_route_table.rt');
    assert.equal(at(association.loc), '4:0-4:46');
  });

  it('makes a resource with count or for_each one element', async () => {
    const { graph } = await parse({ 'network.tf': network });
    assert.deepEqual(
      graph.subnets.map((s) => s.key),
      ['aws_subnet.a', 'aws_subnet.b', 'aws_subnet.many', 'aws_subnet.keyed'],
    );
  });
});

describe('terraform graph: network elements', () => {
  it('reads subnets: IPv4 and IPv6 CIDRs present (an expression counts), IPv6-native, their VPC', async () => {
    const { graph } = await parse({
      'network.tf': network + tf('resource "aws_subnet" "v6only" {', '  vpc_id          = aws_vpc.main.id', '  ipv6_native     = true', '  ipv6_cidr_block = "2600:1f18::/64"', '}'),
    });
    const a = element(graph, 'subnets', 'aws_subnet.a');
    assert.deepEqual([a.vpc, a.ipv4, a.ipv6, a.ipv6Native, a.ipv4Cidr], ['aws_vpc.main', true, true, false, '10.0.1.0/24']);
    assert.equal(at(a.loc), '5:0-5:25');
    const b = element(graph, 'subnets', 'aws_subnet.b');
    assert.deepEqual([b.ipv4, b.ipv6], [true, false]);
    const v6 = element(graph, 'subnets', 'aws_subnet.v6only');
    assert.deepEqual([v6.ipv4, v6.ipv6, v6.ipv6Native, v6.ipv6Cidr], [false, true, true, '2600:1f18::/64']);
  });

  it('leaves a subnet IPv6 CIDR from a variable unknown', async () => {
    const { graph } = await parse({
      'main.tf': tf('resource "aws_subnet" "s" {', '  vpc_id          = var.vpc_id', '  cidr_block      = "10.0.0.0/24"', '  ipv6_cidr_block = var.ipv6_cidr', '}'),
    });
    const s = element(graph, 'subnets', 'aws_subnet.s');
    assert.deepEqual([s.vpc, s.ipv6], [unknown('variable vpc_id'), unknown('variable ipv6_cidr')]);
  });

  it('gives a VPC IPv6 from assign_generated_ipv6_cidr_block, ipv6_cidr_block, an IPAM pool or an association', async () => {
    const { graph } = await parse({
      'main.tf': tf(
        'resource "aws_vpc" "generated" {',
        '  assign_generated_ipv6_cidr_block = true',
        '}',
        'resource "aws_vpc" "byoip" {',
        '  ipv6_cidr_block = "2600:1f18::/56"',
        '}',
        'resource "aws_vpc" "ipam" {',
        '  ipv6_ipam_pool_id = "ipam-pool-0abc"',
        '}',
        'resource "aws_vpc" "associated" {',
        '  cidr_block = "10.1.0.0/16"',
        '}',
        'resource "aws_vpc_ipv6_cidr_block_association" "v6" {',
        '  vpc_id                           = aws_vpc.associated.id',
        '  assign_generated_ipv6_cidr_block = true',
        '}',
        'resource "aws_vpc" "ipv4" {',
        '  cidr_block                       = "10.2.0.0/16"',
        '  assign_generated_ipv6_cidr_block = false',
        '}',
        'resource "aws_vpc" "maybe" {',
        '  assign_generated_ipv6_cidr_block = var.ipv6',
        '}',
      ),
    });
    assert.deepEqual(
      graph.vpcs.map((v) => [v.key, v.ipv6]),
      [
        ['aws_vpc.generated', true],
        ['aws_vpc.byoip', true],
        ['aws_vpc.ipam', true],
        ['aws_vpc.associated', true],
        ['aws_vpc.ipv4', false],
        ['aws_vpc.maybe', unknown('variable ipv6')],
      ],
    );
  });

  it('reads inline routes with their targets and marks the table as using inline routes', async () => {
    const { graph } = await parse({
      'main.tf': network,
      'routes.tf': tf(
        'resource "aws_nat_gateway" "nat" {',
        '  subnet_id = aws_subnet.a.id',
        '}',
        'resource "aws_internet_gateway" "igw" {',
        '  vpc_id = aws_vpc.main.id',
        '}',
        'resource "aws_route_table" "private" {',
        '  vpc_id = aws_vpc.main.id',
        '  route {',
        '    cidr_block     = "0.0.0.0/0"',
        '    nat_gateway_id = aws_nat_gateway.nat.id',
        '  }',
        '  route {',
        '    ipv6_cidr_block = "::/0"',
        '    gateway_id      = aws_internet_gateway.igw.id',
        '  }',
        '  route {',
        '    cidr_block                = "10.9.0.0/16"',
        '    vpc_peering_connection_id = "pcx-1"',
        '  }',
        '}',
      ),
    });
    const table = element(graph, 'routeTables', 'aws_route_table.private');
    assert.deepEqual([table.vpc, table.main, table.inlineRoutes], ['aws_vpc.main', false, true]);
    assert.deepEqual(
      graph.routes.map((r) => [r.key, r.table, r.destination, r.target, at(r.loc)]),
      [
        ['aws_route_table.private.route[0]', 'aws_route_table.private', '0.0.0.0/0', { kind: 'nat', gateway: 'aws_nat_gateway.nat' }, '8:2-8:7'],
        ['aws_route_table.private.route[1]', 'aws_route_table.private', '::/0', { kind: 'igw', gateway: 'aws_internet_gateway.igw' }, '12:2-12:7'],
        ['aws_route_table.private.route[2]', 'aws_route_table.private', '10.9.0.0/16', { kind: 'other' }, '16:2-16:7'],
      ],
    );
    assert.equal(element(graph, 'gateways', 'aws_nat_gateway.nat').vpc, 'aws_vpc.main');
  });

  it('reads aws_route resources, gateway ids written as literals, and routes on tables outside the folder', async () => {
    const { graph } = await parse({
      'main.tf': tf(
        'resource "aws_vpc" "main" {',
        '  cidr_block = "10.0.0.0/16"',
        '}',
        'resource "aws_route_table" "rt" {',
        '  vpc_id = aws_vpc.main.id',
        '}',
        'resource "aws_egress_only_internet_gateway" "eigw" {',
        '  vpc_id = aws_vpc.main.id',
        '}',
        'resource "aws_route" "v6" {',
        '  route_table_id              = aws_route_table.rt.id',
        '  destination_ipv6_cidr_block = "::/0"',
        '  egress_only_gateway_id      = aws_egress_only_internet_gateway.eigw.id',
        '}',
        'resource "aws_route" "literal" {',
        '  route_table_id         = aws_route_table.rt.id',
        '  destination_cidr_block = "0.0.0.0/0"',
        '  gateway_id             = "igw-0abc"',
        '}',
        'resource "aws_route" "foreign" {',
        '  route_table_id              = var.route_table_id',
        '  destination_ipv6_cidr_block = "::/0"',
        '  nat_gateway_id              = var.nat_id',
        '}',
      ),
    });
    assert.deepEqual(
      graph.routes.map((r) => [r.key, r.table, r.destination, r.target, at(r.loc)]),
      [
        ['aws_route.v6', 'aws_route_table.rt', '::/0', { kind: 'eigw', gateway: 'aws_egress_only_internet_gateway.eigw' }, '9:0-9:25'],
        ['aws_route.literal', 'aws_route_table.rt', '0.0.0.0/0', { kind: 'igw' }, '14:0-14:30'],
        ['aws_route.foreign', 'var.route_table_id', '::/0', { kind: 'nat' }, '19:0-19:30'],
      ],
    );
  });

  it('makes a dynamic "route" block a route with unknown destination and target', async () => {
    const { graph } = await parse({
      'main.tf': tf(
        'resource "aws_route_table" "rt" {',
        '  vpc_id = var.vpc_id',
        '  dynamic "route" {',
        '    for_each = var.routes',
        '    content {',
        '      cidr_block = route.value',
        '    }',
        '  }',
        '}',
      ),
    });
    const [route] = graph.routes;
    assert.deepEqual([route.destination, route.target, at(route.loc)], [unknown('a dynamic "route" block'), unknown('a dynamic "route" block'), '2:2-2:9']);
    assert.equal(element(graph, 'routeTables', 'aws_route_table.rt').inlineRoutes, true);
  });

  it('marks main route tables: aws_default_route_table and aws_main_route_table_association', async () => {
    const { graph } = await parse({
      'main.tf': tf(
        'resource "aws_vpc" "a" {}',
        'resource "aws_vpc" "b" {}',
        'resource "aws_default_route_table" "a" {',
        '  default_route_table_id = aws_vpc.a.default_route_table_id',
        '}',
        'resource "aws_route_table" "b" {',
        '  vpc_id = aws_vpc.b.id',
        '}',
        'resource "aws_route_table" "other" {',
        '  vpc_id = aws_vpc.b.id',
        '}',
        'resource "aws_main_route_table_association" "b" {',
        '  vpc_id         = aws_vpc.b.id',
        '  route_table_id = aws_route_table.b.id',
        '}',
        'resource "aws_route" "on_default" {',
        '  route_table_id         = aws_vpc.a.default_route_table_id',
        '  destination_cidr_block = "0.0.0.0/0"',
        '  nat_gateway_id         = "nat-1"',
        '}',
      ),
    });
    assert.deepEqual(
      graph.routeTables.map((t) => [t.key, t.vpc, t.main]),
      [
        ['aws_route_table.b', 'aws_vpc.b', true],
        ['aws_route_table.other', 'aws_vpc.b', false],
        ['aws_default_route_table.a', 'aws_vpc.a', true],
      ],
    );
    assert.equal(element(graph, 'routes', 'aws_route.on_default').table, 'aws_default_route_table.a');
  });

  it('attaches an internet gateway to its VPC through aws_internet_gateway_attachment', async () => {
    const { graph } = await parse({
      'main.tf': tf(
        'resource "aws_vpc" "main" {}',
        'resource "aws_internet_gateway" "igw" {}',
        'resource "aws_internet_gateway_attachment" "igw" {',
        '  internet_gateway_id = aws_internet_gateway.igw.id',
        '  vpc_id              = aws_vpc.main.id',
        '}',
      ),
    });
    assert.equal(element(graph, 'gateways', 'aws_internet_gateway.igw').vpc, 'aws_vpc.main');
  });
});

describe('terraform graph: security groups', () => {
  it('takes egress blocks as the complete egress and no egress block as none', async () => {
    const { graph } = await parse({
      'main.tf': tf(
        'resource "aws_security_group" "open" {',
        '  vpc_id = var.vpc_id',
        '  egress {',
        '    from_port       = 443',
        '    to_port         = "443"',
        '    protocol        = "TCP"',
        '    cidr_blocks     = ["0.0.0.0/0"]',
        '    security_groups = [var.other]',
        '  }',
        '  egress {',
        '    from_port        = 0',
        '    to_port          = 0',
        '    protocol         = -1',
        '    ipv6_cidr_blocks = ["::/0"]',
        '  }',
        '}',
        'resource "aws_security_group" "closed" {',
        '  vpc_id = var.vpc_id',
        '}',
      ),
    });
    assert.deepEqual(element(graph, 'securityGroups', 'aws_security_group.open').egress, [
      { loc: { file: 'main.tf', range: { start: { line: 2, character: 2 }, end: { line: 2, character: 8 } } }, protocol: 'tcp', fromPort: 443, toPort: 443, ipv4Cidrs: ['0.0.0.0/0'], ipv6Cidrs: [], otherTargets: true },
      { loc: { file: 'main.tf', range: { start: { line: 9, character: 2 }, end: { line: 9, character: 8 } } }, protocol: '-1', fromPort: 0, toPort: 0, ipv4Cidrs: [], ipv6Cidrs: ['::/0'], otherTargets: false },
    ]);
    assert.deepEqual(element(graph, 'securityGroups', 'aws_security_group.closed').egress, []);
  });

  it('adds aws_security_group_rule and aws_vpc_security_group_egress_rule resources to the group they name', async () => {
    const { graph } = await parse({
      'main.tf': tf(
        'resource "aws_security_group" "sg" {}',
        'resource "aws_security_group_rule" "out" {',
        '  type              = "egress"',
        '  security_group_id = aws_security_group.sg.id',
        '  protocol          = "all"',
        '  from_port         = 0',
        '  to_port           = 0',
        '  cidr_blocks       = ["0.0.0.0/0"]',
        '}',
        'resource "aws_security_group_rule" "in" {',
        '  type              = "ingress"',
        '  security_group_id = aws_security_group.sg.id',
        '  protocol          = "tcp"',
        '  from_port         = 22',
        '  to_port           = 22',
        '  cidr_blocks       = ["10.0.0.0/8"]',
        '}',
        'resource "aws_vpc_security_group_egress_rule" "v6" {',
        '  security_group_id = aws_security_group.sg.id',
        '  ip_protocol       = "tcp"',
        '  from_port         = 443',
        '  to_port           = 443',
        '  cidr_ipv6         = "::/0"',
        '}',
      ),
    });
    const egress = element(graph, 'securityGroups', 'aws_security_group.sg').egress;
    assert.deepEqual(egress, [
      { loc: { file: 'main.tf', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 40 } } }, protocol: '-1', fromPort: 0, toPort: 0, ipv4Cidrs: ['0.0.0.0/0'], ipv6Cidrs: [], otherTargets: false },
      { loc: { file: 'main.tf', range: { start: { line: 17, character: 0 }, end: { line: 17, character: 50 } } }, protocol: 'tcp', fromPort: 443, toPort: 443, ipv4Cidrs: [], ipv6Cidrs: ['::/0'], otherTargets: false },
    ]);
  });

  it('makes egress unknown for a dynamic "egress" block or a rule whose type is not known', async () => {
    const { graph } = await parse({
      'main.tf': tf(
        'resource "aws_security_group" "dyn" {',
        '  dynamic "egress" {',
        '    for_each = var.rules',
        '    content {}',
        '  }',
        '}',
        'resource "aws_security_group" "ruled" {}',
        'resource "aws_security_group_rule" "r" {',
        '  type              = var.direction',
        '  security_group_id = aws_security_group.ruled.id',
        '}',
      ),
    });
    assert.deepEqual(element(graph, 'securityGroups', 'aws_security_group.dyn').egress, unknown('a dynamic "egress" block in aws_security_group.dyn'));
    assert.deepEqual(element(graph, 'securityGroups', 'aws_security_group.ruled').egress, unknown('aws_security_group_rule.r, whose type is not known'));
  });
});

describe('terraform graph: Lambda functions', () => {
  it('reads vpc_config with its flag and where each part is written', async () => {
    const { graph } = await parseTerraform(fixture('nat-only'));
    const worker = element(graph, 'functions', 'aws_lambda_function.worker');
    assert.deepEqual(
      [worker.hasVpcConfig, worker.ipv6Flag, at(worker.loc), at(worker.vpcConfigLoc), at(worker.flagLoc), at(worker.securityGroupsLoc)],
      [true, true, '13:0-13:39', '20:2-20:12', '23:4-23:38', '22:4-22:22'],
    );
    const api = element(graph, 'functions', 'aws_lambda_function.api');
    assert.deepEqual([api.ipv6Flag, api.flagLoc], [undefined, undefined]);
  });

  it('knows a function without vpc_config has no subnets, and a flag from a variable is unknown', async () => {
    const { graph } = await parse({
      'main.tf': tf(
        'resource "aws_lambda_function" "plain" {}',
        'resource "aws_lambda_function" "flagged" {',
        '  vpc_config {',
        '    subnet_ids                  = []',
        '    security_group_ids          = []',
        '    ipv6_allowed_for_dual_stack = var.ipv6',
        '  }',
        '}',
      ),
    });
    const plain = element(graph, 'functions', 'aws_lambda_function.plain');
    assert.deepEqual([plain.hasVpcConfig, plain.ipv6Flag, plain.subnets, plain.securityGroups], [false, undefined, [], []]);
    const flagged = element(graph, 'functions', 'aws_lambda_function.flagged');
    assert.deepEqual([flagged.hasVpcConfig, flagged.ipv6Flag, flagged.subnets], [false, unknown('variable ipv6'), []]);
  });

  it('reads only the literals true and false as a known flag', async () => {
    const flagOf = async (value: string) => {
      const { graph } = await parse({ 'main.tf': tf('resource "aws_lambda_function" "f" {', '  vpc_config {', `    ipv6_allowed_for_dual_stack = ${value}`, '  }', '}') });
      return graph.functions[0].ipv6Flag;
    };
    assert.equal(await flagOf('false'), false);
    assert.equal(await flagOf('null'), undefined);
    assert.deepEqual(await flagOf('"true"'), unknown('"true", which is not a boolean'));
    assert.deepEqual(await flagOf('local.on'), unknown('local value on, which is not defined in this folder'));
  });

  it('makes everything about a dynamic "vpc_config" unknown', async () => {
    const { graph } = await parse({
      'main.tf': tf('resource "aws_lambda_function" "f" {', '  dynamic "vpc_config" {', '    for_each = var.vpc', '    content {}', '  }', '}'),
    });
    const why = unknown('a dynamic "vpc_config" block in aws_lambda_function.f');
    const fn = graph.functions[0];
    assert.deepEqual([fn.hasVpcConfig, fn.ipv6Flag, fn.subnets, fn.securityGroups], [why, why, why, why]);
  });
});

describe('terraform graph: registry modules', () => {
  it('models terraform-aws-modules/vpc: the VPC, one element per subnet group, its NAT, NAT64 and EIGW routes', async () => {
    const { graph } = await parseTerraform(fixture('registry-modules'));
    const vpc = element(graph, 'vpcs', 'module.vpc');
    assert.deepEqual([vpc.ipv6, at(vpc.loc)], [true, '0:0-0:12']);
    const privateSubnets = element(graph, 'subnets', 'module.vpc.private_subnets');
    assert.deepEqual([privateSubnets.vpc, privateSubnets.ipv4, privateSubnets.ipv6, privateSubnets.ipv6Native], ['module.vpc', true, true, false]);
    assert.deepEqual(
      graph.routes.map((r) => [r.table, r.destination, r.target]),
      [
        ['module.vpc.private_route_table', '0.0.0.0/0', { kind: 'nat', gateway: 'module.vpc.natgw' }],
        // Version 5 turns DNS64 on for the IPv6 subnets and routes NAT64's prefix to the NAT gateway.
        ['module.vpc.private_route_table', '64:ff9b::/96', { kind: 'nat', gateway: 'module.vpc.natgw' }],
        ['module.vpc.private_route_table', '::/0', { kind: 'eigw', gateway: 'module.vpc.egress_only_igw' }],
      ],
    );
    assert.deepEqual(graph.associations.map((a) => [a.subnet, a.table]), [['module.vpc.private_subnets', 'module.vpc.private_route_table']]);
  });

  it('makes module subnets dual-stack only with enable_ipv6, IPv6 prefixes and not IPv6-native', async () => {
    const subnetOf = async (inputs: string[]) => {
      const { graph } = await parse({ 'main.tf': tf('module "vpc" {', '  source          = "terraform-aws-modules/vpc/aws"', '  private_subnets = ["10.0.1.0/24"]', ...inputs, '}') });
      const s = element(graph, 'subnets', 'module.vpc.private_subnets');
      return [s.ipv4, s.ipv6, s.ipv6Native];
    };
    assert.deepEqual(await subnetOf([]), [true, false, false]);
    assert.deepEqual(await subnetOf(['enable_ipv6 = true']), [true, false, false]);
    assert.deepEqual(await subnetOf(['enable_ipv6 = true', 'private_subnet_ipv6_prefixes = [0]']), [true, true, false]);
    assert.deepEqual(await subnetOf(['enable_ipv6 = true', 'private_subnet_ipv6_prefixes = [0]', 'private_subnet_ipv6_native = true']), [false, true, true]);
    assert.deepEqual(await subnetOf(['enable_ipv6 = var.ipv6', 'private_subnet_ipv6_prefixes = [0]']), [true, unknown('input enable_ipv6: variable ipv6'), false]);
  });

  it('gives the module no ::/0 route when create_egress_only_igw is false', async () => {
    const { graph } = await parse({
      'main.tf': tf(
        'module "vpc" {',
        '  source                 = "terraform-aws-modules/vpc/aws"',
        '  private_subnets        = ["10.0.1.0/24"]',
        '  enable_ipv6            = true',
        '  enable_nat_gateway     = true',
        '  create_egress_only_igw = false',
        '}',
      ),
    });
    // Without a version, whether DNS64 (and so the module's NAT64 route) is on by default is not known.
    assert.deepEqual(graph.routes.map((r) => r.destination), ['0.0.0.0/0', '64:ff9b::/96']);
    assert.deepEqual(graph.gateways.map((g) => g.kind), ['nat']);
  });

  it('resolves the vpc module outputs vpc_id, private_subnets[i] and default_security_group_id', async () => {
    const { graph } = await parse({
      'main.tf': tf(
        'module "vpc" {',
        '  source          = "registry.terraform.io/terraform-aws-modules/vpc/aws"',
        '  private_subnets = ["10.0.1.0/24", "10.0.2.0/24"]',
        '}',
        'resource "aws_security_group" "sg" {',
        '  vpc_id = module.vpc.vpc_id',
        '}',
        'resource "aws_lambda_function" "f" {',
        '  vpc_config {',
        '    subnet_ids         = [module.vpc.private_subnets[0], module.vpc.public_subnets[0]]',
        '    security_group_ids = [module.vpc.default_security_group_id, module.vpc.other_id]',
        '  }',
        '}',
      ),
    });
    assert.equal(element(graph, 'securityGroups', 'aws_security_group.sg').vpc, 'module.vpc');
    const fn = element(graph, 'functions', 'aws_lambda_function.f');
    assert.deepEqual(fn.subnets, ['module.vpc.private_subnets', unknown('index 0 of a list of 0')]);
    assert.deepEqual(fn.securityGroups, ['module.vpc.default_security_group', unknown('output other_id of module vpc')]);
    assert.deepEqual(element(graph, 'securityGroups', 'module.vpc.default_security_group').egress, unknown('the default security group of module vpc'));
  });

  it('does not take a submodule or another module for the registry modules', async () => {
    const { graph } = await parse({
      'main.tf': tf(
        'module "endpoints" {',
        '  source = "terraform-aws-modules/vpc/aws//modules/vpc-endpoints"',
        '}',
        'module "mine" {',
        '  source = "./modules/lambda"',
        '}',
      ),
    });
    assert.deepEqual([graph.vpcs.length, graph.functions.length], [0, 0]);
  });

  it('models terraform-aws-modules/lambda: VPC inputs, the flag, and where they are written', async () => {
    const { graph } = await parse({
      'main.tf': tf(
        'module "f" {',
        '  source                      = "terraform-aws-modules/lambda/aws"',
        '  vpc_subnet_ids              = var.subnets',
        '  vpc_security_group_ids      = [aws_security_group.sg.id]',
        '  ipv6_allowed_for_dual_stack = true',
        '}',
        'resource "aws_security_group" "sg" {}',
      ),
    });
    const fn = element(graph, 'functions', 'module.f');
    assert.deepEqual(
      [fn.hasVpcConfig, fn.ipv6Flag, fn.subnets, fn.securityGroups, at(fn.loc), at(fn.vpcConfigLoc), at(fn.flagLoc), at(fn.securityGroupsLoc)],
      [unknown('variable subnets'), true, unknown('variable subnets'), ['aws_security_group.sg'], '0:0-0:10', '0:0-0:10', '4:2-4:36', '3:2-3:24'],
    );
  });

  it('gives the lambda module no VPC when vpc_security_group_ids is missing (the module writes no vpc_config)', async () => {
    const { graph } = await parse({
      'main.tf': tf('module "f" {', '  source         = "terraform-aws-modules/lambda/aws"', '  vpc_subnet_ids = ["subnet-1"]', '}'),
    });
    const fn = graph.functions[0];
    assert.deepEqual([fn.hasVpcConfig, fn.subnets, fn.securityGroups], [false, [], []]);
  });
});

describe('terraform parsing', () => {
  it('skips a file with a syntax error, naming the line, and analyses the other files', async () => {
    const unit = await parse({
      'broken.tf': tf('resource "aws_subnet" "x" {', '  cidr_block = "10.0.0.0/24"', '', '  vpc_id = ', '}'),
      'good.tf': tf('resource "aws_vpc" "main" {}'),
    });
    assert.deepEqual(unit.skipped, [{ file: 'broken.tf', reason: 'syntax error at line 4' }]);
    assert.deepEqual(unit.graph.vpcs.map((v) => v.key), ['aws_vpc.main']);
    assert.deepEqual(unit.graph.subnets, []);
  });

  it('reports columns in UTF-16 units after non-ASCII text', async () => {
    const { graph } = await parse({ 'main.tf': tf('/* é 😀 */ resource "aws_vpc" "main" {}') });
    assert.equal(at(graph.vpcs[0].loc), '0:11-0:36');
  });

  it('reads suppressions from #, // and /* */ comments', async () => {
    const unit = await parse({
      'main.tf': tf(
        '# ipv6-lambda-disable-next-line IPV6L001',
        'resource "aws_vpc" "a" {}',
        '// ipv6-lambda-disable IPV6N002',
        '/* ipv6-lambda-disable-next-line',
        '   IPV6S001 */',
        'resource "aws_vpc" "b" {}',
      ),
    });
    const suppressions = unit.suppressions.get('main.tf')!;
    assert.deepEqual([...suppressions.wholeFile], ['IPV6N002']);
    assert.deepEqual([...suppressions.nextLine].map(([line, rules]) => [line, [...rules]]), [
      [0, ['IPV6L001']],
      [4, ['IPV6S001']],
    ]);
  });

  it('reads suppressions only from comments, not from the same words in strings and heredocs', async () => {
    const unit = await parse({
      'main.tf': tf(
        'locals {',
        '  a = "é 😀 # ipv6-lambda-disable IPV6L001"',
        '  b = "// ipv6-lambda-disable IPV6L002 /* x */"',
        '  c = <<EOT',
        '# ipv6-lambda-disable IPV6L003',
        'EOT',
        '  d = 1# ipv6-lambda-disable-next-line IPV6N001',
        '  /* # ipv6-lambda-disable-next-line IPV6N003 */ e = "😀"',
        '}',
        '// ipv6-lambda-disable IPV6N002',
      ),
    });
    const suppressions = unit.suppressions.get('main.tf')!;
    assert.deepEqual([...suppressions.wholeFile], ['IPV6N002']);
    assert.deepEqual([...suppressions.nextLine].map(([line, rules]) => [line, [...rules]]), [
      [6, ['IPV6N001']],
      [7, ['IPV6N003']],
    ]);
  });
});
