/**
 * The JWK members that restrict a key (SPEC-NOTES.md §3.3): `alg` names the only operation the key
 * is used with and must fit its type and curve (Wycheproof json_web_key tcIds 19, 20: a P-256 key
 * that says ES512 or ES224 is invalid, not a P-256 key with `alg` dropped); `use` is "sig";
 * `key_ops` includes "verify". Expected sets are written from RFC 7517/7518/9864, not the code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { algorithmsForKey, compileTrust, type PublicJwk } from '../../lib/index.js';
import { assertPublicJwk } from '../../lib/keys/keys.js';

const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }) as PublicJwk;
const ed25519 = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as PublicJwk;
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }) as PublicJwk;

test('an alg that does not fit the key type or curve makes the key invalid (ES512, ES224 on P-256; ES256 on Ed25519; RS256 on RSA)', () => {
  for (const [key, alg] of [[p256, 'ES512'], [p256, 'ES224'], [p256, 'ES384'], [p256, 'none'], [ed25519, 'ES256'], [rsa, 'RS256'], [rsa, 'PS384']] as const) {
    assert.throws(() => assertPublicJwk({ ...key, alg }), (error: { code?: string; message?: string }) => error.code === 'claims_invalid' && /alg/.test(String(error.message)), `${key.kty} ${alg}`);
  }
  assert.throws(() => assertPublicJwk({ ...p256, alg: 7 }), /alg/);
});

test('an alg restricts the key to that operation, under either of its names (RFC 9864)', () => {
  assert.deepEqual(algorithmsForKey(p256).sort(), ['ES256', 'ESP256']);
  assert.deepEqual(algorithmsForKey({ ...p256, alg: 'ES256' }).sort(), ['ES256', 'ESP256']);
  assert.deepEqual(algorithmsForKey({ ...ed25519, alg: 'Ed25519' }).sort(), ['Ed25519', 'EdDSA']);
  assert.deepEqual(algorithmsForKey({ ...rsa, alg: 'PS256' }), ['PS256']);
  for (const key of [{ ...p256, alg: 'ES256' }, { ...ed25519, alg: 'EdDSA' }, { ...rsa, alg: 'PS256' }]) assertPublicJwk(key);
});

test('use other than "sig" and key_ops without "verify" make the key invalid (Wycheproof json_web_key tcId 21)', () => {
  assert.throws(() => assertPublicJwk({ ...p256, use: 'enc' }), /use/);
  assert.throws(() => assertPublicJwk({ ...p256, key_ops: ['sign'] }), /key_ops/);
  assert.throws(() => assertPublicJwk({ ...p256, key_ops: 'verify' }), /key_ops/);
  assertPublicJwk({ ...p256, use: 'sig', key_ops: ['verify'] });
});

test('a trust configuration whose root key says an alg it cannot do is refused when loaded (invalid_argument)', async () => {
  const config = { roots: [{ type: 'issuer' as const, iss: 'https://issuer.example', jwks: { keys: [{ ...p256, alg: 'ES512', kid: 'k' }] } }] };
  await assert.rejects(compileTrust(config), (error: { code?: string }) => error.code === 'invalid_argument');
  await compileTrust({ roots: [{ type: 'issuer', iss: 'https://issuer.example', jwks: { keys: [{ ...p256, alg: 'ES256', kid: 'k' }] } }] });
});
