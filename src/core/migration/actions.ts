/**
 * What editors offer for the migration, computed here so that the VS Code adapter and the language
 * server show the same: the code action at a position (on the VPC or any of its functions), the
 * quick fix of an IPV6M001 finding, and a CodeLens above each IPv4-only VPC that hosts functions.
 */
import type { Position, Range } from '../model/graph';
import type { TextEdit } from '../model/findings';
import { isKnown } from '../model/graph';
import { queryGraph } from '../model/query';
import type { AnalysisUnit, ParsedUnit } from '../model/source';
import { parseUnit } from '../parse';
import { functionAt } from '../fixes/enableDualStack';
import type { MigrationOptions } from './migrate';
import { migrateVpc } from './migrate';
import { migrationCandidates } from './scope';

export const MIGRATE_COMMAND = 'ipv6Lambda.migrateVpc';

export interface MigrationAction {
  title: string;
  /** Whole-file edits; absent when disabled. */
  edits?: TextEdit[];
  disabledReason?: string;
}

export interface MigrationLens {
  range: Range;
  title: string;
  command: string;
  /** The command's arguments: the file (as the unit names it) and the VPC key. */
  arguments: [string, string];
}

function contains(range: Range, position: Position): boolean {
  const after = (a: Position, b: Position) => a.line > b.line || (a.line === b.line && a.character >= b.character);
  return after(position, range.start) && after(range.end, position);
}

/** The VPC defined at the position, or the VPC of the function at the position. */
function vpcAt(parsed: ParsedUnit, file: string, position: Position): { vpcKey: string } | { refused: string; title: string } | undefined {
  const vpc = parsed.graph.vpcs.find((candidate) => candidate.loc?.file === file && contains(candidate.loc.range, position));
  if (vpc) return { vpcKey: vpc.key };
  const fn = functionAt(parsed, file, position);
  if (!fn || fn.hasVpcConfig !== true || !isKnown(fn.subnets)) return undefined;
  const query = queryGraph(parsed.graph);
  const vpcs = new Set<string>();
  for (const entry of fn.subnets) {
    const subnet = isKnown(entry) ? query.subnet(entry) : undefined;
    if (subnet && isKnown(subnet.vpc)) vpcs.add(subnet.vpc);
    else if (subnet) return { title: `Migrate the VPC of ${fn.name} to dual-stack`, refused: `the VPC of subnet ${subnet.name} comes from ${(subnet.vpc as { why: string }).why}: give it an IPv6 block where it is defined.` };
  }
  return vpcs.size === 1 ? { vpcKey: [...vpcs][0] } : undefined;
}

/** "Migrate VPC … to dual-stack" at a position: on a VPC, or on a function in one. */
export async function migrationActionAt(unit: AnalysisUnit, file: string, position: Position, options: MigrationOptions = {}): Promise<MigrationAction | undefined> {
  const parsed = await parseUnit(unit);
  const target = vpcAt(parsed, file, position);
  if (!target) return undefined;
  if ('refused' in target) return { title: target.title, disabledReason: target.refused };
  const migration = await migrateVpc(unit, target.vpcKey, options, parsed);
  return { title: migration.title, edits: migration.edits, disabledReason: migration.disabledReason };
}

/** The migration of the VPC of the function an IPV6M001 finding is about (its preferred fix). */
export async function migrationForFunction(unit: AnalysisUnit, functionKey: string, options: MigrationOptions = {}): Promise<MigrationAction | undefined> {
  const parsed = await parseUnit(unit);
  const candidate = migrationCandidates(parsed).find((entry) => entry.functions.includes(functionKey));
  if (!candidate) return undefined;
  if ('refused' in candidate) return { title: 'Migrate the VPC to dual-stack', disabledReason: candidate.refused };
  const migration = await migrateVpc(unit, candidate.vpcKey, options, parsed);
  return { title: migration.title, edits: migration.edits, disabledReason: migration.disabledReason };
}

/** A lens above each VPC defined in the file whose functions IPV6M001 reports. */
export async function migrationLenses(unit: AnalysisUnit, file: string): Promise<MigrationLens[]> {
  const parsed = await parseUnit(unit);
  const lenses: MigrationLens[] = [];
  for (const candidate of migrationCandidates(parsed)) {
    if ('refused' in candidate) continue;
    const vpc = parsed.graph.vpcs.find((element) => element.key === candidate.vpcKey);
    if (vpc?.loc?.file !== file) continue;
    const count = candidate.functions.length;
    lenses.push({
      range: vpc.loc.range,
      title: `Migrate VPC ${vpc.name} to dual-stack (${count} IPv4-only ${count === 1 ? 'function' : 'functions'} behind NAT)`,
      command: MIGRATE_COMMAND,
      arguments: [file, vpc.key],
    });
  }
  return lenses;
}
