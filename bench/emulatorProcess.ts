/** The emulator CLI in a child process, as AWS would be: in the bench's own process it would compete with the client for the one JavaScript thread. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Scenario } from '../test/emulator/scenario';

export interface EmulatorStats {
  total: number;
  throttled: number;
  serverErrors: number;
  firstRequestAt: number | null;
  lastResponseAt: number | null;
  operations: Record<string, number>;
}

/** Its own process group, so that `npx` and `tsx` stop with it. */
export class EmulatorProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly folder: string,
  ) {}

  static start(scenario: Scenario, options: string[]): Promise<EmulatorProcess> {
    const folder = mkdtempSync(path.join(tmpdir(), 'ipv6-lambda-bench-'));
    const file = path.join(folder, 'scenario.json');
    writeFileSync(file, JSON.stringify(scenario));
    const cli = path.join(__dirname, '..', 'test', 'emulator', 'cli.ts');
    const child = spawn('npx', ['tsx', cli, '--scenario', file, ...options, '--port', '0'], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Promise((resolve, reject) => {
      let output = '';
      const failed = (why: string) => {
        rmSync(folder, { recursive: true, force: true });
        reject(new Error(`the emulator did not start (${why}): ${output.trim()}`));
      };
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const listening = /listening on (\S+)/.exec(output);
        if (listening) resolve(new EmulatorProcess(child, listening[1], folder));
      });
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('error', (error) => failed(error.message));
      child.on('exit', (code) => failed(`exit code ${code}`));
    });
  }

  async reset(): Promise<void> {
    await fetch(`${this.url}/__emulator/reset`, { method: 'POST' });
  }

  async stats(): Promise<EmulatorStats> {
    return (await (await fetch(`${this.url}/__emulator/stats`)).json()) as EmulatorStats;
  }

  close(): void {
    this.child.removeAllListeners('exit');
    if (this.child.pid !== undefined && this.child.exitCode === null) process.kill(-this.child.pid, 'SIGTERM');
    rmSync(this.folder, { recursive: true, force: true });
  }
}

