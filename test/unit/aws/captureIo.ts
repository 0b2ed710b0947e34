import type { CliIo } from '../../../src/cli/io';

/** A CLI io that keeps what a command prints, with no terminal. */
export function captureIo(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), isTty: false, cwd: process.cwd(), env: {} };
}
