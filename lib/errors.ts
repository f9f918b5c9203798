/**
 * One error family for everything the library rejects. Every instance carries a stable `code`
 * (listed in SPEC-NOTES.md §9 and used by the shared vectors), the index of the failing link when
 * the failure is attributable to one, and the OAuth error an authorization server should return.
 */

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'invalid_scope'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  // RFC 8707 §2: the requested resource or audience is not one the AS issues tokens for.
  | 'invalid_target'
  | 'server_error'
  // Resource-server errors (RFC 6750 §3.1, RFC 9449 §7.1), raised by the DPoP presentation check.
  | 'invalid_token'
  | 'invalid_dpop_proof';

// The OAuth errors most codes map to, each written once (a bundle then carries the string once, not once per code).
const invalid_grant = 'invalid_grant';
const invalid_request = 'invalid_request';
const server_error = 'server_error';

/** Every code the library can raise, with the OAuth error it maps to (SPEC-NOTES.md §9). */
export const ERROR_CODES = {
  // Input shape and bounds
  chain_too_large: invalid_request,
  chain_too_long: invalid_grant,
  chain_malformed: invalid_request,
  link_malformed: invalid_grant,
  claims_invalid: invalid_grant,
  // Header
  typ_invalid: invalid_grant,
  alg_not_allowed: invalid_grant,
  header_forbidden: invalid_grant,
  crit_unsupported: invalid_grant,
  // Signatures and trust
  untrusted_root: invalid_grant,
  delegate_key_unresolved: invalid_grant,
  link_signature_invalid: invalid_grant,
  // Chain linkage and invariants
  chain_broken: invalid_grant,
  delegate_mismatch: invalid_grant,
  audience_mismatch: invalid_grant,
  subject_mismatch: invalid_grant,
  tmb_mismatch: invalid_grant,
  // Time
  expired: invalid_grant,
  not_yet_valid: invalid_grant,
  lifetime_exceeded: invalid_grant,
  validity_escalation: invalid_grant,
  // Authority
  scope_escalation: invalid_grant,
  depth_exceeded: invalid_grant,
  // The token request
  request_invalid: invalid_request,
  requester_unauthenticated: 'invalid_client',
  requester_mismatch: invalid_grant,
  scope_exceeded: 'invalid_scope',
  scope_invalid: 'invalid_scope',
  replayed: invalid_grant,
  grant_type_unsupported: 'unsupported_grant_type',
  target_invalid: 'invalid_target',
  // The replay store could not record a use: fail closed (lib/replay)
  replay_store_unavailable: server_error,
  // Presentation of a bound token at a resource server (lib/dpop)
  dpop_proof_invalid: 'invalid_dpop_proof',
  access_token_invalid: 'invalid_token',
  // X.509 (SPEC-NOTES.md §7)
  x5c_malformed: invalid_grant,
  x5c_too_many: invalid_grant,
  x5c_untrusted: invalid_grant,
  x5c_expired: invalid_grant,
  x5c_signature_invalid: invalid_grant,
  x5c_name_chaining: invalid_grant,
  x5c_not_ca: invalid_grant,
  x5c_key_usage: invalid_grant,
  x5c_path_len: invalid_grant,
  x5c_critical_extension: invalid_grant,
  x5c_name_constraints: invalid_grant,
  x5c_leaf_is_ca: invalid_grant,
  x5c_eku: invalid_grant,
  x5c_identity_mismatch: invalid_grant,
  // CBOR / COSE (SPEC-NOTES.md §4)
  cbor_malformed: invalid_request,
  cbor_duplicate_key: invalid_request,
  cbor_indefinite_length: invalid_request,
  cbor_trailing_bytes: invalid_request,
  cbor_too_deep: invalid_request,
  cbor_not_deterministic: invalid_request,
  cose_tag_invalid: invalid_grant,
  cose_header_invalid: invalid_grant,
  // Withdrawn links and the trust material fetched from the network (SPEC-NOTES.md §6.2 step 17a, lib/status)
  link_revoked: invalid_grant,
  link_suspended: invalid_grant,
  status_list_invalid: invalid_grant,
  status_unavailable: server_error,
  revocation_store_unavailable: server_error,
  jwks_unavailable: server_error,
  // Usage errors of the library itself (bad arguments from the calling program, not from the wire)
  invalid_argument: server_error,
} as const satisfies Record<string, OAuthErrorCode>;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * A step of the verification algorithm (SPEC-NOTES.md §6.2) as numbered there: '1' … '17',
 * '4.1' … '4.4', '17a'.
 */
export type VerificationStep = `${number}` | `${number}.${number}` | `${number}a`;

/**
 * A rule of X.509 path validation (SPEC-NOTES.md §7.2) as numbered there: the rule number, followed by
 * the letter of the sub-rule that failed for the rules written with lettered sub-rules (3, 7, 9):
 * '1' … '10', '3a' … '3d', '7a' … '7d', '9a', '9b', '9d'.
 */
export type X509Rule = `${number}` | `${number}${'a' | 'b' | 'c' | 'd'}`;

export interface TransitiveProofErrorJSON {
  code: ErrorCode;
  message: string;
  linkIndex?: number;
  /** The SPEC-NOTES.md §6.2 step that failed, when the error comes from verification. */
  step?: VerificationStep;
  /** The SPEC-NOTES.md §7.2 rule that failed, when the error comes from X.509 path validation. */
  rule?: X509Rule;
  oauthError: OAuthErrorCode;
}

/**
 * The brand every TransitiveProofError carries: a registry symbol (`Symbol.for`), the same in every
 * copy of this package loaded in one process (two versions installed side by side, a bundle and a
 * dependency), where `instanceof` sees only its own copy's class.
 */
const ERROR_BRAND = Symbol.for('transitive-proof.TransitiveProofError');

export class TransitiveProofError extends Error {
  override readonly name: string = 'TransitiveProofError';
  readonly code: ErrorCode;
  /** Index (root = 0) of the link that failed, when the failure belongs to one link. */
  readonly linkIndex: number | undefined;
  /**
   * The SPEC-NOTES.md §6.2 step that failed, set by the verifier (which runs the steps and so knows
   * which one threw); undefined outside verification.
   */
  readonly step: VerificationStep | undefined = undefined;
  /**
   * The SPEC-NOTES.md §7.2 rule that failed, set by X.509 path validation (which runs the rules and so
   * knows which one threw); undefined for every other error.
   */
  readonly rule: X509Rule | undefined;

  constructor(code: ErrorCode, message: string, options: { linkIndex?: number; cause?: unknown; rule?: X509Rule | undefined } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.linkIndex = options.linkIndex;
    this.rule = options.rule;
    Object.defineProperty(this, ERROR_BRAND, { value: true });
  }

  /** The OAuth 2.0 error (RFC 6749 §5.2) an authorization server returns for this failure. */
  get oauthError(): OAuthErrorCode {
    return ERROR_CODES[this.code];
  }

  toJSON(): TransitiveProofErrorJSON {
    const json: TransitiveProofErrorJSON = { code: this.code, message: this.message, oauthError: this.oauthError };
    if (this.linkIndex !== undefined) json.linkIndex = this.linkIndex;
    if (this.step !== undefined) json.step = this.step;
    if (this.rule !== undefined) json.rule = this.rule;
    return json;
  }
}

/** A usage error of the library itself (`invalid_argument`: a bad argument from the calling program, not from the wire). */
export function invalidArgument(message: string, cause?: unknown): TransitiveProofError {
  return new TransitiveProofError('invalid_argument', message, { cause });
}

/** A chain that is not one (`chain_malformed`: empty, an empty link, a JSON form that is not an array of strings). */
export function chainMalformed(message: string, cause?: unknown): TransitiveProofError {
  return new TransitiveProofError('chain_malformed', message, { cause });
}

/**
 * A string from the input as an error message shows it: in JSON's quotes, control characters
 * escaped (JSON's), and those that reorder or break lines (U+007F–U+009F, U+2028–U+2029,
 * U+202A–U+202E, U+2066–U+2069) as `\u` escapes, at most 120 UTF-16 units of it (then `...`): a
 * message is logged and printed, and a link's strings must not write lines or terminal controls there.
 */
export function quoted(text: string): string {
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}...` : text).replace(/[\x7f-\x9f\u2028-\u202e\u2066-\u2069]/g, (c) => `\\u${(c.charCodeAt(0) + 65536).toString(16).slice(1)}`);
}

/** Raised for failures a link's content causes; `linkIndex` is always set. */
export class LinkError extends TransitiveProofError {
  override readonly name: string = 'LinkError';
  declare readonly linkIndex: number;
  constructor(code: ErrorCode, linkIndex: number, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { ...options, linkIndex });
  }
}

/**
 * A LinkError whose message is about its own link: `link <index> <about>` (the message's first words
 * written once here, not at each of the rules' sites).
 */
export function linkError(code: ErrorCode, linkIndex: number, about: string): LinkError {
  return new LinkError(code, linkIndex, `link ${linkIndex} ${about}`);
}

/** Raised for X.509 path-validation failures (codes prefixed `x5c_`). */
export class X509Error extends TransitiveProofError {
  override readonly name: string = 'X509Error';
}

/** Raised for CBOR/COSE decoding failures (codes prefixed `cbor_` / `cose_`). */
export class CoseError extends TransitiveProofError {
  override readonly name: string = 'CoseError';
}

/**
 * Whether `value` is an error of this package, thrown by this copy of it or by any other (a second
 * version installed beside it): checked by a `Symbol.for` brand, not by `instanceof`. Branch on
 * its `code` (SPEC-NOTES.md §9), which is stable across versions.
 */
export function isTransitiveProofError(value: unknown): value is TransitiveProofError {
  return typeof value === 'object' && value !== null && (value as { [ERROR_BRAND]?: unknown })[ERROR_BRAND] === true
    && typeof (value as { code?: unknown }).code === 'string';
}

/** Re-raise an error with a link index attached, keeping its code and message. */
export function atLink(error: unknown, linkIndex: number): TransitiveProofError {
  if (error instanceof TransitiveProofError) {
    if (error.linkIndex === linkIndex) return error;
    // Keep the subclass, so `instanceof X509Error` / `CoseError` still tells where it came from.
    if (error instanceof X509Error) return new X509Error(error.code, error.message, { linkIndex, cause: error, rule: error.rule });
    if (error instanceof CoseError) return new CoseError(error.code, error.message, { linkIndex, cause: error });
    return new LinkError(error.code, linkIndex, error.message, { cause: error });
  }
  return new LinkError('link_malformed', linkIndex, 'unexpected failure while processing the link', { cause: error });
}

/**
 * Record the verification step an error was raised in, unless an inner step already did. The error
 * is one the library has just thrown, so it is marked in place rather than copied (a copy would
 * change its class and cause for callers that look at them).
 */
export function atStep(error: unknown, step: VerificationStep): unknown {
  if (error instanceof TransitiveProofError && error.step === undefined) {
    (error as { step: VerificationStep | undefined }).step = step;
  }
  return error;
}

/**
 * Record the §7.2 rule an X.509 error was raised in, unless the rule itself already did (a sub-rule
 * names its letter). Marked in place, like `atStep`.
 */
export function atRule(error: unknown, rule: X509Rule): unknown {
  if (error instanceof X509Error && error.rule === undefined) {
    (error as { rule: X509Rule | undefined }).rule = rule;
  }
  return error;
}
