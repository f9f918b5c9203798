/**
 * Shared fixtures for the AS-side tests: freshly generated keys, a trust configuration naming the
 * authority, and chains A → B (→ B2).
 */
import { createVerifier, delegate, generateKeyPair, jwkThumbprint, serializeChain, startChain, type Chain, type ChainVerifier, type PrivateJwk, type PublicJwk, type TrustConfig } from '../../lib/index.js';
import { ALL_PARTS } from '../helpers/parts.js';

export const ISSUER = 'https://as.test';
export const AUTHORITY = 'https://authority.test';

export interface Party {
  privateJwk: PrivateJwk;
  publicJwk: PublicJwk;
  jkt: string;
}

async function party(alg: 'EdDSA' | 'ES256'): Promise<Party> {
  const pair = await generateKeyPair(alg);
  return { ...pair, jkt: await jwkThumbprint(pair.publicJwk) };
}

export interface World {
  A: Party;
  B: Party;
  B2: Party;
  C: Party;
  trust: TrustConfig;
  verifier: ChainVerifier;
  /** A → client-b, depth 1, scope "read write". */
  chainToB(overrides?: { scope?: string; iat?: number; exp?: number; jti?: string; depth?: number }): Promise<Chain>;
  /** A → client-b → client-b2 with the given scope. */
  chainToB2(scope?: string): Promise<Chain>;
}

export async function world(): Promise<World> {
  const [A, B, B2, C] = await Promise.all([party('EdDSA'), party('ES256'), party('ES256'), party('ES256')]);
  const trust: TrustConfig = { roots: [{ type: 'issuer', iss: AUTHORITY, jwks: { keys: [A.publicJwk] } }] };
  const verifier = await createVerifier(trust, ALL_PARTS);
  const chainToB: World['chainToB'] = (overrides = {}) =>
    startChain(
      {
        iss: AUTHORITY,
        sub: 'user-42',
        aud: ISSUER,
        scope: overrides.scope ?? 'read write',
        tmb: { jwk: C.publicJwk },
        delegate: { sub: 'client-b', cnf: { jwk: B.publicJwk } },
        depth: overrides.depth ?? 1,
        ...(overrides.iat === undefined ? {} : { iat: overrides.iat }),
        ...(overrides.exp === undefined ? {} : { exp: overrides.exp }),
        ...(overrides.jti === undefined ? {} : { jti: overrides.jti }),
      },
      { privateKey: A.privateJwk, alg: 'EdDSA' },
    );
  const chainToB2: World['chainToB2'] = async (scope = 'read') =>
    delegate(await chainToB(), { delegate: { sub: 'client-b2', cnf: { jwk: B2.publicJwk } }, scope }, { privateKey: B.privateJwk, alg: 'ES256' });
  return { A, B, B2, C, trust, verifier, chainToB, chainToB2 };
}

/** The form body of a plain deferred-binding request. */
export function grantParams(chain: Chain, tmb: object, extra: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({
    grant_type: 'urn:transitive-proof:grant-type:deferred-binding',
    tmb: JSON.stringify(tmb),
    tmb_proof: serializeChain(chain, ALL_PARTS),
    ...extra,
  });
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
