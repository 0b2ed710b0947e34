import {
  isKnown,
  unknown,
  type Gateway,
  type Known,
  type LambdaFunction,
  type Location,
  type Route,
  type RouteTable,
  type RouteTableAssociation,
  type SecurityGroup,
  type Subnet,
  type Vpc,
} from '../../model/graph';
import { asBoolean, whyUnknown, type Value } from './evaluate';
import { rangeOf, type Block } from './syntax';

/** The registry modules whose inputs and outputs this analysis models. */
export type RegistryModuleKind = 'vpc' | 'lambda';

const registryPrefix = /^registry\.terraform\.io\//;
const gitSource = /^(?:git::)?(?:https:\/\/|ssh:\/\/git@|git@)github\.com[/:]terraform-aws-modules\/terraform-aws-(vpc|lambda)(?:\.git)?(?:\?ref=[^/]*)?$/;

/** Which registry module a `source` names; submodules (`…//modules/x`) are not these modules. */
export function registryModuleKind(source: string): RegistryModuleKind | undefined {
  const name = source.replace(registryPrefix, '');
  if (name === 'terraform-aws-modules/vpc/aws') return 'vpc';
  if (name === 'terraform-aws-modules/lambda/aws') return 'lambda';
  const git = gitSource.exec(source);
  return git ? (git[1] as RegistryModuleKind) : undefined;
}

/** Reads a module input; undefined when the input is not set. */
export type InputReader = (name: string) => Value | undefined;

/** Subnet groups of terraform-aws-modules/vpc; each group's subnets share one configuration. */
const subnetGroups = ['private', 'public', 'database', 'redshift', 'elasticache', 'intra', 'outpost'];

export interface VpcModuleElements {
  vpc: Vpc;
  subnets: Subnet[];
  routeTables: RouteTable[];
  routes: Route[];
  associations: RouteTableAssociation[];
  gateways: Gateway[];
  securityGroups: SecurityGroup[];
}

function booleanInput(input: InputReader, name: string, byDefault: Known<boolean>): Known<boolean> {
  const value = input(name);
  if (!value) return byDefault;
  const result = asBoolean(value);
  if (result === undefined) return byDefault;
  return typeof result === 'boolean' ? result : unknown(`input ${name}: ${result.why}`);
}

function both(a: Known<boolean>, b: Known<boolean>): Known<boolean> {
  if (a === false || b === false) return false;
  if (!isKnown(a)) return a;
  return b;
}

function either(a: Known<boolean>, b: Known<boolean>): Known<boolean> {
  if (a === true || b === true) return true;
  if (!isKnown(a)) return a;
  return b;
}

function not(a: Known<boolean>): Known<boolean> {
  return isKnown(a) ? !a : a;
}

/** Whether a list input is set to a non-empty list. */
function nonEmptyList(input: InputReader, name: string): Known<boolean> {
  const value = input(name);
  if (!value || value.kind === 'null') return false;
  if (value.kind === 'list') return value.items.length > 0;
  return unknown(`input ${name}: ${whyUnknown(value, 'a list')}`);
}

/** The major versions a `version` constraint admits, as far as its bounds say (`~> 5.0` → 5 to 5). */
export function majorVersionRange(constraint: string | undefined): { lowest: number; highest: number } | undefined {
  if (constraint === undefined) return undefined;
  let lowest = 0;
  let highest = Infinity;
  for (const part of constraint.split(',')) {
    const match = /^\s*(=|!=|>=|<=|>|<|~>)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-[0-9A-Za-z.-]+)?\s*$/.exec(part);
    if (!match) return undefined;
    const [, operator = '=', majorText, minor, patch] = match;
    const major = Number(majorText);
    switch (operator) {
      case '=':
        lowest = Math.max(lowest, major);
        highest = Math.min(highest, major);
        break;
      case '~>':
        lowest = Math.max(lowest, major);
        // `~> 5.1` and `~> 5.1.2` stay within 5; `~> 5` allows any later major.
        if (minor !== undefined) highest = Math.min(highest, major);
        break;
      case '>=':
      case '>':
        lowest = Math.max(lowest, major);
        break;
      case '<':
        // `< 5`, `< 5.0.0` end at 4; `< 5.2` still admits 5.
        highest = Math.min(highest, Number(minor ?? 0) === 0 && Number(patch ?? 0) === 0 ? major - 1 : major);
        break;
      case '<=':
        highest = Math.min(highest, major);
        break;
      default:
    }
  }
  return lowest <= highest ? { lowest, highest } : undefined;
}

/**
 * A default of the module that changed at a major version: `before` below it, `since` from it on;
 * unknown when the constraint admits versions on both sides (or there is none: the newest is used).
 */
function defaultSince(range: { lowest: number; highest: number } | undefined, major: number, before: boolean, since: boolean, what: string): Known<boolean> {
  if (range && range.lowest >= major) return since;
  if (range && range.highest < major) return before;
  return unknown(`the default of ${what}, which changed in version ${major} of terraform-aws-modules/vpc; pin the module's version or set it`);
}

/** `prefix`: the address of the local module the block is in (`module.network.`), empty in the root. */
export function vpcModuleKeys(name: string, prefix = '') {
  const base = `${prefix}module.${name}`;
  return {
    vpc: base,
    subnets: (group: string) => `${base}.${group}_subnets`,
    privateRouteTable: `${base}.private_route_table`,
    nat: `${base}.natgw`,
    nat64Route: `${base}.private_route_table.dns64_nat`,
    eigw: `${base}.egress_only_igw`,
    igw: `${base}.igw`,
    defaultSecurityGroup: `${base}.default_security_group`,
  };
}

/**
 * terraform-aws-modules/vpc: the VPC, one Subnet element per subnet group, and the private route
 * table with the routes the module writes (0.0.0.0/0 → NAT when enable_nat_gateway, ::/0 → its
 * egress-only gateway when enable_ipv6 and create_egress_only_igw).
 */
export function vpcModuleElements(block: Block, input: InputReader, prefix = ''): VpcModuleElements {
  const name = block.labels[0];
  const keys = vpcModuleKeys(name, prefix);
  const loc: Location = { file: block.file.path, range: block.header };
  const element = (key: string) => ({ key, name: key, loc });
  const enableIpv6 = booleanInput(input, 'enable_ipv6', false);
  const vpc: Vpc = { ...element(keys.vpc), kind: 'vpc', ipv6: enableIpv6 };
  const versionInput = input('version');
  const versions = majorVersionRange(versionInput?.kind === 'string' ? versionInput.value : undefined);

  const subnets: Subnet[] = [];
  for (const group of subnetGroups) {
    // The module makes max(length(ipv4 list), length(ipv6 prefixes)) subnets: IPv6-only ones from the prefixes alone.
    const ipv4Listed = nonEmptyList(input, `${group}_subnets`);
    const ipv6Listed = nonEmptyList(input, `${group}_subnet_ipv6_prefixes`);
    if (either(ipv4Listed, ipv6Listed) === false) continue;
    const ipv6Native = booleanInput(input, `${group}_subnet_ipv6_native`, false);
    const dns64Input = `${group}_subnet_enable_dns64`;
    // Version 4 added DNS64 to the module, on by default (`enable_dns64 = var.enable_ipv6 && var.<group>_subnet_enable_dns64`).
    const dns64 = both(enableIpv6, booleanInput(input, dns64Input, defaultSince(versions, 4, false, true, dns64Input)));
    const dns64Attribute = block.attributes.get(dns64Input);
    subnets.push({
      ...element(keys.subnets(group)),
      kind: 'subnet',
      vpc: keys.vpc,
      // A list from a variable is taken to hold IPv4 CIDRs, as before IPv6-only groups were modelled.
      ipv4: ipv4Listed === false ? false : not(ipv6Native),
      ipv6: both(enableIpv6, ipv6Listed),
      ipv6Native,
      dns64,
      dns64Loc: dns64Attribute ? { file: block.file.path, range: rangeOf(dns64Attribute.node) } : loc,
    });
  }

  const enableNat = booleanInput(input, 'enable_nat_gateway', false);
  const eigwCreated = both(enableIpv6, booleanInput(input, 'create_egress_only_igw', true));
  const gateways: Gateway[] = [];
  if (enableNat !== false) gateways.push({ ...element(keys.nat), kind: 'nat', vpc: keys.vpc });
  if (eigwCreated !== false) gateways.push({ ...element(keys.eigw), kind: 'eigw', vpc: keys.vpc });
  if (subnets.some((s) => s.key === keys.subnets('public'))) gateways.push({ ...element(keys.igw), kind: 'igw', vpc: keys.vpc });

  const routeTables: RouteTable[] = [];
  const routes: Route[] = [];
  const associations: RouteTableAssociation[] = [];
  const privateSubnets = keys.subnets('private');
  if (subnets.some((s) => s.key === privateSubnets)) {
    const table = keys.privateRouteTable;
    routeTables.push({ ...element(table), kind: 'routeTable', vpc: keys.vpc, main: false });
    associations.push({ key: `${privateSubnets}.association`, loc, subnet: privateSubnets, table: table });
    if (enableNat !== false) {
      routes.push({
        key: `${table}.nat`,
        loc,
        table,
        destination: '0.0.0.0/0',
        target: enableNat === true ? { kind: 'nat', gateway: keys.nat } : enableNat,
      });
    }
    // aws_route.private_dns64_nat_gateway: with a NAT gateway, the module routes NAT64's prefix to it for DNS64 subnets.
    const privateDns64 = subnets.find((s) => s.key === privateSubnets)?.dns64 ?? false;
    const nat64Route = both(enableNat, privateDns64);
    if (nat64Route !== false) {
      routes.push({ key: keys.nat64Route, loc, table, destination: '64:ff9b::/96', target: nat64Route === true ? { kind: 'nat', gateway: keys.nat } : nat64Route });
    }
    if (eigwCreated !== false) {
      routes.push({
        key: `${table}.ipv6_egress`,
        loc,
        table,
        destination: '::/0',
        target: eigwCreated === true ? { kind: 'eigw', gateway: keys.eigw } : eigwCreated,
      });
    }
  }

  const securityGroups: SecurityGroup[] = [{ ...element(keys.defaultSecurityGroup), kind: 'securityGroup', vpc: keys.vpc, egress: defaultSecurityGroupEgress(name, input, versions) }];
  return { vpc, subnets, routeTables, routes, associations, gateways, securityGroups };
}

/**
 * The module's default security group: with `manage_default_security_group` (on by default since
 * version 5) the module owns its rules, and `default_security_group_egress` (default `[]`) is the
 * whole egress. Unmanaged, it keeps whatever AWS or anyone else gave it: unknown.
 */
function defaultSecurityGroupEgress(name: string, input: InputReader, versions: { lowest: number; highest: number } | undefined): SecurityGroup['egress'] {
  const managed = booleanInput(input, 'manage_default_security_group', defaultSince(versions, 5, false, true, 'manage_default_security_group'));
  if (managed !== true) return unknown(`the default security group of module ${name}`);
  const egress = input('default_security_group_egress');
  if (!egress || egress.kind === 'null' || (egress.kind === 'list' && egress.items.length === 0)) return [];
  return unknown(`input default_security_group_egress of module ${name}`);
}

/** The outputs of terraform-aws-modules/vpc that name modelled elements. */
export function vpcModuleOutput(name: string, output: string, defined: (key: string) => boolean, prefix = ''): Value {
  const keys = vpcModuleKeys(name, prefix);
  const one = (key: string): Value => (defined(key) ? { kind: 'element', key } : { kind: 'unknown', why: `output ${output} of module ${name}` });
  const all = (key: string): Value => (defined(key) ? { kind: 'list', items: [{ kind: 'element', key }], collective: true } : { kind: 'list', items: [] });
  const subnetOutput = /^([a-z]+)_subnets$/.exec(output);
  if (subnetOutput && subnetGroups.includes(subnetOutput[1])) return all(keys.subnets(subnetOutput[1]));
  switch (output) {
    case 'vpc_id':
      return one(keys.vpc);
    case 'private_route_table_ids':
      return all(keys.privateRouteTable);
    case 'natgw_ids':
      return all(keys.nat);
    case 'igw_id':
      return one(keys.igw);
    case 'egress_only_internet_gateway_id':
      return one(keys.eigw);
    case 'default_security_group_id':
      return one(keys.defaultSecurityGroup);
    default:
      return { kind: 'unknown', why: `output ${output} of module ${name}` };
  }
}

export interface LambdaModuleInputs {
  subnets: Known<Known<string>[]>;
  securityGroups: Known<Known<string>[]>;
}

/**
 * terraform-aws-modules/lambda: the module writes `vpc_config` only when both vpc_subnet_ids and
 * vpc_security_group_ids are set, with `ipv6_allowed_for_dual_stack` from the input of that name.
 */
export function lambdaModuleFunction(block: Block, input: InputReader, resolved: LambdaModuleInputs, prefix = ''): LambdaFunction {
  const key = `${prefix}module.${block.labels[0]}`;
  const header: Location = { file: block.file.path, range: block.header };
  const subnetsSet = input('vpc_subnet_ids');
  const groupsSet = input('vpc_security_group_ids');
  const flag = block.attributes.get('ipv6_allowed_for_dual_stack');
  const groupsAttribute = block.attributes.get('vpc_security_group_ids');
  const unset = (value: Value | undefined) => !value || value.kind === 'null';
  const detached = unset(subnetsSet) || unset(groupsSet);
  const subnets = detached ? [] : resolved.subnets;
  const flagValue = input('ipv6_allowed_for_dual_stack');
  const flagResult = flagValue ? asBoolean(flagValue) : undefined;
  return {
    key,
    name: key,
    loc: header,
    kind: 'function',
    hasVpcConfig: isKnown(subnets) ? subnets.length > 0 : subnets,
    ipv6Flag: flagResult === undefined || typeof flagResult === 'boolean' ? flagResult : unknown(flagResult.why),
    flagLoc: flag ? { file: block.file.path, range: rangeOf(flag.node) } : undefined,
    vpcConfigLoc: header,
    subnets,
    securityGroups: detached ? [] : resolved.securityGroups,
    securityGroupsLoc: groupsAttribute ? { file: block.file.path, range: rangeOf(groupsAttribute.nameNode) } : undefined,
  };
}
