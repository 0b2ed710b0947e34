/** CodeLenses of the core's registered providers (src/core/editor/codeLenses.ts). */
import type { CodeLens } from 'vscode-languageserver/node';
import { codeLenses } from '../../core/editor/codeLenses';
import type { ServerContext } from '../context';

export function serveCodeLenses(context: ServerContext): void {
  context.connection.onCodeLens(async (params): Promise<CodeLens[]> => {
    try {
      const target = await context.units.unitOf(params.textDocument.uri);
      if (!target) return [];
      const lenses = await codeLenses(target.unit, params.textDocument.uri);
      return lenses.map((lens) => ({ range: lens.range, command: { title: lens.title, command: lens.command?.id ?? '', arguments: lens.command?.arguments } }));
    } catch (error) {
      context.logFailure(`CodeLenses of ${params.textDocument.uri}`, error);
      return [];
    }
  });
}
