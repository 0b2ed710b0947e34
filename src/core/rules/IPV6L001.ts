import { isKnown } from '../model/graph';
import type { Finding } from '../model/findings';
import type { RuleDefinition } from './rule';
import { allSubnets, fix, isKnownDualStack, names, plural, withFixes } from './rule';

export const IPV6L001: RuleDefinition = {
  id: 'IPV6L001',
  defaultSeverity: 'warning',
  title: 'Function in dual-stack subnets without IPv6',
  description: 'A VPC function whose subnets are all dual-stack does not set Ipv6AllowedForDualStack, so it cannot reach IPv6 destinations.',
  check({ graph, query, fixes }) {
    const findings: Finding[] = [];
    for (const fn of graph.functions) {
      if (fn.hasVpcConfig !== true || !isKnown(fn.ipv6Flag) || fn.ipv6Flag === true) continue;
      const subnets = allSubnets(fn, query);
      if (!subnets || subnets.length === 0 || !subnets.every(isKnownDualStack)) continue;
      const flagState = fn.ipv6Flag === false ? 'is false' : 'is not set';
      findings.push(
        withFixes(
          {
            rule: 'IPV6L001',
            severity: 'warning',
            message: `Function ${fn.name} is in dual-stack ${plural(subnets.length, 'subnet', 'subnets')} ${names(subnets)} but Ipv6AllowedForDualStack ${flagState}: it cannot reach IPv6 destinations.`,
            loc: fn.vpcConfigLoc ?? fn.loc,
            subject: fn.key,
            related: subnets.flatMap((subnet) => (subnet.loc ? [{ loc: subnet.loc, message: `Dual-stack subnet ${subnet.name}` }] : [])),
          },
          () => fix(`Set Ipv6AllowedForDualStack to true on ${fn.name}`, true, fixes.setFlag(fn, true)),
        ),
      );
    }
    return findings;
  },
};
