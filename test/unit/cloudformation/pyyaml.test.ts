/**
 * Templates that CloudFormation and PyYAML read although YAML 1.2 is stricter, and the errors a
 * really broken template still gets. Each construct carries an IPV6L001 finding, so a template that
 * was skipped, or read with shifted offsets, fails on its exact range.
 */
import * as assert from 'node:assert/strict';
import { analyzeParsed } from '../../../src/core/analysis/analyze';
import { detectFormat } from '../../../src/core/parse';
import { applyEdits, fixture, parse, span } from './helpers';

function l001(name: string): { range: string; fixed: string } {
  const text = fixture(`pyyaml/${name}`);
  assert.equal(detectFormat(name, text), 'cloudformation', 'recognised as a template');
  const parsed = parse(text, name);
  assert.deepEqual(parsed.skipped, []);
  const findings = analyzeParsed(parsed);
  assert.deepEqual(findings.map((finding) => finding.rule), ['IPV6L001']);
  const fixedText = applyEdits(text, findings[0].fixes.find((fix) => fix.preferred)!.edits);
  return { range: span(findings[0].loc?.range), fixed: fixedText };
}

function findingsAfterFix(text: string, name: string): string[] {
  const parsed = parse(text, name);
  assert.deepEqual(parsed.skipped, [], `the fixed template parses:\n${text}`);
  return analyzeParsed(parsed).map((finding) => finding.rule);
}

describe('YAML as CloudFormation reads it', () => {
  it('reads a multi-line single-quoted !Sub whose closing line sits at the key indentation', () => {
    const { range, fixed } = l001('single-quoted-closing-at-key.yaml');
    assert.equal(range, '32:6-32:15');
    assert.deepEqual(findingsAfterFix(fixed, 'single-quoted-closing-at-key.yaml'), []);
  });

  it('reads such a scalar even when its inner lines sit at column 0, as PyYAML does', () => {
    const parsed = parse("Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      Doc: '{\n\"a\": 1\n}'\n      Next: 2\n");
    assert.deepEqual(parsed.skipped, []);
  });

  it('reads flow collections whose closing brackets sit at the key indentation', () => {
    const { range, fixed } = l001('flow-closing-at-key.yaml');
    assert.equal(range, '45:6-45:15');
    assert.deepEqual(findingsAfterFix(fixed, 'flow-closing-at-key.yaml'), []);
  });

  it('reads a flow mapping inside SAM event properties closed at the key indentation', () => {
    const { range, fixed } = l001('sam-event-flow.yaml');
    assert.equal(range, '33:6-33:15');
    assert.deepEqual(findingsAfterFix(fixed, 'sam-event-flow.yaml'), []);
  });

  it('recognises and reads a whole template indented under ---', () => {
    const { range, fixed } = l001('indented-under-marker.yaml');
    assert.equal(range, '26:8-26:17');
    assert.deepEqual(findingsAfterFix(fixed, 'indented-under-marker.yaml'), []);
  });

  it('reads a JSON template saved with a byte order mark, at the offsets of the file as saved', () => {
    const { range, fixed } = l001('byte-order-mark.json');
    assert.equal(range, '21:8-21:19');
    assert.equal(fixed.charCodeAt(0), 0xfeff, 'the mark is kept');
    assert.deepEqual(findingsAfterFix(fixed, 'byte-order-mark.json'), []);
  });

  it('reads a YAML template with a byte order mark', () => {
    const text = `\ufeff${fixture('pyyaml/sam-event-flow.yaml')}`;
    assert.equal(detectFormat('t.yaml', text), 'cloudformation');
    assert.deepEqual(parse(text).skipped, []);
  });

  it('recognises templates by a format version or an AWS transform at any indentation, and nothing else', () => {
    assert.equal(detectFormat('t.yaml', "---\n    Transform: AWS::Serverless-2016-10-31\n    Resources: {}\n"), 'cloudformation');
    assert.equal(detectFormat('t.yaml', 'Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\n'), 'cloudformation');
    assert.equal(detectFormat('t.yaml', 'Transform:\n  Name: AWS::Include\n  Parameters: {Location: s3://b/k}\n'), 'cloudformation');
    assert.equal(detectFormat('t.yaml', 'Transform: lowercase\nsteps: []\n'), undefined);
    assert.equal(detectFormat('t.yaml', '---\n  Resources:\n    cpu: 2\n'), undefined);
  });

  describe('templates that are really broken', () => {
    it('names the error with its line and column', () => {
      const parsed = parse('Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Name: a: b\n');
      assert.deepEqual(parsed.skipped, [{ file: 'template.yaml', reason: 'YAML syntax error: Nested mappings are not allowed in compact mappings at line 5, column 13. Fix it to analyse the template.' }]);
    });

    it('reports an unclosed flow sequence where PyYAML does, at the end of the file', () => {
      const parsed = parse("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: [\n");
      assert.match(parsed.skipped[0].reason, /^YAML syntax error: .+ at line 4, column 1\. Fix it to analyse the template\.$/);
    });

    it('reports a quoted scalar cut by a document marker', () => {
      const parsed = parse("Resources:\n  A:\n    Type: 'AWS::\n---\n");
      assert.match(parsed.skipped[0].reason, /^YAML syntax error: .+ at line \d+, column \d+\. Fix it to analyse the template\.$/);
    });

    it('says that a file holds several documents, at the second', () => {
      const parsed = parse('Resources: {}\n---\nResources: {}\n');
      assert.deepEqual(parsed.skipped, [{ file: 'template.yaml', reason: 'YAML syntax error: the file holds more than one YAML document; CloudFormation reads one template per file at line 2, column 1. Fix it to analyse the template.' }]);
    });
  });
});
