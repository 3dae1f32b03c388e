/**
 * The guarded lookup replaces only DNS: TLS must still present the host name (SNI) and verify the
 * certificate, even though the socket connects to the address that was checked.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/http/http-client.js';
import type { Resolver } from '../../src/http/guarded-lookup.js';
import { loopbackPolicy, post } from './support/policies.js';

// A throwaway self-signed certificate for CN/SAN `sidecar.test`, made for this test only.
const KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQggDbzjp3iNozNCARP
/A/kfhJ5vcDg/Ed0Df+gDMag22WhRANCAAT6bkXOOrtMz2UtpV2PUCj1sGwyJaDQ
E1HLysVVvrnG6m7fO9Vqp1Bf1nBBt1HGUClWtH0Ck3wwDBrmhkhJH9HJ
-----END PRIVATE KEY-----`;
const CERT = `-----BEGIN CERTIFICATE-----
MIIBnTCCAUSgAwIBAgIUet0468ViKOEKb+tW6DPn4s9OwwwwCgYIKoZIzj0EAwIw
FzEVMBMGA1UEAwwMc2lkZWNhci50ZXN0MCAXDTI2MTEyODAyMTIyOFoYDzIxMjYx
MTA0MDIxMjI4WjAXMRUwEwYDVQQDDAxzaWRlY2FyLnRlc3QwWTATBgcqhkjOPQIB
BggqhkjOPQMBBwNCAAT6bkXOOrtMz2UtpV2PUCj1sGwyJaDQE1HLysVVvrnG6m7f
O9Vqp1Bf1nBBt1HGUClWtH0Ck3wwDBrmhkhJH9HJo2wwajAdBgNVHQ4EFgQUX3Ej
GLNy/FkcFRcjIFuGjMJMWH8wHwYDVR0jBBgwFoAUX3EjGLNy/FkcFRcjIFuGjMJM
WH8wDwYDVR0TAQH/BAUwAwEB/zAXBgNVHREEEDAOggxzaWRlY2FyLnRlc3QwCgYI
KoZIzj0EAwIDRwAwRAIgTS1Bo6PmGkd7SaTbpJTYRttVJKkHEVInncyCt5QneeQC
IFnUPsicDAjQISdUxZjWAqByoK/v2NuYJ4ouJ2qkJurb
-----END CERTIFICATE-----`;

let server: Server;
let port: number;
let connections = 0;
const servernames: Array<string | false> = [];
const hosts: Array<string | undefined> = [];
const resolver: Resolver = async (hostname) => (hostname === 'sidecar.test' ? [{ address: '127.0.0.1', family: 4 }] : []);

beforeAll(async () => {
  server = createServer({ key: KEY, cert: CERT }, (request, response) => {
    servernames.push((request.socket as unknown as { servername: string | false }).servername);
    hosts.push(request.headers.host);
    response.end('{"tls":true}');
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));

describe('TLS through the guarded lookup', () => {
  it('sends the host name as SNI and Host while connecting to the checked address', async () => {
    const client = createHttpClient({ resolver });
    try {
      const response = await client.send(post(`https://sidecar.test:${port}/v1`), loopbackPolicy({ skip_ssl_verification: true }));
      expect(response.body).toBe('{"tls":true}');
      expect(servernames.at(-1)).toBe('sidecar.test');
      expect(hosts.at(-1)).toBe(`sidecar.test:${port}`);
    } finally {
      await client.close();
    }
  });

  it('still verifies certificates unless skip_ssl_verification is set, and does not retry the failure', async () => {
    const client = createHttpClient({ resolver });
    const before = servernames.length;
    const connectionsBefore = connections;
    try {
      const error = await client.send(post(`https://sidecar.test:${port}/v1`), loopbackPolicy()).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ status: 500, reason: expect.stringContaining('self-signed certificate') });
      expect(servernames.length).toBe(before);
      expect(connections - connectionsBefore).toBe(1);
    } finally {
      await client.close();
    }
  });
});
