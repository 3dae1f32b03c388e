/**
 * The `preference` parameter of `_search`, `_count` and `_msearch` on the stand-in, for
 * OpenSearch 2.8+ (the default) and, through the `version` option, for an older OpenSearch that
 * does not know `_primary`/`_replica`.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { at, ids, ndjson, useStandIn } from './stand-in-client.js';

const illegal = (reason: string) => ({
  error: {
    root_cause: [{ type: 'illegal_argument_exception', reason }],
    type: 'illegal_argument_exception',
    reason,
  },
  status: 400,
});

describe('OpenSearch stand-in: preference', () => {
  const { request } = useStandIn();

  beforeEach(async () => {
    await request('PUT', '/state/_doc/1?refresh=wait_for', { v: 1 });
  });

  const ACCEPTED = [
    '_primary',
    '_primary_first',
    '_replica_first',
    '_local',
    '_only_local',
    '_prefer_nodes:abc,def',
    '_only_nodes:stand-in-node-*',
    '_only_nodes:_local',
    '_shards:0',
    '_shards:0|_primary',
    'my-session-42',
  ];

  it.each(ACCEPTED)('searches and counts with preference=%s', async (preference) => {
    const searched = await request('POST', `/state/_search?preference=${encodeURIComponent(preference)}`, {});
    expect(searched.status).toBe(200);
    expect(ids(searched)).toEqual(['1']);
    const counted = await request('GET', `/state/_count?preference=${encodeURIComponent(preference)}`);
    expect(counted.json).toEqual({ count: 1, _shards: { total: 1, successful: 1, skipped: 0, failed: 0 } });
  });

  const REFUSED: Array<{ preference: string; json: unknown }> = [
    { preference: '_foo', json: illegal('no Preference for [_foo]') },
    { preference: '_primaries', json: illegal('no Preference for [_primaries]') },
    { preference: '_shards:0|_bar:1', json: illegal('no Preference for [_bar]') },
    {
      preference: '_only_nodes:nowhere',
      json: illegal('no data nodes with criteria [nowhere] found for shard: [state][0]'),
    },
    {
      preference: '_shards:x',
      json: {
        error: {
          root_cause: [{ type: 'number_format_exception', reason: 'For input string: "x"' }],
          type: 'number_format_exception',
          reason: 'For input string: "x"',
        },
        status: 400,
      },
    },
  ];

  it.each(REFUSED)('refuses preference=$preference', async ({ preference, json }) => {
    for (const path of ['/state/_search', '/state/_count']) {
      const answer = await request('POST', `${path}?preference=${encodeURIComponent(preference)}`, {});
      expect(answer.json).toEqual(json);
      expect(answer.status).toBe(400);
    }
  });

  it('finds no copy for _replica: the replicas of a one-node cluster never assign', async () => {
    const answer = await request('POST', '/state/_search?preference=_replica', {});
    expect(answer.status).toBe(503);
    expect(answer.json).toEqual({
      error: {
        root_cause: [],
        type: 'search_phase_execution_exception',
        reason: 'all shards failed',
        phase: 'query',
        grouped: true,
        failed_shards: [],
      },
      status: 503,
    });
  });

  it('searches no shard when _shards names none of them', async () => {
    const answer = await request('POST', '/state/_search?preference=_shards:1', {});
    expect(answer.status).toBe(200);
    expect(at(answer.json, '_shards')).toEqual({ total: 0, successful: 0, skipped: 0, failed: 0 });
    expect(ids(answer)).toEqual([]);
  });

  it('reads the preference of each _msearch header', async () => {
    const answer = await request(
      'POST',
      '/_msearch',
      ndjson({ index: 'state', preference: '_primary' }, {}, { index: 'state', preference: '_nope' }, {}),
    );
    expect(at(answer.json, 'responses', 0, 'status')).toBe(200);
    expect(at(answer.json, 'responses', 1)).toEqual(illegal('no Preference for [_nope]'));
  });
});

describe('OpenSearch stand-in: preference before OpenSearch 2.8', () => {
  const { request } = useStandIn({ version: '2.7.0' });

  it.each(['_primary', '_primary_first', '_replica', '_replica_first'])(
    'does not know %s',
    async (preference) => {
      await request('PUT', '/state/_doc/1?refresh=true', { v: 1 });
      const answer = await request('POST', `/state/_search?preference=${preference}`, {});
      expect(answer.json).toEqual(illegal(`no Preference for [${preference}]`));
    },
  );

  it('still takes _local and reports its version at the root', async () => {
    await request('PUT', '/state/_doc/1?refresh=true', { v: 1 });
    expect((await request('POST', '/state/_search?preference=_local', {})).status).toBe(200);
    expect(at((await request('GET', '/')).json, 'version', 'number')).toBe('2.7.0');
  });
});
