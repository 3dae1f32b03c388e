import { describe, expect, it } from 'vitest';
import { formatIp, formatIpLikeJava, parseIpLiteral } from '../../../src/security/ip-guard/index.js';

const text = (host: string): string | undefined => {
  const parsed = parseIpLiteral(host);
  return parsed === undefined ? undefined : formatIp(parsed);
};

describe('parseIpLiteral', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['0X7F000001', '127.0.0.1'],
    ['017700000001', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['0177.0.0.01', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['127.0.1', '127.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['0x7f.0.0.0x1', '127.0.0.1'],
    ['10.0x10000', '10.1.0.0'],
    ['127.0.0.1.', '127.0.0.1'],
    ['0', '0.0.0.0'],
    ['0x', '0.0.0.0'],
    ['169.254.169.254', '169.254.169.254'],
    ['4294967295', '255.255.255.255'],
  ])('reads the IPv4 spelling %s as %s', (host, expected) => {
    expect(text(host)).toBe(expected);
  });

  it.each([
    ['::1', '::1'],
    ['[::1]', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['::', '::'],
    ['[::ffff:127.0.0.1]', '::ffff:7f00:1'],
    ['::ffff:7f00:1', '::ffff:7f00:1'],
    ['::127.0.0.1', '::7f00:1'],
    ['64:ff9b::10.0.0.1', '64:ff9b::a00:1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['FE80::ABCD', 'fe80::abcd'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8::', '2001:db8::'],
    ['1:0:2:3:4:5:6:7', '1:0:2:3:4:5:6:7'],
  ])('reads the IPv6 spelling %s as %s', (host, expected) => {
    expect(text(host)).toBe(expected);
  });

  it.each([
    'example.com',
    'localhost',
    '',
    '.',
    '1.2.3.4.5',
    '256.1.1.1',
    '1.2.3.256',
    '08.1.1.1',
    '4294967296',
    '0x100000000',
    '1..2',
    '127.0.0.1.nip.io',
    '[::1',
    ':::1',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7:8::',
    '::12345',
    '::ffff:127.1',
    '::ffff:1.2.3.4.5',
    '::g',
  ])('treats %j as a host name', (host) => {
    expect(parseIpLiteral(host)).toBeUndefined();
  });

  it('agrees with WHATWG URL parsing on every IPv4 spelling it accepts', () => {
    for (const host of ['2130706433', '0x7f000001', '0177.0.0.1', '127.1', '0x7f.1', '10.0x10000', '017700000001']) {
      expect(text(host)).toBe(new URL(`http://${host}/`).hostname);
    }
  });

  it('formats IPv6 the way Java getHostAddress does, uncompressed', () => {
    expect(formatIpLikeJava(parseIpLiteral('::1')!)).toBe('0:0:0:0:0:0:0:1');
    expect(formatIpLikeJava(parseIpLiteral('fe80::a')!)).toBe('fe80:0:0:0:0:0:0:a');
    expect(formatIpLikeJava(parseIpLiteral('10.1.2.3')!)).toBe('10.1.2.3');
  });
});
