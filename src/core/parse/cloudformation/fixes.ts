/** The FixBuilder for CloudFormation/SAM: exact text edits in the template's own syntax. */
import type { Gateway, LambdaFunction, ResourceGraph, Route, RouteTable, SecurityGroup, Subnet } from '../../model/graph';
import { isKnown } from '../../model/graph';
import type { TextEdit } from '../../model/findings';
import type { EditsWithCreates, FixBuilder, Ipv6EgressVariant } from '../../model/fixes';
import type { FunctionSource, TemplateGraph } from './graph';
import type { NewValue, Style } from './render';
import { jsonValue, yamlBlockEntries, yamlBlockPair, yamlInline } from './render';
import type { Template, TemplateResource } from './template';
import { booleanValue } from './template';
import type { MapNode, PairNode, SeqNode, ValueNode } from './valueTree';
import { asPlainMap, intrinsicOf, pairOf, scalarText, valueOf } from './valueTree';

const FLAG = 'Ipv6AllowedForDualStack';

interface Change {
  offset: number;
  end?: number;
  text: string;
}

export function detectStyle(template: Template): Style {
  const { text, syntax, lines } = template.parsed;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let unit = '  ';
  for (const resource of template.resourceOrder) {
    const first = resource.definition.pairs[0];
    if (!first || lines.lineOf(first.keyStart) === lines.lineOf(resource.pair.keyStart)) continue;
    const width = lines.position(first.keyStart).character - lines.position(resource.pair.keyStart).character;
    if (width > 0) {
      const lineStart = lines.lineStart(lines.lineOf(first.keyStart));
      unit = text.slice(lineStart, lineStart + width).includes('\t') ? '\t' : ' '.repeat(width);
      break;
    }
  }
  return { syntax, eol, unit, quote: template.parsed.quote };
}

export class TemplateWriter {
  constructor(
    private readonly template: Template,
    readonly style: Style,
  ) {}

  private get text(): string {
    return this.template.parsed.text;
  }

  private get lines() {
    return this.template.parsed.lines;
  }

  private column(offset: number): number {
    return this.lines.position(offset).character;
  }

  /** The whitespace that starts the offset's line (JSON keeps tabs). */
  private lineIndent(offset: number): string {
    const start = this.lines.lineStart(this.lines.lineOf(offset));
    return /^[ \t]*/.exec(this.text.slice(start, offset))![0];
  }

  private sameLine(a: number, b: number): boolean {
    return this.lines.lineOf(a) === this.lines.lineOf(b);
  }

  /** Adds `key: value` after `after` (default: the map's last pair). */
  insertPair(map: MapNode, key: string, value: NewValue, after: PairNode | undefined = map.pairs[map.pairs.length - 1]): Change {
    const { style } = this;
    if (!after) {
      const pair = style.syntax === 'json' ? `${JSON.stringify(key)}: ${jsonValue(value, '', style, false)}` : `${key}: ${yamlInline(value, style)}`;
      return { offset: map.start + 1, text: pair };
    }
    if (style.syntax === 'json') {
      if (this.sameLine(map.start, after.keyStart)) return { offset: after.end, text: `, ${JSON.stringify(key)}: ${jsonValue(value, '', style, false)}` };
      const indent = this.lineIndent(after.keyStart);
      return { offset: after.end, text: `,${style.eol}${indent}${JSON.stringify(key)}: ${jsonValue(value, indent, style)}` };
    }
    if (map.flow) return { offset: after.end, text: `, ${key}: ${yamlInline(value, style)}` };
    const indent = ' '.repeat(this.column(after.keyStart));
    const blank = map === this.template.resourcesMap && this.resourcesSeparatedByBlankLines() ? style.eol : '';
    return { offset: this.lines.lineEnd(after.end), text: `${style.eol}${blank}${indent}${yamlBlockPair(key, value, indent, style)}` };
  }

  private blankLinesBetweenResources: boolean | undefined;

  /** Looked up once: every fix that adds a resource asks. */
  private resourcesSeparatedByBlankLines(): boolean {
    if (this.blankLinesBetweenResources === undefined) {
      const pairs = this.template.resourcesMap?.pairs ?? [];
      this.blankLinesBetweenResources = pairs.some(
        (pair, index) => index > 0 && /\n[ \t]*\r?\n/.test(this.text.slice(this.lines.lineEnd(pairs[index - 1].end), pair.keyStart)),
      );
    }
    return this.blankLinesBetweenResources;
  }

  /** Adds an item after `after` (default: the last), either a new value or the text of a copied item. */
  insertItem(seq: SeqNode, item: NewValue | { copy: string }, after: ValueNode | undefined = seq.items[seq.items.length - 1]): Change | undefined {
    const { style } = this;
    const inline = (indent: string): string =>
      'copy' in (item as object) ? (item as { copy: string }).copy : style.syntax === 'json' ? jsonValue(item as NewValue, indent, style) : yamlInline(item as NewValue, style);
    if (!after) return { offset: seq.start + 1, text: style.syntax === 'json' ? jsonValue(item as NewValue, '', style, false) : inline('') };
    if (style.syntax === 'json') {
      if (this.sameLine(seq.start, after.start)) return { offset: after.end, text: `, ${inline('')}` };
      const indent = this.lineIndent(after.start);
      return { offset: after.end, text: `,${style.eol}${indent}${inline(indent)}` };
    }
    if (seq.flow) return { offset: after.end, text: `, ${inline('')}` };
    // Block sequence: repeat the `- ` that introduces the item we follow.
    let dash = after.start - 1;
    while (dash >= 0 && this.text[dash] === ' ') dash--;
    if (this.text[dash] !== '-') return undefined;
    const prefix = ' '.repeat(this.column(dash)) + this.text.slice(dash, after.start);
    const contentIndent = ' '.repeat(this.column(after.start));
    const blockMap = typeof item === 'object' && !Array.isArray(item) && 'map' in item && !(after.kind === 'map' && after.flow);
    const body = blockMap ? yamlBlockEntries(item as { map: [string, NewValue][] }, contentIndent, style) : inline(contentIndent);
    return { offset: this.lines.lineEnd(after.end), text: `${style.eol}${prefix}${body}` };
  }

  /** Deletes a pair with the separator or line that belongs to it. */
  removePair(map: MapNode, pair: PairNode): Change {
    const index = map.pairs.indexOf(pair);
    if (this.style.syntax === 'yaml' && !map.flow) {
      const start = this.lines.lineStart(this.lines.lineOf(pair.keyStart));
      const nextLine = this.lines.lineOf(pair.end) + 1;
      const end = nextLine < this.lines.lineCount ? this.lines.lineStart(nextLine) : this.text.length;
      return { offset: start, end, text: '' };
    }
    if (index > 0) return { offset: map.pairs[index - 1].end, end: pair.end, text: '' };
    const next = map.pairs[index + 1];
    return { offset: pair.keyStart, end: next ? next.keyStart : pair.end, text: '' };
  }

  replace(node: { start: number; end: number }, text: string): Change {
    return { offset: node.start, end: node.end, text };
  }

  pairText(key: string, value: NewValue): string {
    return this.style.syntax === 'json' ? `${JSON.stringify(key)}: ${jsonValue(value, '', this.style, false)}` : `${key}: ${yamlInline(value, this.style)}`;
  }

  edits(file: string, changes: Change[]): TextEdit[] {
    // Two changes at one offset become one edit, in the order they were made.
    const merged: Change[] = [];
    for (const change of changes) {
      const same = merged.find((other) => other.offset === change.offset && other.end === undefined && change.end === undefined);
      if (same) same.text += change.text;
      else merged.push({ ...change });
    }
    merged.sort((a, b) => a.offset - b.offset);
    return merged.map((change) => ({ file, range: this.lines.range(change.offset, change.end ?? change.offset), newText: change.text }));
  }
}

/**
 * The template's routes by table and the graph's elements by key and by VPC, built on the first fix
 * that needs them: a fix per finding must not search the whole template, or writing every fix grows
 * with the square of its size.
 */
class TemplateLookup {
  private routesByTable?: Map<string, TemplateResource[]>;
  private graphIndex?: { eigwByVpc: Map<string, Gateway>; subnets: Map<string, Subnet>; subnetsByVpc: Map<string, Subnet[]> };

  constructor(
    private readonly template: Template,
    private readonly graph: ResourceGraph,
  ) {}

  /** The `AWS::EC2::Route` resources of a table, in template order. */
  routesOf(tableKey: string): TemplateResource[] {
    if (!this.routesByTable) {
      this.routesByTable = new Map();
      for (const route of this.template.ofType('AWS::EC2::Route')) {
        const table = this.template.resolve(valueOf(route.properties, 'RouteTableId'), ['AWS::EC2::RouteTable']);
        if (isKnown(table)) pushTo(this.routesByTable, table, route);
      }
    }
    return this.routesByTable.get(tableKey) ?? [];
  }

  private get index() {
    if (!this.graphIndex) {
      const eigwByVpc = new Map<string, Gateway>();
      for (const gateway of this.graph.gateways) {
        if (gateway.kind === 'eigw' && isKnown(gateway.vpc) && !eigwByVpc.has(gateway.vpc)) eigwByVpc.set(gateway.vpc, gateway);
      }
      const subnets = new Map<string, Subnet>();
      const subnetsByVpc = new Map<string, Subnet[]>();
      for (const subnet of this.graph.subnets) {
        if (!subnets.has(subnet.key)) subnets.set(subnet.key, subnet);
        if (isKnown(subnet.vpc)) pushTo(subnetsByVpc, subnet.vpc, subnet);
      }
      this.graphIndex = { eigwByVpc, subnets, subnetsByVpc };
    }
    return this.graphIndex;
  }

  /** The VPC's first egress-only internet gateway, in graph order. */
  eigwOf(vpcKey: string): Gateway | undefined {
    return this.index.eigwByVpc.get(vpcKey);
  }

  subnet(key: string): Subnet | undefined {
    return this.index.subnets.get(key);
  }

  subnetsOf(vpcKey: string): Subnet[] {
    return this.index.subnetsByVpc.get(vpcKey) ?? [];
  }
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export class CloudFormationFixes implements FixBuilder {
  private readonly writer: TemplateWriter;
  private readonly lookup: TemplateLookup;

  constructor(
    private readonly template: Template,
    private readonly built: TemplateGraph,
    private readonly file: string,
  ) {
    this.writer = new TemplateWriter(template, detectStyle(template));
    this.lookup = new TemplateLookup(template, built.graph);
  }

  setFlag(fn: LambdaFunction, value: boolean): EditsWithCreates | undefined {
    const source = this.built.functions.get(fn.key);
    if (!source) return undefined;
    const ownMap = asPlainMap(source.ownVpcConfig?.value);
    const flagInGlobals = source.flag !== undefined && pairOf(ownMap, FLAG) !== source.flag;
    // A Globals flag is shared by every function: override it in this function when it has its own VpcConfig.
    if (source.flag && !(flagInGlobals && ownMap)) {
      const current = booleanValue(source.flag, FLAG);
      const node = source.flag.value;
      if (!isKnown(current) || current === value || node?.kind !== 'scalar') return undefined;
      const quote = node.quote === 'single' ? "'" : node.quote === 'double' ? '"' : '';
      return this.result([this.writer.replace(node, `${quote}${value}${quote}`)]);
    }
    const target = source.ownVpcConfig ? ownMap : asPlainMap(source.globalVpcConfig?.value);
    if (!target) return undefined;
    return this.result([this.writer.insertPair(target, FLAG, value)]);
  }

  removeFlag(fn: LambdaFunction): EditsWithCreates | undefined {
    const source = this.built.functions.get(fn.key);
    if (!source?.flag) return undefined;
    const located = this.flagOwner(source);
    if (!located) return undefined;
    const { map, vpcConfig, parent } = located;
    if (map.pairs.length === 1 && parent) return this.result([this.writer.removePair(parent, vpcConfig)]);
    return this.result([this.writer.removePair(map, source.flag)]);
  }

  private flagOwner(source: FunctionSource): { map: MapNode; vpcConfig: PairNode; parent: MapNode | undefined } | undefined {
    for (const [vpcConfig, parent] of [
      [source.ownVpcConfig, source.resource.properties],
      [source.globalVpcConfig, this.template.globalsFunction],
    ] as const) {
      const map = asPlainMap(vpcConfig?.value);
      if (vpcConfig && map && map.pairs.includes(source.flag!)) return { map, vpcConfig, parent };
    }
    return undefined;
  }

  retargetRouteToEigw(route: Route, vpcKey: string): EditsWithCreates | undefined {
    const resource = this.resourceOfType(route.key, 'AWS::EC2::Route');
    const target = pairOf(resource?.properties, 'NatGatewayId') ?? pairOf(resource?.properties, 'GatewayId');
    if (!resource || !target) return undefined;
    const eigw = this.eigwFor(vpcKey);
    if (!eigw) return undefined;
    const replacement = this.writer.replace({ start: target.keyStart, end: target.end }, this.writer.pairText('EgressOnlyInternetGatewayId', { ref: eigw.logicalId }));
    return this.result([replacement, ...eigw.changes], eigw.creates, eigw.caveat);
  }

  addIpv6DefaultRoute(table: RouteTable, vpcKey: string): EditsWithCreates | undefined {
    const eigw = this.eigwFor(vpcKey);
    if (!eigw) return undefined;
    const route = this.routeAfterTable(table, `${table.key}Ipv6DefaultRoute`, [eigw.logicalId], '::/0', ['EgressOnlyInternetGatewayId', eigw.logicalId]);
    return route && this.result([...eigw.changes, route], eigw.creates, eigw.caveat);
  }

  addNat64Route(table: RouteTable, nat: Gateway): EditsWithCreates | undefined {
    if (!this.resourceOfType(nat.key, 'AWS::EC2::NatGateway')) return undefined;
    const route = this.routeAfterTable(table, `${table.key}Nat64Route`, [], '64:ff9b::/96', ['NatGatewayId', nat.key]);
    return route && this.result([route]);
  }

  turnDns64Off(subnet: Subnet): EditsWithCreates | undefined {
    const setting = pairOf(this.resourceOfType(subnet.key, 'AWS::EC2::Subnet')?.properties, 'EnableDns64');
    const node = setting?.value;
    if (node?.kind !== 'scalar' || node.tag || booleanValue(setting, 'EnableDns64') !== true) return undefined;
    const quote = node.quote === 'single' ? "'" : node.quote === 'double' ? '"' : '';
    return this.result([this.writer.replace(node, `${quote}false${quote}`)]);
  }

  /** An `AWS::EC2::Route` of the table to a target referenced by logical id, written after the table's last route. */
  private routeAfterTable(table: RouteTable, baseId: string, alsoTaken: string[], destination: string, [targetKey, targetId]: [string, string]): Change | undefined {
    const tableResource = this.resourceOfType(table.key, 'AWS::EC2::RouteTable');
    if (!tableResource || !this.template.resourcesMap) return undefined;
    const routes = this.lookup.routesOf(table.key);
    const after = routes[routes.length - 1] ?? tableResource;
    const routeId = this.freeLogicalId(baseId, alsoTaken);
    const routeResource: NewValue = {
      map: [
        ['Type', 'AWS::EC2::Route'],
        ['Properties', { map: [['RouteTableId', { ref: table.key }], ['DestinationIpv6CidrBlock', destination], [targetKey, { ref: targetId }]] }],
      ],
    };
    return this.writer.insertPair(this.template.resourcesMap, routeId, routeResource, after.pair);
  }

  addIpv6Egress(group: SecurityGroup, variant: Ipv6EgressVariant): EditsWithCreates | undefined {
    const resource = this.resourceOfType(group.key, 'AWS::EC2::SecurityGroup');
    const egress = valueOf(resource?.properties, 'SecurityGroupEgress');
    if (!resource || egress?.kind !== 'seq' || egress.tag) return undefined;
    if (variant === 'https') {
      const rule: NewValue = { map: [['IpProtocol', 'tcp'], ['FromPort', 443], ['ToPort', 443], ['CidrIpv6', '::/0']] };
      const change = this.writer.insertItem(egress, rule);
      return change ? this.result([change]) : undefined;
    }
    const changes: Change[] = [];
    for (const item of egress.items) {
      const rule = asPlainMap(item);
      const cidrIp = pairOf(rule, 'CidrIp');
      if (!rule || !cidrIp || scalarText(cidrIp.value) !== '0.0.0.0/0' || pairOf(rule, 'CidrIpv6')) continue;
      const text = this.template.parsed.text;
      const copy = text.slice(rule.start, cidrIp.keyStart) + this.writer.pairText('CidrIpv6', '::/0') + text.slice(cidrIp.end, rule.end);
      const change = this.writer.insertItem(egress, { copy }, item);
      if (!change) return undefined;
      changes.push(change);
    }
    return changes.length ? this.result(changes) : undefined;
  }

  makeDualStack(key: string): EditsWithCreates | undefined {
    const resource = this.resourceOfType(key, 'AWS::EC2::Subnet');
    const subnet = this.lookup.subnet(key);
    const properties = resource?.properties;
    if (!resource || !subnet || !properties || !isKnown(subnet.vpc) || subnet.ipv6 !== false || subnet.ipv6Native !== false) return undefined;
    if (this.vpcParameter(subnet.vpc)) return this.dualStackFromParameter(subnet.vpc, properties);
    const cidrBlock = this.built.ipv6CidrBlocks.get(subnet.vpc)?.[0];
    if (!cidrBlock) return undefined;
    const index = this.freeSubnetIndex(subnet.vpc);
    const ipv6CidrBlock: NewValue = {
      fn: 'Select',
      args: [index, { fn: 'Cidr', args: [{ fn: 'Select', args: [0, { getAtt: [subnet.vpc, 'Ipv6CidrBlocks'] }] }, 256, 64] }],
    };
    const changes = [this.writer.insertPair(properties, 'Ipv6CidrBlock', ipv6CidrBlock)];
    const dependsOn = pairOf(resource.definition, 'DependsOn');
    const existing = dependsOn?.value;
    if (!dependsOn) {
      changes.push(this.writer.insertPair(resource.definition, 'DependsOn', cidrBlock));
    } else if (existing?.kind === 'seq' && !existing.tag) {
      if (!existing.items.some((item) => scalarText(item) === cidrBlock)) {
        const change = this.writer.insertItem(existing, cidrBlock);
        if (!change) return undefined;
        changes.push(change);
      }
 } else {
      const current = scalarText(existing);
      if (!existing || current === undefined) return undefined;
      if (current !== cidrBlock) {
        const list: NewValue = [current, cidrBlock];
        changes.push(this.writer.replace(existing, this.writer.style.syntax === 'json' ? jsonValue(list, '', this.writer.style) : yamlInline(list, this.writer.style)));
      }
    }
    return this.result(changes);
  }

  addVpcIpv6Block(vpcKey: string): EditsWithCreates | undefined {
    const vpc = this.resourceOfType(vpcKey, 'AWS::EC2::VPC');
    if (!vpc || !this.template.resourcesMap || this.built.ipv6CidrBlocks.get(vpcKey)?.length) return undefined;
    const logicalId = this.freeLogicalId(`${vpcKey}Ipv6CidrBlock`);
    const resource: NewValue = {
      map: [
        ['Type', 'AWS::EC2::VPCCidrBlock'],
        ['Properties', { map: [['VpcId', { ref: vpcKey }], ['AmazonProvidedIpv6CidrBlock', true]] }],
      ],
    };
    return this.result([this.writer.insertPair(this.template.resourcesMap, logicalId, resource, vpc.pair)], [`ipv6block:${vpcKey}`]);
  }

  /** The VPC of this parameter, when the graph has it as a VPC the template takes by id. */
  private vpcParameter(vpcKey: string): boolean {
    return this.built.graph.vpcs.some((vpc) => vpc.key === vpcKey && vpc.reference !== undefined) && this.template.parameters.has(vpcKey);
  }

  /**
   * A subnet of a VPC the template takes by id gets its /64 from a parameter that carries the VPC's
   * IPv6 block: no attribute reads the block of a VPC outside the template (AWS::EC2::VPCCidrBlock
   * returns only Id, IpSource and Ipv6AddressAttribute), and a block the template added itself
   * would be a second one when the VPC has one already. The subnets of the VPC share the parameter.
   */
  private dualStackFromParameter(vpcKey: string, properties: MapNode): EditsWithCreates | undefined {
    const parametersMap = this.template.parametersMap;
    if (!parametersMap || this.template.ofType('AWS::EC2::VPCCidrBlock').some((block) => this.template.ownParameter(valueOf(block.properties, 'VpcId'), ['AWS::EC2::VPC']) === vpcKey)) {
      return undefined;
    }
    const existing = this.blockParameterOf(vpcKey);
    const parameter = existing ?? this.freeLogicalId(`${vpcKey}Ipv6CidrBlock`);
    const ipv6CidrBlock: NewValue = { fn: 'Select', args: [this.freeSubnetIndex(vpcKey), { fn: 'Cidr', args: [{ ref: parameter }, 256, 64] }] };
    const changes = [this.writer.insertPair(properties, 'Ipv6CidrBlock', ipv6CidrBlock)];
    const caveat = `VPC ${vpcKey} must already have an IPv6 block, passed as parameter ${parameter}`;
    if (existing) return { ...this.result(changes), caveat };
    const declaration: NewValue = {
      map: [
        ['Type', 'String'],
        ['Description', `The IPv6 CIDR block (/56) of the VPC ${vpcKey} names, which its subnets take their /64s from`],
      ],
    };
    const after = parametersMap.pairs.find((pair) => pair.key === vpcKey);
    return { ...this.result([this.writer.insertPair(parametersMap, parameter, declaration, after), ...changes]), caveat, alsoAdded: [`parameter ${parameter} for the IPv6 block VPC ${vpcKey} already has`] };
  }

  /** The parameter the VPC's subnets already take their /64s from (`!Cidr [!Ref Parameter, …]`). */
  private blockParameterOf(vpcKey: string): string | undefined {
    for (const other of this.lookup.subnetsOf(vpcKey)) {
      const select = intrinsicOf(valueOf(this.template.resources.get(other.key)?.properties, 'Ipv6CidrBlock'));
      const cidr = select?.name === 'Fn::Select' && select.argument?.kind === 'seq' ? intrinsicOf(select.argument.items[1]) : undefined;
      const block = cidr?.name === 'Fn::Cidr' && cidr.argument?.kind === 'seq' ? intrinsicOf(cidr.argument.items[0]) : undefined;
      const name = block?.name === 'Ref' ? scalarText(block.argument) : undefined;
      if (name !== undefined && this.template.parameters.has(name)) return name;
    }
    return undefined;
  }

  /** The lowest `Fn::Select` index no other subnet of the VPC takes from the VPC's IPv6 block. */
  private freeSubnetIndex(vpcKey: string): number {
    const used = new Set<number>();
    for (const other of this.lookup.subnetsOf(vpcKey)) {
      const select = intrinsicOf(valueOf(this.template.resources.get(other.key)?.properties, 'Ipv6CidrBlock'));
      if (select?.name !== 'Fn::Select' || select.argument?.kind !== 'seq') continue;
      const index = Number(scalarText(select.argument.items[0]));
      if (Number.isInteger(index)) used.add(index);
    }
    let index = 0;
    while (used.has(index)) index++;
    return index;
  }

  private resourceOfType(key: string, type: string): TemplateResource | undefined {
    const resource = this.template.resources.get(key);
    return resource?.type === type ? resource : undefined;
  }

  /** The VPC's egress-only internet gateway, or the text that adds one after the VPC resource. */
  private eigwFor(vpcKey: string): { logicalId: string; changes: Change[]; creates?: string[]; caveat?: string } | undefined {
    const existing = this.lookup.eigwOf(vpcKey);
    if (existing) return { logicalId: existing.key, changes: [] };
    const vpc = this.resourceOfType(vpcKey, 'AWS::EC2::VPC');
    const fromParameter = !vpc && this.vpcParameter(vpcKey);
    if ((!vpc && !fromParameter) || !this.template.resourcesMap) return undefined;
    const logicalId = this.freeLogicalId(`${vpcKey}EgressOnlyInternetGateway`);
    const resource: NewValue = { map: [['Type', 'AWS::EC2::EgressOnlyInternetGateway'], ['Properties', { map: [['VpcId', { ref: vpcKey }]] }]] };
    // A VPC from a parameter has no resource to follow: its gateway goes last.
    const change = this.writer.insertPair(this.template.resourcesMap, logicalId, resource, vpc?.pair);
    return { logicalId, changes: [change], creates: [`eigw:${vpcKey}`], ...(fromParameter ? { caveat: `a second egress-only internet gateway if VPC ${vpcKey} has one already` } : {}) };
  }

  private freeLogicalId(base: string, alsoTaken: string[] = []): string {
    const taken = (id: string) => this.template.resources.has(id) || this.template.parameters.has(id) || alsoTaken.includes(id);
    if (!taken(base)) return base;
    let suffix = 2;
    while (taken(`${base}${suffix}`)) suffix++;
    return `${base}${suffix}`;
  }

  private result(changes: Change[], creates?: string[], caveat?: string): EditsWithCreates {
    return { edits: this.writer.edits(this.file, changes), ...(creates ? { creates } : {}), ...(caveat ? { caveat } : {}) };
  }
}
