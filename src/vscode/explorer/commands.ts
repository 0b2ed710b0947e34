import * as vscode from 'vscode';
import type { FunctionView } from '../../core/aws/functionViews';
import type { Explorer } from './index';
import { consoleUrl } from './index';
import type { Node } from './tree';

function functionOf(node: Node | undefined): FunctionView | undefined {
  return node?.kind === 'function' ? node.fn : undefined;
}

/** The Functions view's commands (declared, with their menus, in package.json). */
export function registerExplorerCommands(explorer: Explorer): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('ipv6Lambda.refresh', () => explorer.refresh()),
    vscode.commands.registerCommand('ipv6Lambda.retryRegion', (node?: Node) =>
      node?.kind === 'regionError' ? explorer.refresh(node.region.region, node.region.profile) : explorer.refresh(),
    ),
    vscode.commands.registerCommand('ipv6Lambda.filter', () => explorer.filter()),
    vscode.commands.registerCommand('ipv6Lambda.clearFilter', () => explorer.setFilter({})),
    vscode.commands.registerCommand('ipv6Lambda.selectProfile', () => explorer.selectProfile()),
    vscode.commands.registerCommand('ipv6Lambda.selectRegions', () => explorer.selectRegions()),
    vscode.commands.registerCommand('ipv6Lambda.copyArn', async (node?: Node) => {
      const fn = functionOf(node);
      if (!fn) return;
      await vscode.env.clipboard.writeText(fn.arn);
      vscode.window.setStatusBarMessage(`Copied ${fn.arn}`, 3000);
    }),
    vscode.commands.registerCommand('ipv6Lambda.openInConsole', async (node?: Node) => {
      const fn = functionOf(node);
      if (fn) await vscode.env.openExternal(vscode.Uri.parse(consoleUrl(fn)));
    }),
  ];
}
