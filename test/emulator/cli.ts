/**
 * `npx tsx test/emulator/cli.ts --scenario <file.json> [--port N] [--latency-ms N] [--throttle-rate R]
 * [--error-rate R] [--update-delay-ms N] [--seed N]` — serves a scenario until interrupted.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startEmulator } from './server';
import type { Scenario } from './scenario';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string' },
      port: { type: 'string' },
      'latency-ms': { type: 'string' },
      'throttle-rate': { type: 'string' },
      'error-rate': { type: 'string' },
      'update-delay-ms': { type: 'string' },
      seed: { type: 'string' },
    },
  });
  if (!values.scenario) {
    process.stderr.write('usage: tsx test/emulator/cli.ts --scenario <file.json> [--port N] [--latency-ms N] [--throttle-rate R] [--error-rate R] [--update-delay-ms N] [--seed N]\n');
    process.exitCode = 2;
    return;
  }
  const number = (text: string | undefined) => (text === undefined ? undefined : Number(text));
  const scenario = JSON.parse(readFileSync(values.scenario, 'utf8')) as Scenario;
  const emulator = await startEmulator({
    scenario,
    port: number(values.port),
    latencyMs: number(values['latency-ms']),
    throttleRate: number(values['throttle-rate']),
    errorRate: number(values['error-rate']),
    updateDelayMs: number(values['update-delay-ms']),
    seed: number(values.seed),
  });
  process.stdout.write(`listening on ${emulator.url}\n`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
