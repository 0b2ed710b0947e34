import * as assert from 'node:assert/strict';
import { applyEdits, fixUnit } from '../../../src/core/fixes/fixAll';
import type { LambdaFunction, Range } from '../../../src/core/model/graph';
import { emptyGraph } from '../../../src/core/model/graph';
import type { TextEdit } from '../../../src/core/model/findings';
import { noFixes } from '../../../src/core/model/fixes';
import type { AnalysisUnit, ParsedUnit } from '../../../src/core/model/source';

function range(startLine: number, startCharacter: number, endLine: number, endCharacter: number): Range {
  return { start: { line: startLine, character: startCharacter }, end: { line: endLine, character: endCharacter } };
}

function edit(r: Range, newText: string): TextEdit {
  return { file: 'f', range: r, newText };
}

describe('applyEdits', () => {
  it('applies edits given in any order', () => {
    assert.equal(applyEdits('one\ntwo\nthree', [edit(range(2, 0, 2, 5), 'THREE'), edit(range(0, 0, 0, 3), 'ONE')]), 'ONE\ntwo\nTHREE');
  });

  it('keeps the given order of insertions at the same place', () => {
    assert.equal(applyEdits('ab', [edit(range(0, 1, 0, 1), '1'), edit(range(0, 1, 0, 1), '2')]), 'a12b');
  });

  it('counts lines ending in \\r\\n and \\r and characters in UTF-16 units', () => {
    assert.equal(applyEdits('a\r\nb\rc', [edit(range(1, 0, 1, 1), 'B'), edit(range(2, 1, 2, 1), '!')]), 'a\r\nB\rc!');
    assert.equal(applyEdits('😀x\n', [edit(range(0, 2, 0, 3), 'y')]), '😀y\n');
  });

  it('inserts at the end of a file and clamps positions past a line end', () => {
    assert.equal(applyEdits('a\n', [edit(range(1, 0, 1, 0), 'b\n')]), 'a\nb\n');
    assert.equal(applyEdits('a\nb', [edit(range(0, 9, 0, 9), '!')]), 'a\n!b');
  });

  it('refuses overlapping edits', () => {
    assert.throws(() => applyEdits('abcdef', [edit(range(0, 0, 0, 3), 'x'), edit(range(0, 2, 0, 4), 'y')]), /overlapping edits/);
  });
});

/**
 * A toy format: a file whose text contains `flag` has a function with the flag and no subnets
 * (IPV6L004); removing the flag replaces line 0 with the file's `fix:` text; a file starting with `!` does not parse.
 */
async function toyParse(unit: AnalysisUnit): Promise<ParsedUnit> {
  const graph = emptyGraph();
  const skipped = [];
  for (const file of unit.files) {
    if (file.text.startsWith('!')) {
      skipped.push({ file: file.path, reason: 'syntax error' });
      continue;
    }
    if (!file.text.startsWith('flag')) continue;
    const fn: LambdaFunction = {
      kind: 'function',
      key: file.path,
      name: file.path,
      hasVpcConfig: false,
      ipv6Flag: true,
      subnets: [],
      securityGroups: [],
      flagLoc: { file: file.path, range: range(0, 0, 0, 4) },
    };
    graph.functions.push(fn);
  }
  const replacement = (path: string) => unit.files.find((file) => file.path === path)!.text.split('\n')[1].replace('fix:', '');
  return {
    graph,
    fixes: { ...noFixes, removeFlag: (fn) => ({ edits: [{ file: fn.key, range: fn.flagLoc!.range, newText: replacement(fn.key) }] }) },
    suppressions: new Map(),
    skipped,
  };
}

describe('fixUnit', () => {
  it('applies preferred fixes, leaves a file its fix would break untouched and reports it', async () => {
    const unit: AnalysisUnit = {
      format: 'cloudformation',
      files: [
        { path: 'good', text: 'flag\nfix:ok' },
        { path: 'bad', text: 'flag\nfix:!' },
        { path: 'quiet', text: 'nothing' },
      ],
    };
    const result = await fixUnit(unit, {}, toyParse);
    assert.deepEqual([...result.files], [['good', 'ok\nfix:ok']]);
    assert.deepEqual(result.applied, [{ rule: 'IPV6L004', title: 'Remove Ipv6AllowedForDualStack from good', file: 'good' }]);
    assert.deepEqual(result.unparsable, [{ file: 'bad', reason: 'a fix made the file unparsable (syntax error); it was left unchanged' }]);
    assert.deepEqual(
      result.remaining.map((finding) => `${finding.rule}:${finding.subject}`),
      ['IPV6L004:bad'],
    );
  });

  it('applies in one pass only fixes whose edits do not overlap; the others follow in the next pass', async () => {
    // Two functions whose flags share line 0 of one file: the second fix waits for a re-analysis.
    const parse = async (unit: AnalysisUnit): Promise<ParsedUnit> => {
      const text = unit.files[0].text;
      const graph = emptyGraph();
      for (const [key, at] of [['A', text.indexOf('flagA')], ['B', text.indexOf('flagB')]] as const) {
        if (at < 0) continue;
        graph.functions.push({ kind: 'function', key, name: key, hasVpcConfig: false, ipv6Flag: true, subnets: [], securityGroups: [], flagLoc: { file: 'f', range: range(0, at, 0, at + 5) } });
      }
      // Removing a flag rewrites the whole line, so the two fixes overlap.
      const removeFlag = (fn: LambdaFunction) => ({ edits: [{ file: 'f', range: range(0, 0, 0, text.length), newText: text.replace(`flag${fn.key}`, '').trim() }] });
      return { graph, fixes: { ...noFixes, removeFlag }, suppressions: new Map(), skipped: [] };
    };
    const result = await fixUnit({ format: 'cloudformation', files: [{ path: 'f', text: 'flagA flagB' }] }, {}, parse);
    assert.deepEqual([...result.files], [['f', '']]);
    assert.deepEqual(result.applied.map((applied) => applied.title), ['Remove Ipv6AllowedForDualStack from A', 'Remove Ipv6AllowedForDualStack from B']);
    assert.deepEqual(result.remaining, []);
  });

  it('stops after a bounded number of passes when a fix does not resolve its finding', async () => {
    const unit: AnalysisUnit = { format: 'cloudformation', files: [{ path: 'loop', text: 'flag\nfix:flag+' }] };
    const result = await fixUnit(unit, {}, toyParse);
    assert.equal(result.applied.length, 10);
    assert.equal(result.remaining.length, 1);
  });

  it('reports files that did not parse to begin with and changes nothing', async () => {
    const unit: AnalysisUnit = { format: 'cloudformation', files: [{ path: 'b', text: '!flag' }] };
    const result = await fixUnit(unit, {}, toyParse);
    assert.deepEqual(result.skipped, [{ file: 'b', reason: 'syntax error' }]);
    assert.equal(result.files.size, 0);
    assert.deepEqual(result.unparsable, []);
  });
});
