/** `ipv6-lambda scan`: the IPv6 status of every deployed function in the given regions of an account. */
import { parseArgs } from 'node:util';
import { readAccount, type RegionReport } from '../core/aws/account';
import { profilesOfSsoSession, readAccounts, type AccountReport } from '../core/aws/accounts';
import { listProfiles } from '../core/aws/clients';
import { defaultRegion } from '../core/aws/clients';
import { DEFAULT_NAT_PRICE_PER_GB, NAT_WINDOW_DAYS, dataProcessingCost, gigabytes, natUsageText } from '../core/aws/natText';
import { STATUS_WORDS, statusSummary, type FunctionStatus } from '../core/status/status';
import { UsageError, reportFailure } from './check';
import type { CliIo } from './io';

const HELP = () => `Usage: ipv6-lambda scan [options]

Reads the functions of an AWS account (ListFunctions plus one batched round of EC2 describes per
region) and reports each function's IPv6 status with the same rules as \`check\`.

Options:
  --profile NAME          AWS profile (default: AWS_PROFILE or the default credential chain); repeat it to
                          scan several accounts, each in its own regions unless --region is given
  --all-profiles          every profile of ~/.aws/config and ~/.aws/credentials
  --sso-session NAME      every profile that signs in through [sso-session NAME]
  --region REGION         region to scan (repeatable or comma-separated; default: the profile's region)
  --endpoint-url URL      send every AWS request to this endpoint (an emulator or proxy)
  --format text|json      output format (default: text)
  --nat-price-per-gb USD  NAT gateway data-processing price (default ${DEFAULT_NAT_PRICE_PER_GB}, the us-east-1 list price)
  --debug                 print stack traces of internal errors
  -h, --help              show this help

Exit codes: 0 at least one region was read, 2 no region could be read or a usage error.`;

export interface ScanJson {
  version: 1;
  regions: {
    region: string;
    error: string | null;
    functions: {
      name: string;
      arn: string;
      status: string;
      vpcId: string | null;
      subnetIds: string[];
      securityGroupIds: string[];
      findings: { rule: string; severity: string; message: string }[];
    }[];
    /** NAT gateways the functions egress through, with the bytes processed (both directions) in `natWindowDays`. */
    natGateways: { id: string; functions: string[]; bytes: number | null; gigabytes: number | null; dataProcessingUsd: number | null }[];
    /** Why the NAT figures are missing (e.g. cloudwatch:GetMetricData denied). */
    natNote: string | null;
  }[];
  natPricePerGb: number;
  natWindowDays: number;
  stats: { apiCalls: number; elapsedMs: number };
}

function functionsOf(report: RegionReport): { name: string; arn: string; vpcId: string | null; subnetIds: string[]; securityGroupIds: string[]; status: FunctionStatus }[] {
  return (report.inventory?.functions ?? []).map((config) => {
    const name = config.FunctionName ?? '';
    return {
      name,
      arn: config.FunctionArn ?? '',
      vpcId: config.VpcConfig?.VpcId || null,
      subnetIds: config.VpcConfig?.SubnetIds ?? [],
      securityGroupIds: config.VpcConfig?.SecurityGroupIds ?? [],
      status: report.statuses.get(name) ?? { kind: 'unknown', reason: 'not analysed', findings: [] },
    };
  });
}

export function scanJson(reports: RegionReport[], stats: ScanJson['stats'], natPricePerGb = DEFAULT_NAT_PRICE_PER_GB): ScanJson {
  return {
    version: 1,
    regions: reports.map((report) => ({
      region: report.region,
      error: report.error,
      functions: functionsOf(report).map(({ status, ...fn }) => ({
        name: fn.name,
        arn: fn.arn,
        status: status.kind,
        vpcId: fn.vpcId,
        subnetIds: fn.subnetIds,
        securityGroupIds: fn.securityGroupIds,
        findings: status.findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message })),
      })),
      natGateways: (report.natBill?.gateways ?? []).map((g) => ({
        id: g.natGatewayId,
        functions: g.functions,
        bytes: g.bytes ?? null,
        gigabytes: g.bytes === undefined ? null : Number(gigabytes(g.bytes).toFixed(3)),
        dataProcessingUsd: g.bytes === undefined ? null : Number(dataProcessingCost(g.bytes, natPricePerGb).toFixed(2)),
      })),
      natNote: report.natBill?.note ?? null,
    })),
    natPricePerGb,
    natWindowDays: NAT_WINDOW_DAYS,
    stats,
  };
}

export function scanText(reports: RegionReport[], stats: ScanJson['stats'], natPricePerGb = DEFAULT_NAT_PRICE_PER_GB): string {
  const lines: string[] = [];
  for (const report of reports) {
    if (report.error) {
      lines.push(`${report.region}: could not be read: ${report.error}`);
      continue;
    }
    const functions = functionsOf(report);
    lines.push(`${report.region}: ${statusSummary(functions.map((f) => f.status))}`);
    const width = Math.max(0, ...functions.map((f) => f.name.length));
    for (const fn of functions) {
      const rules = [...new Set(fn.status.findings.map((f) => f.rule))].join(',');
      const reason = fn.status.kind === 'unknown' && fn.status.reason ? ` — ${fn.status.reason}` : '';
      lines.push(`  ${fn.name.padEnd(width)}  ${STATUS_WORDS[fn.status.kind]}${rules ? `  ${rules}` : ''}${reason}`);
    }
    const bill = report.natBill;
    for (const gateway of bill?.gateways ?? []) {
      const users = `${gateway.functions.length} ${gateway.functions.length === 1 ? 'function' : 'functions'}`;
      lines.push(`  NAT gateway ${gateway.natGatewayId} (${users}): ${natUsageText(gateway, bill!.days, natPricePerGb)} — at most what IPv6 can save; IPv4-only destinations keep using it`);
    }
    if (bill?.note) lines.push(`  ${bill.note}`);
  }
  lines.push(`${stats.apiCalls} API calls in ${stats.elapsedMs} ms`);
  return lines.join('\n');
}

/** `--nat-price-per-gb`: USD per GB of NAT data processing, by default the us-east-1 list price. */
export function natPriceOption(text: string | undefined): number {
  const price = text === undefined ? DEFAULT_NAT_PRICE_PER_GB : Number(text);
  if (!Number.isFinite(price) || price < 0) throw new UsageError(`--nat-price-per-gb must be a price in USD per GB, e.g. 0.045, not '${text}'.`);
  return price;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  let debug = args.includes('--debug');
  try {
    const { values } = parseArgs({
      args,
      options: {
        profile: { type: 'string', multiple: true },
        'all-profiles': { type: 'boolean', default: false },
        'sso-session': { type: 'string' },
        region: { type: 'string', multiple: true },
        'endpoint-url': { type: 'string' },
        format: { type: 'string', default: 'text' },
        'nat-price-per-gb': { type: 'string' },
        debug: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    debug = values.debug;
    if (values.help) {
      io.out(HELP());
      return 0;
    }
    if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format must be one of text, json, not '${values.format}'.`);
    const natPricePerGb = natPriceOption(values['nat-price-per-gb']);
    const named = [...new Set(values.profile ?? [])];
    if (values['all-profiles']) named.push(...(await listProfiles()).map((p) => p.name).filter((name) => !named.includes(name)));
    if (values['sso-session']) {
      const ofSession = await profilesOfSsoSession(values['sso-session']);
      if (ofSession.length === 0) throw new UsageError(`no profile signs in through [sso-session ${values['sso-session']}].`);
      named.push(...ofSession.filter((name) => !named.includes(name)));
    }
    if (named.length > 1 || values['all-profiles'] || values['sso-session']) return await scanAccounts(named, values, natPricePerGb, io);
    const profile = named[0] ?? io.env.AWS_PROFILE;
    let regions = [...new Set((values.region ?? []).flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean))];
    if (regions.length === 0) {
      const region = await defaultRegion(profile, io.env);
      if (!region) throw new UsageError(`no region given and ${profile ? `profile ${profile}` : 'the default profile'} sets none: pass --region (e.g. --region us-east-1).`);
      regions = [region];
    }

    let apiCalls = 0;
    const started = Date.now();
    const reports = await readAccount({ profile, regions, endpointUrl: values['endpoint-url'], onApiCall: () => apiCalls++ });
    const stats = { apiCalls, elapsedMs: Date.now() - started };
    io.out(values.format === 'json' ? JSON.stringify(scanJson(reports, stats, natPricePerGb), null, 2) : scanText(reports, stats, natPricePerGb));
    if (reports.every((report) => report.error !== null)) {
      if (values.format === 'json') io.err(`ipv6-lambda scan: no region could be read: ${reports[0]?.error ?? ''}`);
      return 2;
    }
    return 0;
  } catch (error) {
    return reportFailure(error, 'scan', debug, io.err);
  }
}

/** Several accounts: a block per account in text; in JSON, `accounts` each with the regions of a single-account scan. */
async function scanAccounts(profiles: string[], values: { region?: string[]; 'endpoint-url'?: string; format?: string }, natPricePerGb: number, io: CliIo): Promise<number> {
  if (profiles.length === 0) throw new UsageError('no AWS profile was found in ~/.aws/config or ~/.aws/credentials.');
  const regions = [...new Set((values.region ?? []).flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean))];
  let apiCalls = 0;
  const started = Date.now();
  const accounts = await readAccounts({ profiles, regions, endpointUrl: values['endpoint-url'], onApiCall: () => apiCalls++ });
  const stats = { apiCalls, elapsedMs: Date.now() - started };
  const heading = (account: AccountReport) => `Account ${account.alias ? `${account.alias} ` : ''}${account.accountId ?? 'unknown'} (profile ${account.profile ?? 'default'})`;
  if (values.format === 'json') {
    const json = {
      version: 1,
      accounts: accounts.map((account) => ({ profile: account.profile ?? null, accountId: account.accountId ?? null, alias: account.alias ?? null, error: account.error, regions: scanJson(account.regions, stats, natPricePerGb).regions })),
      natPricePerGb,
      natWindowDays: NAT_WINDOW_DAYS,
      stats,
    };
    io.out(JSON.stringify(json, null, 2));
  } else {
    const blocks = accounts.map((account) =>
      account.error ? `${heading(account)}: could not be read: ${account.error}` : `${heading(account)}\n${scanText(account.regions, stats, natPricePerGb).split('\n').slice(0, -1).join('\n')}`,
    );
    io.out([...blocks, `${stats.apiCalls} API calls in ${stats.elapsedMs} ms`].join('\n'));
  }
  const readable = accounts.some((account) => account.regions.some((report) => report && report.error === null));
  return readable ? 0 : 2;
}
