import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeParsed } from '../../../src/core/analysis/analyze';
import { detectFormat } from '../../../src/core/parse';
import { functionLogicalId, parseServerless } from '../../../src/core/parse/serverless';
import { applyEdits, span } from '../cloudformation/helpers';

const service = readFileSync(path.join(__dirname, '../../fixtures/serverless/service/serverless.yml'), 'utf8');

function findings(text = service) {
  return analyzeParsed(parseServerless([{ path: 'serverless.yml', text }]));
}

function summary(text = service): string[] {
  return findings(text).map((f) => `${f.rule} ${span(f.loc?.range)} ${f.subject}`);
}

describe('Serverless Framework v4 services', () => {
  it('detects serverless.yml, .yaml and .json with a provider', () => {
    assert.equal(detectFormat('serverless.yml', service), 'serverless');
    assert.equal(detectFormat('app/serverless.json', '{\n  "service": "x",\n  "provider": {"name": "aws"}\n}\n'), 'serverless');
    assert.equal(detectFormat('serverless.yml', 'plugins: []\n'), undefined);
    assert.equal(detectFormat('other.yml', service), undefined);
  });

  it('names functions by Serverless’s logical ids', () => {
    assert.deepEqual(['api', 'my-func', 'my_func'].map(functionLogicalId), ['ApiLambdaFunction', 'MyDashfuncLambdaFunction', 'MyUnderscorefuncLambdaFunction']);
  });

  it('takes the provider vpc for functions without their own, and the function’s vpc over it', () => {
    const { graph } = parseServerless([{ path: 'serverless.yml', text: service }]);
    assert.deepEqual(
      graph.functions.map((fn) => [fn.key, fn.name, fn.subnets, fn.ipv6Flag]),
      [
        ['ApiLambdaFunction', 'api', ['DualStackSubnet'], undefined],
        ['WorkerLambdaFunction', 'worker', ['Ipv4Subnet'], true],
        ['ReportsLambdaFunction', 'reports', [{ unknown: true, why: '${ssm:/network/private-subnet} (an id not defined in this template)' }], undefined],
      ],
    );
  });

  it('flags each function where its vpc is written: the provider’s or its own', () => {
    assert.deepEqual(summary(), ['IPV6L001 6:2-6:5 ApiLambdaFunction', 'IPV6L002 18:6-18:35 WorkerLambdaFunction']);
  });

  it('sets the flag in the provider’s vpc for a function that uses it', () => {
    const l001 = findings().find((f) => f.rule === 'IPV6L001')!;
    const fixed = applyEdits(service, l001.fixes.find((fix) => fix.preferred)!.edits);
    assert.equal(fixed, service.replace('      - !Ref DualStackSubnet\n', '      - !Ref DualStackSubnet\n    ipv6AllowedForDualStack: true\n'));
    assert.deepEqual(summary(fixed).filter((line) => line.startsWith('IPV6L001')), []);
  });

  it('offers to turn the function’s own flag off', () => {
    const l002 = findings().find((f) => f.rule === 'IPV6L002')!;
    const off = l002.fixes.find((fix) => fix.title.toLowerCase().includes('false'))!;
    assert.equal(applyEdits(service, off.edits), service.replace('ipv6AllowedForDualStack: true', 'ipv6AllowedForDualStack: false'));
  });

  it('follows ${self:…} to what the same file writes there', () => {
    const viaCustom = service
      .replace(/ {2}vpc:\n {4}securityGroupIds:\n {6}- !Ref LambdaSecurityGroup\n {4}subnetIds:\n {6}- !Ref DualStackSubnet\n/, '  vpc: ${self:custom.vpc}\n')
      .replace('functions:\n', 'custom:\n  ipv6: false\n  vpc:\n    ipv6AllowedForDualStack: ${self:custom.ipv6}\n    securityGroupIds:\n      - !Ref LambdaSecurityGroup\n    subnetIds:\n      - ${self:custom.subnet}\n  subnet: !Ref DualStackSubnet\n\nfunctions:\n');
    const [api] = parseServerless([{ path: 'serverless.yml', text: viaCustom }]).graph.functions;
    assert.deepEqual([api.subnets, api.securityGroups, api.ipv6Flag], [['DualStackSubnet'], ['LambdaSecurityGroup'], false]);
    assert.deepEqual(summary(viaCustom).filter((line) => line.includes('Api')), ['IPV6L001 6:2-6:5 ApiLambdaFunction']);
  });

  it('keeps a vpc from a variable unknown', () => {
    const variable = service.replace(/ {2}vpc:\n {4}securityGroupIds:\n {6}- !Ref LambdaSecurityGroup\n {4}subnetIds:\n {6}- !Ref DualStackSubnet\n/, '  vpc: ${file(./vpc.yml)}\n');
    assert.notEqual(variable, service);
    assert.deepEqual(summary(variable), ['IPV6L002 14:6-14:35 WorkerLambdaFunction']);
  });

  it('has a function snippet that expands to a function with the flag in its own vpc', () => {
    const snippets = JSON.parse(readFileSync(path.join(__dirname, '../../../snippets/serverless.json'), 'utf8')) as Record<string, { prefix: string; body: string[] }>;
    const snippet = Object.values(snippets).find((candidate) => candidate.prefix === 'ipv6-lambda-serverless-function')!;
    const expanded = snippet.body.join('\n').replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, '');
    const text = `service: s\nprovider:\n  name: aws\nfunctions:\n${expanded.replace(/^/gm, '  ')}\n`;
    const [fn] = parseServerless([{ path: 'serverless.yml', text }]).graph.functions;
    assert.deepEqual([fn.name, fn.ipv6Flag, fn.hasVpcConfig], ['api', true, true]);
  });
});
