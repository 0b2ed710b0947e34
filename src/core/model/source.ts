import type { ResourceGraph } from './graph';
import type { RuleId } from './findings';
import type { FixBuilder } from './fixes';

export type SourceFormat = 'cloudformation' | 'terraform' | 'cdk-typescript' | 'cdk-python' | 'serverless';

export interface SourceFile {
  /** The path as the caller names it; findings and edits carry it back unchanged. */
  path: string;
  text: string;
}

/** What one analysis covers: a template, a Terraform folder's .tf files, or a CDK source file. */
export interface AnalysisUnit {
  format: SourceFormat;
  files: SourceFile[];
  /**
   * The folder (or file) the unit is named by, as its files' paths are named: a Terraform root's
   * folder, whose local modules' files are in `files` too. Default: the first file's folder.
   */
  root?: string;
}

/** Suppression comments found in one file. */
export interface FileSuppressions {
  /** `ipv6-lambda-disable IPV6L001` anywhere in a comment. */
  wholeFile: Set<RuleId>;
  /** 0-based line of the comment → rules disabled on the next line. */
  nextLine: Map<number, Set<RuleId>>;
}

export interface SkippedFile {
  file: string;
  reason: string;
}

export interface ParsedUnit {
  graph: ResourceGraph;
  fixes: FixBuilder;
  /** Keyed by file path. */
  suppressions: Map<string, FileSuppressions>;
  /** Files that did not parse (their findings are absent, not guessed). */
  skipped: SkippedFile[];
}
