/**
 * What an issued token would disclose of a chain under each disclosure profile (SPEC-NOTES §8.4.2):
 * the view `tproof disclose` and the web inspector show. The rules are the AS's own
 * (lib/as/disclosure.ts, chainRecordMembers): this only decodes the chain and asks them. NOTHING
 * HERE IS VERIFIED: an AS issues a token only for a chain that verifies, and only verification
 * decides the record's `root.kind`.
 */
import { INSPECT_CODECS } from './parts.js';
import { decodeChain } from '../chain.js';
import { discloseActors, readDisclosurePolicy, type DisclosurePolicy } from '../as/disclosure.js';
import { chainRecordMembers, type ChainRecordMembers } from '../as/issued-token.js';
import { DEFAULT_LIMITS, type Limits } from '../model/limits.js';
import type { Actor, Chain } from '../model/types.js';

export interface DisclosureView {
  policy: DisclosurePolicy;
  /** Every delegate of the chain, root side first (the last is the requester), and whether the token names it. */
  actors: { position: number; id: string; named: boolean }[];
  /** The token's `act`. */
  act: Actor;
  omitted: number;
  /** The deferred-binding record the AS would write, but for `root.kind`, which verification decides. */
  record: { root: { iss: string } } & ChainRecordMembers;
}

/** The three profiles, with a subset that keeps the root's delegate: what is shown when no policy is given. */
export const PREVIEW_POLICIES: readonly DisclosurePolicy[] = Object.freeze([
  { profile: 'full' },
  { profile: 'subset', keep: ['first'] },
  { profile: 'actor-only' },
]);

export async function previewDisclosure(chain: Chain, policies: readonly DisclosurePolicy[] = PREVIEW_POLICIES, options: { limits?: Limits } = {}): Promise<DisclosureView[]> {
  const decoded = decodeChain(chain, { limits: options.limits ?? DEFAULT_LIMITS, codecs: INSPECT_CODECS });
  const ids = decoded.map((link) => delegateId(link.claims));
  const rootIss = decoded[0]?.claims.iss;
  const views: DisclosureView[] = [];
  for (const given of policies) {
    const policy = readDisclosurePolicy(given);
    const disclosure = discloseActors(ids, policy);
    const named = new Set(disclosure.positions);
    views.push({
      policy,
      actors: ids.map((id, position) => ({ position, id, named: named.has(position) })),
      act: disclosure.act,
      omitted: disclosure.omitted,
      record: { root: { iss: typeof rootIss === 'string' ? rootIss : '' }, ...(await chainRecordMembers(chain, policy, disclosure, INSPECT_CODECS)) },
    });
  }
  return views;
}

function delegateId(claims: Record<string, unknown>): string {
  const mayAct = claims.may_act;
  const sub = mayAct !== null && typeof mayAct === 'object' ? (mayAct as { sub?: unknown }).sub : undefined;
  return typeof sub === 'string' ? sub : JSON.stringify(sub) ?? '';
}
