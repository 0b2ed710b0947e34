/**
 * IPV6M001 per format: fires on a VPC function whose subnets are all known IPv4-only and whose
 * route tables send 0.0.0.0/0 to a NAT gateway; silent on anything unknown.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeParsed } from '../../../src/core/analysis/analyze';
import type { Finding } from '../../../src/core/model/findings';
import type { SourceFormat } from '../../../src/core/model/source';
import { parseUnit } from '../../../src/core/parse';

const ROOT = path.resolve(__dirname, '../../..');
const read = (relative: string) => readFileSync(path.join(ROOT, relative), 'utf8');

async function m001(format: SourceFormat, files: Record<string, string>): Promise<Finding[]> {
  const parsed = await parseUnit({ format, files: Object.entries(files).map(([p, text]) => ({ path: p, text })) });
  assert.deepEqual(parsed.skipped, []);
  return analyzeParsed(parsed).filter((finding) => finding.rule === 'IPV6M001');
}

function span(finding: Finding): string {
  const { start, end } = finding.loc!.range;
  return `${start.line}:${start.character}-${end.line}:${end.character}`;
}

const CFN = read('examples/cloudformation/ipv4-only.yaml');
const TF = read('examples/terraform/ipv4-only/main.tf');
const CDK_TS = read('examples/cdk/ipv4-only-stack.ts');
const CDK_PY = read('examples/cdk/ipv4_only_stack.py');

describe('IPV6M001: IPv4-only VPC function behind a NAT gateway', () => {
  describe('CloudFormation YAML', () => {
    it('reports at VpcConfig with the message naming function, subnets and NAT gateway; related: the NAT gateway and subnets', async () => {
      const [finding, ...others] = await m001('cloudformation', { 't.yaml': CFN });
      assert.deepEqual(others, []);
      assert.equal(finding.severity, 'info');
      assert.equal(
        finding.message,
        'Function OrdersApiFunction in IPv4-only subnets PrivateSubnetA, PrivateSubnetB reaches the internet only over IPv4 through NAT gateway NatGateway: migrate its VPC to dual-stack so IPv6 traffic leaves through an egress-only internet gateway.',
      );
      assert.equal(span(finding), '134:6-134:15');
      assert.deepEqual(
        finding.related.map((info) => [info.message, info.loc.range.start.line]),
        [
          ["NAT gateway NatGateway carries the function's IPv4 traffic", 83],
          ['Subnet PrivateSubnetA has no IPv6 CIDR block', 30],
          ['Subnet PrivateSubnetB has no IPv6 CIDR block', 37],
        ],
      );
    });

    it('is silent when a subnet comes from a parameter, when the route goes to an internet gateway, or when the flag is on (IPV6L002 speaks)', async () => {
      const parameter = CFN.replace('Resources:\n', 'Parameters:\n  Extra:\n    Type: AWS::EC2::Subnet::Id\n\nResources:\n').replace(
        '          - !Ref PrivateSubnetB\n',
        '          - !Ref PrivateSubnetB\n          - !Ref Extra\n',
      );
      assert.deepEqual(await m001('cloudformation', { 't.yaml': parameter }), []);
      const publicOnly = CFN.replace('      NatGatewayId: !Ref NatGateway', '      GatewayId: !Ref InternetGateway');
      assert.deepEqual(await m001('cloudformation', { 't.yaml': publicOnly }), []);
      const flagOn = CFN.replace('          - !Ref FunctionSecurityGroup\n', '          - !Ref FunctionSecurityGroup\n        Ipv6AllowedForDualStack: true\n');
      assert.deepEqual(await m001('cloudformation', { 't.yaml': flagOn }), []);
    });

    it('is silent when the route table of a subnet is not known (association from a parameter)', async () => {
      const text = CFN.replace('Resources:\n', 'Parameters:\n  Table:\n    Type: String\n\nResources:\n').replace(
        '      SubnetId: !Ref PrivateSubnetB\n      RouteTableId: !Ref PrivateRouteTable',
        '      SubnetId: !Ref PrivateSubnetB\n      RouteTableId: !Ref Table',
      );
      assert.deepEqual(await m001('cloudformation', { 't.yaml': text }), []);
    });
  });

  describe('CloudFormation JSON and SAM', () => {
    it('JSON: reports OrdersApiFunction at its VpcConfig', async () => {
      const findings = await m001('cloudformation', { 't.json': read('examples/cloudformation/ipv4-only.json') });
      assert.deepEqual(findings.map((finding) => `${finding.subject} ${span(finding)}`), ['OrdersApiFunction 228:8-228:19']);
    });

    it('JSON: silent when the subnets are dual-stack already', async () => {
      const text = read('test/fixtures/migration/ipv4-only.json');
      assert.deepEqual(await m001('cloudformation', { 't.json': text }), []);
    });

    it('SAM: reports each function at the Globals VpcConfig it takes', async () => {
      const findings = await m001('cloudformation', { 't.yaml': read('examples/cloudformation/sam-ipv4-only.yaml') });
      assert.deepEqual(findings.map((finding) => `${finding.subject} ${span(finding)}`), ['ImageResizerFunction 10:4-10:13', 'ThumbnailIndexerFunction 10:4-10:13']);
    });

    it('SAM: silent for a function without VpcConfig', async () => {
      const text = read('examples/cloudformation/sam-ipv4-only.yaml').replace(/ {4}VpcConfig:\n( {6}.*\n)+/, '');
      assert.deepEqual(await m001('cloudformation', { 't.yaml': text }), []);
    });
  });

  describe('Terraform', () => {
    it('resources with count subnets: reports at vpc_config', async () => {
      const findings = await m001('terraform', { 'main.tf': TF });
      assert.deepEqual(findings.map((finding) => `${finding.subject} ${span(finding)}`), ['aws_lambda_function.orders_api 110:2-110:12']);
      assert.match(findings[0].message, /IPv4-only subnet aws_subnet\.private reaches the internet only over IPv4 through NAT gateway aws_nat_gateway\.main/);
    });

    it('resources: silent when the NAT gateway id is a variable', async () => {
      const text = TF.replace('nat_gateway_id = aws_nat_gateway.main.id', 'gateway_id     = var.gateway_id') + '\nvariable "gateway_id" {}\n';
      assert.deepEqual(await m001('terraform', { 'main.tf': text }), []);
    });

    it('terraform-aws-modules/vpc: reports the lambda module; silent without enable_nat_gateway', async () => {
      const text = read('examples/terraform/ipv4-only-modules/main.tf');
      assert.deepEqual((await m001('terraform', { 'main.tf': text })).map((finding) => finding.subject), ['module.image_resizer']);
      const withoutNat = text.replace('  enable_nat_gateway = true\n  single_nat_gateway = true\n', '');
      assert.deepEqual(await m001('terraform', { 'main.tf': withoutNat }), []);
    });
  });

  describe('CDK', () => {
    it('TypeScript: reports both functions of CDK default VPC at their vpc prop', async () => {
      const findings = await m001('cdk-typescript', { 'stack.ts': CDK_TS });
      assert.deepEqual(findings.map((finding) => `${finding.subject} ${span(finding)}`), ['OrdersApi 20:6-20:9', 'BillingWorker 30:6-30:9']);
      assert.match(findings[0].message, /through NAT gateway Vpc NAT gateway/);
    });

    it('TypeScript: silent with natGateways: 0, a custom subnetConfiguration, or a dual-stack VPC', async () => {
      for (const props of ['{ maxAzs: 2, natGateways: 0 }', '{ maxAzs: 2, subnetConfiguration: subnets }', '{ maxAzs: 2, natGateways: count }', '{ maxAzs: 2, ipProtocol: ec2.IpProtocol.DUAL_STACK }']) {
        const text = CDK_TS.replace('{ maxAzs: 2, natGateways: 1 }', props);
        assert.deepEqual(await m001('cdk-typescript', { 'stack.ts': text }), [], props);
      }
    });

    it('Python: reports both functions; silent with nat_gateways=0', async () => {
      const findings = await m001('cdk-python', { 'stack.py': CDK_PY });
      assert.deepEqual(findings.map((finding) => `${finding.subject} ${span(finding)}`), ['OrdersApi 22:12-22:15', 'BillingWorker 34:12-34:15']);
      assert.deepEqual(await m001('cdk-python', { 'stack.py': CDK_PY.replace('nat_gateways=1', 'nat_gateways=0') }), []);
    });
  });
});
