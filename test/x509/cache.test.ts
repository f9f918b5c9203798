/**
 * PathCache: a hit never accepts what a cold validation would reject.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TransitiveProofError } from '../../lib/errors.js';
import { PathCache, validateCertificateChain, validateCertificatePath, type IdentityRule, type ValidatedPath, type X509PathOptions } from '../../lib/x509/index.js';
import { pathCacheKey, type PathCacheKeyInput } from '../../lib/x509/cache.js';
import { DEFAULT_SPIFFE_ID, EKU_CLIENT_AUTH, EKU_SERVER_AUTH, NOW, flipLastByte, makePath, rejectsWith, validate } from './pki.js';

/** The outcome of a validation as comparable data: the result or the error code. */
async function outcome(run: Promise<ValidatedPath>): Promise<{ ok: ValidatedPath } | { code: string }> {
  try {
    return { ok: await run };
  } catch (error) {
    assert.ok(error instanceof TransitiveProofError, String(error));
    return { code: error.code };
  }
}

describe('PathCache', () => {
  test('a hit returns the very result of the cold validation', async () => {
    const p = await makePath();
    const cache = new PathCache();
    const cold = await validate(p.x5c, p.anchors, { cache });
    assert.equal(cache.size, 1);
    const warm = await validate(p.x5c, p.anchors, { cache, now: NOW + 60 });
    assert.equal(warm, cold, 'second validation must be served from the cache');
    assert.deepEqual(warm, await validate(p.x5c, p.anchors), 'and equal to an uncached validation');
  });

  test('an entry is not used once the path has expired, nor before it is valid', async () => {
    const p = await makePath({ leaf: { notBefore: NOW - 100, notAfter: NOW + 100 } });
    const cache = new PathCache();
    await validate(p.x5c, p.anchors, { cache });
    await rejectsWith(validate(p.x5c, p.anchors, { cache, now: NOW + 101 }), 'x5c_expired');
    await validate(p.x5c, p.anchors, { cache });
    await rejectsWith(validate(p.x5c, p.anchors, { cache, now: NOW - 101 }), 'x5c_expired');
  });

  test('the window respects the tolerance exactly as a cold validation does', async () => {
    // An intermediate expiring first makes the path window differ from the leaf's.
    const p = await makePath({ intermediate: { notAfter: NOW + 50 }, leaf: { notBefore: NOW - 40, notAfter: NOW + 100 } });
    const cache = new PathCache();
    await validate(p.x5c, p.anchors, { cache });
    for (const tolerance of [0, 10]) {
      for (const now of [NOW - 51, NOW - 50, NOW - 41, NOW - 40, NOW, NOW + 50, NOW + 51, NOW + 60, NOW + 61]) {
        const warm = await outcome(validate(p.x5c, p.anchors, { cache, now, clockToleranceSeconds: tolerance }));
        const cold = await outcome(validate(p.x5c, p.anchors, { now, clockToleranceSeconds: tolerance }));
        assert.deepEqual(warm, cold, `now=NOW${now - NOW >= 0 ? '+' : ''}${now - NOW}, tolerance=${tolerance}`);
        // Re-prime after a miss evicted the entry, so every point is tested against a cached entry.
        if ('code' in warm) await validate(p.x5c, p.anchors, { cache });
      }
    }
  });

  test('a different anchor set misses', async () => {
    const p = await makePath();
    const other = await makePath({ root: { subject: 'CN=Other Root' } });
    const cache = new PathCache();
    await validate(p.x5c, p.anchors, { cache });
    await rejectsWith(validate(p.x5c, other.anchors, { cache }), 'x5c_untrusted');
  });

  test('a different identity rule misses', async () => {
    const p = await makePath();
    const cache = new PathCache();
    await validate(p.x5c, p.anchors, { cache, identity: { type: 'spiffe', trustDomain: 'example.org' } });
    await rejectsWith(validate(p.x5c, p.anchors, { cache, identity: { type: 'spiffe', trustDomain: 'example.com' } }), 'x5c_identity_mismatch');
    await rejectsWith(validate(p.x5c, p.anchors, { cache, identity: { type: 'dns' } }), 'x5c_identity_mismatch');
  });

  test('a different requiredEku or maxCertificates misses', async () => {
    const p = await makePath({ leaf: { extKeyUsage: [EKU_CLIENT_AUTH] } });
    const cache = new PathCache();
    await validate(p.x5c, p.anchors, { cache, requiredEku: EKU_CLIENT_AUTH });
    await rejectsWith(validate(p.x5c, p.anchors, { cache, requiredEku: EKU_SERVER_AUTH }), 'x5c_eku');
    await rejectsWith(validate(p.x5c, p.anchors, { cache, requiredEku: EKU_CLIENT_AUTH, maxCertificates: 1 }), 'x5c_too_many');
  });

  test('different certificate bytes miss', async () => {
    const p = await makePath({ root: { keyAlg: 'Ed25519' }, intermediate: { keyAlg: 'Ed25519' } });
    const cache = new PathCache();
    await validate(p.x5c, p.anchors, { cache });
    const tampered = flipLastByte(p.leaf.der);
    await rejectsWith(validate([tampered, ...p.x5c.slice(1)], p.anchors, { cache }), 'x5c_signature_invalid');
  });

  test('mutating the caller’s x5c buffers after validation cannot poison the cache', async () => {
    const p = await makePath();
    const cache = new PathCache();
    const x5c = p.x5c.map((d) => new Uint8Array(d));
    const cold = await validate(x5c, p.anchors, { cache });
    (x5c[0] as Uint8Array).fill(0);
    await rejectsWith(validate(x5c, p.anchors, { cache }), 'x5c_malformed');
    assert.equal(await validate(p.x5c, p.anchors, { cache }), cold);
  });

  test('a list whose entries change from one read to the next cannot put a result under another path', async () => {
    const p = await makePath();
    const other = await makePath(); // another PKI: its leaf does not chain to p's anchors
    const cache = new PathCache();
    // Entry 0 is p's leaf on odd reads and the other leaf on even ones.
    let reads = 0;
    const shifting = new Proxy([p.leaf.der, ...p.x5c.slice(1)], {
      get(target, property, receiver) {
        if (property === '0') return ++reads % 2 === 1 ? p.leaf.der : other.leaf.der;
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    await validate(shifting, p.anchors, { cache });
    // Whatever was validated, the other leaf under p's intermediate is no valid path, cached or not.
    await rejectsWith(validate([other.leaf.der, ...p.x5c.slice(1)], p.anchors, { cache }), 'x5c_name_chaining');
  });

  test('a certificate changed in place after a hit is validated as changed, whichever byte changed', async () => {
    const p = await makePath({ root: { keyAlg: 'Ed25519' }, intermediate: { keyAlg: 'Ed25519' } });
    const cache = new PathCache();
    const x5c = p.x5c.map((d) => new Uint8Array(d));
    const cold = await validate(x5c, p.anchors, { cache });
    assert.equal(await validate(x5c, p.anchors, { cache }), cold, 'a hit, its fingerprints remembered');
    const leaf = x5c[0] as Uint8Array;
    // Spread over the certificate, and every one of its last 20 bytes (the signature).
    const positions = [...Array.from({ length: 24 }, (_, k) => Math.floor((k * leaf.length) / 24)), ...Array.from({ length: 20 }, (_, k) => leaf.length - 1 - k)];
    for (const at of positions) {
      const was = leaf[at] as number;
      leaf[at] = was ^ 0x01;
      const changed = await outcome(validate(x5c, p.anchors, { cache }));
      assert.ok('code' in changed, `byte ${at} changed: the cached result was served`);
      leaf[at] = was;
    }
    assert.equal(await validate(x5c, p.anchors, { cache }), cold);
  });

  test('an anchor list whose entries change from one read to the next cannot put a result under another anchor set', async () => {
    const p = await makePath();
    const other = await makePath();
    const cache = new PathCache();
    // Entry 0 is p's root on odd reads and the other root on even ones.
    let reads = 0;
    const shifting = new Proxy([...p.anchors], {
      get(target, property, receiver) {
        if (property === '0') return ++reads % 2 === 1 ? p.anchors[0] : other.anchors[0];
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    await validate(p.x5c, shifting, { cache });
    await rejectsWith(validate(p.x5c, other.anchors, { cache }), 'x5c_untrusted');
  });

  test('an identity rule whose type changes from one read to the next cannot put a result under another rule', async () => {
    const p = await makePath(); // the leaf names a URI (a SPIFFE ID), no DNS name
    const cache = new PathCache();
    let reads = 0;
    const shifting = { get type() { return ++reads % 2 === 1 ? 'uri' : 'dns'; } } as unknown as { type: 'uri' };
    await validate(p.x5c, p.anchors, { cache, identity: shifting });
    await rejectsWith(validate(p.x5c, p.anchors, { cache, identity: { type: 'dns' } }), 'x5c_identity_mismatch');
  });

  test('the cache key is exact: inputs that differ in any part get different keys', () => {
    const [a, b, c] = ['A', 'B', 'C'].map((ch) => ch.repeat(43));
    const base: PathCacheKeyInput = { fingerprints: [a as string, b as string], anchorSetId: c as string, requiredEku: undefined, identity: undefined, maxPathLength: undefined, maxCertificates: 4, maxCertificateBytes: 8192 };
    const variants: PathCacheKeyInput[] = [
      base,
      { ...base, fingerprints: [b as string, a as string] },
      { ...base, fingerprints: [a as string] },
      { ...base, fingerprints: [a as string, b as string, c as string] },
      // A fingerprint moved between the path and the anchor set.
      { ...base, fingerprints: [a as string], anchorSetId: `${b},${c}` },
      { ...base, anchorSetId: `${c},${a}` },
      { ...base, requiredEku: EKU_CLIENT_AUTH },
      { ...base, requiredEku: EKU_SERVER_AUTH },
      { ...base, identity: { type: 'uri' } },
      { ...base, identity: { type: 'dns' } },
      { ...base, identity: { type: 'spiffe' } },
      { ...base, identity: { type: 'spiffe', trustDomain: 'example.org' } },
      { ...base, identity: { type: 'spiffe', trustDomain: 'example.org|4' } },
      { ...base, maxPathLength: 0 },
      { ...base, maxPathLength: 1 },
      { ...base, maxCertificates: 3 },
      { ...base, maxCertificateBytes: 8193 },
      // Two bounds swapped.
      { ...base, maxCertificates: 8192, maxCertificateBytes: 4 },
    ];
    const keys = variants.map(pathCacheKey);
    assert.equal(new Set(keys).size, variants.length, keys.join('\n'));
    assert.equal(pathCacheKey({ ...base, fingerprints: [...base.fingerprints] }), keys[0], 'equal inputs, equal keys');
  });

  test('keyOf is pathCacheKey, whichever part changes from one call to the next', () => {
    // keyOf answers a call whose parts all equal the last call's with the last key: a part it did
    // not compare would be served another input's key here.
    const [a, b, c] = ['A', 'B', 'C'].map((ch) => ch.repeat(43)) as [string, string, string];
    const base: PathCacheKeyInput = { fingerprints: [a, b], anchorSetId: c, requiredEku: undefined, identity: { type: 'uri' }, maxPathLength: undefined, maxCertificates: 4, maxCertificateBytes: 8192 };
    const sequence: PathCacheKeyInput[] = [
      base,
      { ...base, fingerprints: [a, c] },
      base,
      { ...base, fingerprints: [a] },
      base,
      { ...base, anchorSetId: a },
      base,
      { ...base, requiredEku: EKU_CLIENT_AUTH },
      { ...base, requiredEku: EKU_SERVER_AUTH },
      base,
      { ...base, identity: { type: 'dns' } },
      { ...base, identity: { type: 'spiffe' } },
      { ...base, identity: { type: 'spiffe', trustDomain: 'example.org' } },
      { ...base, identity: { type: 'spiffe', trustDomain: 'example.com' } },
      { ...base, identity: undefined },
      base,
      { ...base, maxPathLength: 0 },
      { ...base, maxPathLength: 1 },
      base,
      { ...base, maxCertificates: 3 },
      base,
      { ...base, maxCertificateBytes: 8193 },
      base,
    ];
    const cache = new PathCache();
    for (const [i, input] of sequence.entries()) {
      const { fingerprints, ...options } = input;
      assert.equal(cache.keyOf(fingerprints, options), pathCacheKey(input), `call ${i}`);
    }
    // The same parts in new arrays and objects: the same key.
    const fresh = new PathCache();
    const fingerprints = [a, b];
    assert.equal(fresh.keyOf(fingerprints, { ...base, identity: { type: 'uri' } }), fresh.keyOf([a, b], base));
    // The caller's array changed after the call: the parts remembered are a copy.
    fingerprints[1] = c;
    assert.equal(fresh.keyOf(fingerprints, { ...base }), pathCacheKey({ ...base, fingerprints: [a, c] }));
  });

  test('bad options reject: validateCertificatePath never throws', async () => {
    const p = await makePath();
    const calls: (() => Promise<unknown>)[] = [
      () => validateCertificatePath(p.x5c, undefined as unknown as X509PathOptions),
      () => validateCertificatePath(p.x5c, { anchors: p.anchors, now: NOW, clockToleranceSeconds: 0, identity: { type: 'email' } as unknown as IdentityRule }),
      () => validateCertificatePath(p.x5c, { anchors: [], now: NOW, clockToleranceSeconds: 0, identity: { type: 'uri' } }),
      () => validateCertificateChain(p.x5c, { anchors: p.anchors, now: Number.NaN, clockToleranceSeconds: 0 }),
      () => validateCertificatePath([], { anchors: p.anchors, now: NOW, clockToleranceSeconds: 0, identity: { type: 'uri' }, cache: new PathCache() }),
    ];
    for (const [i, call] of calls.entries()) {
      let settled: Promise<unknown> | undefined;
      assert.doesNotThrow(() => (settled = call()), `call ${i}`);
      await assert.rejects(settled as Promise<unknown>, (e: unknown) => e instanceof TransitiveProofError, `call ${i}`);
    }
  });

  test('failures are not cached', async () => {
    const p = await makePath();
    const cache = new PathCache();
    await rejectsWith(validate(p.x5c, p.anchors, { cache, identity: { type: 'dns' } }), 'x5c_identity_mismatch');
    assert.equal(cache.size, 0);
  });

  test('results are frozen, so a caller cannot alter what others are served', async () => {
    const p = await makePath();
    const cache = new PathCache();
    const result = await validate(p.x5c, p.anchors, { cache });
    assert.throws(() => {
      (result as { identity: string }).identity = 'spiffe://evil.org/x';
    }, TypeError);
    assert.throws(() => {
      (result.leafPublicJwk as { x?: string }).x = 'AAAA';
    }, TypeError);
    assert.equal((await validate(p.x5c, p.anchors, { cache })).identity, DEFAULT_SPIFFE_ID);
  });

  test('bounded: the least recently used entry is evicted', async () => {
    const cache = new PathCache({ maxEntries: 2 });
    const [a, b, c] = await Promise.all([makePath(), makePath(), makePath()]);
    if (a === undefined || b === undefined || c === undefined) throw new Error('unreachable');
    const ra = await validate(a.x5c, a.anchors, { cache });
    const rb = await validate(b.x5c, b.anchors, { cache });
    assert.equal(await validate(a.x5c, a.anchors, { cache }), ra); // a is now the most recent
    await validate(c.x5c, c.anchors, { cache }); // evicts b
    assert.equal(cache.size, 2);
    assert.equal(await validate(a.x5c, a.anchors, { cache }), ra);
    assert.notEqual(await validate(b.x5c, b.anchors, { cache }), rb, 'b was evicted and validated again');
  });

  test('maxEntries is validated', () => {
    for (const maxEntries of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => new PathCache({ maxEntries }), (e: unknown) => e instanceof TransitiveProofError && e.code === 'invalid_argument');
    }
    assert.equal(new PathCache().maxEntries, 256);
  });
});
