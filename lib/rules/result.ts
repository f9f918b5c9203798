/**
 * Step 19 (SPEC-NOTES.md §6.3): what the authorization server puts in the token it issues.
 */
import type { LinkHeader } from '../codecs/codec.js';
import type { Actor, Confirmation, LinkClaims, LinkFormat } from '../model/types.js';
import type { SignerKind } from './signer.js';

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
