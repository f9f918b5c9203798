/**
 * The grant reports the key oidc-provider authenticated a private_key_jwt client with, as the
 * provider selected it, and verifies nothing itself for a registered key set: each signature is
 * verified once per request (issue #27 item 4). Counted through the key store seam the provider and
 * the grant share. A `jwks_uri` key set is refreshed in place by other requests, so there the
 * assertion is checked against the key reported.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT, calculateJwkThumbprint, importJWK } from 'jose';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { generateKeyPair } from '../../lib/index.js';
import { authenticatedClientKey } from '../../lib/integrations/oidc-provider/grant.js';

const B = await generateKeyPair('ES256');
const Other = await generateKeyPair('ES256');

async function assertion(kid: string | undefined, spoil = true): Promise<string> {
  const jwt = await new SignJWT({ jti: 'a-1' })
    .setProtectedHeader({ alg: 'ES256', ...(kid === undefined ? {} : { kid }) })
    .setIssuer('client-b').setSubject('client-b').setAudience('https://as.test/token').setIssuedAt().setExpirationTime('1m')
    .sign((await importJWK(B.privateJwk, 'ES256')) as Parameters<SignJWT['sign']>[0]);
  // Spoil the signature: the provider has already checked it; the grant must not check it again.
  return spoil ? `${jwt.slice(0, -4)}AAAA` : jwt;
}

function context(keys: object[], clientAssertion: string, seen: { selections: { alg?: string | undefined; kid?: string | undefined }[] }, jwksUri?: string): KoaContextWithOIDC {
  const keystore = {
    jwksUri,
    selectForVerify(options: { alg?: string; kid?: string }) {
      seen.selections.push(options);
      return keys.filter((key) => options.kid === undefined || (key as { kid?: string }).kid === options.kid);
    },
  };
  return { oidc: { client: { clientId: 'client-b', clientAuthMethod: 'private_key_jwt', asymmetricKeyStore: keystore }, params: { client_assertion: clientAssertion } } } as unknown as KoaContextWithOIDC;
}

test('the key the provider selected for the assertion is the requester key, and the assertion is not verified again', async () => {
  const seen = { selections: [] as { alg?: string | undefined; kid?: string | undefined }[] };
  const key = await authenticatedClientKey(context([{ ...B.publicJwk, kid: 'b-1' }, { ...Other.publicJwk, kid: 'o-1' }], await assertion('b-1'), seen));
  assert.deepEqual(key, { jkt: await calculateJwkThumbprint(B.publicJwk) });
  assert.deepEqual(seen.selections, [{ alg: 'ES256', kid: 'b-1' }], 'one selection, by the assertion header, as the provider made it');
});

test('several keys fit an assertion without kid: no key is reported (fail closed), rather than verifying to find out', async () => {
  const seen = { selections: [] as { alg?: string | undefined; kid?: string | undefined }[] };
  const key = await authenticatedClientKey(context([{ ...B.publicJwk }, { ...Other.publicJwk }], await assertion(undefined), seen));
  assert.deepEqual(key, {});
  assert.equal(seen.selections.length, 1);
});

test('a jwks_uri key set refreshed since authentication to another key under the same kid: no key is reported', async () => {
  // The provider verified the assertion with B's key; a concurrent request then refreshed the client's
  // key set, which now holds Other's key under B's kid (a rotation that reused the kid).
  const seen = { selections: [] as { alg?: string | undefined; kid?: string | undefined }[] };
  const signedByB = await assertion('b-1', false);
  const rotated = await authenticatedClientKey(context([{ ...Other.publicJwk, kid: 'b-1' }], signedByB, seen, 'https://client-b.test/jwks'));
  assert.deepEqual(rotated, {}, 'the key now under b-1 did not sign the assertion');
  const unchanged = await authenticatedClientKey(context([{ ...B.publicJwk, kid: 'b-1' }], signedByB, seen, 'https://client-b.test/jwks'));
  assert.deepEqual(unchanged, { jkt: await calculateJwkThumbprint(B.publicJwk) });
  // A registered key set is never refreshed: the provider's verification stands, nothing is verified again.
  const registered = await authenticatedClientKey(context([{ ...Other.publicJwk, kid: 'b-1' }], signedByB, seen));
  assert.deepEqual(registered, { jkt: await calculateJwkThumbprint(Other.publicJwk) });
});

test('a jwks_uri key set: an assertion whose signature the reported key does not verify reports no key', async () => {
  const seen = { selections: [] as { alg?: string | undefined; kid?: string | undefined }[] };
  const key = await authenticatedClientKey(context([{ ...B.publicJwk, kid: 'b-1' }], await assertion('b-1'), seen, 'https://client-b.test/jwks'));
  assert.deepEqual(key, {});
});
