/**
 * `ipv6-lambda enable` / `ipv6-lambda disable`: plan, show, confirm, apply. One implementation with
 * a flag; nothing is written without --yes or a yes on the terminal.
 */
import { parseArgs } from 'node:util';
import { readAccount } from '../core/aws/account';
import { createClients, defaultRegion, type ClientOptions } from '../core/aws/clients';
import {
  applyPlan,
  describeStep,
  formatPlan,
  formatResultTable,
  planEnable,
  progressLine,
  resultSummary,
  toAwsCliCommands,
  type EnableOptions,
  type FunctionOutcome,
  type Plan,
  type SgEgressVariant,
} from '../core/aws/enable';
import { UsageError, reportFailure } from './check';
import { natPriceOption } from './scan';
import type { CliIo } from './io';

function help(enable: boolean): string {
  const verb = enable ? 'enable' : 'disable';
  const network = enable
    ? `
  --with-network            also plan the network IPv6 egress needs: an egress-only internet gateway
                            per VPC, ::/0 routes to it, IPv6 egress on the functions' security groups
  --sg-egress all|https     IPv6 egress to add: mirror the IPv4 egress to 0.0.0.0/0 (default) or TCP 443
  --replace-ipv6-routes     also repoint existing ::/0 routes to a NAT or internet gateway at the EIGW
  --add-ipv6-cidrs          with --with-network: migrate IPv4-only subnets first: an Amazon-provided IPv6
                            /56 for a VPC without one, a free /64 for each of the functions' subnets
  --all-ready               every function whose status is "ready to enable" in the given regions
  --nat-price-per-gb USD    price of the NAT gateways' data processing shown in the plan (default 0.045)`
    : '';
  return `Usage: ipv6-lambda ${verb} <function name|ARN>… [options]

${enable ? 'Allows outbound IPv6 (Ipv6AllowedForDualStack = true)' : 'Turns outbound IPv6 off (Ipv6AllowedForDualStack = false)'} on deployed Lambda functions.
Prints the plan first; changes nothing without --yes or a yes on the terminal. Only the unpublished
version ($LATEST) changes; subnets and security groups are re-sent unchanged.${enable ? '' : ' The network is never changed.'}

Options:
  --region REGION           region of the functions (repeatable; an ARN names its own region)
  --profile NAME            AWS profile (default: AWS_PROFILE or the default credential chain)
  --endpoint-url URL        send every AWS request to this endpoint (an emulator or proxy)${network}
  --dry-run                 print the plan and the equivalent AWS CLI commands, change nothing
  --yes                     apply without asking
  --debug                   print stack traces of internal errors
  -h, --help                show this help

Exit codes: 0 done or nothing to do, 1 a function was refused by the preflight checks, 2 errors.`;
}

/** `arn:aws:lambda:<region>:<account>:function:<name>` → its region. */
function regionOfArn(identifier: string): string | undefined {
  const parts = identifier.split(':');
  return parts[0] === 'arn' && parts[2] === 'lambda' ? parts[3] : undefined;
}

function sgEgressOf(value: string | undefined): SgEgressVariant | undefined {
  if (value === undefined || value === 'all' || value === 'https') return value;
  throw new UsageError(`--sg-egress must be one of all, https, not '${value}'.`);
}

interface RegionRequest {
  region: string;
  names: string[];
}

async function requestedFunctions(positionals: string[], regions: string[], allReady: boolean, context: { profile?: string; endpointUrl?: string; aws: ClientOptions }): Promise<RegionRequest[]> {
  const byRegion = new Map<string, string[]>(regions.map((region) => [region, []]));
  for (const identifier of positionals) {
    const region = regionOfArn(identifier) ?? regions[0];
    byRegion.set(region, [...(byRegion.get(region) ?? []), identifier]);
  }
  if (allReady) {
    const reports = await readAccount({ ...context.aws, profile: context.profile, endpointUrl: context.endpointUrl, regions });
    for (const report of reports) {
      if (report.error) throw new Error(report.error);
      const ready = [...report.statuses].filter(([, status]) => status.kind === 'ready').map(([name]) => name);
      byRegion.set(report.region, [...new Set([...(byRegion.get(report.region) ?? []), ...ready])]);
    }
  }
  return [...byRegion].filter(([, names]) => names.length > 0).map(([region, names]) => ({ region, names }));
}

function stepCount(plans: Plan[]): number {
  return plans.reduce((sum, plan) => sum + plan.steps.length, 0);
}

/** `enable` when `enable` is true, `disable` otherwise. `aws` lets tests pass credentials and count calls. */
export async function runEnableCommand(args: string[], io: CliIo, enable: boolean, aws: ClientOptions = {}): Promise<number> {
  const command = enable ? 'enable' : 'disable';
  let debug = args.includes('--debug');
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        region: { type: 'string', multiple: true },
        profile: { type: 'string' },
        'endpoint-url': { type: 'string' },
        ...(enable
          ? {
              'with-network': { type: 'boolean', default: false },
              'sg-egress': { type: 'string' },
              'replace-ipv6-routes': { type: 'boolean', default: false },
              'add-ipv6-cidrs': { type: 'boolean', default: false },
              'nat-price-per-gb': { type: 'string' },
              'all-ready': { type: 'boolean', default: false },
            }
          : {}),
        'dry-run': { type: 'boolean', default: false },
        yes: { type: 'boolean', default: false },
        debug: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    const flags = values as Record<string, string | boolean | string[] | undefined>;
    debug = flags.debug === true;
    if (flags.help) {
      io.out(help(enable));
      return 0;
    }
    const allReady = flags['all-ready'] === true;
    if (positionals.length === 0 && !allReady) throw new UsageError(`name at least one function${enable ? ' or pass --all-ready' : ''}.`);
    const options: EnableOptions = {
      enable,
      withNetwork: flags['with-network'] === true,
      sgEgress: sgEgressOf(flags['sg-egress'] as string | undefined),
      replaceExistingIpv6Routes: flags['replace-ipv6-routes'] === true,
      addIpv6Cidrs: flags['add-ipv6-cidrs'] === true,
    };
    if (options.sgEgress && !options.withNetwork) throw new UsageError('--sg-egress applies only with --with-network.');
    if (options.replaceExistingIpv6Routes && !options.withNetwork) throw new UsageError('--replace-ipv6-routes applies only with --with-network.');
    if (options.addIpv6Cidrs && !options.withNetwork) throw new UsageError('--add-ipv6-cidrs applies only with --with-network (the new blocks need the egress-only gateway and routes too).');

    const profile = (flags.profile as string | undefined) ?? io.env.AWS_PROFILE;
    const endpointUrl = flags['endpoint-url'] as string | undefined;
    let regions = [...new Set(((flags.region as string[] | undefined) ?? []).flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean))];
    if (regions.length === 0 && (allReady || positionals.some((name) => !regionOfArn(name)))) {
      const region = await defaultRegion(profile, io.env);
      if (!region) throw new UsageError(`no region given and ${profile ? `profile ${profile}` : 'the default profile'} sets none: pass --region (e.g. --region us-east-1).`);
      regions = [region];
    }

    const requests = await requestedFunctions(positionals, regions, allReady, { profile, endpointUrl, aws });
    const clientsFor = (region: string) => createClients({ profile, region, endpointUrl }, aws);
    // Regions are planned side by side; within a region the plan reads a few functions at a time.
    const natPricePerGb = natPriceOption(flags['nat-price-per-gb'] as string | undefined);
    const plans: Plan[] = await Promise.all(requests.map(({ region, names }) => planEnable({ clients: clientsFor(region), functionNames: names, natPricePerGb }, options)));
    if (plans.length === 0) {
      io.out(`No function is ready to enable in ${regions.join(', ')}.`);
      return 0;
    }
    io.out(plans.map(formatPlan).join('\n\n'));
    const refused = plans.some((plan) => plan.functions.some((fn) => fn.status === 'refused'));
    const total = stepCount(plans);
    if (flags['dry-run']) {
      const commands = plans.flatMap(toAwsCliCommands);
      if (commands.length > 0) io.out(['', 'The same changes as AWS CLI commands:', ...commands].join('\n'));
      return refused ? 1 : 0;
    }
    if (total === 0) return refused ? 1 : 0;

    if (!flags.yes) {
      if (!io.confirm) {
        io.err(`ipv6-lambda ${command}: not applied: there is no terminal to confirm on. Re-run with --yes to apply the plan above, or with --dry-run to only print it.`);
        return 2;
      }
      if (!(await io.confirm(`Apply these ${total} ${total === 1 ? 'change' : 'changes'}?`))) {
        io.out('Cancelled; nothing was changed.');
        return refused ? 1 : 0;
      }
    }

    let failed = false;
    // By region and name: a function re-planned after a change meanwhile keeps only its last outcome.
    const outcomes = new Map<string, FunctionOutcome>();
    const updates = plans.reduce((sum, plan) => sum + plan.steps.filter((step) => step.kind === 'update-function').length, 0);
    let finished = 0;
    const onFunctionDone = (outcome: FunctionOutcome) => io.err(progressLine(++finished, Math.max(updates, finished), outcome));
    for (let plan of plans) {
      const clients = clientsFor(plan.target.region);
      for (;;) {
        const result = await applyPlan(plan, { clients, log: (line) => io.err(line), onFunctionDone });
        for (const outcome of result.functions) outcomes.set(`${outcome.region}\n${outcome.name}`, outcome);
        const network = result.done.filter((done) => done.step.kind !== 'update-function');
        if (network.length > 0) io.out(['Network changes:', ...network.map((done) => `- ${describeStep(done.step)} (${done.result})`)].join('\n'));
        // Without function updates the message is the whole story (a network step failed, or only the network changed).
        if (result.functions.length === 0 || result.outcome === 'changed-meanwhile') io.out(result.message);
        if (result.outcome === 'failed') failed = true;
        if (result.outcome !== 'changed-meanwhile' || !result.replan) break;
        io.out(formatPlan(result.replan));
        // A --yes confirmed the plan it was given, not one made after someone else's change.
        if (result.replan.steps.length === 0 || flags.yes || !io.confirm || !(await io.confirm(`Apply the new plan (${result.replan.steps.length} ${result.replan.steps.length === 1 ? 'change' : 'changes'})?`))) {
          if (result.replan.steps.length > 0) failed = true;
          break;
        }
        plan = result.replan;
      }
    }
    if (outcomes.size > 0) {
      const rows = [...outcomes.values()];
      io.out(['', formatResultTable(rows), '', resultSummary(rows)].join('\n'));
      if (failed) io.out('Running it again is safe: what is done is found and not done twice.');
    }
    if (failed) return 2;
    return refused ? 1 : 0;
  } catch (error) {
    return reportFailure(error, command, debug, io.err);
  }
}

export function run(args: string[], io: CliIo, aws: ClientOptions = {}): Promise<number> {
  return runEnableCommand(args, io, true, aws);
}
