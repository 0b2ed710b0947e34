/** EC2's Query API (2016-11-15): the describes the inventory uses and the writes the enable operation makes. */
import { randomBytes } from 'node:crypto';
import type {
  AuthorizeSecurityGroupEgressRequest,
  CreateEgressOnlyInternetGatewayRequest,
  CreateRouteRequest,
  Filter,
  IpPermission,
  Route,
  SecurityGroupRule,
  Tag,
} from '@aws-sdk/client-ec2';
import { associateSubnetCidrBlock, associateVpcCidrBlock } from './cidrs';
import type { RegionState } from './scenario';

export class Ec2Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Ec2Context {
  region: string;
  accountId: string;
  state: RegionState;
}

type Input = Record<string, unknown>;
type Handler = (ctx: Ec2Context, input: Input) => Record<string, unknown>;

/** How one describe action selects: by id list, by filter name, and under which result key. */
interface DescribeSpec<T> {
  items: (state: RegionState) => T[];
  idsMember: string;
  idOf: (item: T) => string | undefined;
  notFound: (id: string) => Ec2Error;
  filtersMember: 'Filters' | 'Filter';
  filters: Record<string, (item: T) => (string | undefined)[]>;
  resultKey: string;
  maxResults: [number, number];
}

function tagValues(tags: Tag[] | undefined, filterName: string): string[] {
  if (filterName === 'tag-key') return (tags ?? []).map((t) => t.Key ?? '');
  const key = filterName.slice('tag:'.length);
  return (tags ?? []).filter((t) => t.Key === key).map((t) => t.Value ?? '');
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

function decodeToken(token: string): number {
  try {
    const offset = (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown }).offset;
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // falls through to AWS's error for a token it did not issue
  }
  throw new Ec2Error(400, 'InvalidPaginationToken', `Invalid pagination token: ${token}`);
}

function describe<T extends { Tags?: Tag[] }>(spec: DescribeSpec<T>): Handler {
  return (ctx, input) => {
    const all = spec.items(ctx.state);
    const ids = (input[spec.idsMember] as string[] | undefined) ?? [];
    for (const id of ids) {
      if (!all.some((item) => spec.idOf(item) === id)) throw spec.notFound(id);
    }
    const filters = (input[spec.filtersMember] as Filter[] | undefined) ?? [];
    for (const filter of filters) {
      const name = filter.Name ?? '';
      if (!spec.filters[name] && !name.startsWith('tag:') && name !== 'tag-key') {
        throw new Ec2Error(400, 'InvalidParameterValue', `The filter '${name}' is invalid`);
      }
      if ((filter.Values ?? []).length > 200) {
        throw new Ec2Error(400, 'FilterLimitExceeded', `The maximum number of filter values specified on a single call is 200`);
      }
    }
    const matching = all.filter(
      (item) =>
        (ids.length === 0 || ids.includes(spec.idOf(item) ?? '')) &&
        filters.every((filter) => {
          const name = filter.Name ?? '';
          const values = spec.filters[name] ? spec.filters[name](item) : tagValues(item.Tags, name);
          return (filter.Values ?? []).some((wanted) => values.includes(wanted));
        }),
    );
    const maxResults = input.MaxResults as number | undefined;
    if (maxResults !== undefined && (maxResults < spec.maxResults[0] || maxResults > spec.maxResults[1])) {
      throw new Ec2Error(400, 'InvalidParameterValue', `Value (${maxResults}) for parameter maxResults is invalid. Expecting a value between ${spec.maxResults[0]} and ${spec.maxResults[1]}.`);
    }
    const start = input.NextToken ? decodeToken(input.NextToken as string) : 0;
    const end = maxResults === undefined ? matching.length : start + maxResults;
    return {
      [spec.resultKey]: matching.slice(start, end),
      ...(end < matching.length ? { NextToken: encodeToken(end) } : {}),
    };
  };
}

const notFound = (code: string, what: string) => (id: string) => new Ec2Error(400, code, `The ${what} '${id}' does not exist`);

const describeVpcs = describe({
  items: (s) => s.vpcs,
  idsMember: 'VpcIds',
  idOf: (v) => v.VpcId,
  notFound: notFound('InvalidVpcID.NotFound', 'vpc ID'),
  filtersMember: 'Filters',
  filters: {
    'vpc-id': (v) => [v.VpcId],
    'cidr': (v) => [v.CidrBlock],
    'state': (v) => [v.State],
    'is-default': (v) => [String(v.IsDefault ?? false)],
    'ipv6-cidr-block-association.ipv6-cidr-block': (v) => (v.Ipv6CidrBlockAssociationSet ?? []).map((a) => a.Ipv6CidrBlock),
  },
  resultKey: 'Vpcs',
  maxResults: [5, 1000],
});

const describeSubnets = describe({
  items: (s) => s.subnets,
  idsMember: 'SubnetIds',
  idOf: (s) => s.SubnetId,
  notFound: notFound('InvalidSubnetID.NotFound', 'subnet ID'),
  filtersMember: 'Filters',
  filters: {
    'subnet-id': (s) => [s.SubnetId],
    'vpc-id': (s) => [s.VpcId],
    'state': (s) => [s.State],
    'cidr-block': (s) => [s.CidrBlock],
    'availability-zone': (s) => [s.AvailabilityZone],
    'ipv6-native': (s) => [String(s.Ipv6Native ?? false)],
    'ipv6-cidr-block-association.ipv6-cidr-block': (s) => (s.Ipv6CidrBlockAssociationSet ?? []).map((a) => a.Ipv6CidrBlock),
  },
  resultKey: 'Subnets',
  maxResults: [5, 1000],
});

const describeRouteTables = describe({
  items: (s) => s.routeTables,
  idsMember: 'RouteTableIds',
  idOf: (t) => t.RouteTableId,
  notFound: notFound('InvalidRouteTableID.NotFound', 'routeTable ID'),
  filtersMember: 'Filters',
  filters: {
    'route-table-id': (t) => [t.RouteTableId],
    'vpc-id': (t) => [t.VpcId],
    'association.subnet-id': (t) => (t.Associations ?? []).map((a) => a.SubnetId),
    'association.main': (t) => (t.Associations ?? []).map((a) => String(a.Main ?? false)),
    'association.route-table-association-id': (t) => (t.Associations ?? []).map((a) => a.RouteTableAssociationId),
    'route.egress-only-internet-gateway-id': (t) => (t.Routes ?? []).map((r) => r.EgressOnlyInternetGatewayId),
    'route.nat-gateway-id': (t) => (t.Routes ?? []).map((r) => r.NatGatewayId),
  },
  resultKey: 'RouteTables',
  maxResults: [5, 100],
});

const describeEgressOnlyInternetGateways = describe({
  items: (s) => s.egressOnlyInternetGateways,
  idsMember: 'EgressOnlyInternetGatewayIds',
  idOf: (g) => g.EgressOnlyInternetGatewayId,
  notFound: notFound('InvalidEgressOnlyInternetGatewayId.NotFound', 'egress-only internet gateway ID'),
  filtersMember: 'Filters',
  filters: {},
  resultKey: 'EgressOnlyInternetGateways',
  maxResults: [5, 255],
});

const describeNatGateways = describe({
  items: (s) => s.natGateways,
  idsMember: 'NatGatewayIds',
  idOf: (g) => g.NatGatewayId,
  notFound: (id) => new Ec2Error(400, 'NatGatewayNotFound', `The Nat Gateway ${id} was not found`),
  filtersMember: 'Filter',
  filters: {
    'nat-gateway-id': (g) => [g.NatGatewayId],
    'vpc-id': (g) => [g.VpcId],
    'subnet-id': (g) => [g.SubnetId],
    'state': (g) => [g.State],
  },
  resultKey: 'NatGateways',
  maxResults: [5, 1000],
});

const describeInternetGateways = describe({
  items: (s) => s.internetGateways,
  idsMember: 'InternetGatewayIds',
  idOf: (g) => g.InternetGatewayId,
  notFound: notFound('InvalidInternetGatewayID.NotFound', 'internetGateway ID'),
  filtersMember: 'Filters',
  filters: {
    'internet-gateway-id': (g) => [g.InternetGatewayId],
    'attachment.vpc-id': (g) => (g.Attachments ?? []).map((a) => a.VpcId),
    'attachment.state': (g) => (g.Attachments ?? []).map((a) => a.State),
  },
  resultKey: 'InternetGateways',
  maxResults: [5, 1000],
});

const describeSecurityGroups = describe({
  items: (s) => s.securityGroups,
  idsMember: 'GroupIds',
  idOf: (g) => g.GroupId,
  notFound: notFound('InvalidGroup.NotFound', 'security group'),
  filtersMember: 'Filters',
  filters: {
    'group-id': (g) => [g.GroupId],
    'group-name': (g) => [g.GroupName],
    'vpc-id': (g) => [g.VpcId],
  },
  resultKey: 'SecurityGroups',
  maxResults: [5, 1000],
});

function hexId(prefix: string): string {
  return `${prefix}-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

function requireVpc(ctx: Ec2Context, vpcId: string | undefined): void {
  if (!vpcId) throw new Ec2Error(400, 'MissingParameter', "The request must contain the parameter vpcId");
  if (!ctx.state.vpcs.some((v) => v.VpcId === vpcId)) throw notFound('InvalidVpcID.NotFound', 'vpc ID')(vpcId);
}

const createEgressOnlyInternetGateway: Handler = (ctx, input) => {
  const request = input as unknown as CreateEgressOnlyInternetGatewayRequest;
  requireVpc(ctx, request.VpcId);
  const gateway = { EgressOnlyInternetGatewayId: hexId('eigw'), Attachments: [{ VpcId: request.VpcId, State: 'attached' as const }], Tags: [] };
  ctx.state.egressOnlyInternetGateways.push(gateway);
  return { ClientToken: request.ClientToken, EgressOnlyInternetGateway: gateway };
};

const TARGET_MEMBERS = ['GatewayId', 'EgressOnlyInternetGatewayId', 'NatGatewayId', 'InstanceId', 'NetworkInterfaceId', 'VpcPeeringConnectionId', 'TransitGatewayId', 'LocalGatewayId', 'CarrierGatewayId', 'VpcEndpointId', 'CoreNetworkArn'] as const;

/** The route's destination and target after checking them as CreateRoute/ReplaceRoute do. */
function checkedRoute(ctx: Ec2Context, request: CreateRouteRequest): { tableIndex: number; destination: Partial<Route>; target: Partial<Route> } {
  const tableIndex = ctx.state.routeTables.findIndex((t) => t.RouteTableId === request.RouteTableId);
  if (!request.RouteTableId) throw new Ec2Error(400, 'MissingParameter', 'The request must contain the parameter routeTableId');
  if (tableIndex < 0) throw notFound('InvalidRouteTableID.NotFound', 'routeTable ID')(request.RouteTableId);
  const table = ctx.state.routeTables[tableIndex];
  const destinations = [request.DestinationCidrBlock, request.DestinationIpv6CidrBlock, request.DestinationPrefixListId].filter((d) => d !== undefined);
  if (destinations.length !== 1) {
    throw new Ec2Error(400, 'InvalidParameterCombination', 'Exactly one of destinationCidrBlock, destinationIpv6CidrBlock and destinationPrefixListId must be specified.');
  }
  const targets = TARGET_MEMBERS.filter((member) => request[member] !== undefined);
  if (targets.length !== 1) {
    throw new Ec2Error(400, 'InvalidParameterCombination', 'The parameter combination is not valid: exactly one route target must be specified.');
  }
  const ipv6 = request.DestinationIpv6CidrBlock !== undefined;
  const destination = ipv6 ? { DestinationIpv6CidrBlock: request.DestinationIpv6CidrBlock } : request.DestinationCidrBlock !== undefined ? { DestinationCidrBlock: request.DestinationCidrBlock } : { DestinationPrefixListId: request.DestinationPrefixListId };
  const cidr = request.DestinationIpv6CidrBlock ?? request.DestinationCidrBlock;
  if (cidr !== undefined && !isCidr(cidr, ipv6)) {
    throw new Ec2Error(400, 'InvalidParameterValue', `Value (${cidr}) for parameter ${ipv6 ? 'destinationIpv6CidrBlock' : 'destinationCidrBlock'} is invalid. This is not a valid CIDR block.`);
  }
  const [member] = targets;
  const id = request[member] as string;
  if (member === 'EgressOnlyInternetGatewayId') {
    const gateway = ctx.state.egressOnlyInternetGateways.find((g) => g.EgressOnlyInternetGatewayId === id);
    if (!gateway) throw new Ec2Error(400, 'InvalidGatewayID.NotFound', `The gateway ID '${id}' does not exist`);
    if (!ipv6) throw new Ec2Error(400, 'InvalidParameterValue', `Route target ${id} is an egress-only internet gateway, which only routes IPv6 destinations.`);
    if (!gateway.Attachments?.some((a) => a.VpcId === table.VpcId)) {
      throw new Ec2Error(400, 'InvalidParameterValue', `route table ${table.RouteTableId} and network gateway ${id} belong to different networks`);
    }
  } else if (member === 'NatGatewayId') {
    const gateway = ctx.state.natGateways.find((g) => g.NatGatewayId === id);
    if (!gateway) throw new Ec2Error(400, 'NatGatewayNotFound', `The Nat Gateway ${id} was not found`);
    if (gateway.VpcId !== table.VpcId) throw new Ec2Error(400, 'InvalidParameterValue', `route table ${table.RouteTableId} and network gateway ${id} belong to different networks`);
  } else if (member === 'GatewayId' && id.startsWith('igw-')) {
    const gateway = ctx.state.internetGateways.find((g) => g.InternetGatewayId === id);
    if (!gateway) throw new Ec2Error(400, 'InvalidGatewayID.NotFound', `The gateway ID '${id}' does not exist`);
    if (!gateway.Attachments?.some((a) => a.VpcId === table.VpcId)) {
      throw new Ec2Error(400, 'InvalidParameterValue', `route table ${table.RouteTableId} and network gateway ${id} belong to different networks`);
    }
  }
  return { tableIndex, destination, target: { [member]: id } };
}

function isCidr(text: string, ipv6: boolean): boolean {
  const [address, length, ...rest] = text.split('/');
  if (rest.length > 0 || length === undefined || !/^\d+$/.test(length)) return false;
  if (ipv6) return address.includes(':') && /^[0-9a-f:]+$/i.test(address) && Number(length) <= 128;
  const octets = address.split('.');
  return octets.length === 4 && octets.every((o) => /^\d+$/.test(o) && Number(o) <= 255) && Number(length) <= 32;
}

function sameDestination(route: Route, destination: Partial<Route>): boolean {
  if (destination.DestinationIpv6CidrBlock !== undefined) return route.DestinationIpv6CidrBlock?.toLowerCase() === destination.DestinationIpv6CidrBlock.toLowerCase();
  if (destination.DestinationCidrBlock !== undefined) return route.DestinationCidrBlock === destination.DestinationCidrBlock;
  return route.DestinationPrefixListId === destination.DestinationPrefixListId;
}

function destinationText(destination: Partial<Route>): string {
  return destination.DestinationIpv6CidrBlock ?? destination.DestinationCidrBlock ?? destination.DestinationPrefixListId ?? '';
}

const createRoute: Handler = (ctx, input) => {
  const { tableIndex, destination, target } = checkedRoute(ctx, input as unknown as CreateRouteRequest);
  const table = ctx.state.routeTables[tableIndex];
  if ((table.Routes ?? []).some((r) => sameDestination(r, destination))) {
    throw new Ec2Error(400, 'RouteAlreadyExists', `The route identified by ${destinationText(destination)} already exists.`);
  }
  table.Routes = [...(table.Routes ?? []), { ...destination, ...target, Origin: 'CreateRoute', State: 'active' }];
  return { Return: true };
};

const replaceRoute: Handler = (ctx, input) => {
  const { tableIndex, destination, target } = checkedRoute(ctx, input as unknown as CreateRouteRequest);
  const table = ctx.state.routeTables[tableIndex];
  const index = (table.Routes ?? []).findIndex((r) => sameDestination(r, destination));
  if (index < 0) {
    throw new Ec2Error(400, 'InvalidRoute.NotFound', `no route with destination-cidr-block ${destinationText(destination)} in route table ${table.RouteTableId}`);
  }
  const routes = [...(table.Routes ?? [])];
  routes[index] = { ...destination, ...target, Origin: 'CreateRoute', State: 'active' };
  table.Routes = routes;
  return {};
};

interface FlatRule {
  protocol: string;
  from?: number;
  to?: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
}

function flatRules(permission: IpPermission): FlatRule[] {
  const protocol = normaliseProtocol(permission.IpProtocol ?? '-1');
  const ports = protocol === '-1' ? {} : { from: permission.FromPort, to: permission.ToPort };
  return [
    ...(permission.IpRanges ?? []).map((r) => ({ protocol, ...ports, cidrIpv4: r.CidrIp })),
    ...(permission.Ipv6Ranges ?? []).map((r) => ({ protocol, ...ports, cidrIpv6: r.CidrIpv6 })),
  ];
}

function normaliseProtocol(protocol: string): string {
  const lower = protocol.toLowerCase();
  return lower === 'all' ? '-1' : lower === '6' ? 'tcp' : lower === '17' ? 'udp' : lower;
}

function sameRule(a: FlatRule, b: FlatRule): boolean {
  return a.protocol === b.protocol && a.from === b.from && a.to === b.to && a.cidrIpv4 === b.cidrIpv4 && a.cidrIpv6?.toLowerCase() === b.cidrIpv6?.toLowerCase();
}

const authorizeSecurityGroupEgress: Handler = (ctx, input) => {
  const request = input as unknown as AuthorizeSecurityGroupEgressRequest;
  const group = ctx.state.securityGroups.find((g) => g.GroupId === request.GroupId);
  if (!request.GroupId) throw new Ec2Error(400, 'MissingParameter', 'The request must contain the parameter groupId');
  if (!group) throw notFound('InvalidGroup.NotFound', 'security group')(request.GroupId);
  const permissions = request.IpPermissions ?? [];
  if (permissions.length === 0) throw new Ec2Error(400, 'MissingParameter', 'The request must contain the parameter ipPermissions');
  const existing = (group.IpPermissionsEgress ?? []).flatMap(flatRules);
  const added: FlatRule[] = [];
  for (const rule of permissions.flatMap(flatRules)) {
    if (existing.some((e) => sameRule(e, rule)) || added.some((e) => sameRule(e, rule))) {
      const ports = rule.protocol === '-1' ? 'ALL' : `${rule.protocol.toUpperCase()}, ${rule.from}, ${rule.to}`;
      throw new Ec2Error(400, 'InvalidPermission.Duplicate', `the specified rule "peer: ${rule.cidrIpv6 ?? rule.cidrIpv4}, ${ports}, ALLOW" already exists`);
    }
    added.push(rule);
  }
  group.IpPermissionsEgress = [
    ...(group.IpPermissionsEgress ?? []),
    ...added.map((r) => ({
      IpProtocol: r.protocol,
      ...(r.protocol === '-1' ? {} : { FromPort: r.from, ToPort: r.to }),
      IpRanges: r.cidrIpv4 ? [{ CidrIp: r.cidrIpv4 }] : [],
      Ipv6Ranges: r.cidrIpv6 ? [{ CidrIpv6: r.cidrIpv6 }] : [],
      PrefixListIds: [],
      UserIdGroupPairs: [],
    })),
  ];
  const rules: SecurityGroupRule[] = added.map((r) => ({
    SecurityGroupRuleId: hexId('sgr'),
    GroupId: group.GroupId,
    GroupOwnerId: ctx.accountId,
    IsEgress: true,
    IpProtocol: r.protocol,
    FromPort: r.protocol === '-1' ? -1 : r.from,
    ToPort: r.protocol === '-1' ? -1 : r.to,
    ...(r.cidrIpv4 ? { CidrIpv4: r.cidrIpv4 } : { CidrIpv6: r.cidrIpv6 }),
  }));
  return { Return: true, SecurityGroupRules: rules };
};

const handlers: Record<string, Handler> = {
  DescribeVpcs: describeVpcs,
  DescribeSubnets: describeSubnets,
  DescribeRouteTables: describeRouteTables,
  DescribeEgressOnlyInternetGateways: describeEgressOnlyInternetGateways,
  DescribeNatGateways: describeNatGateways,
  DescribeInternetGateways: describeInternetGateways,
  DescribeSecurityGroups: describeSecurityGroups,
  CreateEgressOnlyInternetGateway: createEgressOnlyInternetGateway,
  CreateRoute: createRoute,
  ReplaceRoute: replaceRoute,
  AuthorizeSecurityGroupEgress: authorizeSecurityGroupEgress,
  AssociateVpcCidrBlock: associateVpcCidrBlock,
  AssociateSubnetCidrBlock: associateSubnetCidrBlock,
};

export function ec2Handler(action: string): Handler | undefined {
  return Object.hasOwn(handlers, action) ? handlers[action] : undefined;
}
