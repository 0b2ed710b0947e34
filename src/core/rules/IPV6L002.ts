import type { LambdaFunction, Subnet } from '../model/graph';
import { isKnown } from '../model/graph';
import type { Finding, Fix } from '../model/findings';
import type { RuleContext, RuleDefinition } from './rule';
import { fix, knownSubnets, names, plural, withFixes } from './rule';

/** Set the flag false, or make each IPv4-only subnet (CDK: its VPC) dual-stack. */
function offeredFixes(fn: LambdaFunction, ipv4Only: Subnet[], { query, fixes }: RuleContext): Fix[] {
  const offered: Fix[] = [...fix(`Set Ipv6AllowedForDualStack to false on ${fn.name}`, false, fixes.setFlag(fn, false))];
  const madeDualStack = new Set<string>();
  for (const subnet of ipv4Only) {
    const subnetFix = fixes.makeDualStack(subnet.key);
    if (subnetFix) {
      offered.push(...fix(`Make subnet ${subnet.name} dual-stack`, false, subnetFix));
      continue;
    }
    // CDK defines the network on the VPC: its subnets become dual-stack with it.
    if (!isKnown(subnet.vpc) || madeDualStack.has(subnet.vpc)) continue;
    madeDualStack.add(subnet.vpc);
    const vpcName = query.vpc(subnet.vpc)?.name ?? subnet.vpc;
    offered.push(...fix(`Make VPC ${vpcName} dual-stack`, false, fixes.makeDualStack(subnet.vpc)));
  }
  return offered;
}

export const IPV6L002: RuleDefinition = {
  id: 'IPV6L002',
  defaultSeverity: 'error',
  title: 'IPv6 allowed in a subnet without IPv6',
  description: 'Ipv6AllowedForDualStack is true but an attached subnet has no IPv6 CIDR block, which AWS rejects.',
  check(context) {
    const { graph, query } = context;
    const findings: Finding[] = [];
    for (const fn of graph.functions) {
      if (fn.ipv6Flag !== true) continue;
      const ipv4Only = knownSubnets(fn, query).filter((subnet) => subnet.ipv6 === false);
      if (ipv4Only.length === 0) continue;
      findings.push(
        withFixes(
          {
            rule: 'IPV6L002',
            severity: 'error',
            message: `Function ${fn.name} sets Ipv6AllowedForDualStack to true but ${plural(ipv4Only.length, 'subnet', 'subnets')} ${names(ipv4Only)} ${plural(ipv4Only.length, 'has', 'have')} no IPv6 CIDR block: AWS rejects this configuration.`,
            loc: fn.flagLoc ?? fn.vpcConfigLoc ?? fn.loc,
            subject: fn.key,
            related: ipv4Only.flatMap((subnet) => (subnet.loc ? [{ loc: subnet.loc, message: `Subnet ${subnet.name} has no IPv6 CIDR block` }] : [])),
          },
          () => offeredFixes(fn, ipv4Only, context),
        ),
      );
    }
    return findings;
  },
};
