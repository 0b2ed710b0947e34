import * as vscode from 'vscode';
import type { FunctionView } from '../core/aws/functionViews';
import type { EnableOptions, FunctionOutcome, Plan, SgEgressVariant } from '../core/aws/enable/types';
import { config } from './config';
import type { Explorer } from './explorer/index';
import type { Node } from './explorer/tree';
import { awsModule } from './lazy';
import type { Log } from './log';

const ENABLE = 'Enable';
const ENABLE_WITH_NETWORK = 'Enable and Fix Network…';
const DISABLE = 'Disable';
const APPLY = 'Apply';
const COPY_CLI = 'Copy as AWS CLI Commands';
const REPLACE = 'Replace the ::/0 Routes';
const MIGRATE = 'Add IPv6 to the Network…';

export type ModalKind = 'info' | 'warning' | 'error';

/** A modal message with buttons; resolves to the button picked, undefined for Cancel/Escape. */
export type Modal = (kind: ModalKind, message: string, detail: string, ...buttons: string[]) => Thenable<string | undefined>;

/** Runs a task under a cancellable notification; the integration tests cancel through this. */
export type CancellableProgress = <T>(
  title: string,
  task: (progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken) => Promise<T>,
) => Thenable<T>;

const showProgress: CancellableProgress = (title, task) => vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, task);

/** An AbortSignal that follows a cancellation token. */
function abortOn(token: vscode.CancellationToken): AbortSignal {
  const abort = new AbortController();
  if (token.isCancellationRequested) abort.abort();
  token.onCancellationRequested(() => abort.abort());
  return abort.signal;
}

const showModal: Modal = (kind, message, detail, ...buttons) => {
  const show = kind === 'error' ? vscode.window.showErrorMessage : kind === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  return show(message, { modal: true, detail }, ...buttons);
};

/** Enable/Disable IPv6 on a deployed function: plan (reads only), a modal with the plan, then apply. */
export class EnableCommands {
  /**
   * How plans are put before the user. VS Code refuses modal dialogs while extension tests run, so
   * the integration tests answer through this instead of the dialog.
   */
  modal: Modal = showModal;
  /** How a run of several functions shows its progress; the integration tests cancel through this. */
  progress: CancellableProgress = showProgress;

  constructor(
    private readonly explorer: Explorer,
    private readonly log: Log,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('ipv6Lambda.enableIpv6', (node?: Node, selected?: Node[]) => this.runSelection(true, node, selected)),
      vscode.commands.registerCommand('ipv6Lambda.disableIpv6', (node?: Node, selected?: Node[]) => this.runSelection(false, node, selected)),
      vscode.commands.registerCommand('ipv6Lambda.addIpv6ToVpc', (node?: Node) => (node?.kind === 'vpc' ? this.migrateVpc(node.functions) : undefined)),
    ];
  }

  private async pickFunction(enable: boolean): Promise<FunctionView | undefined> {
    if (this.explorer.functions().length === 0) await this.explorer.refresh();
    const candidates = this.explorer.functions().filter((fn) => (enable ? fn.status !== 'no-vpc' && fn.status !== 'managed-instances' : fn.ipv6Flag));
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage(enable ? 'IPv6 Lambda: no function in a VPC was found in the selected regions.' : 'IPv6 Lambda: no function has IPv6 enabled in the selected regions.');
      return undefined;
    }
    const order = ['ready', 'enabled-incomplete', 'invalid', 'ipv4-only', 'enabled', 'unknown', 'no-vpc', 'managed-instances'];
    candidates.sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status) || a.name.localeCompare(b.name));
    const picked = await vscode.window.showQuickPick(
      candidates.map((fn) => ({ label: fn.name, description: `${fn.region} · ${fn.statusWords}`, detail: fn.vpcId ? `VPC ${fn.vpcId} · ${fn.subnets.length} subnet(s)` : undefined, fn })),
      { title: enable ? 'Enable IPv6 for a function' : 'Disable IPv6 for a function', placeHolder: 'Pick a function', matchOnDescription: true },
    );
    return picked?.fn;
  }

  /** A tree action on several selected functions runs them as one plan and one confirmation. */
  private async runSelection(enable: boolean, node: Node | undefined, selected: Node[] | undefined): Promise<void> {
    const functions = (selected ?? []).flatMap((candidate) => (candidate.kind === 'function' ? [candidate.fn] : []));
    if (functions.length > 1) await this.runMany(enable, functions);
    else await this.run(enable, node);
  }

  /**
   * Several functions: plan them (by region, side by side), one modal with every plan, then the
   * updates with a cancellable progress line per function. Cancel starts no new update; those in
   * flight finish and are reported. The result table goes to the output channel.
   */
  async runMany(enable: boolean, functions: FunctionView[], network: Omit<EnableOptions, 'enable'> = {}): Promise<FunctionOutcome[]> {
    const aws = awsModule();
    const verb = enable ? 'Enable' : 'Disable';
    // By account (profile) and region: one plan each.
    const byRegion = new Map<string, FunctionView[]>();
    for (const fn of functions) byRegion.set(JSON.stringify([fn.profile ?? null, fn.region]), [...(byRegion.get(JSON.stringify([fn.profile ?? null, fn.region])) ?? []), fn]);
    const clientsFor = (profile: string | undefined, region: string) => aws.createClients({ profile: profile ?? config.profile(), region, endpointUrl: config.endpointUrl() });
    try {
      const plans = await this.progress(`Checking ${functions.length} functions…`, (_progress, token) => {
        const signal = abortOn(token);
        return Promise.all([...byRegion.values()].map((fns) => aws.planEnable({ natPricePerGb: config.natPricePerGb(), clients: clientsFor(fns[0].profile, fns[0].region), functionNames: fns.map((fn) => fn.arn), signal }, { enable, ...network })));
      });
      const updates = plans.reduce((sum, plan) => sum + plan.steps.filter((step) => step.kind === 'update-function').length, 0);
      const detail = plans.map((plan) => aws.formatPlan(plan)).join('\n\n');
      if (plans.every((plan) => plan.steps.length === 0)) {
        await this.modal('info', `Nothing to ${enable ? 'enable' : 'disable'} among ${functions.length} functions`, detail);
        return [];
      }
      const changes = plans.reduce((sum, plan) => sum + plan.steps.length, 0);
      const apply = updates > 0 ? `${verb} ${updates} ${updates === 1 ? 'Function' : 'Functions'}` : `Apply ${changes} ${changes === 1 ? 'Change' : 'Changes'}`;
      const choice = await this.modal('warning', `${verb} IPv6 for ${updates} of ${functions.length} selected functions?`, detail, apply, COPY_CLI);
      if (choice === COPY_CLI) {
        await vscode.env.clipboard.writeText(plans.flatMap((plan) => aws.toAwsCliCommands(plan)).join('\n'));
        void vscode.window.showInformationMessage('IPv6 Lambda: the plans were copied as AWS CLI commands.');
        return [];
      }
      if (choice !== apply) return [];
      const outcomes = await this.progress(`${enable ? 'Enabling' : 'Disabling'} IPv6 for ${updates} functions`, async (progress, token) => {
        const signal = abortOn(token);
        let finished = 0;
        const onFunctionDone = (outcome: FunctionOutcome) => {
          const line = aws.progressLine(++finished, updates, outcome);
          this.log.info(line);
          progress.report({ message: line, increment: 100 / updates });
        };
        const results = await Promise.all(plans.map((plan) => aws.applyPlan(plan, { clients: clientsFor(plan.target.profile, plan.target.region), signal, log: (line) => this.log.info(line), onFunctionDone })));
        return results.flatMap((result) => {
          // Without function outcomes the message is the whole story (a network step failed first).
          if (result.functions.length === 0) this.log.warn(result.message);
          return result.functions;
        });
      });
      this.log.info(`${aws.formatResultTable(outcomes)}\n${aws.resultSummary(outcomes)}`);
      const summary = `IPv6 Lambda: ${aws.resultSummary(outcomes)}`;
      const show = outcomes.every((o) => o.state === 'updated') ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
      void show(summary, 'Show Output').then((picked) => picked && this.log.show(true));
      const [only] = [...byRegion.values()];
      await (byRegion.size === 1 ? this.explorer.refresh(only[0].region, only[0].profile) : this.explorer.refresh());
      return outcomes;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.error(`${enable ? 'enable' : 'disable'} ${functions.length} functions: ${message}`);
      void vscode.window.showErrorMessage(`IPv6 Lambda: ${message}`);
      return [];
    }
  }

  /** A VPC's functions that are not yet on IPv6, migrated together: IPv6 blocks, then the rest of the network and the flags. */
  async migrateVpc(functions: FunctionView[]): Promise<FunctionOutcome[]> {
    const candidates = functions.filter((fn) => fn.status === 'ipv4-only' || fn.status === 'ready' || fn.status === 'enabled-incomplete');
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage('IPv6 Lambda: every function of this VPC already has IPv6 or cannot get it.');
      return [];
    }
    const sgEgress = await this.pickEgressVariant();
    if (!sgEgress) return [];
    return this.runMany(true, candidates, { withNetwork: true, addIpv6Cidrs: true, sgEgress });
  }

  async run(enable: boolean, node?: Node): Promise<void> {
    const fn = node?.kind === 'function' ? node.fn : await this.pickFunction(enable);
    if (!fn) return;
    const aws = awsModule();
    const clients = aws.createClients({ profile: fn.profile ?? config.profile(), region: fn.region, endpointUrl: config.endpointUrl() });
    try {
      let plan = await this.withProgress(`Checking ${fn.name}…`, () => aws.planEnable({ natPricePerGb: config.natPricePerGb(), clients, functionNames: [fn.arn] }, { enable }));
      for (;;) {
        const confirmed = await this.confirm(plan, fn, enable);
        if (!confirmed) return;
        const result = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `${enable ? 'Enabling' : 'Disabling'} IPv6 for ${fn.name}`, cancellable: true },
          (progress, token) => {
            const abort = new AbortController();
            token.onCancellationRequested(() => abort.abort());
            return aws.applyPlan(confirmed, {
              clients,
              signal: abort.signal,
              log: (line) => this.log.info(line),
              onProgress: ({ index, total, state, step }) => {
                if (state === 'started') progress.report({ message: `step ${index + 1} of ${total}: ${step.kind}`, increment: 100 / total });
              },
            });
          },
        );
        this.log.info(result.message);
        if (result.outcome === 'changed-meanwhile' && result.replan) {
          void vscode.window.showWarningMessage(`IPv6 Lambda: ${result.message}`);
          plan = result.replan;
          continue;
        }
        if (result.outcome === 'failed') {
          void vscode.window.showErrorMessage(`IPv6 Lambda: ${result.message}`, 'Show Output').then((choice) => choice && this.log.show(true));
        } else {
          // The full list of what was done is in the output channel; a toast has room for a line.
          const changes = `${result.done.length} change${result.done.length === 1 ? '' : 's'}`;
          void vscode.window.showInformationMessage(`IPv6 Lambda: IPv6 ${enable ? 'enabled' : 'disabled'} for ${fn.name} (${changes}).`, 'Show Output').then((choice) => choice && this.log.show(true));
        }
        await this.explorer.refresh(fn.region, fn.profile);
        return;
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.error(`${enable ? 'enable' : 'disable'} ${fn.name}: ${message}`);
      void vscode.window.showErrorMessage(`IPv6 Lambda: ${message}`);
    }
  }

  private withProgress<T>(title: string, task: () => Promise<T>): Thenable<T> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, task);
  }

  /** Shows the plan; resolves to the plan to apply (maybe extended with network changes), or undefined. */
  private async confirm(plan: Plan, fn: FunctionView, enable: boolean): Promise<Plan | undefined> {
    const aws = awsModule();
    const detail = aws.formatPlan(plan);
    if (plan.status === 'nothing-to-do') {
      await this.modal('info', `Nothing to do for ${fn.name}`, detail);
      return undefined;
    }
    if (plan.status === 'refused') {
      // The most common live state: offer the migration instead of sending the user to the console.
      if (enable && fn.status === 'ipv4-only') {
        const choice = await this.modal('warning', `${fn.name} is in IPv4-only subnets`, `${detail}\n\nAdd IPv6 to its network: an IPv6 block for the VPC when it has none, a free /64 for each subnet, then the egress-only gateway, routes, egress and the flag (shown before anything is written).`, MIGRATE);
        return choice === MIGRATE ? this.confirmNetwork(fn, true) : undefined;
      }
      await this.modal('error', `IPv6 cannot be ${enable ? 'enabled' : 'disabled'} for ${fn.name}`, detail);
      return undefined;
    }
    const hasNetworkGaps = enable && plan.functions.some((f) => f.warnings.length > 0);
    const buttons = enable ? (hasNetworkGaps ? [ENABLE, ENABLE_WITH_NETWORK, COPY_CLI] : [ENABLE, COPY_CLI]) : [DISABLE, COPY_CLI];
    const choice = await this.modal('warning', `${enable ? 'Enable' : 'Disable'} IPv6 for ${fn.name}?`, detail, ...buttons);
    if (choice === COPY_CLI) {
      await vscode.env.clipboard.writeText(aws.toAwsCliCommands(plan).join('\n'));
      void vscode.window.showInformationMessage('IPv6 Lambda: the plan was copied as AWS CLI commands.');
      return undefined;
    }
    if (choice === ENABLE || choice === DISABLE) return plan;
    if (choice !== ENABLE_WITH_NETWORK) return undefined;
    return this.confirmNetwork(fn);
  }

  private async pickEgressVariant(): Promise<SgEgressVariant | undefined> {
    const picked = await vscode.window.showQuickPick(
      [
        { label: 'Mirror the IPv4 egress', description: 'each 0.0.0.0/0 egress rule gets a ::/0 twin', variant: 'all' as SgEgressVariant },
        { label: 'HTTPS only', description: 'TCP 443 to ::/0 (what security scanners accept)', variant: 'https' as SgEgressVariant },
      ],
      { title: 'IPv6 egress for the security groups that lack it', placeHolder: 'Which IPv6 egress to add' },
    );
    return picked?.variant;
  }

  private async confirmNetwork(fn: FunctionView, addIpv6Cidrs = false): Promise<Plan | undefined> {
    const aws = awsModule();
    const clients = aws.createClients({ profile: fn.profile ?? config.profile(), region: fn.region, endpointUrl: config.endpointUrl() });
    const sgEgress = await this.pickEgressVariant();
    if (!sgEgress) return undefined;
    let network = await this.withProgress(`Planning network changes for ${fn.name}…`, () =>
      aws.planEnable({ natPricePerGb: config.natPricePerGb(), clients, functionNames: [fn.arn] }, { enable: true, withNetwork: true, sgEgress, addIpv6Cidrs }),
    );
    if (network.withheld.length > 0) {
      const tables = network.withheld.map((step) => `${step.routeTableId} (::/0 → ${step.currentTarget})`).join('\n');
      const replace = await this.modal(
        'warning',
        'Replace existing ::/0 routes?',
        `These route tables already send ::/0 elsewhere. Replacing the route changes where IPv6 traffic of every subnet using them goes:\n${tables}`,
        REPLACE,
        'Keep Them',
      );
      if (replace === undefined) return undefined;
      if (replace === REPLACE) {
        network = await this.withProgress('Planning…', () =>
          aws.planEnable({ natPricePerGb: config.natPricePerGb(), clients, functionNames: [fn.arn] }, { enable: true, withNetwork: true, sgEgress, replaceExistingIpv6Routes: true, addIpv6Cidrs }),
        );
      }
    }
    const choice = await this.modal('warning', `Enable IPv6 for ${fn.name} and change the network?`, aws.formatPlan(network), APPLY, COPY_CLI);
    if (choice === COPY_CLI) {
      await vscode.env.clipboard.writeText(aws.toAwsCliCommands(network).join('\n'));
      void vscode.window.showInformationMessage('IPv6 Lambda: the plan was copied as AWS CLI commands.');
      return undefined;
    }
    return choice === APPLY ? network : undefined;
  }
}
