import { describe, expect, it } from 'vitest';
import { classifyAddress, embeddedIpv4, formatIp, isPrivateAddress, parseIpLiteral } from '../../../src/security/ip-guard/index.js';

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['169.254.169.254', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'reserved or broadcast'],
    ['240.0.0.1', 'reserved or broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'site-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped link-local'],
    ['::127.0.0.1', 'IPv4-compatible loopback'],
    ['::7f00:1', 'IPv4-compatible loopback'],
    ['::ffff:0:10.0.0.1', 'IPv4-translated private'],
    ['64:ff9b::127.0.0.1', 'NAT64 loopback'],
    ['64:ff9b::a00:1', 'NAT64 private'],
    ['64:ff9b:1::1', 'local-use NAT64'],
    ['2002:7f00:1::', '6to4 loopback'],
    ['2002:c0a8:101::1', '6to4 private'],
    ['100::1', 'discard-only'],
    ['2130706433', 'loopback'],
    ['0x7f000001', 'loopback'],
    ['0177.0.0.1', 'loopback'],
    ['127.1', 'loopback'],
    ['[::1]', 'loopback'],
    ['fe80::1%lo', 'link-local'],
  ])('refuses %s (%s)', (address, label) => {
    expect(isPrivateAddress(address)).toBe(true);
    expect(classifyAddress(parseIpLiteral(address)!)).toBe(label);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.15.255.255',
    '172.32.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '169.253.255.255',
    '192.167.255.255',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
    '2002:808:808::',
    'fbff::1',
    'fe7f::1',
  ])('lets the public address %s through', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
    expect(classifyAddress(parseIpLiteral(address)!)).toBeUndefined();
  });

  it('is false for host names (resolve them first)', () => {
    expect(isPrivateAddress('localhost')).toBe(false);
  });

  it('extracts the IPv4 address an IPv6 address carries', () => {
    expect(formatIp(embeddedIpv4(parseIpLiteral('::ffff:10.0.0.1')!)!)).toBe('10.0.0.1');
    expect(formatIp(embeddedIpv4(parseIpLiteral('2002:0a00:0001::')!)!)).toBe('10.0.0.1');
    expect(embeddedIpv4(parseIpLiteral('::1')!)).toBeUndefined();
    expect(embeddedIpv4(parseIpLiteral('2001:db8::1')!)).toBeUndefined();
  });
});
