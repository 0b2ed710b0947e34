/**
 * Diagnostics, pulled (LSP 3.17 `textDocument/diagnostic`) by clients that can, pushed
 * (`textDocument/publishDiagnostics`, debounced as you type) to the others. A unit's findings in
 * files that are not open (the other files of a Terraform root and its modules, a template it imports
 * from) are always pushed: no client pulls for them. An edit re-analyses every unit that reads the
 * file; closing the last open file of a unit clears the unit's diagnostics.
 */
import type { CancellationToken, Diagnostic, DocumentDiagnosticReport } from 'vscode-languageserver/node';
import { DocumentDiagnosticReportKind, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { Finding } from '../../core/model/findings';
import type { AnalysisUnit } from '../../core/model/source';
import { unitKey, unitsContaining } from '../../core/project/units';
import type { UnitAnalysis } from '../analyses';
import { AnalysisAbandoned } from '../analyses';
import type { DocumentAnalysis, ServerContext } from '../context';
import { toDiagnostic } from '../convert';

/** While typing, an analysis starts this long after the last keystroke. */
const DEBOUNCE_MS = 300;

function findingsByFile(analysis: DocumentAnalysis): Map<string, Finding[]> {
  const byFile = new Map<string, Finding[]>(analysis.analysis.unit.files.map((file) => [file.path, []]));
  for (const finding of analysis.analysis.findings) if (finding.loc) byFile.get(finding.loc.file)?.push(finding);
  return byFile;
}

export class DiagnosticsHandler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Files we pushed diagnostics to, by unit key, so that they are cleared when no longer reported. */
  private readonly pushed = new Map<string, Set<string>>();
  /** When each document last changed, so that pulls made while typing wait for a pause. */
  private readonly lastChange = new Map<string, number>();
  private readonly openedVersions = new Map<string, number>();
  private readonly logged = new WeakSet<UnitAnalysis>();
  /** The units last analysed, by key: those that read a file are analysed again when it changes or closes. */
  private readonly units = new Map<string, AnalysisUnit>();

  constructor(
    private readonly context: ServerContext,
    private readonly pull: boolean,
  ) {
    const { connection, documents } = context;
    if (pull) {
      connection.languages.diagnostics.on((params, token) => this.report(params.textDocument.uri, token));
      // Opening is not typing: the first pull is answered at once.
      documents.onDidChangeContent((event) => {
        if (this.openedVersions.get(event.document.uri) !== event.document.version) this.lastChange.set(event.document.uri, Date.now());
      });
    } else {
      documents.onDidChangeContent((event) => this.scheduleWithDependents(event.document.uri, DEBOUNCE_MS));
      documents.onDidSave((event) => this.scheduleWithDependents(event.document.uri, 0));
    }
    documents.onDidOpen((event) => {
      this.openedVersions.set(event.document.uri, event.document.version);
      this.opened(event.document.uri);
    });
    documents.onDidClose((event) => void this.closed(event.document.uri));
  }

  /** Each analysis is logged once, not at every pull that reuses it. */
  private logOnce(analysis: UnitAnalysis, uri: string): void {
    if (this.logged.has(analysis)) return;
    this.logged.add(analysis);
    const { console } = this.context.connection;
    console.log(`analysed ${analysis.unit.files.length} file(s) of ${uri} in ${analysis.durationMs.toFixed(0)} ms: ${analysis.findings.length} finding(s)`);
    for (const skipped of analysis.skipped) console.log(`not analysed: ${skipped.file}: ${skipped.reason}`);
  }

  /** Settings or files on disk changed: every open document is analysed again. */
  refreshAll(): void {
    if (this.pull) void this.context.connection.languages.diagnostics.refresh();
    else for (const document of this.context.documents.all()) this.schedule(document.uri, 0);
  }

  private async report(uri: string, token: CancellationToken): Promise<DocumentDiagnosticReport> {
    // Clients pull after every change: the analysis waits for a pause in typing, unless a newer pull replaces it.
    const typedAgo = Date.now() - (this.lastChange.get(uri) ?? 0);
    if (typedAgo < DEBOUNCE_MS) {
      await new Promise((resolve) => setTimeout(resolve, DEBOUNCE_MS - typedAgo));
      if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'a newer version is being analysed', { retriggerRequest: false });
    }
    const items = await this.analyse(uri, token);
    return { kind: DocumentDiagnosticReportKind.Full, items };
  }

  /** The diagnostics of a document; the unit's files that are not open get theirs pushed. */
  private async analyse(uri: string, token?: CancellationToken): Promise<Diagnostic[]> {
    let found: DocumentAnalysis | undefined;
    try {
      found = await this.context.analyseDocument(uri, token);
    } catch (error) {
      if (error instanceof AnalysisAbandoned) {
        // The client asks again for the newer text; LSP says which side cancelled.
        const code = error.reason === 'cancelled' ? LSPErrorCodes.RequestCancelled : LSPErrorCodes.ServerCancelled;
        throw new ResponseError(code, `analysis ${error.reason}`, { retriggerRequest: false });
      }
      this.context.logFailure(`analysis of ${uri}`, error);
      return [];
    }
    if (!found) return [];
    this.units.set(found.target.key, found.target.unit);
    const byFile = findingsByFile(found);
    this.logOnce(found.analysis, uri);
    const push = new Map<string, Diagnostic[]>();
    for (const [file, findings] of byFile) {
      if (!this.pull || !this.context.documents.get(file)) push.set(file, findings.map(toDiagnostic));
    }
    this.publish(found.target.key, push);
    return (byFile.get(uri) ?? []).map(toDiagnostic);
  }

  private publish(key: string, diagnostics: Map<string, Diagnostic[]>): void {
    const previous = this.pushed.get(key) ?? new Set();
    for (const file of previous) if (!diagnostics.has(file)) void this.context.connection.sendDiagnostics({ uri: file, diagnostics: [] });
    for (const [file, items] of diagnostics) {
      if (items.length > 0 || previous.has(file)) void this.context.connection.sendDiagnostics({ uri: file, diagnostics: items });
    }
    this.pushed.set(key, new Set([...diagnostics].filter(([, items]) => items.length > 0).map(([file]) => file)));
  }

  private schedule(uri: string, delay: number): void {
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.analyse(uri).catch((error: unknown) => {
          // A newer text is on its way; its own analysis publishes.
          if (!(error instanceof ResponseError)) this.context.logFailure(`analysis of ${uri}`, error);
        });
      }, delay),
    );
  }

  /**
   * The document's own unit and every other unit that reads it (a root calling the module it is in),
   * each through one of its open documents. Pulling clients do this themselves (interFileDependencies).
   */
  private scheduleWithDependents(uri: string, delay: number): void {
    this.schedule(uri, delay);
    for (const unit of unitsContaining(uri, this.units.values())) {
      const open = unit.files.find((file) => file.path !== uri && this.context.documents.get(file.path));
      if (open) this.schedule(open.path, delay);
    }
  }

  private opened(uri: string): void {
    if (!this.pull) {
      this.schedule(uri, 0);
      return;
    }
    // From now on the client pulls this file's diagnostics: what was pushed for it goes.
    for (const files of this.pushed.values()) {
      if (files.delete(uri)) void this.context.connection.sendDiagnostics({ uri, diagnostics: [] });
    }
  }

  private async closed(uri: string): Promise<void> {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.lastChange.delete(uri);
    this.openedVersions.delete(uri);
    this.context.settings.forget(uri);
    // The units that read the file: the one it is in now, and any analysed before that still lists it.
    const units = new Map(unitsContaining(uri, this.units.values()).map((unit) => [unitKey(unit), unit]));
    const target = await this.context.units.unitOf(uri).catch(() => undefined);
    if (target) units.set(target.key, target.unit);
    let stillShown = false;
    for (const [key, unit] of units) {
      const stillOpen = unit.files.find((file) => file.path !== uri && this.context.documents.get(file.path));
      if (stillOpen) {
        // The closed file's findings now reach the client by push, with the rest of the unit's.
        stillShown = true;
        if (!this.pull) this.schedule(stillOpen.path, 0);
        continue;
      }
      this.context.analyses.forget(key);
      this.units.delete(key);
      this.publish(key, new Map());
    }
    if (stillShown && this.pull) void this.context.connection.languages.diagnostics.refresh();
    if (stillShown) return;
    if (!this.pull) void this.context.connection.sendDiagnostics({ uri, diagnostics: [] });
  }
}
