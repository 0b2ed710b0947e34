import type { RuleId } from './findings';
import type { FileSuppressions } from './source';

export interface Comment {
  /** The comment's text without its delimiters is fine, with them too. */
  text: string;
  /** 0-based line of the comment's last line (a disable-next-line applies to the line after it). */
  line: number;
}

const RULE_ID = /^IPV6[LNS]\d{3}$/;

function ruleIdsAfter(text: string, directive: string): RuleId[] | undefined {
  const at = text.indexOf(directive);
  if (at < 0) return undefined;
  const rest = text.slice(at + directive.length);
  // A directive must be a whole word: `ipv6-lambda-disable` is not `ipv6-lambda-disable-next-line`.
  if (rest.length > 0 && !/^[\s,]/.test(rest)) return undefined;
  const ids = rest
    .split(/[\s,]+/)
    .map((word) => word.trim().replace(/[*/#]+$/, ''))
    .filter((word) => RULE_ID.test(word)) as RuleId[];
  return ids;
}

/** Reads `ipv6-lambda-disable-next-line …` and `ipv6-lambda-disable …` directives from a file's comments. */
export function suppressionsFromComments(comments: Iterable<Comment>): FileSuppressions {
  const result: FileSuppressions = { wholeFile: new Set(), nextLine: new Map() };
  for (const comment of comments) {
    const nextLine = ruleIdsAfter(comment.text, 'ipv6-lambda-disable-next-line');
    if (nextLine) {
      const set = result.nextLine.get(comment.line) ?? new Set<RuleId>();
      nextLine.forEach((id) => set.add(id));
      result.nextLine.set(comment.line, set);
      continue;
    }
    const wholeFile = ruleIdsAfter(comment.text, 'ipv6-lambda-disable');
    wholeFile?.forEach((id) => result.wholeFile.add(id));
  }
  return result;
}

export function isSuppressed(rule: RuleId, line: number, suppressions: FileSuppressions | undefined): boolean {
  if (!suppressions) return false;
  if (suppressions.wholeFile.has(rule)) return true;
  return suppressions.nextLine.get(line - 1)?.has(rule) ?? false;
}
