/**
 * /64 blocks for subnets out of a VPC's IPv6 block (an Amazon-provided /56 holds 256), chosen
 * deterministically: the lowest ones no other subnet of the VPC uses, so a plan and its re-run agree.
 */
import { parseIpv6Cidr } from '../rules/cidr';

const SUBNET_PREFIX = 64;

function networkBits(cidr: string): { first64: bigint; prefix: number } | undefined {
  const parsed = parseIpv6Cidr(cidr);
  if (!parsed) return undefined;
  const first64 = parsed.groups.slice(0, 4).reduce((value, group) => (value << 16n) | BigInt(group), 0n);
  return { first64, prefix: parsed.prefix };
}

/** RFC 5952 text of a /64 whose upper 64 bits are `first64`, e.g. `2600:1f18:1:100::/64`. */
function blockText(first64: bigint): string {
  const groups = [3, 2, 1, 0].map((shift) => Number((first64 >> BigInt(shift * 16)) & 0xffffn));
  // The lower half is zero; fold a zero run at the end of the upper half into the `::` too.
  let end = groups.length;
  while (end > 0 && groups[end - 1] === 0) end -= 1;
  return `${groups.slice(0, end).map((g) => g.toString(16)).join(':')}::/${SUBNET_PREFIX}`;
}

/** The /64 index of `cidr` inside `vpcBlock`, or undefined when it is not a /64 of that block. */
function indexIn(vpcBlock: { first64: bigint; prefix: number }, cidr: string): bigint | undefined {
  const block = networkBits(cidr);
  if (!block || block.prefix !== SUBNET_PREFIX) return undefined;
  const span = BigInt(SUBNET_PREFIX - vpcBlock.prefix);
  return block.first64 >> span === vpcBlock.first64 >> span ? block.first64 - vpcBlock.first64 : undefined;
}

/**
 * `count` free /64 blocks of `vpcBlock`, lowest first, skipping every block in `used` (the VPC's
 * other subnets); undefined when the VPC block is not a valid prefix of /64 or shorter or is full.
 */
export function freeSubnetBlocks(vpcBlock: string, used: string[], count: number): string[] | undefined {
  const vpc = networkBits(vpcBlock);
  if (!vpc || vpc.prefix > SUBNET_PREFIX) return undefined;
  const aligned = { first64: (vpc.first64 >> BigInt(SUBNET_PREFIX - vpc.prefix)) << BigInt(SUBNET_PREFIX - vpc.prefix), prefix: vpc.prefix };
  const taken = new Set(used.map((cidr) => indexIn(aligned, cidr)).filter((index): index is bigint => index !== undefined));
  const size = 1n << BigInt(SUBNET_PREFIX - vpc.prefix);
  const blocks: string[] = [];
  for (let index = 0n; index < size && blocks.length < count; index += 1n) {
    if (!taken.has(index)) blocks.push(blockText(aligned.first64 + index));
  }
  return blocks.length === count ? blocks : undefined;
}

/** Whether two IPv6 prefixes share any address. */
export function ipv6Overlaps(a: string, b: string): boolean {
  const left = parseIpv6Cidr(a);
  const right = parseIpv6Cidr(b);
  if (!left || !right) return false;
  const prefix = Math.min(left.prefix, right.prefix);
  const bits = (groups: number[]) => groups.reduce((value, group) => (value << 16n) | BigInt(group), 0n) >> BigInt(128 - prefix);
  return bits(left.groups) === bits(right.groups);
}

/** Whether `inner` lies within `outer`. */
export function ipv6Contains(outer: string, inner: string): boolean {
  const o = parseIpv6Cidr(outer);
  const i = parseIpv6Cidr(inner);
  return o !== undefined && i !== undefined && i.prefix >= o.prefix && ipv6Overlaps(outer, inner);
}
