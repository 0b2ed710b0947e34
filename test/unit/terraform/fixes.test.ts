import * as assert from 'node:assert/strict';
import { parseTerraform } from '../../../src/core/parse/terraform';
import { applied, element, fixture, parse, tf } from './helpers';

/** Parses the files, runs one fix builder method, and returns every file's text afterwards. */
async function fixed(files: Record<string, string>, write: (unit: Awaited<ReturnType<typeof parse>>) => ReturnType<Awaited<ReturnType<typeof parse>>['fixes']['setFlag']>) {
  const unit = await parse(files);
  const written = write(unit);
  const texts = applied(files, written);
  const reparsed = await parse(texts);
  assert.deepEqual(reparsed.skipped, [], 'the fixed files parse');
  return { texts, creates: written!.creates };
}

const vpcFile = tf(
  'resource "aws_vpc" "main" {',
  '  cidr_block                       = "10.0.0.0/16"',
  '  assign_generated_ipv6_cidr_block = true',
  '}',
);

describe('terraform fixes: the Lambda flag', () => {
  it('inserts the flag into vpc_config, re-aligning the run of attributes as terraform fmt does', async () => {
    const files = Object.fromEntries(fixture('nat-only').map((f) => [f.path, f.text]));
    const { texts } = await fixed(files, ({ graph, fixes }) => fixes.setFlag(element(graph, 'functions', 'aws_lambda_function.api'), true));
    assert.equal(
      texts['lambda.tf'].split('\n').slice(7, 12).join('\n'),
      [
        '  vpc_config {',
        '    subnet_ids                  = aws_subnet.private[*].id',
        '    security_group_ids          = [aws_security_group.lambda.id]',
        '    ipv6_allowed_for_dual_stack = true',
        '  }',
      ].join('\n'),
    );
  });

  it('keeps the alignment of a longer run when the flag is shorter than its names', async () => {
    const files = {
      'main.tf': tf(
        'resource "aws_lambda_function" "f" {',
        '  vpc_config {',
        '    subnet_ids                             = var.subnets',
        '    a_very_long_attribute_name_for_testing = 1',
        '  }',
        '}',
      ),
    };
    const { texts } = await fixed(files, ({ graph, fixes }) => fixes.setFlag(graph.functions[0], true));
    assert.equal(
      texts['main.tf'],
      tf(
        'resource "aws_lambda_function" "f" {',
        '  vpc_config {',
        '    subnet_ids                             = var.subnets',
        '    a_very_long_attribute_name_for_testing = 1',
        '    ipv6_allowed_for_dual_stack            = true',
        '  }',
        '}',
      ),
    );
  });

  it('changes the value of an existing flag and keeps its trailing comment', async () => {
    const files = {
      'main.tf': tf(
        'resource "aws_lambda_function" "f" {',
        '  vpc_config {',
        '    subnet_ids                  = var.subnets',
        '    ipv6_allowed_for_dual_stack = true # needed?',
        '  }',
        '}',
      ),
    };
    const { texts } = await fixed(files, ({ graph, fixes }) => fixes.setFlag(graph.functions[0], false));
    assert.equal(texts['main.tf'].split('\n')[3], '    ipv6_allowed_for_dual_stack = false # needed?');
  });

  it('expands a one-line vpc_config block to hold the flag', async () => {
    const files = {
      'main.tf': tf('resource "aws_lambda_function" "f" {', '  vpc_config { subnet_ids = [aws_subnet.a.id] }', '}'),
    };
    const { texts } = await fixed(files, ({ graph, fixes }) => fixes.setFlag(graph.functions[0], true));
    assert.equal(
      texts['main.tf'],
      tf(
        'resource "aws_lambda_function" "f" {',
        '  vpc_config {',
        '    subnet_ids                  = [aws_subnet.a.id]',
        '    ipv6_allowed_for_dual_stack = true',
        '  }',
        '}',
      ),
    );
  });

  it('inserts the flag into the lambda module block after its VPC inputs', async () => {
    const files = Object.fromEntries(fixture('registry-modules').map((f) => [f.path, f.text]));
    const { texts } = await fixed(files, ({ graph, fixes }) => fixes.setFlag(element(graph, 'functions', 'module.function'), true));
    assert.equal(
      texts['main.tf'].split('\n').slice(33, 39).join('\n'),
      [
        '',
        '  vpc_subnet_ids              = module.vpc.private_subnets',
        '  vpc_security_group_ids      = [module.vpc.default_security_group_id]',
        '  ipv6_allowed_for_dual_stack = true',
        '  attach_network_policy       = true',
        '}',
      ].join('\n'),
    );
  });

  it('inserts the flag after a multi-line subnet list without aligning across it, and into an empty block', async () => {
    const files = {
      'main.tf': tf(
        'resource "aws_lambda_function" "f" {',
        '  vpc_config {',
        '    security_group_ids = [aws_security_group.sg.id]',
        '    subnet_ids = [',
        '      aws_subnet.a.id,',
        '    ]',
        '  }',
        '}',
        'resource "aws_lambda_function" "g" {',
        '  vpc_config {',
        '  }',
        '}',
      ),
    };
    const { texts } = await fixed(files, ({ graph, fixes }) => fixes.setFlag(graph.functions[0], true));
    assert.equal(texts['main.tf'].split('\n').slice(1, 8).join('\n'), [
      '  vpc_config {',
      '    security_group_ids = [aws_security_group.sg.id]',
      '    subnet_ids = [',
      '      aws_subnet.a.id,',
      '    ]',
      '    ipv6_allowed_for_dual_stack = true',
      '  }',
    ].join('\n'));
    const empty = await fixed(files, ({ graph, fixes }) => fixes.setFlag(graph.functions[1], true));
    assert.equal(empty.texts['main.tf'].split('\n').slice(8).join('\n'), tf('resource "aws_lambda_function" "g" {', '  vpc_config {', '    ipv6_allowed_for_dual_stack = true', '  }', '}'));
  });

  it('keeps CRLF line endings in the lines it writes', async () => {
    const files = { 'main.tf': 'resource "aws_lambda_function" "f" {\r\n  vpc_config {\r\n    subnet_ids = var.subnets\r\n  }\r\n}\r\n' };
    const { texts } = await fixed(files, ({ graph, fixes }) => fixes.setFlag(graph.functions[0], true));
    assert.equal(
      texts['main.tf'],
      'resource "aws_lambda_function" "f" {\r\n  vpc_config {\r\n    subnet_ids                  = var.subnets\r\n    ipv6_allowed_for_dual_stack = true\r\n  }\r\n}\r\n',
    );
  });

  it('writes nothing for a function without vpc_config, or to set an absent flag false', async () => {
    const { graph, fixes } = await parse({
      'main.tf': tf('resource "aws_lambda_function" "a" {}', 'resource "aws_lambda_function" "b" {', '  vpc_config {', '    subnet_ids = []', '  }', '}'),
    });
    assert.equal(fixes.setFlag(graph.functions[0], true), undefined);
    assert.equal(fixes.setFlag(graph.functions[1], false), undefined);
  });

  it('removes the flag and re-aligns what remains', async () => {
    const files = {
      'main.tf': tf(
        'resource "aws_lambda_function" "f" {',
        '  vpc_config {',
        '    subnet_ids                  = []',
        '    security_group_ids          = []',
        '    ipv6_allowed_for_dual_stack = true',
        '  }',
        '}',
      ),
    };
    const { texts } = await fixed(files, ({ graph, fixes }) => fixes.removeFlag(graph.functions[0]));
    assert.equal(
      texts['main.tf'],
      tf('resource "aws_lambda_function" "f" {', '  vpc_config {', '    subnet_ids         = []', '    security_group_ids = []', '  }', '}'),
    );
  });
});

describe('terraform fixes: routes', () => {
  it('retargets an aws_route from the NAT gateway to the existing EIGW', async () => {
    const files = {
      'vpc.tf': vpcFile,
      'routes.tf': tf(
        'resource "aws_egress_only_internet_gateway" "eigw" {',
        '  vpc_id = aws_vpc.main.id',
        '}',
        '',
        'resource "aws_route_table" "rt" {',
        '  vpc_id = aws_vpc.main.id',
        '}',
        '',
        'resource "aws_route" "v6" {',
        '  route_table_id              = aws_route_table.rt.id',
        '  destination_ipv6_cidr_block = "::/0"',
        '  nat_gateway_id              = "nat-0abc"',
        '}',
      ),
    };
    const { texts, creates } = await fixed(files, ({ graph, fixes }) => fixes.retargetRouteToEigw(element(graph, 'routes', 'aws_route.v6'), 'aws_vpc.main'));
    assert.equal(texts['routes.tf'].split('\n').slice(8, 13).join('\n'), [
      'resource "aws_route" "v6" {',
      '  route_table_id              = aws_route_table.rt.id',
      '  destination_ipv6_cidr_block = "::/0"',
      '  egress_only_gateway_id      = aws_egress_only_internet_gateway.eigw.id',
      '}',
    ].join('\n'));
    assert.equal(creates, undefined);
  });

  it('retargets an inline route and adds the EIGW after the VPC, in the VPC file, with the same VPC expression', async () => {
    const files = {
      'vpc.tf': vpcFile + tf('', 'resource "aws_egress_only_internet_gateway" "main" {', '  vpc_id = var.other_vpc', '}'),
      'routes.tf': tf(
        'resource "aws_route_table" "rt" {',
        '  vpc_id = aws_vpc.main.id',
        '  route {',
        '    ipv6_cidr_block = "::/0"',
        '    gateway_id      = aws_internet_gateway.igw.id',
        '  }',
        '}',
      ),
    };
    const { texts, creates } = await fixed(files, ({ graph, fixes }) => fixes.retargetRouteToEigw(element(graph, 'routes', 'aws_route_table.rt.route[0]'), 'aws_vpc.main'));
    assert.deepEqual(creates, ['eigw:aws_vpc.main']);
    assert.equal(
      texts['vpc.tf'],
      tf(
        'resource "aws_vpc" "main" {',
        '  cidr_block                       = "10.0.0.0/16"',
        '  assign_generated_ipv6_cidr_block = true',
        '}',
        '',
        'resource "aws_egress_only_internet_gateway" "main_2" {',
        '  vpc_id = aws_vpc.main.id',
        '}',
        '',
        'resource "aws_egress_only_internet_gateway" "main" {',
        '  vpc_id = var.other_vpc',
        '}',
      ),
    );
    assert.equal(
      texts['routes.tf'],
      tf(
        'resource "aws_route_table" "rt" {',
        '  vpc_id = aws_vpc.main.id',
        '  route {',
        '    ipv6_cidr_block        = "::/0"',
        '    egress_only_gateway_id = aws_egress_only_internet_gateway.main_2.id',
        '  }',
        '}',
      ),
    );
  });

  it('adds an inline ::/0 route block to a table that uses inline routes (and the EIGW it needs)', async () => {
    const files = Object.fromEntries(fixture('nat-only').map((f) => [f.path, f.text]));
    const { texts, creates } = await fixed(files, ({ graph, fixes }) =>
      fixes.addIpv6DefaultRoute(element(graph, 'routeTables', 'aws_route_table.private'), 'aws_vpc.main'),
    );
    assert.deepEqual(creates, ['eigw:aws_vpc.main']);
    assert.equal(
      texts['network.tf'].split('\n').slice(8, 21).join('\n'),
      [
        'resource "aws_route_table" "private" {',
        '  vpc_id = aws_vpc.main.id',
        '',
        '  route {',
        '    cidr_block     = "0.0.0.0/0"',
        '    nat_gateway_id = aws_nat_gateway.main.id',
        '  }',
        '',
        '  route {',
        '    ipv6_cidr_block        = "::/0"',
        '    egress_only_gateway_id = aws_egress_only_internet_gateway.main.id',
        '  }',
        '}',
      ].join('\n'),
    );
    assert.equal(
      texts['main.tf'].split('\n').slice(0, 10).join('\n'),
      [
        '# A dual-stack VPC whose private subnets reach the internet only through NAT.',
        'resource "aws_vpc" "main" {',
        '  cidr_block                       = "10.0.0.0/16"',
        '  assign_generated_ipv6_cidr_block = true',
        '}',
        '',
        'resource "aws_egress_only_internet_gateway" "main" {',
        '  vpc_id = aws_vpc.main.id',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('adds an aws_route after a table without inline routes, using the existing EIGW', async () => {
    const files = {
      'main.tf':
        vpcFile +
        tf(
          '',
          'resource "aws_egress_only_internet_gateway" "eigw" {',
          '  vpc_id = aws_vpc.main.id',
          '}',
          '',
          'resource "aws_route_table" "private" {',
          '  vpc_id = aws_vpc.main.id',
          '}',
          '',
          'resource "aws_route" "private_ipv4" {',
          '  route_table_id         = aws_route_table.private.id',
          '  destination_cidr_block = "0.0.0.0/0"',
          '  nat_gateway_id         = "nat-0abc"',
          '}',
        ),
    };
    const { texts, creates } = await fixed(files, ({ graph, fixes }) => fixes.addIpv6DefaultRoute(element(graph, 'routeTables', 'aws_route_table.private'), 'aws_vpc.main'));
    assert.equal(creates, undefined);
    assert.equal(
      texts['main.tf'].split('\n').slice(9, 19).join('\n'),
      [
        'resource "aws_route_table" "private" {',
        '  vpc_id = aws_vpc.main.id',
        '}',
        '',
        'resource "aws_route" "private_ipv6_default" {',
        '  route_table_id              = aws_route_table.private.id',
        '  destination_ipv6_cidr_block = "::/0"',
        '  egress_only_gateway_id      = aws_egress_only_internet_gateway.eigw.id',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('gives the new aws_route the count of a table with count', async () => {
    const files = {
      'main.tf':
        vpcFile +
        tf('resource "aws_egress_only_internet_gateway" "eigw" {', '  vpc_id = aws_vpc.main.id', '}', 'resource "aws_route_table" "private" {', '  count  = 2', '  vpc_id = aws_vpc.main.id', '}'),
    };
    const { texts } = await fixed(files, ({ graph, fixes }) => fixes.addIpv6DefaultRoute(element(graph, 'routeTables', 'aws_route_table.private'), 'aws_vpc.main'));
    assert.equal(
      texts['main.tf'].split('\n').slice(11).join('\n'),
      [
        '',
        'resource "aws_route" "private_ipv6_default" {',
        '  count = length(aws_route_table.private)',
        '',
        '  route_table_id              = aws_route_table.private[count.index].id',
        '  destination_ipv6_cidr_block = "::/0"',
        '  egress_only_gateway_id      = aws_egress_only_internet_gateway.eigw.id',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('turns create_egress_only_igw on for the vpc module, which then routes ::/0 to its EIGW', async () => {
    const files = {
      'main.tf': tf(
        'module "vpc" {',
        '  source                 = "terraform-aws-modules/vpc/aws"',
        '  private_subnets        = ["10.0.1.0/24"]',
        '  enable_ipv6            = true',
        '  enable_nat_gateway     = true',
        '  create_egress_only_igw = false',
        '}',
      ),
    };
    const { texts, creates } = await fixed(files, ({ graph, fixes }) =>
      fixes.addIpv6DefaultRoute(element(graph, 'routeTables', 'module.vpc.private_route_table'), 'module.vpc'),
    );
    assert.deepEqual(creates, ['eigw:module.vpc']);
    assert.equal(texts['main.tf'].split('\n')[5], '  create_egress_only_igw = true');
  });
});

describe('terraform fixes: security group egress', () => {
  it('mirrors 0.0.0.0/0 egress blocks with ipv6_cidr_blocks, re-aligning the block', async () => {
    const files = Object.fromEntries(fixture('nat-only').map((f) => [f.path, f.text]));
    const { texts } = await fixed(files, ({ graph, fixes }) => fixes.addIpv6Egress(element(graph, 'securityGroups', 'aws_security_group.lambda'), 'mirror'));
    assert.equal(
      texts['network.tf'].split('\n').slice(24).join('\n'),
      [
        'resource "aws_security_group" "lambda" {',
        '  name   = "lambda"',
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
        '',
      ].join('\n'),
    );
  });

  it('mirrors an aws_vpc_security_group_egress_rule for 0.0.0.0/0 with a cidr_ipv6 copy', async () => {
    const files = {
      'main.tf': tf(
        'resource "aws_security_group" "sg" {',
        '  vpc_id = var.vpc_id',
        '}',
        '',
        'resource "aws_vpc_security_group_egress_rule" "all" {',
        '  security_group_id = aws_security_group.sg.id',
        '  cidr_ipv4         = "0.0.0.0/0"',
        '  ip_protocol       = "-1"',
        '}',
      ),
    };
    const { texts } = await fixed(files, ({ graph, fixes }) => fixes.addIpv6Egress(graph.securityGroups[0], 'mirror'));
    assert.equal(
      texts['main.tf'].split('\n').slice(4).join('\n'),
      [
        'resource "aws_vpc_security_group_egress_rule" "all" {',
        '  security_group_id = aws_security_group.sg.id',
        '  cidr_ipv4         = "0.0.0.0/0"',
        '  ip_protocol       = "-1"',
        '}',
        '',
        'resource "aws_vpc_security_group_egress_rule" "all_ipv6" {',
        '  security_group_id = aws_security_group.sg.id',
        '  cidr_ipv6         = "::/0"',
        '  ip_protocol       = "-1"',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('has nothing to mirror for a group without IPv4 egress to 0.0.0.0/0', async () => {
    const { graph, fixes } = await parse({ 'main.tf': tf('resource "aws_security_group" "sg" {', '  vpc_id = var.vpc_id', '}') });
    assert.equal(fixes.addIpv6Egress(graph.securityGroups[0], 'mirror'), undefined);
  });

  it('adds a TCP 443 ::/0 egress block to a group without rule resources', async () => {
    const files = { 'main.tf': tf('resource "aws_security_group" "sg" {', '  vpc_id = var.vpc_id', '}') };
    const { texts } = await fixed(files, ({ graph, fixes }) => fixes.addIpv6Egress(graph.securityGroups[0], 'https'));
    assert.equal(
      texts['main.tf'],
      tf(
        'resource "aws_security_group" "sg" {',
        '  vpc_id = var.vpc_id',
        '',
        '  egress {',
        '    from_port        = 443',
        '    to_port          = 443',
        '    protocol         = "tcp"',
        '    ipv6_cidr_blocks = ["::/0"]',
        '  }',
        '}',
      ),
    );
  });

  it('adds a TCP 443 ::/0 rule resource to a group whose egress lives in rule resources', async () => {
    const files = {
      'main.tf': tf(
        'resource "aws_security_group" "sg" {',
        '  vpc_id = var.vpc_id',
        '}',
        'resource "aws_vpc_security_group_egress_rule" "dns" {',
        '  security_group_id = aws_security_group.sg.id',
        '  cidr_ipv4         = "10.0.0.2/32"',
        '  ip_protocol       = "udp"',
        '  from_port         = 53',
        '  to_port           = 53',
        '}',
      ),
    };
    const { texts } = await fixed(files, ({ graph, fixes }) => fixes.addIpv6Egress(graph.securityGroups[0], 'https'));
    assert.equal(
      texts['main.tf'].split('\n').slice(0, 11).join('\n'),
      [
        'resource "aws_security_group" "sg" {',
        '  vpc_id = var.vpc_id',
        '}',
        '',
        'resource "aws_vpc_security_group_egress_rule" "sg_ipv6_https" {',
        '  security_group_id = aws_security_group.sg.id',
        '  cidr_ipv6         = "::/0"',
        '  ip_protocol       = "tcp"',
        '  from_port         = 443',
        '  to_port           = 443',
        '}',
      ].join('\n'),
    );
  });
});

describe('terraform fixes: dual-stack subnets', () => {
  it('gives the subnet a free /64 of the VPC and the VPC an Amazon-provided IPv6 block', async () => {
    const files = {
      'main.tf': tf(
        'resource "aws_vpc" "main" {',
        '  cidr_block = "10.0.0.0/16"',
        '}',
        '',
        'resource "aws_subnet" "used" {',
        '  vpc_id          = aws_vpc.main.id',
        '  cidr_block      = "10.0.0.0/24"',
        '  ipv6_cidr_block = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 0)',
        '}',
        '',
        'resource "aws_subnet" "a" {',
        '  vpc_id            = aws_vpc.main.id',
        '  cidr_block        = "10.0.1.0/24"',
        '  availability_zone = "eu-west-1a"',
        '}',
      ),
    };
    const { texts } = await fixed(files, ({ fixes }) => fixes.makeDualStack('aws_subnet.a'));
    assert.equal(
      texts['main.tf'],
      tf(
        'resource "aws_vpc" "main" {',
        '  cidr_block                       = "10.0.0.0/16"',
        '  assign_generated_ipv6_cidr_block = true',
        '}',
        '',
        'resource "aws_subnet" "used" {',
        '  vpc_id          = aws_vpc.main.id',
        '  cidr_block      = "10.0.0.0/24"',
        '  ipv6_cidr_block = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 0)',
        '}',
        '',
        'resource "aws_subnet" "a" {',
        '  vpc_id            = aws_vpc.main.id',
        '  cidr_block        = "10.0.1.0/24"',
        '  ipv6_cidr_block   = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)',
        '  availability_zone = "eu-west-1a"',
        '}',
      ),
    );
  });

  it('mirrors the IPv4 number (10.0.9.0/24 → 9) when every IPv6 subnet of the VPC mirrors its own, count.index included', async () => {
    const unit = await parseTerraform(fixture('nat-only'));
    const extra = tf('resource "aws_subnet" "v4" {', '  vpc_id     = aws_vpc.main.id', '  cidr_block = "10.0.9.0/24"', '}');
    const withExtra = await parse({ ...Object.fromEntries(fixture('nat-only').map((f) => [f.path, f.text])), 'extra.tf': extra });
    assert.deepEqual(withExtra.fixes.makeDualStack('aws_subnet.v4')?.edits.map((edit) => edit.newText), [
      '  vpc_id          = aws_vpc.main.id\n  cidr_block      = "10.0.9.0/24"\n  ipv6_cidr_block = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 9)',
    ]);
    assert.equal(unit.fixes.makeDualStack('aws_subnet.private'), undefined);
  });

  it('writes nothing when another subnet numbers its /64 by count.index other than its IPv4 number (no free number is certain)', async () => {
    const files = Object.fromEntries(
      fixture('nat-only').map((f) => [f.path, f.text.replace('ipv6_cidr_block = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, count.index + 10)', 'ipv6_cidr_block = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, count.index + 20)')]),
    );
    const withExtra = await parse({ ...files, 'extra.tf': tf('resource "aws_subnet" "v4" {', '  vpc_id     = aws_vpc.main.id', '  cidr_block = "10.0.9.0/24"', '}') });
    assert.equal(withExtra.fixes.makeDualStack('aws_subnet.v4'), undefined);
  });
});
