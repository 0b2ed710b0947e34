/**
 * The first part of migrating a deployed network: an Amazon-provided IPv6 /56 for each VPC that has
 * none, and a free /64 for each of the functions' IPv4-only subnets. The rest of the plan (EIGW,
 * `::/0` routes, IPv6 egress, the flag) is then planned on the network as it will be.
 */
import type { Subnet, Vpc } from '@aws-sdk/client-ec2';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { RegionInventory } from '../inventory';
import { freeSubnetBlocks } from '../ipv6Blocks';
import type { CallContext } from './calls';
import { describeFailure, withBackoff } from './calls';
import type { AssociateSubnetCidrStep, AssociateVpcCidrStep } from './types';

const ACTIVE = new Set(['associated', 'associating']);

export function activeIpv6Block(associations: { Ipv6CidrBlock?: string; Ipv6CidrBlockState?: { State?: string } }[] | undefined): string | undefined {
  const active = (associations ?? []).find((a) => ACTIVE.has(a.Ipv6CidrBlockState?.State ?? ''));
  return active ? (active.Ipv6CidrBlock ?? '') : undefined;
}

/** Every subnet of the VPCs: the /64s in use are those of all of them, not only the functions'. */
export async function subnetsOfVpcs(context: CallContext, vpcIds: string[]): Promise<Subnet[]> {
  const { DescribeSubnetsCommand } = await import('@aws-sdk/client-ec2');
  const ec2 = await context.clients.ec2();
  const subnets: Subnet[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await withBackoff(() => ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: vpcIds }], NextToken: token })), context.timing, context.signal);
      subnets.push(...(page.Subnets ?? []));
      token = page.NextToken;
    } while (token);
  } catch (error) {
    throw new Error(describeFailure(error, 'ec2:DescribeSubnets', context.clients));
  }
  return subnets;
}

export interface CidrPlan {
  steps: (AssociateVpcCidrStep | AssociateSubnetCidrStep)[];
  /** The inventory as it will be once the blocks are associated, for planning the rest. */
  inventory: RegionInventory;
  /** Why a subnet gets no block (its VPC's block is full), by function. */
  problems: Map<string, string>;
}

const PLANNED = { Ipv6CidrBlockState: { State: 'associated' as const } };

export async function planIpv6Cidrs(context: CallContext, configs: FunctionConfiguration[], inventory: RegionInventory): Promise<CidrPlan> {
  const byId = new Map(inventory.subnets.map((s) => [s.SubnetId ?? '', s]));
  const needing = new Map<string, { subnet: Subnet; functions: string[] }>();
  for (const config of configs) {
    for (const id of config.VpcConfig?.SubnetIds ?? []) {
      const subnet = byId.get(id);
      // Only subnets known to be IPv4-only: an unread or IPv6-only subnet is left to the preflight.
      if (!subnet || subnet.Ipv6Native || !subnet.CidrBlock || activeIpv6Block(subnet.Ipv6CidrBlockAssociationSet) !== undefined) continue;
      const entry = needing.get(id) ?? { subnet, functions: [] };
      if (!entry.functions.includes(config.FunctionName ?? '')) entry.functions.push(config.FunctionName ?? '');
      needing.set(id, entry);
    }
  }
  const problems = new Map<string, string>();
  if (needing.size === 0) return { steps: [], inventory, problems };

  const vpcIds = [...new Set([...needing.values()].map(({ subnet }) => subnet.VpcId ?? ''))].sort();
  const allSubnets = await subnetsOfVpcs(context, vpcIds);
  const vpcSteps: AssociateVpcCidrStep[] = [];
  const subnetSteps: AssociateSubnetCidrStep[] = [];
  const plannedBlocks = new Map<string, string | undefined>();
  const vpcs: Vpc[] = inventory.vpcs.map((vpc) => ({ ...vpc }));
  for (const vpcId of vpcIds) {
    const targets = [...needing.values()].filter(({ subnet }) => subnet.VpcId === vpcId).sort((a, b) => ((a.subnet.SubnetId ?? '') < (b.subnet.SubnetId ?? '') ? -1 : 1));
    const functions = [...new Set(targets.flatMap((t) => t.functions))];
    const vpc = vpcs.find((v) => v.VpcId === vpcId);
    const vpcBlock = activeIpv6Block(vpc?.Ipv6CidrBlockAssociationSet);
    if (vpcBlock === undefined) {
      vpcSteps.push({ kind: 'associate-vpc-cidr', vpcId, functions });
      if (vpc) vpc.Ipv6CidrBlockAssociationSet = [...(vpc.Ipv6CidrBlockAssociationSet ?? []), { ...PLANNED }];
      for (const { subnet, functions: fns } of targets) {
        subnetSteps.push({ kind: 'associate-subnet-cidr', subnetId: subnet.SubnetId ?? '', vpcId, functions: fns });
        plannedBlocks.set(subnet.SubnetId ?? '', undefined);
      }
      continue;
    }
    const used = allSubnets.filter((s) => s.VpcId === vpcId).map((s) => activeIpv6Block(s.Ipv6CidrBlockAssociationSet)).filter((b): b is string => Boolean(b));
    const blocks = freeSubnetBlocks(vpcBlock, used, targets.length);
    if (!blocks) {
      for (const fn of functions) problems.set(fn, `VPC ${vpcId}'s IPv6 block ${vpcBlock} has no ${targets.length} free /64 blocks left for subnets ${targets.map((t) => t.subnet.SubnetId).join(', ')}.`);
      continue;
    }
    targets.forEach(({ subnet, functions: fns }, i) => {
      subnetSteps.push({ kind: 'associate-subnet-cidr', subnetId: subnet.SubnetId ?? '', vpcId, ipv6CidrBlock: blocks[i], functions: fns });
      plannedBlocks.set(subnet.SubnetId ?? '', blocks[i]);
    });
  }
  const subnets = inventory.subnets.map((subnet) =>
    plannedBlocks.has(subnet.SubnetId ?? '')
      ? { ...subnet, Ipv6CidrBlockAssociationSet: [{ ...PLANNED, Ipv6CidrBlock: plannedBlocks.get(subnet.SubnetId ?? '') }] }
      : subnet,
  );
  return { steps: [...vpcSteps, ...subnetSteps], inventory: { ...inventory, subnets, vpcs }, problems };
}
