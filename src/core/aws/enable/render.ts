/** A plan in words (markdown-friendly) and as AWS CLI commands for change control. */
import type { IpPermission } from '@aws-sdk/client-ec2';
import { natUsageText } from '../natText';
import type { GatewayRef, Plan, ReplaceRouteStep, Step } from './types';
import { shellWord } from '../../report/shellWord';

export function egressText(permission: IpPermission): string {
  const protocol = permission.IpProtocol ?? '-1';
  const cidrs = (permission.Ipv6Ranges ?? []).map((r) => r.CidrIpv6).join(', ');
  if (protocol === '-1') return `all traffic to ${cidrs}`;
  const ports = permission.FromPort === permission.ToPort ? `port ${permission.FromPort}` : `ports ${permission.FromPort}-${permission.ToPort}`;
  return `${protocol.toUpperCase()} ${ports} to ${cidrs}`;
}

function gatewayText(ref: GatewayRef): string {
  return 'existing' in ref ? ref.existing : `the new egress-only internet gateway of ${ref.createdInVpc}`;
}

function tableText(step: { routeTableId: string; mainTable: boolean; otherSubnets: string[] }): string {
  const shared: string[] = [];
  if (step.mainTable) shared.push("the VPC's main table, used by every subnet without a table of its own");
  if (step.otherSubnets.length > 0) shared.push(`also used by ${step.otherSubnets.length === 1 ? 'subnet' : 'subnets'} ${step.otherSubnets.join(', ')}`);
  return `route table ${step.routeTableId}${shared.length > 0 ? ` (shared: ${shared.join('; ')})` : ''}`;
}

/** One line per step, as the plan and the apply summary show it. */
export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'associate-vpc-cidr':
      return `Add an Amazon-provided IPv6 /56 block to ${step.vpcId} (and wait until it is associated)`;
    case 'associate-subnet-cidr':
      return `Add IPv6 block ${step.ipv6CidrBlock ?? `the first free /64 of ${step.vpcId}'s new block`} to subnet ${step.subnetId} (and wait until it is associated)`;
    case 'create-eigw':
      return `Create an egress-only internet gateway in ${step.vpcId}`;
    case 'create-route':
      return `Add route ::/0 → ${gatewayText(step.eigw)} to ${tableText(step)}`;
    case 'replace-route':
      return `Replace route ::/0 → ${step.currentTarget} by ::/0 → ${gatewayText(step.eigw)} in ${tableText(step)}`;
    case 'authorize-egress': {
      const how = step.variant === 'https' ? 'HTTPS only' : 'mirrors its IPv4 egress';
      const name = step.groupName === step.groupId ? step.groupId : `${step.groupName} (${step.groupId})`;
      return `Add IPv6 egress to security group ${name}: ${step.permissions.map(egressText).join('; ')} (${how})`;
    }
    case 'update-function':
      return `Set Ipv6AllowedForDualStack ${step.previousIpv6} → ${step.ipv6} on function ${step.functionName} (subnets ${step.subnetIds.join(', ')} and security groups ${step.securityGroupIds.join(', ')} re-sent unchanged; only if still at revision ${step.revisionId})`;
  }
}

function withheldText(step: ReplaceRouteStep): string {
  return `${describeStep(step)}: needs the separate confirmation to replace existing ::/0 routes`;
}

export function formatPlan(plan: Plan): string {
  const where = [plan.target.region, plan.target.profile ? `profile ${plan.target.profile}` : undefined].filter(Boolean).join(', ');
  const lines: string[] = [`${plan.options.enable ? 'Enable' : 'Disable'} IPv6 for Lambda functions in ${where}`, ''];
  if (plan.steps.length > 0) {
    lines.push('Changes, in this order:');
    plan.steps.forEach((step, i) => lines.push(`${i + 1}. ${describeStep(step)}`));
    lines.push('');
  } else {
    lines.push('No changes.', '');
  }
  if (plan.nat) {
    const { nat } = plan;
    lines.push(`NAT gateways these functions use for IPv4 egress (data processing, last ${nat.days} days; at most what IPv6 can save, since IPv4-only destinations keep using them):`);
    for (const gateway of nat.gateways) lines.push(`- ${gateway.natGatewayId} (${gateway.functions.join(', ')}): ${natUsageText(gateway, nat.days, nat.pricePerGb)}`);
    if (nat.note) lines.push(`- ${nat.note}`);
    lines.push('');
  }
  if (plan.withheld.length > 0) {
    lines.push('Not included:');
    for (const step of plan.withheld) lines.push(`- ${withheldText(step)}`);
    lines.push('');
  }
  for (const [status, heading] of [['refused', 'Refused'], ['nothing-to-do', 'Nothing to do']] as const) {
    const functions = plan.functions.filter((f) => f.status === status);
    if (functions.length === 0) continue;
    lines.push(`${heading}:`);
    for (const fn of functions) for (const reason of fn.reasons) lines.push(`- ${fn.name}: ${reason}`);
    lines.push('');
  }
  const notes = plan.functions.flatMap((fn) => (fn.notes ?? []).map((note) => `- ${fn.name}: ${note}`));
  if (notes.length > 0) lines.push('Notes:', ...notes, '');
  const warnings = plan.functions.flatMap((fn) => fn.warnings.map((warning) => `- ${fn.name}: ${warning}`));
  if (warnings.length > 0) lines.push('Warnings:', ...warnings, '');
  return lines.join('\n').trimEnd();
}

/** Quotes a word for POSIX shells when it needs it. */
function eigwVariable(vpcId: string): string {
  return `EIGW_${vpcId.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}`;
}

function permissionShorthand(permission: IpPermission): string {
  const protocol = permission.IpProtocol ?? '-1';
  const ports = protocol === '-1' ? '' : `,FromPort=${permission.FromPort},ToPort=${permission.ToPort}`;
  const ranges = (permission.Ipv6Ranges ?? []).map((r) => `{CidrIpv6=${r.CidrIpv6}}`).join(',');
  return `IpProtocol=${protocol}${ports},Ipv6Ranges=[${ranges}]`;
}

/** The plan's steps as AWS CLI commands (POSIX shell), one per step, in order. */
export function toAwsCliCommands(plan: Plan): string[] {
  const { region, profile, endpointUrl } = plan.target;
  const common = [`--region ${shellWord(region)}`, ...(profile ? [`--profile ${shellWord(profile)}`] : []), ...(endpointUrl ? [`--endpoint-url ${shellWord(endpointUrl)}`] : [])].join(' ');
  const gateway = (ref: GatewayRef) => ('existing' in ref ? ref.existing : `"$${eigwVariable(ref.createdInVpc)}"`);
  return plan.steps.map((step) => {
    switch (step.kind) {
      case 'associate-vpc-cidr':
        return `aws ec2 associate-vpc-cidr-block --vpc-id ${step.vpcId} --amazon-provided-ipv6-cidr-block ${common}`;
      case 'associate-subnet-cidr':
        return `aws ec2 associate-subnet-cidr-block --subnet-id ${step.subnetId} --ipv6-cidr-block ${shellWord(step.ipv6CidrBlock ?? `<the first free /64 of ${step.vpcId}'s new block>`)} ${common}`;
      case 'create-eigw':
        return `${eigwVariable(step.vpcId)}=$(aws ec2 create-egress-only-internet-gateway --vpc-id ${step.vpcId} --query EgressOnlyInternetGateway.EgressOnlyInternetGatewayId --output text ${common})`;
      case 'create-route':
        return `aws ec2 create-route --route-table-id ${step.routeTableId} --destination-ipv6-cidr-block ::/0 --egress-only-internet-gateway-id ${gateway(step.eigw)} ${common}`;
      case 'replace-route':
        return `aws ec2 replace-route --route-table-id ${step.routeTableId} --destination-ipv6-cidr-block ::/0 --egress-only-internet-gateway-id ${gateway(step.eigw)} ${common}`;
      case 'authorize-egress':
        return `aws ec2 authorize-security-group-egress --group-id ${step.groupId} --ip-permissions ${step.permissions.map((p) => shellWord(permissionShorthand(p))).join(' ')} ${common}`;
      case 'update-function': {
        const vpcConfig = `SubnetIds=${step.subnetIds.join(',')},SecurityGroupIds=${step.securityGroupIds.join(',')},Ipv6AllowedForDualStack=${step.ipv6}`;
        return `aws lambda update-function-configuration --function-name ${shellWord(step.functionName)} --vpc-config ${shellWord(vpcConfig)} --revision-id ${step.revisionId} ${common}`;
      }
    }
  });
}
