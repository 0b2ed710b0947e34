/**
 * "Enable IPv6 dual-stack for this function": offered on any function, even when no rule fires.
 * It makes the function's subnets (or CDK VPC) dual-stack where they are defined in scope, then
 * sets the flag — or says what stands in the way.
 */
import { applyEdits, replaceWholeText } from './fixAll';
import type { LambdaFunction, Position, Subnet } from '../model/graph';
import { isKnown } from '../model/graph';
import type { TextEdit } from '../model/findings';
import type { AnalysisUnit, ParsedUnit } from '../model/source';
import { queryGraph } from '../model/query';
import { parseUnit } from '../parse';

export interface EnableRefactor {
  functionName: string;
  title: string;
  /** The edits (whole-file replacements), or undefined with the reason when it cannot be done here. */
  edits?: TextEdit[];
  disabledReason?: string;
}

/** Subnets and CDK VPC stand-ins may be fixed several times in one refactor; each step re-parses. */
const MAX_STEPS = 20;

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

/** The function whose definition spans the position: from its own location to the last place its VPC config is written. */
export function functionAt(parsed: ParsedUnit, file: string, position: Position): LambdaFunction | undefined {
  let best: LambdaFunction | undefined;
  for (const fn of parsed.graph.functions) {
    const locs = [fn.loc, fn.vpcConfigLoc, fn.flagLoc, fn.securityGroupsLoc].filter((loc) => loc?.file === file);
    if (locs.length === 0) continue;
    const start = locs.map((loc) => loc!.range.start).reduce((a, b) => (before(a, b) ? a : b));
    const end = locs.map((loc) => loc!.range.end).reduce((a, b) => (before(a, b) ? b : a));
    if (before(start, position) && before(position, end)) {
      if (!best || before(best.loc?.range.start ?? start, start)) best = fn;
    }
  }
  return best;
}

function isDualStack(subnet: Subnet): boolean {
  return subnet.ipv4 === true && subnet.ipv6 === true && subnet.ipv6Native === false;
}

type Step = { done: true } | { edits: TextEdit[] } | { refused: string };

/** The next change the function needs, on the current text. */
function nextStep(parsed: ParsedUnit, key: string): Step {
  const fn = parsed.graph.functions.find((candidate) => candidate.key === key);
  if (!fn) return { refused: 'the function is no longer found after an edit' };
  if (fn.hasVpcConfig !== true) {
    return { refused: isKnown(fn.hasVpcConfig) ? `${fn.name} is not in a VPC: outbound IPv6 needs a VPC function in dual-stack subnets.` : `${fn.name}'s VPC configuration comes from ${fn.hasVpcConfig.why}.` };
  }
  if (!isKnown(fn.subnets)) return { refused: `${fn.name}'s subnets come from ${fn.subnets.why}: make them dual-stack where they are defined, then set Ipv6AllowedForDualStack.` };
  if (fn.subnets.length === 0) return { refused: `${fn.name} has no subnets.` };
  const query = queryGraph(parsed.graph);
  for (const entry of fn.subnets) {
    if (!isKnown(entry)) return { refused: `a subnet of ${fn.name} comes from ${entry.why}: make it dual-stack where it is defined, then set Ipv6AllowedForDualStack.` };
    const subnet = query.subnet(entry);
    if (!subnet) return { refused: `subnet ${entry} of ${fn.name} is not defined here: make it dual-stack where it is defined.` };
    if (subnet.ipv6Native === true) return { refused: `subnet ${subnet.name} is IPv6-only: Lambda needs dual-stack subnets (an IPv4 and an IPv6 CIDR).` };
    if (isDualStack(subnet)) continue;
    if (!isKnown(subnet.ipv4) || !isKnown(subnet.ipv6) || !isKnown(subnet.ipv6Native)) return { refused: `whether subnet ${subnet.name} is dual-stack is not known from this file.` };
    const written = parsed.fixes.makeDualStack(subnet.key) ?? (isKnown(subnet.vpc) ? parsed.fixes.makeDualStack(subnet.vpc) : undefined);
    if (!written?.edits.length) {
      return { refused: `subnet ${subnet.name} has no IPv6 CIDR and cannot be made dual-stack here: give its VPC an IPv6 block and the subnet an IPv6 CIDR where they are defined.` };
    }
    return { edits: written.edits };
  }
  if (fn.ipv6Flag === true) return { done: true };
  const written = parsed.fixes.setFlag(fn, true);
  if (!written?.edits.length) return { refused: `Ipv6AllowedForDualStack of ${fn.name} cannot be written here (${isKnown(fn.ipv6Flag) ? 'its VPC config is not in this file' : fn.ipv6Flag.why}).` };
  return { edits: written.edits };
}

export async function enableIpv6Refactor(unit: AnalysisUnit, file: string, position: Position): Promise<EnableRefactor | undefined> {
  let parsed = await parseUnit(unit);
  const fn = functionAt(parsed, file, position);
  if (!fn) return undefined;
  const title = `Enable IPv6 dual-stack for ${fn.name}`;
  const texts = new Map(unit.files.map((source) => [source.path, source.text]));
  for (let step = 0; step < MAX_STEPS; step++) {
    const next = nextStep(parsed, fn.key);
    if ('refused' in next) return { functionName: fn.name, title, disabledReason: next.refused };
    if ('done' in next) break;
    const byFile = new Map<string, TextEdit[]>();
    for (const edit of next.edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
    for (const [path, edits] of byFile) texts.set(path, applyEdits(texts.get(path)!, edits));
    parsed = await parseUnit({ format: unit.format, files: unit.files.map((source) => ({ path: source.path, text: texts.get(source.path)! })) });
    if (parsed.skipped.length > 0) return { functionName: fn.name, title, disabledReason: `the change would not parse (${parsed.skipped[0].reason}).` };
  }
  const edits: TextEdit[] = [];
  for (const source of unit.files) {
    const text = texts.get(source.path)!;
    if (text === source.text) continue;
    edits.push(replaceWholeText(source.path, source.text, text));
  }
  if (edits.length === 0) return { functionName: fn.name, title, disabledReason: `IPv6 is already enabled for ${fn.name}.` };
  return { functionName: fn.name, title, edits };
}
