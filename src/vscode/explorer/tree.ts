import * as vscode from 'vscode';
import { OPEN_RULE_PAGE_COMMAND } from '../rulePages';
import type { FindingView, FunctionStatus, FunctionView, NatGatewayView, RegionView, SecurityGroupView, SubnetView } from '../../core/aws/functionViews';
import { DEFAULT_NAT_PRICE_PER_GB, natUsageText } from '../../core/aws/natText';

/** An account of the view's top level, when several profiles are read. */
export interface AccountRow {
  profile?: string;
  /** From STS; undefined until known or when it could not be read. */
  accountId?: string;
  /** From IAM; undefined when the account has none or the call was refused. */
  alias?: string;
  /** Why the account could not be read at all. */
  error?: string;
}

export type Node =
  | { kind: 'endpoint'; url: string }
  | { kind: 'account'; account: AccountRow }
  | { kind: 'loading'; region: string; profile?: string }
  | { kind: 'region'; region: RegionView }
  | { kind: 'regionError'; region: RegionView }
  | { kind: 'vpc'; region: string; vpcId: string; functions: FunctionView[] }
  | { kind: 'function'; fn: FunctionView }
  | { kind: 'group'; fn: FunctionView; group: 'subnets' | 'securityGroups' | 'findings' }
  | { kind: 'subnet'; fn: FunctionView; subnet: SubnetView }
  | { kind: 'securityGroup'; fn: FunctionView; group: SecurityGroupView }
  | { kind: 'finding'; fn: FunctionView; finding: FindingView }
  | { kind: 'nat'; region: RegionView; gateway: NatGatewayView }
  | { kind: 'message'; text: string; detail?: string };

export interface Filter {
  text?: string;
  statuses?: FunctionStatus[];
}

const statusIcons: Record<FunctionStatus, [string, string | undefined]> = {
  enabled: ['pass-filled', 'testing.iconPassed'],
  'enabled-incomplete': ['warning', 'list.warningForeground'],
  ready: ['arrow-circle-up', 'charts.blue'],
  'ipv4-only': ['circle-outline', undefined],
  invalid: ['error', 'list.errorForeground'],
  'no-vpc': ['globe', 'disabledForeground'],
  'managed-instances': ['server-environment', 'disabledForeground'],
  unknown: ['question', 'disabledForeground'],
};

function icon(status: FunctionStatus): vscode.ThemeIcon {
  const [id, color] = statusIcons[status];
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

function functionTooltip(fn: FunctionView, pricePerGb: number): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${fn.name}** — $(${statusIcons[fn.status][0]}) ${fn.statusWords}\n\n`);
  if (fn.reason) md.appendMarkdown(`${fn.reason}\n\n`);
  md.appendMarkdown(`\`${fn.arn}\`\n\n`);
  if (fn.vpcId) {
    md.appendMarkdown(`VPC \`${fn.vpcId}\` · Ipv6AllowedForDualStack: **${fn.ipv6Flag}**\n\n`);
    md.appendMarkdown(`| Subnet | Dual-stack | \`::/0\` → |\n|---|---|---|\n`);
    for (const subnet of fn.subnets) {
      md.appendMarkdown(`| \`${subnet.id}\` | ${yesNo(subnet.dualStack)}${subnet.ipv6Native ? ' (IPv6-only)' : ''} | ${subnet.ipv6DefaultRoute ?? '—'} |\n`);
    }
  }
  for (const finding of fn.findings) md.appendMarkdown(`\n- [${finding.rule}](${finding.docsUrl}) ${escape(finding.message)}`);
  for (const gateway of fn.natGateways ?? []) {
    md.appendMarkdown(`\n\nIPv4 egress through NAT gateway \`${gateway.id}\`: ${escape(natUsageText(gateway, gateway.days, pricePerGb))} of data processing (all its traffic; at most what IPv6 can save)`);
  }
  return md;
}

function natTooltip(gateway: NatGatewayView, note: string | undefined, pricePerGb: number): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**NAT gateway \`${gateway.id}\`**\n\n`);
  md.appendMarkdown(note ? `${escape(note)}\n\n` : `${escape(natUsageText(gateway, gateway.days, pricePerGb))} of data processing (BytesOutToDestination + BytesInFromDestination), on top of its hourly charge.\n\n`);
  md.appendMarkdown(`Used for IPv4 egress by ${gateway.functions.map((name) => `\`${name}\``).join(', ')}. This is an upper bound of what IPv6 can save: traffic to IPv4-only destinations keeps using the NAT gateway. Price per GB: setting \`ipv6Lambda.natPricePerGb\`.`);
  return md;
}

function yesNo(value: boolean | undefined): string {
  return value === undefined ? 'unknown' : value ? 'yes' : 'no';
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

function subnetDescription(subnet: SubnetView): string {
  const kind = subnet.ipv6Native ? 'IPv6-only' : subnet.dualStack === undefined ? 'unknown' : subnet.dualStack ? 'dual-stack' : 'IPv4-only';
  const parts = [kind];
  if (subnet.ipv6Cidr) parts.push(subnet.ipv6Cidr);
  parts.push(subnet.ipv6DefaultRoute ? `::/0 → ${subnet.ipv6DefaultRoute}` : 'no ::/0 route');
  return parts.join(' · ');
}

function matches(fn: FunctionView, filter: Filter): boolean {
  if (filter.text && !fn.name.toLowerCase().includes(filter.text.toLowerCase())) return false;
  if (filter.statuses?.length && !filter.statuses.includes(fn.status)) return false;
  return true;
}

/** The Functions view: region → (VPC →) function → subnets, security groups, findings. */
export class FunctionsTree implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private regions: (RegionView | { region: string; loading: true; profile?: string })[] = [];
  private endpointUrl: string | undefined;
  /** Several profiles: the accounts, as the top level; undefined for one profile (regions at the top). */
  private accounts: AccountRow[] | undefined;
  filter: Filter = {};
  groupByVpc = false;
  /** USD per GB of NAT data processing (setting ipv6Lambda.natPricePerGb). */
  natPricePerGb = DEFAULT_NAT_PRICE_PER_GB;

  show(regions: (RegionView | { region: string; loading: true; profile?: string })[], endpointUrl: string | undefined, accounts?: AccountRow[]): void {
    this.regions = regions;
    this.endpointUrl = endpointUrl;
    this.accounts = accounts;
    this.changed.fire(undefined);
  }

  private regionNodes(profile: string | undefined, all: boolean): Node[] {
    return this.regions
      .filter((region) => all || region.profile === profile)
      .map((region): Node => ('loading' in region ? { kind: 'loading', region: region.region, profile: region.profile } : region.error ? { kind: 'regionError', region } : { kind: 'region', region }));
  }

  refreshView(): void {
    this.changed.fire(undefined);
  }

  get loaded(): RegionView[] {
    return this.regions.filter((region): region is RegionView => !('loading' in region));
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      const roots: Node[] = [];
      if (this.endpointUrl) roots.push({ kind: 'endpoint', url: this.endpointUrl });
      if (this.accounts) return [...roots, ...this.accounts.map((account): Node => ({ kind: 'account', account }))];
      return [...roots, ...this.regionNodes(undefined, true)];
    }
    switch (node.kind) {
      case 'account':
        return node.account.error ? [] : this.regionNodes(node.account.profile, false);
      case 'region': {
        const functions = node.region.functions.filter((fn) => matches(fn, this.filter));
        if (functions.length === 0) {
          const text = node.region.functions.length === 0 ? 'No Lambda functions in this region' : 'No function matches the filter';
          return [{ kind: 'message', text }];
        }
        const nats: Node[] = (node.region.natGateways ?? []).map((gateway) => ({ kind: 'nat', region: node.region, gateway }));
        if (!this.groupByVpc) return [...functions.map((fn): Node => ({ kind: 'function', fn })), ...nats];
        const byVpc = new Map<string, FunctionView[]>();
        for (const fn of functions) byVpc.set(fn.vpcId ?? 'no VPC', [...(byVpc.get(fn.vpcId ?? 'no VPC') ?? []), fn]);
        // Functions outside any VPC come last.
        const order = ([a]: [string, FunctionView[]], [b]: [string, FunctionView[]]) => Number(a === 'no VPC') - Number(b === 'no VPC') || a.localeCompare(b);
        return [...[...byVpc].sort(order).map(([vpcId, fns]): Node => ({ kind: 'vpc', region: node.region.region, vpcId, functions: fns })), ...nats];
      }
      case 'vpc':
        return node.functions.map((fn) => ({ kind: 'function', fn }));
      case 'function': {
        const groups: Node[] = [];
        if (node.fn.subnets.length) groups.push({ kind: 'group', fn: node.fn, group: 'subnets' });
        if (node.fn.securityGroups.length) groups.push({ kind: 'group', fn: node.fn, group: 'securityGroups' });
        if (node.fn.findings.length) groups.push({ kind: 'group', fn: node.fn, group: 'findings' });
        if (node.fn.reason) groups.push({ kind: 'message', text: node.fn.reason });
        return groups;
      }
      case 'group':
        if (node.group === 'subnets') return node.fn.subnets.map((subnet) => ({ kind: 'subnet', fn: node.fn, subnet }));
        if (node.group === 'securityGroups') return node.fn.securityGroups.map((group) => ({ kind: 'securityGroup', fn: node.fn, group }));
        return node.fn.findings.map((finding) => ({ kind: 'finding', fn: node.fn, finding }));
      default:
        return [];
    }
  }

  /** Lets the view reveal a function (and what it contains) from anywhere. */
  getParent(node: Node): Node | undefined {
    switch (node.kind) {
      case 'region':
      case 'regionError': {
        const account = this.accounts?.find((candidate) => candidate.profile === node.region.profile);
        return account ? { kind: 'account', account } : undefined;
      }
      case 'function': {
        const region = this.loaded.find((candidate) => candidate.region === node.fn.region && candidate.profile === node.fn.profile);
        if (!region) return undefined;
        if (!this.groupByVpc) return { kind: 'region', region };
        const functions = region.functions.filter((fn) => (fn.vpcId ?? 'no VPC') === (node.fn.vpcId ?? 'no VPC') && matches(fn, this.filter));
        return { kind: 'vpc', region: region.region, vpcId: node.fn.vpcId ?? 'no VPC', functions };
      }
      case 'vpc': {
        const region = this.loaded.find((candidate) => candidate.region === node.region && candidate.profile === node.functions[0]?.profile);
        return region ? { kind: 'region', region } : undefined;
      }
      case 'nat':
        return { kind: 'region', region: node.region };
      case 'group':
        return { kind: 'function', fn: node.fn };
      case 'subnet':
        return { kind: 'group', fn: node.fn, group: 'subnets' };
      case 'securityGroup':
        return { kind: 'group', fn: node.fn, group: 'securityGroups' };
      case 'finding':
        return { kind: 'group', fn: node.fn, group: 'findings' };
      default:
        return undefined;
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const None = vscode.TreeItemCollapsibleState.None;
    const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    const Expanded = vscode.TreeItemCollapsibleState.Expanded;
    switch (node.kind) {
      case 'endpoint': {
        const item = new vscode.TreeItem('Endpoint', None);
        item.description = node.url;
        item.tooltip = `Every AWS call goes to ${node.url} (setting ipv6Lambda.endpointUrl).`;
        item.iconPath = new vscode.ThemeIcon('plug');
        item.contextValue = 'endpoint';
        return item;
      }
      case 'account': {
        const { account } = node;
        const name = account.alias ?? account.accountId ?? (account.error ? 'Account not read' : 'Account…');
        const item = new vscode.TreeItem(name, account.error ? None : Expanded);
        item.id = `account:${account.profile ?? ''}`;
        item.description = account.error ?? `${account.alias && account.accountId ? `${account.accountId} · ` : ''}profile ${account.profile ?? 'default'}`;
        if (account.error) item.tooltip = new vscode.MarkdownString(`**Could not read profile ${escape(account.profile ?? 'default')}**\n\n${escape(account.error)}`);
        item.iconPath = new vscode.ThemeIcon(account.error ? 'error' : 'account', account.error ? new vscode.ThemeColor('list.errorForeground') : undefined);
        item.contextValue = account.error ? 'accountError' : 'account';
        return item;
      }
      case 'loading': {
        const item = new vscode.TreeItem(node.region, None);
        item.description = 'loading…';
        item.iconPath = new vscode.ThemeIcon('loading~spin');
        return item;
      }
      case 'region': {
        const item = new vscode.TreeItem(node.region.region, this.regions.length === 1 ? Expanded : Collapsed);
        item.id = `region:${node.region.profile ?? ''}:${node.region.region}`;
        item.description = node.region.summary;
        item.iconPath = new vscode.ThemeIcon('globe');
        item.contextValue = 'region';
        return item;
      }
      case 'regionError': {
        const item = new vscode.TreeItem(node.region.region, None);
        item.description = node.region.error!.message;
        item.tooltip = new vscode.MarkdownString(`**Could not read ${node.region.region}**\n\n${escape(node.region.error!.message)}${node.region.error!.hint ? `\n\n${escape(node.region.error!.hint)}` : ''}`);
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
        item.contextValue = 'regionError';
        return item;
      }
      case 'nat': {
        const item = new vscode.TreeItem(`NAT gateway ${node.gateway.id}`, None);
        item.id = `nat:${node.region.region}:${node.gateway.id}`;
        item.description = node.gateway.bytes === undefined ? 'bytes processed unknown' : natUsageText(node.gateway, node.gateway.days, this.natPricePerGb);
        item.tooltip = natTooltip(node.gateway, node.region.natNote, this.natPricePerGb);
        item.iconPath = new vscode.ThemeIcon('arrow-swap');
        item.contextValue = 'nat';
        return item;
      }
      case 'vpc': {
        const item = new vscode.TreeItem(node.vpcId, Expanded);
        item.id = `vpc:${node.region}:${node.vpcId}`;
        item.description = `${node.functions.length} function${node.functions.length === 1 ? '' : 's'}`;
        item.iconPath = new vscode.ThemeIcon('type-hierarchy');
        // A VPC with functions in IPv4-only subnets offers the network migration.
        item.contextValue = node.functions.some((fn) => fn.status === 'ipv4-only') ? 'vpc.migratable' : 'vpc';
        return item;
      }
      case 'function': {
        const item = new vscode.TreeItem(node.fn.name, node.fn.subnets.length || node.fn.findings.length || node.fn.reason ? Collapsed : None);
        item.id = `fn:${node.fn.arn}`;
        item.description = node.fn.statusWords;
        item.tooltip = functionTooltip(node.fn, this.natPricePerGb);
        item.iconPath = icon(node.fn.status);
        item.contextValue = `function.${node.fn.status}`;
        return item;
      }
      case 'group': {
        const labels = { subnets: 'Subnets', securityGroups: 'Security groups', findings: 'Findings' };
        const count = node.group === 'subnets' ? node.fn.subnets.length : node.group === 'securityGroups' ? node.fn.securityGroups.length : node.fn.findings.length;
        const item = new vscode.TreeItem(labels[node.group], node.group === 'findings' ? Expanded : Collapsed);
        item.id = `${node.group}:${node.fn.arn}`;
        item.description = String(count);
        item.iconPath = new vscode.ThemeIcon(node.group === 'subnets' ? 'symbol-namespace' : node.group === 'securityGroups' ? 'shield' : 'list-unordered');
        return item;
      }
      case 'subnet': {
        const item = new vscode.TreeItem(node.subnet.id, None);
        item.description = subnetDescription(node.subnet);
        item.tooltip = new vscode.MarkdownString(
          [`**${node.subnet.id}**`, `IPv4: ${node.subnet.ipv4Cidr ?? '—'}`, `IPv6: ${node.subnet.ipv6Cidr ?? '—'}`, `Route table: ${node.subnet.routeTableId ?? 'unknown'}`, `::/0 → ${node.subnet.ipv6DefaultRoute ?? 'none'}`].join('\n\n'),
        );
        item.iconPath = new vscode.ThemeIcon(node.subnet.dualStack ? 'check' : 'circle-slash');
        return item;
      }
      case 'securityGroup': {
        const item = new vscode.TreeItem(node.group.id, None);
        item.description = `${node.group.name ? `${node.group.name} · ` : ''}IPv6 egress: ${yesNo(node.group.ipv6Egress)}`;
        item.iconPath = new vscode.ThemeIcon(node.group.ipv6Egress ? 'check' : 'circle-slash');
        return item;
      }
      case 'finding': {
        const item = new vscode.TreeItem(node.finding.rule, None);
        item.description = node.finding.title;
        item.tooltip = new vscode.MarkdownString(`**${node.finding.rule}** (${node.finding.severity})\n\n${escape(node.finding.message)}\n\n[Rule documentation](${node.finding.docsUrl})`);
        item.iconPath = new vscode.ThemeIcon(node.finding.severity === 'error' ? 'error' : node.finding.severity === 'warning' ? 'warning' : 'info');
        item.command = { command: OPEN_RULE_PAGE_COMMAND, title: 'Open rule page', arguments: [node.finding.rule] };
        item.contextValue = 'finding';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, None);
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
    }
  }
}
