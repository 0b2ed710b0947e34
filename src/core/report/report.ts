import type { Finding } from '../model/findings';
import type { SkippedFile } from '../model/source';

/** What one `check` run found, across every unit it analysed. */
export interface Report {
  findings: Finding[];
  skipped: SkippedFile[];
}
