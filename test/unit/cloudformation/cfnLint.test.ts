/**
 * cfn-lint, AWS's CloudFormation linter, judges what our fix writers and snippets produce: every
 * CloudFormation fixture and example lints without error (E*), and so does each after every offered
 * fix (preferred or not) and after fix-all, and every snippet expansion.
 * cfn-lint knows every resource schema, so this catches what our own parser reading our own output
 * cannot: a property name or value type the service rejects, a missing DependsOn.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeParsed } from '../../../src/core/analysis/analyze';
import { fixUnit } from '../../../src/core/fixes/fixAll';
import { isCloudFormationTemplate } from '../../../src/core/parse/cloudformation';
import { errorsOnly, lintTemplates, type CfnLintMatch } from '../../support/cfnLint';
import { cloudFormationTemplateAround, expand, indent, readSnippets } from '../../support/snippets';
import { applyEdits, parse } from './helpers';

const ROOT = path.resolve(__dirname, '../../..');
const TEMPLATE_FOLDERS = ['test/fixtures/cloudformation', 'examples/cloudformation', 'test/workspace/cloudformation'];

/** Every CloudFormation template of the repository's fixtures and examples (as the workspace scan tells them from other YAML and JSON), each distinct text once. */
function templates(): { name: string; text: string }[] {
  const seen = new Set<string>();
  const found: { name: string; text: string }[] = [];
  for (const folder of TEMPLATE_FOLDERS) {
    // Recursive: the templates of a project (a folder of templates that import each other) count too.
    const entries = fs.readdirSync(path.join(ROOT, folder), { recursive: true, encoding: 'utf8' });
    for (const file of entries.filter((entry) => fs.statSync(path.join(ROOT, folder, entry)).isFile()).sort()) {
      const text = fs.readFileSync(path.join(ROOT, folder, file), 'utf8');
      if (seen.has(text) || !isCloudFormationTemplate(text, file)) continue;
      seen.add(text);
      found.push({ name: `${folder}/${file}`, text });
    }
  }
  return found;
}

/** A fixture, a fixture after something we wrote, or a snippet expansion. */
interface Variant {
  name: string;
  text: string;
  /** The fixture or snippet it comes from. */
  source: string;
  what: string;
}

async function variants(): Promise<Variant[]> {
  const all: Variant[] = [];
  for (const template of templates()) {
    all.push({ name: `input/${template.name}`, text: template.text, source: template.name, what: template.name });
    const parsed = parse(template.text, template.name);
    if (parsed.skipped.length > 0) continue;
    analyzeParsed(parsed).forEach((finding, findingIndex) => {
      finding.fixes.forEach((fix, fixIndex) => {
        const text = applyEdits(template.text, fix.edits);
        all.push({
          name: `fix-${findingIndex}-${fixIndex}/${template.name}`,
          text,
          source: template.name,
          what: `${template.name} after "${fix.title}"${fix.preferred ? ' (preferred)' : ''} for ${finding.rule} ${finding.subject}`,
        });
      });
    });
    const fixedAll = await fixUnit({ format: 'cloudformation', files: [{ path: template.name, text: template.text }] });
    const text = fixedAll.files.get(template.name);
    if (text !== undefined) all.push({ name: `fix-all/${template.name}`, text, source: template.name, what: `${template.name} after fix-all` });
  }
  const snippets = readSnippets('cloudformation.json');
  for (const [title, snippet] of Object.entries(snippets)) {
    if (snippet.prefix === 'ipv6-lambda-flag') {
      for (const [choice, value] of ['true', 'false'].entries()) {
        const resources = `Fn:\n  Type: AWS::Lambda::Function\n  Properties:\n    Runtime: python3.12\n    Handler: index.handler\n    Role: arn:aws:iam::123456789012:role/function-role\n    Code:\n      ZipFile: x\n    VpcConfig:\n      SubnetIds: [subnet-0123456789abcdef0]\n      SecurityGroupIds: [sg-0123456789abcdef0]\n${indent(expand(snippet.body, choice), '      ')}\n`;
        all.push({ name: `snippet/${snippet.prefix}-${value}.yaml`, text: cloudFormationTemplateAround(resources), source: title, what: `snippet "${title}" (${value}) in a function's VpcConfig` });
      }
    } else {
      all.push({ name: `snippet/${snippet.prefix}.yaml`, text: cloudFormationTemplateAround(expand(snippet.body)), source: title, what: `snippet "${title}" under Resources` });
    }
  }
  return all;
}

describe('cfn-lint on what our CloudFormation fixes and snippets write', function () {
  // One cfn-lint run over every variant: its start-up, not the templates, is what costs.
  this.timeout(120_000);
  let all: Variant[] = [];
  const matchesOf = new Map<string, CfnLintMatch[]>();

  before(async () => {
    all = await variants();
    for (const match of lintTemplates(all)) matchesOf.set(match.file, [...(matchesOf.get(match.file) ?? []), match]);
  });

  it('lints every fixture and example, after every offered fix and fix-all, and every snippet', () => {
    const kinds = (prefix: string) => all.filter((variant) => variant.name.startsWith(prefix)).length;
    assert.equal(kinds('input/'), templates().length);
    assert.ok(kinds('fix-') > 10, `fixes linted: ${kinds('fix-')}`);
    assert.ok(kinds('fix-all/') >= 4, `fix-all results linted: ${kinds('fix-all/')}`);
    assert.equal(kinds('snippet/'), 3);
  });

  /** `what: RULE line:column message` for each cfn-lint error in the variants of one fixture or snippet. */
  const errorsFrom = (source: string): string[] =>
    all
      .filter((variant) => variant.source === source)
      .flatMap((variant) => errorsOnly(matchesOf.get(variant.name) ?? []).map((error) => `${variant.what}: ${error.rule} ${error.line}:${error.column} ${error.message}`));

  for (const template of templates()) {
    it(`${template.name}: has no cfn-lint error, nor after any offered fix or fix-all`, () => {
      assert.deepEqual(errorsFrom(template.name), []);
    });
  }

  for (const title of Object.keys(readSnippets('cloudformation.json'))) {
    it(`snippet "${title}": its expansion has no cfn-lint error`, () => {
      assert.deepEqual(errorsFrom(title), []);
    });
  }
});
