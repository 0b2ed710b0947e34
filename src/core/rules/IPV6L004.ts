import { isKnown } from '../model/graph';
import type { Finding } from '../model/findings';
import type { RuleDefinition } from './rule';
import { fix, withFixes } from './rule';

export const IPV6L004: RuleDefinition = {
  id: 'IPV6L004',
  defaultSeverity: 'error',
  title: 'IPv6 allowed on a function without subnets',
  description: 'Ipv6AllowedForDualStack is true on a function that is not attached to any subnet, which AWS rejects.',
  check({ graph, fixes }) {
    const findings: Finding[] = [];
    for (const fn of graph.functions) {
      if (fn.ipv6Flag !== true) continue;
      const noSubnets = fn.hasVpcConfig === false || (fn.hasVpcConfig === true && isKnown(fn.subnets) && fn.subnets.length === 0);
      if (!noSubnets) continue;
      findings.push(
        withFixes(
          {
            rule: 'IPV6L004',
            severity: 'error',
            message: `Function ${fn.name} sets Ipv6AllowedForDualStack to true but is not attached to any subnet: AWS rejects the flag without subnets.`,
            loc: fn.flagLoc ?? fn.vpcConfigLoc ?? fn.loc,
            subject: fn.key,
            related: [],
          },
          () => fix(`Remove Ipv6AllowedForDualStack from ${fn.name}`, true, fixes.removeFlag(fn)),
        ),
      );
    }
    return findings;
  },
};
