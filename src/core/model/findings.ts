import type { Location, Range } from './graph';

export type Severity = 'error' | 'warning' | 'info';

export type RuleId =
  | 'IPV6L001'
  | 'IPV6L002'
  | 'IPV6L003'
  | 'IPV6L004'
  | 'IPV6N001'
  | 'IPV6N002'
  | 'IPV6N003'
  | 'IPV6S001'
  | 'IPV6N004'
  | 'IPV6M001';

export interface TextEdit {
  file: string;
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  /** The catalogue's preferred fix; applied by `ipv6-lambda fix` and fix-all. */
  preferred: boolean;
  edits: TextEdit[];
  /**
   * Keys of resources this fix creates (e.g. `eigw:<vpc key>`). Fix-all applies at most one fix per
   * created key in a pass, so two routes never add two gateways; the next pass uses the one added.
   */
  creates?: string[];
}

export interface RelatedInformation {
  loc: Location;
  message: string;
}

export interface Finding {
  rule: RuleId;
  severity: Severity;
  message: string;
  /** Where it is reported; absent for live resources. */
  loc?: Location;
  /** Key of the graph element the finding is about (function, route, route table). */
  subject: string;
  related: RelatedInformation[];
  fixes: Fix[];
}
