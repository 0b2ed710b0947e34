/**
 * Runs and keeps the analysis of each unit. A newer version of one of its documents makes the
 * running analysis stale: it stops at its next checkpoint instead of finishing for nothing. An analysis
 * still running past the time budget is abandoned at its next checkpoint and reported. The parses of
 * YAML templates are kept, so that after an edit only the edited entry is parsed again.
 */
import type { CancellationToken } from 'vscode-languageserver/node';
import type { AnalyzeOptions } from '../core/analysis/analyze';
import { analyzeParsed } from '../core/analysis/analyze';
import type { Finding } from '../core/model/findings';
import type { AnalysisUnit, SkippedFile } from '../core/model/source';
import { parseUnit } from '../core/parse';
import { keptTemplateParses } from '../core/parse/cloudformation';
import type { DocumentUnit } from './units';

export interface UnitAnalysis {
  key: string;
  unit: AnalysisUnit;
  findings: Finding[];
  skipped: SkippedFile[];
  durationMs: number;
}

type AbandonReason = 'cancelled' | 'stale' | 'over-budget';

export class AnalysisAbandoned extends Error {
  constructor(
    readonly reason: AbandonReason,
    readonly key: string,
    readonly elapsedMs: number,
  ) {
    super(`analysis ${reason}: ${key}`);
  }
}

interface Running {
  generation: number;
  unit: AnalysisUnit;
  optionsKey: string;
  result: Promise<UnitAnalysis>;
}

function sameTexts(a: AnalysisUnit, b: AnalysisUnit): boolean {
  return a.format === b.format && a.files.length === b.files.length && a.files.every((file, index) => file.path === b.files[index].path && file.text === b.files[index].text);
}

/** Lets queued messages (a newer version, a cancellation) reach their handlers before the next step. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class Analyses {
  private readonly latest = new Map<string, { analysis: UnitAnalysis; optionsKey: string }>();
  private readonly running = new Map<string, Running>();
  private readonly generations = new Map<string, number>();
  private readonly templates = keptTemplateParses();

  /** The analysis of the unit as it is now: the kept one when nothing changed, else a new one. */
  analyse(target: DocumentUnit, options: AnalyzeOptions, budgetMs: number, token?: CancellationToken): Promise<UnitAnalysis> {
    const optionsKey = JSON.stringify(options);
    const kept = this.latest.get(target.key);
    if (kept && kept.optionsKey === optionsKey && sameTexts(kept.analysis.unit, target.unit)) return Promise.resolve(kept.analysis);
    const running = this.running.get(target.key);
    if (running && running.optionsKey === optionsKey && sameTexts(running.unit, target.unit)) return running.result;
    const generation = (this.generations.get(target.key) ?? 0) + 1;
    this.generations.set(target.key, generation);
    const result = this.run(target, options, budgetMs, generation, token);
    this.running.set(target.key, { generation, unit: target.unit, optionsKey, result });
    const settle = () => {
      if (this.running.get(target.key)?.generation === generation) this.running.delete(target.key);
    };
    result.then(
      (analysis) => {
        settle();
        if (this.generations.get(target.key) === generation) this.latest.set(target.key, { analysis, optionsKey });
      },
      settle,
    );
    return result;
  }

  private async run(target: DocumentUnit, options: AnalyzeOptions, budgetMs: number, generation: number, token: CancellationToken | undefined): Promise<UnitAnalysis> {
    const started = performance.now();
    const checkpoint = async () => {
      await yieldToEventLoop();
      const elapsed = performance.now() - started;
      if (this.generations.get(target.key) !== generation || !target.isCurrent()) throw new AnalysisAbandoned('stale', target.key, elapsed);
      if (token?.isCancellationRequested) throw new AnalysisAbandoned('cancelled', target.key, elapsed);
      if (elapsed > budgetMs) throw new AnalysisAbandoned('over-budget', target.key, elapsed);
    };
    await checkpoint();
    const parsed = await parseUnit(target.unit, this.templates);
    await checkpoint();
    const findings = analyzeParsed(parsed, options);
    return { key: target.key, unit: target.unit, findings, skipped: parsed.skipped, durationMs: performance.now() - started };
  }

  /** Forgets everything about a unit (its documents closed, or files changed on disk). */
  forget(key: string): void {
    for (const file of this.latest.get(key)?.analysis.unit.files ?? []) this.templates.forget(file.path);
    this.latest.delete(key);
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
  }

  forgetAll(): void {
    for (const key of [...this.latest.keys(), ...this.running.keys()]) this.forget(key);
  }
}
