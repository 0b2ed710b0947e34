/** `ipv6-lambda check [paths…]`: report IPv6 readiness problems in CloudFormation/SAM, Terraform and CDK files. */
import { parseArgs } from 'node:util';
import { analyzeUnit } from '../core/analysis/analyzeUnit';
import type { Finding, RuleId, Severity } from '../core/model/findings';
import { formatJson } from '../core/report/json';
import type { Report } from '../core/report/report';
import { analysedUnits } from '../core/report/report';
import { formatSarif } from '../core/report/sarif';
import { formatCoverage, formatSkipped, formatText } from '../core/report/text';
import { catalogue, isRuleId } from '../core/rules';
import { unitName } from '../core/project/units';
import { MissingPathError, collectUnits } from '../core/project/workspace';
import type { CliIo } from './io';

export class UsageError extends Error {}

/** `--rule IPV6L001 --rule IPV6N001,IPV6N002` → the ids, checked against the catalogue. */
export function ruleIds(values: string[] | undefined, option: string): RuleId[] {
  const ids = (values ?? []).flatMap((value) => value.split(',')).map((id) => id.trim().toUpperCase()).filter(Boolean);
  for (const id of ids) {
    if (!isRuleId(id)) throw new UsageError(`${option}: unknown rule '${id}'. Known rules: ${catalogue.map((entry) => entry.id).join(', ')}.`);
  }
  return ids as RuleId[];
}

/** Turns an error into the exit code and message the CLI promises: 2, short, stack only with --debug. */
export function reportFailure(error: unknown, command: string, debug: boolean, err: (text: string) => void): number {
  const badArguments = String((error as { code?: unknown })?.code ?? '').startsWith('ERR_PARSE_ARGS');
  if (error instanceof UsageError || (badArguments && error instanceof Error)) {
    err(`ipv6-lambda ${command}: ${error.message}\nRun \`ipv6-lambda ${command} --help\` for its options.`);
  } else if (debug && error instanceof Error && error.stack) {
    err(`ipv6-lambda ${command}: ${error.stack}`);
  } else {
    err(`ipv6-lambda ${command}: ${error instanceof Error ? error.message : String(error)} (run with --debug for details)`);
  }
  return 2;
}

const HELP = `Usage: ipv6-lambda check [paths…] [options]

Analyses CloudFormation/SAM templates, Terraform folders and CDK (TypeScript/Python) files for
Lambda IPv6 readiness. Paths are files or folders (default: the current folder).

Options:
  --format text|json|sarif   output format (default: text)
  --fail-on error|warning|info|never
                             exit with 1 when a finding is at least this severe (default: warning)
  --rule IDS                 run only these rules (repeatable, comma-separated)
  --ignore-rule IDS          do not run these rules (repeatable, comma-separated)
  --verbose                  also list the files of folder walks that are not analysed, and why
  --debug                    print stack traces of internal errors
  -h, --help                 show this help

Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it, 2 usage or internal error.`;

const FORMATS = ['text', 'json', 'sarif'] as const;
const THRESHOLDS = ['error', 'warning', 'info', 'never'] as const;
const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

function oneOf<T extends string>(value: string, allowed: readonly T[], option: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${option} must be one of ${allowed.join(', ')}, not '${value}'.`);
  return value as T;
}

export function failsOn(findings: Finding[], threshold: (typeof THRESHOLDS)[number]): boolean {
  if (threshold === 'never') return false;
  return findings.some((finding) => RANK[finding.severity] >= RANK[threshold]);
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const debug = args.includes('--debug');
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        'fail-on': { type: 'string', default: 'warning' },
        rule: { type: 'string', multiple: true },
        'ignore-rule': { type: 'string', multiple: true },
        verbose: { type: 'boolean' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    const format = oneOf(values.format, FORMATS, '--format');
    const failOn = oneOf(values['fail-on'], THRESHOLDS, '--fail-on');
    const only = ruleIds(values.rule, '--rule');
    const ignore = ruleIds(values['ignore-rule'], '--ignore-rule');

    const collected = await collectUnits(positionals.length ? positionals : ['.'], { cwd: io.cwd }).catch((error: unknown) => {
      throw error instanceof MissingPathError ? new UsageError(error.message) : error;
    });
    const report: Report = { findings: [], skipped: [...collected.skipped], units: collected.units.map(unitName) };
    for (const unit of collected.units) {
      const result = await analyzeUnit(unit, { only, ignore });
      report.findings.push(...result.findings);
      report.skipped.push(...result.skipped);
    }
    report.analysed = analysedUnits(collected.units, report.skipped);

    if (format === 'json') io.out(formatJson(report));
    else if (format === 'sarif') io.out(formatSarif(report));
    else {
      for (const line of formatSkipped(report)) io.err(line);
      if (values.verbose) for (const file of collected.unrecognised) io.err(`${file.file}: not analysed: ${file.reason}`);
      io.out(`${formatText(report, { colour: io.isTty && !io.env.NO_COLOR })}\n${formatCoverage(report)}`);
    }
    return failsOn(report.findings, failOn) ? 1 : 0;
  } catch (error) {
    return reportFailure(error, 'check', debug, io.err);
  }
}
