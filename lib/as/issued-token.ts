/**
 * What an issued token says about its deferred binding (SPEC-NOTES.md §8.4): its `cnf` (the
 * chain's `tmb`, copied as draft-richer-oauth-tmb-claim says, or reduced to a thumbprint) and the
 * deferred-binding record, a private claim by which a resource server or an audit log tells a token
 * bound without proof of possession from one bound by proof.
 */
import { sha256Base64url } from '#runtime';
import { serializeChain } from '../chain.js';
import { linkHash } from '../rules/linkage.js';
import { actorsOfAct, countDisclosed, type ActorDisclosure, type DisclosurePolicy, type DisclosureProfile } from './disclosure.js';
import type { LinkCodec } from '../ports.js';
import { TransitiveProofError, invalidArgument } from '../errors.js';
import { confirmationJkt } from '../keys/confirmation.js';
import { describeSchemaError } from '../model/schemas.js';
import { documentValidator } from '../model/document-schemas.js';
import type { Chain, Confirmation, LinkFormat } from '../model/types.js';
import type { VerifiedChain } from '../rules/result.js';

/** The private, unregistered claim (and introspection member) that carries the record. */
export const DEFERRED_BINDING_CLAIM = 'urn:transitive-proof:claim:deferred-binding';

/**
 * How the issued token's `cnf` is formed from the chain's `tmb`:
 * - `tmb` (default): copied unchanged (draft-richer-oauth-tmb-claim §3), so a `jwk` stays a `jwk`;
 * - `jkt`: a `jwk` is reduced to its RFC 7638 thumbprint, the one member RFC 9449 resource servers read.
 * `jkt` and `x5t#S256` confirmations are the same under both.
 */
export type IssuedConfirmationForm = 'tmb' | 'jkt';

export interface DeferredBindingRecord {
  /** The root that vouched for the binding: its kind and link 0's `iss`. */
  root: { kind: 'holder' | 'issuer' | 'x509'; iss: string };
  /** base64url(SHA-256(the chain's compact serialization, §4.2 / §4.3.3)). */
  chain_sha256: string;
  /** Number of links in the chain: always under `full`, elsewhere only when the policy discloses the length (§8.4.2). */
  links?: number;
  format: LinkFormat;
  /** The disclosure profile that chose the token's `act` (§8.4.2). */
  disclosure: DisclosureProfile;
  /** How many of the chain's delegates `act` does not name; present exactly with `links`. */
  omitted?: number;
  /** base64url(SHA-256(each link's exact bytes)), root first (each the value of the next link's `prev`), when the policy asks. */
  link_sha256?: string[];
}

/** The members of the record that come from the chain and the disclosure (all but `root`, which verification decides). */
export type ChainRecordMembers = Omit<DeferredBindingRecord, 'root'>;

export async function issuedConfirmation(tmb: Confirmation, form: IssuedConfirmationForm): Promise<Confirmation> {
  if (form === 'tmb' || 'x5t#S256' in tmb) return tmb;
  const jkt = await confirmationJkt(tmb);
  if (jkt === undefined) throw invalidArgument('tmb names no key');
  return { jkt };
}

/**
 * The record of a verified chain under a disclosure (discloseActors). The hash is over the compact
 * form, whichever form was sent.
 */
export async function deferredBindingRecord(
  chain: Chain,
  verified: VerifiedChain,
  codecs: readonly LinkCodec[] = [],
  policy: DisclosurePolicy = { profile: 'full' },
  disclosure: Pick<ActorDisclosure, 'omitted'> = { omitted: 0 },
): Promise<DeferredBindingRecord> {
  const { kind, iss } = verified.root;
  if (kind === 'delegate') throw invalidArgument('link 0 is never signed by a delegate');
  return { root: { kind, iss }, ...(await chainRecordMembers(chain, policy, disclosure, codecs)) };
}

/** Every member of the record but `root`: what an unverified preview (`tproof disclose`) can show too. */
export async function chainRecordMembers(
  chain: Chain,
  policy: DisclosurePolicy,
  disclosure: Pick<ActorDisclosure, 'omitted'>,
  codecs: readonly LinkCodec[] = [],
): Promise<ChainRecordMembers> {
  const members: ChainRecordMembers = {
    // The compact form is ASCII, so its UTF-8 encoding is its ASCII bytes.
    chain_sha256: await sha256Base64url(serializeChain(chain, { codecs })),
    format: chain.format,
    disclosure: policy.profile,
  };
  if (countDisclosed(policy)) {
    members.links = chain.links.length;
    members.omitted = disclosure.omitted;
  }
  if (policy.link_hashes === true) members.link_sha256 = await Promise.all(chain.links.map((bytes) => linkHash(bytes)));
  return members;
}

/**
 * The record in a validated token's claims (or introspection response): undefined when the token
 * has none (it was not bound by a deferred binding, or its issuer does not record one). A record
 * that does not match schemas/deferred-binding-record.schema.json fails closed (`access_token_invalid`).
 */
export function readDeferredBindingRecord(claims: Readonly<Record<string, unknown>>): DeferredBindingRecord | undefined {
  if (!Object.hasOwn(claims, DEFERRED_BINDING_CLAIM)) return undefined;
  const value = claims[DEFERRED_BINDING_CLAIM];
  const validate = documentValidator('deferredBindingRecord');
  if (!validate(value)) {
    throw new TransitiveProofError('access_token_invalid', `the deferred-binding record is malformed: ${describeSchemaError(validate.errors)}`);
  }
  const record = value as DeferredBindingRecord;
  if (record.link_sha256 !== undefined && record.link_sha256.length !== record.links) {
    throw new TransitiveProofError('access_token_invalid', 'the deferred-binding record has a link hash count other than its length');
  }
  return record;
}

/**
 * The delegates a token with a deferred-binding record names (its `act`, SPEC-NOTES §8.4.2), root
 * side first, the requester last — checked against the record's profile: `act` is a nested actor
 * claim naming the requester (`client_id`, when the token has one) outermost; under `actor-only`
 * it names no one else; where the record states the length, `act` names exactly `links` − `omitted`
 * delegates (under `full`: all of them). Any mismatch is `access_token_invalid`.
 */
export function readDisclosedActors(claims: Readonly<Record<string, unknown>>, record: DeferredBindingRecord): string[] {
  const actors = actorsOfAct(claims.act);
  if (actors === undefined) throw new TransitiveProofError('access_token_invalid', 'a token with a deferred-binding record names its actors in a nested act claim');
  const requester = actors[actors.length - 1];
  if (typeof claims.client_id === 'string' && claims.client_id !== requester) {
    throw new TransitiveProofError('access_token_invalid', 'the outermost act is not the client the token was issued to');
  }
  if (record.disclosure === 'actor-only' && actors.length !== 1) {
    throw new TransitiveProofError('access_token_invalid', 'an actor-only token names the requester alone');
  }
  if (record.links !== undefined && actors.length !== record.links - (record.omitted as number)) {
    throw new TransitiveProofError('access_token_invalid', `the act claim names ${actors.length} delegates; the record says ${record.links - (record.omitted as number)}`);
  }
  return actors;
}
