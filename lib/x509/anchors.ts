/**
 * Trust anchors: certificates from the trust configuration, never from a message. An anchor is
 * parsed once at load time; its own constraints (validity, cA, keyCertSign, pathLen, name
 * constraints, critical extensions) are enforced on every validation that uses it.
 */
import { invalidArgument, X509Error } from '../errors.js';
import { fromBase64 } from '../runtime/base64.js';
import type { TrustAnchor } from '../ports.js';
import { parseCertificate, sha256Base64url, type ParsedCertificate } from './certificate.js';

/** Anchors made by loadTrustAnchors, with their parsed certificate; lookalike objects are absent. */
const PARSED = new WeakMap<TrustAnchor, ParsedCertificate>();

/**
 * Load trust anchors from DER bytes, base64 / base64url DER (as in `x5c`), or PEM text holding one or
 * more CERTIFICATE blocks. Duplicates are dropped. A configuration error (unparseable input, no
 * anchor at all) throws `invalid_argument`: it is the deployment's fault, not the client's.
 */
export async function loadTrustAnchors(derOrBase64: readonly (Uint8Array | string)[]): Promise<TrustAnchor[]> {
  if (!Array.isArray(derOrBase64)) throw invalidArgument('trust anchors must be an array');
  const anchors: TrustAnchor[] = [];
  const seen = new Set<string>();
  for (const [index, item] of derOrBase64.entries()) {
    for (const der of toDerList(item, index)) {
      let parsed: ParsedCertificate;
      try {
        parsed = parseCertificate(der, `trust anchor ${index}`);
      } catch (cause) {
        const message = cause instanceof X509Error ? cause.message : `trust anchor ${index}: cannot parse`;
        throw invalidArgument(message, cause);
      }
      const fingerprint = await sha256Base64url(parsed.der);
      if (seen.has(fingerprint)) continue;
      seen.add(fingerprint);
      const anchor: TrustAnchor = Object.freeze({ der: new Uint8Array(parsed.der), fingerprintS256: fingerprint, subject: parsed.subject });
      PARSED.set(anchor, parsed);
      anchors.push(anchor);
    }
  }
  if (anchors.length === 0) throw invalidArgument('no trust anchor configured');
  return anchors;
}

/** @internal */
export function parsedAnchor(anchor: TrustAnchor): ParsedCertificate {
  const parsed = typeof anchor === 'object' && anchor !== null ? PARSED.get(anchor) : undefined;
  // Hand-made objects that merely look like anchors are refused: only loadTrustAnchors creates them.
  if (parsed === undefined) throw invalidArgument('trust anchors must come from loadTrustAnchors()');
  return parsed;
}

/** The id last computed for a caller's anchor list, with the anchors it was computed from. */
const SET_IDS = new WeakMap<object, { readonly members: readonly TrustAnchor[]; readonly id: string }>();

/**
 * A stable identity of an anchor set (order and duplicates ignored), for cache keys: its sorted
 * fingerprints. `members` are the anchors as read, once, from the caller's `list`; the id is
 * remembered under `list` and used again while the anchors read from it are the same objects.
 */
export function anchorSetId(members: readonly TrustAnchor[], list: object): string {
  const known = SET_IDS.get(list);
  if (known !== undefined && known.members.length === members.length && known.members.every((anchor, i) => anchor === members[i])) return known.id;
  // parsedAnchor refuses lookalikes, so fingerprintS256 is the one loadTrustAnchors computed.
  const fingerprints = [...new Set(members.map((a) => {
    parsedAnchor(a);
    return a.fingerprintS256;
  }))].sort();
  const id = fingerprints.join(',');
  SET_IDS.set(list, { members: members.slice(), id });
  return id;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]*?)-----END CERTIFICATE-----/g;

function toDerList(item: Uint8Array | string, index: number): Uint8Array[] {
  if (item instanceof Uint8Array) return [item];
  if (typeof item !== 'string') {
    throw invalidArgument(`trust anchor ${index}: expected DER bytes or a base64/PEM string`);
  }
  if (item.includes('-----BEGIN')) {
    const blocks = [...item.matchAll(PEM_BLOCK)].map((m) => decodeAnchorText(m[1] ?? '', index));
    if (blocks.length === 0) throw invalidArgument(`trust anchor ${index}: no CERTIFICATE block in PEM`);
    return blocks;
  }
  return [decodeAnchorText(item, index)];
}

/** base64 or base64url DER, padded or not, whitespace ignored; refused unless it decodes exactly. */
function decodeAnchorText(item: string, index: number): Uint8Array {
  const text = item.replace(/\s+/g, '');
  const unpadded = /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) ? text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/') : undefined;
  const der = unpadded === undefined || unpadded.length % 4 === 1 ? undefined : fromBase64(unpadded.padEnd(Math.ceil(unpadded.length / 4) * 4, '='));
  if (der === undefined) throw invalidArgument(`trust anchor ${index}: not base64`);
  return der;
}
