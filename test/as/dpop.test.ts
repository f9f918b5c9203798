import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT, importJWK, type JWTPayload } from 'jose';
import { generateKeyPair, jwkThumbprint, TransitiveProofError, type PrivateJwk, type PublicJwk } from '../../lib/index.js';
import { accessTokenHash, createDpopProof, DpopError, MemoryReplayStore, verifyDpopPresentation, verifyDpopProof } from '../../lib/as/index.js';

const key = await generateKeyPair('ES256');
const other = await generateKeyPair('ES256');
const jkt = await jwkThumbprint(key.publicJwk);
const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln';
const HTU = 'https://rs.test/api/data';
const now = new Date();
const iat = Math.floor(now.getTime() / 1000);

const base = { htm: 'GET', htu: HTU, accessToken: TOKEN, expectedJkt: jkt, now };

async function handMade(header: Record<string, unknown>, payload: JWTPayload, signer: PrivateJwk = key.privateJwk): Promise<string> {
  const alg = (header.alg as string | undefined) ?? 'ES256';
  return new SignJWT(payload)
    .setProtectedHeader({ alg, ...header })
    .sign((await importJWK(signer, 'ES256')) as Parameters<SignJWT['sign']>[0]);
}

const TOKEN_ATH = await accessTokenHash(TOKEN);
const OTHER_TOKEN_ATH = await accessTokenHash('other-token');
const goodPayload = (): JWTPayload => ({ jti: crypto.randomUUID(), htm: 'GET', htu: HTU, iat, ath: TOKEN_ATH });
const goodHeader = (jwk: PublicJwk = key.publicJwk): Record<string, unknown> => ({ typ: 'dpop+jwt', jwk });

async function reason(proof: string, options: Partial<Parameters<typeof verifyDpopProof>[1]> = {}): Promise<string> {
  try {
    await verifyDpopProof(proof, { ...base, replayStore: new MemoryReplayStore(), ...options });
  } catch (error) {
    assert.ok(error instanceof DpopError, String(error));
    assert.equal(error.code, 'dpop_proof_invalid');
    assert.equal(error.oauthError, 'invalid_dpop_proof');
    return error.reason;
  }
  return 'accepted';
}

describe('verifyDpopProof', () => {
  test('a proof made by createDpopProof verifies and reports the key', async () => {
    const proof = await createDpopProof({ privateKey: key.privateJwk, alg: 'ES256', htm: 'GET', htu: HTU, accessToken: TOKEN, now });
    const verified = await verifyDpopProof(proof, { ...base, replayStore: new MemoryReplayStore() });
    assert.equal(verified.jkt, jkt);
    assert.equal(verified.iat, iat);
  });

  test('the hand-made baseline verifies (so each case below fails for its one fault)', async () => {
    assert.equal(await reason(await handMade(goodHeader(), goodPayload())), 'accepted');
  });

  test('query and fragment of htu are ignored; scheme and host case normalised', async () => {
    assert.equal(await reason(await handMade(goodHeader(), { ...goodPayload(), htu: 'HTTPS://RS.test/api/data?x=1#f' })), 'accepted');
  });

  const cases: [string, string, () => Promise<string>, Partial<Parameters<typeof verifyDpopProof>[1]>?][] = [
    ['not a JWS', 'malformed', async () => 'not-a-jws'],
    ['typ is not dpop+jwt', 'typ', () => handMade({ ...goodHeader(), typ: 'jwt' }, goodPayload())],
    ['algorithm not allowed', 'alg', () => handMade(goodHeader(), goodPayload()), { algorithms: ['EdDSA'] }],
    ['no jwk header', 'jwk', () => handMade({ typ: 'dpop+jwt' }, goodPayload())],
    ['private key in jwk header', 'jwk', () => handMade(goodHeader(key.privateJwk), goodPayload())],
    ['signed by another key than the jwk header', 'signature', () => handMade(goodHeader(), goodPayload(), other.privateJwk)],
    ['no jti', 'jti', async () => handMade(goodHeader(), { ...goodPayload(), jti: undefined })],
    ['htm differs', 'htm', () => handMade(goodHeader(), { ...goodPayload(), htm: 'POST' })],
    ['htu differs', 'htu', () => handMade(goodHeader(), { ...goodPayload(), htu: 'https://rs.test/api/other' })],
    ['htu not absolute', 'htu', () => handMade(goodHeader(), { ...goodPayload(), htu: '/api/data' })],
    ['no iat', 'iat', () => handMade(goodHeader(), { ...goodPayload(), iat: undefined })],
    ['iat too old', 'iat', () => handMade(goodHeader(), { ...goodPayload(), iat: iat - 3600 })],
    ['iat in the future', 'iat', () => handMade(goodHeader(), { ...goodPayload(), iat: iat + 3600 })],
    ['ath of another token', 'ath', () => handMade(goodHeader(), { ...goodPayload(), ath: OTHER_TOKEN_ATH })],
    ['no ath with a token', 'ath', () => handMade(goodHeader(), { ...goodPayload(), ath: undefined })],
    ['nonce missing', 'nonce', () => handMade(goodHeader(), goodPayload()), { nonce: 'n-1' }],
    ['key is not the token key', 'key_mismatch', () => handMade(goodHeader(), goodPayload()), { expectedJkt: 'A'.repeat(43) }],
  ];
  for (const [name, expected, make, options] of cases) {
    test(`fails alone: ${name}`, async () => {
      assert.equal(await reason(await make(), options), expected);
    });
  }

  test('a window that is no non-negative integer, or a now that is no valid Date, is a configuration fault, never a lifted bound', async () => {
    const old = await handMade(goodHeader(), { ...goodPayload(), iat: iat - 86_400 });
    assert.equal(await reason(old), 'iat', 'a day-old proof is too old under the defaults');
    for (const fault of [{ maxAgeSeconds: Number.NaN }, { maxAgeSeconds: -1 }, { maxAgeSeconds: 1.5 }, { clockToleranceSeconds: Number.NaN }, { clockToleranceSeconds: -5 }, { clockToleranceSeconds: '5' }, { now: new Date(Number.NaN) }]) {
      await assert.rejects(verifyDpopProof(old, { ...base, replayStore: new MemoryReplayStore(), ...(fault as object) }), (error: unknown) => error instanceof TransitiveProofError && error.code === 'invalid_argument', JSON.stringify(fault));
    }
    // An undefined member keeps its default.
    assert.equal(await reason(old, { maxAgeSeconds: undefined, clockToleranceSeconds: undefined } as object), 'iat');
  });

  test('a proof is accepted once per key and jti when a replay store is given', async () => {
    const replayStore = new MemoryReplayStore();
    const proof = await handMade(goodHeader(), goodPayload());
    assert.equal(await reason(proof, { replayStore }), 'accepted');
    assert.equal(await reason(proof, { replayStore }), 'replayed');
  });

  test('a proof that fails a check is not remembered', async () => {
    const replayStore = new MemoryReplayStore();
    const proof = await handMade(goodHeader(), goodPayload());
    assert.equal(await reason(proof, { replayStore, htm: 'POST' }), 'htm');
    assert.equal(replayStore.size, 0);
  });
});

describe('verifyDpopPresentation', () => {
  const once = () => ({ replayStore: new MemoryReplayStore() });
  const request = async (overrides: Partial<Parameters<typeof verifyDpopPresentation>[0]> = {}) => ({
    authorization: `DPoP ${TOKEN}`,
    dpop: await createDpopProof({ privateKey: key.privateJwk, alg: 'ES256', htm: 'GET', htu: HTU, accessToken: TOKEN }),
    method: 'GET',
    url: HTU,
    ...overrides,
  });

  test('accepts the key holder', async () => {
    const verified = await verifyDpopPresentation(await request(), { cnf: { jkt } }, once());
    assert.equal(verified.accessToken, TOKEN);
    assert.equal(verified.jkt, jkt);
  });

  test('a proof by another key fails even with the right token', async () => {
    const dpop = await createDpopProof({ privateKey: other.privateJwk, alg: 'ES256', htm: 'GET', htu: HTU, accessToken: TOKEN });
    await assert.rejects(verifyDpopPresentation(await request({ dpop }), { cnf: { jkt } }, once()), { reason: 'key_mismatch' });
  });

  test('Bearer scheme, no cnf.jkt, two DPoP headers, or no proof are refused', async () => {
    await assert.rejects(verifyDpopPresentation(await request({ authorization: `Bearer ${TOKEN}` }), { cnf: { jkt } }, once()), (error: unknown) => error instanceof TransitiveProofError && error.oauthError === 'invalid_token');
    await assert.rejects(verifyDpopPresentation(await request(), {}, once()), { code: 'access_token_invalid' });
    const two = await request();
    await assert.rejects(verifyDpopPresentation({ ...two, dpop: [two.dpop as string, two.dpop as string] }, { cnf: { jkt } }, once()), { reason: 'malformed' });
    await assert.rejects(verifyDpopPresentation(await request({ dpop: undefined }), { cnf: { jkt } }, once()), { reason: 'malformed' });
  });
});

describe('the replay check is required unless opted out (SPEC-NOTES §8.7)', () => {
  const isConfigurationFault = (error: unknown) => error instanceof TransitiveProofError && !(error instanceof DpopError) && error.code === 'invalid_argument';

  test('a proof verifier with neither a replayStore nor skipReplayCheck: true refuses to run, before it reads the proof', async () => {
    const proof = await handMade(goodHeader(), goodPayload());
    await assert.rejects(verifyDpopProof(proof, base), isConfigurationFault);
    await assert.rejects(verifyDpopProof('not-a-jws', base), isConfigurationFault);
    await assert.rejects(verifyDpopProof(proof, { ...base, skipReplayCheck: false }), isConfigurationFault);
    await assert.rejects(verifyDpopProof(proof, { ...base, skipReplayCheck: 'yes' as unknown as boolean }), isConfigurationFault);
    await assert.rejects(verifyDpopProof(proof, { ...base, replayStore: {} as MemoryReplayStore }), isConfigurationFault);
  });

  test('a replayStore and skipReplayCheck: true together contradict each other', async () => {
    const proof = await handMade(goodHeader(), goodPayload());
    await assert.rejects(verifyDpopProof(proof, { ...base, replayStore: new MemoryReplayStore(), skipReplayCheck: true }), isConfigurationFault);
  });

  test('with a replayStore a proof is accepted once; with skipReplayCheck: true it is accepted again', async () => {
    const proof = await handMade(goodHeader(), goodPayload());
    const replayStore = new MemoryReplayStore();
    assert.equal(await reason(proof, { replayStore }), 'accepted');
    assert.equal(await reason(proof, { replayStore }), 'replayed');
    const skipped = { ...base, skipReplayCheck: true };
    assert.equal((await verifyDpopProof(proof, skipped)).jkt, jkt);
    assert.equal((await verifyDpopProof(proof, skipped)).jkt, jkt);
  });

  test('a presentation without either is refused for every request, before the token or the proof is read', async () => {
    const dpop = await createDpopProof({ privateKey: key.privateJwk, alg: 'ES256', htm: 'GET', htu: HTU, accessToken: TOKEN });
    const presentation = { authorization: `DPoP ${TOKEN}`, dpop, method: 'GET', url: HTU };
    await assert.rejects(verifyDpopPresentation(presentation, { cnf: { jkt } }, {}), isConfigurationFault);
    await assert.rejects(verifyDpopPresentation({ ...presentation, authorization: 'Bearer x' }, { cnf: { jkt } }, undefined as unknown as object), isConfigurationFault);
    assert.equal((await verifyDpopPresentation(presentation, { cnf: { jkt } }, { skipReplayCheck: true })).jkt, jkt);
  });
});
