import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** What a CLI command may touch, so tests can run commands in-process and read what they printed. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** True when stdout is a terminal (colour, prompts). */
  isTty: boolean;
  /** Asks a yes/no question on the terminal; undefined when there is no terminal to ask on. */
  confirm?(question: string): Promise<boolean>;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Set once the reader of stdout has gone (`ipv6-lambda check | head`): the command still finishes its
 * work (a migration is never cut short between files) and keeps its exit code, it just stops printing.
 */
let stdoutClosed = false;
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  stdoutClosed = true;
});

export const consoleIo: CliIo = {
  out: (text) => {
    if (!stdoutClosed) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  },
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  isTty: Boolean(process.stdout.isTTY),
  confirm: process.stdin.isTTY
    ? async (question) => {
        const readline = await import('node:readline/promises');
        const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
        try {
          const answer = await rl.question(`${question} [y/N] `);
          return /^y(es)?$/i.test(answer.trim());
        } finally {
          rl.close();
        }
      }
    : undefined,
  cwd: process.cwd(),
  env: process.env,
};

/** The file changed on disk after it was read; writing would lose that change. */
export class FileChangedOnDiskError extends Error {
  constructor(readonly file: string) {
    super(`${file} changed on disk since it was read; nothing was written to it. Run the command again to work on the current content.`);
  }
}

/** The steps of {@link writeFileAtomically} that touch the disk; replaced in tests to interrupt a write. */
export interface AtomicWriteSteps {
  writeTemporary(temporaryPath: string, text: string, mode: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
}

const diskSteps: AtomicWriteSteps = {
  async writeTemporary(temporaryPath, text, mode) {
    const handle = await fs.open(temporaryPath, 'wx', mode);
    try {
      await handle.writeFile(text, 'utf8');
      // The umask may have narrowed the mode given to open.
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename: (from, to) => fs.rename(from, to),
};

/** Text with the original's line endings: edits are written with `\n`, a CRLF file stays CRLF. */
function withLineEndingsOf(original: string, text: string): string {
  const crlf = original.split('\r\n').length - 1;
  const lf = original.split('\n').length - 1;
  return crlf > 0 && crlf === lf ? text.replace(/\r?\n/g, '\r\n') : text;
}

/**
 * Replaces a file's content without ever leaving it half-written: the text goes to a temporary file
 * in the same folder (same file system, so the rename is atomic), which then replaces the original.
 * The file keeps its mode and line endings. `expected` is the content the new text was computed
 * from: when the file no longer holds it (an editor saved meanwhile), nothing is written.
 * Used by `fix` and `migrate`.
 */
export async function writeFileAtomically(file: string, text: string, expected: string, steps: AtomicWriteSteps = diskSteps): Promise<void> {
  const [current, stat] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
  if (current !== expected) throw new FileChangedOnDiskError(file);
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await steps.writeTemporary(temporary, withLineEndingsOf(expected, text), stat.mode & 0o7777);
    await steps.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}
