import * as vscode from 'vscode';
import type { Finding } from '../core/model/findings';
import type { AnalysisUnit } from '../core/model/source';
import { affectsSection, config } from './config';
import { toDiagnostic } from './convert';
import { isCandidate, unitFor } from './documents';
import { analysisModule } from './lazy';
import type { Log } from './log';

const DEBOUNCE_MS = 300;

function isShownInTab(uri: vscode.Uri): boolean {
  const target = uri.toString();
  return vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === target));
}

/**
 * Diagnostics for open infrastructure documents, refreshed as you type (debounced) and on save.
 * A document is analysed in its unit (a Terraform document with its root and the root's modules);
 * findings land in whichever file they belong to, and an edit re-analyses every unit that reads the
 * file. Which files form a unit is the core's answer (src/core/units.ts).
 */
export class IacDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('ipv6-lambda');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Latest analysis per unit key, so a slow stale run cannot overwrite a newer one. */
  private readonly generations = new Map<string, number>();
  /** Files each unit last reported on, to clear the ones a new run no longer mentions. */
  private readonly filesByUnit = new Map<string, string[]>();
  private readonly findingsByFile = new Map<string, Finding[]>();
  private readonly unitByFile = new Map<string, AnalysisUnit>();
  /** The units last published, by unit key. */
  private readonly units = new Map<string, AnalysisUnit>();
  /** Latest request per document, so that a unit computed from stale text is dropped. */
  private readonly documentGenerations = new Map<string, number>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after every completed analysis. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: Log) {
    this.disposables.push(
      this.collection,
      this.changed,
      vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document, 0)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0) this.scheduleWithDependents(event.document, DEBOUNCE_MS);
      }),
      vscode.workspace.onDidSaveTextDocument((document) => this.scheduleWithDependents(document, 0)),
      vscode.workspace.onDidCloseTextDocument((document) => this.closed(document.uri)),
      // VS Code keeps a document alive for a while after its last tab closes; the tab is what users see.
      vscode.window.tabGroups.onDidChangeTabs((event) => {
        for (const tab of event.closed) {
          if (tab.input instanceof vscode.TabInputText && !isShownInTab(tab.input.uri)) this.closed(tab.input.uri);
        }
        // Reopening a tab whose document is still alive fires no open event.
        for (const tab of event.opened) {
          if (!(tab.input instanceof vscode.TabInputText)) continue;
          const uri = tab.input.uri.toString();
          const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri);
          if (document) this.schedule(document, 0);
        }
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsSection(event)) this.analyseAllOpen();
      }),
    );
    this.analyseAllOpen();
  }

  /** The findings last reported for a file (its code actions come from them). */
  findingsFor(uri: vscode.Uri): Finding[] {
    return this.findingsByFile.get(uri.toString()) ?? [];
  }

  /** The analysis unit a file was last analysed in. */
  unitOf(uri: vscode.Uri): AnalysisUnit | undefined {
    return this.unitByFile.get(uri.toString());
  }

  private analyseAllOpen(): void {
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
  }

  /** Timers are per unit once a document's unit is known, so that edits in two of its files analyse it once. */
  private timerKeyOf(document: vscode.TextDocument): string {
    const unit = this.unitByFile.get(document.uri.toString());
    return unit ? analysisModule().unitKey(unit) : document.uri.toString();
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    if (!isCandidate(document)) return;
    const key = this.timerKeyOf(document);
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.analyse(document);
      }, delay),
    );
  }

  /** The document's own unit and every other unit that reads it (a root calling the module it is in). */
  private scheduleWithDependents(document: vscode.TextDocument, delay: number): void {
    this.schedule(document, delay);
    if (this.units.size === 0) return;
    const uri = document.uri.toString();
    for (const unit of analysisModule().unitsContaining(uri, this.units.values())) {
      const shown = this.openDocumentOf(unit, uri);
      if (shown) this.schedule(shown, delay);
    }
  }

  /** A document of the unit still open in a tab, other than `except`. */
  private openDocumentOf(unit: AnalysisUnit, except: string): vscode.TextDocument | undefined {
    const files = new Set(unit.files.map((file) => file.path));
    return vscode.workspace.textDocuments.find(
      (other) => other.uri.toString() !== except && files.has(other.uri.toString()) && !other.isClosed && isShownInTab(other.uri) && isCandidate(other),
    );
  }

  private async analyse(document: vscode.TextDocument): Promise<void> {
    const uri = document.uri.toString();
    const documentGeneration = (this.documentGenerations.get(uri) ?? 0) + 1;
    this.documentGenerations.set(uri, documentGeneration);
    const previous = this.unitByFile.get(uri);
    const previousKey = previous ? analysisModule().unitKey(previous) : uri;
    if (!config.diagnosticsEnabled(document.uri)) {
      this.publish(previousKey, undefined, []);
      return;
    }
    try {
      const unit = await unitFor(document);
      if (this.documentGenerations.get(uri) !== documentGeneration) return;
      if (!unit) {
        this.publish(previousKey, undefined, []);
        return;
      }
      const { analyzeUnit, unitKey } = analysisModule();
      const key = unitKey(unit);
      const generation = (this.generations.get(key) ?? 0) + 1;
      this.generations.set(key, generation);
      const started = Date.now();
      const { findings, skipped } = await analyzeUnit(unit, { severities: config.ruleSeverities(document.uri) });
      if (this.generations.get(key) !== generation) return;
      for (const file of skipped) this.log.debug(`not analysed: ${vscode.Uri.parse(file.file).fsPath}: ${file.reason}`);
      this.log.trace(`analysed ${key} (${unit.files.length} file(s)) in ${Date.now() - started} ms: ${findings.length} finding(s)`);
      this.publish(key, unit, findings);
    } catch (error) {
      // An analyser defect must not take the editor down with it: say so and keep going.
      this.log.error(`analysis of ${document.uri.fsPath} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    }
  }

  private publish(key: string, unit: AnalysisUnit | undefined, findings: Finding[]): void {
    const byFile = new Map<string, Finding[]>();
    for (const file of unit?.files ?? []) byFile.set(file.path, []);
    for (const finding of findings) {
      if (!finding.loc) continue;
      byFile.set(finding.loc.file, [...(byFile.get(finding.loc.file) ?? []), finding]);
    }
    for (const file of this.filesByUnit.get(key) ?? []) {
      if (!byFile.has(file)) {
        this.collection.delete(vscode.Uri.parse(file));
        this.findingsByFile.delete(file);
        this.unitByFile.delete(file);
      }
    }
    for (const [file, fileFindings] of byFile) {
      this.findingsByFile.set(file, fileFindings);
      if (unit) this.unitByFile.set(file, unit);
      this.collection.set(
        vscode.Uri.parse(file),
        fileFindings.map((finding) => toDiagnostic(finding)),
      );
    }
    this.filesByUnit.set(key, [...byFile.keys()]);
    if (unit) this.units.set(key, unit);
    else this.units.delete(key);
    this.changed.fire();
  }

  /** A unit whose files are all closed is cleared; one with a file still open is analysed again. */
  private closed(uri: vscode.Uri): void {
    const closed = uri.toString();
    const units = analysisModule().unitsContaining(closed, this.units.values());
    this.documentGenerations.set(closed, (this.documentGenerations.get(closed) ?? 0) + 1);
    clearTimeout(this.timers.get(closed));
    this.timers.delete(closed);
    for (const unit of units) {
      const key = analysisModule().unitKey(unit);
      const stillOpen = this.openDocumentOf(unit, closed);
      if (stillOpen) {
        this.schedule(stillOpen, 0);
        continue;
      }
      clearTimeout(this.timers.get(key));
      this.timers.delete(key);
      this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
      this.publish(key, undefined, []);
    }
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.disposables.forEach((d) => d.dispose());
  }
}
