/** `ipv6-lambda migrate [paths…]`: migrate every IPv4-only VPC with functions to dual-stack, in place. */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { createTwoFilesPatch } from 'diff';
import { analyzeUnit } from '../core/analysis/analyzeUnit';
import type { MigrationOptions } from '../core/migration/migrate';
import { migrateUnit } from '../core/migration/migrate';
import type { Finding } from '../core/model/findings';
import type { AnalysisUnit } from '../core/model/source';
import { formatFindingLine, formatSummary } from '../core/report/text';
import { MissingPathError, collectUnits } from '../core/project/workspace';
import { writeFileAtomically } from './io';
import { UsageError, reportFailure } from './check';
import type { CliIo } from './io';

const HELP = `Usage: ipv6-lambda migrate [paths…] [options]

Migrates every IPv4-only VPC whose functions reach the internet through a NAT gateway (IPV6M001)
to dual-stack, in CloudFormation/SAM templates, Terraform folders and CDK files (default: the
current folder): the VPC's IPv6 block, an IPv6 /64 per subnet of its functions, the egress-only
internet gateway and ::/0 routes, IPv6 egress on the functions' security groups, and
Ipv6AllowedForDualStack. The 0.0.0.0/0 routes to the NAT gateway stay.

Options:
  --dry-run            print the changes as a unified diff and write nothing
  --sg-egress all|https
                       IPv6 egress to add: mirror the IPv4 egress (all, default) or TCP 443 only
  --all-subnets        also give every other private subnet of the VPC an IPv6 /64
  --debug              print stack traces of internal errors
  -h, --help           show this help

Exit codes: 0 nothing left to migrate and no finding left, 1 something could not be migrated
or findings remain, 2 usage or internal error.`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const debug = args.includes('--debug');
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        'dry-run': { type: 'boolean' },
        'sg-egress': { type: 'string' },
        'all-subnets': { type: 'boolean' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    const sgEgress = values['sg-egress'] ?? 'all';
    if (sgEgress !== 'all' && sgEgress !== 'https') throw new UsageError(`--sg-egress must be all or https, not '${sgEgress}'.`);
    const options: MigrationOptions = { sgEgress, allSubnets: values['all-subnets'] === true };
    const dryRun = values['dry-run'] === true;
    const collected = await collectUnits(positionals.length ? positionals : ['.'], { cwd: io.cwd }).catch((error: unknown) => {
      throw error instanceof MissingPathError ? new UsageError(error.message) : error;
    });

    for (const file of collected.skipped) io.err(`${file.file}: skipped: ${file.reason}`);
    let migratedCount = 0;
    let refusedCount = 0;
    let failed = false;
    const remaining: Finding[] = [];
    for (const unit of collected.units) {
      const result = await migrateUnit(unit, options);
      for (const migration of result.migrated) {
        const files = [...migration.files!.keys()].join(', ');
        io.out([`${files}: ${dryRun ? 'would migrate' : 'migrated'} VPC ${migration.vpcName} to dual-stack:`, ...migration.added.map((line) => `  + ${line}`), ...migration.caveats.map((line) => `  ! ${line}`)].join('\n'));
      }
      migratedCount += result.migrated.length;
      for (const refused of result.refused) io.err(`${unit.files[0].path}: cannot migrate ${refused.name}: ${refused.reason}`);
      refusedCount += result.refused.length;
      const written = await writeUnit(unit, result.files, dryRun, io);
      failed ||= !written;
      const after: AnalysisUnit = { format: unit.format, files: unit.files.map((file) => ({ path: file.path, text: written ? (result.files.get(file.path) ?? file.text) : file.text })) };
      const analysis = await analyzeUnit(after);
      for (const file of analysis.skipped) io.err(`${file.file}: skipped: ${file.reason}`);
      remaining.push(...analysis.findings);
    }

    io.out(migratedCount === 0 ? 'No VPC to migrate.' : `${dryRun ? 'Would migrate' : 'Migrated'} ${migratedCount} ${migratedCount === 1 ? 'VPC' : 'VPCs'}.`);
    if (remaining.length > 0) {
      const colour = io.isTty && !io.env.NO_COLOR;
      io.out([`Remaining${dryRun ? ' after the migration' : ''}:`, ...remaining.map((finding) => formatFindingLine(finding, { colour })), formatSummary(remaining)].join('\n'));
    }
    if (failed) return 2;
    return refusedCount > 0 || remaining.length > 0 ? 1 : 0;
  } catch (error) {
    return reportFailure(error, 'migrate', debug, io.err);
  }
}

/** Prints the diff, or writes every changed file of the unit; false when a file could not be written. */
async function writeUnit(unit: AnalysisUnit, files: Map<string, string>, dryRun: boolean, io: CliIo): Promise<boolean> {
  let ok = true;
  for (const [file, text] of files) {
    const before = unit.files.find((candidate) => candidate.path === file)!.text;
    if (dryRun) {
      io.out(createTwoFilesPatch(file, file, before, text, undefined, undefined, { context: 3 }));
      continue;
    }
    try {
      await writeFileAtomically(path.resolve(io.cwd, file), text, before);
    } catch (error) {
      io.err(`${file}: not written: ${error instanceof Error ? error.message : String(error)}`);
      ok = false;
    }
  }
  return ok;
}
