import type { EgressRule, LambdaFunction, SecurityGroup } from '../model/graph';
import { isKnown } from '../model/graph';
import type { Finding, Fix } from '../model/findings';
import type { FixBuilder } from '../model/fixes';
import type { GraphQuery } from '../model/query';
import type { RuleDefinition } from './rule';
import { fix, names, plural, withFixes } from './rule';

/** A rule that allows, or might allow, IPv6 traffic out. */
function mayAllowIpv6(rule: EgressRule): boolean {
  // Security-group and prefix-list targets apply to IPv6 addresses too.
  return rule.ipv6Cidrs.length > 0 || rule.otherTargets === true;
}

/** Every attached group with its complete egress, when all of that is known. */
function groupsWithKnownEgress(fn: LambdaFunction, query: GraphQuery): SecurityGroup[] | undefined {
  if (!isKnown(fn.securityGroups) || fn.securityGroups.length === 0) return undefined;
  const groups: SecurityGroup[] = [];
  for (const entry of fn.securityGroups) {
    const group = isKnown(entry) ? query.securityGroup(entry) : undefined;
    if (!group || !isKnown(group.egress)) return undefined;
    groups.push(group);
  }
  return groups;
}

/** Mirroring the IPv4 egress is preferred on one group, as one group allowing IPv6 is enough; HTTPS only is offered. */
function egressFixes(groups: SecurityGroup[], fixes: FixBuilder): Fix[] {
  const mirror: Fix[] = [];
  const https: Fix[] = [];
  for (const group of groups) {
    mirror.push(...fix(`Add IPv6 egress to security group ${group.name} mirroring its IPv4 egress`, mirror.length === 0, fixes.addIpv6Egress(group, 'mirror')));
    https.push(...fix(`Add IPv6 HTTPS egress (TCP 443 to ::/0) to security group ${group.name}`, false, fixes.addIpv6Egress(group, 'https')));
  }
  return [...mirror, ...https];
}

export const IPV6S001: RuleDefinition = {
  id: 'IPV6S001',
  defaultSeverity: 'warning',
  title: 'Security groups allow no IPv6 egress',
  description: 'The function allows IPv6 but none of its security groups allows IPv6 egress, so its IPv6 connections are dropped.',
  check({ graph, query, fixes }) {
    const findings: Finding[] = [];
    for (const fn of graph.functions) {
      if (fn.ipv6Flag !== true) continue;
      const groups = groupsWithKnownEgress(fn, query);
      if (!groups || groups.some((group) => isKnown(group.egress) && group.egress.some(mayAllowIpv6))) continue;
      findings.push(
        withFixes(
          {
            rule: 'IPV6S001',
            severity: 'warning',
            message: `Function ${fn.name} allows IPv6 but its security ${plural(groups.length, 'group', 'groups')} ${names(groups)} ${plural(groups.length, 'allows', 'allow')} no IPv6 egress: its IPv6 connections are dropped.`,
            loc: fn.securityGroupsLoc ?? fn.vpcConfigLoc ?? fn.loc,
            subject: fn.key,
            related: groups.flatMap((group) => (group.loc ? [{ loc: group.loc, message: `Security group ${group.name} has no IPv6 egress` }] : [])),
          },
          () => egressFixes(groups, fixes),
        ),
      );
    }
    return findings;
  },
};
