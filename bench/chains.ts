/**
 * Chains for the benchmarks: an issuer root and a line of delegates, every key generated here, every
 * link minted with the library's own startChain / appendLink, valid at the fixed clock `NOW`.
 */
import { calculateJwkThumbprint, importJWK, type CryptoKey as JoseCryptoKey, type JWK } from 'jose';
import { generateKeyPair, type KeyAlgorithmName } from '../lib/keys/keys.js';
import { appendLink, startChain, type LinkInput, type LinkSigner } from '../lib/mint.js';
import type { Chain, LinkFormat, PrivateJwk, PublicJwk, SignatureAlgorithm } from '../lib/model/types.js';
import type { TrustConfig } from '../lib/trust/trust.js';
import type { VerificationContext } from '../lib/rules/context.js';
import { coseCodec } from '../lib/codecs/cose/index.js';
import { x509Support } from '../lib/x509/index.js';

/** The optional parts every bench verifier and minter is given (CBOR chains, x5c signers). */
export const BENCH_PARTS = { codecs: [coseCodec], x509: x509Support };

export const NOW = new Date('2030-03-01T12:00:00Z');
export const NOW_S = Math.floor(NOW.getTime() / 1000);
export const AUDIENCE = 'https://as.example';
export const ISSUER = 'https://issuer.example';
export const SUBJECT = 'user-42';
export const MAX_LINKS = 32;

export interface BenchParty {
  id: string;
  alg: SignatureAlgorithm;
  privateJwk: PrivateJwk;
  publicJwk: PublicJwk;
  /** Pre-imported for signing (minting bench) and for the bare baseline's verification. */
  privateKey: JoseCryptoKey;
  publicKey: JoseCryptoKey;
  signer: LinkSigner;
  /** JWK thumbprint of the public key: the requester's key as a key-bound AS knows it. */
  jkt: string;
}

export interface BenchWorld {
  alg: KeyAlgorithmName;
  issuer: BenchParty;
  /** The `tmb` key holder. */
  holder: BenchParty;
  /** delegates[i] is link i's `may_act` and signs link i + 1. */
  delegates: BenchParty[];
}

async function party(id: string, alg: KeyAlgorithmName, kid?: string): Promise<BenchParty> {
  const { privateJwk, publicJwk } = await generateKeyPair(alg);
  const jwk = kid === undefined ? publicJwk : { ...publicJwk, kid };
  const privateKey = (await importJWK(privateJwk, alg)) as JoseCryptoKey;
  const publicKey = (await importJWK(publicJwk, alg)) as JoseCryptoKey;
  const signer: LinkSigner = kid === undefined ? { privateKey, alg } : { privateKey, alg, kid };
  const jkt = await calculateJwkThumbprint(publicJwk as JWK, 'sha256');
  return { id, alg, privateJwk, publicJwk: jwk, privateKey, publicKey, signer, jkt };
}

/** Keys for chains up to `links` + 1 long (the extra delegate makes an over-the-limit chain). */
export async function makeWorld(alg: KeyAlgorithmName, links = MAX_LINKS + 1): Promise<BenchWorld> {
  const delegates: BenchParty[] = [];
  for (let i = 0; i < links; i++) delegates.push(await party(`https://d${i}.example`, alg));
  return { alg, issuer: await party(ISSUER, alg, 'k1'), holder: await party('https://holder.example', alg), delegates };
}

/** Claims of link `index` in a chain of `length` links: one lifetime, one scope, depth counting down. */
export function linkInput(world: BenchWorld, index: number, length: number): LinkInput {
  const delegate = world.delegates[index] as BenchParty;
  return {
    iss: index === 0 ? world.issuer.id : (world.delegates[index - 1] as BenchParty).id,
    sub: SUBJECT,
    aud: AUDIENCE,
    scope: 'openid profile read write',
    tmb: { jwk: world.holder.publicJwk },
    delegate: { sub: delegate.id, cnf: { jwk: delegate.publicJwk } },
    depth: length - 1 - index,
    iat: NOW_S - 60,
    exp: NOW_S + 3600,
    jti: `bench-${world.alg}-${length}-${index}`,
  };
}

export function signerOf(world: BenchWorld, index: number): LinkSigner {
  return index === 0 ? world.issuer.signer : (world.delegates[index - 1] as BenchParty).signer;
}

/** The key that verifies link `index` (for the bare baseline). */
export function verifierKeyOf(world: BenchWorld, index: number): JoseCryptoKey {
  return index === 0 ? world.issuer.publicKey : (world.delegates[index - 1] as BenchParty).publicKey;
}

export async function mintChain(world: BenchWorld, length: number, format: LinkFormat = 'jwt'): Promise<Chain> {
  let chain = await startChain(linkInput(world, 0, length), signerOf(world, 0), { now: NOW, format, ...BENCH_PARTS });
  for (let i = 1; i < length; i++) chain = await appendLink(chain, linkInput(world, i, length), signerOf(world, i), { now: NOW, ...BENCH_PARTS });
  return chain;
}

export function trustFor(world: BenchWorld, overrides: Partial<TrustConfig> = {}): TrustConfig {
  return {
    roots: [{ type: 'issuer', iss: world.issuer.id, jwks: { keys: [world.issuer.publicJwk] } }],
    // 32 links of ~1.2 kB (ES256, jwk confirmations) fit well inside 128 kB.
    limits: { maxLinks: MAX_LINKS, maxChainBytes: 131_072 },
    ...overrides,
  };
}

/** The default context: the requester authenticated with its key (key-bound requesters are the default). */
export function contextFor(world: BenchWorld, length: number): VerificationContext {
  const requester = world.delegates[length - 1] as BenchParty;
  return { audience: AUDIENCE, requester: { id: requester.id, jkt: requester.jkt }, now: NOW };
}

/**
 * The context of an authorization server whose client authenticated with its key (private_key_jwt
 * or mTLS-bound key) and sent the `tmb` it asks for: steps 15 and 16 then compare keys.
 */
export async function keyBoundContextFor(world: BenchWorld, length: number): Promise<VerificationContext> {
  const requester = world.delegates[length - 1] as BenchParty;
  return { ...contextFor(world, length), requester: { id: requester.id, jkt: requester.jkt }, tmb: { jwk: world.holder.publicJwk } };
}
