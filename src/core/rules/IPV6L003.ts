import type { Finding } from '../model/findings';
import type { RuleDefinition } from './rule';
import { fix, knownSubnets, names, plural, withFixes } from './rule';

export const IPV6L003: RuleDefinition = {
  id: 'IPV6L003',
  defaultSeverity: 'error',
  title: 'Function in an IPv6-only subnet',
  description: 'Lambda does not support IPv6-only (IPv6-native) subnets; the function must use dual-stack or IPv4 subnets.',
  check({ graph, query, fixes }) {
    const findings: Finding[] = [];
    for (const fn of graph.functions) {
      const ipv6Only = knownSubnets(fn, query).filter((subnet) => subnet.ipv6Native === true);
      if (ipv6Only.length === 0) continue;
      findings.push(
        withFixes(
          {
            rule: 'IPV6L003',
            severity: 'error',
            message: `Function ${fn.name} is attached to IPv6-only ${plural(ipv6Only.length, 'subnet', 'subnets')} ${names(ipv6Only)}: Lambda supports only dual-stack or IPv4 subnets.`,
            loc: fn.vpcConfigLoc ?? fn.loc,
            subject: fn.key,
            related: ipv6Only.flatMap((subnet) => (subnet.loc ? [{ loc: subnet.loc, message: `IPv6-only subnet ${subnet.name}` }] : [])),
          },
          () => fn.ipv6Flag === true ? fix(`Set Ipv6AllowedForDualStack to false on ${fn.name}`, false, fixes.setFlag(fn, false)) : [],
        ),
      );
    }
    return findings;
  },
};
