/**
 * The COSE codec: a link is a tagged COSE_Sign1 whose payload is a CWT claims set; a chain is a
 * definite-length CBOR array of those tagged items, root first, and its text form is the base64url
 * (no padding) of that array. Each link keeps the exact bytes it was received as, a view of the
 * chain's decoded bytes (as a JWT link is a view of its chain's), since the next link's `prev`
 * hashes them.
 */
import { chainMalformed, CoseError, LinkError, TransitiveProofError, invalidArgument, X509Error } from '../../errors.js';
import { chainTooLarge, tooManyLinks, type Limits } from '../../model/limits.js';
import type { Chain, SignatureAlgorithm } from '../../model/types.js';
import { SIGNATURE_ALGORITHMS } from '../../runtime/algorithms.js';
import type { DecodedLink, LinkCodec, LinkHeader, SignInput, VerificationKey } from '../../ports.js';
import type { MaybePromise } from '../../runtime/types.js';
import { algorithmName, verifyBytes } from './algorithms.js';
import { importSigningKey } from '../../keys/keys.js';
import { fromBase64url, toBase64url } from './base64url.js';
import { concatBytes, encodeHead, isShortestHead, readHead, scanItem, type CborMap } from './cbor.js';
import { decodeClaims, encodeClaims } from './claims.js';
import { HeaderLabel } from './headers.js';
import { decodeSign1Views, signSign1, sigStructure, sigStructureParts } from './sign1.js';

/** The explicit type of a link (RFC 9596 `typ`, label 16). */
export const COSE_LINK_TYP = 'tmb-link+cwt';

const COSE_ALGORITHMS: readonly SignatureAlgorithm[] = SIGNATURE_ALGORITHMS;

/** What `verifySignature` needs, computed once by `decodeLink`. */
interface SignedState {
  alg: number;
  /** The Sig_structure as the byte strings it is the concatenation of (sigStructureParts): joined where it is checked. */
  toBeSigned: readonly Uint8Array[];
  signature: Uint8Array;
}

function isSignedState(value: unknown): value is SignedState {
  const state = value as Partial<SignedState> | null;
  return typeof state?.alg === 'number' && Array.isArray(state.toBeSigned) && state.signature instanceof Uint8Array;
}

/** Attach the link index, keeping the error's class and code. */
function atIndex(error: unknown, index: number): TransitiveProofError {
  if (!(error instanceof TransitiveProofError)) {
    return new LinkError('link_malformed', index, `link ${index}: unexpected failure while decoding`, { cause: error });
  }
  if (error.linkIndex === index) return error;
  const message = `link ${index}: ${error.message}`;
  if (error instanceof CoseError) return new CoseError(error.code, message, { linkIndex: index, cause: error });
  if (error instanceof X509Error) return new X509Error(error.code, message, { linkIndex: index, cause: error, rule: error.rule });
  return new LinkError(error.code, index, message, { cause: error });
}

/**
 * Split the chain's CBOR array into the exact bytes of each element, checking bounds first. The
 * links are views of `bytes`, which must be the caller's own fresh buffer (a copy per link cost
 * an allocation each, about a microsecond).
 */
function splitChain(bytes: Uint8Array, limits: Limits): Uint8Array[] {
  const head = readHead(bytes, 0);
  if (head.major === 4 && head.info === 31) throw new CoseError('cbor_indefinite_length', 'chain is an indefinite-length array');
  if (head.major !== 4) throw chainMalformed('chain is not a CBOR array');
  if (head.value === 0) throw chainMalformed('chain has no links');
  if (head.value > limits.maxLinks) throw tooManyLinks(limits);
  if (!isShortestHead(head)) {
    throw new CoseError('cbor_not_deterministic', 'chain array head is not in shortest form');
  }
  const links: Uint8Array[] = [];
  let at = head.next;
  for (let index = 0; index < head.value; index++) {
    const end = elementEnd(bytes, at, index, limits);
    links.push(bytes.subarray(at, end));
    at = end;
  }
  if (at !== bytes.length) throw new CoseError('cbor_trailing_bytes', `${bytes.length - at} bytes after the chain array`);
  return links;
}

/**
 * Step 2 for element `index` of either form (SPEC-NOTES.md §4.3.3), every element before link 0 is
 * decoded: one walk of the item starting at `at` against the CBOR profile, nesting counted from the
 * envelope array, byte string contents not entered; then its size. Returns where the item ends.
 */
function elementEnd(bytes: Uint8Array, at: number, index: number, limits: Limits): number {
  let end: number;
  try {
    end = scanItem(bytes, at, { maxDepth: limits.maxNesting + 1, allowRootTag: true }).end;
  } catch (error) {
    throw atIndex(error, index);
  }
  if (end - at > limits.maxLinkBytes) {
    throw new LinkError('chain_too_large', index, `link ${index} is ${end - at} bytes, more than ${limits.maxLinkBytes}`);
  }
  return end;
}

/** Text up to this length is decoded in full before its array head is looked at (about 3 KiB). */
export const EARLY_REFUSAL_MIN_LENGTH = 4096;

/**
 * False when the first 12 characters already decide chain_malformed, the code the full check gives
 * both for text that is not base64url and for a chain that is not a non-empty array: so garbage is
 * refused without decoding (up to a MiB of) the rest. Any other verdict waits for the full check,
 * whose order (base64url first, then the array head) decides between the other codes.
 */
function mayBeChainArray(text: string): boolean {
  // Shorter text costs less to decode in full than a signature check: only longer text gains.
  if (text.length <= EARLY_REFUSAL_MIN_LENGTH) return true;
  // 12 characters are exactly 9 bytes, enough for any head (1 + 8 bytes).
  const prefix = fromBase64url(text.slice(0, 12));
  if (prefix === undefined) return false;
  let head;
  try {
    head = readHead(prefix, 0);
  } catch {
    return true;
  }
  return head.major === 4 && (head.info === 31 || head.value !== 0);
}

function decodeBase64url(text: string, what: string): Uint8Array {
  const bytes = fromBase64url(text);
  if (bytes === undefined || bytes.length === 0) throw chainMalformed(`${what} is not non-empty base64url without padding`);
  return bytes;
}

export const coseCodec: LinkCodec & { readonly supportedAlgorithms: readonly SignatureAlgorithm[]; readonly expectedTyp: string } = {
  format: 'cwt',
  supportedAlgorithms: COSE_ALGORITHMS,
  expectedTyp: COSE_LINK_TYP,

  parseChain(text: string, limits: Limits): Chain {
    if (text.length > limits.maxChainBytes) throw chainTooLarge(limits);
    if (!mayBeChainArray(text)) throw chainMalformed('chain is not a CBOR array');
    const bytes = decodeBase64url(text, 'chain');
    return { format: 'cwt', links: splitChain(bytes, limits) };
  },

  serializeChain(chain: Chain): string {
    return toBase64url(concatBytes(encodeHead(4, chain.links.length), ...chain.links));
  },

  chainToJson(chain: Chain): string[] {
    return chain.links.map(toBase64url);
  },

  chainFromJson(json: unknown, limits: Limits): Chain {
    if (!Array.isArray(json) || json.length === 0) throw chainMalformed('JSON chain is not a non-empty array');
    if (json.length > limits.maxLinks) throw tooManyLinks(limits);
    let total = 0;
    const links = json.map((entry: unknown, index: number) => {
      if (typeof entry !== 'string') throw chainMalformed(`JSON chain entry ${index} is not a string`);
      total += entry.length;
      if (total > limits.maxChainBytes) throw chainTooLarge(limits);
      return decodeBase64url(entry, `JSON chain entry ${index}`);
    });
    // Each element walked as the compact form's are, so both forms report the same first fault.
    links.forEach((link, index) => {
      if (elementEnd(link, 0, index, limits) !== link.length) {
        throw new CoseError('cbor_trailing_bytes', `link ${index}: bytes after the COSE_Sign1 item`, { linkIndex: index });
      }
    });
    return { format: 'cwt', links };
  },

  decodeLink(bytes: Uint8Array, index: number, limits: Limits): DecodedLink {
    try {
      if (bytes.length > limits.maxLinkBytes) {
        throw new TransitiveProofError('chain_too_large', `link is ${bytes.length} bytes, more than ${limits.maxLinkBytes}`);
      }
      const message = decodeSign1Views(bytes, 'link', limits);
      const claims = decodeClaims(message.payload, limits);
      const { headers } = message;
      const header: LinkHeader = {
        alg: headers.alg === undefined ? undefined : algorithmName(headers.alg),
        typ: headers.typ,
        kid: headers.kid,
        x5c: headers.x5chain,
        keyParameters: headers.keyParameters,
        crit: headers.crit,
      };
      // Without alg (refused at step 4.4) no signature is ever checked: NaN names no algorithm.
      const signed: SignedState = { alg: headers.alg ?? Number.NaN, toBeSigned: sigStructureParts(message), signature: message.signature };
      if (headers.ready === undefined) return { index, format: 'cwt', bytes, header, claims, signed };
      const ready = headers.ready.catch((error: unknown) => {
        throw atIndex(error, index);
      });
      ready.catch(() => undefined); // awaited by the verifier; a display-only decode may never look
      return { index, format: 'cwt', bytes, header, claims, signed, ready };
    } catch (error) {
      throw atIndex(error, index);
    }
  },

  verifySignature(link: DecodedLink, key: VerificationKey): MaybePromise<boolean> {
    if (link.format !== 'cwt' || !isSignedState(link.signed)) return false;
    return verifyBytes(link.signed.alg, key.key, link.signed.toBeSigned, link.signed.signature, 'link');
  },

  async signLink(input: SignInput): Promise<Uint8Array> {
    if (!COSE_ALGORITHMS.includes(input.alg)) {
      throw invalidArgument(`${input.alg} is not available in the CWT encoding`);
    }
    const key = await importSigningKey(input.privateKey, input.alg);
    const protectedHeader: CborMap = new Map();
    protectedHeader.set(HeaderLabel.typ, COSE_LINK_TYP);
    if (input.kid !== undefined) protectedHeader.set(HeaderLabel.kid, new TextEncoder().encode(input.kid));
    if (input.x5c !== undefined && input.x5c.length > 0) {
      // RFC 9360: a single certificate is a bare bstr, several an array (leaf first).
      protectedHeader.set(HeaderLabel.x5chain, input.x5c.length === 1 ? (input.x5c[0] as Uint8Array) : [...input.x5c]);
    }
    return signSign1({ alg: input.alg, protectedHeader, payload: encodeClaims(input.claims), key });
  },

  signedContent(bytes: Uint8Array, limits: Limits): Uint8Array {
    return sigStructure(decodeSign1Views(bytes, 'link', limits));
  },

  linkToText(bytes: Uint8Array): string {
    return toBase64url(bytes);
  },
};
