import * as vscode from 'vscode';
import type { FunctionView } from '../core/aws/functionViews';
import type { Plan, SgEgressVariant } from '../core/aws/enable/types';
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

export type ModalKind = 'info' | 'warning' | 'error';

/** A modal message with buttons; resolves to the button picked, undefined for Cancel/Escape. */
export type Modal = (kind: ModalKind, message: string, detail: string, ...buttons: string[]) => Thenable<string | undefined>;

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

  constructor(
    private readonly explorer: Explorer,
    private readonly log: Log,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('ipv6Lambda.enableIpv6', (node?: Node) => this.run(true, node)),
      vscode.commands.registerCommand('ipv6Lambda.disableIpv6', (node?: Node) => this.run(false, node)),
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

  async run(enable: boolean, node?: Node): Promise<void> {
    const fn = node?.kind === 'function' ? node.fn : await this.pickFunction(enable);
    if (!fn) return;
    const aws = awsModule();
    const clients = aws.createClients({ profile: config.profile(), region: fn.region, endpointUrl: config.endpointUrl() });
    try {
      let plan = await this.withProgress(`Checking ${fn.name}…`, () => aws.planEnable({ clients, functionNames: [fn.arn] }, { enable }));
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
        await this.explorer.refresh(fn.region);
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

  private async confirmNetwork(fn: FunctionView): Promise<Plan | undefined> {
    const aws = awsModule();
    const clients = aws.createClients({ profile: config.profile(), region: fn.region, endpointUrl: config.endpointUrl() });
    const variant = await vscode.window.showQuickPick(
      [
        { label: 'Mirror the IPv4 egress', description: 'each 0.0.0.0/0 egress rule gets a ::/0 twin', variant: 'all' as SgEgressVariant },
        { label: 'HTTPS only', description: 'TCP 443 to ::/0 (what security scanners accept)', variant: 'https' as SgEgressVariant },
      ],
      { title: 'IPv6 egress for the security groups that lack it', placeHolder: 'Which IPv6 egress to add' },
    );
    if (!variant) return undefined;
    let network = await this.withProgress(`Planning network changes for ${fn.name}…`, () =>
      aws.planEnable({ clients, functionNames: [fn.arn] }, { enable: true, withNetwork: true, sgEgress: variant.variant }),
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
          aws.planEnable({ clients, functionNames: [fn.arn] }, { enable: true, withNetwork: true, sgEgress: variant.variant, replaceExistingIpv6Routes: true }),
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
