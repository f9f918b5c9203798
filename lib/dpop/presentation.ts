/**
 * The resource server's check of a DPoP-bound token presentation (RFC 9449 §7): the `DPoP`
 * authorization scheme, exactly one proof, and a proof made by the key the token's `cnf` names
 * (`jkt`, or a `jwk` copied from `tmb` as draft-richer-oauth-tmb-claim does). The access token
 * itself is validated by the caller (signature, issuer, audience, expiry); its claims may come from
 * a JWT or from introspection. The token's deferred-binding record, if any, is returned.
 */
import { TransitiveProofError } from '../errors.js';
import { readDeferredBindingRecord, readDisclosedActors, type DeferredBindingRecord } from '../as/issued-token.js';
import { validator } from '../model/schemas.js';
import type { Confirmation } from '../model/types.js';
import { jwkThumbprint } from '../keys/keys.js';
import { DpopError, proofReplayStore, verifyDpopProof, type VerifiedDpopProof, type VerifyDpopProofOptions } from './proof.js';

export interface DpopPresentation {
  /** The Authorization header value(s). */
  authorization: string | readonly string[] | undefined;
  /** The DPoP header value(s). */
  dpop: string | readonly string[] | undefined;
  method: string;
  /** The absolute request URI. */
  url: string;
}

/** As for a proof: a `replayStore`, or `skipReplayCheck: true` (neither is `invalid_argument`). */
export type DpopPresentationOptions = Omit<VerifyDpopProofOptions, 'htm' | 'htu' | 'accessToken' | 'expectedJkt'>;

const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

/** The access token from an `Authorization: DPoP <token>` header. */
export function dpopAccessToken(authorization: string | readonly string[] | undefined): string {
  const value = single(authorization, 'Authorization');
  if (value === undefined) throw new TransitiveProofError('access_token_invalid', 'no access token');
  const match = /^DPoP +(.+)$/i.exec(value);
  if (match === null) throw new TransitiveProofError('access_token_invalid', 'a DPoP-bound token must use the DPoP authorization scheme');
  const token = (match[1] as string).trim();
  if (!TOKEN68.test(token)) throw new TransitiveProofError('access_token_invalid', 'the access token is malformed');
  return token;
}

export interface VerifiedDpopPresentation extends VerifiedDpopProof {
  accessToken: string;
  /** How the token was bound when it was issued without proof of the key (SPEC-NOTES §8.4.1); undefined if it was not. */
  deferredBinding: DeferredBindingRecord | undefined;
  /**
   * The delegates the token's `act` names, root side first, the requester last, checked against the
   * record's disclosure profile (§8.4.2); undefined for a token without a record.
   */
  actors: string[] | undefined;
}

/**
 * Check the presentation of a token whose validated claims (JWT or introspection response) are
 * `tokenClaims`: its `cnf` must name the DPoP proof's key. Returns the proof and the token's
 * deferred-binding record; throws DpopError or an `access_token_invalid` error.
 */
export async function verifyDpopPresentation(
  request: DpopPresentation,
  tokenClaims: Readonly<Record<string, unknown>>,
  options: DpopPresentationOptions,
): Promise<VerifiedDpopPresentation> {
  // A configuration fault is raised for every request, before the token or the proof is read.
  proofReplayStore(options);
  const accessToken = dpopAccessToken(request.authorization);
  const expectedJkt = await boundKeyThumbprint(tokenClaims.cnf);
  const deferredBinding = readDeferredBindingRecord(tokenClaims);
  const actors = deferredBinding === undefined ? undefined : readDisclosedActors(tokenClaims, deferredBinding);
  const proof = single(request.dpop, 'DPoP');
  if (proof === undefined) throw new DpopError('malformed', 'no DPoP proof');
  const verified = await verifyDpopProof(proof, {
    ...options,
    htm: request.method,
    htu: request.url,
    accessToken,
    expectedJkt,
  });
  return { ...verified, accessToken, deferredBinding, actors };
}

/** The thumbprint of the key a token's `cnf` binds it to: `jkt`, or the thumbprint of a `jwk` (RFC 7800 form, one member). */
async function boundKeyThumbprint(cnf: unknown): Promise<string> {
  const validate = validator('confirmation');
  if (!validate(cnf)) throw new TransitiveProofError('access_token_invalid', 'the access token is not bound to a DPoP key (no valid cnf)');
  const confirmation = cnf as Confirmation;
  if ('jkt' in confirmation) return confirmation.jkt;
  if ('jwk' in confirmation) return jwkThumbprint(confirmation.jwk);
  throw new TransitiveProofError('access_token_invalid', 'the access token is bound to a certificate (cnf x5t#S256), not a DPoP key');
}

/** The WWW-Authenticate challenge for a failed presentation (RFC 9449 §7.1, RFC 6750 §3). */
export function dpopChallenge(error: unknown, algorithms: readonly string[] = ['ES256', 'ES384', 'EdDSA', 'PS256']): { status: 400 | 401 | 500; header: string } {
  const algs = `algs="${algorithms.join(' ')}"`;
  if (error instanceof TransitiveProofError && (error.oauthError === 'invalid_dpop_proof' || error.oauthError === 'invalid_token')) {
    const description = error.message.replace(/["\\]/g, "'");
    return { status: 401, header: `DPoP error="${error.oauthError}", error_description="${description}", ${algs}` };
  }
  return { status: 500, header: `DPoP ${algs}` };
}

function single(value: string | readonly string[] | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (value.length > 1) {
    // RFC 9449 §4.3 step 1: exactly one DPoP header; one Authorization header likewise.
    if (name === 'DPoP') throw new DpopError('malformed', 'more than one DPoP header');
    throw new TransitiveProofError('access_token_invalid', `more than one ${name} header`);
  }
  return value[0];
}
