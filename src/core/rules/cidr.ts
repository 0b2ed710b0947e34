/** CIDR comparisons that do not depend on how a prefix is spelled (`::/0` = `0:0:0:0:0:0:0:0/0`). */

function ipv6Groups(address: string): number[] | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups = part.split(':').map((group) => (/^[0-9a-f]{1,4}$/i.test(group) ? parseInt(group, 16) : NaN));
    return groups.some(Number.isNaN) ? undefined : groups;
  };
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  return missing >= 1 ? [...head, ...new Array<number>(missing).fill(0), ...tail] : undefined;
}

interface Ipv6Cidr {
  groups: number[];
  prefix: number;
}

export function parseIpv6Cidr(cidr: string): Ipv6Cidr | undefined {
  const [address, prefixText, ...rest] = cidr.trim().split('/');
  if (rest.length > 0 || prefixText === undefined || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const groups = ipv6Groups(address);
  return groups && prefix <= 128 ? { groups, prefix } : undefined;
}

/** Written as an IPv6 prefix (whether or not it is well formed). */
export function isIpv6Destination(cidr: string): boolean {
  return cidr.includes(':');
}

export function isIpv6DefaultRoute(cidr: string): boolean {
  const parsed = parseIpv6Cidr(cidr);
  return parsed !== undefined && parsed.prefix === 0;
}

/** NAT64's well-known prefix `64:ff9b::/96`, the one IPv6 destination a NAT gateway serves. */
export function isNat64Prefix(cidr: string): boolean {
  const parsed = parseIpv6Cidr(cidr);
  if (!parsed || parsed.prefix !== 96) return false;
  const expected = [0x64, 0xff9b, 0, 0, 0, 0];
  return expected.every((group, index) => parsed.groups[index] === group);
}

export function isIpv4DefaultRoute(cidr: string): boolean {
  const [address, prefix, ...rest] = cidr.trim().split('/');
  return rest.length === 0 && prefix !== undefined && /^0+$/.test(prefix) && /^0+\.0+\.0+\.0+$/.test(address);
}

/**
 * Whether a route for this destination carries (part of) NAT64's `64:ff9b::/96`, other than the
 * default route: `64:ff9b::/96` itself, or a shorter prefix that contains it.
 */
export function coversNat64Prefix(cidr: string): boolean {
  const parsed = parseIpv6Cidr(cidr);
  if (!parsed || parsed.prefix === 0 || parsed.prefix > 96) return false;
  const nat64 = [0x64, 0xff9b, 0, 0, 0, 0];
  for (let bit = 0; bit < parsed.prefix; bit++) {
    const group = bit >> 4;
    const mask = 0x8000 >> (bit & 15);
    if ((parsed.groups[group] & mask) !== (nat64[group] & mask)) return false;
  }
  return true;
}
