/** CloudFormation and SAM templates, YAML or JSON: the resource graph, its fixes and its suppressions. */
import * as jsonc from 'jsonc-parser';
import { parseDocument } from 'yaml';
import { emptyGraph, type ResourceGraph } from '../model/graph';
import { noFixes } from '../model/fixes';
import type { FileSuppressions, ParsedUnit, SkippedFile, SourceFile } from '../model/source';
import { suppressionsFromComments } from '../model/suppress';
import { CloudFormationFixes } from './cloudformation/fixes';
import { buildGraph } from './cloudformation/graph';
import { importedNames, linkImports, linkNestedStacks, nestedStacks, ProjectFixes, renameGraph, templatePrefixes } from './cloudformation/project';
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

/** A template read and checked, or why it is skipped. */
function readTemplate(file: SourceFile): { template: Template } | { skipped: SkippedFile } {
  const parsed = parseTemplateText(file);
  if (isSyntaxError(parsed)) {
    return { skipped: { file: file.path, reason: `${isJson(file.text, file.path) ? 'JSON' : 'YAML'} syntax error: ${parsed.message.replace(/:$/, '')}. Fix it to analyse the template.` } };
  }
  if (parsed.root?.kind !== 'map') return { skipped: { file: file.path, reason: 'Not a CloudFormation template: the top level is not a map.' } };
  const template = new Template(parsed);
  const duplicate = template.duplicateLogicalId();
  if (duplicate) {
    const line = parsed.lines.lineOf(duplicate.keyStart) + 1;
    return { skipped: { file: file.path, reason: `Resources defines ${duplicate.key} twice (again at line ${line}); CloudFormation rejects the template: rename or remove one.` } };
  }
  return { template };
}

/**
 * Parses the templates of a unit: one template, or the templates of a folder, whose imports of each
 * other's exports resolve. Broken files are skipped, never thrown.
 */
export function parseCloudFormation(files: SourceFile[]): ParsedUnit {
  const skipped: SkippedFile[] = [];
  const read: { file: SourceFile; template: Template }[] = [];
  for (const file of files) {
    const result = readTemplate(file);
    if ('skipped' in result) skipped.push(result.skipped);
    else read.push({ file, template: result.template });
  }
  if (read.length === 0) return skippedUnit(skipped);
  const suppressions = new Map<string, FileSuppressions>(read.map(({ file, template }) => [file.path, suppressionsFromComments(template.parsed.comments)]));
  if (read.length === 1) {
    const [{ file, template }] = read;
    const built = buildGraph(template, file.path);
    return { graph: built.graph, fixes: new CloudFormationFixes(template, built, file.path), suppressions, skipped };
  }
  const prefixes = templatePrefixes(read.map(({ file }) => file.path));
  const templates = read.map(({ template }) => template);
  linkImports(templates, prefixes);
  linkNestedStacks(
    templates,
    read.map(({ file }) => file.path),
    prefixes,
  );
  const graph = emptyGraph();
  const builders = read.map(({ file, template }, i) => {
    const built = buildGraph(template, file.path);
    const renamed = renameGraph(built.graph, (key) => (key.includes('.') ? key : prefixes[i] + key));
    for (const list of Object.keys(graph) as (keyof ResourceGraph)[]) (graph[list] as unknown[]).push(...renamed[list]);
    return { prefix: prefixes[i], fixes: new CloudFormationFixes(template, built, file.path) };
  });
  return { graph, fixes: new ProjectFixes(builders), suppressions, skipped };
}

/**
 * The templates of a folder grouped into units: templates that import what another exports, and
 * templates nested by a stack of another, are analysed together (transitively); the others alone. Files that do not parse are units of their own,
 * so that their errors are reported.
 */
export function linkedTemplateGroups(files: SourceFile[]): SourceFile[][] {
  const group = files.map((_, i) => i);
  const find = (i: number): number => (group[i] === i ? i : (group[i] = find(group[i])));
  const exporters = new Map<string, number>();
  const imports: Set<string>[] = [];
  const read: { index: number; template: Template }[] = [];
  files.forEach((file, i) => {
    const result = readTemplate(file);
    imports[i] = 'template' in result ? importedNames(result.template) : new Set();
    if (!('template' in result)) return;
    read.push({ index: i, template: result.template });
    for (const name of result.template.exports.keys()) if (!exporters.has(name)) exporters.set(name, i);
  });
  const nested = nestedStacks(
    read.map(({ template }) => template),
    read.map(({ index }) => files[index].path),
  );
  for (const { parent, child } of nested) group[find(read[parent].index)] = find(read[child].index);
  imports.forEach((names, i) => {
    for (const name of names) {
      const exporter = exporters.get(name);
      if (exporter !== undefined) group[find(i)] = find(exporter);
    }
  });
  const groups = new Map<number, SourceFile[]>();
  files.forEach((file, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), file]));
  return [...groups.values()];
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
