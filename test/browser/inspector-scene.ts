/**
 * The chains the inspector's browser test looks at, made with the library as `tproof demo` makes
 * its own: authority A authorises client-b for C's key, and each hop narrows the scope. A valid
 * three-link chain, a spliced one (link 1 from another chain of the same parties) and an expired
 * CBOR one, with the trust configuration and request that accept the valid one.
 */
import { delegate, generateKeyPair, jwkThumbprint, serializeChain, startChain, type Chain, type KeyAlgorithmName, type TrustConfig } from '../../lib/index.js';
import { CODECS } from '../helpers/parts.js';

export const AUDIENCE = 'https://as.example';
export const AUTHORITY = 'https://authority.example';
export const SUBJECT = 'urn:example:workload:c';
/** Each hop removes one token. */
export const SCOPES = ['orders:read orders:write orders:cancel', 'orders:read orders:write', 'orders:read'] as const;
export const DELEGATES = ['client-b', 'client-b2', 'client-b3'] as const;

export interface InspectorScene {
  /** Compact text of the valid chain. */
  chain: string;
  spliced: string;
  /** An expired chain in CBOR, as hex. */
  expiredCborHex: string;
  trust: TrustConfig;
  tmb: { jkt: string };
  requesterJkt: string;
}

export async function buildInspectorScene(): Promise<InspectorScene> {
  const keys = async (alg: KeyAlgorithmName) => generateKeyPair(alg);
  const [A, B, B2, B3, C] = await Promise.all([keys('EdDSA'), keys('ES256'), keys('EdDSA'), keys('EdDSA'), keys('EdDSA')]);
  const tmb = { jkt: await jwkThumbprint(C.publicJwk) };
  const delegateKeys = [B, B2, B3];
  const build = async (format: 'jwt' | 'cwt', now: Date | undefined, jti?: string): Promise<Chain> => {
    const options = now === undefined ? {} : { now };
    let chain = await startChain({
      iss: AUTHORITY, sub: SUBJECT, aud: AUDIENCE, scope: SCOPES[0], tmb, depth: 2, expiresIn: 600, ...(jti === undefined ? {} : { jti }),
      delegate: { sub: DELEGATES[0], cnf: { jwk: B.publicJwk } },
    }, { privateKey: A.privateJwk, alg: 'EdDSA' }, { format, ...options, ...CODECS });
    for (const hop of [1, 2] as const) {
      const signer = delegateKeys[hop - 1] as typeof B;
      chain = await delegate(chain, {
        delegate: { sub: DELEGATES[hop], cnf: { jwk: (delegateKeys[hop] as typeof B).publicJwk } }, scope: SCOPES[hop], expiresIn: 600 - 60 * hop,
      }, { privateKey: signer.privateJwk, alg: hop === 1 ? 'ES256' : 'EdDSA' }, { ...options, ...CODECS });
    }
    return chain;
  };
  const valid = await build('jwt', undefined);
  const other = await build('jwt', undefined, 'another-grant');
  const spliced: Chain = { format: 'jwt', links: [valid.links[0] as Uint8Array, other.links[1] as Uint8Array, other.links[2] as Uint8Array] };
  const expired = await build('cwt', new Date(Date.now() - 2 * 3600_000));
  const expiredBytes = Buffer.from(serializeChain(expired, CODECS), 'base64url');
  return {
    chain: serializeChain(valid),
    spliced: serializeChain(spliced),
    expiredCborHex: expiredBytes.toString('hex'),
    trust: { roots: [{ type: 'issuer', iss: AUTHORITY, jwks: { keys: [A.publicJwk] } }] },
    tmb,
    requesterJkt: await jwkThumbprint(B3.publicJwk),
  };
}
