/**
 * Disclosure profiles (SPEC-NOTES.md §8.4.2): how much of a verified chain's actor list an issued
 * token names in `act`. The policy is data (a JSON object, schemas/disclosure-policy.schema.json),
 * so that an operator writes it per resource server and a vector pins it:
 *
 *   {"profile": "full"}                                    every delegate, as today
 *   {"profile": "subset", "keep": ["first", {"sub_prefix": "https://partner."}]}
 *   {"profile": "actor-only"}                              the requester alone
 *
 * Whatever `act` names, the requester is always named (outermost), because the token's `client_id`
 * names it anyway (§8.4) and RFC 8693 §4.1 reads the outermost `act` as the current actor.
 */
import { invalidArgument } from '../errors.js';
import { documentValidator } from '../model/document-schemas.js';
import { describeSchemaError } from '../model/schemas.js';
import type { Actor } from '../model/types.js';

export type DisclosureProfile = 'full' | 'subset' | 'actor-only';

export const DISCLOSURE_PROFILES: readonly DisclosureProfile[] = ['full', 'subset', 'actor-only'];

/**
 * An actor picked by a subset policy. Positions count the chain's delegates root side first:
 * 0 (or "first") is the root's delegate (link 0's `may_act.sub`), n − 1 (or "last", or −1) the
 * requester. A negative index counts from the requester. An index beyond the chain picks nothing.
 * `sub_prefix` picks every delegate whose identifier starts with that string (code points, case-sensitive; a lone surrogate in it is refused).
 */
export type ActorSelector = 'first' | 'last' | number | { sub_prefix: string };

export interface DisclosurePolicy {
  profile: DisclosureProfile;
  /** `subset` only (required there): which earlier delegates the token also names. */
  keep?: readonly ActorSelector[];
  /**
   * `subset` and `actor-only`: state the chain's length in the record (`links`, `omitted`). Default
   * false: the length is itself a disclosure (that there were intermediaries, and how many). Under
   * `full` the length is visible in `act`, so the record always states it.
   */
  count?: boolean;
  /** Record each link's hash (`link_sha256`). Reveals the length, so needs `count` outside `full`. Default false. */
  link_hashes?: boolean;
}

export const FULL_DISCLOSURE: DisclosurePolicy = Object.freeze({ profile: 'full' });

/**
 * A policy read strictly: the schema, then the rules between members. Any fault is the operator's
 * (`invalid_argument`), found before any chain is consumed.
 */
export function readDisclosurePolicy(value: unknown): DisclosurePolicy {
  const validate = documentValidator('disclosurePolicy');
  if (!validate(value)) throw invalidArgument(`disclosure policy: ${describeSchemaError(validate.errors)}`);
  const policy = value as DisclosurePolicy;
  if ((policy.profile === 'subset') !== (policy.keep !== undefined)) {
    throw invalidArgument('disclosure policy: "keep" is required with profile "subset" and used with no other');
  }
  if (policy.profile === 'full' && policy.count === false) {
    throw invalidArgument('disclosure policy: under "full" the act claim shows the length; "count": false cannot hide it');
  }
  if (policy.link_hashes === true && !countDisclosed(policy)) {
    throw invalidArgument('disclosure policy: "link_hashes" reveals the length; set "count": true');
  }
  // A delegate's identifier is well-formed (strict JSON, §4.1): a prefix ending in half a surrogate
  // pair would match the first half of a character.
  if (policy.keep?.some((item) => typeof item === 'object' && /[\uD800-\uDFFF]/u.test(item.sub_prefix))) {
    throw invalidArgument('disclosure policy: a "sub_prefix" holds a lone surrogate');
  }
  return policy;
}

/** Whether the record states the chain's length under this policy. */
export function countDisclosed(policy: DisclosurePolicy): boolean {
  return policy.profile === 'full' || policy.count === true;
}

/** What a token names of a chain's delegates. */
export interface ActorDisclosure {
  profile: DisclosureProfile;
  /** RFC 8693 §4.1 nested actors of the named delegates: the requester outermost. */
  act: Actor;
  /** Positions named, ascending (root side first); always ends with the requester's. */
  positions: number[];
  /** How many delegates the token does not name. */
  omitted: number;
}

/**
 * The delegates a token names under `policy`, given all of them root side first (each link's
 * `may_act.sub`; the last is the requester). The order of the chain is kept: an ordered subsequence.
 */
export function discloseActors(actors: readonly string[], policy: DisclosurePolicy): ActorDisclosure {
  const n = actors.length;
  if (n === 0) throw invalidArgument('a chain names at least one delegate');
  const named = new Set<number>([n - 1]);
  if (policy.profile === 'full') for (let i = 0; i < n; i++) named.add(i);
  if (policy.profile === 'subset') {
    for (const selector of policy.keep ?? []) for (const position of select(actors, selector)) named.add(position);
  }
  const positions = [...named].sort((a, b) => a - b);
  let act: Actor | undefined;
  for (const position of positions) act = act === undefined ? { sub: actors[position] as string } : { sub: actors[position] as string, act };
  return { profile: policy.profile, act: act as Actor, positions, omitted: n - positions.length };
}

function select(actors: readonly string[], selector: ActorSelector): number[] {
  const n = actors.length;
  if (selector === 'first') return [0];
  if (selector === 'last') return [n - 1];
  if (typeof selector === 'number') {
    const position = selector < 0 ? n + selector : selector;
    return position >= 0 && position < n ? [position] : [];
  }
  const prefix = selector.sub_prefix;
  return actors.flatMap((sub, position) => (sub.startsWith(prefix) ? [position] : []));
}

/**
 * Selectors as people type them (`tproof disclose --keep`, the web inspector): comma-separated
 * `first`, `last`, an integer, or `prefix:STRING`, white space around each ignored. An unknown
 * one is `invalid_argument`.
 */
export function readSelectorList(text: string): ActorSelector[] {
  return text.split(',').map((item) => item.trim()).filter((item) => item !== '').map((item) => {
    if (item === 'first' || item === 'last') return item;
    if (item.startsWith('prefix:') && item.length > 'prefix:'.length) return { sub_prefix: item.slice('prefix:'.length) };
    if (/^-?(0|[1-9][0-9]?)$/.test(item)) return Number(item);
    throw invalidArgument(`"${item}" is not a selector: first, last, an index or prefix:STRING`);
  });
}

/** The selectors of a policy in the same words: the inverse of readSelectorList. */
export function describeSelectors(keep: readonly ActorSelector[]): string {
  return keep.map((item) => (typeof item === 'object' ? `prefix:${item.sub_prefix}` : String(item))).join(',');
}

/** The delegates an `act` claim names, outermost (the requester) last; undefined when it is not a nested actor claim. */
export function actorsOfAct(act: unknown): string[] | undefined {
  const named: string[] = [];
  let level: unknown = act;
  while (level !== undefined) {
    if (level === null || typeof level !== 'object' || Array.isArray(level)) return undefined;
    const { sub, act: inner } = level as { sub?: unknown; act?: unknown };
    if (typeof sub !== 'string' || sub.length === 0 || named.length >= 64) return undefined;
    named.push(sub);
    level = inner;
  }
  return named.reverse();
}
