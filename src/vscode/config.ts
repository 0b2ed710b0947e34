import * as vscode from 'vscode';
import { DEFAULT_NAT_PRICE_PER_GB } from '../core/aws/natText';
import type { RuleId, Severity } from '../core/model/findings';

export const SECTION = 'ipv6Lambda';

function section(scope?: vscode.ConfigurationScope): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION, scope);
}

/** Typed getters over the `ipv6Lambda.*` settings (declared in package.json). */
export const config = {
  diagnosticsEnabled: (scope?: vscode.ConfigurationScope) => section(scope).get<boolean>('diagnostics.enable', true),
  ruleSeverities: (scope?: vscode.ConfigurationScope) => section(scope).get<Partial<Record<RuleId, Severity | 'off'>>>('rules', {}),
  exclude: (scope?: vscode.ConfigurationScope) => section(scope).get<string[]>('exclude', []),
  profile: () => section().get<string>('profile', '') || undefined,
  regions: () => section().get<string[]>('regions', []),
  /** The profiles to read: `ipv6Lambda.profiles`, else the single `ipv6Lambda.profile` (undefined: the default chain). */
  profiles: (): (string | undefined)[] => {
    const several = [...new Set(section().get<string[]>('profiles', []).filter(Boolean))];
    return several.length > 0 ? several : [section().get<string>('profile', '') || undefined];
  },
  /**
   * A restricted setting (package.json `capabilities.untrustedWorkspaces`): in an untrusted
   * workspace VS Code returns only the user's own value, so a cloned repository cannot redirect
   * AWS calls, while a user's LocalStack setting still applies.
   */
  endpointUrl: () => section().get<string>('endpointUrl', '') || undefined,
  groupByVpc: () => section().get<boolean>('explorer.groupByVpc', false),
  statusBarEnabled: () => section().get<boolean>('statusBar.enable', true),
  natPricePerGb: () => section().get<number>('natPricePerGb', DEFAULT_NAT_PRICE_PER_GB),
  async update(key: string, value: unknown): Promise<void> {
    await section().update(key, value, vscode.ConfigurationTarget.Global);
  },
};

export function affectsSection(event: vscode.ConfigurationChangeEvent, key?: string): boolean {
  return event.affectsConfiguration(key ? `${SECTION}.${key}` : SECTION);
}
