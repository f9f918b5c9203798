/**
 * draft-liu-oauth-chain-delegation's `delegation_chain` claim (-01 §4), emitted from a verified chain
 * where the mapping of SPEC-NOTES.md §11.1 holds: `full` disclosure, and every identifier an
 * absolute URI. One record per link, most recent first; each signed by this AS (`as_signature`, a
 * detached JWS, RFC 7515 Appendix F, over the RFC 8785 form of the record's other members). The
 * delegators' own signatures (the links) do not carry over: the deferred-binding record's
 * `chain_sha256` is what ties the token to them.
 */
import { CompactSign } from 'jose/jws/compact/sign';
import { invalidArgument } from '../errors.js';
import { importSigningKey } from '../keys/keys.js';
import type { CryptoKey, PrivateJwk, SignatureAlgorithm } from '../model/types.js';
import type { VerifiedChain } from '../rules/result.js';
import type { DisclosurePolicy } from './disclosure.js';

/** The draft's claim name (its request to IANA, -01 §12.1; not registered). */
export const DELEGATION_CHAIN_CLAIM = 'delegation_chain';

export interface DelegationRecord {
  delegator_id: string;
  delegatee_id: string;
  as_id: string;
  delegation_timestamp: number;
  scope: string;
  /** Detached JWS (header..signature) by `as_id` over the JCS form of the members above. */
  as_signature: string;
}

/** The AS's signing key for `as_signature`. */
export interface DelegationChainSigner {
  key: CryptoKey | PrivateJwk;
  alg: SignatureAlgorithm;
  kid?: string;
}

/** A policy under which the claim cannot be emitted (it names every hop): `invalid_argument`. */
export function assertDelegationChainDisclosure(policy: DisclosurePolicy): void {
  if (policy.profile !== 'full') {
    throw invalidArgument(`delegation_chain names every hop: it cannot be emitted under "${policy.profile}" disclosure`);
  }
}

/** RFC 3986 §3.1: an absolute URI starts with a scheme and ":". No white space or controls anywhere. */
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s\x00-\x1f\x7f]+$/;

export async function delegationChainClaim(chain: VerifiedChain, asId: string, signer: DelegationChainSigner): Promise<DelegationRecord[]> {
  const key = await importSigningKey(signer.key, signer.alg);
  const header = { alg: signer.alg, ...(signer.kid === undefined ? {} : { kid: signer.kid }) };
  const records: DelegationRecord[] = [];
  for (const { claims } of [...chain.links].reverse()) {
    const signed = {
      delegator_id: uri(claims.iss),
      delegatee_id: uri(claims.may_act.sub),
      as_id: asId,
      delegation_timestamp: claims.iat,
      scope: claims.scope,
    };
    const [protectedHeader, , signature] = (await new CompactSign(new TextEncoder().encode(canonicalJson(signed))).setProtectedHeader(header).sign(key)).split('.');
    records.push({ ...signed, as_signature: `${protectedHeader as string}..${signature as string}` });
  }
  return records;
}

function uri(identifier: string): string {
  if (!ABSOLUTE_URI.test(identifier)) {
    throw invalidArgument('delegation_chain needs absolute URIs as identifiers; this chain names another identifier');
  }
  return identifier;
}

/**
 * RFC 8785 for the records' one shape: an object of strings and safe integers. For those, JCS is
 * JSON.stringify (ECMAScript serialization, which RFC 8785 §3.2.2 adopts) with the members sorted
 * by their UTF-16 code units (§3.2.3). Anything else is refused, not approximated.
 */
export function canonicalJson(value: Readonly<Record<string, string | number>>): string {
  const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((key) => {
    const member = value[key];
    if (typeof member !== 'string' && !(typeof member === 'number' && Number.isSafeInteger(member))) {
      throw invalidArgument('canonicalJson takes strings and safe integers only');
    }
    return `${JSON.stringify(key)}:${JSON.stringify(member)}`;
  }).join(',')}}`;
}
