/**
 * The JOSE codec: a link is a JWS compact serialization (RFC 7515) of a JSON claims set with
 * `typ: tmb-link+jwt`; a chain is the links joined by `~`, which cannot occur in JWS compact.
 */
import { CompactSign, compactVerify } from 'jose';
import { LinkError, TransitiveProofError, X509Error } from '../../errors.js';
import { importSigningKey } from '../../keys/keys.js';
import { nestingDepthExceeds, type Limits } from '../../model/limits.js';
import type { Chain, SignatureAlgorithm } from '../../model/types.js';
import type { DecodedLink, LinkCodec, LinkHeader, SignInput, VerificationKey } from '../codec.js';

export const JWT_LINK_TYP = 'tmb-link+jwt';
export const CHAIN_SEPARATOR = '~';

/** Header parameters that supply a key or a key location: never trusted, so never accepted. */
const KEY_PARAMETERS = ['jwk', 'jku', 'x5u'] as const;
const JWS_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const STANDARD_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const JOSE_ALGORITHMS: readonly SignatureAlgorithm[] = ['EdDSA', 'Ed25519', 'ES256', 'ES384', 'PS256'];

const ascii = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

function parseJsonObject(segment: string, what: string, index: number, limits: Limits): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(Buffer.from(segment, 'base64url')));
  } catch (cause) {
    throw new LinkError('link_malformed', index, `link ${index}: ${what} is not base64url-encoded UTF-8 JSON`, { cause });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new LinkError('link_malformed', index, `link ${index}: ${what} is not a JSON object`);
  }
  if (nestingDepthExceeds(value, limits.maxNesting)) {
    throw new LinkError('link_malformed', index, `link ${index}: ${what} nests deeper than ${limits.maxNesting}`);
  }
  return value as Record<string, unknown>;
}

function optionalString(header: Record<string, unknown>, name: string, index: number): string | undefined {
  const value = header[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new LinkError('link_malformed', index, `link ${index}: header "${name}" is not a string`);
  return value;
}

function decodeX5c(value: unknown, index: number, limits: Limits): Uint8Array[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    throw new X509Error('x5c_malformed', `link ${index}: x5c is not a non-empty array`, { linkIndex: index });
  }
  if (value.length > limits.maxCertificates) {
    throw new X509Error('x5c_too_many', `link ${index}: x5c has ${value.length} certificates, more than ${limits.maxCertificates}`, { linkIndex: index });
  }
  return value.map((entry) => {
    // RFC 7515 §4.1.6: standard base64 DER, not base64url.
    if (typeof entry !== 'string' || !STANDARD_BASE64.test(entry)) {
      throw new X509Error('x5c_malformed', `link ${index}: x5c entry is not standard base64`, { linkIndex: index });
    }
    return new Uint8Array(Buffer.from(entry, 'base64'));
  });
}

function decodeHeader(header: Record<string, unknown>, index: number, limits: Limits): LinkHeader {
  const alg = header.alg;
  if (typeof alg !== 'string') throw new LinkError('alg_not_allowed', index, `link ${index}: header "alg" is missing or not a string`);
  const crit = header.crit;
  if (crit !== undefined && (!Array.isArray(crit) || crit.length === 0 || !crit.every((name) => typeof name === 'string'))) {
    throw new LinkError('link_malformed', index, `link ${index}: header "crit" is not a non-empty array of strings`);
  }
  return {
    alg,
    typ: optionalString(header, 'typ', index),
    kid: optionalString(header, 'kid', index),
    x5c: decodeX5c(header.x5c, index, limits),
    keyParameters: KEY_PARAMETERS.filter((name) => name in header),
    crit: crit as string[] | undefined,
  };
}

export const joseCodec: LinkCodec = {
  format: 'jwt',
  supportedAlgorithms: JOSE_ALGORITHMS,
  expectedTyp: JWT_LINK_TYP,

  parseChain(text: string, limits: Limits): Chain {
    let separators = 0;
    for (let at = text.indexOf(CHAIN_SEPARATOR); at !== -1; at = text.indexOf(CHAIN_SEPARATOR, at + 1)) {
      if (++separators >= limits.maxLinks) {
        throw new TransitiveProofError('chain_too_long', `chain has more than ${limits.maxLinks} links`);
      }
    }
    const parts = text.split(CHAIN_SEPARATOR);
    if (parts.some((part) => part.length === 0)) throw new TransitiveProofError('chain_malformed', 'chain has an empty link');
    return { format: 'jwt', links: parts.map((part) => encoder.encode(part)) };
  },

  serializeChain(chain: Chain): string {
    return chain.links.map((link) => ascii.decode(link)).join(CHAIN_SEPARATOR);
  },

  chainToJson(chain: Chain): string[] {
    return chain.links.map((link) => ascii.decode(link));
  },

  chainFromJson(json: unknown, limits: Limits): Chain {
    if (!Array.isArray(json) || json.length === 0) throw new TransitiveProofError('chain_malformed', 'JSON chain is not a non-empty array');
    if (json.length > limits.maxLinks) throw new TransitiveProofError('chain_too_long', `chain has more than ${limits.maxLinks} links`);
    return {
      format: 'jwt',
      links: json.map((entry) => {
        if (typeof entry !== 'string' || entry.length === 0) throw new TransitiveProofError('chain_malformed', 'JSON chain entry is not a non-empty string');
        return encoder.encode(entry);
      }),
    };
  },

  decodeLink(bytes: Uint8Array, index: number, limits: Limits): DecodedLink {
    if (bytes.length > limits.maxLinkBytes) {
      throw new LinkError('chain_too_large', index, `link ${index} is ${bytes.length} bytes, more than ${limits.maxLinkBytes}`);
    }
    const text = ascii.decode(bytes);
    if (!JWS_COMPACT.test(text)) throw new LinkError('link_malformed', index, `link ${index} is not a JWS compact serialization`);
    const [headerPart, payloadPart] = text.split('.') as [string, string, string];
    const rawHeader = parseJsonObject(headerPart, 'protected header', index, limits);
    const header = decodeHeader(rawHeader, index, limits);
    const claims = parseJsonObject(payloadPart, 'payload', index, limits);
    return { index, format: 'jwt', bytes, header, claims, signed: text };
  },

  async verifySignature(link: DecodedLink, key: VerificationKey): Promise<boolean> {
    try {
      await compactVerify(link.signed as string, key.cryptoKey, { algorithms: [link.header.alg] });
      return true;
    } catch {
      return false;
    }
  },

  async signLink(input: SignInput): Promise<Uint8Array> {
    if (!JOSE_ALGORITHMS.includes(input.alg)) {
      throw new TransitiveProofError('invalid_argument', `${input.alg} is not available in the JWT encoding`);
    }
    const key = await importSigningKey(input.privateKey, input.alg);
    const header: Record<string, unknown> = { alg: input.alg, typ: JWT_LINK_TYP };
    if (input.kid !== undefined) header.kid = input.kid;
    if (input.x5c !== undefined) header.x5c = input.x5c.map((der) => Buffer.from(der).toString('base64'));
    const jws = await new CompactSign(encoder.encode(JSON.stringify(input.claims))).setProtectedHeader(header as { alg: string }).sign(key);
    return encoder.encode(jws);
  },

  linkToText(bytes: Uint8Array): string {
    return ascii.decode(bytes);
  },
};
