import * as vscode from 'vscode';
import type { FunctionStatus, FunctionView, RegionView } from '../../core/aws/functionViews';
import { STATUS_WORDS } from '../../core/status/words';
import { affectsSection, config } from '../config';
import { awsModule } from '../lazy';
import type { Log } from '../log';
import { FunctionsTree, type AccountRow, type Node } from './tree';

const REGION_CONCURRENCY = 4;

export const allStatuses = (Object.entries(STATUS_WORDS) as [FunctionStatus, string][]).map(([status, label]) => ({ status, label }));

/** Loads the account into the Functions view and owns the view's commands. */
export class Explorer implements vscode.Disposable {
  readonly tree = new FunctionsTree();
  readonly view: vscode.TreeView<Node>;
  private readonly disposables: vscode.Disposable[] = [];
  private loading: Promise<void> | undefined;
  private generation = 0;
  private readonly loadedEmitter = new vscode.EventEmitter<RegionView[]>();
  /** Fires when every region of a load has answered. */
  readonly onDidLoad = this.loadedEmitter.event;

  constructor(private readonly log: Log) {
    this.view = vscode.window.createTreeView('ipv6Lambda.functions', { treeDataProvider: this.tree, showCollapseAll: true, canSelectMany: true });
    this.tree.groupByVpc = config.groupByVpc();
    this.tree.natPricePerGb = config.natPricePerGb();
    this.disposables.push(
      this.view,
      this.loadedEmitter,
      // Read the account the first time the view shows; after that only on request, so that
      // switching views does not re-read it (and collapse what the user expanded).
      this.view.onDidChangeVisibility((event) => {
        if (event.visible && !this.loading && this.tree.loaded.length === 0) void this.refresh();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsSection(event, 'natPricePerGb')) {
          this.tree.natPricePerGb = config.natPricePerGb();
          this.tree.refreshView();
        }
        if (affectsSection(event, 'explorer.groupByVpc')) {
          this.tree.groupByVpc = config.groupByVpc();
          this.tree.refreshView();
        }
        if (affectsSection(event, 'profile') || affectsSection(event, 'profiles') || affectsSection(event, 'regions') || affectsSection(event, 'endpointUrl')) void this.refresh();
      }),
    );
    if (this.view.visible) void this.refresh();
  }

  /** The regions to read: the setting, else the profile's region. */
  private async regions(profile: string | undefined = config.profile()): Promise<string[]> {
    const configured = config.regions();
    if (configured.length > 0) return configured;
    const region = await awsModule().defaultRegion(profile);
    return region ? [region] : [];
  }

  /**
   * (Re)reads every region of every profile; regions appear as they answer, each failing on its own.
   * With several profiles the accounts are the top level, each named by its id; one that cannot be
   * read shows its error while the others load. At most REGION_CONCURRENCY region reads at a time.
   */
  refresh(onlyRegion?: string, onlyProfile?: string): Promise<void> {
    const generation = ++this.generation;
    const run = async () => {
      const profiles = config.profiles();
      const several = profiles.length > 1;
      const endpointUrl = config.endpointUrl();
      const regionsByProfile = await Promise.all(profiles.map((profile) => this.regions(profile)));
      if (regionsByProfile.every((regions) => regions.length === 0)) {
        this.tree.show([], endpointUrl);
        this.view.message = 'No region selected: run "IPv6 Lambda: Select Regions…" or set a region for the profile.';
        return;
      }
      this.view.message = several ? `${profiles.length} profiles` : profiles[0] ? `Profile ${profiles[0]}` : undefined;
      const key = (profile: string | undefined, region: string) => `${profile ?? ''}\n${region}`;
      const previous = new Map(this.tree.loaded.map((region) => [key(region.profile, region.region), region]));
      type Entry = RegionView | { region: string; loading: true; profile?: string };
      let state: Entry[] = profiles.flatMap((profile, p) =>
        regionsByProfile[p].map((region): Entry => {
          const kept = onlyRegion !== undefined && !(region === onlyRegion && profile === onlyProfile) ? previous.get(key(profile, region)) : undefined;
          return kept ?? { region, loading: true, profile };
        }),
      );
      const accounts: AccountRow[] | undefined = several ? profiles.map((profile) => ({ profile })) : undefined;
      const show = () => this.tree.show([...state], endpointUrl, accounts?.map((account) => ({ ...account })));
      show();
      const { reportRegion, regionView, accountIdentity } = awsModule();
      if (accounts) {
        await Promise.all(
          accounts.map(async (account, p) => {
            const regions = regionsByProfile[p];
            if (regions.length === 0) {
              account.error = `Profile ${account.profile} sets no region: run "IPv6 Lambda: Select Regions…".`;
              return;
            }
            try {
              Object.assign(account, await accountIdentity({ profile: account.profile, endpointUrl }, regions[0]));
            } catch (error) {
              account.error = awsModule().describeAwsError(error, { action: 'sts:GetCallerIdentity', region: regions[0], profile: account.profile, endpointUrl });
              this.log.warn(`profile ${account.profile}: ${account.error}`);
            }
          }),
        );
        if (generation !== this.generation) return;
        const failed = new Set(accounts.filter((account) => account.error).map((account) => account.profile));
        state = state.filter((entry) => !failed.has(entry.profile));
        show();
      }
      const pending = state.map((entry, index) => ({ entry, index })).filter(({ entry }) => 'loading' in entry);
      const started = Date.now();
      const worker = async () => {
        for (let next = pending.shift(); next; next = pending.shift()) {
          const { region, profile } = next.entry;
          const report = await reportRegion(region, { profile, endpointUrl });
          if (generation !== this.generation) return;
          const view = regionView(report);
          view.profile = profile;
          for (const fn of view.functions) fn.profile = profile;
          state[next.index] = view;
          if (report.error) this.log.warn(`${profile ? `${profile} ` : ''}${region}: ${report.error}`);
          show();
        }
      };
      await Promise.all(Array.from({ length: Math.min(REGION_CONCURRENCY, pending.length) }, worker));
      if (generation !== this.generation) return;
      const loaded = this.tree.loaded;
      const count = loaded.reduce((sum, region) => sum + region.functions.length, 0);
      const who = several ? ` with ${profiles.length} profiles` : profiles[0] ? ` with profile ${profiles[0]}` : '';
      this.log.info(`read ${count} function(s) in ${loaded.length} region(s)${who}${endpointUrl ? ` at ${endpointUrl}` : ''} in ${Date.now() - started} ms`);
      this.updateBadge();
      this.loadedEmitter.fire(loaded);
    };
    const loading = Promise.resolve(vscode.window.withProgress({ location: { viewId: 'ipv6Lambda.functions' }, title: 'Reading Lambda functions' }, run)).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      this.log.error(`reading the account failed: ${message}`);
      void vscode.window.showErrorMessage(`IPv6 Lambda: reading the account failed: ${message}`);
    });
    const tracked = loading.finally(() => {
      if (this.loading === tracked) this.loading = undefined;
    });
    this.loading = tracked;
    return loading;
  }

  /** The function views currently loaded (all regions). */
  functions(): FunctionView[] {
    return this.tree.loaded.flatMap((region) => region.functions);
  }

  private updateBadge(): void {
    const ready = this.functions().filter((fn) => fn.status === 'ready').length;
    this.view.badge = ready > 0 ? { value: ready, tooltip: `${ready} function${ready === 1 ? '' : 's'} ready for IPv6` } : undefined;
  }

  async filter(): Promise<void> {
    const text = await vscode.window.showInputBox({
      title: 'Filter functions (1/2): name',
      prompt: 'Show functions whose name contains this text (empty: any name)',
      value: this.tree.filter.text ?? '',
    });
    if (text === undefined) return;
    const picked = await vscode.window.showQuickPick(
      allStatuses.map(({ status, label }) => ({ label, status, picked: this.tree.filter.statuses?.includes(status) ?? false })),
      { title: 'Filter functions (2/2): status', canPickMany: true, placeHolder: 'Pick statuses to show (none: every status)' },
    );
    if (picked === undefined) return;
    this.setFilter({ text: text.trim() || undefined, statuses: picked.map((item) => item.status) });
  }

  setFilter(filter: { text?: string; statuses?: FunctionStatus[] }): void {
    this.tree.filter = filter;
    const parts = [filter.text ? `name contains "${filter.text}"` : '', filter.statuses?.length ? filter.statuses.join(', ') : ''].filter(Boolean);
    this.view.description = parts.length ? `filtered: ${parts.join('; ')}` : undefined;
    void vscode.commands.executeCommand('setContext', 'ipv6Lambda.filtered', parts.length > 0);
    this.tree.refreshView();
  }

  /** One or several profiles; an SSO session stands for all the profiles that sign in through it. */
  async selectProfile(): Promise<void> {
    const profiles = await awsModule().listProfiles();
    const current = new Set(config.profiles().map((profile) => profile ?? ''));
    const sessions = [...new Set(profiles.map((profile) => profile.ssoSession).filter((session): session is string => Boolean(session)))].sort();
    const items = [
      { label: '$(key) Default credential chain', description: 'AWS_PROFILE, environment variables, the default profile…', profiles: [''], picked: current.has('') },
      ...sessions.map((session) => {
        const members = profiles.filter((profile) => profile.ssoSession === session).map((profile) => profile.name);
        return { label: `$(organization) All profiles of SSO session ${session}`, description: members.join(', '), profiles: members, picked: false };
      }),
      ...profiles.map((profile) => ({ label: profile.name, description: [profile.region, profile.ssoSession ? `SSO ${profile.ssoSession}` : ''].filter(Boolean).join(' · '), profiles: [profile.name], picked: current.has(profile.name) })),
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: 'AWS profiles for the IPv6 Lambda explorer',
      placeHolder: profiles.length ? 'Pick one or several profiles (accounts) of ~/.aws/config and ~/.aws/credentials' : 'No profiles found in ~/.aws; the default chain is used',
      canPickMany: true,
    });
    if (!picked || picked.length === 0) return;
    const chosen = [...new Set(picked.flatMap((item) => item.profiles))];
    const named = chosen.filter(Boolean);
    if (chosen.length === 1) {
      await config.update('profiles', undefined);
      await config.update('profile', named[0]);
    } else {
      // The default chain has no name to list among several accounts.
      await config.update('profiles', named);
    }
  }

  async selectRegions(): Promise<void> {
    const current = new Set(await this.regions());
    const picked = await vscode.window.showQuickPick(
      knownRegions.map((region) => ({ label: region, picked: current.has(region) })),
      { title: 'Regions for the IPv6 Lambda explorer', canPickMany: true, placeHolder: 'Pick the regions to read' },
    );
    if (picked) await config.update('regions', picked.map((item) => item.label));
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}

/** Commercial regions that run Lambda in VPCs (as of 2026). */
export const knownRegions = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'af-south-1', 'ap-east-1', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-northeast-1',
  'ap-northeast-2', 'ap-northeast-3', 'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-west-1',
  'eu-west-2', 'eu-west-3', 'eu-south-1', 'eu-south-2', 'eu-north-1', 'il-central-1', 'me-south-1', 'me-central-1',
  'mx-central-1', 'sa-east-1',
];

export function consoleUrl(fn: FunctionView): string {
  return `https://${fn.region}.console.aws.amazon.com/lambda/home?region=${fn.region}#/functions/${encodeURIComponent(fn.name)}?tab=configure`;
}
