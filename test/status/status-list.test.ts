/**
 * The Status List (SPEC-NOTES.md §5.1): bit layout, ZLIB inflation within bounds, and the Status
 * List Token checks in both encodings, each failing with `status_list_invalid`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CompactSign, importJWK } from 'jose';
import { generateKeyPair } from '../../lib/index.js';
import { createStatusListToken, deflateStatusList, inflateStatusList, MemoryRevocationStore, readStatus, verifyStatusListToken, writeStatus, type StatusListVerifyOptions } from '../../lib/status/index.js';
import { NOW_S } from '../helpers/fixtures.js';
import { LIST_URI, listToken, makeStatusIssuer } from './support.js';

const S = await makeStatusIssuer();
const options = (extra: Partial<StatusListVerifyOptions> = {}): StatusListVerifyOptions => ({
  keys: [S.publicJwk], algorithms: new Set(['ES256']), uri: LIST_URI, now: NOW_S, toleranceSeconds: 30, ...extra,
});

async function rejectsInvalid(promise: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error & { code?: string }) => {
    assert.equal(error.code, 'status_list_invalid', error.message);
    assert.match(error.message, message);
    return true;
  });
}

describe('status list layout (draft-ietf-oauth-status-list §4.1 examples)', () => {
  test('1-bit entries fill each byte from its least significant bit', () => {
    const list = Uint8Array.of(0xb9, 0xa3);
    const expected = [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1];
    assert.deepEqual(expected.map((_, i) => readStatus(list, 1, i)), expected);
    const written = new Uint8Array(2);
    expected.forEach((value, i) => writeStatus(written, 1, i, value));
    assert.deepEqual([...written], [0xb9, 0xa3]);
  });

  test('2-bit entries', () => {
    const list = Uint8Array.of(0xc9, 0x44, 0xf9);
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((i) => readStatus(list, 2, i)), [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3]);
  });

  test('4- and 8-bit entries, and an index beyond the list', () => {
    assert.equal(readStatus(Uint8Array.of(0x21), 4, 0), 1);
    assert.equal(readStatus(Uint8Array.of(0x21), 4, 1), 2);
    assert.equal(readStatus(Uint8Array.of(7, 200), 8, 1), 200);
    assert.equal(readStatus(Uint8Array.of(7, 200), 8, 2), undefined);
    assert.equal(readStatus(Uint8Array.of(0xff), 1, 8), undefined);
  });

  test('inflation round-trips and stops at the size limit', async () => {
    const list = new Uint8Array(100_000);
    list[99_999] = 1;
    const compressed = await deflateStatusList(list);
    assert.equal(compressed[0], 0x78, 'ZLIB header (RFC 1950), not raw DEFLATE or gzip');
    assert.deepEqual(await inflateStatusList(compressed, 100_000), list);
    await rejectsInvalid(inflateStatusList(compressed, 99_999), /more than 99999 bytes/);
    await rejectsInvalid(inflateStatusList(Uint8Array.of(1, 2, 3, 4)), /ZLIB/);
  });

  test('a size limit that is no positive integer is a configuration fault, never an unbounded inflation', async () => {
    const compressed = await deflateStatusList(new Uint8Array(100_000));
    for (const bound of [Number.NaN, 0, -1, 1.5, Infinity]) {
      await assert.rejects(inflateStatusList(compressed, bound), (error: { code?: string }) => error.code === 'invalid_argument', String(bound));
    }
  });

  test('a revocation store clock that returns no valid Date fails the check, never answers "not revoked"', async () => {
    const store = new MemoryRevocationStore({ clock: () => new Date(Number.NaN) });
    await assert.rejects(store.firstRevoked(['h']), (error: { code?: string }) => error.code === 'invalid_argument');
    await assert.rejects(store.revoke('A'.repeat(43), 2_000_000_000), (error: { code?: string }) => error.code === 'invalid_argument');
  });

  test('a memory revocation store bound that is no positive integer is refused', () => {
    for (const maxEntries of [Number.NaN, 0, -1, 2.5]) {
      assert.throws(() => new MemoryRevocationStore({ maxEntries }), (error: { code?: string }) => error.code === 'invalid_argument', String(maxEntries));
    }
  });
});

for (const format of ['jwt', 'cwt'] as const) {
  describe(`Status List Token (${format})`, () => {
    test('a token made here verifies and yields its list', async () => {
      const verified = await verifyStatusListToken(await listToken(S, { format, entries: { 3: 1 }, ttl: 60 }), options());
      assert.equal(verified.format, format);
      assert.equal(verified.sub, LIST_URI);
      assert.equal(verified.ttl, 60);
      assert.equal(readStatus(verified.list, verified.bits, 3), 1);
      assert.equal(readStatus(verified.list, verified.bits, 2), 0);
    });

    test('a token signed by another key is refused', async () => {
      const other = await makeStatusIssuer();
      await rejectsInvalid(verifyStatusListToken(await listToken(other, { format }), options()), /not signed by a key configured/);
    });

    test('a token whose sub is not the URI it came from is refused', async () => {
      await rejectsInvalid(verifyStatusListToken(await listToken(S, { format, uri: 'https://status.example/lists/2' }), options()), /sub is not the URI/);
    });

    test('an expired token is refused (beyond the tolerance)', async () => {
      await rejectsInvalid(verifyStatusListToken(await listToken(S, { format, exp: NOW_S - 31 }), options()), /expired/);
      await verifyStatusListToken(await listToken(S, { format, exp: NOW_S - 29 }), options());
    });

    test('a token issued in the future is refused', async () => {
      await rejectsInvalid(verifyStatusListToken(await listToken(S, { format, iat: NOW_S + 31 }), options()), /future/);
    });

    test('a token with an algorithm the issuer is not allowed is refused', async () => {
      await rejectsInvalid(verifyStatusListToken(await listToken(S, { format }), options({ algorithms: new Set(['EdDSA']) })), /not allowed/);
    });
  });
}

describe('Status List Token fields a minter here would not produce (JWT, signed with jose)', () => {
  async function signed(header: Record<string, unknown>, payload: Record<string, unknown>): Promise<string> {
    const key = await importJWK(S.privateJwk, 'ES256');
    return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: 'ES256', kid: 's1', ...header }).sign(key);
  }
  const lst = async (): Promise<string> => Buffer.from(await deflateStatusList(new Uint8Array(2))).toString('base64url');

  test('bits other than 1, 2, 4, 8 are refused', async () => {
    const token = await signed({ typ: 'statuslist+jwt' }, { sub: LIST_URI, iat: NOW_S, status_list: { bits: 3, lst: await lst() } });
    await rejectsInvalid(verifyStatusListToken(token, options()), /bits 3/);
  });

  test('a token without the statuslist+jwt type is refused', async () => {
    const token = await signed({ typ: 'JWT' }, { sub: LIST_URI, iat: NOW_S, status_list: { bits: 1, lst: await lst() } });
    await rejectsInvalid(verifyStatusListToken(token, options()), /typ/);
  });

  test('application/statuslist+jwt is the same type', async () => {
    const token = await signed({ typ: 'application/statuslist+jwt' }, { sub: LIST_URI, iat: NOW_S, status_list: { bits: 1, lst: await lst() } });
    assert.equal((await verifyStatusListToken(token, options())).bits, 1);
  });

  test('a token without iat, or with a ttl that is not a positive integer, is refused', async () => {
    await rejectsInvalid(verifyStatusListToken(await signed({ typ: 'statuslist+jwt' }, { sub: LIST_URI, status_list: { bits: 1, lst: await lst() } }), options()), /iat/);
    await rejectsInvalid(verifyStatusListToken(await signed({ typ: 'statuslist+jwt' }, { sub: LIST_URI, iat: NOW_S, ttl: 0, status_list: { bits: 1, lst: await lst() } }), options()), /ttl/);
  });

  test('createStatusListToken refuses what it could not sign correctly', async () => {
    const { privateJwk } = await generateKeyPair('ES256');
    await assert.rejects(createStatusListToken({ uri: LIST_URI, bits: 3 as 1, list: new Uint8Array(1), iat: NOW_S }, { privateKey: privateJwk, alg: 'ES256' }, 'jwt'), /bits/);
  });
});
