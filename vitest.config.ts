import { defineConfig } from 'vitest/config';

/** The route, service and pipeline suites run a second time on the cluster store (see test/helpers/test-store.ts). */
const RUN_ON_BOTH_STORES = [
  'test/routes/**/*.test.ts',
  'test/models/**/*.test.ts',
  'test/access/**/*.test.ts',
  'test/pipeline/**/*.test.ts',
  'test/settings/**/*.test.ts',
  'test/proxy/**/*.test.ts',
  'test/clients/**/*.test.ts',
  // Not test/backfill/load: a 10,000-document run says nothing about the store.
  'test/backfill/*.test.ts',
];

export default defineConfig({
  test: {
    exclude: ['**/node_modules/**', '**/*.case.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'] } },
      { extends: true, test: { name: 'cluster-store', include: RUN_ON_BOTH_STORES, env: { SIDECAR_TEST_STORE: 'cluster' } } },
    ],
  },
});
