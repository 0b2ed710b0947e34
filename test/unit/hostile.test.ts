/**
 * Hostile inputs are answered at once, with their own reason: an alias bomb, nesting far deeper
 * than any real file in every format. The bounds are loose because the machine is shared; what
 * they catch is a minute-long expansion or a stack overflow, not milliseconds.
 */
import * as assert from 'node:assert/strict';
import { analyzeUnit } from '../../src/core/analysis/analyzeUnit';
import type { SourceFormat } from '../../src/core/model/source';
import type { Tree } from 'web-tree-sitter';
import { MAX_ALIAS_NODES, MAX_NESTING_DEPTH, MAX_SYNTAX_TREE_DEPTH, aliasesExpandTooFar, nestedTooDeep, treeNestsTooDeep } from '../../src/core/parse/limits';
import { type Grammar, createParser } from '../../src/core/parse/treeSitter';
import { detectFormat } from '../../src/core/parse';

const ANSWER_WITHIN_MS = 1500;
const DEPTH = 20_000;

/** The "billion laughs" shape of the issue: ten levels of ten aliases each, under a typed resource. */
function aliasBomb(): string {
  const levels = [`      a0: &a0 [x, x, x, x, x, x, x, x, x, x]`];
  for (let level = 1; level < 10; level++) levels.push(`      a${level}: &a${level} [${Array(10).fill(`*a${level - 1}`).join(', ')}]`);
  return `Resources:\n  Bomb:\n    Type: Custom::Bomb\n    Properties:\n${levels.join('\n')}\n`;
}

/** The depth of a syntax tree by visiting every node: what the bound's shortcut must agree with. */
function depthOfEveryNode(tree: Tree): number {
  const cursor = tree.walk();
  let depth = 0;
  let deepest = 0;
  for (;;) {
    if (cursor.gotoFirstChild()) {
      deepest = Math.max(deepest, ++depth);
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        cursor.delete();
        return deepest;
      }
      depth -= 1;
    }
  }
}

async function answer(format: SourceFormat, path: string, text: string): Promise<string[]> {
  const started = performance.now();
  const result = await analyzeUnit({ format, files: [{ path, text }] });
  const elapsed = performance.now() - started;
  assert.ok(elapsed < ANSWER_WITHIN_MS, `${path} answered in ${Math.round(elapsed)} ms`);
  assert.deepEqual(result.findings, []);
  return result.skipped.map((skipped) => skipped.reason);
}

describe('hostile input', function () {
  this.timeout(30_000);

  it('refuses a YAML alias bomb by the nodes it would produce, and recognises it as a template to say so', async () => {
    const text = aliasBomb();
    assert.ok(text.length < 800, 'a few hundred bytes');
    assert.equal(detectFormat('bomb.yaml', text), 'cloudformation');
    assert.deepEqual(await answer('cloudformation', 'bomb.yaml', text), [`${aliasesExpandTooFar()}.`]);
    assert.match(aliasesExpandTooFar(), new RegExp(`^YAML aliases expand to more than ${MAX_ALIAS_NODES} nodes`));
  });

  it('still expands a template whose aliases stay within the bound', async () => {
    const text = 'Resources:\n  A:\n    Type: Custom::A\n    Properties:\n      Tags: &tags [{Key: a, Value: b}]\n  B:\n    Type: Custom::B\n    Properties:\n      Tags: *tags\n';
    assert.deepEqual(await answer('cloudformation', 'ok.yaml', text), []);
  });

  it('refuses an alias that contains itself instead of recursing', async () => {
    assert.equal((await answer('cloudformation', 'self.yaml', 'Resources:\n  A:\n    Type: Custom::A\n    Properties:\n      Loop: &loop [*loop]\n')).length, 1);
  });

  const deep: [SourceFormat, string, string][] = [
    ['cloudformation', 'flow.yaml', `Resources:\n  A:\n    Type: Custom::A\n    Properties:\n      Deep: ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}\n`],
    ['cloudformation', 'block.yaml', `Resources:\n${Array.from({ length: 1500 }, (_, level) => `${' '.repeat(level + 2)}- k:`).join('\n')} 1\n`],
    ['cloudformation', 'deep.json', `{"Resources": {"A": {"Type": "Custom::A", "Properties": {"Deep": ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}}}}}`],
    ['terraform', 'deep.tf', `resource "aws_subnet" "a" {\n  tags = ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}\n}\n`],
    ['cdk-typescript', 'deep.ts', `import * as ec2 from 'aws-cdk-lib/aws-ec2';\nconst deep = ${'('.repeat(DEPTH)}1${')'.repeat(DEPTH)};\n`],
    ['cdk-python', 'deep.py', `import aws_cdk\ndeep = ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}\n`],
  ];
  for (const [format, path, text] of deep) {
    const limit = format === 'cloudformation' ? MAX_NESTING_DEPTH : MAX_SYNTAX_TREE_DEPTH;
    it(`refuses nesting deeper than ${limit} levels in ${path} (${format}) with its reason`, async () => {
      const reasons = await answer(format, path, text);
      assert.equal(reasons.length, 1);
      assert.ok(reasons[0].startsWith(nestedTooDeep(limit)), reasons[0]);
    });
  }

  const nestings: [Grammar, (levels: number) => string][] = [
    ['terraform', (levels) => `resource "aws_subnet" "a" {\n  tags = ${'['.repeat(levels)}${']'.repeat(levels)}\n}\n`],
    ['typescript', (levels) => `const a = 1;\nconst deep = ${'('.repeat(levels)}1${')'.repeat(levels)};\nconst b = [2, 3];\n`],
    ['python', (levels) => `a = 1\ndeep = ${'['.repeat(levels)}${']'.repeat(levels)}\n`],
  ];
  for (const [grammar, nested] of nestings) {
    it(`finds a ${grammar} syntax tree too deep exactly when one of its nodes lies deeper than ${MAX_SYNTAX_TREE_DEPTH} levels`, async () => {
      const parser = await createParser(grammar);
      const depths = new Set<number>();
      try {
        for (let levels = 100, depth = 0; depth <= MAX_SYNTAX_TREE_DEPTH + 3; levels++) {
          const tree = parser.parse(nested(levels))!;
          depth = depthOfEveryNode(tree);
          if (Math.abs(depth - MAX_SYNTAX_TREE_DEPTH) <= 3) {
            depths.add(depth);
            assert.equal(treeNestsTooDeep(tree), depth > MAX_SYNTAX_TREE_DEPTH, `${levels} levels, ${depth} deep`);
          }
          tree.delete();
        }
      } finally {
        parser.delete();
      }
      // The boundary itself was met: a tree exactly at the bound and one just past it.
      assert.ok(depths.has(MAX_SYNTAX_TREE_DEPTH) || depths.has(MAX_SYNTAX_TREE_DEPTH - 1), [...depths].join(', '));
      assert.ok([...depths].some((depth) => depth > MAX_SYNTAX_TREE_DEPTH), [...depths].join(', '));
    });
  }

  it('reads nesting just inside the bound', async () => {
    const depth = MAX_NESTING_DEPTH - 10;
    assert.deepEqual(await answer('cloudformation', 'ok.json', `{"Resources": {"A": {"Type": "Custom::A", "Properties": {"Deep": ${'['.repeat(depth)}${']'.repeat(depth)}}}}}`), []);
    assert.deepEqual(await answer('cloudformation', 'ok.yaml', `Resources:\n  A:\n    Type: Custom::A\n    Properties:\n      Deep: ${'['.repeat(depth)}${']'.repeat(depth)}\n`), []);
    const block = `Resources:\n  A:\n    Type: Custom::A\n    Properties:\n${Array.from({ length: depth }, (_, level) => `${' '.repeat(level + 6)}k:`).join('\n')} 1\n`;
    assert.deepEqual(await answer('cloudformation', 'block.yaml', block), []);
  });
});
