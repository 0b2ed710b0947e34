import * as vscode from 'vscode';
import type { Finding } from '../core/model/findings';
import type { AnalysisUnit } from '../core/model/source';
import { affectsSection, config } from './config';
import { toDiagnostic } from './convert';
import { isCandidate, isTerraform, terraformFolder, unitFor } from './documents';
import { analysisModule } from './lazy';
import type { Log } from './log';

const DEBOUNCE_MS = 300;

function unitKeyOf(uri: vscode.Uri): string {
  return isTerraform(uri) ? terraformFolder(uri).toString() : uri.toString();
}

function isShownInTab(uri: vscode.Uri): boolean {
  const target = uri.toString();
  return vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === target));
}

/**
 * Diagnostics for open infrastructure documents, refreshed as you type (debounced) and on save.
 * A Terraform document is analysed with the other .tf files of its folder; its findings land in
 * whichever file they belong to.
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
        if (event.contentChanges.length > 0) this.schedule(event.document, DEBOUNCE_MS);
      }),
      vscode.workspace.onDidSaveTextDocument((document) => this.schedule(document, 0)),
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

  private schedule(document: vscode.TextDocument, delay: number): void {
    if (!isCandidate(document)) return;
    const key = unitKeyOf(document.uri);
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.analyse(document, key);
      }, delay),
    );
  }

  private async analyse(document: vscode.TextDocument, key: string): Promise<void> {
    const generation = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, generation);
    if (!config.diagnosticsEnabled(document.uri)) {
      this.publish(key, undefined, []);
      return;
    }
    try {
      const unit = await unitFor(document);
      if (!unit) {
        this.publish(key, undefined, []);
        return;
      }
      const { analyzeUnit } = analysisModule();
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
    this.changed.fire();
  }

  private closed(uri: vscode.Uri): void {
    const key = unitKeyOf(uri);
    const stillOpen = vscode.workspace.textDocuments.find(
      (other) => other.uri.toString() !== uri.toString() && !other.isClosed && isShownInTab(other.uri) && isCandidate(other) && unitKeyOf(other.uri) === key,
    );
    if (stillOpen) {
      this.schedule(stillOpen, 0);
      return;
    }
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    this.publish(key, undefined, []);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.disposables.forEach((d) => d.dispose());
  }
}
