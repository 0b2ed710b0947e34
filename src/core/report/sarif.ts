/** SARIF 2.1.0 for code-scanning services: one rule per catalogue entry, 1-based regions. */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { Range } from '../model/graph';
import type { Severity } from '../model/findings';
import { catalogue } from '../rules';
import { projectUrl } from '../rules/links';
import type { Report } from './report';

const LEVELS: Record<Severity, Sarif.ReportingConfiguration.level> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

export interface SarifOptions {
  toolVersion?: string;
}

function artifactLocation(file: string): Sarif.ArtifactLocation {
  if (path.isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return { uri: encodeURI(file.split(path.sep).join('/')), uriBaseId: '%SRCROOT%' };
}

function region(range: Range): Sarif.Region {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

function physicalLocation(file: string, range: Range): Sarif.PhysicalLocation {
  return { artifactLocation: artifactLocation(file), region: region(range) };
}

function pascalCase(title: string): string {
  return title
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('');
}

export function toSarif(report: Report, options: SarifOptions = {}): Sarif.Log {
  const ruleIndex = new Map(catalogue.map((entry, index) => [entry.id, index]));
  const results: Sarif.Result[] = report.findings.map((finding) => ({
    ruleId: finding.rule,
    ruleIndex: ruleIndex.get(finding.rule),
    level: LEVELS[finding.severity],
    message: { text: finding.message },
    locations: finding.loc ? [{ physicalLocation: physicalLocation(finding.loc.file, finding.loc.range) }] : [],
    ...(finding.related.length
      ? { relatedLocations: finding.related.map((related, id) => ({ id, message: { text: related.message }, physicalLocation: physicalLocation(related.loc.file, related.loc.range) })) }
      : {}),
    ...(finding.fixes.length
      ? {
          fixes: finding.fixes.map((fix) => ({
            description: { text: fix.title },
            artifactChanges: [...new Set(fix.edits.map((edit) => edit.file))].map((file) => ({
              artifactLocation: artifactLocation(file),
              replacements: fix.edits
                .filter((edit) => edit.file === file)
                .map((edit) => ({ deletedRegion: region(edit.range), insertedContent: { text: edit.newText } })),
            })),
          })),
        }
      : {}),
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'ipv6-lambda',
            informationUri: projectUrl,
            ...(options.toolVersion ? { version: options.toolVersion } : {}),
            rules: catalogue.map((entry) => ({
              id: entry.id,
              name: pascalCase(entry.title),
              shortDescription: { text: entry.title },
              fullDescription: { text: entry.description },
              helpUri: entry.docsUrl,
              defaultConfiguration: { level: LEVELS[entry.defaultSeverity] },
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.skipped.map((skipped) => ({
              level: 'warning',
              message: { text: `Skipped: ${skipped.reason}` },
              locations: [{ physicalLocation: { artifactLocation: artifactLocation(skipped.file) } }],
            })),
          },
        ],
        results,
      },
    ],
  };
}

export function formatSarif(report: Report, options: SarifOptions = {}): string {
  return JSON.stringify(toSarif(report, options), null, 2);
}
