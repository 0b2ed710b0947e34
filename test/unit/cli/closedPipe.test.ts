import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** A template whose `check` text output is far beyond a pipe's buffer: one IPv4-only function per subnet. */
function manyFunctionsTemplate(count: number): string {
  const resources: Record<string, unknown> = { Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } } };
  for (let i = 0; i < count; i++) {
    resources[`Subnet${i}`] = { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: `10.0.${i % 256}.0/24`, Ipv6CidrBlock: `2001:db8:0:${i.toString(16)}::/64` } };
    resources[`Fn${i}`] = {
      Type: 'AWS::Lambda::Function',
      Properties: { Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::123456789012:role/fn', Code: { ZipFile: 'x' }, VpcConfig: { SubnetIds: [{ Ref: `Subnet${i}` }], SecurityGroupIds: ['sg-0123456789abcdef0'] } },
    };
  }
  return JSON.stringify({ Resources: resources }, undefined, 2);
}

describe('the CLI when its reader goes away', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ipv6-lambda-pipe-'));
    writeFileSync(path.join(dir, 'template.json'), manyFunctionsTemplate(1500));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('stops printing without an error and keeps its exit code when stdout is closed (check | head)', async () => {
    const cli = path.join(__dirname, '..', '..', '..', 'src', 'cli.ts');
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', cli, 'check', path.join(dir, 'template.json')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let firstChunk = '';
    child.stdout.once('data', (chunk: Buffer) => {
      firstChunk = chunk.toString();
      child.stdout.destroy();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.match(firstChunk, /warning IPV6L001 Function Fn0 /);
    assert.equal(stderr, '');
    assert.equal(code, 1);
  });
});
