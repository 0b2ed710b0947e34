/**
 * Writes a file in one step: a temporary file in the same folder, then a rename over the original,
 * so that an interrupted run never leaves a half-written file. The original's mode and line
 * endings are kept, and a file that changed on disk since it was read is not overwritten.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export class ChangedOnDiskError extends Error {
  constructor(readonly file: string) {
    super(`${file} changed on disk since it was read; it was left as it is. Run the command again.`);
  }
}

/** CRLF files stay CRLF: lines a writer added with a bare LF get the file's line ending. */
function withLineEndingsOf(original: string, text: string): string {
  const crlf = original.includes('\r\n') && !/(^|[^\r])\n/.test(original);
  return crlf ? text.replace(/\r?\n/g, '\r\n') : text;
}

/**
 * Replaces `file`'s content `before` (what the caller read) with `after`.
 * Throws ChangedOnDiskError when the file no longer holds `before`.
 */
export async function writeFileAtomically(file: string, before: string, after: string): Promise<void> {
  const current = await fs.readFile(file, 'utf8');
  if (current !== before) throw new ChangedOnDiskError(file);
  const { mode } = await fs.stat(file);
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await fs.writeFile(temporary, withLineEndingsOf(before, after), { encoding: 'utf8', mode, flag: 'wx' });
    await fs.chmod(temporary, mode);
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}
