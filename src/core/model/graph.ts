/**
 * The format-independent resource graph. Parsers (CloudFormation/SAM, Terraform, CDK) and the live
 * AWS inventory both build it; the rules run on it and never look at syntax.
 *
 * Precision first: anything a parser cannot establish from the analysed files is `Unknown`, and a
 * rule that needs it stays silent.
 */

/** 0-based line and UTF-16 character, as in LSP and VS Code. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Where something is written. `file` is the path the caller gave for the file. */
export interface Location {
  file: string;
  range: Range;
}

/** A value the analysed files do not establish (a parameter, variable, import, lookup, …). */
export interface Unknown {
  readonly unknown: true;
  /** Why it is unknown, in words a user understands, e.g. "parameter SubnetIds". */
  readonly why: string;
}

export type Known<T> = T | Unknown;

export function unknown(why: string): Unknown {
  return { unknown: true, why };
}

export function isUnknown(value: unknown): value is Unknown {
  return typeof value === 'object' && value !== null && (value as { unknown?: unknown }).unknown === true;
}

export function isKnown<T>(value: Known<T>): value is T {
  return !isUnknown(value);
}

/** Every graph element has a key unique within its graph (e.g. `MySubnet`, `aws_subnet.a`, `subnet-0abc`). */
export interface Element {
  key: string;
  /** What users call it: logical id, Terraform address, CDK variable/construct id, AWS id. */
  name: string;
  /** The element's definition (the resource, block or construct), when it comes from a file. */
  loc?: Location;
  /** Rule ids suppressed for this element (CloudFormation `Metadata.ipv6-lambda.ignore`). */
  ignore?: string[];
}

export interface LambdaFunction extends Element {
  kind: 'function';
  /**
   * The VPC config as written: true when the function declares subnets/security groups (VpcConfig,
   * vpc_config, CDK `vpc`, module `vpc_subnet_ids`), false when it has none.
   */
  hasVpcConfig: Known<boolean>;
  /** `Ipv6AllowedForDualStack`: undefined when absent (AWS default false). */
  ipv6Flag: Known<boolean | undefined>;
  /** The flag's key/value as written; L002 and L004 are reported here. */
  flagLoc?: Location;
  /** The VPC config key/block/prop; L001 and L003 are reported here (falls back to `loc`). */
  vpcConfigLoc?: Location;
  /** Keys of Subnet elements, or Unknown per entry / for the whole list. */
  subnets: Known<Known<string>[]>;
  /** Keys of SecurityGroup elements, or Unknown per entry / for the whole list. */
  securityGroups: Known<Known<string>[]>;
  /** Where the security groups are referenced; S001 is reported here (falls back to vpcConfigLoc). */
  securityGroupsLoc?: Location;
  /**
   * Runs on Lambda Managed Instances (`CapacityProviderConfig`): its network is its capacity
   * provider's `VpcConfig`, which has no IPv6 flag, so no function rule applies to it.
   */
  managedInstances?: boolean;
  /** Live functions only. */
  arn?: string;
  vpcId?: string;
  revisionId?: string;
}

export interface Vpc extends Element {
  kind: 'vpc';
  /** Has an IPv6 CIDR block. */
  ipv6: Known<boolean>;
  /**
   * The VPC is not defined in the files: its id comes from this parameter or variable (e.g.
   * `parameter VpcId`), and edits reuse that reference. `loc` is where the parameter is declared.
   */
  reference?: string;
}

export interface Subnet extends Element {
  kind: 'subnet';
  vpc: Known<string>;
  ipv4: Known<boolean>;
  ipv6: Known<boolean>;
  ipv6Native: Known<boolean>;
  /**
   * DNS64 (`EnableDns64`, `enable_dns64`, the vpc module's `*_subnet_enable_dns64`): the resolver
   * answers IPv4-only names with `64:ff9b::/96` addresses. Absent when the source cannot say.
   */
  dns64?: Known<boolean>;
  /** Where DNS64 is set (the module block when it is the module's default); IPV6N004 is reported here. */
  dns64Loc?: Location;
  /** For display (explorer, messages). */
  ipv4Cidr?: string;
  ipv6Cidr?: string;
}

export type GatewayKind = 'eigw' | 'nat' | 'igw';

export interface Gateway extends Element {
  kind: GatewayKind;
  vpc: Known<string>;
}

export interface RouteTable extends Element {
  kind: 'routeTable';
  vpc: Known<string>;
  /** The VPC's main route table (used by subnets without an explicit association). */
  main: boolean;
  /** Terraform: the table declares inline `route` blocks (a fix adds another one, not an aws_route). */
  inlineRoutes?: boolean;
}

export type RouteTargetKind = GatewayKind | 'other';

export interface RouteTarget {
  kind: RouteTargetKind;
  /** Key of the Gateway element when it is in the graph. */
  gateway?: string;
}

export interface Route {
  key: string;
  loc?: Location;
  /** Key of the RouteTable. */
  table: string;
  /** CIDR as written, normalised to lower case (e.g. `::/0`, `0.0.0.0/0`, `64:ff9b::/96`). */
  destination: Known<string>;
  target: Known<RouteTarget>;
  ignore?: string[];
}

export interface RouteTableAssociation {
  key: string;
  loc?: Location;
  subnet: Known<string>;
  table: Known<string>;
}

export interface EgressRule {
  loc?: Location;
  /** `-1`/`all`, `tcp`, `udp`, `icmp`, … lower case, as AWS spells it after normalising `-1`. */
  protocol: Known<string>;
  fromPort?: Known<number>;
  toPort?: Known<number>;
  ipv4Cidrs: Known<string>[];
  ipv6Cidrs: Known<string>[];
  /** The rule also targets prefix lists or security groups. */
  otherTargets?: boolean;
}

export interface SecurityGroup extends Element {
  kind: 'securityGroup';
  vpc: Known<string>;
  /**
   * The complete egress of the group, or Unknown when it cannot be known (CloudFormation group
   * without SecurityGroupEgress keeps AWS's default; rules added from elsewhere; …).
   */
  egress: Known<EgressRule[]>;
  /**
   * CDK: the group is the one CDK creates for this function key (no `securityGroups` prop); its
   * IPv6 egress is `allowAllIpv6Outbound`.
   */
  createdForFunction?: string;
}

export interface ResourceGraph {
  functions: LambdaFunction[];
  vpcs: Vpc[];
  subnets: Subnet[];
  routeTables: RouteTable[];
  routes: Route[];
  associations: RouteTableAssociation[];
  gateways: Gateway[];
  securityGroups: SecurityGroup[];
}

export function emptyGraph(): ResourceGraph {
  return { functions: [], vpcs: [], subnets: [], routeTables: [], routes: [], associations: [], gateways: [], securityGroups: [] };
}
