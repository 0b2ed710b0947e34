import * as vscode from 'vscode';
import type { FunctionStatus, FunctionView, RegionView } from '../../core/aws/functionViews';
import { STATUS_WORDS } from '../../core/statusWords';
import { affectsSection, config } from '../config';
import { awsModule } from '../lazy';
import type { Log } from '../log';
import { FunctionsTree, type Node } from './tree';

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
        if (affectsSection(event, 'profile') || affectsSection(event, 'regions') || affectsSection(event, 'endpointUrl')) void this.refresh();
      }),
    );
    if (this.view.visible) void this.refresh();
  }

  /** The regions to read: the setting, else the profile's region. */
  private async regions(): Promise<string[]> {
    const configured = config.regions();
    if (configured.length > 0) return configured;
    const region = await awsModule().defaultRegion(config.profile());
    return region ? [region] : [];
  }

  /** (Re)reads every region; regions appear as they answer, each failing on its own. */
  refresh(onlyRegion?: string): Promise<void> {
    const generation = ++this.generation;
    const run = async () => {
      const regions = await this.regions();
      const profile = config.profile();
      const endpointUrl = config.endpointUrl();
      if (regions.length === 0) {
        this.tree.show([], endpointUrl);
        this.view.message = 'No region selected: run "IPv6 Lambda: Select Regions…" or set a region for the profile.';
        return;
      }
      this.view.message = profile ? `Profile ${profile}` : undefined;
      const previous = new Map(this.tree.loaded.map((region) => [region.region, region]));
      const state: (RegionView | { region: string; loading: true })[] = regions.map((region) =>
        onlyRegion && region !== onlyRegion && previous.has(region) ? previous.get(region)! : { region, loading: true },
      );
      this.tree.show(state, endpointUrl);
      const { reportRegion, regionView } = awsModule();
      const pending = regions.map((region, index) => ({ region, index })).filter(({ index }) => 'loading' in state[index]);
      const started = Date.now();
      const worker = async () => {
        for (let next = pending.shift(); next; next = pending.shift()) {
          const report = await reportRegion(next.region, { profile, endpointUrl });
          if (generation !== this.generation) return;
          state[next.index] = regionView(report);
          if (report.error) this.log.warn(`${next.region}: ${report.error}`);
          this.tree.show([...state], endpointUrl);
        }
      };
      await Promise.all(Array.from({ length: Math.min(REGION_CONCURRENCY, pending.length) }, worker));
      if (generation !== this.generation) return;
      const loaded = this.tree.loaded;
      const count = loaded.reduce((sum, region) => sum + region.functions.length, 0);
      this.log.info(`read ${count} function(s) in ${regions.length} region(s)${profile ? ` with profile ${profile}` : ''}${endpointUrl ? ` at ${endpointUrl}` : ''} in ${Date.now() - started} ms`);
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

  async selectProfile(): Promise<void> {
    const profiles = await awsModule().listProfiles();
    const current = config.profile();
    const items = [
      { label: '$(key) Default credential chain', description: 'AWS_PROFILE, environment variables, the default profile…', profile: '' },
      ...profiles.map((profile) => ({ label: profile.name, description: profile.region ?? '', profile: profile.name, picked: profile.name === current })),
    ];
    const picked = await vscode.window.showQuickPick(items, { title: 'AWS profile for the IPv6 Lambda explorer', placeHolder: profiles.length ? 'Profiles of ~/.aws/config and ~/.aws/credentials' : 'No profiles found in ~/.aws; the default chain is used' });
    if (picked) await config.update('profile', picked.profile || undefined);
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
