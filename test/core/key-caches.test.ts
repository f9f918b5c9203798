/**
 * The key caches (lib/keys/member-cache.ts) recognise a key by all of its key members, never by
 * part of them; and the algorithm lists shared between calls (lib/runtime/algorithms.ts) cannot be
 * changed by a caller. A cache that confused two keys would hand one key's verdict, or imported
 * key, to another.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { KeyMemberCache } from '../../lib/keys/member-cache.js';
import { keyMaterialProblem } from '../../lib/keys/validate.js';
import { algorithmsForKey, jwkThumbprint, jwkThumbprintMaybeSync, keyAllows, KeyImportCache } from '../../lib/keys/keys.js';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { linkAlgorithmsForKeyType } from '../../lib/runtime/algorithms.js';
import type { PublicJwk } from '../../lib/model/types.js';

const ec = (): Record<string, string> => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }) as Record<string, string>;

describe('KeyMemberCache', () => {
  test('a key differing in any one key member is another entry', () => {
    const cache = new KeyMemberCache<string>();
    const key = ec();
    cache.set(key, 'first');
    assert.equal(cache.get({ ...key }), 'first', 'a fresh object with the same members is the same key');
    for (const member of ['kty', 'crv', 'y'] as const) {
      assert.equal(cache.get({ ...key, [member]: `${key[member]}X` }), undefined, `${member} changed`);
    }
    assert.equal(cache.get({ ...key, n: 'AQAB' }), undefined, 'a member the first key lacks');
  });

  test('the tag separates entries of one key', () => {
    const cache = new KeyMemberCache<number>();
    const key = ec();
    cache.set(key, 1, 'ES256');
    assert.equal(cache.get(key, 'ESP256'), undefined);
    cache.set(key, 2, 'ESP256');
    assert.equal(cache.get(key, 'ES256'), 1);
    assert.equal(cache.get(key, 'ESP256'), 2);
  });

  test('a key whose members are not strings is not cached', () => {
    const cache = new KeyMemberCache<string>();
    const key = { kty: 'EC', crv: 'P-256', x: 'abc', y: ['not', 'a', 'string'] };
    cache.set(key, 'v');
    assert.equal(cache.lookup(key), undefined, 'not even for the same object');
    assert.equal(cache.lookup({ kty: 'EC', crv: 'P-256', x: 'abc', y: 'not,a,string' }), undefined, 'no spelling of the array stands for it');
  });

  test('it holds at most its bound, the oldest going first', () => {
    const cache = new KeyMemberCache<number>(3);
    const keys = [ec(), ec(), ec(), ec()];
    keys.forEach((key, i) => cache.set(key, i));
    assert.deepEqual(keys.map((key) => cache.get(key)), [undefined, 1, 2, 3]);
  });

  test('a cached verdict is one for the same members only', () => {
    const key = ec();
    assert.equal(keyMaterialProblem(key), undefined);
    // The same x with another y is off the curve: the good key's verdict must not answer for it.
    const y = Buffer.from(key.y as string, 'base64url');
    y[31] = (y[31] as number) ^ 1;
    assert.match(keyMaterialProblem({ ...key, y: y.toString('base64url') }) ?? '', /not on P-256/);
  });

  test('an imported key is handed out for its own members and algorithm only', async () => {
    const cache = new KeyImportCache();
    const a = ec() as unknown as PublicJwk;
    const b = { ...ec(), x: a.x } as unknown as PublicJwk; // same x, another key: must not share a's entry
    const first = await cache.import(a, 'ES256');
    const second = await cache.import(b, 'ES256').catch(() => undefined);
    assert.notEqual(second?.key, first.key);
    assert.equal((await cache.import({ ...a }, 'ES256')).key, first.key, 'the same key again: the cached import');
  });
});

describe('thumbprints kept by key members', () => {
  const ed = (): Record<string, string> => generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as Record<string, string>;

  test('every key gets its own thumbprint (jose\'s), asked again or after a key differing in one member', async () => {
    const a = ec();
    const b = { ...a, y: ec().y as string };
    const c = { ...a, x: ec().x as string };
    const d = ed();
    const e = { ...d, crv: 'Ed448' };
    for (let round = 0; round < 2; round++) {
      for (const key of [a, b, c, d, e]) {
        assert.equal(await jwkThumbprint(key as unknown as PublicJwk), await calculateJwkThumbprint(key as JWK), JSON.stringify(key));
      }
    }
    assert.equal(new Set([a, b, c, d, e].map((key) => jwkThumbprintMaybeSync(key as unknown as PublicJwk))).size, 5);
  });

  test('members a thumbprint ignores do not change it; a key refused by member is refused after its twin was kept', async () => {
    const key = ec();
    const kept = await jwkThumbprint(key as unknown as PublicJwk);
    assert.equal(await jwkThumbprint({ ...key, kid: 'k', alg: 'ES256' } as unknown as PublicJwk), kept);
    const hidden = { ...key };
    Object.defineProperty(hidden, 'x', { value: key.x, enumerable: false });
    const inherited = Object.assign(Object.create({ y: key.y }) as Record<string, string>, { kty: key.kty, crv: key.crv, x: key.x });
    for (const twin of [hidden, inherited, { ...key, y: '' }, { ...key, x: `${key.x}\u00e9` }]) {
      await assert.rejects(jwkThumbprint(twin as unknown as PublicJwk), (error: unknown) => (error as { code?: string }).code === 'invalid_argument');
    }
  });
});

describe('algorithm lists shared between calls', () => {
  test('the shared list cannot be changed, and algorithmsForKey hands out a copy', () => {
    const shared = linkAlgorithmsForKeyType('EC', 'P-256');
    assert.throws(() => (shared as string[]).push('HS256'));
    const mine = algorithmsForKey({ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' });
    mine.push('PS256');
    assert.deepEqual(linkAlgorithmsForKeyType('EC', 'P-256'), ['ES256', 'ESP256']);
  });

  test('an RSA key fits the RSA algorithms whatever its crv says; an EC key without crv fits none', () => {
    assert.deepEqual(linkAlgorithmsForKeyType('RSA', 'P-256'), linkAlgorithmsForKeyType('RSA', undefined));
    assert.ok(linkAlgorithmsForKeyType('RSA', undefined).length > 0);
    assert.deepEqual(linkAlgorithmsForKeyType('EC', undefined), []);
    assert.deepEqual(linkAlgorithmsForKeyType('EC', 'P-521'), [], 'P-521 is in the table, but for no link algorithm');
  });

  test('keyAllows answers what algorithmsForKey lists', () => {
    const keys: PublicJwk[] = [
      { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' },
      { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', alg: 'ESP256' },
      { kty: 'OKP', crv: 'Ed25519', x: 'x', alg: 'Ed25519' },
      { kty: 'RSA', n: 'n', e: 'e', alg: 'ES256' },
    ];
    for (const key of keys) {
      for (const alg of ['EdDSA', 'Ed25519', 'ES256', 'ESP256', 'ES384', 'PS256'] as const) {
        assert.equal(keyAllows(key, alg), algorithmsForKey(key).includes(alg), `${JSON.stringify(key)} ${alg}`);
      }
    }
  });
});
