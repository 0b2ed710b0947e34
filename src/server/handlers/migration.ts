/**
 * The migration's command (`ipv6Lambda.migrateVpc`, run by its CodeLens): migrates one VPC of a
 * document's unit and asks the editor to apply the edit, or says why it cannot be done. Served as
 * `workspace/executeCommand`, so every LSP editor can run it; VS Code's client registers it.
 */
import { MIGRATE_COMMAND } from '../../core/migration/actions';
import { migrateVpc } from '../../core/migration/migrate';
import type { ServerContext } from '../context';
import { toWorkspaceEdit } from '../convert';

export const serverCommands = [MIGRATE_COMMAND];

export function serveMigrationCommand(context: ServerContext): void {
  context.connection.onExecuteCommand(async (params) => {
    if (params.command !== MIGRATE_COMMAND) return false;
    const [uri, vpcKey] = (params.arguments ?? []) as [unknown, unknown];
    if (typeof uri !== 'string' || typeof vpcKey !== 'string') return false;
    try {
      const target = await context.units.unitOf(uri);
      if (!target) return false;
      const settings = await context.settings.for(uri);
      const migration = await migrateVpc(target.unit, vpcKey, { sgEgress: settings.migration.securityGroupEgress });
      if (!migration.edits) {
        void context.connection.window.showWarningMessage(`${migration.title}: ${migration.disabledReason}`);
        return false;
      }
      return (await context.connection.workspace.applyEdit({ label: migration.title, edit: toWorkspaceEdit(migration.edits) })).applied;
    } catch (error) {
      context.logFailure(`the migration of ${vpcKey} in ${uri}`, error);
      return false;
    }
  });
}
