/**
 * The migration of one IPv4-only VPC to dual-stack, in one reviewable edit: the VPC's IPv6 block,
 * an IPv6 /64 per subnet of its functions, the egress-only internet gateway with `::/0` on their
 * route tables, IPv6 egress on the functions' security groups, and the flag. The `0.0.0.0/0` → NAT
 * routes stay: IPv4 destinations still need them.
 *
 * Each step asks the format's FixBuilder for one change and re-parses, so every step sees what
 * the previous one wrote (the block before the subnets that select from it, the gateway before the
 * routes to it). Anything that cannot be written refuses the whole migration, with the reason:
 * a file is never left half-migrated.
 */
import { analyzeParsed } from '../analysis/analyze';
import { applyEdits, replaceWholeText } from '../fixes/fixAll';
import type { EgressRule, Route } from '../model/graph';
import { isKnown } from '../model/graph';
import type { TextEdit } from '../model/findings';
import type { EditsWithCreates } from '../model/fixes';
import { queryGraph } from '../model/query';
import type { AnalysisUnit, ParsedUnit } from '../model/source';
import { parseUnit } from '../parse';
import { isIpv6DefaultRoute } from '../rules/cidr';
import type { MigrationOptions } from './scope';
import { migrationCandidates, vpcScope } from './scope';

export type { MigrationOptions } from './scope';

export interface VpcMigration {
  vpcKey: string;
  vpcName: string;
  title: string;
  /** The new text of each file that changes; absent when refused. */
  files?: Map<string, string>;
  /** Whole-file edits of the changed files, for editors. */
  edits?: TextEdit[];
  /** What was added, one line each (e.g. "IPv6 /64 on subnet PrivateSubnetA"). */
  added: string[];
  /** What the files cannot establish and the reviewer must check (also in the title). */
  caveats: string[];
  /** Why it cannot be done here, naming what to change where. */
  disabledReason?: string;
}

/** Generous: one step per subnet, route table, function and security group. */
const MAX_STEPS = 200;

type Step = { done: true } | { edits: TextEdit[]; added: string[]; caveat?: string } | { refused: string };

function mayAllowIpv6(rule: EgressRule): boolean {
  return rule.ipv6Cidrs.length > 0 || rule.otherTargets === true;
}

function written(change: EditsWithCreates | undefined, added: string, eigwOf?: { key: string; name: string }): Step | undefined {
  if (!change?.edits.length) return undefined;
  const lines = eigwOf && change.creates?.includes(`eigw:${eigwOf.key}`) ? [`egress-only internet gateway for VPC ${eigwOf.name}`, added] : [added];
  return { edits: change.edits, added: [...(change.alsoAdded ?? []), ...lines], ...(change.caveat ? { caveat: change.caveat } : {}) };
}

/** The next change the VPC needs on the current text. */
function nextStep(parsed: ParsedUnit, vpcKey: string, options: MigrationOptions): Step {
  const { graph, fixes } = parsed;
  const query = queryGraph(graph);
  const scope = vpcScope(graph, query, vpcKey, options);
  if (typeof scope === 'string') return { refused: scope };
  const vpc = query.vpc(vpcKey)!;

  if (vpc.ipv6 === false) {
    return written(fixes.addVpcIpv6Block(vpcKey), `IPv6 block for VPC ${vpc.name}`) ?? { refused: `the IPv6 block of VPC ${vpc.name} cannot be written here: add it where the VPC is defined.` };
  }
  if (!isKnown(vpc.ipv6)) {
    if (vpc.reference === undefined) return { refused: `whether VPC ${vpc.name} has an IPv6 block is not known (${vpc.ipv6.why}).` };
    // A VPC taken by id: where the format can add a block by that id it does (Terraform); otherwise
    // its subnets take the block the VPC already has (CloudFormation, as a parameter).
    const block = written(fixes.addVpcIpv6Block(vpcKey), `IPv6 block for VPC ${vpc.name}`);
    if (block) return block;
  }

  for (const subnet of scope.subnets) {
    if (subnet.ipv6 === true) continue;
    if (!isKnown(subnet.ipv6)) return { refused: `whether subnet ${subnet.name} has an IPv6 CIDR is not known (${subnet.ipv6.why}).` };
    return (
      written(fixes.makeDualStack(subnet.key), `IPv6 /64 on subnet ${subnet.name}`) ?? {
        refused: `subnet ${subnet.name} cannot get an IPv6 /64 here: write its ipv6 CIDR as a distinct /64 of VPC ${vpc.name}'s block where the subnet is defined.`,
      }
    );
  }

  for (const table of scope.tables) {
    const routes = query.routesOf(table.key);
    const ipv6Default = routes.find((route: Route) => isKnown(route.destination) && isIpv6DefaultRoute(route.destination));
    if (!ipv6Default) {
      return written(fixes.addIpv6DefaultRoute(table, vpcKey), `::/0 → egress-only internet gateway in route table ${table.name}`, vpc) ?? {
        refused: `the ::/0 route of route table ${table.name} cannot be written here.`,
      };
    }
    if (isKnown(ipv6Default.target) && (ipv6Default.target.kind === 'nat' || ipv6Default.target.kind === 'igw')) {
      return written(fixes.retargetRouteToEigw(ipv6Default, vpcKey), `::/0 of route table ${table.name} → egress-only internet gateway`, vpc) ?? {
        refused: `the ::/0 route of route table ${table.name} goes to a ${ipv6Default.target.kind === 'nat' ? 'NAT' : 'internet'} gateway and cannot be retargeted here.`,
      };
    }
  }

  for (const fn of scope.functions) {
    if (fn.ipv6Flag === true) continue;
    return written(fixes.setFlag(fn, true), `Ipv6AllowedForDualStack on ${fn.name}`) ?? {
      refused: `Ipv6AllowedForDualStack of ${fn.name} cannot be written here (${isKnown(fn.ipv6Flag) ? 'its VPC config is not in these files' : fn.ipv6Flag.why}).`,
    };
  }

  const variant = options.sgEgress === 'https' ? 'https' : 'mirror';
  for (const fn of scope.functions) {
    if (!isKnown(fn.securityGroups) || fn.securityGroups.length === 0) continue;
    const groups = fn.securityGroups.map((entry) => (isKnown(entry) ? query.securityGroup(entry) : undefined));
    // A group whose egress is not known may allow IPv6 already (AWS's default egress, rules added elsewhere).
    if (groups.some((group) => !group || !isKnown(group.egress) || group.egress.some(mayAllowIpv6))) continue;
    for (const group of groups) {
      const step = written(fixes.addIpv6Egress(group!, variant), `IPv6 egress on security group ${group!.name}`);
      if (step) return step;
    }
    const what = variant === 'https' ? 'TCP 443 to ::/0' : 'IPv6 egress mirroring the IPv4 egress (none goes to 0.0.0.0/0)';
    return { refused: `${what} cannot be added to the security groups of ${fn.name} here${variant === 'mirror' ? ': choose HTTPS-only IPv6 egress (--sg-egress https)' : ''}.` };
  }
  return { done: true };
}

function unitWith(unit: AnalysisUnit, texts: Map<string, string>): AnalysisUnit {
  return { format: unit.format, files: unit.files.map((source) => ({ path: source.path, text: texts.get(source.path)! })) };
}

/** Rules the migration must leave silent on what it touched. */
function leftovers(parsed: ParsedUnit, subjects: Set<string>): string | undefined {
  const finding = analyzeParsed(parsed).find((candidate) => subjects.has(candidate.subject));
  return finding && `${finding.rule} would remain: ${finding.message}`;
}

export async function migrateVpc(unit: AnalysisUnit, vpcKey: string, options: MigrationOptions = {}, start?: ParsedUnit): Promise<VpcMigration> {
  let parsed = start ?? (await parseUnit(unit));
  const vpc = parsed.graph.vpcs.find((candidate) => candidate.key === vpcKey);
  const vpcName = vpc?.name ?? vpcKey;
  const title = vpc?.reference ? `Migrate VPC ${vpcName} (${vpc.reference}) to dual-stack` : `Migrate VPC ${vpcName} to dual-stack`;
  const refuse = (reason: string): VpcMigration => ({ vpcKey, vpcName, title, added: [], caveats: [], disabledReason: reason });
  const caveats: string[] = [];
  const texts = new Map(unit.files.map((source) => [source.path, source.text]));
  const added: string[] = [];
  const subjects = new Set<string>();
  for (let step = 0; ; step++) {
    if (step === MAX_STEPS) return refuse('the migration did not finish; please report this with the files attached.');
    const next = nextStep(parsed, vpcKey, options);
    if ('refused' in next) return refuse(next.refused);
    if ('done' in next) break;
    const scope = vpcScope(parsed.graph, queryGraph(parsed.graph), vpcKey, options);
    if (typeof scope !== 'string') [...scope.functions, ...scope.tables].forEach((element) => subjects.add(element.key));
    const byFile = new Map<string, TextEdit[]>();
    for (const edit of next.edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
    for (const [path, edits] of byFile) texts.set(path, applyEdits(texts.get(path)!, edits));
    for (const line of next.added) if (!added.includes(line)) added.push(line);
    if (next.caveat && !caveats.includes(next.caveat)) caveats.push(next.caveat);
    parsed = await parseUnit(unitWith(unit, texts));
    if (parsed.skipped.length > 0) return refuse(`the change would not parse (${parsed.skipped[0].reason}); please report this with the files attached.`);
  }
  const files = new Map<string, string>();
  const edits: TextEdit[] = [];
  for (const source of unit.files) {
    const text = texts.get(source.path)!;
    if (text === source.text) continue;
    files.set(source.path, text);
    edits.push(replaceWholeText(source.path, source.text, text));
  }
  if (files.size === 0) return refuse(`VPC ${vpcName} is already dual-stack for its functions.`);
  const remaining = leftovers(parsed, subjects);
  if (remaining) return refuse(`the migration would leave a finding (${remaining}); fix that first.`);
  // What the files cannot establish goes in the title, where the reviewer of the action reads it.
  return { vpcKey, vpcName, title: caveats.length ? `${title}: ${caveats.join('; ')}` : title, files, edits, added, caveats };
}

export interface UnitMigration {
  /** The new text of each file that changes. */
  files: Map<string, string>;
  migrated: VpcMigration[];
  /** VPCs (or functions) that could not be migrated, with the reason. */
  refused: { name: string; reason: string }[];
}

/** Migrates every IPv4-only VPC with functions in the unit, one after the other. */
export async function migrateUnit(unit: AnalysisUnit, options: MigrationOptions = {}): Promise<UnitMigration> {
  let current = unit;
  let parsed = await parseUnit(current);
  const migrated: VpcMigration[] = [];
  const refused: { name: string; reason: string }[] = [];
  const tried = new Set<string>();
  for (;;) {
    const candidates = migrationCandidates(parsed);
    for (const candidate of candidates) {
      if (!('refused' in candidate) || tried.has(candidate.refused)) continue;
      tried.add(candidate.refused);
      refused.push({ name: parsed.graph.functions.find((fn) => fn.key === candidate.functions[0])?.name ?? candidate.functions[0], reason: candidate.refused });
    }
    const next = candidates.find((candidate) => 'vpcKey' in candidate && !tried.has(candidate.vpcKey));
    if (!next || !('vpcKey' in next)) break;
    tried.add(next.vpcKey);
    const result = await migrateVpc(current, next.vpcKey, options, parsed);
    if (!result.files) {
      refused.push({ name: `VPC ${result.vpcName}`, reason: result.disabledReason! });
      continue;
    }
    migrated.push(result);
    const texts = new Map(current.files.map((source) => [source.path, result.files!.get(source.path) ?? source.text]));
    current = unitWith(current, texts);
    parsed = await parseUnit(current);
  }
  const files = new Map<string, string>();
  for (const source of unit.files) {
    const text = current.files.find((file) => file.path === source.path)!.text;
    if (text !== source.text) files.set(source.path, text);
  }
  return { files, migrated, refused };
}
