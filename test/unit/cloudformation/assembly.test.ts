import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, CfnOutput, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { analyzeUnit } from '../../../src/core/analysis/analyzeUnit';
import { unitName } from '../../../src/core/project/units';
import { collectUnits } from '../../../src/core/project/workspace';

/** The standard two-stack app: a dual-stack VPC in one stack, a function using it in another. */
function synthesize(outdir: string): void {
  const app = new App({ outdir });
  const network = new Stack(app, 'Network');
  const vpc = new ec2.Vpc(network, 'Vpc', { ipProtocol: ec2.IpProtocol.DUAL_STACK, maxAzs: 1, natGateways: 1 });
  const api = new Stack(app, 'Api');
  new lambda.Function(api, 'Handler', {
    runtime: lambda.Runtime.NODEJS_20_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => "ok";'),
    vpc,
  });
  app.synth();
}

describe('a synthesized CDK cloud assembly', function () {
  this.timeout(60_000);
  let outdir: string;
  before(() => {
    outdir = mkdtempSync(path.join(tmpdir(), 'ipv6-lambda-assembly-'));
    synthesize(outdir);
  });
  after(() => rmSync(outdir, { recursive: true, force: true }));

  it('analyses the stacks that import each other as one unit and flags the function across the stack boundary', async () => {
    const { units } = await collectUnits(['.'], { cwd: outdir });
    assert.deepEqual(
      units.map((unit) => unit.files.map((file) => file.path)),
      [['Api.template.json', 'Network.template.json', 'manifest.json']],
    );
    const { findings } = await analyzeUnit(units[0]);
    const l001 = findings.filter((finding) => finding.rule === 'IPV6L001');
    assert.deepEqual(
      l001.map((finding) => finding.loc?.file),
      ['Api.template.json'],
    );
    assert.match(l001[0].subject, /^Api\.Handler[0-9A-F]{8}$/);
    // At the function's VpcConfig key, wherever the synthesizer's layout puts it.
    const lines = units[0].files[0].text.split('\n');
    const { start, end } = l001[0].loc!.range;
    assert.equal(start.line, end.line);
    assert.equal(lines[start.line].slice(start.character, end.character), '"VpcConfig"');
    assert.equal(lines.filter((line) => line.includes('"VpcConfig"')).length, 1);
    assert.match(l001[0].message, /^Function Handler[0-9A-F]{8} is in dual-stack subnet VpcPrivateSubnet1Subnet[0-9A-F]{8} /);
  });

  it('analyses a template named on its own with the assembly whose manifest lists it', async () => {
    const { units } = await collectUnits(['Api.template.json'], { cwd: outdir });
    assert.deepEqual(units.map(unitName), [`. (CDK cloud assembly, 2 templates)`]);
  });

  it('stays silent on the function when its template is analysed alone', async () => {
    const { findings } = await analyzeUnit({ format: 'cloudformation', files: [{ path: 'Api.template.json', text: readFileSync(path.join(outdir, 'Api.template.json'), 'utf8') }] });
    assert.deepEqual(findings.filter((finding) => finding.rule === 'IPV6L001'), []);
  });
});

/**
 * Stacks linked by names rather than by CDK's own references: the network stack, deployed as
 * `network-prod`, exports `${AWS::StackName}-SubnetId`; the API stack imports
 * `${NetworkStackName}-SubnetId`, a parameter whose default names the network stack.
 */
function synthesizeByStackName(outdir: string, networkStackName: string | undefined, parameterDefault: string | undefined): void {
  const app = new App({ outdir });
  const network = new Stack(app, 'Network', networkStackName ? { stackName: networkStackName } : {});
  const vpc = new ec2.Vpc(network, 'Vpc', { ipProtocol: ec2.IpProtocol.DUAL_STACK, maxAzs: 1, natGateways: 1 });
  const group = new ec2.SecurityGroup(network, 'FunctionSecurityGroup', { vpc, allowAllOutbound: true, allowAllIpv6Outbound: true });
  new CfnOutput(network, 'SubnetId', { value: vpc.privateSubnets[0].subnetId, exportName: Fn.sub('${AWS::StackName}-SubnetId') });
  new CfnOutput(network, 'SecurityGroupId', { value: group.securityGroupId, exportName: Fn.sub('${AWS::StackName}-SecurityGroupId') });
  const api = new Stack(app, 'Api');
  new CfnParameter(api, 'NetworkStackName', { type: 'String', ...(parameterDefault ? { default: parameterDefault } : {}) });
  new lambda.CfnFunction(api, 'Handler', {
    runtime: 'nodejs22.x',
    handler: 'index.handler',
    role: 'arn:aws:iam::123456789012:role/api',
    code: { zipFile: 'exports.handler = async () => "ok";' },
    vpcConfig: {
      subnetIds: [Fn.importValue(Fn.sub('${NetworkStackName}-SubnetId'))],
      securityGroupIds: [Fn.importValue(Fn.sub('${NetworkStackName}-SecurityGroupId'))],
    },
  });
  app.synth();
}

describe('a cloud assembly whose stacks import each other by stack name', function () {
  this.timeout(60_000);
  const outdirs: string[] = [];
  function assembly(networkStackName: string | undefined, parameterDefault: string | undefined): string {
    const outdir = mkdtempSync(path.join(tmpdir(), 'ipv6-lambda-assembly-'));
    outdirs.push(outdir);
    synthesizeByStackName(outdir, networkStackName, parameterDefault);
    return outdir;
  }
  after(() => outdirs.forEach((outdir) => rmSync(outdir, { recursive: true, force: true })));

  async function l001(outdir: string): Promise<string[]> {
    const { units } = await collectUnits(['.'], { cwd: outdir });
    assert.deepEqual(
      units.map((unit) => unit.files.map((file) => file.path)),
      [['Api.template.json', 'Network.template.json', 'manifest.json']],
    );
    const api = units[0].files[0].text;
    assert.match(api, /"Fn::ImportValue": \{\s+"Fn::Sub": "\$\{NetworkStackName\}-SubnetId"/);
    const { findings } = await analyzeUnit(units[0]);
    return findings.filter((finding) => finding.rule === 'IPV6L001').map((finding) => {
      const { start, end } = finding.loc!.range;
      return `${finding.loc!.file} ${start.line}:${start.character}-${end.line}:${end.character} ${api.split('\n')[start.line].slice(start.character, end.character)} ${finding.subject}`;
    });
  }

  const vpcConfigLine = (outdir: string) => readFileSync(path.join(outdir, 'Api.template.json'), 'utf8').split('\n').findIndex((line) => line.includes('"VpcConfig"'));

  it('resolves ${AWS::StackName} with the manifest’s stackName and the import’s parameter default', async () => {
    const outdir = assembly('network-prod', 'network-prod');
    assert.equal(JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')).artifacts.Network.properties.stackName, 'network-prod');
    const line = vpcConfigLine(outdir);
    assert.deepEqual(await l001(outdir), [`Api.template.json ${line}:4-${line}:15 "VpcConfig" Api.Handler`]);
  });

  it('takes the artifact id as the stack name when the manifest gives none', async () => {
    const outdir = assembly(undefined, 'Network');
    assert.equal(JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')).artifacts.Network.properties.stackName, undefined);
    const line = vpcConfigLine(outdir);
    assert.deepEqual(await l001(outdir), [`Api.template.json ${line}:4-${line}:15 "VpcConfig" Api.Handler`]);
  });

  it('is silent when the parameter default names another stack, or the parameter has no default', async () => {
    assert.deepEqual(await l001(assembly('network-prod', 'network-staging')), []);
    assert.deepEqual(await l001(assembly('network-prod', undefined)), []);
  });

  it('is silent without the manifest, where the exporting stack’s name is unknown', async () => {
    const outdir = assembly('network-prod', 'network-prod');
    const read = (name: string) => ({ path: name, text: readFileSync(path.join(outdir, name), 'utf8') });
    const { findings } = await analyzeUnit({ format: 'cloudformation', files: [read('Api.template.json'), read('Network.template.json')] });
    assert.deepEqual(findings.filter((finding) => finding.rule === 'IPV6L001'), []);
  });
});
