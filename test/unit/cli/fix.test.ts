import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { IPV6_ONLY_TEMPLATE, TEMPLATE, TERRAFORM_MAIN, TempProject } from './harness';

describe('ipv6-lambda fix', () => {
  let project: TempProject;
  beforeEach(() => {
    project = new TempProject({ 'template.yaml': TEMPLATE, 'infra/main.tf': TERRAFORM_MAIN });
  });
  afterEach(() => project.remove());

  it('applies the preferred fixes in place, including those a first fix brings up, and exits 0', async () => {
    const result = await project.run(['fix', 'template.yaml']);
    assert.equal(result.code, 0);
    assert.equal(
      result.out,
      [
        'template.yaml: fixed IPV6N001: Route it to the egress-only internet gateway',
        'template.yaml: fixed IPV6L001: Set Ipv6AllowedForDualStack to true on Fn',
        // The flag makes the function's IPv4-only security group a finding of its own.
        'template.yaml: fixed IPV6S001: Add IPv6 egress to security group Sg mirroring its IPv4 egress',
        'Applied 3 fixes in 1 file.',
      ].join('\n'),
    );
    const fixed = project.read('template.yaml');
    assert.match(fixed, /Type: AWS::EC2::EgressOnlyInternetGateway/);
    assert.match(fixed, /Ipv6AllowedForDualStack: true/);
    assert.match(fixed, /CidrIpv6: "?::\/0"?/);
    assert.doesNotMatch(fixed, /DestinationIpv6CidrBlock: ::\/0\n\s+NatGatewayId/);
    assert.equal((await project.run(['check', 'template.yaml'])).code, 0);
  });

  it('changes nothing the second time', async () => {
    await project.run(['fix']);
    const once = { template: project.read('template.yaml'), terraform: project.read('infra/main.tf') };
    const again = await project.run(['fix']);
    assert.equal(again.code, 0);
    assert.equal(again.out, 'No fixes to apply.');
    assert.deepEqual({ template: project.read('template.yaml'), terraform: project.read('infra/main.tf') }, once);
  });

  it('prints a unified diff with --dry-run and writes nothing', async () => {
    const result = await project.run(['fix', '--dry-run', 'infra']);
    assert.equal(result.code, 0);
    assert.match(result.out, /^Index: infra\/main\.tf\n={67}\n--- infra\/main\.tf\n\+\+\+ infra\/main\.tf\n@@ /);
    assert.match(result.out, /\n\+resource "aws_egress_only_internet_gateway" "main" \{\n/);
    assert.match(result.out, /\nWould apply 1 fix in 1 file\.$/);
    assert.equal(project.read('infra/main.tf'), TERRAFORM_MAIN);
  });

  it('fixes only the rules named by --rule', async () => {
    const result = await project.run(['fix', '--rule', 'IPV6L001', 'template.yaml']);
    assert.equal(result.code, 0);
    assert.equal(result.out, 'template.yaml: fixed IPV6L001: Set Ipv6AllowedForDualStack to true on Fn\nApplied 1 fix in 1 file.');
    assert.match(project.read('template.yaml'), /NatGatewayId: !Ref Nat\n {2}Assoc:/);
  });

  it('exits 1 and lists what remains when a finding has no fix', async () => {
    project.write('only.yaml', IPV6_ONLY_TEMPLATE);
    const result = await project.run(['fix', 'only.yaml']);
    assert.equal(result.code, 1);
    assert.equal(
      result.out,
      [
        'No fixes to apply.',
        'Remaining:',
        'only.yaml:15:7 error IPV6L003 Function Fn is attached to IPv6-only subnet Subnet: Lambda supports only dual-stack or IPv4 subnets.',
        '1 problem (1 error, 0 warnings) in 1 file',
      ].join('\n'),
    );
    assert.equal(project.read('only.yaml'), IPV6_ONLY_TEMPLATE);
  });

  it('rejects an unknown rule with exit code 2', async () => {
    const result = await project.run(['fix', '--rule', 'L001']);
    assert.equal(result.code, 2);
    assert.match(result.err, /^ipv6-lambda fix: --rule: unknown rule 'L001'/);
  });
});

describe('ipv6-lambda fix writing files', () => {
  it('keeps a CRLF template CRLF', async () => {
    const project = new TempProject({ 'template.yaml': TEMPLATE.replace(/\n/g, '\r\n') });
    try {
      assert.equal((await project.run(['fix', 'template.yaml'])).code, 0);
      const fixed = project.read('template.yaml');
      assert.match(fixed, /Ipv6AllowedForDualStack: true\r\n/);
      assert.doesNotMatch(fixed, /[^\r]\n/);
    } finally {
      project.remove();
    }
  });
});

describe('ipv6-lambda fix and the migration', () => {
  let project: TempProject;
  beforeEach(() => {
    project = new TempProject({});
  });
  afterEach(() => project.remove());

  it('points IPv4-only VPCs behind a NAT gateway (IPV6M001) to migrate, with the exact commands, and the printed command migrates them', async () => {
    const example = readFileSync(path.join(__dirname, '..', '..', '..', 'examples', 'cloudformation', 'ipv4-only.yaml'), 'utf8');
    project.write('net/ipv4 only.yaml', example);
    const result = await project.run(['fix', 'net']);
    assert.equal(result.code, 1);
    assert.equal(
      result.out.split('\n').slice(-2).join('\n'),
      [
        '1 problem (0 errors, 0 warnings, 1 info) in 1 file',
        "IPV6M001 needs the dual-stack migration, which fix does not make: review it with `ipv6-lambda migrate --dry-run 'net/ipv4 only.yaml'`, then apply it with `ipv6-lambda migrate 'net/ipv4 only.yaml'`.",
      ].join('\n'),
    );
    assert.equal(project.read('net/ipv4 only.yaml'), example);
    assert.equal((await project.run(['migrate', 'net/ipv4 only.yaml'])).code, 0);
    assert.equal((await project.run(['fix', 'net'])).out, 'No fixes to apply.');
  });

  it('gives no migration hint when no IPV6M001 remains', async () => {
    project.write('only.yaml', IPV6_ONLY_TEMPLATE);
    const result = await project.run(['fix', 'only.yaml']);
    assert.doesNotMatch(result.out, /ipv6-lambda migrate/);
  });
});
