import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { analyzeUnit } from '../../../src/core/analysis/analyzeUnit';
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
      [['Api.template.json', 'Network.template.json']],
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

  it('stays silent on the function when its template is analysed alone', async () => {
    const { units } = await collectUnits(['Api.template.json'], { cwd: outdir });
    const { findings } = await analyzeUnit(units[0]);
    assert.deepEqual(findings.filter((finding) => finding.rule === 'IPV6L001'), []);
  });
});
