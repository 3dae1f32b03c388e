import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { createGuardedLookup, type Resolver } from '../../src/http/guarded-lookup.js';
import { compileRestrictedPatterns } from '../../src/security/ip-guard/index.js';

type Result = { error: (Error & { code?: string }) | null; address: string | LookupAddress[]; family?: number };

function lookup(resolver: Resolver, options: { all?: boolean; family?: number }, allowPrivateIps = false): Promise<Result> {
  const guarded = createGuardedLookup(resolver, { allowPrivateIps, restrictedIpPatterns: compileRestrictedPatterns([]) });
  return new Promise((resolve) => guarded('host.test', options, (error, address, family) => resolve({ error, address, family })));
}

const dualStack: Resolver = async () => [
  { address: '93.184.216.34', family: 4 },
  { address: '2606:2800:220:1::1', family: 6 },
];

describe('createGuardedLookup', () => {
  it('hands net every checked address when it asks for all', async () => {
    const result = await lookup(dualStack, { all: true });
    expect(result.error).toBeNull();
    expect(result.address).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1::1', family: 6 },
    ]);
  });

  it('hands net the first address of the asked family otherwise', async () => {
    expect(await lookup(dualStack, {})).toMatchObject({ error: null, address: '93.184.216.34', family: 4 });
    expect(await lookup(dualStack, { family: 6 })).toMatchObject({ error: null, address: '2606:2800:220:1::1', family: 6 });
  });

  it('checks addresses a family hint would have skipped', async () => {
    const sneaky: Resolver = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '::1', family: 6 },
    ];
    const result = await lookup(sneaky, { family: 4 });
    expect(result.error?.message).toBe('Remote inference host name has private ip address: host.test');
  });

  it('resolves exactly once per connection', async () => {
    let calls = 0;
    const counting: Resolver = async () => (calls++, [{ address: '93.184.216.34', family: 4 }]);
    await lookup(counting, { all: true });
    expect(calls).toBe(1);
  });

  it('reports an empty answer or a missing family as ENOTFOUND', async () => {
    expect((await lookup(async () => [], {})).error?.code).toBe('ENOTFOUND');
    expect((await lookup(async () => [{ address: '93.184.216.34', family: 4 }], { family: 6 })).error?.code).toBe('ENOTFOUND');
  });

  it('passes resolver failures through', async () => {
    const failing: Resolver = async () => {
      throw Object.assign(new Error('getaddrinfo EAI_AGAIN host.test'), { code: 'EAI_AGAIN' });
    };
    expect((await lookup(failing, {})).error?.code).toBe('EAI_AGAIN');
  });

  it('lets private addresses through when allowed', async () => {
    const local: Resolver = async () => [{ address: '10.0.0.7', family: 4 }];
    expect(await lookup(local, {}, true)).toMatchObject({ error: null, address: '10.0.0.7' });
  });
});
