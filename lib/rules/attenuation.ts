/**
 * Steps 13 and 14 (SPEC-NOTES.md §6.2): authority only narrows. A child's scope is a subset of its
 * parent's, and the remaining delegation depth strictly decreases.
 */
import { LinkError, linkError, quoted } from '../errors.js';
import { scopeExcess } from '../model/scope.js';
import type { LinkClaims } from '../model/types.js';

export function checkScopeAttenuation(claims: LinkClaims, index: number, parent: LinkClaims): void {
  // The same scope string has the same tokens: nothing to compare (and no token sets to build).
  if (claims.scope === parent.scope) return;
  const excess = scopeExcess(claims.scope, parent.scope);
  if (excess.length > 0) {
    throw linkError('scope_escalation', index, `widens scope with ${quoted(excess.join(' '))}`);
  }
}

export function checkDepth(claims: LinkClaims, index: number, parent: LinkClaims): void {
  if (parent.depth < 1) {
    throw new LinkError('depth_exceeded', index, `link ${index - 1} allows no further delegation`);
  }
  if (claims.depth > parent.depth - 1) {
    throw linkError('depth_exceeded', index, `depth ${claims.depth} is not below link ${index - 1}'s ${parent.depth}`);
  }
}
