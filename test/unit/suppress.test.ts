import * as assert from 'node:assert/strict';
import { isSuppressed, suppressionsFromComments } from '../../src/core/model/suppress';

describe('suppression comments', () => {
  it('disables the listed rules on the line after a disable-next-line comment', () => {
    const s = suppressionsFromComments([{ text: '# ipv6-lambda-disable-next-line IPV6L001,IPV6N002', line: 4 }]);
    assert.equal(isSuppressed('IPV6L001', 5, s), true);
    assert.equal(isSuppressed('IPV6N002', 5, s), true);
    assert.equal(isSuppressed('IPV6L001', 6, s), false);
    assert.equal(isSuppressed('IPV6S001', 5, s), false);
  });

  it('disables a rule for the whole file', () => {
    const s = suppressionsFromComments([{ text: '// ipv6-lambda-disable IPV6S001', line: 40 }]);
    assert.equal(isSuppressed('IPV6S001', 0, s), true);
    assert.equal(isSuppressed('IPV6L001', 0, s), false);
  });

  it('ignores words that are not rule ids and directives glued to other words', () => {
    const s = suppressionsFromComments([
      { text: '# ipv6-lambda-disable-next-line because IPV6L001', line: 0 },
      { text: '# ipv6-lambda-disabled IPV6L002', line: 3 },
    ]);
    assert.equal(isSuppressed('IPV6L001', 1, s), true);
    assert.equal(isSuppressed('IPV6L002', 0, s), false);
  });
});
