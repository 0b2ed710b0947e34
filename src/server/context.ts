/** What every handler of the language server works with: the open documents, their units and analyses, the settings. */
import { minimatch } from 'minimatch';
import type { CancellationToken, Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalyzeOptions } from '../core/analysis/analyze';
import type { UnitAnalysis } from './analyses';
import { AnalysisAbandoned, Analyses } from './analyses';
import type { ServerSettings, Settings } from './settings';
import type { DocumentUnit } from './units';
import { Units, filePathOf } from './units';

export interface DocumentAnalysis {
  target: DocumentUnit;
  analysis: UnitAnalysis;
  settings: ServerSettings;
  options: AnalyzeOptions;
}

function isExcluded(uri: string, globs: string[]): boolean {
  const filePath = filePathOf(uri);
  return filePath !== undefined && globs.some((glob) => minimatch(filePath, glob, { dot: true }));
}

export function analyzeOptions(settings: ServerSettings): AnalyzeOptions {
  return { severities: settings.rules };
}

export class ServerContext {
  readonly units: Units;
  readonly analyses = new Analyses();
  /** Units whose analysis ran past the budget, reported once until one completes in time. */
  private readonly overBudget = new Set<string>();

  constructor(
    readonly connection: Connection,
    readonly documents: TextDocuments<TextDocument>,
    readonly settings: Settings,
    workspaceFolders: readonly string[] = [],
  ) {
    this.units = new Units(documents, workspaceFolders);
  }

  /**
   * The analysis of a document's unit as its text is now, or undefined when the document is not
   * analysed (not infrastructure code, excluded, diagnostics off, or abandoned past the time
   * budget). Throws AnalysisAbandoned when cancelled or made stale by a newer text.
   */
  async analyseDocument(uri: string, token?: CancellationToken): Promise<DocumentAnalysis | undefined> {
    if (!this.documents.get(uri)) return undefined;
    const settings = await this.settings.for(uri);
    if (!settings.diagnostics.enable || isExcluded(uri, settings.exclude)) return undefined;
    const target = await this.units.unitOf(uri);
    if (!target) return undefined;
    const options = analyzeOptions(settings);
    try {
      const analysis = await this.analyses.analyse(target, options, settings.analysis.timeBudgetMs, token);
      if (this.overBudget.delete(target.key)) this.connection.console.info(`analysis of ${uri} completes within the time budget again`);
      return { target, analysis, settings, options };
    } catch (error) {
      if (error instanceof AnalysisAbandoned && error.reason === 'over-budget') {
        this.reportOverBudget(uri, target.key, error.elapsedMs, settings.analysis.timeBudgetMs);
        return undefined;
      }
      throw error;
    }
  }

  private reportOverBudget(uri: string, key: string, elapsedMs: number, budgetMs: number): void {
    const message = `IPv6 Lambda: the analysis of ${uri} was abandoned after ${Math.round(elapsedMs)} ms (time budget ${budgetMs} ms); its diagnostics are not shown. Raise ipv6Lambda.analysis.timeBudgetMs or exclude the file with ipv6Lambda.exclude.`;
    this.connection.console.warn(message);
    if (this.overBudget.has(key)) return;
    this.overBudget.add(key);
    void this.connection.window.showWarningMessage(message);
  }

  /** Logs a handler's failure; the server keeps serving the other documents. */
  logFailure(what: string, error: unknown): void {
    this.connection.console.error(`${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}
