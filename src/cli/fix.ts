/** `ipv6-lambda fix [paths…]`: apply the preferred fixes in place, or show them as a diff. */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { createTwoFilesPatch } from 'diff';
import { fixUnit } from '../core/fixes/fixAll';
import type { Finding } from '../core/model/findings';
import type { SkippedFile } from '../core/model/source';
import { shellWord } from '../core/report/shellWord';
import { formatFindingLine, formatSummary } from '../core/report/text';
import { MissingPathError, collectUnits } from '../core/project/workspace';
import { UsageError, reportFailure, ruleIds } from './check';
import type { CliIo } from './io';
import { FileChangedOnDiskError, writeFileAtomically } from './io';

const HELP = `Usage: ipv6-lambda fix [paths…] [options]

Applies the preferred fix of every finding in CloudFormation/SAM templates, Terraform folders and
CDK files (default: the current folder), then reports what is left.

Options:
  --dry-run        print the changes as a unified diff and write nothing
  --rule IDS       fix only these rules (repeatable, comma-separated)
  --debug          print stack traces of internal errors
  -h, --help       show this help

Exit codes: 0 nothing left to fix, 1 findings remain, 2 usage or internal error.`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const debug = args.includes('--debug');
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        'dry-run': { type: 'boolean' },
        rule: { type: 'string', multiple: true },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    const only = ruleIds(values.rule, '--rule');
    const dryRun = values['dry-run'] === true;
    const collected = await collectUnits(positionals.length ? positionals : ['.'], { cwd: io.cwd }).catch((error: unknown) => {
      throw error instanceof MissingPathError ? new UsageError(error.message) : error;
    });

    const remaining: Finding[] = [];
    const skipped: SkippedFile[] = [...collected.skipped];
    const unparsable: SkippedFile[] = [];
    let fixCount = 0;
    const changedFiles: string[] = [];
    const changedOnDisk: string[] = [];
    for (const unit of collected.units) {
      const result = await fixUnit(unit, { only });
      remaining.push(...result.remaining);
      skipped.push(...result.skipped);
      unparsable.push(...result.unparsable);
      const notWritten = new Set<string>();
      for (const [file, text] of result.files) {
        const before = unit.files.find((candidate) => candidate.path === file)!.text;
        if (dryRun) io.out(createTwoFilesPatch(file, file, before, text, undefined, undefined, { context: 3 }));
        else {
          try {
            await writeFileAtomically(path.resolve(io.cwd, file), text, before);
          } catch (error) {
            if (!(error instanceof FileChangedOnDiskError)) throw error;
            notWritten.add(file);
            changedOnDisk.push(new FileChangedOnDiskError(file).message);
            continue;
          }
        }
        changedFiles.push(file);
      }
      const applied = result.applied.filter((fix) => !notWritten.has(fix.file));
      if (!dryRun) for (const fix of applied) io.out(`${fix.file}: fixed ${fix.rule}: ${fix.title}`);
      fixCount += applied.length;
    }

    for (const file of skipped) io.err(`${file.file}: skipped: ${file.reason}`);
    for (const file of unparsable) io.err(`${file.file}: ${file.reason}`);
    for (const message of changedOnDisk) io.err(message);
    const verb = dryRun ? 'Would apply' : 'Applied';
    io.out(`${fixCount === 0 ? 'No fixes to apply.' : `${verb} ${fixCount} ${fixCount === 1 ? 'fix' : 'fixes'} in ${changedFiles.length} ${changedFiles.length === 1 ? 'file' : 'files'}.`}`);
    if (remaining.length > 0) {
      const colour = io.isTty && !io.env.NO_COLOR;
      io.out([`Remaining${dryRun ? ' after these fixes' : ''}:`, ...remaining.map((finding) => formatFindingLine(finding, { colour })), formatSummary(remaining)].join('\n'));
      const toMigrate = migrationHint(remaining);
      if (toMigrate) io.out(toMigrate);
    }
    return remaining.length > 0 || unparsable.length > 0 || changedOnDisk.length > 0 ? 1 : 0;
  } catch (error) {
    return reportFailure(error, 'fix', debug, io.err);
  }
}

/**
 * IPV6M001 is fixed by the dual-stack migration, a larger step than a quick fix that `fix` leaves to
 * `migrate`: say so, with the command for exactly the files where it remains.
 */
function migrationHint(remaining: readonly Finding[]): string | undefined {
  const files = [...new Set(remaining.flatMap((finding) => (finding.rule === 'IPV6M001' && finding.loc ? [finding.loc.file] : [])))];
  if (files.length === 0) return undefined;
  const paths = files.map(shellWord).join(' ');
  return `IPV6M001 needs the dual-stack migration, which fix does not make: review it with \`ipv6-lambda migrate --dry-run ${paths}\`, then apply it with \`ipv6-lambda migrate ${paths}\`.`;
}
