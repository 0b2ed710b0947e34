/**
 * Property: re-parsing a YAML template from the parse of its previous version gives exactly the
 * fresh parse of the new text (tree, offsets, comments, lines, quote style), whether one entry was
 * re-parsed or the whole file. Seeded: failures repeat.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { reparseYamlTemplate } from '../../../src/core/parse/cloudformation/incrementalYaml';
import { parseYamlTemplateWithFacts } from '../../../src/core/parse/cloudformation/valueTree';
import { seededRandom } from '../../support/seededRandom';

const FOLDER = path.join(__dirname, '..', '..', 'fixtures', 'cloudformation');
const EDITS_PER_FIXTURE = 60;

/** Line edits as in the server's property test, plus typing inside a line and edits that break the entry. */
function randomEdit(text: string, next: () => number): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const line = Math.floor(next() * starts.length);
  const start = starts[line];
  const end = line + 1 < starts.length ? starts[line + 1] : text.length;
  const at = start + Math.floor(next() * (end - start));
  const pieces = ['x', ' ', '\n', '# note\n', "'", '[', 'true', '  Extra: 1\n', '&a ', '---\n', '\t'];
  const choice = next();
  if (choice < 0.2) return text.slice(0, start) + text.slice(end);
  if (choice < 0.4) return text.slice(0, start) + text.slice(start, end) + text.slice(start);
  if (choice < 0.55) return text.slice(0, at) + text.slice(at + 1);
  return text.slice(0, at) + pieces[Math.floor(next() * pieces.length)] + text.slice(at);
}

describe('incremental YAML re-parse', () => {
  const fixtures = readdirSync(FOLDER).filter((name) => name.endsWith('.yaml'));
  for (const name of fixtures) {
    it(`${name}: after each of ${EDITS_PER_FIXTURE} random edits, the re-parse equals a fresh parse`, () => {
      const original = readFileSync(path.join(FOLDER, name), 'utf8');
      const next = seededRandom(0x1ac4e5 ^ name.length);
      const originalParse = parseYamlTemplateWithFacts(original);
      const scopes = { entry: 0, file: 0 };
      const check = (previous: ReturnType<typeof parseYamlTemplateWithFacts>, text: string, step: number) => {
        const reparse = reparseYamlTemplate(previous, text);
        assert.deepEqual(reparse.parse, parseYamlTemplateWithFacts(text), `step ${step}: ${JSON.stringify(reparse.scope)}`);
        scopes['entry' in reparse.scope ? 'entry' : 'file']++;
        return reparse.parse;
      };
      for (let step = 0; step < EDITS_PER_FIXTURE; step++) {
        // Each edit is made, then undone, as in an editor.
        const edited = check(originalParse, randomEdit(original, next), step);
        check(edited, original, step);
      }
      // Both paths must have been taken, or the property says nothing about one of them.
      assert.ok(scopes.entry >= EDITS_PER_FIXTURE / 3, `only ${scopes.entry} edits re-parsed one entry`);
      assert.ok(scopes.file >= 1, 'no edit fell back to the whole file');
    });
  }

  it('re-parses only the edited resource, and falls back with the reason when an edit reaches across entries', () => {
    const text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A:\n    Type: AWS::EC2::VPC\n  B:\n    Type: AWS::EC2::Subnet # b\nOutputs:\n  X:\n    Value: 1\n";
    const previous = parseYamlTemplateWithFacts(text);
    assert.deepEqual(reparseYamlTemplate(previous, text.replace('Subnet #', 'RouteTable #')).scope, { entry: 'Resources.B' });
    assert.deepEqual(reparseYamlTemplate(previous, text.replace('  B:\n', '')).scope, { file: "the edited lines do not stay within the entry's indentation" });
    assert.deepEqual(reparseYamlTemplate(previous, text.replace('Resources:', 'Resource:')).scope, { file: 'the edit is not inside an entry of a section' });
    assert.deepEqual(reparseYamlTemplate(previous, text.replace('Type: AWS::EC2::VPC', "Type: 'AWS::EC2::VPC")).scope, { file: 'the edited entry does not parse alone' });
    assert.deepEqual(reparseYamlTemplate(previous, text.replace('Value: 1', 'Value: &v 1')).scope, { file: 'the edited entry uses anchors, aliases or directives' });
  });
});
