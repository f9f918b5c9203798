/**
 * Step 17a (SPEC-NOTES.md §6.2) through the verifier: a link's status list entry decides, the list
 * is fetched only from configured URIs with the injected fetch, within bounds, cached by ttl, and
 * every failure fails closed with its code unless the configuration accepts unavailable lists.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier, delegate, linkHash, startChain, type Chain, type LinkStatus, type StatusUnavailableEvent, type TrustConfig, type VerifierOptions } from '../../lib/index.js';
import { MemoryRevocationStore } from '../../lib/status/index.js';
import { NOW, NOW_S, buildChain, contextFor, issuerTrust, makeParties, rejectsWith } from '../helpers/fixtures.js';
import { LIST_URI, listToken, makeStatusIssuer, servingFetch, statusConfig } from './support.js';
import { ALL_PARTS } from '../helpers/parts.js';

const p = await makeParties();
const S = await makeStatusIssuer();
const ref = (idx: number, uri = LIST_URI): LinkStatus => ({ status_list: { idx, uri } });

/** The standard two-link chain with a status entry on link `on`. */
function chainWithStatus(on: number, status: LinkStatus): Promise<Chain> {
  return buildChain(p, { input: (index, input) => (index === on ? { ...input, status } : input) });
}

async function verifyWith(chain: Chain, trust: TrustConfig, options: VerifierOptions, now = NOW): Promise<unknown> {
  const verifier = await createVerifier(trust, { ...ALL_PARTS, ...options });
  return verifier.verify(chain, contextFor(p, 2, { now }));
}

for (const format of ['jwt', 'cwt'] as const) {
  describe(`a link's status list entry (${format} list)`, () => {
    test('VALID: the chain verifies, after one fetch of the list', async () => {
      const served = servingFetch(new Map([[LIST_URI, await listToken(S, { format, entries: { 5: 1 } })]]));
      await verifyWith(await chainWithStatus(1, ref(4)), issuerTrust(p, { status: statusConfig(S) }), { fetch: served.fetch });
      assert.deepEqual(served.requests, [LIST_URI]);
    });

    test('INVALID: link_revoked at the link that carries the entry', async () => {
      const served = servingFetch(new Map([[LIST_URI, await listToken(S, { format, entries: { 5: 1 } })]]));
      await rejectsWith(verifyWith(await chainWithStatus(1, ref(5)), issuerTrust(p, { status: statusConfig(S) }), { fetch: served.fetch }), 'link_revoked', 1);
      await rejectsWith(verifyWith(await chainWithStatus(0, ref(5)), issuerTrust(p, { status: statusConfig(S) }), { fetch: served.fetch }), 'link_revoked', 0);
    });

    test('SUSPENDED: link_suspended; an application-specific value: link_revoked (fail closed)', async () => {
      const served = servingFetch(new Map([[LIST_URI, await listToken(S, { format, bits: 2, entries: { 1: 2, 2: 3 } })]]));
      const trust = issuerTrust(p, { status: statusConfig(S) });
      await rejectsWith(verifyWith(await chainWithStatus(1, ref(1)), trust, { fetch: served.fetch }), 'link_suspended', 1);
      await rejectsWith(verifyWith(await chainWithStatus(1, ref(2)), trust, { fetch: served.fetch }), 'link_revoked', 1);
    });

    test('an index beyond the list: status_list_invalid', async () => {
      const served = servingFetch(new Map([[LIST_URI, await listToken(S, { format, size: 16 })]]));
      await rejectsWith(verifyWith(await chainWithStatus(1, ref(16)), issuerTrust(p, { status: statusConfig(S) }), { fetch: served.fetch }), 'status_list_invalid', 1);
    });
  });
}

describe('which lists are fetched, and how', () => {
  test('a URI no configured issuer covers is never fetched: status_unavailable, even with unavailable "accept"', async () => {
    const served = servingFetch(new Map());
    const trust = issuerTrust(p, { status: statusConfig(S, { unavailable: 'accept' }) });
    await rejectsWith(verifyWith(await chainWithStatus(1, ref(0, 'https://elsewhere.example/lists/1')), trust, { fetch: served.fetch }), 'status_unavailable', 1);
    await rejectsWith(verifyWith(await chainWithStatus(1, ref(0, 'http://status.example/lists/1')), trust, { fetch: served.fetch }), 'status_unavailable', 1);
    // Not canonical: would resolve outside the prefix.
    await rejectsWith(verifyWith(await chainWithStatus(1, ref(0, 'https://status.example/lists/../admin')), trust, { fetch: served.fetch }), 'status_unavailable', 1);
    assert.deepEqual(served.requests, []);
  });

  test('a link with status and a configuration without status lists: status_unavailable', async () => {
    await rejectsWith(verifyWith(await chainWithStatus(0, ref(0)), issuerTrust(p), {}), 'status_unavailable', 0);
  });

  test('a chain that fails an offline check costs no fetch', async () => {
    const served = servingFetch(new Map([[LIST_URI, await listToken(S)]]));
    const verifier = await createVerifier(issuerTrust(p, { status: statusConfig(S) }), { ...ALL_PARTS, fetch: served.fetch });
    await rejectsWith(verifier.verify(await chainWithStatus(1, ref(0)), contextFor(p, 2, { scope: 'admin' })), 'scope_exceeded', 1);
    assert.deepEqual(served.requests, []);
  });

  test('fetch failures fail closed with status_unavailable: network error, HTTP 500, redirect', async () => {
    const trust = issuerTrust(p, { status: statusConfig(S) });
    const chain = await chainWithStatus(1, ref(0));
    await rejectsWith(verifyWith(chain, trust, { fetch: async () => { throw new TypeError('fetch failed'); } }), 'status_unavailable', 1);
    await rejectsWith(verifyWith(chain, trust, { fetch: async () => new Response('x', { status: 500 }) }), 'status_unavailable', 1);
    let redirect: RequestInit["redirect"];
    await rejectsWith(verifyWith(chain, trust, { fetch: async (_url, init) => { redirect = init.redirect; throw new TypeError('redirect'); } }), 'status_unavailable', 1);
    assert.equal(redirect, 'error', 'redirects are refused, not followed');
  });

  test('a fetch that does not answer is aborted after timeoutMs: status_unavailable', async () => {
    const trust = issuerTrust(p, { status: statusConfig(S, { timeoutMs: 50 }) });
    // AbortSignal.timeout's timer does not keep the process alive (a real fetch's socket does): hold it here.
    const hanging = (_url: string, init: RequestInit): Promise<Response> =>
      new Promise((_resolve, reject) => {
        const alive = setTimeout(() => undefined, 60_000);
        init.signal?.addEventListener('abort', () => {
          clearTimeout(alive);
          reject(init.signal?.reason);
        });
      });
    await rejectsWith(verifyWith(await chainWithStatus(1, ref(0)), trust, { fetch: hanging }), 'status_unavailable', 1);
  });

  test('a body beyond maxTokenBytes is refused without reading it all: status_list_invalid', async () => {
    const token = await listToken(S);
    const trust = issuerTrust(p, { status: statusConfig(S, { maxTokenBytes: token.length - 1 }) });
    await rejectsWith(verifyWith(await chainWithStatus(1, ref(0)), trust, { fetch: async () => new Response(token, { status: 200 }) }), 'status_list_invalid', 1);
  });

  test('unavailable "accept" lets a configured but unreachable list through, and reports it', async () => {
    const events: StatusUnavailableEvent[] = [];
    const trust = issuerTrust(p, { status: statusConfig(S, { unavailable: 'accept' }) });
    await verifyWith(await chainWithStatus(1, ref(0)), trust, { fetch: async () => new Response('', { status: 503 }), onStatusUnavailable: (event) => events.push(event) });
    assert.deepEqual(events.map((e) => [e.linkIndex, e.uri, e.idx, e.error.code]), [[1, LIST_URI, 0, 'status_unavailable']]);
    // ... but never an invalid list.
    const other = await makeStatusIssuer();
    const served = servingFetch(new Map([[LIST_URI, await listToken(other)]]));
    await rejectsWith(verifyWith(await chainWithStatus(1, ref(0)), trust, { fetch: served.fetch }), 'status_list_invalid', 1);
  });

  test('a list is cached for min(ttl, maxCacheSeconds) and fetched again after', async () => {
    const served = servingFetch(new Map([[LIST_URI, await listToken(S, { ttl: 60 })]]));
    const verifier = await createVerifier(issuerTrust(p, { status: statusConfig(S) }), { ...ALL_PARTS, fetch: served.fetch });
    const chain = await chainWithStatus(1, ref(0));
    await verifier.verify(chain, contextFor(p, 2, { now: NOW }));
    await verifier.verify(chain, contextFor(p, 2, { now: new Date(NOW.getTime() + 59_000) }));
    assert.equal(served.requests.length, 1, 'within ttl: cached');
    await verifier.verify(chain, contextFor(p, 2, { now: new Date(NOW.getTime() + 61_000) }));
    assert.equal(served.requests.length, 2, 'after ttl: fetched again');

    const capped = servingFetch(new Map([[LIST_URI, await listToken(S, { ttl: 3600 })]]));
    const cappedVerifier = await createVerifier(issuerTrust(p, { status: statusConfig(S, { maxCacheSeconds: 10 }) }), { ...ALL_PARTS, fetch: capped.fetch });
    await cappedVerifier.verify(chain, contextFor(p, 2, { now: NOW }));
    await cappedVerifier.verify(chain, contextFor(p, 2, { now: new Date(NOW.getTime() + 11_000) }));
    assert.equal(capped.requests.length, 2, 'maxCacheSeconds bounds a long ttl');
  });

  test('a failed fetch is remembered for failureCacheSeconds: status_unavailable each request, one fetch per interval', async () => {
    const missing = servingFetch(new Map()); // every list answers 404
    const verifier = await createVerifier(issuerTrust(p, { status: statusConfig(S, { failureCacheSeconds: 10 }) }), { ...ALL_PARTS, fetch: missing.fetch });
    const chain = await chainWithStatus(1, ref(0));
    const at = (seconds: number): Promise<unknown> => verifier.verify(chain, contextFor(p, 2, { now: new Date(NOW.getTime() + seconds * 1000) }));
    for (let request = 0; request < 30; request++) await rejectsWith(at(request % 10), 'status_unavailable', 1);
    assert.equal(missing.requests.length, 1, '30 requests within the interval, one fetch');
    await rejectsWith(at(11), 'status_unavailable', 1);
    assert.equal(missing.requests.length, 2, 'after the interval: fetched again');

    // A list that comes back is used at once after the interval; 0 disables the remembering.
    const uncached = servingFetch(new Map());
    const eager = await createVerifier(issuerTrust(p, { status: statusConfig(S, { failureCacheSeconds: 0 }) }), { ...ALL_PARTS, fetch: uncached.fetch });
    for (let request = 0; request < 3; request++) await rejectsWith(eager.verify(chain, contextFor(p, 2, { now: NOW })), 'status_unavailable', 1);
    assert.equal(uncached.requests.length, 3);
  });

  test('remembered failures are bounded by cacheEntries (the oldest is forgotten)', async () => {
    const missing = servingFetch(new Map());
    const verifier = await createVerifier(issuerTrust(p, { status: statusConfig(S, { cacheEntries: 2 }) }), { ...ALL_PARTS, fetch: missing.fetch });
    const chains = await Promise.all([1, 2, 3].map((list) => chainWithStatus(1, ref(0, `https://status.example/lists/${list}`))));
    for (const chain of [...chains, chains[0] as Chain]) await rejectsWith(verifier.verify(chain, contextFor(p, 2, { now: NOW })), 'status_unavailable', 1);
    assert.deepEqual(missing.requests.map((uri) => uri.slice(-1)), ['1', '2', '3', '1'], 'list 1 was forgotten when list 3 was remembered');
  });

  test('a withdrawn entry takes effect once the cached list expires', async () => {
    let token = await listToken(S, { ttl: 30 });
    const verifier = await createVerifier(issuerTrust(p, { status: statusConfig(S) }), { ...ALL_PARTS, fetch: async () => new Response(token, { status: 200 }) });
    const chain = await chainWithStatus(1, ref(7));
    await verifier.verify(chain, contextFor(p, 2, { now: NOW }));
    token = await listToken(S, { ttl: 30, entries: { 7: 1 } });
    await rejectsWith(verifier.verify(chain, contextFor(p, 2, { now: new Date(NOW.getTime() + 31_000) })), 'link_revoked', 1);
  });

  test('configured URIs and prefixes must follow the URI rules', async () => {
    for (const bad of [{ uris: ['http://status.example/l'] }, { uriPrefixes: ['https://status.example/lists'] }, { uriPrefixes: ['https://status.example/'] }, { uris: ['https://u:p@status.example/l'] }]) {
      await rejectsWith(createVerifier(issuerTrust(p, { status: { issuers: [{ ...bad, jwks: { keys: [S.publicJwk] } }] } }), ALL_PARTS), 'invalid_argument', undefined);
    }
  });
});

describe('revocation by link hash', () => {
  for (const format of ['jwt', 'cwt'] as const) {
    test(`a revoked link (${format}) fails with link_revoked at its index, at once`, async () => {
      const root = await startChain({ iss: p.A.id, sub: 'user-42', aud: 'https://as.example', scope: 'read', tmb: p.C.cnf, delegate: { sub: p.B.id, cnf: p.B.cnf }, depth: 1, iat: NOW_S - 10, exp: NOW_S + 600 }, p.A.signer, { ...ALL_PARTS, format, now: NOW });
      const chain = await delegate(root, { delegate: { sub: p.B2.id, cnf: p.B2.cnf } }, p.B.signer, { ...ALL_PARTS, now: NOW });
      const store = new MemoryRevocationStore({ clock: () => NOW });
      const verifier = await createVerifier(issuerTrust(p), { ...ALL_PARTS, revocationStore: store });
      await verifier.verify(chain, contextFor(p, 2));
      await store.revoke(await linkHash(chain.links[1] as Uint8Array), NOW_S + 600);
      await rejectsWith(verifier.verify(chain, contextFor(p, 2)), 'link_revoked', 1);
      await store.revoke(await linkHash(chain.links[0] as Uint8Array), NOW_S + 600);
      await rejectsWith(verifier.verify(chain, contextFor(p, 2)), 'link_revoked', 0);
    });
  }

  test('an entry lapses at its expiry; a full store refuses new revocations rather than forget one', async () => {
    let now = NOW;
    const store = new MemoryRevocationStore({ clock: () => now, maxEntries: 1 });
    const hash = 'A'.repeat(43);
    await store.revoke(hash, NOW_S + 10);
    assert.equal(await store.firstRevoked(['B'.repeat(43), hash]), 1);
    await rejectsWith(store.revoke('B'.repeat(43), NOW_S + 10), 'revocation_store_unavailable', undefined);
    now = new Date(NOW.getTime() + 11_000);
    assert.equal(await store.firstRevoked([hash]), -1);
    await store.revoke('B'.repeat(43), NOW_S + 100);
  });

  test('a store that cannot answer fails the chain closed', async () => {
    const failing = { revoke: async () => undefined, firstRevoked: async () => { throw new (await import('../../lib/index.js')).TransitiveProofError('revocation_store_unavailable', 'down'); } };
    const verifier = await createVerifier(issuerTrust(p), { ...ALL_PARTS, revocationStore: failing });
    await rejectsWith(verifier.verify(await buildChain(p), contextFor(p, 2)), 'revocation_store_unavailable', undefined);
  });
});
