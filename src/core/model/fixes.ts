import type { Gateway, LambdaFunction, Route, RouteTable, SecurityGroup, Subnet } from './graph';
import type { TextEdit } from './findings';

/** Which IPv6 egress to add to a security group. */
export type Ipv6EgressVariant = 'mirror' | 'https';

export interface EditsWithCreates {
  edits: TextEdit[];
  /** Keys of resources the edits create, see Fix.creates. */
  creates?: string[];
  /**
   * What a reviewer must know that the files cannot establish, e.g. that a VPC from a parameter
   * must already have an IPv6 block. The migration puts it in its title.
   */
  caveat?: string;
  /** What the edits add besides the change asked for, one line each (e.g. a new parameter). */
  alsoAdded?: string[];
}

/**
 * How to write a fix in one format. Each parser returns one for the files it parsed; the rules
 * decide what to fix and ask the builder for the text edits. A method returns undefined when the
 * change cannot be written in the file (e.g. the value comes from a variable or another stack).
 */
export interface FixBuilder {
  /** Insert the flag, or change its value. CDK with value true: also `allowAllIpv6Outbound: true` when the catalogue says so. */
  setFlag(fn: LambdaFunction, value: boolean): EditsWithCreates | undefined;
  removeFlag(fn: LambdaFunction): EditsWithCreates | undefined;
  /** Point the route at the VPC's egress-only internet gateway, adding one when the scope has none. */
  retargetRouteToEigw(route: Route, vpcKey: string): EditsWithCreates | undefined;
  /** Add `::/0` → the VPC's EIGW to the table (adding the EIGW when missing). */
  addIpv6DefaultRoute(table: RouteTable, vpcKey: string): EditsWithCreates | undefined;
  /** Add IPv6 egress to the group: mirror its IPv4 egress, or TCP 443 only. */
  addIpv6Egress(group: SecurityGroup, variant: Ipv6EgressVariant): EditsWithCreates | undefined;
  /** Make a subnet (CFN/TF) or VPC (CDK) defined in scope dual-stack. The key is a Subnet or Vpc element. */
  makeDualStack(key: string): EditsWithCreates | undefined;
  /** Add `64:ff9b::/96` → the NAT gateway to the table (NAT64 for a DNS64 subnet). Formats without it offer nothing. */
  addNat64Route?(table: RouteTable, nat: Gateway): EditsWithCreates | undefined;
  /** Set the subnet's DNS64 setting to false. */
  turnDns64Off?(subnet: Subnet): EditsWithCreates | undefined;
  /**
   * Give a VPC defined in scope an Amazon-provided IPv6 block (CFN `AWS::EC2::VPCCidrBlock`, TF
   * `assign_generated_ipv6_cidr_block`, the vpc module's `enable_ipv6`, CDK `ipProtocol`).
   */
  addVpcIpv6Block(vpcKey: string): EditsWithCreates | undefined;
}

/** For graphs without files (live accounts): no fix can be written. */
export const noFixes: FixBuilder = {
  setFlag: () => undefined,
  removeFlag: () => undefined,
  retargetRouteToEigw: () => undefined,
  addIpv6DefaultRoute: () => undefined,
  addIpv6Egress: () => undefined,
  makeDualStack: () => undefined,
  addVpcIpv6Block: () => undefined,
};
