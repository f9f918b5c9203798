/**
 * The JOSE codec: a link is a JWS compact serialization (RFC 7515) of a JSON claims set with
 * `typ: tmb-link+jwt`; a chain is the links joined by `~`, which cannot occur in JWS compact.
 */
import { verifyBase64url } from '#runtime';
import { linkError, invalidArgument, chainMalformed } from '../../errors.js';
import { importSigningKey, signForAlgorithm } from '../../keys/keys.js';
import { tooManyLinks, type Limits } from '../../model/limits.js';
import type { Chain, SignatureAlgorithm } from '../../model/types.js';
import type { DecodedLink, LinkCodec, SignInput, VerificationKey } from '../../ports.js';
import { toBase64, toBase64url } from '../../runtime/base64.js';
import { latin1Decoder, utf8Encoder } from '../../runtime/text.js';
import { readJws } from './jws.js';
import type { KeyInfo, MaybePromise, SignatureParams } from '../../runtime/types.js';
import { algorithmEntry, linkAlgorithmsOf, signatureParamsFor } from '../../runtime/algorithms.js';

export const JWT_LINK_TYP = 'tmb-link+jwt';
export const CHAIN_SEPARATOR = '~';

const JOSE_ALGORITHMS = linkAlgorithmsOf('jwt') as readonly SignatureAlgorithm[];
const JOSE_ALGORITHM_SET: ReadonlySet<string> = new Set(JOSE_ALGORITHMS);

/**
 * What verifySignature needs, computed once by decodeLink: the link is split and decoded once, and
 * the signature is checked over the exact received bytes (RFC 7515 §5.2), not a re-parse of them.
 */
interface JwsSignedState {
  /** The JWS Signing Input, ASCII(BASE64URL(header) || '.' || BASE64URL(payload)): a view of the link's bytes. */
  signingInput: Uint8Array;
  /** The signature segment (canonical base64url, checked by readJws). */
  signature: string;
}

function isJwsSignedState(value: unknown): value is JwsSignedState {
  const state = value as Partial<JwsSignedState> | null;
  return state !== null && typeof state === 'object' && state.signingInput instanceof Uint8Array && typeof state.signature === 'string';
}

/**
 * The operation for `alg` with `key`, or undefined when the key does not fit (RFC 7518 §3.3–3.5,
 * RFC 8037 §3.1): a public key usable for verification, as the algorithm table says.
 */
function verifyParams(alg: string, key: KeyInfo): SignatureParams | undefined {
  const entry = JOSE_ALGORITHM_SET.has(alg) ? algorithmEntry(alg) : undefined;
  return key.canVerify && entry !== undefined ? signatureParamsFor(entry, key) : undefined;
}

/**
 * Each `~`-separated part of `text` as UTF-8. An ASCII text (every well-formed chain) is encoded in
 * one call and cut into views of that one buffer, a call and a string per link fewer; otherwise
 * part by part, so a separator byte can never be mistaken inside a multi-byte character.
 */
function encodeLinks(text: string): Uint8Array[] {
  // Into a buffer of one byte per code unit (encodeInto into a plain Uint8Array costs about half of
  // encode(), which allocates its result through the runtime). Every non-ASCII code unit takes at
  // least 2 bytes (a lone surrogate 3), so the whole text read and exactly as many bytes written
  // means ASCII; anything else stops short and takes the part-by-part way.
  const all = new Uint8Array(text.length);
  const { read, written } = utf8Encoder.encodeInto(text, all);
  if (read !== text.length || written !== text.length) return text.split(CHAIN_SEPARATOR).map((part) => utf8Encoder.encode(part));
  const links: Uint8Array[] = [];
  let start = 0;
  for (let at = text.indexOf(CHAIN_SEPARATOR); at !== -1; at = text.indexOf(CHAIN_SEPARATOR, at + 1)) {
    links.push(all.subarray(start, at));
    start = at + 1;
  }
  links.push(all.subarray(start));
  return links;
}

export const joseCodec: LinkCodec = {
  format: 'jwt',
  supportedAlgorithms: JOSE_ALGORITHMS,
  expectedTyp: JWT_LINK_TYP,

  parseChain(text: string, limits: Limits): Chain {
    // One scan finds the count (step 2), an empty link (step 2) and link 0's end (step 3's first check).
    let separators = 0;
    let firstSeparator = -1;
    let previous = -1;
    let emptyLink = false;
    for (let at = text.indexOf(CHAIN_SEPARATOR); at !== -1; at = text.indexOf(CHAIN_SEPARATOR, at + 1)) {
      if (++separators >= limits.maxLinks) {
        throw tooManyLinks(limits);
      }
      if (at === previous + 1) emptyLink = true;
      if (firstSeparator === -1) firstSeparator = at;
      previous = at;
    }
    if (emptyLink || previous === text.length - 1) throw chainMalformed('chain has an empty link');
    // Link 0's size check is the first check of step 3, so an oversized link 0 is chain_too_large
    // whatever follows: refused here, from its length, before splitting and encoding up to a MiB of
    // text. (A UTF-8 encoding has at least as many bytes as the text has UTF-16 units.)
    const firstLength = firstSeparator === -1 ? text.length : firstSeparator;
    if (firstLength > limits.maxLinkBytes) {
      throw linkError('chain_too_large', 0, `is at least ${firstLength} bytes, more than ${limits.maxLinkBytes}`);
    }
    return { format: 'jwt', links: encodeLinks(text) };
  },

  serializeChain(chain: Chain): string {
    return chain.links.map((link) => latin1Decoder.decode(link)).join(CHAIN_SEPARATOR);
  },

  chainToJson(chain: Chain): string[] {
    return chain.links.map((link) => latin1Decoder.decode(link));
  },

  chainFromJson(json: unknown, limits: Limits): Chain {
    if (!Array.isArray(json) || json.length === 0) throw chainMalformed('JSON chain is not a non-empty array');
    if (json.length > limits.maxLinks) throw tooManyLinks(limits);
    return {
      format: 'jwt',
      links: json.map((entry) => {
        if (typeof entry !== 'string' || entry.length === 0) throw chainMalformed('JSON chain entry is not a non-empty string');
        return utf8Encoder.encode(entry);
      }),
    };
  },

  decodeLink(bytes: Uint8Array, index: number, limits: Limits): DecodedLink {
    if (bytes.length > limits.maxLinkBytes) {
      throw linkError('chain_too_large', index, `is ${bytes.length} bytes, more than ${limits.maxLinkBytes}`);
    }
    const read = readJws(bytes, index, limits);
    const signed: JwsSignedState = { signingInput: read.signingInput, signature: read.signature };
    return { index, format: 'jwt', bytes, header: read.header, claims: read.payload, signed };
  },

  verifySignature(link: DecodedLink, key: VerificationKey): MaybePromise<boolean> {
    // Step 4 already held alg to the allow-list and this encoding, and step 7 to the key's type;
    // verifyParams checks the key against alg once more, here, where the key is used.
    if (link.format !== 'jwt' || !isJwsSignedState(link.signed)) return false;
    const params = verifyParams(link.header.alg ?? '', key.key.info);
    if (params === undefined) return false;
    return verifyBase64url(params, key.key, link.signed.signature, link.signed.signingInput);
  },

  async signLink(input: SignInput): Promise<Uint8Array> {
    if (!JOSE_ALGORITHMS.includes(input.alg)) {
      throw invalidArgument(`${input.alg} is not available in the JWT encoding`);
    }
    const key = await importSigningKey(input.privateKey, input.alg);
    // An absent kid or x5c is an undefined member, which JSON.stringify leaves out.
    const header = { alg: input.alg, typ: JWT_LINK_TYP, kid: input.kid, x5c: input.x5c?.map(toBase64) };
    // RFC 7515 §7.1: BASE64URL(UTF8(header)) '.' BASE64URL(payload), signed by the one signer of both
    // encodings (lib/keys signForAlgorithm: the table's operation, the key checked to fit it). The
    // JWS signature is WebCrypto's output as is: Ed25519's 64 bytes, ECDSA's r || s (RFC 7518 §3.4).
    const signingInput = `${toBase64url(utf8Encoder.encode(JSON.stringify(header)))}.${toBase64url(utf8Encoder.encode(JSON.stringify(input.claims)))}`;
    const signature = await signForAlgorithm(input.alg, key, utf8Encoder.encode(signingInput));
    return utf8Encoder.encode(`${signingInput}.${toBase64url(signature)}`);
  },

  signedContent(bytes: Uint8Array): Uint8Array {
    // RFC 7515 §5.2: ASCII(BASE64URL(header) || '.' || BASE64URL(payload)), everything before the last '.'.
    return bytes.subarray(0, bytes.lastIndexOf(0x2e));
  },

  linkToText(bytes: Uint8Array): string {
    return latin1Decoder.decode(bytes);
  },
};
