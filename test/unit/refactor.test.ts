import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits } from '../../src/core/fixes/fixAll';
import type { SourceFormat } from '../../src/core/model/source';
import { enableIpv6Refactor } from '../../src/core/fixes/enableDualStack';

const workspace = path.join(__dirname, '../workspace');

function unitOf(format: SourceFormat, relative: string, text = fs.readFileSync(path.join(workspace, relative), 'utf8')) {
  return { format, files: [{ path: relative, text }] };
}

describe('the "Enable IPv6 dual-stack for this function" refactoring', () => {
  it('only sets the flag when the subnets are dual-stack already', async () => {
    const unit = unitOf('cloudformation', 'cloudformation/nat-only.yaml');
    const refactor = await enableIpv6Refactor(unit, unit.files[0].path, { line: 50, character: 8 });
    assert.equal(refactor?.title, 'Enable IPv6 dual-stack for Handler');
    assert.equal(refactor?.disabledReason, undefined);
    const after = applyEdits(unit.files[0].text, refactor!.edits!).split('\n');
    const before = unit.files[0].text.split('\n');
    assert.deepEqual(after.slice(0, 59), before.slice(0, 59));
    assert.equal(after[59], '        Ipv6AllowedForDualStack: true');
    assert.deepEqual(after.slice(60), before.slice(59));
  });

  it('makes an IPv4-only CDK VPC dual-stack for a function that already sets the flag', async () => {
    const unit = unitOf('cdk-python', 'cdk/stack.py');
    const refactor = await enableIpv6Refactor(unit, unit.files[0].path, { line: 14, character: 14 });
    assert.equal(refactor?.disabledReason, undefined);
    const after = applyEdits(unit.files[0].text, refactor!.edits!).split('\n');
    assert.equal(after[7], '        vpc = ec2.Vpc(self, "Vpc", ip_protocol=ec2.IpProtocol.DUAL_STACK)');
    assert.equal(after.filter((line) => line.includes('ipv6_allowed_for_dual_stack=True')).length, 1);
  });

  it('makes each Terraform subnet dual-stack with its own /64, then sets the flag', async () => {
    const text = [
      'resource "aws_vpc" "main" {',
      '  cidr_block                       = "10.0.0.0/16"',
      '  assign_generated_ipv6_cidr_block = true',
      '}',
      '',
      'resource "aws_subnet" "a" {',
      '  vpc_id     = aws_vpc.main.id',
      '  cidr_block = "10.0.1.0/24"',
      '}',
      '',
      'resource "aws_subnet" "b" {',
      '  vpc_id     = aws_vpc.main.id',
      '  cidr_block = "10.0.2.0/24"',
      '}',
      '',
      'resource "aws_lambda_function" "fn" {',
      '  function_name = "fn"',
      '  vpc_config {',
      '    subnet_ids         = [aws_subnet.a.id, aws_subnet.b.id]',
      '    security_group_ids = ["sg-1"]',
      '  }',
      '}',
      '',
    ].join('\n');
    const unit = { format: 'terraform' as const, files: [{ path: 'main.tf', text }] };
    const refactor = await enableIpv6Refactor(unit, 'main.tf', { line: 17, character: 4 });
    assert.equal(refactor?.disabledReason, undefined);
    const after = applyEdits(text, refactor!.edits!);
    const cidrs = [...after.matchAll(/ipv6_cidr_block\s+= (cidrsubnet\(aws_vpc\.main\.ipv6_cidr_block, 8, \d+\))/g)].map((m) => m[1]);
    assert.equal(cidrs.length, 2);
    assert.notEqual(cidrs[0], cidrs[1]);
    assert.match(after, /\n {4}ipv6_allowed_for_dual_stack = true\n/);
  });

  it('explains what is missing when the VPC has no IPv6 block in the template', async () => {
    const unit = unitOf('cloudformation', 'cloudformation/flag-without-ipv6.json');
    const refactor = await enableIpv6Refactor(unit, unit.files[0].path, { line: 18, character: 10 });
    assert.equal(refactor?.edits, undefined);
    assert.match(refactor!.disabledReason!, /subnet Ipv4Subnet has no IPv6 CIDR and cannot be made dual-stack here/);
  });

  it('explains that a function outside a VPC gets no outbound IPv6', async () => {
    const text = "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n";
    const unit = { format: 'cloudformation' as const, files: [{ path: 't.yaml', text }] };
    const refactor = await enableIpv6Refactor(unit, 't.yaml', { line: 1, character: 3 });
    assert.equal(refactor?.disabledReason, 'Fn is not in a VPC: outbound IPv6 needs a VPC function in dual-stack subnets.');
  });

  it('is not offered away from any function', async () => {
    const unit = unitOf('cloudformation', 'cloudformation/nat-only.yaml');
    assert.equal(await enableIpv6Refactor(unit, unit.files[0].path, { line: 5, character: 4 }), undefined);
  });
});
