import type { Node } from 'web-tree-sitter';
import { isKnown, type Gateway, type LambdaFunction, type ResourceGraph, type Route, type RouteTable, type SecurityGroup, type Subnet, type Vpc } from '../../model/graph';
import type { EditsWithCreates, FixBuilder, Ipv6EgressVariant } from '../../model/fixes';
import { vpcModuleKeys } from './modules';
import type { TerraformModel } from './graph';
import { assignmentLine, FileEditor, indentationOf, plainLine, type EditedLine } from './layout';
import { nestedBlocks, type Attribute, type Block, type HclFile } from './syntax';

const indentUnit = '  ';

/** Writes fixes as `terraform fmt`-formatted edits of the folder's .tf files. */
export function terraformFixes(model: TerraformModel): FixBuilder {
  const lookup = new GraphLookup(model.graph);
  return {
    setFlag: (fn, value) => new Edit(model, lookup).setFlag(fn, value),
    removeFlag: (fn) => new Edit(model, lookup).removeFlag(fn),
    retargetRouteToEigw: (route, vpcKey) => new Edit(model, lookup).retargetRouteToEigw(route, vpcKey),
    addIpv6DefaultRoute: (table, vpcKey) => new Edit(model, lookup).addIpv6DefaultRoute(table, vpcKey),
    addIpv6Egress: (group, variant) => new Edit(model, lookup).addIpv6Egress(group, variant),
    makeDualStack: (key) => new Edit(model, lookup).makeDualStack(key),
    addVpcIpv6Block: (vpcKey) => new Edit(model, lookup).addVpcIpv6Block(vpcKey),
    addNat64Route: (table, nat) => new Edit(model, lookup).addNat64Route(table, nat),
    turnDns64Off: (subnet) => new Edit(model, lookup).turnDns64Off(subnet),
  };
}

/**
 * The graph's elements by key and by VPC, built on the first fix that needs them: a fix per
 * finding must not search the whole graph, or writing every fix grows with the square of its size.
 */
class GraphLookup {
  private indexed?: { eigwByVpc: Map<string, Gateway>; subnets: Map<string, Subnet>; vpcs: Map<string, Vpc>; subnetsByVpc: Map<string, Subnet[]> };

  constructor(private readonly graph: ResourceGraph) {}

  private get index() {
    if (!this.indexed) {
      const eigwByVpc = new Map<string, Gateway>();
      for (const gateway of this.graph.gateways) {
        if (gateway.kind === 'eigw' && isKnown(gateway.vpc) && !eigwByVpc.has(gateway.vpc)) eigwByVpc.set(gateway.vpc, gateway);
      }
      const subnetsByVpc = new Map<string, Subnet[]>();
      for (const subnet of this.graph.subnets) {
        if (!isKnown(subnet.vpc)) continue;
        const list = subnetsByVpc.get(subnet.vpc);
        if (list) list.push(subnet);
        else subnetsByVpc.set(subnet.vpc, [subnet]);
      }
      this.indexed = {
        eigwByVpc,
        subnets: firstByKey(this.graph.subnets),
        vpcs: firstByKey(this.graph.vpcs),
        subnetsByVpc,
      };
    }
    return this.indexed;
  }

  /** The first egress-only gateway of the VPC, in graph order. */
  eigwOf(vpcKey: string): Gateway | undefined {
    return this.index.eigwByVpc.get(vpcKey);
  }

  subnet(key: string): Subnet | undefined {
    return this.index.subnets.get(key);
  }

  vpc(key: string): Vpc | undefined {
    return this.index.vpcs.get(key);
  }

  subnetsOf(vpcKey: string): Subnet[] {
    return this.index.subnetsByVpc.get(vpcKey) ?? [];
  }
}

function firstByKey<T extends { key: string }>(elements: T[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const element of elements) if (!map.has(element.key)) map.set(element.key, element);
  return map;
}

/** The last two parts of an address: inside a local module it starts with `module.<name>.`. */
/** A resource name for what a VPC variable adds: `var.vpc_id` → `vpc`. */
function variableResourceName(vpcKey: string): string {
  const name = vpcKey.slice('var.'.length);
  return name.endsWith('_id') && name.length > 3 ? name.slice(0, -3) : name;
}

function typeAndName(address: string): [string, string] {
  const parts = address.split('.');
  return [parts[parts.length - 2], parts[parts.length - 1]];
}

function hasInstances(block: Block): boolean {
  return block.attributes.has('count') || block.attributes.has('for_each');
}

/** The text after an attribute on its last line (a trailing comment), kept when the line is rewritten. */
function trailingText(attribute: Attribute): string {
  return attribute.file.lines[attribute.node.endPosition.row].replace(/\r$/, '').slice(attribute.node.endPosition.column);
}

/** The attribute is the only thing on its line(s), apart from a trailing comment. */
function standsAlone(attribute: Attribute): boolean {
  const line = attribute.file.lines[attribute.node.startPosition.row];
  const after = trailingText(attribute).trim();
  return line.slice(0, attribute.node.startPosition.column).trim() === '' && (after === '' || after.startsWith('#') || after.startsWith('//'));
}

function lastLineOf(block: Block): number {
  return block.node.endPosition.row;
}

/** One fix: edits across files, and the resources it adds. */
class Edit {
  private readonly editors = new Map<HclFile, FileEditor>();
  private readonly creates: string[] = [];
  private readonly addedAddresses = new Set<string>();
  private readonly caveats: string[] = [];

  constructor(
    private readonly model: TerraformModel,
    private readonly lookup: GraphLookup,
  ) {}

  private editor(file: HclFile): FileEditor {
    let editor = this.editors.get(file);
    if (!editor) {
      editor = new FileEditor(file);
      this.editors.set(file, editor);
    }
    return editor;
  }

  private result(): EditsWithCreates | undefined {
    const edits = [...this.editors.values()].filter((e) => !e.isEmpty).flatMap((e) => e.edits());
    if (edits.length === 0) return undefined;
    return { edits, ...(this.creates.length > 0 ? { creates: this.creates } : {}), ...(this.caveats.length > 0 ? { caveat: this.caveats.join('; ') } : {}) };
  }

  private freeName(type: string, base: string): string {
    for (let n = 1; ; n++) {
      const name = n === 1 ? base : `${base}_${n}`;
      const address = `${type}.${name}`;
      if (!this.model.index.resources.has(address) && !this.addedAddresses.has(address)) {
        this.addedAddresses.add(address);
        return name;
      }
    }
  }

  /** The indentation of a block's attributes. */
  private bodyIndent(block: Block): string {
    const first = block.body?.children.find((c) => c.type !== 'comment') ?? block.body?.children[0];
    return first && first.startPosition.row > block.openBrace.startPosition.row
      ? indentationOf(block.file, first.startPosition.row)
      : indentationOf(block.file, block.node.startPosition.row) + indentUnit;
  }

  /**
   * Inserts attribute lines into a block: after `after` (or the block's last line of content),
   * expanding a one-line block `x { a = 1 }` / `x {}` onto several lines.
   */
  private insertAttributes(block: Block, attributes: [string, string][], after?: Attribute): boolean {
    const file = block.file;
    const indent = this.bodyIndent(block);
    const lines = attributes.map(([name, value]) => assignmentLine(indent, name, value));
    const open = block.openBrace.startPosition.row;
    const close = block.closeBrace.startPosition.row;
    if (open === close) {
      const line = file.lines[open].replace(/\r$/, '');
      const outer = indentationOf(file, open);
      const alone = line.slice(0, block.node.startPosition.column).trim() === '' && line.slice(block.node.endPosition.column).trim() === '';
      const inside = block.body?.children ?? [];
      if (!alone || inside.some((c) => c.type !== 'attribute')) return false;
      const existing = inside.map((c) => {
        const name = c.children[0];
        const value = c.children.find((x) => x.type === 'expression')!;
        return assignmentLine(indent, name.text, value.text);
      });
      this.editor(file).replaceLine(open, [
        plainLine(line.slice(0, block.openBrace.endPosition.column)),
        ...existing,
        ...lines,
        plainLine(`${outer}}`),
      ]);
      return true;
    }
    const anchor = after ? after.node.endPosition.row : (block.body?.endPosition.row ?? open);
    if (anchor >= close) return false;
    this.editor(file).insertAfter(anchor, lines);
    return true;
  }

  private setAttribute(attribute: Attribute, value: string): void {
    this.editor(attribute.file).replaceLine(attribute.node.startPosition.row, [
      assignmentLine(indentationOf(attribute.file, attribute.node.startPosition.row), attribute.name, value, trailingText(attribute)),
    ]);
  }

  /** Adds a top-level block after another block, separated by a blank line. */
  private addBlockAfter(block: Block, lines: EditedLine[]): void {
    this.editor(block.file).insertAfter(lastLineOf(block), [plainLine(''), ...lines]);
  }

  setFlag(fn: LambdaFunction, value: boolean): EditsWithCreates | undefined {
    const syntax = this.model.index.functions.get(fn.key);
    const target = syntax && (syntax.vpcConfig ?? (fn.key.startsWith('module.') ? syntax.block : undefined));
    if (!target) return undefined;
    const flag = target.attributes.get('ipv6_allowed_for_dual_stack');
    if (flag) {
      if (flag.expr.text === String(value) || !standsAlone(flag)) return undefined;
      this.setAttribute(flag, String(value));
    } else {
      if (!value) return undefined;
      // In the module block the flag goes with the VPC inputs.
      const vpcInputs = ['vpc_subnet_ids', 'vpc_security_group_ids']
        .map((name) => target.attributes.get(name))
        .filter((a): a is Attribute => a !== undefined && target === syntax.block)
        .sort((a, b) => a.node.endPosition.row - b.node.endPosition.row);
      if (!this.insertAttributes(target, [['ipv6_allowed_for_dual_stack', 'true']], vpcInputs[vpcInputs.length - 1])) return undefined;
    }
    return this.result();
  }

  removeFlag(fn: LambdaFunction): EditsWithCreates | undefined {
    const syntax = this.model.index.functions.get(fn.key);
    const target = syntax && (syntax.vpcConfig ?? (fn.key.startsWith('module.') ? syntax.block : undefined));
    const flag = target?.attributes.get('ipv6_allowed_for_dual_stack');
    if (!flag || !standsAlone(flag) || flag.node.startPosition.row === target!.openBrace.startPosition.row) return undefined;
    this.editor(flag.file).deleteLines(flag.node.startPosition.row, flag.node.endPosition.row);
    return this.result();
  }

  /**
   * The expression for the VPC's egress-only internet gateway id; adds the gateway (after the VPC
   * resource) when the folder has none for that VPC.
   */
  private eigwReference(vpcKey: string, vpcExpression?: { owner: Block; attribute: Attribute }): string | undefined {
    const { index } = this.model;
    const existing = this.lookup.eigwOf(vpcKey);
    const module = index.modules.get(vpcKey);
    if (existing) {
      if (module?.kind === 'vpc') return `${vpcKey}.egress_only_internet_gateway_id`;
      const block = index.resources.get(existing.key);
      if (!block || block.attributes.has('for_each')) return undefined;
      return block.attributes.has('count') ? `${existing.key}[0].id` : `${existing.key}.id`;
    }
    if (module?.kind === 'vpc') {
      // The module adds its gateway (and ::/0 routes) with enable_ipv6 and create_egress_only_igw.
      const create = module.block.attributes.get('create_egress_only_igw');
      const enableIpv6 = module.block.attributes.get('enable_ipv6');
      if (!create || create.expr.text !== 'false' || enableIpv6?.expr.text !== 'true' || !standsAlone(create)) return undefined;
      this.setAttribute(create, 'true');
      this.creates.push(`eigw:${vpcKey}`);
      return `${vpcKey}.egress_only_internet_gateway_id`;
    }
    const variable = index.variableVpcs.get(vpcKey);
    if (variable) {
      const name = this.freeName('aws_egress_only_internet_gateway', variableResourceName(vpcKey));
      this.addBlockAfter(variable, [plainLine(`resource "aws_egress_only_internet_gateway" "${name}" {`), assignmentLine(indentUnit, 'vpc_id', vpcKey), plainLine('}')]);
      this.creates.push(`eigw:${vpcKey}`);
      this.caveats.push(`a second egress-only internet gateway if VPC ${vpcKey} has one already`);
      return `aws_egress_only_internet_gateway.${name}.id`;
    }
    const vpc = index.resources.get(vpcKey);
    if (!vpc || vpc.type !== 'resource' || hasInstances(vpc) || !vpcKey.startsWith('aws_vpc.')) return undefined;
    const vpcId =
      vpcExpression && this.model.keyOf(this.model.valueOf(vpcExpression.owner, vpcExpression.attribute.name)!, ['vpc']) === vpcKey
        ? vpcExpression.attribute.expr.text
        : `${vpcKey}.id`;
    const name = this.freeName('aws_egress_only_internet_gateway', typeAndName(vpcKey)[1]);
    this.addBlockAfter(vpc, [
      plainLine(`resource "aws_egress_only_internet_gateway" "${name}" {`),
      assignmentLine(indentUnit, 'vpc_id', vpcId),
      plainLine('}'),
    ]);
    this.creates.push(`eigw:${vpcKey}`);
    return `aws_egress_only_internet_gateway.${name}.id`;
  }

  retargetRouteToEigw(route: Route, vpcKey: string): EditsWithCreates | undefined {
    const syntax = this.model.index.routes.get(route.key);
    if (!syntax) return undefined;
    const target = ['nat_gateway_id', 'gateway_id']
      .map((name) => syntax.block.attributes.get(name))
      .find((a) => a !== undefined && a.expr.text !== 'null');
    if (!target || !standsAlone(target)) return undefined;
    const table = this.model.index.resources.get(route.table);
    const eigw = this.eigwReference(vpcKey, table && this.vpcIdOf(table));
    if (!eigw) return undefined;
    const row = target.node.startPosition.row;
    this.editor(target.file).replaceLine(row, [assignmentLine(indentationOf(target.file, row), 'egress_only_gateway_id', eigw, trailingText(target))]);
    return this.result();
  }

  private vpcIdOf(block: Block): { owner: Block; attribute: Attribute } | undefined {
    const attribute = block.attributes.get('vpc_id');
    return attribute && { owner: block, attribute };
  }

  addIpv6DefaultRoute(table: RouteTable, vpcKey: string): EditsWithCreates | undefined {
    const { index } = this.model;
    if (index.modules.get(vpcKey)?.kind === 'vpc') {
      // The vpc module writes the ::/0 routes of its private tables itself, once it has an EIGW.
      return table.key === vpcModuleKeys(typeAndName(vpcKey)[1], vpcKey.slice(0, vpcKey.lastIndexOf('module.'))).privateRouteTable && this.eigwReference(vpcKey) ? this.result() : undefined;
    }
    const block = index.resources.get(table.key);
    if (!block) return undefined;
    const eigw = this.eigwReference(vpcKey, this.vpcIdOf(block));
    if (!eigw) return undefined;
    return this.addIpv6Route(table, block, { destination: '::/0', nameSuffix: 'ipv6_default', inlineTarget: 'egress_only_gateway_id', routeTarget: 'egress_only_gateway_id', target: eigw });
  }

  addNat64Route(table: RouteTable, nat: Gateway): EditsWithCreates | undefined {
    const block = this.model.index.resources.get(table.key);
    const natBlock = this.model.index.resources.get(nat.key);
    // One NAT gateway per table: a NAT gateway with count or for_each has several, which one serves this table is not known.
    if (!block || !natBlock || natBlock.type !== 'resource' || hasInstances(natBlock)) return undefined;
    return this.addIpv6Route(table, block, { destination: '64:ff9b::/96', nameSuffix: 'nat64', inlineTarget: 'nat_gateway_id', routeTarget: 'nat_gateway_id', target: `${nat.key}.id` });
  }

  turnDns64Off(subnet: Subnet): EditsWithCreates | undefined {
    const { index } = this.model;
    const module = isKnown(subnet.vpc) ? index.modules.get(subnet.vpc) : undefined;
    if (module?.kind === 'vpc') {
      const group = /\.([a-z]+)_subnets$/.exec(subnet.key)?.[1];
      if (!group) return undefined;
      const input = `${group}_subnet_enable_dns64`;
      const setting = module.block.attributes.get(input);
      if (setting) {
        if (!standsAlone(setting)) return undefined;
        this.setAttribute(setting, 'false');
      } else if (!this.insertAttributes(module.block, [[input, 'false']], module.block.attributes.get(`${group}_subnets`) ?? module.block.attributes.get(`${group}_subnet_ipv6_prefixes`))) {
        return undefined;
      }
      return this.result();
    }
    const setting = index.resources.get(subnet.key)?.attributes.get('enable_dns64');
    if (!setting || setting.expr.text !== 'true' || !standsAlone(setting)) return undefined;
    this.setAttribute(setting, 'false');
    return this.result();
  }

  /** An IPv6 route of the table: an inline `route` block where the table uses inline routes, else an `aws_route` after it. */
  private addIpv6Route(
    table: RouteTable,
    block: Block,
    route: { destination: string; nameSuffix: string; inlineTarget: string; routeTarget: string; target: string },
  ): EditsWithCreates | undefined {
    if (table.inlineRoutes) {
      const routes = nestedBlocks(block, 'route');
      if (routes.length === 0 || block.blocks.some((b) => b.type === 'dynamic' && b.labels[0] === 'route')) return undefined;
      const last = routes[routes.length - 1];
      const indent = indentationOf(block.file, last.node.startPosition.row);
      const adjacent = routes.length > 1 && routes[1].node.startPosition.row === routes[0].node.endPosition.row + 1;
      this.editor(block.file).insertAfter(lastLineOf(last), [
        ...(adjacent ? [] : [plainLine('')]),
        plainLine(`${indent}route {`),
        assignmentLine(indent + indentUnit, 'ipv6_cidr_block', `"${route.destination}"`),
        assignmentLine(indent + indentUnit, route.inlineTarget, route.target),
        plainLine(`${indent}}`),
      ]);
      return this.result();
    }
    const tableName = typeAndName(table.key)[1];
    const name = this.freeName('aws_route', `${tableName}_${route.nameSuffix}`);
    const instances: EditedLine[] = [];
    let tableId = `${table.key}.id`;
    if (block.attributes.has('count')) {
      instances.push(assignmentLine(indentUnit, 'count', `length(${table.key})`), plainLine(''));
      tableId = `${table.key}[count.index].id`;
    } else if (block.attributes.has('for_each')) {
      instances.push(assignmentLine(indentUnit, 'for_each', table.key), plainLine(''));
      tableId = 'each.value.id';
    }
    this.addBlockAfter(block, [
      plainLine(`resource "aws_route" "${name}" {`),
      ...instances,
      assignmentLine(indentUnit, 'route_table_id', tableId),
      assignmentLine(indentUnit, 'destination_ipv6_cidr_block', `"${route.destination}"`),
      assignmentLine(indentUnit, route.routeTarget, route.target),
      plainLine('}'),
    ]);
    return this.result();
  }

  addIpv6Egress(group: SecurityGroup, variant: Ipv6EgressVariant): EditsWithCreates | undefined {
    const block = this.model.index.resources.get(group.key);
    if (!block || block.attributes.has('egress')) return undefined;
    const rules = this.model.index.egressRules.get(group.key) ?? [];
    if (variant === 'mirror') this.mirrorIpv4Egress(block, rules);
    else this.addHttpsEgress(block, rules);
    return this.result();
  }

  private allowsAllIpv4(block: Block, name: string): boolean {
    const value = this.model.valueOf(block, name);
    if (value?.kind === 'string') return value.value === '0.0.0.0/0';
    return value?.kind === 'list' && value.items.some((item) => item.kind === 'string' && item.value === '0.0.0.0/0');
  }

  private mirrorIpv4Egress(group: Block, rules: Block[]): void {
    const mirrorInto = (block: Block) => {
      const cidrs = block.attributes.get('cidr_blocks');
      if (cidrs && !block.attributes.has('ipv6_cidr_blocks') && this.allowsAllIpv4(block, 'cidr_blocks')) {
        this.insertAttributes(block, [['ipv6_cidr_blocks', '["::/0"]']], cidrs);
      }
    };
    nestedBlocks(group, 'egress').forEach(mirrorInto);
    for (const rule of rules) {
      if (rule.labels[0] === 'aws_security_group_rule') mirrorInto(rule);
      else if (this.allowsAllIpv4(rule, 'cidr_ipv4')) this.addMirroredRule(rule);
    }
  }

  /** A copy of an aws_vpc_security_group_egress_rule for ::/0 (its one-line attributes). */
  private addMirroredRule(rule: Block): void {
    const name = this.freeName(rule.labels[0], `${rule.labels[1]}_ipv6`);
    const lines: EditedLine[] = [plainLine(`resource "${rule.labels[0]}" "${name}" {`)];
    let previousRow: number | undefined;
    for (const attribute of rule.attributes.values()) {
      const row = attribute.node.startPosition.row;
      if (row !== attribute.node.endPosition.row) continue;
      if (previousRow !== undefined && row > previousRow + 1) lines.push(plainLine(''));
      previousRow = row;
      lines.push(
        attribute.name === 'cidr_ipv4'
          ? assignmentLine(indentUnit, 'cidr_ipv6', '"::/0"')
          : assignmentLine(indentUnit, attribute.name, attribute.expr.text),
      );
    }
    lines.push(plainLine('}'));
    this.addBlockAfter(rule, lines);
  }

  private addHttpsEgress(group: Block, rules: Block[]): void {
    if (rules.length > 0) {
      // The group's egress lives in rule resources; an inline block would fight with them.
      if (hasInstances(group)) return;
      const name = this.freeName('aws_vpc_security_group_egress_rule', `${typeAndName(group.labels.join('.'))[1]}_ipv6_https`);
      this.addBlockAfter(group, [
        plainLine(`resource "aws_vpc_security_group_egress_rule" "${name}" {`),
        assignmentLine(indentUnit, 'security_group_id', `${group.labels[0]}.${group.labels[1]}.id`),
        assignmentLine(indentUnit, 'cidr_ipv6', '"::/0"'),
        assignmentLine(indentUnit, 'ip_protocol', '"tcp"'),
        assignmentLine(indentUnit, 'from_port', '443'),
        assignmentLine(indentUnit, 'to_port', '443'),
        plainLine('}'),
      ]);
      return;
    }
    const egress = nestedBlocks(group, 'egress');
    const close = group.closeBrace.startPosition.row;
    if (group.openBrace.startPosition.row === close) return;
    const after = egress.length > 0 ? lastLineOf(egress[egress.length - 1]) : (group.body?.endPosition.row ?? group.openBrace.startPosition.row);
    if (after >= close) return;
    const indent = this.bodyIndent(group);
    const inner = indent + indentUnit;
    this.editor(group.file).insertAfter(after, [
      ...(after > group.openBrace.startPosition.row ? [plainLine('')] : []),
      plainLine(`${indent}egress {`),
      assignmentLine(inner, 'from_port', '443'),
      assignmentLine(inner, 'to_port', '443'),
      assignmentLine(inner, 'protocol', '"tcp"'),
      assignmentLine(inner, 'ipv6_cidr_blocks', '["::/0"]'),
      plainLine(`${indent}}`),
    ]);
  }

  makeDualStack(key: string): EditsWithCreates | undefined {
    const { index } = this.model;
    const subnet = this.lookup.subnet(key);
    if (!subnet || !isKnown(subnet.vpc)) return undefined;
    const vpcKey = subnet.vpc;
    if (index.modules.get(vpcKey)?.kind === 'vpc') return this.makeModuleGroupDualStack(key, vpcKey);
    const block = index.resources.get(key);
    if (!block || !key.startsWith('aws_subnet.') || block.attributes.has('ipv6_cidr_block')) return undefined;
    if (index.variableVpcs.has(vpcKey)) return this.makeDualStackFromAssociation(block, vpcKey);
    const vpc = this.lookup.vpc(vpcKey);
    const vpcBlock = index.resources.get(vpcKey);
    if (!vpc || !vpcBlock || !vpcKey.startsWith('aws_vpc.') || hasInstances(vpcBlock) || !isKnown(vpc.ipv6)) return undefined;

    const base = `${vpcKey}.ipv6_cidr_block`;
    const netnum = this.mirroredNetnum(block, vpcKey) ?? (hasInstances(block) ? undefined : this.freeNetnum(base, vpcKey));
    if (netnum === undefined) return undefined;
    if (!vpc.ipv6) {
      if (!this.assignGeneratedIpv6Block(vpcBlock)) return undefined;
    } else if (!this.vpcHasOwnIpv6(vpcBlock)) {
      // Its IPv6 block comes from an aws_vpc_ipv6_cidr_block_association; aws_vpc.x.ipv6_cidr_block is empty.
      return undefined;
    }
    if (!this.insertAttributes(block, [['ipv6_cidr_block', `cidrsubnet(${base}, 8, ${netnum})`]], block.attributes.get('cidr_block'))) return undefined;
    return this.result();
  }

  /**
   * A subnet of a VPC taken by id as a variable: its /64 from the block an
   * aws_vpc_ipv6_cidr_block_association of that variable gives (its `ipv6_cidr_block` is known
   * once applied), at an index no other subnet of the VPC takes.
   */
  private makeDualStackFromAssociation(block: Block, vpcKey: string): EditsWithCreates | undefined {
    const association = this.associationOf(vpcKey);
    if (!association) return undefined;
    const base = `${association}.ipv6_cidr_block`;
    const netnum = this.mirroredNetnum(block, vpcKey, base) ?? (hasInstances(block) ? undefined : this.freeNetnum(base, vpcKey));
    if (netnum === undefined || !this.insertAttributes(block, [['ipv6_cidr_block', `cidrsubnet(${base}, 8, ${netnum})`]], block.attributes.get('cidr_block'))) return undefined;
    return this.result();
  }

  /** The address of the (single-instance) aws_vpc_ipv6_cidr_block_association whose vpc_id is the VPC. */
  private associationOf(vpcKey: string): string | undefined {
    for (const [address, candidate] of this.model.index.resources) {
      if (!address.startsWith('aws_vpc_ipv6_cidr_block_association.') || hasInstances(candidate)) continue;
      const vpcId = this.model.valueOf(candidate, 'vpc_id');
      if (vpcId && this.model.keyOf(vpcId, ['vpc']) === vpcKey) return address;
    }
    return undefined;
  }

  addVpcIpv6Block(vpcKey: string): EditsWithCreates | undefined {
    const variable = this.model.index.variableVpcs.get(vpcKey);
    if (variable) {
      if (this.associationOf(vpcKey)) return undefined;
      const name = this.freeName('aws_vpc_ipv6_cidr_block_association', variableResourceName(vpcKey));
      this.addBlockAfter(variable, [
        plainLine(`resource "aws_vpc_ipv6_cidr_block_association" "${name}" {`),
        assignmentLine(indentUnit, 'vpc_id', vpcKey),
        assignmentLine(indentUnit, 'assign_generated_ipv6_cidr_block', 'true'),
        plainLine('}'),
      ]);
      this.caveats.push(`adds an Amazon-provided IPv6 block to VPC ${vpcKey}, a second one if it has one already`);
      return this.result();
    }
    const module = this.model.index.modules.get(vpcKey);
    if (module?.kind === 'vpc') {
      const block = module.block;
      if (!this.setOrInsert(block, 'enable_ipv6', 'true', moduleIpv6Anchor(block))) return undefined;
      return this.result();
    }
    const vpcBlock = this.model.index.resources.get(vpcKey);
    if (!vpcBlock || !vpcKey.startsWith('aws_vpc.') || hasInstances(vpcBlock) || !this.assignGeneratedIpv6Block(vpcBlock)) return undefined;
    return this.result();
  }

  private assignGeneratedIpv6Block(vpcBlock: Block): boolean {
    return this.setOrInsert(vpcBlock, 'assign_generated_ipv6_cidr_block', 'true', vpcBlock.attributes.get('cidr_block'));
  }

  /** Sets an attribute written alone on its line, or inserts it (after `anchor`); false when it cannot be written. */
  private setOrInsert(block: Block, name: string, value: string, anchor?: Attribute): boolean {
    const existing = block.attributes.get(name);
    if (!existing) return this.insertAttributes(block, [[name, value]], anchor);
    if (existing.expr.text === value) return true;
    if (!standsAlone(existing)) return false;
    this.setAttribute(existing, value);
    return true;
  }

  /**
   * terraform-aws-modules/vpc: one IPv6 prefix per subnet of the group, distinct from the other
   * groups' prefixes. DNS64 is turned off for the group, as the module turns it on by default and
   * it needs a 64:ff9b::/96 route to the NAT gateway that the module does not write.
   */
  private makeModuleGroupDualStack(key: string, vpcKey: string): EditsWithCreates | undefined {
    const block = this.model.index.modules.get(vpcKey)!.block;
    const group = key.slice(vpcKey.length + 1).replace(/_subnets$/, '');
    const prefixesName = `${group}_subnet_ipv6_prefixes`;
    const subnets = this.model.valueOf(block, `${group}_subnets`);
    if (subnets?.kind !== 'list' || subnets.items.length === 0 || block.attributes.has(prefixesName)) return undefined;
    const used = new Set<number>();
    for (const [name, attribute] of block.attributes) {
      if (!name.endsWith('_subnet_ipv6_prefixes')) continue;
      const prefixes = this.model.valueOf(block, attribute.name);
      if (prefixes?.kind !== 'list') return undefined;
      for (const item of prefixes.items) {
        if (item.kind !== 'number') return undefined;
        used.add(item.value);
      }
    }
    const prefixes: number[] = [];
    for (let prefix = 0; prefixes.length < subnets.items.length; prefix++) if (!used.has(prefix)) prefixes.push(prefix);
    if (!this.setOrInsert(block, 'enable_ipv6', 'true', moduleIpv6Anchor(block))) return undefined;
    const after = block.attributes.get(`${group}_subnets`);
    const lines: [string, string][] = [[prefixesName, `[${prefixes.join(', ')}]`]];
    if (!block.attributes.has(`${group}_subnet_enable_dns64`)) lines.push([`${group}_subnet_enable_dns64`, 'false']);
    if (!this.insertAttributes(block, lines, after)) return undefined;
    return this.result();
  }

  /**
   * The IPv6 /64 index mirroring the subnet's IPv4 one (`cidrsubnet(aws_vpc.x.cidr_block, 8, E)`
   * or a literal /24 of a literal /16): IPv4 subnets of a VPC never overlap, so neither do their
   * mirrors, `count.index` and `each` expressions included. Only when every IPv6 subnet of the VPC
   * already follows that scheme.
   */
  private mirroredNetnum(block: Block, vpcKey: string, ipv6Base = `${vpcKey}.ipv6_cidr_block`): string | undefined {
    const own = this.ipv4Netnum(block, vpcKey);
    if (own === undefined) return undefined;
    for (const subnet of this.lookup.subnetsOf(vpcKey)) {
      const other = this.model.index.resources.get(subnet.key);
      const expr = other?.attributes.get('ipv6_cidr_block')?.expr;
      if (!other || other === block || !expr) continue;
      const args = cidrsubnetArguments(expr);
      if (!args || args[0] !== ipv6Base || args[1] !== '8' || args[2] !== this.ipv4Netnum(other, vpcKey)) return undefined;
    }
    return own;
  }

  /**
   * The IPv4 block the VPC's subnets are cut from: `aws_vpc.x.cidr_block`, or for a VPC taken as a
   * variable the one base every subnet of the VPC writes in `cidrsubnet(base, 8, …)`.
   */
  private ipv4Base(vpcKey: string): string | undefined {
    if (!this.model.index.variableVpcs.has(vpcKey)) return `${vpcKey}.cidr_block`;
    const bases = new Set(this.lookup.subnetsOf(vpcKey).map((subnet) => {
      const expr = this.model.index.resources.get(subnet.key)?.attributes.get('cidr_block')?.expr;
      return expr && cidrsubnetArguments(expr)?.[0];
    }));
    const [base] = bases;
    return bases.size === 1 ? base : undefined;
  }

  private ipv4Netnum(block: Block, vpcKey: string): string | undefined {
    const expr = block.attributes.get('cidr_block')?.expr;
    if (!expr) return undefined;
    const args = cidrsubnetArguments(expr);
    if (args) return args[0] === this.ipv4Base(vpcKey) && args[1] === '8' ? args[2] : undefined;
    if (hasInstances(block)) return undefined;
    const vpcBlock = this.model.index.resources.get(vpcKey);
    const subnetCidr = this.model.valueOf(block, 'cidr_block');
    const vpcCidr = vpcBlock && this.model.valueOf(vpcBlock, 'cidr_block');
    if (subnetCidr?.kind !== 'string' || vpcCidr?.kind !== 'string') return undefined;
    const netnum = ipv4SubnetNumber(vpcCidr.value, subnetCidr.value);
    return netnum === undefined ? undefined : String(netnum);
  }

  private vpcHasOwnIpv6(vpc: Block): boolean {
    return ['ipv6_cidr_block', 'ipv6_ipam_pool_id'].some((name) => vpc.attributes.has(name)) || vpc.attributes.get('assign_generated_ipv6_cidr_block')?.expr.text === 'true';
  }

  /** The smallest /64 index no subnet of the VPC uses; undefined when another subnet's index is not a literal. */
  private freeNetnum(base: string, vpcKey: string): number | undefined {
    const used = new Set<number>();
    for (const subnet of this.lookup.subnetsOf(vpcKey)) {
      const expr = this.model.index.resources.get(subnet.key)?.attributes.get('ipv6_cidr_block')?.expr;
      if (!expr) continue;
      const args = cidrsubnetArguments(expr);
      if (!args || args[0] !== base || args[1] !== '8' || !/^\d+$/.test(args[2])) return undefined;
      used.add(Number(args[2]));
    }
    let netnum = 0;
    while (used.has(netnum)) netnum++;
    return netnum;
  }
}

/** The argument texts of `cidrsubnet(a, b, c)`. */
function cidrsubnetArguments(expr: Node): string[] | undefined {
  const call = expr.namedChildren[0];
  if (call?.type !== 'function_call' || expr.namedChildren.length !== 1 || call.namedChildren[0]?.text !== 'cidrsubnet') return undefined;
  const args = call.namedChildren.find((c) => c.type === 'function_arguments')?.namedChildren.filter((c) => c.type === 'expression');
  return args?.length === 3 ? args.map((a) => a.text) : undefined;
}

/** enable_ipv6 goes after the module's NAT settings, else after its CIDR. */
function moduleIpv6Anchor(block: Block): Attribute | undefined {
  const nat = ['enable_nat_gateway', 'single_nat_gateway', 'one_nat_gateway_per_az']
    .map((name) => block.attributes.get(name))
    .filter((attribute): attribute is Attribute => attribute !== undefined)
    .sort((a, b) => b.node.endPosition.row - a.node.endPosition.row);
  return nat[0] ?? block.attributes.get('cidr');
}

function ipv4Address(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255)) return undefined;
  return parts.reduce((address, part) => address * 256 + Number(part), 0);
}

/** `10.0.5.0/24` in `10.0.0.0/16` → 5: the subnet's number among the VPC's /24s, when it is one of them. */
function ipv4SubnetNumber(vpcCidr: string, subnetCidr: string): number | undefined {
  const [vpcAddress, vpcPrefix] = vpcCidr.split('/');
  const [subnetAddress, subnetPrefix] = subnetCidr.split('/');
  const vpc = ipv4Address(vpcAddress);
  const subnet = ipv4Address(subnetAddress);
  if (vpc === undefined || subnet === undefined || Number(subnetPrefix) !== Number(vpcPrefix) + 8 || Number(subnetPrefix) > 32) return undefined;
  const hostBits = 32 - Number(subnetPrefix);
  const offset = subnet - vpc;
  if (offset < 0 || offset % 2 ** hostBits !== 0) return undefined;
  const netnum = offset / 2 ** hostBits;
  return netnum < 256 ? netnum : undefined;
}
