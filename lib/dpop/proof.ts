/**
 * DPoP (RFC 9449) for the key holder and the resource server: make a proof, and check one against
 * a bound access token. In DPoP the header key is what is proven, so the proof is verified with
 * its own embedded `jwk` (jose's EmbeddedJWK) and only then compared with the token's `cnf.jkt`.
 */
import { randomUUID, sha256Base64url } from '#runtime';
import * as joseErrors from 'jose/errors';
import { EmbeddedJWK } from 'jose/jwk/embedded';
import type { JWTPayload } from 'jose';
import { SignJWT } from 'jose/jwt/sign';
import { jwtVerify } from 'jose/jwt/verify';
import { readJws } from '../codecs/jose/jws.js';
import { typMatches } from '../codecs/typ.js';
import { TransitiveProofError, invalidArgument } from '../errors.js';
import { instantMillis } from '../model/instant.js';
import { boundOption } from '../model/limits.js';
import { DEFAULT_LIMITS } from '../model/limits.js';
import { assertPublicJwk, importSigningKey, jwkThumbprint, toPublicJwk } from '../keys/keys.js';
import type { CryptoKey, PrivateJwk, PublicJwk, SignatureAlgorithm } from '../model/types.js';
import type { ReplayStore } from '../ports.js';

export const DPOP_TYP = 'dpop+jwt';
/** Asymmetric algorithms only (RFC 9449 §4.2: never `none` or a MAC). */
export const DEFAULT_DPOP_ALGORITHMS: readonly SignatureAlgorithm[] = ['ES256', 'ES384', 'EdDSA', 'Ed25519', 'PS256'];
export const DEFAULT_DPOP_MAX_AGE_SECONDS = 60;
export const DEFAULT_DPOP_CLOCK_TOLERANCE_SECONDS = 5;
const MAX_PROOF_LENGTH = 8192;
const MAX_JTI_LENGTH = 256;

/** Which check a proof failed; each is reported on its own so a caller (and a test) can tell. */
export type DpopFailureReason =
  | 'malformed'
  | 'typ'
  | 'alg'
  | 'jwk'
  | 'signature'
  | 'jti'
  | 'htm'
  | 'htu'
  | 'iat'
  | 'ath'
  | 'nonce'
  | 'key_mismatch'
  | 'replayed';

export class DpopError extends TransitiveProofError {
  override readonly name: string = 'DpopError';
  readonly reason: DpopFailureReason;
  constructor(reason: DpopFailureReason, message: string, options: { cause?: unknown } = {}) {
    super('dpop_proof_invalid', message, options);
    this.reason = reason;
  }
}

export interface CreateDpopProofInput {
  privateKey: PrivateJwk | CryptoKey;
  /** The public key placed in the `jwk` header. Default: derived from a JWK `privateKey`. */
  publicJwk?: PublicJwk;
  alg: SignatureAlgorithm;
  htm: string;
  htu: string;
  /** The access token the proof accompanies (sets `ath`). */
  accessToken?: string;
  nonce?: string;
  now?: Date;
  jti?: string;
}

/** base64url(SHA-256(ASCII(access token))): the `ath` claim. */
export async function accessTokenHash(accessToken: string): Promise<string> {
  // One byte per character, as Node's 'ascii' encoding wrote it (an access token is ASCII anyway).
  const bytes = new Uint8Array(accessToken.length);
  for (let i = 0; i < accessToken.length; i++) bytes[i] = accessToken.charCodeAt(i) & 0xff;
  return sha256Base64url(bytes);
}

export async function createDpopProof(input: CreateDpopProofInput): Promise<string> {
  const jwk = input.publicJwk ?? ('kty' in input.privateKey ? toPublicJwk(input.privateKey as PrivateJwk) : undefined);
  if (jwk === undefined) throw invalidArgument('publicJwk is required with a CryptoKey');
  const { kid: _kid, alg: _alg, ...headerJwk } = toPublicJwk(jwk);
  const key = await importSigningKey(input.privateKey, input.alg);
  const payload: JWTPayload = {
    jti: input.jti ?? randomUUID(),
    htm: input.htm,
    htu: input.htu,
    iat: Math.floor((input.now ?? new Date()).getTime() / 1000),
  };
  if (input.accessToken !== undefined) payload.ath = await accessTokenHash(input.accessToken);
  if (input.nonce !== undefined) payload.nonce = input.nonce;
  return new SignJWT(payload)
    .setProtectedHeader({ typ: DPOP_TYP, alg: input.alg === 'ESP256' ? 'ES256' : input.alg, jwk: headerJwk })
    .sign(key);
}

export interface VerifyDpopProofOptions {
  /** The request's method. */
  htm: string;
  /** The request's URI; query and fragment are ignored (RFC 9449 §4.3 step 9). */
  htu: string;
  /** The access token presented with the proof: `ath` must hash it. */
  accessToken?: string;
  /** The token's `cnf.jkt`: the proof key's thumbprint must equal it. */
  expectedJkt?: string;
  /** A server-provided nonce the proof must carry. */
  nonce?: string;
  now?: Date;
  /** Oldest acceptable `iat`, in seconds before now. Default 60. */
  maxAgeSeconds?: number;
  /** Allowed clock skew. Default 5 s. */
  clockToleranceSeconds?: number;
  algorithms?: readonly SignatureAlgorithm[];
  /**
   * Where each (key, jti) is consumed, so that a proof is accepted once within its acceptance window
   * (SPEC-NOTES §8.7, the last check). Required unless `skipReplayCheck` is true: a verifier without
   * one is a configuration fault (`invalid_argument`), not a silently skipped check.
   */
  replayStore?: ReplayStore;
  /**
   * Opt out of the replay check (RFC 9449 §11.1 makes it a SHOULD): a captured proof is then accepted
   * again until it is `maxAgeSeconds` old. Not together with `replayStore`.
   */
  skipReplayCheck?: boolean;
}

export interface VerifiedDpopProof {
  jkt: string;
  jwk: PublicJwk;
  jti: string;
  iat: number;
}

export async function verifyDpopProof(proof: string, options: VerifyDpopProofOptions): Promise<VerifiedDpopProof> {
  const replayStore = proofReplayStore(options);
  const { now, tolerance, maxAge } = acceptanceWindow(options);
  if (typeof proof !== 'string' || proof.length === 0 || proof.length > MAX_PROOF_LENGTH) {
    throw new DpopError('malformed', 'the DPoP proof is missing or too long');
  }
  let read: ReturnType<typeof readJws>;
  try {
    // The link reader (SPEC-NOTES §4.1, §8.7): canonical base64url, strict JSON, nesting, header shapes.
    read = readJws(new TextEncoder().encode(proof), 0, DEFAULT_LIMITS, 'the DPoP proof');
  } catch (cause) {
    throw new DpopError('malformed', cause instanceof Error ? cause.message : 'the DPoP proof is not a JWS', { cause });
  }
  const { header, rawHeader } = read;
  // The header rules of every signed object (SPEC-NOTES §8.7): typ as §3.2, no crit; the one
  // documented difference: the key is the header's `jwk` (RFC 9449 §4.2), and no other key source.
  if (!typMatches(header.typ, DPOP_TYP)) throw new DpopError('typ', `the DPoP proof typ is not ${DPOP_TYP}`);
  if (header.crit !== undefined) throw new DpopError('malformed', 'the DPoP proof has a crit header, which this verifier does not process');
  const algorithms = options.algorithms ?? DEFAULT_DPOP_ALGORITHMS;
  if (header.alg === undefined || !(algorithms as readonly string[]).includes(header.alg)) {
    throw new DpopError('alg', 'the DPoP proof algorithm is not allowed');
  }
  if (header.keyParameters.some((name) => name !== 'jwk') || header.x5c !== undefined) {
    throw new DpopError('jwk', 'the DPoP proof names a key by a header parameter other than jwk (jku, x5u, x5c)');
  }
  const jwk = rawHeader.jwk;
  try {
    assertPublicJwk(jwk, 'the DPoP proof jwk');
  } catch (cause) {
    throw new DpopError('jwk', 'the DPoP proof jwk header is not an acceptable public key', { cause });
  }

  let payload: JWTPayload;
  try {
    // jose verifies the signature with the header jwk; the strict reading above already decided what
    // the header and payload say (so jose's own JSON.parse reads the same members).
    ({ payload } = await jwtVerify(proof, EmbeddedJWK, { algorithms: [header.alg], ...(options.now ? { currentDate: options.now } : {}) }));
  } catch (cause) {
    if (cause instanceof joseErrors.JWSSignatureVerificationFailed) throw new DpopError('signature', 'the DPoP proof signature does not verify', { cause });
    if (cause instanceof joseErrors.JWSInvalid) throw new DpopError('jwk', 'the DPoP proof jwk header cannot verify it', { cause });
    throw new DpopError('malformed', 'the DPoP proof is not a valid JWT', { cause });
  }

  const { jti, htm, htu, iat } = payload;
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_JTI_LENGTH) throw new DpopError('jti', 'the DPoP proof jti is missing or too long');
  if (htm !== options.htm) throw new DpopError('htm', 'the DPoP proof htm is not the request method');
  if (typeof htu !== 'string' || normalizeHtu(htu) === undefined || normalizeHtu(htu) !== normalizeHtu(options.htu)) {
    throw new DpopError('htu', 'the DPoP proof htu is not the request URI');
  }
  if (typeof iat !== 'number' || !Number.isInteger(iat)) throw new DpopError('iat', 'the DPoP proof iat is missing');
  if (iat > now + tolerance) throw new DpopError('iat', 'the DPoP proof is issued in the future');
  if (iat < now - maxAge - tolerance) throw new DpopError('iat', 'the DPoP proof is too old');
  if (options.accessToken !== undefined) {
    if (payload.ath !== (await accessTokenHash(options.accessToken))) throw new DpopError('ath', 'the DPoP proof ath does not hash the access token');
  }
  if (options.nonce !== undefined && payload.nonce !== options.nonce) throw new DpopError('nonce', 'the DPoP proof nonce is not the expected one');
  const publicJwk = jwk as PublicJwk;
  const jkt = await jwkThumbprint(publicJwk);
  if (options.expectedJkt !== undefined && jkt !== options.expectedJkt) {
    throw new DpopError('key_mismatch', 'the DPoP proof key is not the key the access token is bound to');
  }
  // Last: only a proof that passed every check is remembered.
  if (replayStore !== undefined) {
    const key = `dpop:${await sha256Base64url(JSON.stringify([jkt, jti]))}`;
    if ((await replayStore.consume(key, iat + maxAge + 2 * tolerance)) !== true) {
      throw new DpopError('replayed', 'the DPoP proof has been used before');
    }
  }
  return { jkt, jwk: publicJwk, jti, iat };
}

/**
 * The store a proof's (key, jti) is consumed in, or undefined when the caller opted out in so many
 * words: neither, or both, is a configuration fault, raised before any look at the proof.
 */
export function proofReplayStore(options: { replayStore?: ReplayStore; skipReplayCheck?: boolean } | undefined): ReplayStore | undefined {
  const store = options?.replayStore;
  const skip = options?.skipReplayCheck;
  if (skip !== undefined && typeof skip !== 'boolean') throw invalidArgument('skipReplayCheck must be a boolean');
  if (store === undefined && skip !== true) {
    throw invalidArgument('a DPoP proof verifier needs a replayStore (each proof accepted once, SPEC-NOTES §8.7), or skipReplayCheck: true to accept replays within the acceptance window');
  }
  if (store !== undefined && skip === true) throw invalidArgument('replayStore and skipReplayCheck: true contradict each other');
  if (store !== undefined && (typeof store !== 'object' || store === null || typeof store.consume !== 'function')) {
    throw invalidArgument('replayStore must have a consume(key, expiresAt) method');
  }
  return store;
}

/**
 * The instant and the window a proof's `iat` must fall in: a configuration fault (`invalid_argument`),
 * not a lifted bound, when `now` is no valid Date or a window member is not a non-negative integer
 * (`iat < now - NaN` is false: a proof of any age would pass).
 */
function acceptanceWindow(options: VerifyDpopProofOptions): { now: number; tolerance: number; maxAge: number } {
  const at = instantMillis(options.now ?? new Date(), 'now');
  const tolerance = boundOption('clockToleranceSeconds', options.clockToleranceSeconds, DEFAULT_DPOP_CLOCK_TOLERANCE_SECONDS, 0);
  const maxAge = boundOption('maxAgeSeconds', options.maxAgeSeconds, DEFAULT_DPOP_MAX_AGE_SECONDS, 0);
  return { now: Math.floor(at / 1000), tolerance, maxAge };
}

/**
 * Scheme, host, port and path of a URI; undefined when it is not an absolute http(s) URI or carries
 * userinfo (RFC 9449 §4.3 compares the URI without query and fragment only: `https://x@rs/r` is
 * another URI than `https://rs/r`, and no request URI of a resource server has userinfo).
 */
export function normalizeHtu(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username !== '' || url.password !== '' || /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(uri)) return undefined;
  return `${url.protocol}//${url.host}${url.pathname}`;
}
