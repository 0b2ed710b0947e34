/**
 * EC2's IPv6 CIDR associations as AWS behaves: `AssociateVpcCidrBlock` (an Amazon-provided /56) and
 * `AssociateSubnetCidrBlock` (a /64 of the VPC's block) answer `associating` and become `associated`
 * a moment later; a block that overlaps another subnet's is refused with `InvalidSubnet.Conflict`, one
 * outside the VPC's blocks with `InvalidSubnet.Range`, and a subnet whose VPC has no IPv6 block (or
 * that has one already) with `InvalidParameterValue`. Overlaps are checked with Node's own `BlockList`.
 */
import { BlockList, isIPv6 } from 'node:net';
import type { AssociateSubnetCidrBlockRequest, AssociateVpcCidrBlockRequest, SubnetIpv6CidrBlockAssociation, VpcIpv6CidrBlockAssociation } from '@aws-sdk/client-ec2';
import { Ec2Error, type Ec2Context } from './ec2';

/** How long an association stays `associating`. */
export const ASSOCIATION_DELAY_MS = 40;

function activeIpv6(associations: (VpcIpv6CidrBlockAssociation | SubnetIpv6CidrBlockAssociation)[] | undefined) {
  return (associations ?? []).filter((a) => a.Ipv6CidrBlockState?.State === 'associated' || a.Ipv6CidrBlockState?.State === 'associating');
}

function associationId(prefix: string, id: string): string {
  return `${prefix}-${id.replace(/^[a-z]+-/, '')}${Date.now().toString(16).slice(-4)}`;
}

function settleLater(association: { Ipv6CidrBlockState?: { State?: string } }): void {
  setTimeout(() => {
    if (association.Ipv6CidrBlockState?.State === 'associating') association.Ipv6CidrBlockState = { State: 'associated' };
  }, ASSOCIATION_DELAY_MS).unref();
}

function parseCidr(cidr: string): { address: string; prefix: number } | undefined {
  const [address, prefixText, ...rest] = cidr.split('/');
  const prefix = Number(prefixText);
  return rest.length === 0 && isIPv6(address) && Number.isInteger(prefix) && prefix >= 0 && prefix <= 128 ? { address, prefix } : undefined;
}

function poolBlock(number: number): string {
  return `2600:1f18:4000:${(0x100 * number).toString(16)}::/56`;
}

export function associateVpcCidrBlock(ctx: Ec2Context, input: Record<string, unknown>): Record<string, unknown> {
  const request = input as unknown as AssociateVpcCidrBlockRequest;
  const vpc = ctx.state.vpcs.find((v) => v.VpcId === request.VpcId);
  if (!vpc) throw new Ec2Error(400, 'InvalidVpcID.NotFound', `The vpc ID '${request.VpcId}' does not exist`);
  if (!request.AmazonProvidedIpv6CidrBlock) {
    throw new Ec2Error(400, 'InvalidParameterValue', 'This endpoint serves only AmazonProvidedIpv6CidrBlock associations.');
  }
  if (activeIpv6(vpc.Ipv6CidrBlockAssociationSet).length > 0) {
    throw new Ec2Error(400, 'InvalidParameterValue', `The VPC '${vpc.VpcId}' already has an Amazon-provided IPv6 CIDR block.`);
  }
  // Amazon's pool, as this endpoint hands it out: the lowest /56 of 2600:1f18:4000::/48 no VPC of the region holds.
  const held = new Set(ctx.state.vpcs.flatMap((v) => (v.Ipv6CidrBlockAssociationSet ?? []).map((a) => a.Ipv6CidrBlock)));
  let number = 1;
  while (held.has(poolBlock(number))) number += 1;
  const association = {
    AssociationId: associationId('vpc-cidr-assoc', vpc.VpcId ?? ''),
    Ipv6CidrBlock: poolBlock(number),
    Ipv6CidrBlockState: { State: 'associating' as const },
    NetworkBorderGroup: ctx.region,
    Ipv6Pool: 'Amazon',
  };
  vpc.Ipv6CidrBlockAssociationSet = [...(vpc.Ipv6CidrBlockAssociationSet ?? []), association];
  settleLater(association);
  return { VpcId: vpc.VpcId, Ipv6CidrBlockAssociation: structuredClone(association) };
}

export function associateSubnetCidrBlock(ctx: Ec2Context, input: Record<string, unknown>): Record<string, unknown> {
  const request = input as unknown as AssociateSubnetCidrBlockRequest;
  const subnet = ctx.state.subnets.find((s) => s.SubnetId === request.SubnetId);
  if (!subnet) throw new Ec2Error(400, 'InvalidSubnetID.NotFound', `The subnet ID '${request.SubnetId}' does not exist`);
  const cidr = parseCidr(request.Ipv6CidrBlock ?? '');
  if (!cidr || cidr.prefix !== 64) throw new Ec2Error(400, 'InvalidParameterValue', `Value (${request.Ipv6CidrBlock}) for parameter ipv6CidrBlock is invalid. A subnet's IPv6 CIDR block must be a /64.`);
  const vpc = ctx.state.vpcs.find((v) => v.VpcId === subnet.VpcId);
  const vpcBlocks = activeIpv6(vpc?.Ipv6CidrBlockAssociationSet).filter((a) => a.Ipv6CidrBlockState?.State === 'associated');
  if (vpcBlocks.length === 0) {
    throw new Ec2Error(400, 'InvalidParameterValue', `The VPC '${subnet.VpcId}' of subnet '${subnet.SubnetId}' has no associated IPv6 CIDR block.`);
  }
  if (activeIpv6(subnet.Ipv6CidrBlockAssociationSet).length > 0) {
    throw new Ec2Error(400, 'InvalidParameterValue', `The subnet '${subnet.SubnetId}' already has an IPv6 CIDR block.`);
  }
  const inVpc = new BlockList();
  for (const block of vpcBlocks) {
    const parsed = parseCidr(block.Ipv6CidrBlock ?? '');
    if (parsed) inVpc.addSubnet(parsed.address, parsed.prefix, 'ipv6');
  }
  if (!inVpc.check(cidr.address, 'ipv6')) {
    throw new Ec2Error(400, 'InvalidSubnet.Range', `The CIDR '${request.Ipv6CidrBlock}' is invalid.`);
  }
  for (const other of ctx.state.subnets.filter((s) => s.VpcId === subnet.VpcId && s !== subnet)) {
    for (const association of activeIpv6(other.Ipv6CidrBlockAssociationSet)) {
      const parsed = parseCidr(association.Ipv6CidrBlock ?? '');
      if (!parsed) continue;
      const taken = new BlockList();
      taken.addSubnet(parsed.address, parsed.prefix, 'ipv6');
      if (taken.check(cidr.address, 'ipv6')) throw new Ec2Error(400, 'InvalidSubnet.Conflict', `The CIDR '${request.Ipv6CidrBlock}' conflicts with another subnet`);
    }
  }
  const association = {
    AssociationId: associationId('subnet-cidr-assoc', subnet.SubnetId ?? ''),
    Ipv6CidrBlock: request.Ipv6CidrBlock,
    Ipv6CidrBlockState: { State: 'associating' as const },
  };
  subnet.Ipv6CidrBlockAssociationSet = [...(subnet.Ipv6CidrBlockAssociationSet ?? []), association];
  settleLater(association);
  return { SubnetId: subnet.SubnetId, Ipv6CidrBlockAssociation: structuredClone(association) };
}
