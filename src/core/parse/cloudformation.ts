/** CloudFormation and SAM templates, YAML or JSON: the resource graph, its fixes and its suppressions. */
import { emptyGraph } from '../model/graph';
import { noFixes } from '../model/fixes';
import type { FileSuppressions, ParsedUnit, SkippedFile, SourceFile } from '../model/source';
import { suppressionsFromComments } from '../model/suppress';
import { CloudFormationFixes } from './cloudformation/fixes';
import { buildGraph } from './cloudformation/graph';
import { Template } from './cloudformation/template';
import type { ParsedTemplate, TemplateSyntaxError, ValueNode } from './cloudformation/valueTree';
import { isSyntaxError, pairOf, parseJsonTemplate, parseYamlTemplate, scalarText } from './cloudformation/valueTree';

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
  if (isSyntaxError(parsed) && parsed.exceedsLimit) return skippedUnit([{ file: file.path, reason: `${parsed.message}.` }, ...extra]);
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
