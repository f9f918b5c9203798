/**
 * Step 19 (SPEC-NOTES.md §6.3): what the authorization server puts in the token it issues.
 */
import type { LinkHeader } from '../ports.js';
import type { Actor, Confirmation, LinkClaims, LinkFormat, PublicJwk, SignatureAlgorithm } from '../model/types.js';

/** Who signed a link (steps 6-7). */
export type SignerKind = 'issuer' | 'holder' | 'x509' | 'delegate';

/** A key that may have signed a link, found at step 6 and tried at step 7. */
export interface SignerCandidate {
  kind: SignerKind;
  key: PublicJwk;
  algorithms: ReadonlySet<SignatureAlgorithm>;
  /** For x5c-identified signers: the validated leaf's identity and subjects, for display. */
  certificate?: { identity: string; subjects: string[] };
}

export interface VerifiedSigner {
  kind: SignerKind;
  key: PublicJwk;
  certificate?: { identity: string; subjects: string[] };
}

export interface VerifiedLink {
  index: number;
  /** The header, without certificate bytes (see `signer.certificate`). */
  header: Omit<LinkHeader, 'x5c'> & { x5cCount?: number };
  claims: LinkClaims;
  signer: { kind: SignerKind; certificate?: { identity: string; subjects: string[] } };
}

export interface VerifiedChain {
  format: LinkFormat;
  /** `cnf` for the issued token: the chain's `tmb`. */
  cnf: Confirmation;
  /** `sub` for the issued token. */
  sub: string;
  /** RFC 8693 `act`: the requester outermost, then each earlier delegate. */
  act: Actor;
  /** The granted scope. */
  scope: string;
  /** The earliest `exp` in the chain: the issued token should not outlive it. */
  notAfter: number;
  /** How link 0 was trusted. */
  root: { kind: SignerKind; iss: string };
  links: VerifiedLink[];
}

/** Nested `act`, current actor outermost (RFC 8693 §4.1): delegates from last to first. */
export function buildActorChain(links: readonly LinkClaims[]): Actor {
  let act: Actor | undefined;
  for (const claims of links) {
    act = act === undefined ? { sub: claims.may_act.sub } : { sub: claims.may_act.sub, act };
  }
  if (act === undefined) throw new Error('a chain has at least one link');
  return act;
}
