/**
 * What the emulator serves: a scenario file (SDK v3 output field names) and the mutable state built
 * from it. Omitted optional fields get the values AWS would report.
 */
import { randomUUID } from 'node:crypto';
import type {
  AttachmentStatus,
  EgressOnlyInternetGateway,
  InternetGateway,
  IpPermission,
  NatGateway,
  RouteTable,
  SecurityGroup,
  Subnet,
  Vpc,
} from '@aws-sdk/client-ec2';
import type { AliasConfiguration, FunctionConfiguration } from '@aws-sdk/client-lambda';

/** An alias as a scenario names it; the emulator fills in `AliasArn` (and `RevisionId` when absent). */
export interface ScenarioAlias {
  Name: string;
  FunctionVersion: string;
  Description?: string;
  RevisionId?: string;
}

export type PublishedVersion = FunctionConfiguration & { Version: string };

/** A function of a scenario: its $LATEST configuration plus its published versions and aliases. */
export interface ScenarioFunction extends FunctionConfiguration {
  /**
   * Published versions, oldest first: a number (`"1"`) is a snapshot of the $LATEST configuration as
   * loaded; a configuration with `Version` overrides that snapshot (the state document writes this form).
   */
  versions?: (string | PublishedVersion)[];
  aliases?: ScenarioAlias[];
}

export interface RegionScenario {
  functions?: ScenarioFunction[];
  vpcs?: Vpc[];
  subnets?: Subnet[];
  routeTables?: RouteTable[];
  egressOnlyInternetGateways?: EgressOnlyInternetGateway[];
  natGateways?: NatGateway[];
  internetGateways?: InternetGateway[];
  securityGroups?: SecurityGroup[];
  /** IAM actions this caller may not perform here, e.g. `ec2:DescribeSubnets`, `lambda:ListFunctions`. */
  deny?: string[];
  /** CloudWatch `AWS/NATGateway` bytes per NAT gateway id over the last 30 days (GetMetricData answers their sums). */
  natMetrics?: NatMetrics;
}

export type NatMetrics = Record<string, { BytesOutToDestination?: number; BytesInFromDestination?: number }>;

export interface Scenario {
  accountId?: string;
  /** What IAM ListAccountAliases answers (AWS allows at most one alias per account). */
  accountAliases?: string[];
  /** Actions of global services (IAM) this caller may not perform, e.g. `iam:ListAccountAliases`. */
  globalDeny?: string[];
  regions: Record<string, RegionScenario>;
}

/** A function as the emulator keeps it: its configuration plus when a pending update completes. */
export interface StoredFunction {
  config: FunctionConfiguration;
  /** Published versions, oldest first. */
  versions: FunctionConfiguration[];
  aliases: AliasConfiguration[];
  /** Epoch ms at which LastUpdateStatus turns Successful; undefined when no update is pending. */
  updateCompletesAt?: number;
}

export interface RegionState {
  functions: StoredFunction[];
  vpcs: Vpc[];
  subnets: Subnet[];
  routeTables: RouteTable[];
  egressOnlyInternetGateways: EgressOnlyInternetGateway[];
  natGateways: NatGateway[];
  internetGateways: InternetGateway[];
  securityGroups: SecurityGroup[];
  deny: Set<string>;
  natMetrics: NatMetrics;
}

export interface EmulatorState {
  accountId: string;
  accountAliases: string[];
  globalDeny: Set<string>;
  regions: Map<string, RegionState>;
}

export const DEFAULT_ACCOUNT_ID = '123456789012';
const FIXED_TIME = '2024-01-01T00:00:00.000+0000';

function defaultVpc(vpc: Vpc, accountId: string): Vpc {
  const cidr = vpc.CidrBlock ?? '10.0.0.0/16';
  return {
    CidrBlock: cidr,
    State: 'available',
    OwnerId: accountId,
    InstanceTenancy: 'default',
    IsDefault: false,
    DhcpOptionsId: 'dopt-00000000',
    CidrBlockAssociationSet: [{ AssociationId: `${vpc.VpcId}-cidr-assoc`, CidrBlock: cidr, CidrBlockState: { State: 'associated' } }],
    Ipv6CidrBlockAssociationSet: [],
    ...vpc,
  };
}

function defaultSubnet(subnet: Subnet, region: string, accountId: string): Subnet {
  return {
    AvailabilityZone: `${region}a`,
    AvailabilityZoneId: `${region.split('-').map((part, i) => (i === 1 ? part[0] : part)).join('')}-az1`,
    AvailableIpAddressCount: subnet.CidrBlock ? 251 : 0,
    DefaultForAz: false,
    MapPublicIpOnLaunch: false,
    State: 'available',
    OwnerId: accountId,
    AssignIpv6AddressOnCreation: false,
    Ipv6CidrBlockAssociationSet: [],
    Ipv6Native: false,
    EnableDns64: false,
    SubnetArn: `arn:aws:ec2:${region}:${accountId}:subnet/${subnet.SubnetId}`,
    ...subnet,
  };
}

function defaultRouteTable(table: RouteTable, vpcs: Vpc[], accountId: string): RouteTable {
  const vpc = vpcs.find((v) => v.VpcId === table.VpcId);
  const routes = table.Routes ?? [];
  const localRoutes = routes.some((r) => r.GatewayId === 'local') || !vpc?.CidrBlock
    ? []
    : [{ DestinationCidrBlock: vpc.CidrBlock, GatewayId: 'local', Origin: 'CreateRouteTable' as const, State: 'active' as const }];
  return {
    OwnerId: accountId,
    PropagatingVgws: [],
    Tags: [],
    ...table,
    Routes: [...localRoutes, ...routes.map((r) => ({ Origin: 'CreateRoute' as const, State: 'active' as const, ...r }))],
    Associations: (table.Associations ?? []).map((a, i) => ({
      RouteTableAssociationId: `rtbassoc-${table.RouteTableId?.replace(/^rtb-/, '')}${i}`,
      RouteTableId: table.RouteTableId,
      Main: false,
      AssociationState: { State: 'associated' },
      ...a,
    })),
  };
}

/** AWS's egress for a group created without explicit rules: all IPv4 traffic. */
export function defaultEgress(): IpPermission[] {
  return [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }];
}

function normalisePermission(permission: IpPermission): IpPermission {
  return { IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [], ...permission };
}

function defaultSecurityGroup(group: SecurityGroup, accountId: string): SecurityGroup {
  return {
    GroupName: group.GroupId,
    Description: `security group ${group.GroupId}`,
    OwnerId: accountId,
    IpPermissions: [],
    ...group,
    IpPermissionsEgress: (group.IpPermissionsEgress ?? defaultEgress()).map(normalisePermission),
  };
}

export function functionArn(region: string, accountId: string, name: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
}

function defaultFunction(fn: FunctionConfiguration, region: string, accountId: string, subnets: Subnet[]): FunctionConfiguration {
  const name = fn.FunctionName ?? 'unnamed';
  const vpcConfig = fn.VpcConfig
    ? {
        SubnetIds: [],
        SecurityGroupIds: [],
        Ipv6AllowedForDualStack: false,
        ...fn.VpcConfig,
        VpcId: fn.VpcConfig.VpcId ?? subnets.find((s) => s.SubnetId === fn.VpcConfig?.SubnetIds?.[0])?.VpcId ?? '',
      }
    : undefined;
  return {
    FunctionName: name,
    FunctionArn: functionArn(region, accountId, name),
    Runtime: 'nodejs22.x',
    Role: `arn:aws:iam::${accountId}:role/${name}-role`,
    Handler: 'index.handler',
    CodeSize: 1024,
    Description: '',
    Timeout: 3,
    MemorySize: 128,
    LastModified: FIXED_TIME,
    CodeSha256: 'pVx2Bq3FhAxVvMnl0Ck4HIbrsXYxFjfNVzCgRZm3/r0=',
    Version: '$LATEST',
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: randomUUID(),
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: ['x86_64'],
    EphemeralStorage: { Size: 512 },
    ...fn,
    ...(vpcConfig ? { VpcConfig: vpcConfig } : {}),
  };
}

function storedFunction(fn: ScenarioFunction, region: string, accountId: string, subnets: Subnet[]): StoredFunction {
  const { versions = [], aliases = [], ...latest } = fn;
  const config = defaultFunction(latest, region, accountId, subnets);
  const name = config.FunctionName ?? '';
  return {
    config,
    versions: versions.map((version) => {
      const published = typeof version === 'string' ? { Version: version } : version;
      return { ...config, RevisionId: randomUUID(), ...published, FunctionArn: `${functionArn(region, accountId, name)}:${published.Version}` };
    }),
    aliases: aliases.map((alias) => ({
      AliasArn: `${functionArn(region, accountId, name)}:${alias.Name}`,
      Name: alias.Name,
      FunctionVersion: alias.FunctionVersion,
      Description: alias.Description ?? '',
      RevisionId: alias.RevisionId ?? randomUUID(),
    })),
  };
}

function regionState(region: string, scenario: RegionScenario, accountId: string): RegionState {
  const vpcs = (scenario.vpcs ?? []).map((v) => defaultVpc(v, accountId));
  const subnets = (scenario.subnets ?? []).map((s) => defaultSubnet(s, region, accountId));
  return {
    functions: (scenario.functions ?? []).map((f) => storedFunction(f, region, accountId, subnets)),
    vpcs,
    subnets,
    routeTables: (scenario.routeTables ?? []).map((t) => defaultRouteTable(t, vpcs, accountId)),
    egressOnlyInternetGateways: (scenario.egressOnlyInternetGateways ?? []).map((g) => ({
      Tags: [],
      ...g,
      Attachments: (g.Attachments ?? []).map((a) => ({ State: 'attached' as const, ...a })),
    })),
    natGateways: (scenario.natGateways ?? []).map((g) => ({
      State: 'available' as const,
      ConnectivityType: 'public' as const,
      CreateTime: new Date(Date.parse('2024-01-01T00:00:00Z')),
      NatGatewayAddresses: [],
      Tags: [],
      ...g,
    })),
    internetGateways: (scenario.internetGateways ?? []).map((g) => ({
      OwnerId: accountId,
      Tags: [],
      ...g,
      // DescribeInternetGateways reports an attached gateway as "available", outside the SDK's AttachmentStatus enum.
      Attachments: (g.Attachments ?? []).map((a) => ({ State: 'available' as AttachmentStatus, ...a })),
    })),
    securityGroups: (scenario.securityGroups ?? []).map((g) => defaultSecurityGroup(g, accountId)),
    deny: new Set(scenario.deny ?? []),
    natMetrics: scenario.natMetrics ?? {},
  };
}

/** Fresh state from a scenario; the scenario object itself is never changed. */
export function stateFromScenario(scenario: Scenario): EmulatorState {
  const accountId = scenario.accountId ?? DEFAULT_ACCOUNT_ID;
  const copy = structuredClone(scenario);
  return {
    accountId,
    accountAliases: copy.accountAliases ?? [],
    globalDeny: new Set(copy.globalDeny ?? []),
    regions: new Map(Object.entries(copy.regions ?? {}).map(([region, r]) => [region, regionState(region, r, accountId)])),
  };
}

/** A region the scenario does not mention is empty, as an unused AWS region is. */
export function regionOf(state: EmulatorState, region: string): RegionState {
  let found = state.regions.get(region);
  if (!found) {
    found = regionState(region, {}, state.accountId);
    state.regions.set(region, found);
  }
  return found;
}

/** The state as a scenario document (for `GET /__emulator/state`). */
export function scenarioFromState(state: EmulatorState, now: number): Scenario {
  const regions: Record<string, RegionScenario> = {};
  for (const [name, r] of state.regions) {
    regions[name] = {
      functions: r.functions.map((f) => scenarioFunction(f, now)),
      vpcs: r.vpcs,
      subnets: r.subnets,
      routeTables: r.routeTables,
      egressOnlyInternetGateways: r.egressOnlyInternetGateways,
      natGateways: r.natGateways,
      internetGateways: r.internetGateways,
      securityGroups: r.securityGroups,
      deny: [...r.deny],
      ...(Object.keys(r.natMetrics).length > 0 ? { natMetrics: r.natMetrics } : {}),
    };
  }
  return {
    accountId: state.accountId,
    ...(state.accountAliases.length > 0 ? { accountAliases: state.accountAliases } : {}),
    ...(state.globalDeny.size > 0 ? { globalDeny: [...state.globalDeny] } : {}),
    regions,
  };
}

function scenarioFunction(fn: StoredFunction, now: number): ScenarioFunction {
  return {
    ...settledConfig(fn, now),
    ...(fn.versions.length > 0 ? { versions: fn.versions.map((v) => ({ ...v, Version: v.Version ?? '' })) } : {}),
    ...(fn.aliases.length > 0 ? { aliases: fn.aliases.map((a) => ({ Name: a.Name ?? '', FunctionVersion: a.FunctionVersion ?? '', Description: a.Description ?? '', RevisionId: a.RevisionId })) } : {}),
  };
}

/** The configuration as of `now`: a pending update whose time has come reports Successful. */
export function settledConfig(fn: StoredFunction, now: number): FunctionConfiguration {
  if (fn.updateCompletesAt !== undefined && now >= fn.updateCompletesAt) {
    fn.updateCompletesAt = undefined;
    fn.config = { ...fn.config, LastUpdateStatus: 'Successful', LastUpdateStatusReason: undefined, LastUpdateStatusReasonCode: undefined };
  }
  return fn.config;
}
