/**
 * Serverless Framework v4 services (serverless.yml / .yaml / .json): each function with its
 * effective `vpc` (the function's own, else `provider.vpc`, never merged) and
 * `ipv6AllowedForDualStack`, in one graph with `resources.Resources` read as CloudFormation. A
 * function's logical id is Serverless's own (`hello` → `HelloLambdaFunction`). A value that is
 * exactly `${self:a.b}` is what the file writes at `a.b`; every other `${…}` variable is unknown.
 */
import * as path from 'node:path';
import type { Known, LambdaFunction, Location } from '../model/graph';
import { unknown } from '../model/graph';
import type { EditsWithCreates, FixBuilder } from '../model/fixes';
import { noFixes } from '../model/fixes';
import type { FileSuppressions, ParsedUnit, SourceFile } from '../model/source';
import { emptyGraph } from '../model/graph';
import { suppressionsFromComments } from '../model/suppress';
import { CloudFormationFixes, detectStyle, TemplateWriter } from './cloudformation/fixes';
import { buildGraph } from './cloudformation/graph';
import { booleanValue, presence, Template } from './cloudformation/template';
import type { MapNode, PairNode, ParsedTemplate, ValueNode } from './cloudformation/valueTree';
import { asPlainMap, isSyntaxError, pairOf, parseJsonTemplate, parseYamlTemplate, valueOf } from './cloudformation/valueTree';

const FLAG = 'ipv6AllowedForDualStack';
const SUBNET = ['AWS::EC2::Subnet'];
const SECURITY_GROUP = ['AWS::EC2::SecurityGroup'];
const SERVICE_FILE = /^serverless\.(ya?ml|json)$/i;
const SELF_REFERENCE = /^\$\{self:([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)\}$/;

/** Follows `${self:path}` to the node the file writes there (a few steps, never in a circle); other nodes as they are. */
function resolveSelf(root: MapNode | undefined, node: ValueNode | undefined, depth = 0): ValueNode | undefined {
  const reference = node?.kind === 'scalar' && !node.tag && typeof node.value === 'string' ? SELF_REFERENCE.exec(node.value) : null;
  if (!reference || depth > 4) return node;
  const target = reference[1].split('.').reduce<ValueNode | undefined>((current, key) => valueOf(asPlainMap(current), key), root);
  return target ? resolveSelf(root, target, depth + 1) : node;
}

/** The pair with its value followed through `${self:…}`. */
function resolvedPair(root: MapNode | undefined, pair: PairNode | undefined): PairNode | undefined {
  if (!pair) return undefined;
  const value = resolveSelf(root, pair.value);
  return value === pair.value ? pair : { ...pair, value };
}

/** A list with each entry followed through `${self:…}`. */
function resolvedList(root: MapNode | undefined, node: ValueNode | undefined): ValueNode | undefined {
  const list = resolveSelf(root, node);
  return list?.kind === 'seq' && !list.tag ? { ...list, items: list.items.map((item) => resolveSelf(root, item) ?? item) } : list;
}

/** serverless.yml/.yaml/.json with a top-level `provider`: a cheap look, the parser decides the rest. */
export function isServerlessService(filePath: string, text: string): boolean {
  return SERVICE_FILE.test(path.posix.basename(filePath.replace(/\\/g, '/'))) && /^\s*"?provider"?\s*:/m.test(text);
}

/** Serverless's logical id of a function: its name capitalised, `-` and `_` spelled out. */
export function functionLogicalId(name: string): string {
  const normalised = name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return `${normalised.charAt(0).toUpperCase()}${normalised.slice(1)}LambdaFunction`;
}

interface ServerlessFunction {
  /** The `vpc` in effect: the function's own or the provider's. */
  vpc?: PairNode;
  flag?: PairNode;
}

function nonEmptyList(pair: PairNode | undefined): Known<boolean> {
  const present = presence(pair);
  if (present !== true) return present;
  return pair?.value?.kind === 'seq' && !pair.value.tag ? pair.value.items.length > 0 : true;
}

export function parseServerless(files: SourceFile[]): ParsedUnit {
  const [file] = files;
  const json = file.path.toLowerCase().endsWith('.json');
  const parsed = json ? parseJsonTemplate(file.text) : parseYamlTemplate(file.text);
  if (isSyntaxError(parsed)) {
    return { graph: emptyGraph(), fixes: noFixes, suppressions: new Map(), skipped: [{ file: file.path, reason: `${json ? 'JSON' : 'YAML'} syntax error: ${parsed.message.replace(/:$/, '')}. Fix it to analyse the service.` }] };
  }
  const root = asPlainMap(parsed.root);
  // resources.Resources is a CloudFormation template's Resources section.
  const resources: ParsedTemplate = { ...parsed, root: valueOf(root, 'resources') };
  const template = new Template(resources);
  const built = buildGraph(template, file.path);
  const { lines } = parsed;
  const keyLoc = (pair: PairNode): Location => ({ file: file.path, range: lines.range(pair.keyStart, pair.keyEnd) });
  const pairLoc = (pair: PairNode): Location => ({ file: file.path, range: lines.range(pair.keyStart, pair.end) });

  const providerVpc = pairOf(asPlainMap(valueOf(root, 'provider')), 'vpc');
  const sources = new Map<string, ServerlessFunction>();
  for (const pair of asPlainMap(valueOf(root, 'functions'))?.pairs ?? []) {
    const definition = asPlainMap(pair.value);
    const vpc = resolvedPair(root, pairOf(definition, 'vpc') ?? providerVpc);
    const vpcMap = asPlainMap(vpc?.value);
    const key = functionLogicalId(pair.key);
    const fn: LambdaFunction = { key, name: pair.key, loc: keyLoc(pair), kind: 'function', hasVpcConfig: false, ipv6Flag: undefined, subnets: [], securityGroups: [] };
    if (vpc) {
      fn.vpcConfigLoc = keyLoc(vpc);
      if (!vpcMap) {
        const why = unknown('vpc is not a map (a variable?)');
        Object.assign(fn, { hasVpcConfig: why, ipv6Flag: why, subnets: why, securityGroups: why });
      } else {
        const subnetIds = pairOf(vpcMap, 'subnetIds');
        const securityGroupIds = pairOf(vpcMap, 'securityGroupIds');
        const flag = resolvedPair(root, pairOf(vpcMap, FLAG));
        const declared = [nonEmptyList(subnetIds), nonEmptyList(securityGroupIds)];
        fn.hasVpcConfig = declared.includes(true) ? true : (declared.find((value) => value !== false) ?? false);
        fn.ipv6Flag = booleanValue(flag, FLAG);
        fn.subnets = template.referenceList(resolvedList(root, subnetIds?.value), SUBNET, 'subnetIds');
        fn.securityGroups = template.referenceList(resolvedList(root, securityGroupIds?.value), SECURITY_GROUP, 'securityGroupIds');
        if (flag) fn.flagLoc = pairLoc(flag);
        if (securityGroupIds) fn.securityGroupsLoc = keyLoc(securityGroupIds);
        // The fixes edit the flag as written (a `${self:…}` there is replaced, not followed).
        sources.set(key, { vpc, flag: pairOf(vpcMap, FLAG) });
      }
    }
    built.graph.functions.push(fn);
  }
  const suppressions = new Map<string, FileSuppressions>([[file.path, suppressionsFromComments(parsed.comments)]]);
  const network = new CloudFormationFixes(template, built, file.path);
  return { graph: built.graph, fixes: new ServerlessFixes(network, new TemplateWriter(template, detectStyle(template)), sources, file.path), suppressions, skipped: [] };
}

/** Flags where the service writes its `vpc` (function or provider level); network fixes in `resources` as CloudFormation. */
class ServerlessFixes implements FixBuilder {
  constructor(
    private readonly network: CloudFormationFixes,
    private readonly writer: TemplateWriter,
    private readonly functions: Map<string, ServerlessFunction>,
    private readonly file: string,
  ) {}

  setFlag(fn: LambdaFunction, value: boolean): EditsWithCreates | undefined {
    const source = this.functions.get(fn.key);
    if (!source) return this.network.setFlag(fn, value);
    const node = source.flag?.value;
    if (source.flag) {
      if (booleanValue(source.flag, FLAG) === value || node?.kind !== 'scalar' || node.tag) return undefined;
      const quote = node.quote === 'single' ? "'" : node.quote === 'double' ? '"' : '';
      return { edits: this.writer.edits(this.file, [this.writer.replace(node, `${quote}${value}${quote}`)]) };
    }
    const vpc = asPlainMap(source.vpc?.value) as MapNode;
    return { edits: this.writer.edits(this.file, [this.writer.insertPair(vpc, FLAG, value)]) };
  }

  removeFlag(fn: LambdaFunction): EditsWithCreates | undefined {
    const source = this.functions.get(fn.key);
    if (!source) return this.network.removeFlag(fn);
    const vpc = asPlainMap(source.vpc?.value);
    return vpc && source.flag ? { edits: this.writer.edits(this.file, [this.writer.removePair(vpc, source.flag)]) } : undefined;
  }

  retargetRouteToEigw: FixBuilder['retargetRouteToEigw'] = (route, vpcKey) => this.network.retargetRouteToEigw(route, vpcKey);
  addIpv6DefaultRoute: FixBuilder['addIpv6DefaultRoute'] = (table, vpcKey) => this.network.addIpv6DefaultRoute(table, vpcKey);
  addIpv6Egress: FixBuilder['addIpv6Egress'] = (group, variant) => this.network.addIpv6Egress(group, variant);
  makeDualStack: FixBuilder['makeDualStack'] = (key) => this.network.makeDualStack(key);
  addVpcIpv6Block: FixBuilder['addVpcIpv6Block'] = (vpcKey) => this.network.addVpcIpv6Block(vpcKey);
}
