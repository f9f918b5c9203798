/**
 * SPEC-NOTES.md §4.3.2 (last paragraph): CBOR text is decoded exactly, so a leading U+FEFF
 * (EF BB BF) in a CWT `cti` or COSE `kid` is part of the value, as it is in the JSON of a JWT.
 * Stripping it would make "\uFEFFabc" and "abc" one jti in a CWT and two in a JWT, so the same
 * link content would consume a different replay key (lib/replay/keys.ts) in each format.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LIMITS } from '../../lib/model/limits.js';
import { coseCodec } from '../../lib/codecs/cose/codec.js';
import { joseCodec } from '../../lib/codecs/jose/codec.js';
import { linkReplayKey } from '../../lib/replay/keys.js';
import { keysFor, sampleClaims, toHex } from './support.js';

const BOM = '\uFEFF';
const JTI = `${BOM}abc`;
const KID = `${BOM}key-1`;

async function bothReadings(): Promise<{ cwt: Uint8Array; jwt: ReturnType<typeof joseCodec.decodeLink>; cose: ReturnType<typeof coseCodec.decodeLink> }> {
  const { privateKey } = await keysFor('EdDSA');
  const claims = sampleClaims({ jti: JTI });
  delete claims.prev;
  const cwt = await coseCodec.signLink({ claims, alg: 'EdDSA', privateKey, kid: KID });
  const jws = await joseCodec.signLink({ claims, alg: 'EdDSA', privateKey, kid: KID });
  return { cwt, jwt: joseCodec.decodeLink(jws, 0, DEFAULT_LIMITS), cose: coseCodec.decodeLink(cwt, 0, DEFAULT_LIMITS) };
}

test('the CWT really carries EF BB BF at the start of cti and kid (the bytes the decoder sees)', async () => {
  const { cwt } = await bothReadings();
  const bytes = toHex(cwt);
  assert.ok(bytes.includes('07' + '46' + 'efbbbf616263'), 'cti 7: bstr(6) EF BB BF "abc"');
  assert.ok(bytes.includes('04' + '48' + 'efbbbf6b65792d31'), 'kid 4: bstr(8) EF BB BF "key-1"');
});

test('a leading BOM in cti / kid: the CWT reading keeps it and equals the JWT reading', async () => {
  const { jwt, cose } = await bothReadings();
  assert.equal(jwt.claims.jti, JTI);
  assert.equal(cose.claims.jti, JTI, 'cti lost its U+FEFF');
  assert.equal(jwt.header.kid, KID);
  assert.equal(cose.header.kid, KID, 'kid lost its U+FEFF');
});

test('a leading BOM in cti: the CWT and JWT links consume the same replay key, not that of "abc"', async () => {
  const { jwt, cose } = await bothReadings();
  const fromJwt = await linkReplayKey(jwt.claims.iss as string, jwt.claims.jti as string);
  const fromCwt = await linkReplayKey(cose.claims.iss as string, cose.claims.jti as string);
  assert.equal(fromCwt, fromJwt);
  assert.notEqual(fromCwt, await linkReplayKey(cose.claims.iss as string, 'abc'));
});
