/** terraform-aws-modules/vpc modelled from its inputs: IPv6-only groups, DNS64 defaults, the EIGW, the default security group. */
import * as assert from 'node:assert/strict';
import { analyzeParsed } from '../../../src/core/analysis/analyze';
import { parse } from './helpers';

const lambda = (flag: string, groups = '["sg-0123456789abcdef0"]') => `
module "lambda" {
  source                      = "terraform-aws-modules/lambda/aws"
  function_name               = "api"
  vpc_subnet_ids              = module.vpc.private_subnets
  vpc_security_group_ids      = ${groups}
  ipv6_allowed_for_dual_stack = ${flag}
}
`;

async function rules(text: string): Promise<string[]> {
  const parsed = await parse({ 'main.tf': text });
  assert.deepEqual(parsed.skipped, []);
  return analyzeParsed(parsed).map((finding) => `${finding.rule} ${finding.subject}`);
}

describe('terraform-aws-modules/vpc', () => {
  it('creates IPv6-only subnets from the IPv6 prefixes alone: the upstream ipv6-only shape is IPV6L003, not IPV6L004', async () => {
    const found = await rules(`module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"

  cidr                         = "10.0.0.0/16"
  azs                          = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  enable_ipv6                  = true
  public_subnet_ipv6_native    = true
  public_subnet_ipv6_prefixes  = [0, 1, 2]
  private_subnet_ipv6_native   = true
  private_subnet_ipv6_prefixes = [3, 4, 5]
  enable_nat_gateway           = false
  create_egress_only_igw       = true
}
${lambda('true')}`);
    assert.ok(found.includes('IPV6L003 module.lambda'), found.join('\n'));
    assert.ok(!found.some((finding) => finding.startsWith('IPV6L004')), found.join('\n'));
  });

  it('still skips a group with neither IPv4 subnets nor IPv6 prefixes', async () => {
    const found = await rules(`module "vpc" {
  source      = "terraform-aws-modules/vpc/aws"
  version     = "~> 5.0"
  enable_ipv6 = true
  private_subnets = []
}
${lambda('true')}`);
    assert.deepEqual(found, ['IPV6L004 module.lambda']);
  });

  it('without the egress-only gateway (create_egress_only_igw = false) the NAT-only private table is IPV6N002, not IPV6N004', async () => {
    const found = await rules(`module "vpc" {
  source                       = "terraform-aws-modules/vpc/aws"
  version                      = "~> 5.0"
  enable_ipv6                  = true
  private_subnets              = ["10.0.1.0/24"]
  private_subnet_ipv6_prefixes = [1]
  enable_nat_gateway           = true
  create_egress_only_igw       = false
}
${lambda('true')}`);
    assert.ok(found.includes('IPV6N002 module.vpc.private_route_table'), found.join('\n'));
    assert.ok(!found.some((finding) => finding.startsWith('IPV6N004')), found.join('\n'));
  });

  it('models the default security group the module manages (version 5 default): no egress, so IPV6S001', async () => {
    const network = `module "vpc" {
  source                       = "terraform-aws-modules/vpc/aws"
  version                      = "~> 5.0"
  enable_ipv6                  = true
  private_subnets              = ["10.0.1.0/24"]
  private_subnet_ipv6_prefixes = [1]
  private_subnet_enable_dns64  = false
  enable_nat_gateway           = true
`;
    const groups = '[module.vpc.default_security_group_id]';
    assert.deepEqual(await rules(`${network}}\n${lambda('true', groups)}`), ['IPV6S001 module.lambda']);
    assert.deepEqual(await rules(`${network}  manage_default_security_group = false\n}\n${lambda('true', groups)}`), []);
    assert.deepEqual(await rules(`${network}  default_security_group_egress = var.egress\n}\n${lambda('true', groups)}`), []);
    assert.deepEqual(await rules(network.replace('"~> 5.0"', '"~> 4.0"') + `}\n${lambda('true', groups)}`), []);
  });
});
