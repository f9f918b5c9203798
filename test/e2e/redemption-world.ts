/**
 * The parties the Redis fault tests redeem chains with (replay-durability, replay-replication): an
 * authority A trusted for link 0, client-b (key B, its client secret) the last delegate, and C the
 * key the tokens are bound to; a fresh one-link chain for an authorization server's issuer.
 */
import { compileTrust, generateKeyPair, startChain, type Chain, type PrivateJwk, type PublicJwk } from '../../lib/index.js';
import { replayFailClosedSeconds } from '../../lib/as/index.js';

export const AUTHORITY = 'https://authority.test';
type Keys = { privateJwk: PrivateJwk; publicJwk: PublicJwk };
export const [A, B, C] = (await Promise.all(['EdDSA', 'ES256', 'ES256'].map((alg) => generateKeyPair(alg as 'EdDSA' | 'ES256')))) as [Keys, Keys, Keys];
export const credsB = { clientId: 'client-b', clientSecret: 'secret-b-0123456789' };
export const trust = { roots: [{ type: 'issuer' as const, iss: AUTHORITY, jwks: { keys: [A.publicJwk] } }] };
export const failClosedSeconds = replayFailClosedSeconds(await compileTrust(trust));

export function chainFor(issuer: string): Promise<Chain> {
  return startChain(
    { iss: AUTHORITY, sub: 'alice', aud: issuer, scope: 'read', tmb: { jwk: C.publicJwk }, delegate: { sub: credsB.clientId, cnf: { jwk: B.publicJwk } } },
    { privateKey: A.privateJwk, alg: 'EdDSA' },
  );
}
