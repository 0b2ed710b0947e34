import * as vscode from 'vscode';
import { catalogue, isRuleId } from '../core/rules';
import { DIAGNOSTIC_SOURCE } from '../core/rules/links';

/** Opens a rule's page; takes the rule id, or asks for one when run from the Command Palette. */
export const OPEN_RULE_PAGE_COMMAND = 'ipv6Lambda.openRulePage';

/**
 * The link behind a diagnostic's code: a command URI, because the rule pages ship inside the
 * extension (docs/rules) and must open without a network or a published repository.
 */
export function rulePageLink(rule: string): vscode.Uri {
  return vscode.Uri.parse(`command:${OPEN_RULE_PAGE_COMMAND}?${encodeURIComponent(JSON.stringify([rule]))}`);
}

/** Where a diagnostic of ours names its rule: its code, with or without a link. */
function ruleOf(diagnostic: vscode.Diagnostic): string | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return typeof code === 'string' && isRuleId(code) ? code : undefined;
}

/**
 * The language server links a rule id to its page on the web, for every editor; in VS Code the id
 * opens the bundled page instead (the client rewrites the server's diagnostics with this).
 */
export function withRulePageLinks(diagnostics: vscode.Diagnostic[]): vscode.Diagnostic[] {
  for (const diagnostic of diagnostics) {
    const rule = ruleOf(diagnostic);
    if (rule) diagnostic.code = { value: rule, target: rulePageLink(rule) };
  }
  return diagnostics;
}

/** The bundled page of a rule, shown in VS Code's Markdown preview. */
export function registerRulePages(extensionUri: vscode.Uri): vscode.Disposable {
  return vscode.commands.registerCommand(OPEN_RULE_PAGE_COMMAND, async (rule?: unknown) => {
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
