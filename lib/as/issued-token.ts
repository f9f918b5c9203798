/**
 * What an issued token says about its deferred binding (SPEC-NOTES.md §8.4): its `cnf` (the
 * chain's `tmb`, copied as draft-richer-oauth-tmb-claim says, or reduced to a thumbprint) and the
 * deferred-binding record, a private claim by which a resource server or an audit log tells a token
 * bound without proof of possession from one bound by proof.
 */
import { sha256Base64url } from '#runtime';
import { serializeChain } from '../chain.js';
import type { LinkCodec } from '../ports.js';
import { TransitiveProofError } from '../errors.js';
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
  /** Number of links in the chain. */
  links: number;
  format: LinkFormat;
}

export async function issuedConfirmation(tmb: Confirmation, form: IssuedConfirmationForm): Promise<Confirmation> {
  if (form === 'tmb' || 'x5t#S256' in tmb) return tmb;
  const jkt = await confirmationJkt(tmb);
  if (jkt === undefined) throw new TransitiveProofError('invalid_argument', 'tmb names no key');
  return { jkt };
}

/** The record of a verified chain. The hash is over the compact form, whichever form was sent. */
export async function deferredBindingRecord(chain: Chain, verified: VerifiedChain, codecs: readonly LinkCodec[] = []): Promise<DeferredBindingRecord> {
  const { kind, iss } = verified.root;
  if (kind === 'delegate') throw new TransitiveProofError('invalid_argument', 'link 0 is never signed by a delegate');
  return {
    root: { kind, iss },
    // The compact form is ASCII, so its UTF-8 encoding is its ASCII bytes.
    chain_sha256: await sha256Base64url(serializeChain(chain, { codecs })),
    links: chain.links.length,
    format: chain.format,
  };
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
  return value as DeferredBindingRecord;
}
