/**
 * Steps 15–17 (SPEC-NOTES.md §6.2): the chain justifies this request: the requested key is the
 * chain's `tmb`, the requester is the last delegate, and the requested scope is within the last grant.
 */
import { LinkError, TransitiveProofError, quoted } from '../errors.js';
import { confirmationEquals, confirmationJktMaybeSync } from '../keys/confirmation.js';
import { isValidScope, scopeExcess } from '../model/scope.js';
import type { Confirmation, LinkClaims } from '../model/types.js';
import type { RequesterIdentity } from './context.js';

export function checkRequestedTmb(last: LinkClaims, index: number, requested: Confirmation | undefined): void | Promise<void> {
  if (requested === undefined) return;
  return confirmationEquals(requested, last.tmb).then((equal) => {
    if (!equal) throw new LinkError('tmb_mismatch', index, 'the requested tmb is not the key the chain authorises');
  });
}

/** Without a promise where the runtime digests synchronously (Node). */
export function checkRequester(last: LinkClaims, index: number, requester: RequesterIdentity, requireKey: boolean): void | Promise<void> {
  const delegate = last.may_act;
  if (requester.id !== delegate.sub) {
    throw new LinkError('requester_mismatch', index, `requester ${quoted(requester.id)} is not the last delegate ${quoted(delegate.sub)}`);
  }
  if (requester.jkt === undefined) return checkRequesterCertificate(delegate, index, requester, requireKey, false);
  const compare = (jkt: string | undefined): void => {
    if (jkt !== requester.jkt) {
      throw requesterMismatch(index, 'authenticated with a key other than the delegate key');
    }
    checkRequesterCertificate(delegate, index, requester, requireKey, true);
  };
  const jkt = confirmationJktMaybeSync(delegate.cnf);
  return jkt instanceof Promise ? jkt.then(compare) : compare(jkt);
}

function checkRequesterCertificate(delegate: LinkClaims['may_act'], index: number, requester: RequesterIdentity, requireKey: boolean, keyMatched: boolean): void {
  const x5t = requester['x5t#S256'];
  if (x5t !== undefined) {
    if (!('x5t#S256' in delegate.cnf) || delegate.cnf['x5t#S256'] !== x5t) {
      throw requesterMismatch(index, 'authenticated with a certificate other than the delegate certificate');
    }
    keyMatched = true;
  }
  if (requireKey && !keyMatched) {
    throw requesterMismatch(index, 'did not authenticate with the delegate key');
  }
}

/** Step 16's refusal of the requester's authentication: `the requester <what>`. */
function requesterMismatch(index: number, what: string): LinkError {
  return new LinkError('requester_mismatch', index, `the requester ${what}`);
}

/** Returns the granted scope: the requested one, or the last link's when none was requested. */
export function checkRequestedScope(last: LinkClaims, index: number, requested: string | undefined): string {
  if (requested === undefined) return last.scope;
  // The scope comes from the wire: a repeated form parameter can arrive as an array.
  if (typeof requested !== 'string' || !isValidScope(requested)) throw new TransitiveProofError('request_invalid', 'the requested scope is not a valid scope string');
  const excess = scopeExcess(requested, last.scope);
  if (excess.length > 0) throw new LinkError('scope_exceeded', index, `requested scope ${quoted(excess.join(' '))} is not granted by the chain`);
  return requested;
}
