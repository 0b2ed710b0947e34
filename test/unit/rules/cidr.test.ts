import * as assert from 'node:assert/strict';
import { isIpv4DefaultRoute, isIpv6DefaultRoute, isIpv6Destination, isNat64Prefix } from '../../../src/core/rules/cidr';

describe('CIDR comparisons', () => {
  it('recognises ::/0 in any spelling and nothing else', () => {
    assert.equal(isIpv6DefaultRoute('::/0'), true);
    assert.equal(isIpv6DefaultRoute('0:0:0:0:0:0:0:0/0'), true);
    assert.equal(isIpv6DefaultRoute('::0/0'), true);
    assert.equal(isIpv6DefaultRoute('::/1'), false);
    assert.equal(isIpv6DefaultRoute('0.0.0.0/0'), false);
    assert.equal(isIpv6DefaultRoute('::'), false);
  });

  it('recognises the NAT64 prefix 64:ff9b::/96 only with its /96 length', () => {
    assert.equal(isNat64Prefix('64:ff9b::/96'), true);
    assert.equal(isNat64Prefix('0064:FF9B:0000::/96'), true);
    assert.equal(isNat64Prefix('64:ff9b::/64'), false);
    assert.equal(isNat64Prefix('64:ff9b:1::/96'), false);
    assert.equal(isNat64Prefix('64:ff9b:::/96'), false);
  });

  it('recognises 0.0.0.0/0 and IPv6 destinations', () => {
    assert.equal(isIpv4DefaultRoute('0.0.0.0/0'), true);
    assert.equal(isIpv4DefaultRoute('0.0.0.0/8'), false);
    assert.equal(isIpv4DefaultRoute('10.0.0.0/0'), false);
    assert.equal(isIpv6Destination('2001:db8::/32'), true);
    assert.equal(isIpv6Destination('10.0.0.0/16'), false);
  });
});
