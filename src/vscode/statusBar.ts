import * as vscode from 'vscode';
import type { RegionView } from '../core/aws/functionViews';
import { affectsSection, config } from './config';
import type { Explorer } from './explorer/index';

/** "n functions ready for IPv6", once the explorer has read the account; a click shows them. */
export class ReadyStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('ipv6Lambda.ready', vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[];
  private ready = 0;

  constructor(explorer: Explorer) {
    this.item.name = 'IPv6 for Lambda: functions ready';
    this.item.command = 'ipv6Lambda.showReady';
    this.disposables = [
      this.item,
      explorer.onDidLoad((regions) => this.update(regions)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsSection(event, 'statusBar.enable')) this.render();
      }),
      vscode.commands.registerCommand('ipv6Lambda.showReady', async () => {
        explorer.setFilter({ statuses: ['ready'] });
        await vscode.commands.executeCommand('ipv6Lambda.functions.focus');
      }),
    ];
  }

  private update(regions: RegionView[]): void {
    this.ready = regions.reduce((sum, region) => sum + region.functions.filter((fn) => fn.status === 'ready').length, 0);
    void vscode.commands.executeCommand('setContext', 'ipv6Lambda.hasReady', this.ready > 0);
    this.render();
  }

  private render(): void {
    if (!config.statusBarEnabled() || this.ready === 0) {
      this.item.hide();
      return;
    }
    this.item.text = `$(cloud-upload) ${this.ready} ready for IPv6`;
    this.item.tooltip = `${this.ready} Lambda function${this.ready === 1 ? ' is' : 's are'} in dual-stack subnets without Ipv6AllowedForDualStack. Click to list ${this.ready === 1 ? 'it' : 'them'}.`;
    this.item.show();
  }

  /** For tests: what the item shows, or undefined when hidden. */
  get text(): string | undefined {
    return config.statusBarEnabled() && this.ready > 0 ? this.item.text : undefined;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
