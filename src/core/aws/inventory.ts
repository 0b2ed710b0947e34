/**
 * Reads what a region's IPv6 status depends on with as few calls as AWS allows: every page of
 * ListFunctions (its VpcConfig gives each function's flag, subnets, groups and VPC, so no call per
 * function), then ONE concurrent round of EC2 describes for exactly the subnets, groups and VPCs
 * that listing names: subnets, route tables and security groups. Route targets already name the
 * NAT, egress-only and internet gateways by id, so the status needs no gateway describes; the
 * enable plan, which must know a VPC's EIGW even when no route uses it, asks for `network` detail.
 *
 * Subnets, groups and VPCs are selected with filters rather than id lists: an id list fails the
 * whole call when one id no longer exists (a function can outlive its subnet), a filter skips it.
 */
import type {
  EC2Client,
  EgressOnlyInternetGateway,
  Filter,
  InternetGateway,
  NatGateway,
  RouteTable,
  SecurityGroup,
  Subnet,
  Vpc,
} from '@aws-sdk/client-ec2';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { AwsClients } from './clients';
import { describeAwsError } from './errors';

/** The EC2 actions of the batched round. */
export type Ec2Read =
  | 'DescribeSubnets'
  | 'DescribeSecurityGroups'
  | 'DescribeRouteTables'
  | 'DescribeEgressOnlyInternetGateways'
  | 'DescribeNatGateways'
  | 'DescribeInternetGateways'
  | 'DescribeVpcs';

export interface RegionInventory {
  region: string;
  /** `status`: VPCs and gateways were not described (route targets name the gateways). */
  detail: InventoryDetail;
  functions: FunctionConfiguration[];
  subnets: Subnet[];
  securityGroups: SecurityGroup[];
  /** Tables associated with the functions' subnets and the main tables of their VPCs. */
  routeTables: RouteTable[];
  vpcs: Vpc[];
  egressOnlyInternetGateways: EgressOnlyInternetGateway[];
  natGateways: NatGateway[];
  internetGateways: InternetGateway[];
  /** EC2 reads that failed (denied, throttled…), with a message saying why; their data is unknown. */
  unreadable: Partial<Record<Ec2Read, string>>;
}

/** AWS accepts at most 200 values in one filter. */
export const FILTER_VALUE_LIMIT = 200;
export const LIST_FUNCTIONS_PAGE_SIZE = 50;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function listAllFunctions(clients: AwsClients): Promise<FunctionConfiguration[]> {
  const { ListFunctionsCommand } = await import('@aws-sdk/client-lambda');
  const lambda = await clients.lambda();
  const functions: FunctionConfiguration[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListFunctionsCommand({ Marker: marker, MaxItems: LIST_FUNCTIONS_PAGE_SIZE }));
    functions.push(...(page.Functions ?? []));
    marker = page.NextMarker;
  } while (marker);
  return functions;
}

type Paged<T> = (nextToken: string | undefined) => Promise<{ items: T[] | undefined; nextToken: string | undefined }>;

async function allPages<T>(page: Paged<T>): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const result = await page(token);
    items.push(...(result.items ?? []));
    token = result.nextToken;
  } while (token);
  return items;
}

/** Every page of a describe for each chunk of filter values, the chunks concurrently. */
async function describeByChunks<T>(values: string[], describe: (chunk: string[]) => Paged<T>): Promise<T[]> {
  const results = await Promise.all(chunks(values, FILTER_VALUE_LIMIT).map((chunk) => allPages(describe(chunk))));
  return results.flat();
}

function unique(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => Boolean(v)))].sort();
}

/** `status`: what a function's status needs; `network`: also the VPCs and their gateways (planning changes). */
export type InventoryDetail = 'status' | 'network';

export async function readRegion({ clients, region, detail = 'status' }: { clients: AwsClients; region: string; detail?: InventoryDetail }): Promise<RegionInventory> {
  const functions = await listAllFunctions(clients);
  const inventory: RegionInventory = {
    region,
    detail,
    functions,
    subnets: [],
    securityGroups: [],
    routeTables: [],
    vpcs: [],
    egressOnlyInternetGateways: [],
    natGateways: [],
    internetGateways: [],
    unreadable: {},
  };
  const subnetIds = unique(functions.flatMap((f) => f.VpcConfig?.SubnetIds ?? []));
  const groupIds = unique(functions.flatMap((f) => f.VpcConfig?.SecurityGroupIds ?? []));
  const vpcIds = unique(functions.map((f) => f.VpcConfig?.VpcId));
  if (subnetIds.length === 0 && groupIds.length === 0) return inventory;

  const ec2 = await clients.ec2();
  const commands = await import('@aws-sdk/client-ec2');
  const filter = (name: string, values: string[]): Filter => ({ Name: name, Values: values });

  const read = async <K extends Ec2Read>(action: K, load: (client: EC2Client) => Promise<void>) => {
    try {
      await load(ec2);
    } catch (error) {
      inventory.unreadable[action] ??= describeAwsError(error, { action: `ec2:${action}`, region, profile: clients.target.profile, endpointUrl: clients.target.endpointUrl });
    }
  };

  const networkReads = () => [
    read('DescribeEgressOnlyInternetGateways', async (client) => {
      // This describe has no VPC filter: read the region's gateways and keep the functions' VPCs'.
      const all = await allPages<EgressOnlyInternetGateway>(async (token) => {
        const page = await client.send(new commands.DescribeEgressOnlyInternetGatewaysCommand({ NextToken: token }));
        return { items: page.EgressOnlyInternetGateways, nextToken: page.NextToken };
      });
      inventory.egressOnlyInternetGateways = all.filter((g) => (g.Attachments ?? []).some((a) => a.VpcId && vpcIds.includes(a.VpcId)));
    }),
    read('DescribeNatGateways', async (client) => {
      inventory.natGateways = await describeByChunks(vpcIds, (chunk) => async (token) => {
        const page = await client.send(new commands.DescribeNatGatewaysCommand({ Filter: [filter('vpc-id', chunk)], NextToken: token }));
        return { items: page.NatGateways, nextToken: page.NextToken };
      });
    }),
    read('DescribeInternetGateways', async (client) => {
      inventory.internetGateways = await describeByChunks(vpcIds, (chunk) => async (token) => {
        const page = await client.send(new commands.DescribeInternetGatewaysCommand({ Filters: [filter('attachment.vpc-id', chunk)], NextToken: token }));
        return { items: page.InternetGateways, nextToken: page.NextToken };
      });
    }),
    read('DescribeVpcs', async (client) => {
      inventory.vpcs = await describeByChunks(vpcIds, (chunk) => async (token) => {
        const page = await client.send(new commands.DescribeVpcsCommand({ Filters: [filter('vpc-id', chunk)], NextToken: token }));
        return { items: page.Vpcs, nextToken: page.NextToken };
      });
    }),
  ];

  await Promise.all([
    read('DescribeSubnets', async (client) => {
      inventory.subnets = await describeByChunks(subnetIds, (chunk) => async (token) => {
        const page = await client.send(new commands.DescribeSubnetsCommand({ Filters: [filter('subnet-id', chunk)], NextToken: token }));
        return { items: page.Subnets, nextToken: page.NextToken };
      });
    }),
    read('DescribeSecurityGroups', async (client) => {
      inventory.securityGroups = await describeByChunks(groupIds, (chunk) => async (token) => {
        const page = await client.send(new commands.DescribeSecurityGroupsCommand({ Filters: [filter('group-id', chunk)], NextToken: token }));
        return { items: page.SecurityGroups, nextToken: page.NextToken };
      });
    }),
    read('DescribeRouteTables', async (client) => {
      // One listing per VPC gives both the subnets' own tables and the main tables; the rest is dropped.
      const tables = await describeByChunks(vpcIds, (chunk) => async (token) => {
        const page = await client.send(new commands.DescribeRouteTablesCommand({ Filters: [filter('vpc-id', chunk)], NextToken: token }));
        return { items: page.RouteTables, nextToken: page.NextToken };
      });
      const functionSubnets = new Set(subnetIds);
      inventory.routeTables = tables.filter((table) => (table.Associations ?? []).some((a) => a.Main === true || (a.SubnetId !== undefined && functionSubnets.has(a.SubnetId))));
    }),
    ...(detail === 'network' ? networkReads() : []),
  ]);
  return inventory;
}
