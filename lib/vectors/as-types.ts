/**
 * The authorization-server vector format (schemas/as-vector.schema.json, vectors/README.md
 * "Authorization-server vectors"): a token request as the AS sees it → the refusal, or the issued
 * token's claims and the replay entries consumed (SPEC-NOTES.md §8.3–§8.6).
 */
import type { ErrorCode, OAuthErrorCode } from '../errors.js';
import type { DeferredBindingProfile } from '../as/profile.js';
import type { ResourceServerPolicy } from '../as/target.js';
import type { DisclosurePolicy } from '../as/disclosure.js';
import type { DeferredBindingRecord, IssuedConfirmationForm } from '../as/issued-token.js';
import type { ReplayKey, ReplayPolicy } from '../replay/keys.js';
import type { RequesterIdentity } from '../rules/context.js';
import type { TrustConfig } from '../trust/trust.js';
import type { Actor, Confirmation, PrivateJwk } from '../model/types.js';
import type { TEST_KEYS_WARNING } from './types.js';

export interface AsVectorRequest {
  /** [name, value] pairs in the order sent, after form decoding. */
  parameters: [string, string][];
  /** The authenticated client; null when none (or a public client). */
  client: RequesterIdentity | null;
  /** A DPoP header sent with the token request (it takes no part in the processing). */
  dpop?: string;
  now: number;
}

export interface AsVectorPolicy {
  issuer: string;
  trust: TrustConfig;
  profiles: DeferredBindingProfile[];
  requireRequesterKey: boolean;
  replayPolicy: ReplayPolicy;
  confirmation: IssuedConfirmationForm;
  resourceServers: ResourceServerPolicy[];
  defaultResource?: string;
  /**
   * §8.4.2: the AS's disclosure policy, for every resource server without its own
   * (`resourceServers[].disclosure`); absent: `{"profile": "full"}`. Passed as configured: the
   * processing reads it strictly, and a refusing vector may carry a faulty one (a configuration fault).
   */
  disclosure?: DisclosurePolicy;
}

export interface AsIssuedToken {
  iss: string;
  aud: string;
  sub: string;
  client_id: string;
  cnf: Confirmation;
  act: Actor;
  scope: string;
  iat: number;
  exp: number;
  /** Any value the AS chooses. */
  jti: 'any';
  'urn:transitive-proof:claim:deferred-binding': DeferredBindingRecord;
}

export type AsExpected =
  | { ok: true; token: AsIssuedToken; tokenType: 'DPoP' | 'Bearer'; issuedTokenType?: string; consumed: ReplayKey[] }
  | { ok: false; status: 400 | 401 | 500; error: OAuthErrorCode; code: ErrorCode; step: string; consumed: ReplayKey[] };

export interface AsVector {
  formatVersion: 1;
  id: string;
  description: string;
  spec: string;
  deterministic: boolean;
  request: AsVectorRequest;
  as: AsVectorPolicy;
  replayStore?: ReplayKey[];
  chain?: { compact?: string; links?: { signer?: string; note?: string; header: Record<string, unknown>; claims: Record<string, unknown> }[] };
  expected: AsExpected;
  testKeys: { warning: typeof TEST_KEYS_WARNING; keys: Record<string, PrivateJwk> };
}

export interface AsVectorIndexEntry {
  id: string;
  file: string;
  ok: boolean;
  code?: ErrorCode;
  step: string;
  deterministic: boolean;
}

export interface AsVectorIndex {
  formatVersion: 1;
  description: string;
  vectors: AsVectorIndexEntry[];
}
