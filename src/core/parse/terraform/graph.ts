import type { Node } from 'web-tree-sitter';
import {
  emptyGraph,
  isKnown,
  unknown,
  type EgressRule,
  type GatewayKind,
  type Known,
  type LambdaFunction,
  type ResourceGraph,
  type RouteTarget,
  type SecurityGroup,
} from '../../model/graph';
import { asBoolean, Evaluator, unknownValue, whyUnknown, type Scope, type Value } from './evaluate';
import { lambdaModuleFunction, registryModuleKind, vpcModuleElements, vpcModuleOutput, type RegistryModuleKind } from './modules';
import { dynamicBlocks, locationOf, nestedBlocks, topLevelBlocks, type Attribute, type Block, type HclFile } from './syntax';

/** What a reference must point at; gateways by their kind. */
type ElementKind = 'function' | 'vpc' | 'subnet' | 'routeTable' | 'securityGroup' | GatewayKind;

const resourceKinds: Record<string, ElementKind> = {
  aws_lambda_function: 'function',
  aws_vpc: 'vpc',
  aws_subnet: 'subnet',
  aws_route_table: 'routeTable',
  aws_default_route_table: 'routeTable',
  aws_nat_gateway: 'nat',
  aws_internet_gateway: 'igw',
  aws_egress_only_internet_gateway: 'eigw',
  aws_security_group: 'securityGroup',
  aws_default_security_group: 'securityGroup',
};

const otherRouteTargets = [
  'transit_gateway_id',
  'vpc_peering_connection_id',
  'network_interface_id',
  'vpc_endpoint_id',
  'carrier_gateway_id',
  'local_gateway_id',
  'core_network_arn',
  'instance_id',
];

export interface FunctionSyntax {
  block: Block;
  /** The resource's `vpc_config` block; absent for the lambda module and functions without one. */
  vpcConfig?: Block;
}

export interface RouteSyntax {
  /** The aws_route resource or the inline `route` block. */
  block: Block;
}

/** Where the graph's elements are written, for the fix builder. */
export interface SyntaxIndex {
  /** Resource blocks by address (`aws_subnet.a`), which is also their element key. */
  resources: Map<string, Block>;
  /** Module blocks by address (`module.vpc`). */
  modules: Map<string, { block: Block; kind?: RegistryModuleKind }>;
  functions: Map<string, FunctionSyntax>;
  routes: Map<string, RouteSyntax>;
  /** Security group key → the rule resources that add egress to it. */
  egressRules: Map<string, Block[]>;
  /** VPCs the root module takes by id as a variable: `var.vpc_id` → its `variable` block. */
  variableVpcs: Map<string, Block>;
}

export interface TerraformModel {
  graph: ResourceGraph;
  index: SyntaxIndex;
  /** Evaluates an attribute of a block in that block's scope (for fixes that reuse expressions). */
  valueOf(block: Block, name: string): Value | undefined;
  keyOf(value: Value, kinds: ElementKind[]): Known<string>;
  /** An `output` of the module, evaluated in its scope. */
  output(name: string): Value;
  /** Whether a file is evaluated in this module or one it calls. */
  covers(file: HclFile): boolean;
}

/** How one module folder is evaluated: as the root, or as a local module called by a `module` block. */
export interface ModuleContext {
  /** Prepended to every address the module defines: `module.network.` for `module "network"`; '' in the root. */
  prefix: string;
  /** The caller's argument for a variable; undefined when the caller does not set it. Absent in the root. */
  argument?(name: string): Value | undefined;
  /**
   * The parsed files of the folder a `module` block's source names, when it is in the unit. `key` is
   * the module's path as `.terraform/modules/modules.json` spells it (`network.sg`).
   */
  moduleFiles(source: string, key: string, caller: HclFile[]): HclFile[] | undefined;
  /** Element kinds by key, shared by every module of the root so that values cross module boundaries. */
  elementKinds?: Map<string, ElementKind>;
  /** Folders of the calling modules, to stop a module that calls itself. */
  callers?: HclFile[][];
}

const rootContext: ModuleContext = { prefix: '', moduleFiles: () => undefined };

/** The `module` block arguments that are Terraform's, not the module's variables. */
const moduleMetaArguments = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

/** The type in an address; inside a local module the address starts with `module.<name>.`. */
function typeOf(address: string): string {
  const parts = address.split('.');
  return parts[parts.length - 2];
}

function hasInstances(block: Block): boolean {
  return block.attributes.has('count') || block.attributes.has('for_each');
}

function anyTrue(values: Known<boolean>[]): Known<boolean> {
  if (values.includes(true)) return true;
  return values.find((v) => !isKnown(v)) ?? false;
}

/** Whether an optional attribute is set to a non-null value. */
function presence(value: Value | undefined): Known<boolean> {
  if (!value || value.kind === 'null') return false;
  if (value.kind === 'string') return value.value !== '';
  if (value.kind === 'present' || value.kind === 'list' || value.kind === 'number') return true;
  // The id of a resource the folder creates always exists.
  if (value.kind === 'attribute' && value.name === 'id') return true;
  return unknown(whyUnknown(value, 'a value'));
}

function stringOf(value: Value | undefined): string | undefined {
  return value?.kind === 'string' ? value.value : undefined;
}

const protocolNumbers: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6', all: '-1' };

function protocolOf(value: Value | undefined): Known<string> {
  if (value?.kind === 'string' || value?.kind === 'number') {
    const text = String(value.value).toLowerCase();
    return protocolNumbers[text] ?? text;
  }
  return unknown(value ? whyUnknown(value, 'a protocol') : 'no protocol');
}

function portOf(value: Value | undefined): Known<number> | undefined {
  if (!value) return undefined;
  if (value.kind === 'number') return value.value;
  if (value.kind === 'string' && /^-?\d+$/.test(value.value)) return Number(value.value);
  return unknown(whyUnknown(value, 'a port'));
}

function cidrsOf(value: Value | undefined): Known<string>[] {
  if (!value || value.kind === 'null') return [];
  if (value.kind === 'string') return [value.value.toLowerCase()];
  if (value.kind === 'list') return value.items.map((item) => (item.kind === 'string' ? item.value.toLowerCase() : unknown(whyUnknown(item, 'a CIDR'))));
  return [unknown(whyUnknown(value, 'a list of CIDRs'))];
}

/**
 * Reading an expression's children makes web-tree-sitter cache them on the node read. The
 * attribute's own node lives as long as the model, so evaluating it directly would keep every node
 * of every evaluated expression alive; a fresh node for the same expression lets them die young.
 */
function freshNode(node: Node): Node {
  const cursor = node.walk();
  const fresh = cursor.currentNode;
  cursor.delete();
  return fresh;
}

function nonEmpty(value: Value | undefined): boolean {
  if (!value || value.kind === 'null') return false;
  if (value.kind === 'list') return value.items.length > 0;
  if (value.kind === 'bool') return value.value;
  return true;
}

export function buildModel(files: HclFile[], context: ModuleContext = rootContext): TerraformModel {
  const { prefix } = context;
  const blocks = files.flatMap(topLevelBlocks);
  const resources = new Map<string, Block>();
  const locals = new Map<string, Attribute>();
  const modules = new Map<string, { block: Block; kind?: RegistryModuleKind }>();
  const variables = new Map<string, Block>();
  const outputs = new Map<string, Block>();
  for (const block of blocks) {
    if (block.type === 'resource' && block.labels.length === 2) {
      const address = `${prefix}${block.labels[0]}.${block.labels[1]}`;
      if (!resources.has(address)) resources.set(address, block);
    } else if (block.type === 'locals') {
      for (const [name, attribute] of block.attributes) if (!locals.has(name)) locals.set(name, attribute);
    } else if (block.type === 'module' && block.labels.length === 1) {
      modules.set(`${prefix}module.${block.labels[0]}`, { block, kind: undefined });
    } else if (block.type === 'variable' && block.labels.length === 1) {
      variables.set(block.labels[0], block);
    } else if (block.type === 'output' && block.labels.length === 1) {
      outputs.set(block.labels[0], block);
    }
  }

  const elementKinds = context.elementKinds ?? new Map<string, ElementKind>();
  for (const address of resources.keys()) {
    const kind = resourceKinds[typeOf(address)];
    if (kind) elementKinds.set(address, kind);
  }

  const localValues = new Map<string, Value>();
  const moduleName = prefix.slice('module.'.length, -1).replace(/\.module\./g, '.');
  /** Inside a local module: the caller's argument, else the variable's default, else unknown. */
  const variable = (name: string): Value => {
    const argument = context.argument?.(name);
    if (argument) return argument;
    const declared = variables.get(name);
    if (!declared) return unknownValue(`variable ${name}, which module ${moduleName} does not declare`);
    return valueOf(declared, 'default') ?? unknownValue(`variable ${name}, which module ${moduleName} is not given`);
  };
  const evaluator: Evaluator = new Evaluator({
    addressPrefix: prefix,
    variable: context.argument ? variable : undefined,
    resource: (address) => {
      const block = resources.get(address);
      return block && { hasInstances: hasInstances(block), instances: instancesOf(block) };
    },
    local: (name) => {
      const known = localValues.get(name);
      if (known) return known;
      const attribute = locals.get(name);
      if (!attribute) return unknownValue(`local value ${name}, which is not defined in this folder`);
      localValues.set(name, unknownValue(`local value ${name}, which refers to itself`));
      const value = evaluator.evaluate(freshNode(attribute.expr));
      localValues.set(name, value);
      return value;
    },
    moduleOutput: (name, output) => {
      const entry = modules.get(`${prefix}module.${name}`);
      if (entry?.kind === 'vpc') return vpcModuleOutput(name, output, (key) => elementKinds.has(key), prefix);
      const child = entry && localModule(entry.block);
      return child ? child.output(output) : unknownValue(`output ${output} of module ${name}`);
    },
  });

  // A known `count`: references to a resource with none are an empty list (what `try()` in registry modules relies on).
  const counts = new Map<Block, number | undefined>();
  function instancesOf(block: Block): number | undefined {
    const count = block.attributes.get('count');
    if (!count) return undefined;
    if (counts.has(block)) return counts.get(block);
    counts.set(block, undefined);
    const value = evaluator.evaluate(freshNode(count.expr));
    const known = value.kind === 'number' && Number.isInteger(value.value) && value.value >= 0 ? value.value : undefined;
    counts.set(block, known);
    return known;
  }

  // `each.value` under `for_each = aws_subnet.x` is one instance of aws_subnet.x.
  const scopes = new Map<Block, Scope>();
  const scopeOf = (block: Block): Scope => {
    let scope = scopes.get(block);
    if (!scope) {
      const forEach = block.attributes.get('for_each');
      const source = forEach ? evaluator.evaluate(freshNode(forEach.expr)) : undefined;
      let each: Value = unknownValue('each.value');
      if (source?.kind === 'resource' && !source.instance) each = { ...source, instance: true };
      else if (source?.kind === 'list' && source.collective && source.items.length === 1) each = source.items[0];
      scope = new Map([['each.value', each]]);
      scopes.set(block, scope);
    }
    return scope;
  };
  // Values by scope and attribute: several elements read the same attribute.
  let values = new Map<Scope, Map<Attribute, Value>>();
  const valueOf = (block: Block, name: string, scopeBlock: Block = block): Value | undefined => {
    const attribute = block.attributes.get(name);
    if (!attribute) return undefined;
    const scope = scopeOf(scopeBlock);
    let known = values.get(scope);
    if (!known) values.set(scope, (known = new Map()));
    let value = known.get(attribute);
    if (!value) known.set(attribute, (value = evaluator.evaluate(freshNode(attribute.expr), scope)));
    return value;
  };
  const booleanOf = (block: Block, name: string, scopeBlock: Block = block): Known<boolean | undefined> => {
    const value = valueOf(block, name, scopeBlock);
    if (!value) return undefined;
    const result = asBoolean(value);
    return result === undefined || typeof result === 'boolean' ? result : unknown(result.why);
  };

  // Local modules and those `terraform init` downloaded, evaluated with the arguments of their block.
  const children = new Map<Block, TerraformModel | 'building' | undefined>();
  // Arguments read while the registry modules' elements are not all known could miss them.
  let registryModulesKnown = false;
  const localModule = (block: Block): TerraformModel | undefined => {
    if (!registryModulesKnown) return undefined;
    if (children.has(block)) {
      const known = children.get(block);
      return known === 'building' ? undefined : known;
    }
    children.set(block, undefined);
    const source = stringOf(valueOf(block, 'source'));
    const count = valueOf(block, 'count');
    const key = `${moduleName ? `${moduleName}.` : ''}${block.labels[0]}`;
    const moduleFiles = source === undefined || registryModuleKind(source) ? undefined : context.moduleFiles(source, key, files);
    const callers = [...(context.callers ?? []), files];
    if (!moduleFiles || callers.includes(moduleFiles) || (count?.kind === 'number' && count.value === 0)) return undefined;
    children.set(block, 'building');
    const child = buildModel(moduleFiles, {
      prefix: `${prefix}module.${block.labels[0]}.`,
      argument: (name) => (moduleMetaArguments.has(name) ? undefined : valueOf(block, name)),
      moduleFiles: context.moduleFiles,
      elementKinds,
      callers,
    });
    children.set(block, child);
    return child;
  };

  // Module elements are known before resources refer to them through outputs.
  const graph = emptyGraph();
  const functionSyntax = new Map<string, FunctionSyntax>();
  for (const [address, entry] of modules) {
    const source = stringOf(valueOf(entry.block, 'source'));
    entry.kind = source === undefined ? undefined : registryModuleKind(source);
    if (entry.kind === 'vpc') {
      const elements = vpcModuleElements(entry.block, (name) => valueOf(entry.block, name), prefix);
      graph.vpcs.push(elements.vpc);
      graph.subnets.push(...elements.subnets);
      graph.routeTables.push(...elements.routeTables);
      graph.routes.push(...elements.routes);
      graph.associations.push(...elements.associations);
      graph.gateways.push(...elements.gateways);
      graph.securityGroups.push(...elements.securityGroups);
      elementKinds.set(elements.vpc.key, 'vpc');
      elements.subnets.forEach((s) => elementKinds.set(s.key, 'subnet'));
      elements.routeTables.forEach((t) => elementKinds.set(t.key, 'routeTable'));
      elements.gateways.forEach((g) => elementKinds.set(g.key, g.kind));
      elements.securityGroups.forEach((g) => elementKinds.set(g.key, 'securityGroup'));
    } else if (entry.kind === 'lambda') {
      functionSyntax.set(address, { block: entry.block });
    }
  }

  // Module outputs read before every module's kind was known may have been evaluated differently.
  values = new Map();
  registryModulesKnown = true;

  // `aws_vpc.x.default_route_table_id` names the table an aws_default_route_table adopts.
  const defaultTableOfVpc = new Map<string, string>();
  for (const [address, block] of resources) {
    if (typeOf(address) !== 'aws_default_route_table') continue;
    const adopted = valueOf(block, 'default_route_table_id');
    if (adopted?.kind === 'attribute' && (adopted.name === 'default_route_table_id' || adopted.name === 'main_route_table_id')) {
      defaultTableOfVpc.set(adopted.address, address);
    }
  }

  const variableVpcs = new Map<string, Block>();
  const keyOf = (value: Value | undefined, kinds: ElementKind[]): Known<string> => {
    if (!value) return unknown('not set');
    switch (value.kind) {
      case 'attribute': {
        if (value.name === 'id' && kinds.includes(elementKinds.get(value.address) as ElementKind)) return value.address;
        const table = defaultTableOfVpc.get(value.address);
        if (table && kinds.includes('routeTable') && (value.name === 'default_route_table_id' || value.name === 'main_route_table_id')) return table;
        return unknown(`${value.address}.${value.name}, which is not a ${kinds.join(' or ')} id`);
      }
      case 'element':
        return kinds.includes(elementKinds.get(value.key) as ElementKind) ? value.key : unknown(`${value.key}, which is not a ${kinds.join(' or ')}`);
      case 'string':
        return unknown(`"${value.value}", which is not defined in this folder`);
      case 'unknown': {
        // A root variable that is a VPC id is one VPC, named after it.
        const declared = value.rootVariable !== undefined && kinds.includes('vpc') ? variables.get(value.rootVariable) : undefined;
        if (!declared) return unknown(value.why);
        variableVpcs.set(`var.${value.rootVariable}`, declared);
        return `var.${value.rootVariable}`;
      }
      default:
        return unknown(whyUnknown(value, `a ${kinds.join(' or ')} id`));
    }
  };
  const keysOf = (value: Value | undefined, kinds: ElementKind[]): Known<Known<string>[]> => {
    if (!value || value.kind === 'null') return [];
    if (value.kind === 'list') return value.items.map((item) => keyOf(item, kinds));
    return unknown(whyUnknown(value, 'a list'));
  };
  const resourcesByType = new Map<string, [string, Block][]>();
  for (const entry of resources) {
    const type = typeOf(entry[0]);
    const list = resourcesByType.get(type);
    if (list) list.push(entry);
    else resourcesByType.set(type, [entry]);
  }
  const ofType = (type: string): [string, Block][] => resourcesByType.get(type) ?? [];

  // VPCs, with IPv6 blocks added by aws_vpc_ipv6_cidr_block_association.
  const associatedIpv6 = new Set(ofType('aws_vpc_ipv6_cidr_block_association').map(([, b]) => keyOf(valueOf(b, 'vpc_id'), ['vpc'])).filter(isKnown));
  for (const [address, block] of ofType('aws_vpc')) {
    graph.vpcs.push({
      key: address,
      name: address,
      loc: { file: block.file.path, range: block.header },
      kind: 'vpc',
      ipv6: anyTrue([
        associatedIpv6.has(address),
        booleanOf(block, 'assign_generated_ipv6_cidr_block') ?? false,
        presence(valueOf(block, 'ipv6_cidr_block')),
        presence(valueOf(block, 'ipv6_ipam_pool_id')),
      ]),
    });
  }

  const subnetIpv6Associations = new Set(ofType('aws_subnet_ipv6_cidr_block_association').map(([, b]) => keyOf(valueOf(b, 'subnet_id'), ['subnet'])).filter(isKnown));
  for (const [address, block] of ofType('aws_subnet')) {
    const ipv6Native = booleanOf(block, 'ipv6_native');
    const dns64 = booleanOf(block, 'enable_dns64');
    const dns64Attribute = block.attributes.get('enable_dns64');
    graph.subnets.push({
      key: address,
      name: address,
      loc: { file: block.file.path, range: block.header },
      kind: 'subnet',
      vpc: keyOf(valueOf(block, 'vpc_id'), ['vpc']),
      ipv4: presence(valueOf(block, 'cidr_block')),
      ipv6: anyTrue([subnetIpv6Associations.has(address), presence(valueOf(block, 'ipv6_cidr_block'))]),
      ipv6Native: ipv6Native ?? false,
      dns64: dns64 ?? false,
      ...(dns64Attribute ? { dns64Loc: locationOf(block.file, dns64Attribute.node) } : {}),
      ipv4Cidr: stringOf(valueOf(block, 'cidr_block')),
      ipv6Cidr: stringOf(valueOf(block, 'ipv6_cidr_block')),
    });
  }
  const subnetVpcs = new Map(graph.subnets.map((s) => [s.key, s.vpc]));
  const vpcOfSubnet = (key: Known<string>): Known<string> => {
    if (!isKnown(key)) return key;
    return subnetVpcs.get(key) ?? unknown(`the VPC of ${key}`);
  };

  // The first attachment of each gateway, as a search of the attachments in file order would find.
  const igwAttachments = new Map<string, Block>();
  for (const [, attachment] of ofType('aws_internet_gateway_attachment')) {
    const gateway = keyOf(valueOf(attachment, 'internet_gateway_id'), ['igw']);
    if (isKnown(gateway) && !igwAttachments.has(gateway)) igwAttachments.set(gateway, attachment);
  }
  for (const [address, block] of [...ofType('aws_nat_gateway'), ...ofType('aws_internet_gateway'), ...ofType('aws_egress_only_internet_gateway')]) {
    const kind = resourceKinds[typeOf(address)] as GatewayKind;
    let vpc: Known<string>;
    if (kind === 'nat') vpc = vpcOfSubnet(keyOf(valueOf(block, 'subnet_id'), ['subnet']));
    else if (block.attributes.has('vpc_id')) vpc = keyOf(valueOf(block, 'vpc_id'), ['vpc']);
    else {
      const attachment = igwAttachments.get(address);
      vpc = attachment ? keyOf(valueOf(attachment, 'vpc_id'), ['vpc']) : unknown(`${address} is not attached to a VPC in this folder`);
    }
    graph.gateways.push({ key: address, name: address, loc: { file: block.file.path, range: block.header }, kind, vpc });
  }

  const nonNullValueOf = (block: Block, name: string, scopeBlock: Block): Value | undefined => {
    const value = valueOf(block, name, scopeBlock);
    return value && value.kind !== 'null' ? value : undefined;
  };
  const routeTarget = (block: Block, scopeBlock: Block): Known<RouteTarget> => {
    for (const [name, kind] of [
      ['egress_only_gateway_id', 'eigw'],
      ['nat_gateway_id', 'nat'],
    ] as const) {
      const value = nonNullValueOf(block, name, scopeBlock);
      if (!value) continue;
      const gateway = keyOf(value, [kind]);
      return isKnown(gateway) ? { kind, gateway } : { kind };
    }
    const gatewayValue = nonNullValueOf(block, 'gateway_id', scopeBlock);
    if (gatewayValue) {
      const gateway = keyOf(gatewayValue, ['igw']);
      if (isKnown(gateway)) return { kind: 'igw', gateway };
      if (gatewayValue.kind === 'attribute' && typeOf(gatewayValue.address) === 'aws_vpn_gateway') return { kind: 'other' };
      if (gatewayValue.kind === 'string') {
        if (gatewayValue.value.startsWith('igw-')) return { kind: 'igw' };
        if (gatewayValue.value.startsWith('vgw-') || gatewayValue.value === 'local') return { kind: 'other' };
      }
      return unknown(`gateway_id: ${whyUnknown(gatewayValue, 'a gateway id')}`);
    }
    if (otherRouteTargets.some((name) => nonNullValueOf(block, name, scopeBlock))) return { kind: 'other' };
    return unknown('the route names no target');
  };
  const destinationOf = (block: Block, scopeBlock: Block, names: string[]): Known<string> => {
    for (const name of names) {
      const value = valueOf(block, name, scopeBlock);
      if (!value || value.kind === 'null') continue;
      return value.kind === 'string' ? value.value.toLowerCase() : unknown(`${name}: ${whyUnknown(value, 'a CIDR')}`);
    }
    return unknown('the route names no destination CIDR');
  };

  const routeSyntax = new Map<string, RouteSyntax>();
  const mainTables = new Set(ofType('aws_main_route_table_association').map(([, b]) => keyOf(valueOf(b, 'route_table_id'), ['routeTable'])).filter(isKnown));
  for (const [address, block] of [...ofType('aws_route_table'), ...ofType('aws_default_route_table')]) {
    const isDefault = typeOf(address) === 'aws_default_route_table';
    const adopted = isDefault ? valueOf(block, 'default_route_table_id') : undefined;
    const vpc = isDefault
      ? adopted?.kind === 'attribute' && elementKinds.get(adopted.address) === 'vpc'
        ? adopted.address
        : unknown(`default_route_table_id: ${adopted ? whyUnknown(adopted, 'a VPC table') : 'not set'}`)
      : keyOf(valueOf(block, 'vpc_id'), ['vpc']);
    const inline = nestedBlocks(block, 'route');
    const dynamic = dynamicBlocks(block, 'route');
    graph.routeTables.push({
      key: address,
      name: address,
      loc: { file: block.file.path, range: block.header },
      kind: 'routeTable',
      vpc,
      main: isDefault || mainTables.has(address),
      inlineRoutes: inline.length + dynamic.length > 0,
    });
    inline.forEach((route, i) => {
      const key = `${address}.route[${i}]`;
      routeSyntax.set(key, { block: route });
      graph.routes.push({
        key,
        loc: locationOf(block.file, route.typeNode),
        table: address,
        destination: destinationOf(route, block, ['cidr_block', 'ipv6_cidr_block', 'destination_prefix_list_id']),
        target: routeTarget(route, block),
      });
    });
    // Routes a dynamic block generates may include ::/0: the table's routes are not all known.
    dynamic.forEach((route, i) => {
      graph.routes.push({
        key: `${address}.dynamic_route[${i}]`,
        loc: locationOf(block.file, route.typeNode),
        table: address,
        destination: unknown('a dynamic "route" block'),
        target: unknown('a dynamic "route" block'),
      });
    });
  }
  for (const [address, block] of ofType('aws_route')) {
    const table = keyOf(valueOf(block, 'route_table_id'), ['routeTable']);
    routeSyntax.set(address, { block });
    graph.routes.push({
      key: address,
      loc: { file: block.file.path, range: block.header },
      // A table outside the graph is named by its expression, which no element has as its key.
      table: isKnown(table) ? table : (block.attributes.get('route_table_id')?.expr.text ?? ''),
      destination: destinationOf(block, block, ['destination_cidr_block', 'destination_ipv6_cidr_block', 'destination_prefix_list_id']),
      target: routeTarget(block, block),
    });
  }
  for (const [address, block] of ofType('aws_route_table_association')) {
    if (!block.attributes.has('subnet_id')) continue;
    graph.associations.push({
      key: address,
      loc: { file: block.file.path, range: block.header },
      subnet: keyOf(valueOf(block, 'subnet_id'), ['subnet']),
      table: keyOf(valueOf(block, 'route_table_id'), ['routeTable']),
    });
  }

  // Security groups: aws_security_group has exactly the egress it declares, plus rule resources.
  const egressRules = new Map<string, Block[]>();
  const groups = new Map<string, SecurityGroup>();
  for (const [address, block] of [...ofType('aws_security_group'), ...ofType('aws_default_security_group')]) {
    let egress: Known<EgressRule[]>;
    const egressAttribute = valueOf(block, 'egress');
    if (dynamicBlocks(block, 'egress').length > 0) egress = unknown(`a dynamic "egress" block in ${address}`);
    else if (egressAttribute) {
      egress = egressAttribute.kind === 'list' && egressAttribute.items.length === 0 ? [] : unknown(`the egress attribute of ${address}`);
    } else {
      egress = nestedBlocks(block, 'egress').map((rule) => ({
        loc: locationOf(block.file, rule.typeNode),
        protocol: protocolOf(valueOf(rule, 'protocol', block)),
        fromPort: portOf(valueOf(rule, 'from_port', block)),
        toPort: portOf(valueOf(rule, 'to_port', block)),
        ipv4Cidrs: cidrsOf(valueOf(rule, 'cidr_blocks', block)),
        ipv6Cidrs: cidrsOf(valueOf(rule, 'ipv6_cidr_blocks', block)),
        otherTargets: ['prefix_list_ids', 'security_groups', 'self'].some((name) => nonEmpty(valueOf(rule, name, block))),
      }));
    }
    const group: SecurityGroup = {
      key: address,
      name: address,
      loc: { file: block.file.path, range: block.header },
      kind: 'securityGroup',
      vpc: block.attributes.has('vpc_id') ? keyOf(valueOf(block, 'vpc_id'), ['vpc']) : unknown('the default VPC'),
      egress,
    };
    groups.set(address, group);
    graph.securityGroups.push(group);
  }
  const addEgress = (groupValue: Value | undefined, block: Block, rule: EgressRule | undefined) => {
    const groupKey = keyOf(groupValue, ['securityGroup']);
    const group = isKnown(groupKey) ? groups.get(groupKey) : undefined;
    if (!group) return;
    const rules = egressRules.get(group.key);
    if (rules) rules.push(block);
    else egressRules.set(group.key, [block]);
    if (!isKnown(group.egress)) return;
    group.egress = rule ? [...group.egress, rule] : unknown(`${block.labels.join('.')}, whose type is not known`);
  };
  for (const [, block] of ofType('aws_security_group_rule')) {
    const type = valueOf(block, 'type');
    if (type?.kind === 'string' && type.value !== 'egress') continue;
    addEgress(
      valueOf(block, 'security_group_id'),
      block,
      type?.kind === 'string'
        ? {
            loc: { file: block.file.path, range: block.header },
            protocol: protocolOf(valueOf(block, 'protocol')),
            fromPort: portOf(valueOf(block, 'from_port')),
            toPort: portOf(valueOf(block, 'to_port')),
            ipv4Cidrs: cidrsOf(valueOf(block, 'cidr_blocks')),
            ipv6Cidrs: cidrsOf(valueOf(block, 'ipv6_cidr_blocks')),
            otherTargets: ['prefix_list_ids', 'source_security_group_id', 'self'].some((name) => nonEmpty(valueOf(block, name))),
          }
        : undefined,
    );
  }
  for (const [, block] of ofType('aws_vpc_security_group_egress_rule')) {
    addEgress(valueOf(block, 'security_group_id'), block, {
      loc: { file: block.file.path, range: block.header },
      protocol: protocolOf(valueOf(block, 'ip_protocol')),
      fromPort: portOf(valueOf(block, 'from_port')),
      toPort: portOf(valueOf(block, 'to_port')),
      ipv4Cidrs: cidrsOf(valueOf(block, 'cidr_ipv4')),
      ipv6Cidrs: cidrsOf(valueOf(block, 'cidr_ipv6')),
      otherTargets: ['prefix_list_id', 'referenced_security_group_id'].some((name) => nonEmpty(valueOf(block, name))),
    });
  }

  for (const [address, block] of ofType('aws_lambda_function')) {
    const vpcConfig = nestedBlocks(block, 'vpc_config')[0];
    functionSyntax.set(address, { block, vpcConfig });
    graph.functions.push(lambdaFunction(address, block, vpcConfig));
  }
  for (const entry of modules.values()) {
    if (entry.kind !== 'lambda') continue;
    const input = (name: string) => valueOf(entry.block, name);
    graph.functions.push(
      lambdaModuleFunction(
        entry.block,
        input,
        {
          subnets: keysOf(input('vpc_subnet_ids'), ['subnet']),
          securityGroups: keysOf(input('vpc_security_group_ids'), ['securityGroup']),
        },
        prefix,
      ),
    );
  }

  for (const [key, declared] of variableVpcs) {
    graph.vpcs.push({
      key,
      name: key,
      loc: { file: declared.file.path, range: declared.header },
      kind: 'vpc',
      ipv6: associatedIpv6.has(key) ? true : unknown(`${key}: whether that VPC has an IPv6 block the files cannot say`),
      reference: `variable ${key.slice('var.'.length)}`,
    });
  }
  const index: SyntaxIndex = { resources, modules, functions: functionSyntax, routes: routeSyntax, egressRules, variableVpcs };
  const calledModules: TerraformModel[] = [];
  for (const entry of modules.values()) {
    const child = entry.kind ? undefined : localModule(entry.block);
    if (!child) continue;
    calledModules.push(child);
    for (const list of Object.keys(graph) as (keyof ResourceGraph)[]) (graph[list] as unknown[]).push(...child.graph[list]);
    for (const [name, map] of Object.entries(child.index) as [keyof SyntaxIndex, Map<string, never>][]) {
      for (const [key, value] of map) (index[name] as Map<string, unknown>).set(key, value);
    }
  }
  const ownFiles = new Set(files);

  function lambdaFunction(address: string, block: Block, vpcConfig: Block | undefined): LambdaFunction {
    const base = { key: address, name: address, loc: { file: block.file.path, range: block.header }, kind: 'function' as const };
    if (dynamicBlocks(block, 'vpc_config').length > 0) {
      const why = unknown(`a dynamic "vpc_config" block in ${address}`);
      return { ...base, hasVpcConfig: why, ipv6Flag: why, subnets: why, securityGroups: why };
    }
    if (!vpcConfig) return { ...base, hasVpcConfig: false, ipv6Flag: undefined, subnets: [], securityGroups: [] };
    const subnets = keysOf(valueOf(vpcConfig, 'subnet_ids', block), ['subnet']);
    const flag = vpcConfig.attributes.get('ipv6_allowed_for_dual_stack');
    const groupsAttribute = vpcConfig.attributes.get('security_group_ids');
    return {
      ...base,
      hasVpcConfig: isKnown(subnets) ? subnets.length > 0 : subnets,
      ipv6Flag: booleanOf(vpcConfig, 'ipv6_allowed_for_dual_stack', block),
      flagLoc: flag && locationOf(block.file, flag.node),
      vpcConfigLoc: locationOf(block.file, vpcConfig.typeNode),
      subnets,
      securityGroups: keysOf(valueOf(vpcConfig, 'security_group_ids', block), ['securityGroup']),
      securityGroupsLoc: groupsAttribute && locationOf(block.file, groupsAttribute.nameNode),
    };
  }

  return {
    graph,
    index,
    valueOf: (block, name) => (ownFiles.has(block.file) ? valueOf(block, name) : calledModules.find((child) => child.covers(block.file))?.valueOf(block, name)),
    keyOf,
    output: (name) => {
      const declared = outputs.get(name);
      return (declared && valueOf(declared, 'value')) ?? unknownValue(`output ${name} of module ${moduleName}, which it does not declare`);
    },
    covers: (file) => ownFiles.has(file) || calledModules.some((child) => child.covers(file)),
  };
}
