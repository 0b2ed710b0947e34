/**
 * Parse and analyse in one call. Apart from analyze.ts so that the live-account code (dist/aws.js)
 * runs the rules without bundling the parsers.
 */
import type { AnalyzeOptions } from './analyze';
import { analyzeParsed } from './analyze';
import type { Finding } from '../model/findings';
import type { AnalysisUnit, SkippedFile } from '../model/source';
import { parseUnit } from '../parse';

export async function analyzeUnit(unit: AnalysisUnit, options: AnalyzeOptions = {}): Promise<{ findings: Finding[]; skipped: SkippedFile[] }> {
  const parsed = await parseUnit(unit);
  return { findings: analyzeParsed(parsed, options), skipped: parsed.skipped };
}
