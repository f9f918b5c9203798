/**
 * Shared test fixtures for the JWT chains (keep small; other areas' tests may reuse them).
 *
 * - Parties with freshly generated keys: issuer A (two keys, kids "a1"/"a2"), delegates B → B2 → B3,
 *   key holder C (the `tmb` key), and an outsider M.
 * - A fixed clock `NOW`: links are minted with explicit iat/exp around it and verified at it.
 * - `buildChain`: a valid 1–3 link chain minted with the library's own mintLink, with hooks to change
 *   one link's claims, signer or bytes while every later link still chains correctly (its `prev` is
 *   computed over the changed bytes), so that a test fails exactly one rule.
 * - Raw JWS tools for faults the minting API refuses to produce (header faults, schema-invalid
 *   claims): they sign with node:crypto, independently of the code under test.
 * - `rejectsWith`: asserts a TransitiveProofError with an exact code and link index.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { createHmac, createPrivateKey, sign as cryptoSign, constants } from 'node:crypto';
import {
  generateKeyPair,
  jwkThumbprint,
  mintLink,
  TransitiveProofError,
  verifyChain,
  type Chain,
  type ChainInput,
  type Confirmation,
  type ErrorCode,
  type KeyAlgorithmName,
  type LinkInput,
  type LinkSigner,
  type PrivateJwk,
  type PublicJwk,
  type SignatureAlgorithm,
  type TrustConfig,
  type VerificationContext,
  type VerifiedChain,
  type VerifierOptions,
} from '../../lib/index.js';
import { repoRoot } from './repo.js';
import { ALL_PARTS } from './parts.js';
export { repoRoot } from './repo.js';

/** The verification time every fixture uses. */
export const NOW = new Date('2030-03-01T12:00:00Z');
export const NOW_S = Math.floor(NOW.getTime() / 1000);
export const AUDIENCE = 'https://as.example';
export const SUBJECT = 'user-42';
export const JWT_TYP = 'tmb-link+jwt';
/** For `rejectsWith`: the failure is about the chain or request as a whole, not one link. */
export const NO_LINK = undefined;

export interface Party {
  id: string;
  alg: SignatureAlgorithm;
  privateJwk: PrivateJwk;
  /** Public JWK (with `kid` when the party has one). */
  publicJwk: PublicJwk;
  jkt: string;
  /** `{ jwk }` confirmation of the public key. */
  cnf: Confirmation;
  /** Signer for mintLink (with `kid` when the party has one). */
  signer: LinkSigner;
}

export async function makeParty(id: string, alg: KeyAlgorithmName = 'EdDSA', kid?: string): Promise<Party> {
  const { privateJwk, publicJwk } = await generateKeyPair(alg);
  const jwk: PublicJwk = kid === undefined ? publicJwk : { ...publicJwk, kid };
  const signer: LinkSigner = kid === undefined ? { privateKey: privateJwk, alg } : { privateKey: privateJwk, alg, kid };
  return { id, alg, privateJwk, publicJwk: jwk, jkt: await jwkThumbprint(publicJwk), cnf: { jwk }, signer };
}

export interface Parties {
  /** Trusted issuer, key "a1". */
  A: Party;
  /** The same issuer's second key, "a2". */
  A2: Party;
  B: Party;
  B2: Party;
  B3: Party;
  /** The key holder: `tmb` is C's key; C is also the holder root's issuer. */
  C: Party;
  /** An outsider with a key nobody trusts. */
  M: Party;
}

export async function makeParties(): Promise<Parties> {
  const issuer = 'https://issuer.example';
  return {
    A: await makeParty(issuer, 'EdDSA', 'a1'),
    A2: await makeParty(issuer, 'EdDSA', 'a2'),
    B: await makeParty('https://b.example'),
    B2: await makeParty('https://b2.example'),
    B3: await makeParty('https://b3.example'),
    C: await makeParty('https://c.example'),
    M: await makeParty('https://mallory.example'),
  };
}

export type RootKind = 'issuer' | 'holder';

export function issuerTrust(p: Parties, extra: Partial<TrustConfig> = {}): TrustConfig {
  return { roots: [{ type: 'issuer', iss: p.A.id, jwks: { keys: [p.A.publicJwk, p.A2.publicJwk] } }], ...extra };
}

export function holderTrust(p: Parties, extra: Partial<TrustConfig> = {}): TrustConfig {
  return { roots: [{ type: 'holder', holders: [{ iss: p.C.id, jkt: p.C.jkt }] }], ...extra };
}

export function trustFor(p: Parties, root: RootKind, extra: Partial<TrustConfig> = {}): TrustConfig {
  return root === 'issuer' ? issuerTrust(p, extra) : holderTrust(p, extra);
}

/** Scope, depth and expiry of each link of the standard chain (each narrower than the one before). */
export const LINK_SCOPES = ['read write admin', 'read write', 'read'] as const;
export const LINK_EXPS = [NOW_S + 600, NOW_S + 500, NOW_S + 400] as const;
export const LINK_IATS = [NOW_S - 60, NOW_S - 30, NOW_S - 10] as const;

/** The delegate of link i in the standard chain. */
export function delegateOf(p: Parties, index: number): Party {
  return [p.B, p.B2, p.B3][index] as Party;
}

/** The signer (party) of link i in the standard chain. */
export function signerOf(p: Parties, root: RootKind, index: number): Party {
  if (index === 0) return root === 'issuer' ? p.A : p.C;
  return delegateOf(p, index - 1);
}

/** The claims input of link i of a chain of `length` links. */
export function standardInput(p: Parties, root: RootKind, index: number, length: number): LinkInput {
  const issuer = signerOf(p, root, index);
  const delegate = delegateOf(p, index);
  return {
    iss: issuer.id,
    sub: root === 'issuer' ? SUBJECT : p.C.id,
    aud: AUDIENCE,
    scope: LINK_SCOPES[index] as string,
    tmb: p.C.cnf,
    delegate: { sub: delegate.id, cnf: delegate.cnf },
    depth: length - 1 - index,
    iat: LINK_IATS[index] as number,
    exp: LINK_EXPS[index] as number,
    jti: `jti-${root}-${index}`,
  };
}

export interface BuildOptions {
  root?: RootKind;
  length?: number;
  /** Change the claims input of one or more links. */
  input?: (index: number, input: LinkInput) => LinkInput;
  /** Change who signs a link. */
  signer?: (index: number, signer: LinkSigner) => LinkSigner;
  /** Replace a minted link's bytes (later links then chain to the replacement). */
  craft?: (index: number, bytes: Uint8Array) => Uint8Array | Promise<Uint8Array>;
}

/** A chain minted link by link with the library's mintLink; valid unless a hook breaks it. */
export async function buildChain(p: Parties, options: BuildOptions = {}): Promise<Chain> {
  const root = options.root ?? 'issuer';
  const length = options.length ?? 2;
  const links: Uint8Array[] = [];
  for (let index = 0; index < length; index++) {
    const baseInput = standardInput(p, root, index, length);
    const input = options.input ? options.input(index, baseInput) : baseInput;
    const baseSigner = signerOf(p, root, index).signer;
    const signer = options.signer ? options.signer(index, baseSigner) : baseSigner;
    const previous = links[index - 1];
    let bytes = await mintLink(input, signer, { now: NOW, ...(previous === undefined ? {} : { previous }) });
    if (options.craft) bytes = await options.craft(index, bytes);
    links.push(bytes);
  }
  return { format: 'jwt', links };
}

/**
 * The request context matching a standard chain of `length` links: the last delegate asks,
 * authenticated with its key (key-bound requesters are the default, SPEC-NOTES.md §6.2 step 16).
 */
export function contextFor(p: Parties, length: number, overrides: Partial<VerificationContext> = {}): VerificationContext {
  const delegate = delegateOf(p, length - 1);
  return { audience: AUDIENCE, requester: { id: delegate.id, jkt: delegate.jkt }, now: NOW, ...overrides };
}

export interface VerifyOptions {
  root?: RootKind;
  length?: number;
  trust?: TrustConfig;
  context?: Partial<VerificationContext>;
  options?: VerifierOptions;
}

/** Verify `chain` as a standard chain of `length` links with the matching trust and context. */
export function verifyStandard(p: Parties, chain: ChainInput, options: VerifyOptions = {}): Promise<VerifiedChain> {
  const root = options.root ?? 'issuer';
  // The requester is the last delegate of a standard chain of this length (1–3; 2 when unknown).
  const count = typeof chain === 'object' && 'links' in chain ? chain.links.length : 2;
  const length = options.length ?? Math.min(Math.max(count, 1), 3);
  return verifyChain(chain, options.trust ?? trustFor(p, root), contextFor(p, length, options.context ?? {}), { ...ALL_PARTS, ...options.options ?? {} });
}

/** Asserts `promise` rejects with a TransitiveProofError of exactly this code and link index. */
export async function rejectsWith(promise: Promise<unknown>, code: ErrorCode, linkIndex: number | undefined): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof TransitiveProofError, `expected a TransitiveProofError, got ${String(error)}`);
    assert.equal(error.code, code, `code (message: ${error.message})`);
    assert.equal(error.linkIndex, linkIndex, `linkIndex (code ${error.code}: ${error.message})`);
    return true;
  });
}

// ---- Raw JWS tools (independent of the codec under test) ----

const encoder = new TextEncoder();

export function b64u(value: string | Uint8Array): string {
  return Buffer.from(value).toString('base64url');
}

export function b64uJson(value: unknown): string {
  return b64u(JSON.stringify(value));
}

/** Signature over a JWS signing input with `party`'s private key, as `alg` prescribes (RFC 7518). */
export function rawSignature(signingInput: string, party: Party, alg: string = party.alg): Uint8Array {
  const key = createPrivateKey({ key: party.privateJwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' });
  const data = encoder.encode(signingInput);
  switch (alg) {
    case 'EdDSA':
    case 'Ed25519':
      return cryptoSign(null, data, key);
    case 'ES256':
      return cryptoSign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
    case 'ES384':
      return cryptoSign('sha384', data, { key, dsaEncoding: 'ieee-p1363' });
    case 'RS256': // PKCS#1 v1.5: not an allowed link algorithm, used to show it is refused
      return cryptoSign('sha256', data, key);
    case 'PS256':
      return cryptoSign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    default:
      throw new Error(`rawSignature: no signing rule for ${alg}`);
  }
}

/** HS256 over the signing input with `secret` (the "public key as HMAC secret" confusion attack). */
export function hmacSignature(signingInput: string, secret: Uint8Array): Uint8Array {
  return createHmac('sha256', secret).update(signingInput).digest();
}

/** A JWS compact link from any header and payload; `signature` computes the signature bytes. */
export function rawLink(header: unknown, payload: unknown, signature: (signingInput: string) => Uint8Array): Uint8Array {
  const signingInput = `${b64uJson(header)}.${b64uJson(payload)}`;
  return encoder.encode(`${signingInput}.${b64u(signature(signingInput))}`);
}

export function linkText(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('latin1');
}

/** The header and claims of a JWS link, decoded here (not by the library). */
export function splitLink(bytes: Uint8Array): { header: Record<string, unknown>; claims: Record<string, unknown>; signature: Buffer } {
  const [h, c, s] = linkText(bytes).split('.') as [string, string, string];
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as Record<string, unknown>,
    signature: Buffer.from(s, 'base64url'),
  };
}

/**
 * Re-sign a minted link with `party` after editing its header and/or claims: the result carries a
 * valid signature by `party` over the edited content.
 */
export function resign(
  bytes: Uint8Array,
  party: Party,
  edit: { header?: (h: Record<string, unknown>) => unknown; claims?: (c: Record<string, unknown>) => unknown; alg?: string } = {},
): Uint8Array {
  const { header, claims } = splitLink(bytes);
  const newHeader = edit.header ? edit.header({ ...header }) : header;
  const newClaims = edit.claims ? edit.claims(structuredClone(claims)) : claims;
  return rawLink(newHeader, newClaims, (input) => rawSignature(input, party, edit.alg ?? party.alg));
}

/** The same link with its claims edited but the original signature kept (tampering in transit). */
export function tamperClaims(bytes: Uint8Array, edit: (c: Record<string, unknown>) => unknown): Uint8Array {
  const [h, , s] = linkText(bytes).split('.') as [string, string, string];
  const { claims } = splitLink(bytes);
  return encoder.encode(`${h}.${b64uJson(edit(structuredClone(claims)))}.${s}`);
}

/** The same link with one byte of its decoded signature flipped (re-encoded canonically). */
export function flipSignatureByte(bytes: Uint8Array, at = 5): Uint8Array {
  const [h, c] = linkText(bytes).split('.') as [string, string, string];
  const { signature } = splitLink(bytes);
  signature[at] = (signature[at] as number) ^ 0x01;
  return encoder.encode(`${h}.${c}.${b64u(signature)}`);
}

export function withLinks(chain: Chain, links: Uint8Array[]): Chain {
  return { format: chain.format, links };
}

/** Nesting depth of a JSON value counted independently of lib/ (an object or array is one level). */
export function jsonDepth(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Object.values(value as Record<string, unknown>);
  return 1 + Math.max(0, ...children.map(jsonDepth));
}

// ---- Repository files (tests also run compiled from dist/test/, so never rely on this file's location) ----


let schemaAjv: Ajv2020 | undefined;

/** A validator for one of the published schemas in schemas/ (all loaded, so $refs resolve). */
export function schemaValidator(file: string): ValidateFunction {
  if (schemaAjv === undefined) {
    const dir = join(repoRoot(), 'schemas');
    const schemas = readdirSync(dir).filter((name) => name.endsWith('.schema.json')).map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as object);
    schemaAjv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, schemas });
  }
  const validate = schemaAjv.getSchema(`https://transitive-proof.invalid/schemas/${file}`);
  if (validate === undefined) throw new Error(`schema ${file} not found`);
  return validate;
}
