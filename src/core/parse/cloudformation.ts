/** CloudFormation and SAM templates, YAML or JSON: the resource graph, its fixes and its suppressions. */
import { emptyGraph, type ResourceGraph } from '../model/graph';
import { noFixes } from '../model/fixes';
import type { FileSuppressions, ParsedUnit, SkippedFile, SourceFile } from '../model/source';
import { suppressionsFromComments } from '../model/suppress';
import { assemblyStacks, isAssemblyManifestPath } from './cloudformation/assembly';
import { CloudFormationFixes } from './cloudformation/fixes';
import { buildGraph } from './cloudformation/graph';
import { importedNames, linkImports, linkNestedStacks, nestedStacks, ProjectFixes, renameGraph, templatePrefixes } from './cloudformation/project';
import { Template } from './cloudformation/template';
import { reparseYamlTemplate } from './cloudformation/incrementalYaml';
import type { ParsedTemplate, TemplateSyntaxError, ValueNode, YamlParse } from './cloudformation/valueTree';
import { isSyntaxError, pairOf, parseJsonTemplate, parseYamlTemplate, parseYamlTemplateWithFacts, scalarText } from './cloudformation/valueTree';
import { KeptParses } from './keptParses';

function isJson(text: string, path: string): boolean {
  return path.toLowerCase().endsWith('.json') || text.trimStart().startsWith('{');
}

/** The parses of YAML templates an editor keeps between versions of its documents (JSON templates are parsed whole). */
export type KeptTemplateParses = KeptParses<{ text: string; parse: YamlParse }>;

export function keptTemplateParses(): KeptTemplateParses {
  return new KeptParses();
}

/** A YAML template's parse, from the kept parse of its previous version when there is one. */
function parseYamlKept(file: SourceFile, kept: KeptTemplateParses): ParsedTemplate | TemplateSyntaxError {
  const previous = kept.get(file.path);
  if (previous?.text === file.text) {
    kept.keep(file.path, previous);
    return previous.parse.parsed;
  }
  const parse = previous ? reparseYamlTemplate(previous.parse, file.text).parse : parseYamlTemplateWithFacts(file.text);
  kept.keep(file.path, { text: file.text, parse });
  return parse.parsed;
}

function parseTemplateText(file: SourceFile, kept: KeptTemplateParses | undefined): ParsedTemplate | TemplateSyntaxError {
  if (isJson(file.text, file.path)) return parseJsonTemplate(file.text);
  return kept ? parseYamlKept(file, kept) : parseYamlTemplate(file.text);
}

function skippedUnit(skipped: SkippedFile[]): ParsedUnit {
  return { graph: emptyGraph(), fixes: noFixes, suppressions: new Map(), skipped };
}

/** A template read and checked, or why it is skipped; `stackName` as a cloud assembly's manifest gives it. */
function readTemplate(file: SourceFile, stackName?: string, kept?: KeptTemplateParses): { template: Template } | { skipped: SkippedFile } {
  const parsed = parseTemplateText(file, kept);
  if (isSyntaxError(parsed) && parsed.exceedsLimit) return { skipped: { file: file.path, reason: `${parsed.message}.` } };
  if (isSyntaxError(parsed)) {
    return { skipped: { file: file.path, reason: `${isJson(file.text, file.path) ? 'JSON' : 'YAML'} syntax error: ${parsed.message.replace(/:$/, '')}. Fix it to analyse the template.` } };
  }
  if (parsed.root?.kind !== 'map') return { skipped: { file: file.path, reason: 'Not a CloudFormation template: the top level is not a map.' } };
  const template = new Template(parsed, stackName);
  const duplicate = template.duplicateLogicalId();
  if (duplicate) {
    const line = parsed.lines.lineOf(duplicate.keyStart) + 1;
    return { skipped: { file: file.path, reason: `Resources defines ${duplicate.key} twice (again at line ${line}); CloudFormation rejects the template: rename or remove one.` } };
  }
  return { template };
}

/**
 * Parses the templates of a unit: one template, or the templates of a folder, whose imports of each
 * other's exports resolve. Broken files are skipped, never thrown. With `kept`, YAML templates are
 * re-parsed from their previous versions' parses (see ./cloudformation/incrementalYaml).
 */
export function parseCloudFormation(files: SourceFile[], kept?: KeptTemplateParses): ParsedUnit {
  const skipped: SkippedFile[] = [];
  const { templates: templateFiles, stackNames } = splitAssembly(files, skipped);
  const read: { file: SourceFile; template: Template }[] = [];
  for (const file of templateFiles) {
    const result = readTemplate(file, stackNames.get(file.path), kept);
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
  linkNestedStacks(
    templates,
    read.map(({ file }) => file.path),
    prefixes,
  );
  linkImports(templates, prefixes);
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
 * A unit's templates apart from the cloud assembly manifest it may hold, with the stack name the
 * manifest gives each template it lists.
 */
function splitAssembly(files: SourceFile[], skipped: SkippedFile[]): { templates: SourceFile[]; stackNames: Map<string, string> } {
  const stackNames = new Map<string, string>();
  const templates: SourceFile[] = [];
  for (const file of files) {
    if (!isAssemblyManifestPath(file.path)) {
      templates.push(file);
      continue;
    }
    const stacks = assemblyStacks(file.path, file.text);
    if (!stacks) skipped.push({ file: file.path, reason: 'not a cloud assembly manifest: no artifacts of type aws:cloudformation:stack with a templateFile' });
    for (const stack of stacks ?? []) stackNames.set(stack.templateFile, stack.stackName);
  }
  return { templates, stackNames };
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
    for (const name of result.template.exports().keys()) if (!exporters.has(name)) exporters.set(name, i);
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

/** `Transform: AWS::Serverless-2016-10-31`, a list of such names, or `{Name: AWS::Include, …}`. */
function isAwsTransform(node: ValueNode | undefined): boolean {
  if (node?.kind === 'seq') return node.items.length > 0 && node.items.every(isAwsTransform);
  const name = node?.kind === 'map' ? scalarText(pairOf(node, 'Name')?.value) : scalarText(node);
  return name?.startsWith('AWS::') === true;
}

/** A document that is a map with a format version, an AWS transform, or `Resources` of typed resources. */
function hasTemplateShape(root: ValueNode | undefined): boolean {
  if (root?.kind !== 'map' || root.tag) return false;
  if (pairOf(root, 'AWSTemplateFormatVersion')) return true;
  if (isAwsTransform(pairOf(root, 'Transform')?.value)) return true;
  const resources = pairOf(root, 'Resources')?.value;
  if (resources?.kind !== 'map' || resources.pairs.length === 0) return false;
  return resources.pairs.every((pair) => pair.value?.kind === 'map' && scalarText(pairOf(pair.value, 'Type')?.value) !== undefined);
}

const TEMPLATE_KEYS = ['AWSTemplateFormatVersion', 'Resources', 'Transform'];

function startsALine(text: string, word: string): boolean {
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    if (at === 0 || text.charCodeAt(at - 1) === 10 || (at === 1 && text.charCodeAt(0) === 0xfeff)) return true;
  }
  return false;
}

/**
 * A template is recognised by its content, at any indentation (a whole template may sit indented
 * under `---`): see {@link hasTemplateShape}. Files that do not mention a top-level key of a template
 * are not parsed, so the check stays cheap for other YAML and JSON. A broken file that names a format
 * version still counts, so that its syntax error is reported rather than the file ignored; so does a
 * file past a bound of ../limits that names `Resources`, so that the reason is reported.
 */
export function isCloudFormationTemplate(text: string, path: string): boolean {
  if (!TEMPLATE_KEYS.some((key) => text.includes(key))) return false;
  // The common case, a format version at the top level, needs no parse; the analysis parses next.
  if (!isJson(text, path) && startsALine(text, 'AWSTemplateFormatVersion')) return true;
  const parsed = isJson(text, path) ? parseJsonTemplate(text) : parseYamlTemplate(text);
  if (!isSyntaxError(parsed)) return hasTemplateShape(parsed.root);
  return text.includes('AWSTemplateFormatVersion') || (parsed.exceedsLimit === true && text.includes('Resources'));
}
