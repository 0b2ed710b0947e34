import * as vscode from 'vscode';
import { analysisModule } from './lazy';

/** Opens a rule's page; takes the rule id, or asks for one when run from the Command Palette. */
export const OPEN_RULE_PAGE_COMMAND = 'ipv6Lambda.openRulePage';

/**
 * The link behind a diagnostic's code: a command URI, because the rule pages ship inside the
 * extension (docs/rules) and must open without a network or a published repository.
 */
export function rulePageLink(rule: string): vscode.Uri {
  return vscode.Uri.parse(`command:${OPEN_RULE_PAGE_COMMAND}?${encodeURIComponent(JSON.stringify([rule]))}`);
}

/** The bundled page of a rule, shown in VS Code's Markdown preview. */
export function registerRulePages(extensionUri: vscode.Uri): vscode.Disposable {
  return vscode.commands.registerCommand(OPEN_RULE_PAGE_COMMAND, async (rule?: unknown) => {
    const { catalogue, isRuleId } = analysisModule();
    if (rule === undefined) {
      const picked = await vscode.window.showQuickPick(
        catalogue.map((entry) => ({ label: entry.id, description: entry.title })),
        { placeHolder: 'Rule whose page to open' },
      );
      if (!picked) return;
      rule = picked.label;
    }
    // The id becomes a path: only catalogue ids may, never `../` from a crafted link.
    if (typeof rule !== 'string' || !isRuleId(rule)) {
      void vscode.window.showErrorMessage(`IPv6 Lambda has no rule ${String(rule)}; its rules are ${catalogue.map((entry) => entry.id).join(', ')}.`);
      return;
    }
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(extensionUri, 'docs', 'rules', `${rule}.md`));
  });
}
