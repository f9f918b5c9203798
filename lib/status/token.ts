/**
 * Status List Tokens (draft-ietf-oauth-status-list §5): a signed JWT (`typ` statuslist+jwt) or CWT
 * (COSE_Sign1, `typ` application/statuslist+cwt) whose `sub` is the URI it is published at and
 * whose `status_list` carries `bits` and the compressed list `lst`. Verified against configured
 * keys only: nothing in a token (no `jwk`, `x5c`, `kid` alone) can supply a key.
 */
import type { StatusListFormat, VerifiedStatusList, StatusBits } from '../ports.js';
import * as base64url from 'jose/base64url';
import { CompactSign } from 'jose/jws/compact/sign';
import { compactVerify } from 'jose/jws/compact/verify';
import { TransitiveProofError, invalidArgument } from '../errors.js';
import { fromBase64url } from '../runtime/base64.js';
import { algorithmsForKey, importSigningKey, KeyImportCache } from '../keys/keys.js';
import { DEFAULT_LIMITS, type Limits } from '../model/limits.js';
import type { CryptoKey, PrivateJwk, PublicJwk, SignatureAlgorithm } from '../model/types.js';
import { algorithmName, verifyBytes } from '../codecs/cose/algorithms.js';
import { encodeDeterministic, type CborMap, type CborValue } from '../codecs/cose/cbor.js';
import { decodeCwtPayload } from '../codecs/cose/claims.js';
import { readJws } from '../codecs/jose/jws.js';
import { typMatches } from '../codecs/typ.js';
import { HeaderLabel } from '../codecs/cose/headers.js';
import { decodeSign1, sigStructure, signSign1 } from '../codecs/cose/sign1.js';
import { DEFAULT_MAX_LIST_BYTES, deflateStatusList, inflateStatusList, isStatusBits } from './list.js';

export const STATUS_LIST_JWT_TYP = 'statuslist+jwt';
export const STATUS_LIST_CWT_TYP = 'application/statuslist+cwt';
/** CWT claim keys of a Status List Token (the draft's CWT Claims registrations). */
export const STATUS_LIST_CWT_KEYS = { sub: 2, exp: 4, iat: 6, statusList: 65533, ttl: 65534 } as const;

export interface StatusListVerifyOptions {
  /** The keys the trust configuration accepts for this URI (a function for keys fetched by header). */
  keys: readonly PublicJwk[] | ((header: { alg: string; kid?: string | undefined }) => Promise<PublicJwk[]>);
  algorithms: ReadonlySet<SignatureAlgorithm>;
  /** The URI the token was fetched from: its `sub` must equal it. */
  uri: string;
  /** NumericDate. */
  now: number;
  toleranceSeconds: number;
  maxListBytes?: number;
  keyCache?: KeyImportCache;
  limits?: Limits;
}

export interface StatusListTokenInput {
  uri: string;
  bits: StatusBits;
  /** The uncompressed list. */
  list: Uint8Array;
  iat: number;
  exp?: number;
  ttl?: number;
}

export interface StatusListSigner {
  privateKey: PrivateJwk | CryptoKey;
  alg: SignatureAlgorithm;
  kid?: string;
}

function invalid(message: string, cause?: unknown): never {
  throw new TransitiveProofError('status_list_invalid', message, cause === undefined ? {} : { cause });
}

const JWS_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const ascii = new TextDecoder('latin1');

/** A JWT's text: JWS compact, ASCII, with trailing whitespace (a served file's newline) removed; else undefined. */
function jwtText(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0 || !bytes.every((byte) => byte < 0x80)) return undefined;
  const text = ascii.decode(bytes).replace(/[ \t\r\n]+$/, '');
  return JWS_COMPACT.test(text) ? text : undefined;
}

/** A token's wire form: JWS compact (ASCII with dots) is JWT; anything else is CWT. */
export function statusListFormat(bytes: Uint8Array): StatusListFormat {
  return jwtText(bytes) === undefined ? 'cwt' : 'jwt';
}

/** Sign a Status List Token: a JWS compact string for `jwt`, the tagged COSE_Sign1 bytes for `cwt`. */
export async function createStatusListToken(input: StatusListTokenInput, signer: StatusListSigner, format: 'jwt'): Promise<string>;
export async function createStatusListToken(input: StatusListTokenInput, signer: StatusListSigner, format: 'cwt'): Promise<Uint8Array>;
export async function createStatusListToken(input: StatusListTokenInput, signer: StatusListSigner, format: StatusListFormat): Promise<string | Uint8Array> {
  if (!isStatusBits(input.bits)) throw invalidArgument('bits must be 1, 2, 4 or 8');
  if (input.ttl !== undefined && !(Number.isSafeInteger(input.ttl) && input.ttl > 0)) throw invalidArgument('ttl must be a positive integer');
  const lst = await deflateStatusList(input.list);
  if (format === 'jwt') {
    const payload = {
      sub: input.uri,
      iat: input.iat,
      ...(input.exp === undefined ? {} : { exp: input.exp }),
      ...(input.ttl === undefined ? {} : { ttl: input.ttl }),
      status_list: { bits: input.bits, lst: base64url.encode(lst) },
    };
    const key = await importSigningKey(signer.privateKey, signer.alg);
    return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: signer.alg, typ: STATUS_LIST_JWT_TYP, ...(signer.kid === undefined ? {} : { kid: signer.kid }) })
      .sign(key);
  }
  const claims: CborMap = new Map<string | number, CborValue>([
    [STATUS_LIST_CWT_KEYS.sub, input.uri],
    [STATUS_LIST_CWT_KEYS.iat, input.iat],
    [STATUS_LIST_CWT_KEYS.statusList, new Map<string, CborValue>([['bits', input.bits], ['lst', lst]])],
  ]);
  if (input.exp !== undefined) claims.set(STATUS_LIST_CWT_KEYS.exp, input.exp);
  if (input.ttl !== undefined) claims.set(STATUS_LIST_CWT_KEYS.ttl, input.ttl);
  const protectedHeader: CborMap = new Map<number, CborValue>([[HeaderLabel.typ, STATUS_LIST_CWT_TYP]]);
  if (signer.kid !== undefined) protectedHeader.set(HeaderLabel.kid, new TextEncoder().encode(signer.kid));
  return signSign1({ alg: signer.alg, protectedHeader, payload: encodeDeterministic(claims), key: await importSigningKey(signer.privateKey, signer.alg) });
}

/** The unverified `sub`, `bits` and compressed list of a token: for tools that re-issue a list they sign themselves. */
export function readStatusListTokenUnverified(token: Uint8Array | string): { format: StatusListFormat; sub: unknown; bits: unknown; exp: unknown; ttl: unknown; iat: unknown } {
  const bytes = typeof token === 'string' ? new TextEncoder().encode(token) : token;
  const text = jwtText(bytes);
  const format: StatusListFormat = text === undefined ? 'cwt' : 'jwt';
  const { claims } = text !== undefined ? readJwt(text, DEFAULT_LIMITS) : readCwt(bytes, DEFAULT_LIMITS);
  return { format, sub: claims.sub, bits: claims.bits, exp: claims.exp, ttl: claims.ttl, iat: claims.iat };
}

/** What both encodings yield before the claims are checked. */
interface SignedToken {
  alg: string;
  kid: string | undefined;
  claims: { sub: unknown; iat: unknown; exp: unknown; ttl: unknown; bits: unknown; lst: Uint8Array | undefined };
  verify(key: PublicJwk, alg: SignatureAlgorithm, cache: KeyImportCache): Promise<boolean>;
}

/**
 * Verify a Status List Token fetched from `options.uri`: its type, a signature by one of the
 * configured keys, `sub` = the URI, `iat`/`exp` against the clock, `bits`, then inflate the list.
 * Every failure is `status_list_invalid`.
 */
export async function verifyStatusListToken(token: Uint8Array | string, options: StatusListVerifyOptions): Promise<VerifiedStatusList> {
  const bytes = typeof token === 'string' ? new TextEncoder().encode(token) : token;
  const text = jwtText(bytes);
  const format: StatusListFormat = text === undefined ? 'cwt' : 'jwt';
  const limits = options.limits ?? DEFAULT_LIMITS;
  const signed = text !== undefined ? readJwt(text, limits) : readCwt(bytes, limits);
  const alg = signed.alg as SignatureAlgorithm;
  if (!options.algorithms.has(alg)) invalid(`the status list is signed with ${signed.alg}, which is not allowed`);
  const cache = options.keyCache ?? new KeyImportCache(16);
  const keys = typeof options.keys === 'function' ? await options.keys({ alg: signed.alg, kid: signed.kid }) : options.keys;
  const candidates = keys.filter((key) => (signed.kid === undefined || key.kid === signed.kid) && algorithmsForKey(key).includes(alg));
  let verified = false;
  for (const key of candidates) {
    if (await signed.verify(key, alg, cache).catch(() => false)) {
      verified = true;
      break;
    }
  }
  if (!verified) invalid('the status list is not signed by a key configured for its URI');

  const { sub, iat, exp, ttl, bits, lst } = signed.claims;
  if (sub !== options.uri) invalid(`the status list's sub is not the URI it was fetched from (${options.uri})`);
  if (!isNumericDate(iat)) invalid('the status list has no integer iat');
  if (exp !== undefined && !isNumericDate(exp)) invalid('the status list exp is not an integer');
  if (ttl !== undefined && !(Number.isSafeInteger(ttl) && (ttl as number) > 0)) invalid('the status list ttl is not a positive integer');
  if (iat > options.now + options.toleranceSeconds) invalid('the status list is issued in the future');
  if (exp !== undefined && exp <= options.now - options.toleranceSeconds) invalid('the status list has expired');
  if (!isStatusBits(bits)) invalid(`the status list bits ${String(bits)} is not 1, 2, 4 or 8`);
  if (lst === undefined) invalid('the status list has no lst');
  const list = await inflateStatusList(lst, options.maxListBytes ?? DEFAULT_MAX_LIST_BYTES);
  return { format, sub, iat, ...(exp === undefined ? {} : { exp }), ...(ttl === undefined ? {} : { ttl: ttl as number }), bits, list };
}

function isNumericDate(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/**
 * The header rule of a Status List Token, both encodings (SPEC-NOTES §5.1 step 1): `typ` as for a
 * link (§3.2, `typMatches`), no `crit`, and no parameter that supplies a key, a key location or a
 * certificate (`jwk`, `jku`, `x5u`, `x5c` / `x5chain`, COSE key parameters): a status issuer's keys
 * come from the trust configuration only.
 */
function checkStatusListHeader(header: { typ: unknown; crit: unknown; keyParameters: readonly string[]; certificates: unknown }, typ: string): void {
  if (!typMatches(header.typ, typ)) invalid(`the status list typ is not ${typ}`);
  if (header.crit !== undefined) invalid('the status list has a crit header, which this verifier does not process');
  if (header.keyParameters.length > 0 || header.certificates !== undefined) {
    invalid('the status list carries key or certificate header parameters, which are not accepted');
  }
}

function readJwt(text: string, limits: Limits): SignedToken {
  let read: ReturnType<typeof readJws>;
  try {
    // The link reader (SPEC-NOTES §4.1): canonical base64url, strict JSON, nesting, header shapes.
    read = readJws(new TextEncoder().encode(text), 0, limits, 'the status list');
  } catch (cause) {
    return invalid((cause as Error).message, cause);
  }
  const { header, payload } = read;
  checkStatusListHeader({ ...header, certificates: header.x5c }, STATUS_LIST_JWT_TYP);
  if (header.alg === undefined) invalid('the status list has no alg');
  const statusList = payload.status_list;
  if (statusList === null || typeof statusList !== 'object' || Array.isArray(statusList)) invalid('the status list has no status_list object');
  const { bits, lst } = statusList as Record<string, unknown>;
  let lstBytes: Uint8Array | undefined;
  if (lst !== undefined) {
    // One spelling, as every base64url value the verifier reads (SPEC-NOTES.md §5.1 step 4, §3.3).
    lstBytes = typeof lst === 'string' ? fromBase64url(lst) : undefined;
    if (lstBytes === undefined) invalid('the status list lst is not canonical base64url');
  }
  return {
    alg: header.alg,
    kid: header.kid,
    claims: { sub: payload.sub, iat: payload.iat, exp: payload.exp, ttl: payload.ttl, bits, lst: lstBytes },
    async verify(key, alg, cache) {
      // The runtime's key is a KeyObject on Node and a CryptoKey elsewhere: jose takes either.
      const { key: runtimeKey } = await cache.import(key, alg);
      await compactVerify(text, runtimeKey.native as Parameters<typeof compactVerify>[1], { algorithms: [alg] });
      return true;
    },
  };
}

function readCwt(bytes: Uint8Array, limits: Limits): SignedToken {
  let message: ReturnType<typeof decodeSign1>;
  let claims: CborValue;
  try {
    // The link profile: tagged COSE_Sign1, alg and typ protected, deterministic envelope.
    message = decodeSign1(bytes, 'link', limits);
    // The link payload reader: CBOR profile, then deterministic encoding (SPEC-NOTES §4.3.4, §5.1).
    claims = decodeCwtPayload(message.payload, limits, 'the status list payload');
  } catch (cause) {
    return invalid(`the status list is not a valid COSE_Sign1 CWT (${(cause as Error).message})`, cause);
  }
  const { headers } = message;
  checkStatusListHeader({ ...headers, certificates: headers.x5chain }, STATUS_LIST_CWT_TYP.slice('application/'.length));
  if (!(claims instanceof Map)) invalid('the status list payload is not a CWT claims set');
  const statusList = claims.get(STATUS_LIST_CWT_KEYS.statusList);
  if (!(statusList instanceof Map)) invalid('the status list has no status_list (65533) map');
  const lst = statusList.get('lst');
  if (lst !== undefined && !(lst instanceof Uint8Array)) invalid('the status list lst is not a byte string');
  const toBeSigned = sigStructure(message);
  // A link's missing alg is judged at step 4.4; a status list token has no such step: refused here.
  const algLabel = headers.alg;
  if (algLabel === undefined) invalid('the status list has no alg');
  return {
    alg: algorithmName(algLabel),
    kid: headers.kid,
    claims: {
      sub: claims.get(STATUS_LIST_CWT_KEYS.sub),
      iat: claims.get(STATUS_LIST_CWT_KEYS.iat),
      exp: claims.get(STATUS_LIST_CWT_KEYS.exp),
      ttl: claims.get(STATUS_LIST_CWT_KEYS.ttl),
      bits: statusList.get('bits'),
      lst,
    },
    async verify(key, alg, cache) {
      const { key: runtimeKey } = await cache.import(key, alg);
      return verifyBytes(algLabel, runtimeKey, toBeSigned, message.signature, 'link');
    },
  };
}
