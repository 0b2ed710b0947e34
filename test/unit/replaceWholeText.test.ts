import * as assert from 'node:assert/strict';
import { applyEdits, replaceWholeText } from '../../src/core/fixes/fixAll';

describe('replaceWholeText', () => {
  it('spans the whole text, ending after the last line, whatever the line endings', () => {
    for (const before of ['a\nb\n', 'a\r\nbc', 'one line', '', 'x\ry\r']) {
      const edit = replaceWholeText('f', before, 'new');
      assert.deepEqual(edit.range.start, { line: 0, character: 0 });
      assert.equal(applyEdits(before, [edit]), 'new', JSON.stringify(before));
    }
    assert.deepEqual(replaceWholeText('f', 'a\r\nbc', 'n').range.end, { line: 1, character: 2 });
    assert.deepEqual(replaceWholeText('f', 'a\nb\n', 'n').range.end, { line: 2, character: 0 });
  });
});
