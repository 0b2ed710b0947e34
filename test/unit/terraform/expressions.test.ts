/** The expression shapes registry modules use, evaluated inside a local module with its caller's arguments. */
import * as assert from 'node:assert/strict';
import { parseTerraform } from '../../../src/core/parse/terraform';
import { tf } from './helpers';

async function subnet(arguments_: string[], known: string[]) {
  const parsed = await parseTerraform(
    [
      { path: 'main.tf', text: tf('module "net" {', '  source = "./net"', ...arguments_, '}') },
      {
        path: 'net/main.tf',
        text: tf(
          'variable "enable_ipv6" { default = false }',
          'variable "prefixes" { default = [] }',
          'variable "subnets" { default = [] }',
          'locals {',
          '  len    = max(length(var.subnets), length(var.prefixes))',
          '  create = local.len > 0 && !false',
          '  vpc_id = try(aws_vpc_ipv4_cidr_block_association.this[0].vpc_id, aws_vpc.this.id, "")',
          '}',
          'resource "aws_vpc" "this" {}',
          'resource "aws_vpc_ipv4_cidr_block_association" "this" {',
          '  count = 0',
          '}',
          'resource "aws_subnet" "s" {',
          '  vpc_id          = local.create ? local.vpc_id : null',
          '  cidr_block      = element(concat(var.subnets, [""]), 0)',
          '  ipv6_cidr_block = var.enable_ipv6 && length(var.prefixes) > 0 ? cidrsubnet("::/56", 8, 1) : null',
          ...known,
          '}',
        ),
      },
    ],
    '.',
  );
  const found = parsed.graph.subnets[0];
  return { vpc: found.vpc, ipv4: found.ipv4, ipv6: found.ipv6 };
}

describe('Terraform expressions of registry modules', () => {
  it('reads conditionals, &&, comparisons, length/max, try past an empty count and element(concat(…))', async () => {
    assert.deepEqual(await subnet(['  enable_ipv6 = true', '  prefixes = [1]', '  subnets = ["10.0.1.0/24"]'], []), {
      vpc: 'module.net.aws_vpc.this',
      ipv4: true,
      ipv6: true,
    });
  });

  it('keeps an unknown input unknown', async () => {
    assert.deepEqual(await subnet(['  enable_ipv6 = var.root_switch', '  prefixes = [1]', '  subnets = ["10.0.1.0/24"]'], []), {
      vpc: 'module.net.aws_vpc.this',
      ipv4: true,
      ipv6: { unknown: true, why: 'a conditional expression' },
    });
  });
});
