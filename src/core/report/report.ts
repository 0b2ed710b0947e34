import type { Finding } from '../model/findings';
import type { SkippedFile } from '../model/source';

/** What one `check` run found, across every unit it analysed. */
export interface Report {
  findings: Finding[];
  skipped: SkippedFile[];
  /** The units analysed, by name (`infra (Terraform root, 1 module, 4 files)`). */
  units?: string[];
}
