/**
 * The `ipv6Lambda.*` settings, pulled per document with `workspace/configuration` (cached until the
 * client says they changed). Clients without that request (many outside VS Code) send them with
 * `workspace/didChangeConfiguration` or in `initializationOptions`.
 */
import type { Connection } from 'vscode-languageserver/node';
import type { RuleId, Severity } from '../core/model/findings';

const SECTION = 'ipv6Lambda';

export interface ServerSettings {
  diagnostics: { enable: boolean };
  rules: Partial<Record<RuleId, Severity | 'off'>>;
  exclude: string[];
  analysis: {
    /** An analysis still running after this long is abandoned and reported. */
    timeBudgetMs: number;
  };
  migration: { securityGroupEgress: 'all' | 'https' };
}

const defaultSettings: ServerSettings = {
  diagnostics: { enable: true },
  rules: {},
  exclude: ['**/node_modules/**', '**/cdk.out/**', '**/.aws-sam/**', '**/.terraform/**'],
  analysis: { timeBudgetMs: 30_000 },
  migration: { securityGroupEgress: 'all' },
};

interface PartialSettings {
  diagnostics?: { enable?: unknown };
  rules?: unknown;
  exclude?: unknown;
  analysis?: { timeBudgetMs?: unknown };
  migration?: { securityGroupEgress?: unknown };
}

/** Settings as given, completed with the defaults; values of the wrong type are ignored. */
function completeSettings(given: unknown): ServerSettings {
  const value = (typeof given === 'object' && given !== null ? given : {}) as PartialSettings;
  const rules = typeof value.rules === 'object' && value.rules !== null ? (value.rules as ServerSettings['rules']) : defaultSettings.rules;
  const exclude = Array.isArray(value.exclude) ? value.exclude.filter((glob): glob is string => typeof glob === 'string') : defaultSettings.exclude;
  const enable = value.diagnostics?.enable;
  const budget = value.analysis?.timeBudgetMs;
  return {
    diagnostics: { enable: typeof enable === 'boolean' ? enable : defaultSettings.diagnostics.enable },
    rules,
    exclude,
    analysis: { timeBudgetMs: typeof budget === 'number' && budget > 0 ? budget : defaultSettings.analysis.timeBudgetMs },
    migration: { securityGroupEgress: value.migration?.securityGroupEgress === 'https' ? 'https' : 'all' },
  };
}

export class Settings {
  private readonly byResource = new Map<string, Promise<ServerSettings>>();
  private pushed: ServerSettings;

  constructor(
    private readonly connection: Connection,
    private readonly canPull: boolean,
    initializationOptions: unknown,
  ) {
    // Editors put them under `settings` (as in workspace/didChangeConfiguration) or straight in (Helix's `config`).
    const options = initializationOptions as { settings?: Record<string, unknown>; [SECTION]?: unknown } | undefined;
    this.pushed = completeSettings(options?.settings?.[SECTION] ?? options?.[SECTION]);
  }

  /** The settings that apply to a document. */
  for(uri: string): Promise<ServerSettings> {
    if (!this.canPull) return Promise.resolve(this.pushed);
    let settings = this.byResource.get(uri);
    if (!settings) {
      settings = this.connection.workspace.getConfiguration({ scopeUri: uri, section: SECTION }).then(completeSettings, () => this.pushed);
      this.byResource.set(uri, settings);
    }
    return settings;
  }

  /** workspace/didChangeConfiguration: VS Code sends no values (they are pulled again), other clients send them. */
  changed(settings: unknown): void {
    this.byResource.clear();
    const section = (settings as Record<string, unknown> | null | undefined)?.[SECTION];
    if (section !== undefined) this.pushed = completeSettings(section);
  }

  forget(uri: string): void {
    this.byResource.delete(uri);
  }
}
