/**
 * Minting with a non-extractable Web Crypto key (a browser's, an HSM-backed one): the signer is a
 * CryptoKey whose private part can never be exported. Both encodings, both key types a browser has.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { createVerifier, JWK_THUMBPRINT_URI_PREFIX, jwkThumbprint, startChain, type LinkFormat, type PublicJwk, type SignatureAlgorithm } from '../../lib/index.js';
import { ALL_PARTS } from '../helpers/parts.js';

const AS = 'https://as.test';
const KEYS: { alg: SignatureAlgorithm; params: { name: string; namedCurve?: string } }[] = [
  { alg: 'ES256', params: { name: 'ECDSA', namedCurve: 'P-256' } },
  { alg: 'EdDSA', params: { name: 'Ed25519' } },
];

describe('startChain with a non-extractable CryptoKey', () => {
  for (const { alg, params } of KEYS) {
    for (const format of ['jwt', 'cwt'] as LinkFormat[]) {
      test(`${alg}, ${format}: the link verifies under a key-holder root`, async () => {
        const pair = (await webcrypto.subtle.generateKey(params, false, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
        assert.equal(pair.privateKey.extractable, false);
        await assert.rejects(webcrypto.subtle.exportKey('jwk', pair.privateKey));
        const { kty, crv, x, y } = await webcrypto.subtle.exportKey('jwk', pair.publicKey);
        const publicJwk = { kty, crv, x, ...(y === undefined ? {} : { y }) } as PublicJwk;
        const iss = `${JWK_THUMBPRINT_URI_PREFIX}${await jwkThumbprint(publicJwk)}`;
        const delegateKey = (await webcrypto.subtle.exportKey('jwk', (await webcrypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']) as webcrypto.CryptoKeyPair).publicKey)) as PublicJwk;
        const chain = await startChain(
          { iss, sub: iss, aud: AS, scope: 'read', tmb: { jwk: publicJwk }, delegate: { sub: 'client-b', cnf: { jwk: { kty: delegateKey.kty, crv: delegateKey.crv, x: delegateKey.x } as PublicJwk } } },
          { privateKey: pair.privateKey, alg },
          { ...ALL_PARTS, format },
        );
        const verifier = await createVerifier({ roots: [{ type: 'holder', thumbprintIssuers: true }] }, ALL_PARTS);
        // client-b authenticated with the key link 0 names for it (key-bound requesters are the default).
        const delegateJkt = await jwkThumbprint({ kty: delegateKey.kty, crv: delegateKey.crv, x: delegateKey.x } as PublicJwk);
        const result = await verifier.verify(chain, { audience: AS, requester: { id: 'client-b', jkt: delegateJkt } });
        assert.equal(result.root.kind, 'holder');
        assert.equal(result.sub, iss);
      });
    }
  }
});
