import * as assert from 'node:assert/strict';
import { retryDelayMs } from '../../../src/core/aws/clients';

describe('AWS client retries', () => {
  it('backs off with full jitter over 100 ms doubling per attempt, never more than 2 s', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 10].map((attempt) => retryDelayMs(attempt, () => 0.999999)), [99, 199, 399, 799, 1599, 1999, 1999]);
    assert.equal(retryDelayMs(3, () => 0), 0);
    assert.equal(retryDelayMs(2, () => 0.5), 100);
  });
});
