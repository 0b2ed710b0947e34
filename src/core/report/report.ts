import { dirname } from 'node:path';
import type { Finding } from '../model/findings';
import type { AnalysisUnit, SkippedFile, SourceFormat } from '../model/source';

/** One unit of a run and the files of it that were analysed (those not skipped). */
export interface AnalysedUnit {
  /** The template or CDK file, or the Terraform folder. */
  unit: string;
  format: SourceFormat;
  files: string[];
}

/** What one `check` run found, across every unit it analysed. */
export interface Report {
  findings: Finding[];
  skipped: SkippedFile[];
  /** The units analysed, by name (`infra (Terraform root, 1 module, 4 files)`). */
  units?: string[];
  /** What was analysed, when the caller says (the CLI does). */
  analysed?: AnalysedUnit[];
}

/** The units of a run with their analysed files; units whose every file was skipped are left out. */
export function analysedUnits(units: AnalysisUnit[], skipped: SkippedFile[]): AnalysedUnit[] {
  const skippedFiles = new Set(skipped.map((file) => file.file));
  return units.flatMap((unit) => {
    const files = unit.files.map((file) => file.path).filter((file) => !skippedFiles.has(file));
    if (files.length === 0) return [];
    return [{ unit: unit.format === 'terraform' ? dirname(files[0]) : files[0], format: unit.format, files }];
  });
}
