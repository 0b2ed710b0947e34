/**
 * Against the real library: the migrated CDK TypeScript example is transpiled with the TypeScript
 * compiler API, evaluated with the real aws-cdk-lib, and synthesized offline
 * (`new App({ outdir })` + `app.synth()`); the template must hold what the migration promises.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

const ROOT = path.resolve(__dirname, '../../..');

/** Evaluates a CDK TypeScript source as a CommonJS module whose imports resolve to this project's packages. */
function loadStackModule(source: string): Record<string, unknown> {
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
  const module = { exports: {} as Record<string, unknown> };
  new Function('exports', 'require', 'module', outputText)(module.exports, require, module);
  return module.exports;
}

function synthesize(source: string, stackClass: string): Template {
  const { App } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const outdir = mkdtempSync(path.join(tmpdir(), 'ipv6-lambda-cdk-'));
  try {
    const app = new App({ outdir });
    const Stack = loadStackModule(source)[stackClass] as new (scope: unknown, id: string) => unknown;
    new Stack(app, 'Migrated');
    return app.synth().getStackByName('Migrated').template as Template;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function ofType(template: Template, type: string) {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

describe('CDK: the migrated TypeScript example synthesizes with the real aws-cdk-lib', function () {
  this.timeout(180_000);
  let original: Template;
  let after: Template;
  before(() => {
    original = synthesize(readFileSync(path.join(ROOT, 'examples/cdk/ipv4-only-stack.ts'), 'utf8'), 'Ipv4OnlyStack');
    after = synthesize(readFileSync(path.join(ROOT, 'test/fixtures/migration/ipv4-only-stack.ts.txt'), 'utf8'), 'Ipv4OnlyStack');
  });

  it('starts IPv4-only: a NAT gateway, no IPv6 block, no egress-only gateway', () => {
    assert.equal(ofType(original, 'AWS::EC2::NatGateway').length, 1);
    assert.equal(ofType(original, 'AWS::EC2::VPCCidrBlock').length, 0);
    assert.equal(ofType(original, 'AWS::EC2::EgressOnlyInternetGateway').length, 0);
  });

  it('has the VPCCidrBlock, the egress-only gateway with ::/0 routes, and still the NAT gateway', () => {
    const blocks = ofType(after, 'AWS::EC2::VPCCidrBlock');
    assert.equal(blocks.length, 1);
    assert.equal(blocks[0][1].Properties?.AmazonProvidedIpv6CidrBlock, true);
    assert.equal(ofType(after, 'AWS::EC2::EgressOnlyInternetGateway').length, 1);
    assert.equal(ofType(after, 'AWS::EC2::NatGateway').length, 1);
    const ipv6Defaults = ofType(after, 'AWS::EC2::Route').filter(([, route]) => route.Properties?.DestinationIpv6CidrBlock === '::/0' && route.Properties?.EgressOnlyInternetGatewayId);
    assert.ok(ipv6Defaults.length >= 2, 'each private subnet routes ::/0 to the egress-only gateway');
    const natDefaults = ofType(after, 'AWS::EC2::Route').filter(([, route]) => route.Properties?.DestinationCidrBlock === '0.0.0.0/0' && route.Properties?.NatGatewayId);
    assert.ok(natDefaults.length >= 2, 'the private subnets keep 0.0.0.0/0 → NAT');
  });

  it('sets Ipv6AllowedForDualStack on both functions and IPv6 egress on both security groups', () => {
    const functions = ofType(after, 'AWS::Lambda::Function');
    assert.equal(functions.length, 2);
    for (const [, fn] of functions) assert.equal((fn.Properties?.VpcConfig as { Ipv6AllowedForDualStack?: boolean }).Ipv6AllowedForDualStack, true);
    const groups = ofType(after, 'AWS::EC2::SecurityGroup');
    assert.equal(groups.length, 2);
    for (const [, group] of groups) {
      const egress = group.Properties?.SecurityGroupEgress as { CidrIpv6?: string; IpProtocol?: string }[];
      assert.ok(egress.some((rule) => rule.CidrIpv6 === '::/0' && rule.IpProtocol === '-1'), JSON.stringify(egress));
    }
  });
});
