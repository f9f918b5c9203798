/**
 * Against real servers: a status list and a JWKS served by a loopback HTTP server (global fetch,
 * no injection), the Redis revocation store on the Redis CI starts, and the cross-library check
 * with @sd-jwt/jwt-status-list (a list made by it is read here; one made here is read by it).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CompactSign, importJWK } from 'jose';
import { StatusList, createHeaderAndPayload, getListFromStatusListJWT } from '@sd-jwt/jwt-status-list';
import { createVerifier, linkHash, type LinkStatus, type TrustConfig } from '../../lib/index.js';
import { RedisRevocationStore } from '../../lib/status/index.js';
import { createStatusListToken, emptyStatusList, verifyStatusListToken, writeStatus } from '../../lib/status/index.js';
import { NOW, NOW_S, buildChain, contextFor, issuerTrust, makeParties, rejectsWith } from '../helpers/fixtures.js';
import { REDIS_URL, SKIP_MESSAGE } from '../as/redis-support.js';
import { listToken, makeStatusIssuer } from './support.js';
import { ALL_PARTS } from '../helpers/parts.js';

const p = await makeParties();
const S = await makeStatusIssuer();

describe('a status list and a JWKS on a loopback HTTP server', () => {
  let server: Server;
  let base = '';
  const bodies = new Map<string, { type: string; body: Uint8Array | string }>();
  before(async () => {
    server = createServer((request, response) => {
      const entry = bodies.get(request.url ?? '');
      if (entry === undefined) return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': entry.type }).end(entry.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  for (const format of ['jwt', 'cwt'] as const) {
    test(`the verifier fetches the ${format} list over HTTP and refuses the revoked link`, async () => {
      const uri = `${base}/lists/${format}`;
      bodies.set(`/lists/${format}`, { type: `application/statuslist+${format}`, body: await listToken(S, { format, uri, entries: { 9: 1 } }) });
      const trust = issuerTrust(p, { status: { issuers: [{ uriPrefixes: [`${base}/lists/`], jwks: { keys: [S.publicJwk] } }] } });
      const verifier = await createVerifier(trust, ALL_PARTS);
      const withStatus = (idx: number) => buildChain(p, { input: (i, input) => (i === 1 ? { ...input, status: { status_list: { idx, uri } } satisfies LinkStatus } : input) });
      await verifier.verify(await withStatus(8), contextFor(p, 2));
      await rejectsWith(verifier.verify(await withStatus(9), contextFor(p, 2)), 'link_revoked', 1);
    });
  }

  test('an issuer root by jwksUri: its published keys verify link 0; an unreachable set is jwks_unavailable', async () => {
    bodies.set('/jwks.json', { type: 'application/json', body: JSON.stringify({ keys: [p.A.publicJwk] }) });
    const trust: TrustConfig = { roots: [{ type: 'issuer', iss: p.A.id, jwksUri: `${base}/jwks.json` }] };
    const result = await (await createVerifier(trust, ALL_PARTS)).verify(await buildChain(p), contextFor(p, 2));
    assert.equal(result.root.iss, p.A.id);
    await rejectsWith((await createVerifier({ roots: [{ type: 'issuer', iss: p.A.id, jwksUri: `${base}/missing.json` }] }, ALL_PARTS)).verify(await buildChain(p), contextFor(p, 2)), 'jwks_unavailable', 0);
    // The key set does not hold the signer's key: untrusted, as with a static set.
    bodies.set('/other.json', { type: 'application/json', body: JSON.stringify({ keys: [p.M.publicJwk] }) });
    await rejectsWith((await createVerifier({ roots: [{ type: 'issuer', iss: p.A.id, jwksUri: `${base}/other.json` }] }, ALL_PARTS)).verify(await buildChain(p, { signer: (i, s) => (i === 0 ? { ...s, kid: undefined } as typeof s : s) }), contextFor(p, 2)), 'link_signature_invalid', 0);
  });

  test('a jwksUri over plain HTTP to a non-loopback host is refused when the configuration is loaded', async () => {
    await rejectsWith(createVerifier({ roots: [{ type: 'issuer', iss: p.A.id, jwksUri: 'http://keys.example/jwks.json' }] }, ALL_PARTS), 'invalid_argument', undefined);
  });
});

describe('Redis revocation store (real redis-server)', () => {
  test('a hash revoked through one store is refused by a verifier using another connection', async (t) => {
    const { Redis } = await import('ioredis');
    const connect = async (): Promise<InstanceType<typeof Redis> | undefined> => {
      const client = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 1, enableOfflineQueue: false });
      client.on('error', () => undefined);
      try {
        await client.connect();
        return client;
      } catch (error) {
        client.disconnect();
        if (process.env.CI) throw new Error(`Redis is required in CI but ${REDIS_URL} is unreachable`, { cause: error });
        return undefined;
      }
    };
    const writer = await connect();
    const reader = await connect();
    if (writer === undefined || reader === undefined) return t.skip(SKIP_MESSAGE);
    try {
      const prefix = `tproof:test:revoked:${process.pid}:${Date.now()}:`;
      const chain = await buildChain(p, { input: (i, input) => ({ ...input, jti: `${input.jti}-${prefix}` }) });
      const verifier = await createVerifier(issuerTrust(p), { ...ALL_PARTS, revocationStore: new RedisRevocationStore(reader, { keyPrefix: prefix }) });
      await verifier.verify(chain, contextFor(p, 2));
      await new RedisRevocationStore(writer, { keyPrefix: prefix }).revoke(await linkHash(chain.links[0] as Uint8Array), Math.floor(Date.now() / 1000) + 60);
      await rejectsWith(verifier.verify(chain, contextFor(p, 2)), 'link_revoked', 0);
      reader.disconnect();
      await rejectsWith(verifier.verify(chain, contextFor(p, 2)), 'revocation_store_unavailable', undefined);
    } finally {
      writer.disconnect();
      reader.disconnect();
    }
  });
});

describe('interoperability with @sd-jwt/jwt-status-list', () => {
  const uri = 'https://status.example/lists/interop';
  test('a list made by @sd-jwt/jwt-status-list (signed with jose) is read here', async () => {
    const statuses = Array.from({ length: 40 }, (_, i) => (i % 7 === 3 ? 1 : i % 11 === 5 ? 2 : 0));
    const list = new StatusList(statuses, 2);
    const { header, payload } = createHeaderAndPayload(list, { iss: 'https://status.example', sub: uri, iat: NOW_S, exp: NOW_S + 3600 }, { alg: 'ES256', typ: 'statuslist+jwt', kid: 's1' });
    const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader(header).sign(await importJWK(S.privateJwk, 'ES256'));
    const verified = await verifyStatusListToken(jwt, { keys: [S.publicJwk], algorithms: new Set(['ES256']), uri, now: NOW_S, toleranceSeconds: 0 });
    assert.equal(verified.bits, 2);
    const { readStatus } = await import('../../lib/status/index.js');
    assert.deepEqual(statuses.map((_, i) => readStatus(verified.list, 2, i)), statuses);
  });

  for (const bits of [1, 2, 4, 8] as const) {
    test(`a ${bits}-bit list made here is read by @sd-jwt/jwt-status-list`, async () => {
      const statuses = Array.from({ length: 24 }, (_, i) => (i * 5 + 1) % 2 ** bits);
      const list = emptyStatusList(statuses.length, bits);
      statuses.forEach((value, i) => writeStatus(list, bits, i, value));
      const jwt = await createStatusListToken({ uri, bits, list, iat: NOW_S }, { privateKey: S.privateJwk, alg: 'ES256' }, 'jwt');
      const theirs = getListFromStatusListJWT(jwt);
      assert.equal(theirs.getBitsPerStatus(), bits);
      assert.deepEqual(statuses.map((_, i) => theirs.getStatus(i)), statuses);
    });
  }
});

void NOW;
