import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { TestApp } from './test-app.js';

/** Serves a test app on a random loopback port, for clients that need a real socket. */
export async function listen(test: Pick<TestApp, 'app'>): Promise<{ url: string; close(): Promise<void> }> {
  let server: ServerType | undefined;
  const address = await new Promise<AddressInfo>((resolve) => {
    server = serve({ fetch: test.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info));
  });
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve) => server!.close(() => resolve())),
  };
}
