import { describe, expect, it } from 'vitest';
import { cidrContains, isStrictSubset, parseCIDR, parseIP } from '../../../src/netpol/cidr.ts';

const contains = (cidr: string, ip: string) => cidrContains(parseCIDR(cidr)!, parseIP(ip)!);

describe('parseIP', () => {
  it.each([
    ['10.0.0.1', true],
    ['255.255.255.255', true],
    ['256.0.0.1', false],
    ['10.0.0', false],
    ['010.0.0.1', false],
    ['::', true],
    ['::1', true],
    ['fd00::5', true],
    ['2001:db8:0:0:0:0:0:1', true],
    ['::ffff:10.0.0.1', true],
    ['1:2:3:4:5:6:7:8:9', false],
    ['1::2::3', false],
    ['fe80::1%eth0', false],
    ['12345::', false],
    ['', false],
  ])('%j parses: %s', (text, ok) => {
    expect(parseIP(text) !== undefined).toBe(ok);
  });

  it('expands :: in the middle', () => {
    expect(parseIP('2001:db8::1')!.value).toBe(parseIP('2001:db8:0:0:0:0:0:1')!.value);
  });
});

describe('CIDR math', () => {
  it.each([
    ['10.0.0.0/8', '10.255.1.2', true],
    ['10.0.0.0/8', '11.0.0.1', false],
    ['10.1.2.3/32', '10.1.2.3', true],
    ['10.1.2.3/32', '10.1.2.4', false],
    ['0.0.0.0/0', '203.0.113.9', true],
    ['0.0.0.0/0', 'fd00::1', false], // families never mix
    ['::/0', '10.0.0.1', false],
    ['fd00::/64', 'fd00::ffff', true],
    ['fd00::/64', 'fd00:0:0:1::1', false],
    ['10.0.0.77/24', '10.0.0.1', true], // host bits are masked off, as Go's ParseCIDR does
  ])('%s contains %s: %s', (cidr, ip, expected) => {
    expect(contains(cidr, ip)).toBe(expected);
  });

  it.each([['10.0.0.0/33'], ['10.0.0.0'], ['10.0.0.0/-1'], ['::/129'], ['x/8'], ['10.0.0.0/08']])('%j is not a CIDR', (text) => {
    expect(parseCIDR(text)).toBeUndefined();
  });

  it.each([
    ['10.0.1.0/24', '10.0.0.0/16', true],
    ['10.0.0.0/16', '10.0.0.0/16', false], // equal is not strict
    ['10.1.0.0/24', '10.0.0.0/16', false],
    ['10.0.0.0/8', '10.0.0.0/16', false],
    ['fd00::/120', 'fd00::/64', true],
  ])('%s strict subset of %s: %s', (inner, outer, expected) => {
    expect(isStrictSubset(parseCIDR(inner)!, parseCIDR(outer)!)).toBe(expected);
  });
});
