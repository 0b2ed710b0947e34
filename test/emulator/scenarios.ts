/**
 * Builds emulator scenarios for tests: networks of the kinds the rules distinguish, and functions
 * attached to them. Ids are deterministic (`vpc-00000000000000001`, …) so tests can name them.
 *
 *   const b = new ScenarioBuilder();
 *   const net = b.region('eu-west-1').dualStackVpc();
 *   b.region('eu-west-1').fn('api', { network: net, ipv6: true });
 *   const emulator = await startEmulator({ scenario: b.build() });
 */
import type { IpPermission, Route, RouteTable, Subnet } from '@aws-sdk/client-ec2';
import { DEFAULT_ACCOUNT_ID, type RegionScenario, type Scenario, type ScenarioFunction } from './scenario';

export interface Network {
  vpcId: string;
  /** The subnets functions attach to (the network's private subnets). */
  subnetIds: string[];
  /** The table the private subnets use (explicitly associated, or the main table with `viaMainTable`). */
  routeTableId: string;
  mainRouteTableId: string;
  securityGroupId: string;
  eigwId?: string;
  natId?: string;
  igwId?: string;
}

export interface NetworkOptions {
  /** Private subnets to create. Default 2. */
  subnets?: number;
  /** The private subnets use the VPC's main table (no explicit association). */
  viaMainTable?: boolean;
  /** Egress of the network's security group. Default: all IPv4, plus all IPv6 for an IPv6 VPC. */
  securityGroupEgress?: IpPermission[];
  /** DNS64 on the private subnets (`EnableDns64`, as DescribeSubnets returns it). Default false. */
  dns64?: boolean;
}

export const ALL_IPV4_EGRESS: IpPermission = { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
export const ALL_IPV6_EGRESS: IpPermission = { IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] };

export interface FunctionOptions extends Partial<ScenarioFunction> {
  /** Attach to all the network's subnets and its security group. */
  network?: Network;
  subnetIds?: string[];
  securityGroupIds?: string[];
  /** Ipv6AllowedForDualStack. */
  ipv6?: boolean;
}

function hexId(prefix: string, n: number): string {
  return `${prefix}-${n.toString(16).padStart(17, '0')}`;
}

export class RegionBuilder {
  readonly data: Required<Omit<RegionScenario, 'deny'>> & { deny: string[] } = {
    functions: [],
    vpcs: [],
    subnets: [],
    routeTables: [],
    egressOnlyInternetGateways: [],
    natGateways: [],
    internetGateways: [],
    securityGroups: [],
    natMetrics: {},
    deny: [],
  };

  constructor(
    readonly name: string,
    private readonly nextId: (prefix: string) => string,
  ) {}

  /** Dual-stack VPC: IPv4 and IPv6 blocks, private dual-stack subnets, 0.0.0.0/0 → NAT and ::/0 → EIGW. */
  dualStackVpc(options: NetworkOptions = {}): Network {
    return this.network({ ipv6: true, eigw: true, ...options });
  }

  /** Dual-stack subnets whose table sends 0.0.0.0/0 to a NAT gateway and has no ::/0 route (IPV6N002). */
  natOnlyVpc(options: NetworkOptions = {}): Network {
    return this.network({ ipv6: true, eigw: false, ...options });
  }

  /** No IPv6 anywhere: 0.0.0.0/0 → NAT. */
  ipv4OnlyVpc(options: NetworkOptions = {}): Network {
    return this.network({ ipv6: false, eigw: false, ...options });
  }

  /** An IPv6-native (IPv6-only) subnet in the network's VPC, using the network's private table; not added to `network.subnetIds`. */
  ipv6NativeSubnet(network: Network): string {
    const index = this.data.subnets.filter((s) => s.VpcId === network.vpcId).length;
    const subnetId = this.nextId('subnet');
    this.data.subnets.push({
      SubnetId: subnetId,
      VpcId: network.vpcId,
      Ipv6Native: true,
      Ipv6CidrBlockAssociationSet: [ipv6Association(subnetId, this.vpcIpv6Prefix(network.vpcId), index)],
    });
    this.associate(network, subnetId, false);
    return subnetId;
  }

  /** An IPv4-only subnet in the network's VPC, using the network's private table; not added to `network.subnetIds`. */
  ipv4Subnet(network: Network): string {
    const index = this.data.subnets.filter((s) => s.VpcId === network.vpcId).length;
    const subnetId = this.nextId('subnet');
    this.data.subnets.push({ SubnetId: subnetId, VpcId: network.vpcId, CidrBlock: `10.0.${index}.0/24` });
    this.associate(network, subnetId, false);
    return subnetId;
  }

  /** Adds a route to a table (e.g. ::/0 → NAT for IPV6N001, ::/0 → IGW for IPV6N003). */
  route(routeTableId: string, route: Route): void {
    const table = this.data.routeTables.find((t) => t.RouteTableId === routeTableId);
    if (!table) throw new Error(`no route table ${routeTableId} in ${this.name}`);
    table.Routes = [...(table.Routes ?? []), route];
  }

  /** An internet gateway attached to the network's VPC. */
  internetGateway(network: Network): string {
    const igwId = this.nextId('igw');
    this.data.internetGateways.push({ InternetGatewayId: igwId, Attachments: [{ VpcId: network.vpcId }] });
    network.igwId = igwId;
    return igwId;
  }

  securityGroup(vpcId: string, egress: IpPermission[]): string {
    const groupId = this.nextId('sg');
    this.data.securityGroups.push({ GroupId: groupId, VpcId: vpcId, GroupName: `group-${groupId}`, IpPermissionsEgress: egress });
    return groupId;
  }

  fn(name: string, options: FunctionOptions = {}): this {
    const { network, subnetIds, securityGroupIds, ipv6, ...config } = options;
    const subnets = subnetIds ?? network?.subnetIds;
    const groups = securityGroupIds ?? (network ? [network.securityGroupId] : undefined);
    this.data.functions.push({
      FunctionName: name,
      ...config,
      ...(subnets || groups
        ? { VpcConfig: { SubnetIds: subnets ?? [], SecurityGroupIds: groups ?? [], Ipv6AllowedForDualStack: ipv6 ?? false } }
        : {}),
    });
    return this;
  }

  /** The NAT gateway's CloudWatch byte counts over the last 30 days. */
  natBytes(natId: string, bytesOut: number, bytesIn: number): this {
    this.data.natMetrics[natId] = { BytesOutToDestination: bytesOut, BytesInFromDestination: bytesIn };
    return this;
  }

  /** IAM actions refused in this region, e.g. `ec2:DescribeSubnets`. */
  deny(...actions: string[]): this {
    this.data.deny.push(...actions);
    return this;
  }

  private vpcIpv6Prefix(vpcId: string): string {
    const block = this.data.vpcs.find((v) => v.VpcId === vpcId)?.Ipv6CidrBlockAssociationSet?.[0]?.Ipv6CidrBlock;
    return block ? block.replace(/::\/56$/, '') : '2600:1f18:0:0';
  }

  private associate(network: Network, subnetId: string, attachable = true): void {
    const table = this.data.routeTables.find((t) => t.RouteTableId === network.routeTableId) as RouteTable;
    if (table.RouteTableId !== network.mainRouteTableId) {
      table.Associations = [...(table.Associations ?? []), { SubnetId: subnetId, Main: false }];
    }
    if (attachable) network.subnetIds.push(subnetId);
  }

  private network(options: NetworkOptions & { ipv6: boolean; eigw: boolean }): Network {
    const vpcId = this.nextId('vpc');
    const vpcNumber = this.data.vpcs.length;
    const ipv6Prefix = `2600:1f18:${(0x1000 + vpcNumber).toString(16)}:${(vpcNumber * 256).toString(16)}`;
    this.data.vpcs.push({
      VpcId: vpcId,
      CidrBlock: '10.0.0.0/16',
      Ipv6CidrBlockAssociationSet: options.ipv6
        ? [{ AssociationId: `${vpcId}-ipv6`, Ipv6CidrBlock: `${ipv6Prefix}::/56`, Ipv6CidrBlockState: { State: 'associated' }, NetworkBorderGroup: this.name, Ipv6Pool: 'Amazon' }]
        : [],
    });
    const mainRouteTableId = this.nextId('rtb');
    this.data.routeTables.push({ RouteTableId: mainRouteTableId, VpcId: vpcId, Routes: [], Associations: [{ Main: true }] });

    const igwId = this.nextId('igw');
    this.data.internetGateways.push({ InternetGatewayId: igwId, Attachments: [{ VpcId: vpcId }] });
    const publicSubnetId = this.nextId('subnet');
    this.data.subnets.push({ SubnetId: publicSubnetId, VpcId: vpcId, CidrBlock: '10.0.255.0/24', MapPublicIpOnLaunch: true });
    const natId = this.nextId('nat');
    this.data.natGateways.push({ NatGatewayId: natId, VpcId: vpcId, SubnetId: publicSubnetId });
    const eigwId = options.eigw ? this.nextId('eigw') : undefined;
    if (eigwId) this.data.egressOnlyInternetGateways.push({ EgressOnlyInternetGatewayId: eigwId, Attachments: [{ VpcId: vpcId }] });

    const routes: Route[] = [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: natId }];
    if (eigwId) routes.push({ DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: eigwId });
    let routeTableId = mainRouteTableId;
    if (options.viaMainTable) {
      this.route(mainRouteTableId, routes[0]);
      if (routes[1]) this.route(mainRouteTableId, routes[1]);
    } else {
      routeTableId = this.nextId('rtb');
      this.data.routeTables.push({ RouteTableId: routeTableId, VpcId: vpcId, Routes: routes, Associations: [] });
    }

    const subnets: Subnet[] = Array.from({ length: options.subnets ?? 2 }, (_, i) => {
      const subnetId = this.nextId('subnet');
      return {
        SubnetId: subnetId,
        VpcId: vpcId,
        CidrBlock: `10.0.${i}.0/24`,
        Ipv6CidrBlockAssociationSet: options.ipv6 ? [ipv6Association(subnetId, ipv6Prefix, i)] : [],
        ...(options.dns64 ? { EnableDns64: true } : {}),
      };
    });
    this.data.subnets.push(...subnets);
    const securityGroupId = this.securityGroup(vpcId, options.securityGroupEgress ?? (options.ipv6 ? [ALL_IPV4_EGRESS, ALL_IPV6_EGRESS] : [ALL_IPV4_EGRESS]));
    const network: Network = { vpcId, subnetIds: [], routeTableId, mainRouteTableId, securityGroupId, eigwId, natId, igwId };
    for (const subnet of subnets) this.associate(network, subnet.SubnetId as string);
    return network;
  }
}

function ipv6Association(subnetId: string, vpcPrefix: string, index: number) {
  const base = vpcPrefix.split(':');
  const last = (parseInt(base[3] ?? '0', 16) + index).toString(16);
  return {
    AssociationId: `${subnetId}-ipv6`,
    Ipv6CidrBlock: `${base.slice(0, 3).join(':')}:${last}::/64`,
    Ipv6CidrBlockState: { State: 'associated' as const },
  };
}

export class ScenarioBuilder {
  private readonly regions = new Map<string, RegionBuilder>();
  private counter = 0;

  private readonly aliases: string[] = [];
  private readonly globalDeny: string[] = [];

  constructor(readonly accountId: string = DEFAULT_ACCOUNT_ID) {}

  /** The account's alias, as IAM ListAccountAliases answers it. */
  alias(name: string): this {
    this.aliases.push(name);
    return this;
  }

  /** Refuses actions of global services (IAM), e.g. `iam:ListAccountAliases`. */
  denyGlobal(...actions: string[]): this {
    this.globalDeny.push(...actions);
    return this;
  }

  region(name: string): RegionBuilder {
    let region = this.regions.get(name);
    if (!region) {
      region = new RegionBuilder(name, (prefix) => hexId(prefix, ++this.counter));
      this.regions.set(name, region);
    }
    return region;
  }

  build(): Scenario {
    return {
      accountId: this.accountId,
      ...(this.aliases.length > 0 ? { accountAliases: [...this.aliases] } : {}),
      ...(this.globalDeny.length > 0 ? { globalDeny: [...this.globalDeny] } : {}),
      regions: Object.fromEntries([...this.regions].map(([name, r]) => [name, structuredClone(r.data)])),
    };
  }
}
