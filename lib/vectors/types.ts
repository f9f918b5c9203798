/**
 * The shared test-vector format (schemas/vector.schema.json, documented in vectors/README.md).
 * The generator (scripts/vectors) writes these files; the checker (lib/vectors/check.ts) runs them.
 */
import type { ErrorCode } from '../errors.js';
import type { RequesterIdentity } from '../rules/context.js';
import type { TrustConfig } from '../trust/trust.js';
import type { Actor, Confirmation, LinkFormat, PrivateJwk } from '../model/types.js';

export const VECTOR_FORMAT_VERSION = 1;
export const TEST_KEYS_WARNING = 'TEST KEYS — NEVER USE';

/** The context of SPEC-NOTES.md §6.1, with `now` as an integer NumericDate. */
export interface VectorContext {
  audience: string;
  requester: RequesterIdentity;
  tmb?: Confirmation;
  scope?: string;
  /** Verification time, NumericDate (integer seconds since the epoch). */
  now: number;
}

/** The part of the §6.3 result a vector pins down. */
export interface ExpectedResult {
  cnf: Confirmation;
  sub: string;
  act: Actor;
  scope: string;
  notAfter: number;
  root: { kind: 'issuer' | 'holder' | 'x509'; iss: string };
}

export type ExpectedOutcome =
  | { valid: true; result: ExpectedResult }
  | { valid: false; error: { code: ErrorCode; linkIndex?: number } };

/** Informational: one link decoded, and which test key signed it (for re-minting). */
export interface VectorLink {
  /** Name of the `testKeys.keys` entry whose key produced the signature, when one did. */
  signer?: string;
  /** How the signature was made when it was not a plain signature by `signer` (HMAC, none, forged...). */
  note?: string;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/** A Status List Token the vector serves at `uri` (SPEC-NOTES.md §5.1): JWT text, or base64url of the CWT bytes. */
export interface VectorStatusList {
  uri: string;
  format: LinkFormat;
  token: string;
}

export interface Vector {
  formatVersion: number;
  id: string;
  description: string;
  /** Catalogue name of the attack (negative vectors only). */
  attack?: string;
  /** Where in SPEC-NOTES.md the expected outcome comes from. */
  spec: string;
  encoding: LinkFormat;
  /** True when re-minting from testKeys and `links` reproduces `chain` byte for byte. */
  deterministic: boolean;
  /** The chain as presented: `compact` (text form) and/or `json` (the JSON form, an array). */
  chain: { compact?: string; json?: unknown[] };
  links?: VectorLink[];
  trust: TrustConfig;
  context: VectorContext;
  verifierOptions?: { requireRequesterKey?: boolean };
  /** Served to the verifier by URI instead of fetching (a URI not listed answers HTTP 404). */
  statusLists?: VectorStatusList[];
  /** Link hashes (§3.5) in the verifier's revocation store. */
  revokedLinks?: string[];
  expected: ExpectedOutcome;
  testKeys: { warning: typeof TEST_KEYS_WARNING; keys: Record<string, PrivateJwk> };
}

export interface VectorIndexEntry {
  id: string;
  /** Path of the vector file, relative to the index. */
  file: string;
  encoding: LinkFormat;
  attack?: string;
  valid: boolean;
  code?: ErrorCode;
  deterministic: boolean;
}

export interface VectorIndex {
  formatVersion: number;
  description: string;
  vectors: VectorIndexEntry[];
}
