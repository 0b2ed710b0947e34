/**
 * `npm run bench:enable` — `enable --all-ready --yes` on 72 ready functions (and 8 that are not),
 * 20 ms per request, once clean and once under 30 % throttling + 10 % server errors, on the same
 * scenario. Goal: the faulted run takes at most 2× the clean one. `--adaptive` also times the SDK's
 * adaptive retry mode under faults (slow: minutes). Prints figures; never fails.
 */
import { runEnableCommand } from '../src/cli/enable';
import type { CliIo } from '../src/cli/io';
import type { ClientOptions } from '../src/core/aws/clients';
import { ScenarioBuilder } from '../test/emulator/scenarios';
import { EmulatorProcess } from './emulatorProcess';

const REGION = 'eu-west-1';
const READY = 72;
const LATENCY_MS = 20;
const GOAL = 2;
const CREDENTIALS = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' };

function scenario() {
  const b = new ScenarioBuilder();
  const r = b.region(REGION);
  const nets = [r.dualStackVpc({ subnets: 4 }), r.dualStackVpc({ subnets: 4, viaMainTable: true })];
  const legacy = r.ipv4OnlyVpc();
  for (let i = 0; i < READY; i++) r.fn(`orders-${String(i).padStart(2, '0')}`, { network: nets[i % 2] });
  for (let i = 0; i < 4; i++) r.fn(`legacy-${i}`, { network: legacy }).fn(`plain-${i}`);
  return b.build();
}

interface Run {
  elapsedMs: number;
  summary: string;
  requests: number;
  throttled: number;
  serverErrors: number;
}

async function enableAllReady(faults: string[], aws: ClientOptions): Promise<Run> {
  const emulator = await EmulatorProcess.start(scenario(), ['--latency-ms', String(LATENCY_MS), '--seed', '7', ...faults]);
  try {
    const out: string[] = [];
    const io: CliIo = { out: (text) => out.push(text), err: () => undefined, isTty: false, cwd: process.cwd(), env: {} };
    const started = Date.now();
    await runEnableCommand(['--all-ready', '--yes', '--region', REGION, '--endpoint-url', emulator.url], io, true, { credentials: CREDENTIALS, ...aws });
    const elapsedMs = Date.now() - started;
    const stats = await emulator.stats();
    const summary = out.join('\n').split('\n').filter((line) => /^\d+ functions?: /.test(line)).pop() ?? `no summary: ${out.join('\n').slice(-300)}`;
    return { elapsedMs, summary, requests: stats.total, throttled: stats.throttled, serverErrors: stats.serverErrors };
  } finally {
    emulator.close();
  }
}

function print(label: string, run: Run): void {
  process.stdout.write(`${label.padEnd(34)} ${String(run.elapsedMs).padStart(6)} ms  ${run.requests} requests (${run.throttled} throttled, ${run.serverErrors} server errors)  ${run.summary}\n`);
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  await Promise.all([import('@aws-sdk/client-lambda'), import('@aws-sdk/client-ec2'), import('@aws-sdk/credential-providers')]);
  const faults = ['--throttle-rate', '0.3', '--error-rate', '0.1'];
  process.stdout.write(`enable --all-ready: ${READY} ready functions of ${READY + 8}, ${LATENCY_MS} ms latency\n`);
  const clean = await enableAllReady([], {});
  print('clean (standard, our backoff)', clean);
  const faulted = await enableAllReady(faults, {});
  print('faulted (standard, our backoff)', faulted);
  process.stdout.write(`faulted / clean              ${(faulted.elapsedMs / clean.elapsedMs).toFixed(2)}× (goal ≤ ${GOAL}×)\n`);
  if (process.argv.includes('--adaptive')) {
    const adaptive = await enableAllReady(faults, { retryMode: 'adaptive' });
    print('faulted (adaptive retries)', adaptive);
    process.stdout.write(`adaptive faulted / clean     ${(adaptive.elapsedMs / clean.elapsedMs).toFixed(2)}×\n`);
  }
}

main().catch((error: unknown) => {
  process.stdout.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
});
