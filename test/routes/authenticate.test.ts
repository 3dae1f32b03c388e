import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { renderError } from '../../src/errors/render-error.js';
import { authenticateRequests } from '../../src/routes/authenticate.js';
import { createNoAuthenticator } from '../../src/security/identity/no-authenticator.js';
import { fromDocument } from '../../src/security/identity/users-file-authenticator.js';
import type { Authenticator } from '../../src/security/identity/identity.js';
import { hashApiKey } from '../../src/security/identity/api-key-hash.js';
import { fakeClock } from '../security/identity/helpers.js';

const KEY = 'middleware-key-0123456789';

/** The app's shape in miniature: the middleware, one route, the error handler rendering the envelope. */
function appWith(authenticator: Authenticator): Hono {
  const app = new Hono({ strict: false });
  app.use(authenticateRequests(authenticator));
  app.get('/', (c) => c.json({ name: 'node', who: c.get('identity')?.name ?? null }));
  app.get('/_plugins/_ml/models/:id', (c) => c.json({ who: c.get('identity')?.name ?? null }));
  app.onError((error, c) => {
    const rendered = renderError(error);
    for (const [name, value] of Object.entries(rendered.headers)) c.header(name, value);
    return c.json(rendered.body, rendered.status as 401);
  });
  return app;
}

const users = () =>
  fromDocument(
    {
      users: [{ name: 'bot', api_key_hashes: [hashApiKey(KEY)], backend_roles: [], admin: false }],
    },
    { clock: fakeClock() },
  );

describe('authenticateRequests', () => {
  it('should answer an unauthenticated API call with the 401 envelope and the Basic challenge', async () => {
    const response = await appWith(users()).request('/_plugins/_ml/models/abc');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="OpenSearch Security"');
    expect(await response.json()).toEqual({
      error: {
        root_cause: [
          {
            type: 'security_exception',
            reason: 'missing authentication credentials for REST request',
          },
        ],
        type: 'security_exception',
        reason: 'missing authentication credentials for REST request',
      },
      status: 401,
    });
  });

  it('should make the caller available to routes', async () => {
    const response = await appWith(users()).request('/_plugins/_ml/models/abc', {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(await response.json()).toEqual({ who: 'bot' });
  });

  it.each(['GET', 'HEAD'])('should leave %s / open for health checks', async (method) => {
    const response = await appWith(users()).request('/', { method });
    expect(response.status).toBe(200);
  });

  it('should not leave other methods on / or other paths open', async () => {
    expect((await appWith(users()).request('/', { method: 'POST' })).status).toBe(401);
    expect(
      (await appWith(users()).request('/_plugins/_ml/models/abc', { method: 'HEAD' })).status,
    ).toBe(401);
  });

  it('should let every call through with security off, with no identity', async () => {
    const response = await appWith(createNoAuthenticator()).request('/_plugins/_ml/models/abc');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ who: null });
  });
});
