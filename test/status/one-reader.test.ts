/**
 * Issue #23 item 2: a Status List Token and a DPoP proof are read by the link readers (SPEC-NOTES
 * §4.1, §4.3.4, §5.1 step 1, §8.7): strict JSON, canonical base64url, the CBOR profile with a
 * deterministic payload, the same `typ` rule, no `crit`, no key or certificate header parameters
 * (DPoP: only its `jwk`). Each case used to be accepted.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, sign, type JsonWebKey } from 'node:crypto';
import { CompactSign, importJWK } from 'jose';
import { generateKeyPair, jwkThumbprint } from '../../lib/index.js';
import { accessTokenHash, DpopError, verifyDpopProof } from '../../lib/as/index.js';
import { encodeDeterministic, type CborMap, type CborValue } from '../../lib/codecs/cose/cbor.js';
import { importSigningKey } from '../../lib/keys/keys.js';
import { HeaderLabel } from '../../lib/codecs/cose/headers.js';
import { signSign1 } from '../../lib/codecs/cose/sign1.js';
import { deflateStatusList, emptyStatusList, readStatus, verifyStatusListToken, writeStatus, type StatusListVerifyOptions } from '../../lib/status/index.js';
import { STATUS_LIST_CWT_KEYS, STATUS_LIST_CWT_TYP } from '../../lib/status/token.js';
import { NOW_S } from '../helpers/fixtures.js';
import { LIST_URI, makeStatusIssuer } from './support.js';

const S = await makeStatusIssuer();
const options = (extra: Partial<StatusListVerifyOptions> = {}): StatusListVerifyOptions => ({
  keys: [S.publicJwk], algorithms: new Set(['ES256']), uri: LIST_URI, now: NOW_S, toleranceSeconds: 30, ...extra,
});

/**
 * Bytes after the ZLIB stream: Node 20's decompressor ignores them, so the library's own check
 * answers (the message naming them); Node 22's and browsers' refuse them while inflating. Either way
 * the list is refused with the same code; on Node 20 this fails without the check.
 */
const TRAILING_BYTES = /after its ZLIB stream|not ZLIB-compressed data/;

async function rejectsInvalid(promise: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error & { code?: string }) => {
    assert.equal(error.code, 'status_list_invalid', error.message);
    assert.match(error.message, message);
    return true;
  });
}

/** A JWT signed over exactly `payloadJson` (written by hand, so a member can appear twice). */
async function jwtOver(header: Record<string, unknown>, payloadJson: string): Promise<string> {
  const key = await importJWK(S.privateJwk, 'ES256');
  return new CompactSign(new TextEncoder().encode(payloadJson)).setProtectedHeader({ alg: 'ES256', typ: 'statuslist+jwt', kid: 's1', ...header }).sign(key);
}

/** ZLIB of a 16-entry 1-bit list with entry 3 set to `value`. */
async function lst(value: number): Promise<Uint8Array> {
  const list = emptyStatusList(16, 1);
  writeStatus(list, 1, 3, value);
  return deflateStatusList(list);
}
const b64u = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const claimsJson = async (statusList: string): Promise<string> => `{"sub":"${LIST_URI}","iat":${NOW_S - 10},"status_list":${statusList}}`;

/** A CWT Status List Token over exactly `payload`, protected header `extra` beside alg and typ. */
async function cwtOver(payload: Uint8Array, extra: [number, CborValue][] = []): Promise<Uint8Array> {
  const protectedHeader: CborMap = new Map<number, CborValue>([[HeaderLabel.typ, STATUS_LIST_CWT_TYP], ...extra]);
  return signSign1({ alg: 'ES256', protectedHeader, payload, key: await importSigningKey(S.privateJwk, 'ES256') });
}
async function cwtClaims(list: Uint8Array): Promise<[number, CborValue][]> {
  return [
    [STATUS_LIST_CWT_KEYS.sub, LIST_URI],
    [STATUS_LIST_CWT_KEYS.iat, NOW_S - 10],
    [STATUS_LIST_CWT_KEYS.statusList, new Map<string, CborValue>([['bits', 1], ['lst', list]])],
  ];
}

describe('Status List Token (JWT): the link reader', () => {
  test('the hand-written baseline verifies (each case below differs by its one fault)', async () => {
    const verified = await verifyStatusListToken(await jwtOver({}, await claimsJson(`{"bits":1,"lst":"${b64u(await lst(1))}"}`)), options());
    assert.equal(readStatus(verified.list, verified.bits, 3), 1);
  });

  test('status_list twice (the first marks entry 3 INVALID, the second VALID) is refused, not read as the last', async () => {
    const payload = `{"sub":"${LIST_URI}","iat":${NOW_S - 10},"status_list":{"bits":1,"lst":"${b64u(await lst(1))}"},"status_list":{"bits":1,"lst":"${b64u(await lst(0))}"}}`;
    await rejectsInvalid(verifyStatusListToken(await jwtOver({}, payload), options()), /duplicate/);
  });

  test('a number not written as an integer (iat 1.0 form) is refused', async () => {
    const payload = `{"sub":"${LIST_URI}","iat":${NOW_S - 10}.0,"status_list":{"bits":1,"lst":"${b64u(await lst(1))}"}}`;
    await rejectsInvalid(verifyStatusListToken(await jwtOver({}, payload), options()), /JSON of this profile/);
  });

  test('a payload segment that is not the canonical base64url spelling of its bytes is refused', async () => {
    const token = await jwtOver({}, `${await claimsJson(`{"bits":1,"lst":"${b64u(await lst(1))}"}`)} `);
    const [h, p, s] = token.split('.') as [string, string, string];
    // The payload ends with a space: its last base64url character has unused bits; set one.
    assert.ok(p.length % 4 !== 0);
    const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(p.at(-1) as string);
    const bumped = `${p.slice(0, -1)}${'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[last + 1]}`;
    assert.deepEqual(Buffer.from(bumped, 'base64url'), Buffer.from(p, 'base64url'));
    await rejectsInvalid(verifyStatusListToken(`${h}.${bumped}.${s}`, options()), /canonical base64url/);
  });

  for (const [name, header] of [
    ['jwk', { jwk: S.publicJwk }],
    ['jku', { jku: 'https://status.example/keys' }],
    ['x5u', { x5u: 'https://status.example/cert' }],
    ['x5c', { x5c: ['MIIB'] }],
  ] as const) {
    test(`a ${name} header is refused, as in a CWT status token`, async () => {
      const token = await jwtOver(header, await claimsJson(`{"bits":1,"lst":"${b64u(await lst(1))}"}`));
      await rejectsInvalid(verifyStatusListToken(token, options()), /key or certificate header parameters/);
    });
  }

  test('an lst that is not the canonical base64url spelling of its bytes is refused (SPEC-NOTES §5.1 step 4)', async () => {
    const bytes = await lst(1);
    const text = b64u(bytes);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = `${text.slice(0, -1)}${alphabet[alphabet.indexOf(text.at(-1) as string) ^ 1] as string}`;
    assert.deepEqual(new Uint8Array(Buffer.from(respelled, 'base64url')), bytes, 'the same bytes, another spelling (unused bits set)');
    await rejectsInvalid(verifyStatusListToken(await jwtOver({}, await claimsJson(`{"bits":1,"lst":"${respelled}"}`)), options()), /lst is not canonical base64url/);
  });

  test('bytes after the ZLIB stream in lst are refused', async () => {
    const trailing = new Uint8Array([...(await lst(1)), 0x00]);
    await rejectsInvalid(verifyStatusListToken(await jwtOver({}, await claimsJson(`{"bits":1,"lst":"${b64u(trailing)}"}`)), options()), TRAILING_BYTES);
  });
});

describe('Status List Token (CWT): the link reader', () => {
  test('the baseline verifies', async () => {
    const verified = await verifyStatusListToken(await cwtOver(encodeDeterministic(new Map(await cwtClaims(await lst(1))))), options());
    assert.equal(readStatus(verified.list, verified.bits, 3), 1);
  });

  test('a payload not in deterministic encoding (claims out of key order) is refused', async () => {
    const claims = await cwtClaims(await lst(1));
    // The same three claims, iat (6) and status_list (65533) before sub (2): each item deterministic, the map not.
    const reordered = [claims[1], claims[2], claims[0]] as [number, CborValue][];
    const payload = new Uint8Array([0xa3, ...reordered.flatMap(([k, v]) => [...encodeDeterministic(k), ...encodeDeterministic(v)])]);
    await rejectsInvalid(verifyStatusListToken(await cwtOver(payload), options()), /deterministic/);
  });

  test('bytes after the ZLIB stream in lst are refused', async () => {
    const payload = encodeDeterministic(new Map(await cwtClaims(new Uint8Array([...(await lst(1)), 0x00]))));
    await rejectsInvalid(verifyStatusListToken(await cwtOver(payload), options()), TRAILING_BYTES);
  });
});

const key = await generateKeyPair('ES256');
const HTU = 'https://rs.test/api/data';
const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln';
const base = { htm: 'GET', htu: HTU, accessToken: TOKEN, expectedJkt: await jwkThumbprint(key.publicJwk), now: new Date(NOW_S * 1000) };

describe('DPoP proof: the link reader, and only its own jwk', () => {
  const payloadJson = async (extra = ''): Promise<string> =>
    `{"jti":"${crypto.randomUUID()}","htm":"GET","htu":"${HTU}","iat":${NOW_S},"ath":"${await accessTokenHash(TOKEN)}"${extra}}`;
  async function proof(header: Record<string, unknown>, payload: string): Promise<string> {
    return new CompactSign(new TextEncoder().encode(payload))
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: key.publicJwk, ...header })
      .sign(await importJWK(key.privateJwk, 'ES256'));
  }
  async function reason(text: string): Promise<string> {
    try {
      await verifyDpopProof(text, { ...base, skipReplayCheck: true });
      return 'accepted';
    } catch (error) {
      assert.ok(error instanceof DpopError, String(error));
      return error.reason;
    }
  }

  test('the hand-written baseline verifies; typ is matched as for links (application/ prefix, ASCII case)', async () => {
    assert.equal(await reason(await proof({}, await payloadJson())), 'accepted');
    assert.equal(await reason(await proof({ typ: 'application/DPoP+JWT' }, await payloadJson())), 'accepted');
  });

  test('a member written twice (htm POST, then GET) is refused', async () => {
    assert.equal(await reason(await proof({}, await payloadJson(',"htm":"POST"'))), 'malformed');
  });

  test('a header member written twice (typ jwt, then dpop+jwt) is refused', async () => {
    const header = Buffer.from(`{"alg":"ES256","typ":"jwt","typ":"dpop+jwt","jwk":${JSON.stringify(key.publicJwk)}}`).toString('base64url');
    const payload = Buffer.from(await payloadJson()).toString('base64url');
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), { key: createPrivateKey({ key: key.privateJwk as JsonWebKey, format: 'jwk' }), dsaEncoding: 'ieee-p1363' });
    assert.equal(await reason(`${header}.${payload}.${signature.toString('base64url')}`), 'malformed');
  });

  for (const [name, header] of [
    ['jku', { jku: 'https://rs.test/keys' }],
    ['x5u', { x5u: 'https://rs.test/cert' }],
    ['x5c', { x5c: ['MIIB'] }],
  ] as const) {
    test(`a ${name} header beside jwk is refused`, async () => {
      assert.equal(await reason(await proof(header, await payloadJson())), 'jwk');
    });
  }

  test('a crit header is refused', async () => {
    assert.equal(await reason(await proof({ crit: ['b64'], b64: true }, await payloadJson())), 'malformed');
  });
});
