/** CloudFormation and SAM templates, YAML or JSON: the resource graph, its fixes and its suppressions. */
import * as jsonc from 'jsonc-parser';
import { parseDocument } from 'yaml';
import { emptyGraph } from '../model/graph';
import { noFixes } from '../model/fixes';
import type { FileSuppressions, ParsedUnit, SkippedFile, SourceFile } from '../model/source';
import { suppressionsFromComments } from '../model/suppress';
import { CloudFormationFixes } from './cloudformation/fixes';
import { buildGraph } from './cloudformation/graph';
import { Template } from './cloudformation/template';
import type { ParsedTemplate, TemplateSyntaxError } from './cloudformation/valueTree';
import { isSyntaxError, parseJsonTemplate, parseYamlTemplate } from './cloudformation/valueTree';

function isJson(text: string, path: string): boolean {
  return path.toLowerCase().endsWith('.json') || text.trimStart().startsWith('{');
}

function parseTemplateText(file: SourceFile): ParsedTemplate | TemplateSyntaxError {
  return isJson(file.text, file.path) ? parseJsonTemplate(file.text) : parseYamlTemplate(file.text);
}

function skippedUnit(skipped: SkippedFile[]): ParsedUnit {
  return { graph: emptyGraph(), fixes: noFixes, suppressions: new Map(), skipped };
}

/** Parses one template (the first file; a unit holds one template). Broken files are skipped, never thrown. */
export function parseCloudFormation(files: SourceFile[]): ParsedUnit {
  const [file, ...others] = files;
  const extra = others.map((other) => ({ file: other.path, reason: `Analysed separately: a CloudFormation unit holds one template (${file.path}).` }));
  if (!file) return skippedUnit([]);
  const parsed = parseTemplateText(file);
  if (isSyntaxError(parsed)) {
    return skippedUnit([{ file: file.path, reason: `${isJson(file.text, file.path) ? 'JSON' : 'YAML'} syntax error: ${parsed.message.replace(/:$/, '')}. Fix it to analyse the template.` }, ...extra]);
  }
  if (parsed.root?.kind !== 'map') {
    return skippedUnit([{ file: file.path, reason: 'Not a CloudFormation template: the top level is not a map.' }, ...extra]);
  }
  const template = new Template(parsed);
  const duplicate = template.duplicateLogicalId();
  if (duplicate) {
    const line = parsed.lines.lineOf(duplicate.keyStart) + 1;
    return skippedUnit([{ file: file.path, reason: `Resources defines ${duplicate.key} twice (again at line ${line}); CloudFormation rejects the template: rename or remove one.` }, ...extra]);
  }
  const built = buildGraph(template, file.path);
  const suppressions = new Map<string, FileSuppressions>([[file.path, suppressionsFromComments(parsed.comments)]]);
  return { graph: built.graph, fixes: new CloudFormationFixes(template, built, file.path), suppressions, skipped: extra };
}

function hasTemplateShape(root: unknown): boolean {
  if (typeof root !== 'object' || root === null || Array.isArray(root)) return false;
  const top = root as Record<string, unknown>;
  if ('AWSTemplateFormatVersion' in top) return true;
  const resources = top.Resources;
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources)) return false;
  const definitions = Object.values(resources as Record<string, unknown>);
  return definitions.length > 0 && definitions.every((definition) => typeof (definition as { Type?: unknown } | null)?.Type === 'string');
}

/**
 * A template has `AWSTemplateFormatVersion` or a top-level `Resources` map of typed resources. Only
 * files with a top-level `Resources` key and no format version are parsed here, so the check stays
 * cheap for large templates; a broken file with a format version still counts, so that its syntax
 * error is reported rather than the file ignored.
 */
export function isCloudFormationTemplate(text: string, path: string): boolean {
  try {
    if (isJson(text, path)) {
      if (!text.includes('"AWSTemplateFormatVersion"') && !text.includes('"Resources"')) return false;
      const errors: jsonc.ParseError[] = [];
      const root: unknown = jsonc.parse(text, errors, { disallowComments: true });
      return errors.length === 0 ? hasTemplateShape(root) : text.includes('"AWSTemplateFormatVersion"');
    }
    const topLevelKeys = text.split('\n').filter((line) => line.length > 0 && line[0] !== ' ' && line[0] !== '#');
    if (topLevelKeys.some((line) => line.startsWith('AWSTemplateFormatVersion'))) return true;
    if (!topLevelKeys.some((line) => line.startsWith('Resources'))) return false;
    const doc = parseDocument(text, { uniqueKeys: false, logLevel: 'silent' });
    return doc.errors.length === 0 && hasTemplateShape(doc.toJS({ maxAliasCount: 100 }));
  } catch {
    return false;
  }
}
