/** Shared helpers for the COSE tests (no tests here). */
import assert from 'node:assert/strict';
import { createHash, type webcrypto } from 'node:crypto';
import { fromWebCryptoKey } from '#runtime';
import { coseCodec } from '../../lib/codecs/cose/codec.js';
import { TransitiveProofError } from '../../lib/errors.js';
import type { VerificationKey } from '../../lib/ports.js';
import { concatBytes, encodeDeterministic, encodeHead, type CborMap, type CborValue } from '../../lib/codecs/cose/cbor.js';
import { sigStructure } from '../../lib/codecs/cose/sign1.js';
import type { Chain, CryptoKey, PublicJwk, SignatureAlgorithm } from '../../lib/model/types.js';

export const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

const GENERATE: Record<SignatureAlgorithm, webcrypto.EcKeyGenParams | webcrypto.RsaHashedKeyGenParams | webcrypto.Algorithm> = {
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
  ESP256: { name: 'ECDSA', namedCurve: 'P-256' },
  ES384: { name: 'ECDSA', namedCurve: 'P-384' },
  EdDSA: { name: 'Ed25519' },
  Ed25519: { name: 'Ed25519' },
  PS256: { name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
};

export interface TestKeys {
  privateKey: CryptoKey;
  /** The public key as WebCrypto made it (what verifySign1 takes). */
  publicKey: CryptoKey;
  verificationKey: VerificationKey;
}

const cache = new Map<SignatureAlgorithm, Promise<TestKeys>>();

export function keysFor(alg: SignatureAlgorithm): Promise<TestKeys> {
  let keys = cache.get(alg);
  if (keys === undefined) {
    keys = (async () => {
      const pair = (await globalThis.crypto.subtle.generateKey(GENERATE[alg], true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
      const jwk = (await globalThis.crypto.subtle.exportKey('jwk', pair.publicKey)) as PublicJwk;
      return { privateKey: pair.privateKey, publicKey: pair.publicKey, verificationKey: { jwk, key: fromWebCryptoKey(pair.publicKey) } };
    })();
    cache.set(alg, keys);
  }
  return keys;
}

export function sampleClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: 'https://client.example',
    sub: 'user-1234',
    aud: 'https://as.example',
    iat: 1_700_000_000,
    nbf: 1_700_000_000,
    exp: 1_700_003_600,
    jti: 'link-7f3a',
    scope: 'read write',
    tmb: { jkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' },
    may_act: {
      sub: 'agent-42',
      cnf: { jwk: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' } },
    },
    depth: 2,
    prev: 'LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564',
    ...overrides,
  };
}

/**
 * A tagged COSE_Sign1 over raw protected-header and payload bytes (for crafted inputs the codec
 * would never emit). The Sig_structure uses the bytes as given.
 */
export async function signRaw(options: {
  alg?: SignatureAlgorithm;
  protectedBytes: Uint8Array;
  payload: Uint8Array;
  unprotected?: CborMap;
  tag?: number | null;
}): Promise<Uint8Array> {
  const alg = options.alg ?? 'ES256';
  const { privateKey } = await keysFor(alg);
  const toBeSigned = sigStructure({ protectedBytes: options.protectedBytes, protectedHeader: new Map([[1, 0]]), payload: options.payload });
  const params = GENERATE[alg].name === 'ECDSA' ? { name: 'ECDSA', hash: alg === 'ES384' ? 'SHA-384' : 'SHA-256' } : GENERATE[alg].name === 'RSA-PSS' ? { name: 'RSA-PSS', saltLength: 32 } : { name: 'Ed25519' };
  const signature = new Uint8Array(await globalThis.crypto.subtle.sign(params, privateKey as webcrypto.CryptoKey, toBeSigned));
  const body = encodeDeterministic([options.protectedBytes, options.unprotected ?? new Map(), options.payload, signature] as CborValue[]);
  const tag = options.tag === undefined ? 18 : options.tag;
  return tag === null ? body : concatBytes(encodeHead(6, tag), body);
}

/** `fn` throws a TransitiveProofError with `code` (and, when given, at link `linkIndex`). */
export function expectCode(fn: () => unknown, code: string, linkIndex?: number): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof TransitiveProofError, String(error));
    assert.equal(error.code, code, error.message);
    if (linkIndex !== undefined) assert.equal(error.linkIndex, linkIndex);
    return true;
  });
}

/** A CWT chain of `count` EdDSA links, each hashing the previous one; link 0 with `rootKid` as its kid when given. */
export async function chainOf(count: number, rootKid?: string): Promise<Chain> {
  const { privateKey } = await keysFor('EdDSA');
  const links: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const claims = sampleClaims({ jti: `link-${i}`, depth: count - i });
    if (i === 0) delete claims.prev;
    else claims.prev = createHash('sha256').update(links[i - 1] as Uint8Array).digest('base64url');
    links.push(await coseCodec.signLink({ claims, alg: 'EdDSA', privateKey, ...(i === 0 && rootKid !== undefined ? { kid: rootKid } : {}) }));
  }
  return { format: 'cwt', links };
}
