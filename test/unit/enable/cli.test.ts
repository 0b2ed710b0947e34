import * as assert from 'node:assert/strict';
import { ALL_IPV4_EGRESS, ScenarioBuilder } from '../../emulator/scenarios';
import * as disable from '../../../src/cli/disable';
import * as enable from '../../../src/cli/enable';
import type { CliIo } from '../../../src/cli/io';
import { CREDENTIALS, REGION, harness, type Harness } from './helpers';

interface Run {
  code: number;
  out: string;
  err: string;
  questions: string[];
}

/** Runs a command in-process; `answer` undefined means no terminal (io.confirm absent). */
async function runCli(command: 'enable' | 'disable', args: string[], answer?: boolean): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const questions: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    isTty: answer !== undefined,
    cwd: process.cwd(),
    env: {},
    ...(answer !== undefined
      ? {
          confirm: async (question: string) => {
            questions.push(question);
            return answer;
          },
        }
      : {}),
  };
  const code = await { enable, disable }[command].run(args, io, { credentials: CREDENTIALS });
  return { code, out: out.join('\n'), err: err.join('\n'), questions };
}

describe('ipv6-lambda enable / disable (in-process, on the emulator)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function scenario() {
    const b = new ScenarioBuilder();
    const r = b.region(REGION);
    const net = r.natOnlyVpc({ securityGroupEgress: [ALL_IPV4_EGRESS] });
    const ready = r.dualStackVpc();
    r.fn('api', { network: net }).fn('worker', { network: ready }).fn('on', { network: ready, ipv6: true }).fn('legacy', { network: r.ipv4OnlyVpc() });
    r.natBytes(net.natId!, 3 * 2 ** 30, 2 ** 30);
    h = await harness(b.build());
    return { net, ready, common: ['--region', REGION, '--endpoint-url', h.emulator.url] };
  }
  const flagOf = async (name: string) => (await h!.region()).functions!.find((f) => f.FunctionName === name)!.VpcConfig!.Ipv6AllowedForDualStack;

  it('--dry-run prints the plan and the AWS CLI commands and changes nothing', async () => {
    const { net, common } = await scenario();
    const before = await h!.state();
    const run = await runCli('enable', ['api', '--with-network', '--dry-run', ...common]);
    assert.equal(run.code, 0);
    assert.match(run.out, /^Enable IPv6 for Lambda functions in eu-west-1\n\nChanges, in this order:\n1\. Create an egress-only internet gateway in vpc-\w+\n2\. Add route ::\/0 → /);
    assert.match(run.out, new RegExp(`The same changes as AWS CLI commands:\nEIGW_\\w+=\\$\\(aws ec2 create-egress-only-internet-gateway --vpc-id ${net.vpcId} `));
    assert.match(run.out, /aws lambda update-function-configuration --function-name api --vpc-config SubnetIds=subnet-\w+,subnet-\w+,SecurityGroupIds=sg-\w+,Ipv6AllowedForDualStack=true --revision-id [0-9a-f-]{36} --region eu-west-1 --endpoint-url http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(await h!.state(), before);
  });

  it('shows in the plan what the NAT gateway of the functions processed, at --nat-price-per-gb', async () => {
    const { net, common } = await scenario();
    const run = await runCli('enable', ['api', '--dry-run', '--nat-price-per-gb', '0.1', ...common]);
    assert.equal(run.code, 0, run.err);
    assert.ok(run.out.includes(`\n- ${net.natId} (api): 4.00 GB in 30 days ≈ $0.40 at $0.1/GB\n`), run.out);
  });

  it('refuses to apply without a terminal and without --yes (exit 2), changing nothing', async () => {
    const { common } = await scenario();
    const run = await runCli('enable', ['worker', ...common]);
    assert.equal(run.code, 2);
    assert.equal(run.err, 'ipv6-lambda enable: not applied: there is no terminal to confirm on. Re-run with --yes to apply the plan above, or with --dry-run to only print it.');
    assert.equal(await flagOf('worker'), false);
  });

  it('applies with --yes, logging each write, and exits 0; a second run has nothing to do', async () => {
    const { common } = await scenario();
    const run = await runCli('enable', ['worker', '--yes', ...common]);
    assert.equal(run.code, 0, run.err);
    assert.equal(await flagOf('worker'), true);
    assert.match(run.err, /^UpdateFunctionConfiguration worker Ipv6AllowedForDualStack=true: sent \(revision [0-9a-f-]+ -> [0-9a-f-]+\)\nUpdateFunctionConfiguration worker Ipv6AllowedForDualStack=true: verified\n\[1\/1\] worker … enabled$/);
    assert.ok(
      run.out.endsWith(
        ['', 'Function  Region     IPv6 before → after  Verified', '--------  ---------  -------------------  --------', 'worker    eu-west-1  off → on             yes', '', '1 function: 1 enabled (1 region).'].join('\n'),
      ),
      run.out,
    );

    const again = await runCli('enable', ['worker', '--yes', ...common]);
    assert.equal(again.code, 0);
    assert.match(again.out, /No changes\.\n\nNothing to do:\n- worker: IPv6 is already enabled on worker\./);
  });

  it('asks on a terminal and applies only on yes', async () => {
    const { common } = await scenario();
    const no = await runCli('enable', ['worker', ...common], false);
    assert.deepEqual(no.questions, ['Apply these 1 change?']);
    assert.match(no.out, /Cancelled; nothing was changed\.$/);
    assert.equal(await flagOf('worker'), false);
    const yes = await runCli('enable', ['worker', ...common], true);
    assert.equal(yes.code, 0);
    assert.equal(await flagOf('worker'), true);
  });

  it('exits 1 when the preflight refuses a function, naming its subnets', async () => {
    const { common } = await scenario();
    const run = await runCli('enable', ['legacy', '--yes', ...common]);
    assert.equal(run.code, 1);
    assert.match(run.out, /Refused:\n- legacy: IPV6L002: subnets subnet-\w+, subnet-\w+ have no IPv6 CIDR block\./);
  });

  it('--all-ready enables exactly the functions whose status is ready, in one confirmation', async () => {
    const { common } = await scenario();
    const run = await runCli('enable', ['--all-ready', ...common], true);
    assert.equal(run.code, 0, run.err);
    assert.equal(run.questions.length, 1);
    const functions = (await h!.region()).functions!.map((f) => [f.FunctionName, f.VpcConfig!.Ipv6AllowedForDualStack]);
    assert.deepEqual(functions, [['api', true], ['worker', true], ['on', true], ['legacy', false]]);
  });

  it('disable turns the flag off and never changes the network', async () => {
    const { common } = await scenario();
    const before = await h!.region();
    const run = await runCli('disable', ['on', '--yes', ...common]);
    assert.equal(run.code, 0, run.err);
    assert.equal(await flagOf('on'), false);
    const after = await h!.region();
    assert.deepEqual({ ...after, functions: [] }, { ...before, functions: [] });
    const usage = await runCli('disable', ['on', '--with-network', ...common]);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /^ipv6-lambda disable: Unknown option '--with-network'/);
  });

  it('exits 2 with a usage message when no function is named', async () => {
    const run = await runCli('enable', ['--region', REGION]);
    assert.equal(run.code, 2);
    assert.equal(run.err, 'ipv6-lambda enable: name at least one function or pass --all-ready.\nRun `ipv6-lambda enable --help` for its options.');
  });

  it('never prints credentials', async () => {
    const { common } = await scenario();
    const runs = [
      await runCli('enable', ['api', 'legacy', '--with-network', '--dry-run', ...common]),
      await runCli('enable', ['api', '--with-network', '--yes', ...common]),
      await runCli('disable', ['api', '--yes', '--debug', ...common]),
    ];
    h!.emulator.state.regions.get(REGION)!.deny.add('lambda:UpdateFunctionConfiguration');
    runs.push(await runCli('enable', ['worker', '--yes', '--debug', ...common]));
    assert.equal(runs[3].code, 2);
    const text = runs.map((r) => `${r.out}\n${r.err}`).join('\n');
    for (const secret of [CREDENTIALS.secretAccessKey, CREDENTIALS.sessionToken, CREDENTIALS.accessKeyId]) assert.ok(!text.includes(secret));
  });
});
