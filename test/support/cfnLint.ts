// cfn-lint (AWS's CloudFormation linter, installed by scripts/setup-python.mjs) as a second opinion
// on the templates our fixes and snippets write. cfn-lint takes 1–2 s to start, so a test file lints
// all its templates in one run.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pythonToolPaths } from './pythonTools';

export interface CfnLintMatch {
  file: string;
  rule: string;
  level: 'Error' | 'Warning' | 'Informational';
  line: number;
  column: number;
  message: string;
}

/** What cfn-lint's `--format json` prints per match (the fields we read). */
interface CfnLintJsonMatch {
  Filename: string;
  Level: CfnLintMatch['level'];
  Location: { Start: { LineNumber: number; ColumnNumber: number } };
  Message: string;
  Rule: { Id: string };
}

/**
 * Runs cfn-lint ONCE over all templates (written to a temp folder under their given names, which
 * may contain folders), with JSON output and informational matches included. Synchronous.
 */
export function lintTemplates(templates: { name: string; text: string }[]): CfnLintMatch[] {
  if (templates.length === 0) return [];
  const names = new Set<string>();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ipv6-lambda-cfn-lint-'));
  try {
    for (const { name, text } of templates) {
      if (names.has(name)) throw new Error(`lintTemplates: two templates are named ${name}`);
      names.add(name);
      const file = path.join(folder, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    }
    const result = spawnSync(pythonToolPaths().cfnLint, ['--format', 'json', '--info', '--', ...names], {
      cwd: folder,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    // cfn-lint's exit status is a bit set of the levels found (2 error, 4 warning, 8 informational);
    // 1 and anything without JSON on stdout means it failed to run.
    if (result.error || result.status === 1 || !result.stdout.trim().startsWith('[')) {
      throw new Error(`cfn-lint failed (status ${result.status}): ${result.error?.message ?? ''}${result.stderr}${result.stdout}`);
    }
    return (JSON.parse(result.stdout) as CfnLintJsonMatch[]).map((match) => ({
      file: match.Filename,
      rule: match.Rule.Id,
      level: match.Level,
      line: match.Location.Start.LineNumber,
      column: match.Location.Start.ColumnNumber,
      message: match.Message,
    }));
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

/** The errors among the matches: rule ids starting with E. */
export function errorsOnly(matches: CfnLintMatch[]): CfnLintMatch[] {
  return matches.filter((match) => match.rule.startsWith('E'));
}
