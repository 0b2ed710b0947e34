/**
 * CodeLenses an editor shows above the code of a unit's file. Features register a provider here
 * (the migration of issue "migrate" is one); the language server serves every registered provider
 * and announces CodeLens support only when there is one.
 */
import type { Range } from '../model/graph';
import { migrationLenses } from '../migration/actions';
import type { AnalysisUnit } from '../model/source';

export interface EditorCodeLens {
  range: Range;
  title: string;
  /** The editor command the lens runs, with its arguments; a lens without one is a label. */
  command?: { id: string; arguments?: unknown[] };
}

export type CodeLensProvider = (unit: AnalysisUnit, file: string) => Promise<EditorCodeLens[]>;

/** Above each IPv4-only VPC that hosts functions: run its migration (the server's `ipv6Lambda.migrateVpc` command). */
const migrationLensProvider: CodeLensProvider = async (unit, file) =>
  (await migrationLenses(unit, file)).map((lens) => ({ range: lens.range, title: lens.title, command: { id: lens.command, arguments: lens.arguments } }));

export const codeLensProviders: CodeLensProvider[] = [migrationLensProvider];

export async function codeLenses(unit: AnalysisUnit, file: string): Promise<EditorCodeLens[]> {
  const lenses = await Promise.all(codeLensProviders.map((provider) => provider(unit, file)));
  return lenses.flat();
}
