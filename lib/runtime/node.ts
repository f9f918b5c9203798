/**
 * The Node backend of the runtime seam (see types.ts): node:crypto with KeyObjects, so a signature
 * check is one synchronous call, with no promise and no thread-pool hop per link.
 */
import * as nodeCrypto from 'node:crypto';
import { CURVE_BYTES } from './algorithms.js';
import { generateKeyPairWith, importPrivateJwkWith, type JwkPair, type SubtleKeys } from './private-keys.js';
import { joinParts, keyInfoFromAlgorithm, rsaVerificationFits, type KeyImportParams, type KeyInfo, type RuntimeKey, type SignatureParams, type SpkiImportParams, type WebCryptoKey } from './types.js';

export const name = 'node';

// One-shot crypto.hash (Node >= 20.12) costs about half of createHash().update().digest() on a
// link-sized input; older Node 20 releases lack it, so it is looked up, not imported by name.
type OneShotHash = {
  (algorithm: string, data: Uint8Array | string, encoding: 'base64url'): string;
  (algorithm: string, data: Uint8Array | string, encoding: 'buffer'): Buffer;
};
const oneShotHash = (nodeCrypto as { hash?: OneShotHash }).hash;

export function sha256(data: Uint8Array | string): Uint8Array {
  const digest = oneShotHash === undefined ? nodeCrypto.createHash('sha256').update(data).digest() : oneShotHash('sha256', data, 'buffer');
  return new Uint8Array(digest); // a copy: a Buffer may be a view of a shared pool
}

export function sha256Base64url(data: Uint8Array | string): string {
  return oneShotHash === undefined ? nodeCrypto.createHash('sha256').update(data).digest('base64url') : oneShotHash('sha256', data, 'base64url');
}

export function randomUUID(): string {
  return nodeCrypto.randomUUID();
}

/** Node's names of the curves WebCrypto names P-256, P-384, P-521. */
const NODE_CURVES: Readonly<Record<string, string>> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

interface NodeKey extends RuntimeKey {
  readonly native: nodeCrypto.KeyObject;
}

/**
 * The same refusals as WebCrypto's importKey('jwk', ..., params, ['verify']): a public key of the
 * algorithm's type and, for ECDSA, curve. createPublicKey checks the point is on the curve.
 */
export async function importPublicJwk(jwk: Readonly<Record<string, unknown>>, params: KeyImportParams): Promise<RuntimeKey> {
  if ('d' in jwk) throw new Error('not a public key');
  const keyObject = nodeCrypto.createPublicKey({ key: jwk as nodeCrypto.JsonWebKey, format: 'jwk' });
  const type = keyObject.asymmetricKeyType;
  const details = keyObject.asymmetricKeyDetails ?? {};
  let info: KeyInfo;
  switch (params.name) {
    case 'Ed25519':
      if (type !== 'ed25519') throw new Error('not an Ed25519 key');
      info = { canVerify: true, name: 'Ed25519' };
      break;
    case 'ECDSA': {
      const curve = NODE_CURVES[details.namedCurve ?? ''];
      if (type !== 'ec' || curve !== params.namedCurve) throw new Error(`not an ECDSA ${params.namedCurve} key`);
      info = { canVerify: true, name: 'ECDSA', namedCurve: curve };
      break;
    }
    case 'RSA-PSS':
      if (type !== 'rsa' || details.modulusLength === undefined) throw new Error('not an RSA key');
      info = { canVerify: true, name: 'RSA-PSS', hash: params.hash, modulusLength: details.modulusLength };
      break;
  }
  const key: NodeKey = { info, native: keyObject };
  return key;
}

/** The hashes WebCrypto's RSA imports take, by name. */
const RSA_IMPORT_HASHES: ReadonlySet<string> = new Set(['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']);

/**
 * The refusals of Node's own WebCrypto importKey('spki', …, params, true, ['verify']), which reads
 * the DER with createPublicKey and then checks the key's type (and, for ECDSA, curve): the same
 * here, without a CryptoKey and its transferable wrapper per import.
 */
export async function importPublicSpki(spki: Uint8Array, params: SpkiImportParams): Promise<RuntimeKey> {
  const keyObject = nodeCrypto.createPublicKey({ key: Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength), format: 'der', type: 'spki' });
  const type = keyObject.asymmetricKeyType;
  const details = keyObject.asymmetricKeyDetails ?? {};
  let info: KeyInfo;
  switch (params.name) {
    case 'Ed25519':
    case 'Ed448':
      if (type !== params.name.toLowerCase()) throw new Error(`not an ${params.name} key`);
      info = { canVerify: true, name: params.name };
      break;
    case 'ECDSA': {
      if (params.namedCurve === undefined || !(params.namedCurve in CURVE_BYTES)) throw new Error('ECDSA needs a supported namedCurve');
      const curve = NODE_CURVES[details.namedCurve ?? ''];
      if (type !== 'ec' || curve !== params.namedCurve) throw new Error(`not an ECDSA ${params.namedCurve} key`);
      info = { canVerify: true, name: 'ECDSA', namedCurve: curve };
      break;
    }
    case 'RSA-PSS':
    case 'RSASSA-PKCS1-v1_5':
      if (params.hash === undefined || !RSA_IMPORT_HASHES.has(params.hash)) throw new Error(`${params.name} needs a hash`);
      if (type !== 'rsa' || details.modulusLength === undefined) throw new Error('not an RSA key');
      info = { canVerify: true, name: params.name, hash: params.hash, modulusLength: details.modulusLength };
      break;
    default:
      throw new Error(`${params.name} keys cannot verify`);
  }
  const key: NodeKey = { info, native: keyObject };
  return key;
}

export function fromWebCryptoKey(key: WebCryptoKey): RuntimeKey {
  const info = keyInfoFromAlgorithm(key.type, key.usages, key.algorithm as unknown as Record<string, unknown>);
  const native = nodeCrypto.KeyObject.from(key as unknown as nodeCrypto.webcrypto.CryptoKey);
  const wrapped: NodeKey = { info, native };
  return wrapped;
}

export async function exportPublicJwk(key: RuntimeKey): Promise<Record<string, unknown>> {
  const native = key.native;
  if (!(native instanceof nodeCrypto.KeyObject) || native.type !== 'public') throw new Error('not a public key');
  return native.export({ format: 'jwk' }) as Record<string, unknown>;
}

const NODE_HASH: Readonly<Record<string, string>> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

export async function sign(params: SignatureParams, key: WebCryptoKey, data: Uint8Array): Promise<Uint8Array> {
  // Private keys arrive as WebCrypto keys (jose imports them); node:crypto's WebCrypto signs them.
  return new Uint8Array(await nodeCrypto.webcrypto.subtle.sign(params, key as unknown as nodeCrypto.webcrypto.CryptoKey, data));
}

export function importPrivateJwk(jwk: Readonly<Record<string, unknown>>, params: KeyImportParams): Promise<WebCryptoKey> {
  return importPrivateJwkWith(nodeCrypto.webcrypto.subtle as unknown as SubtleKeys, jwk, params);
}

export function generateKeyPair(params: KeyImportParams): Promise<JwkPair> {
  return generateKeyPairWith(nodeCrypto.webcrypto.subtle as unknown as SubtleKeys, params);
}

export function verify(params: SignatureParams, key: RuntimeKey, signature: Uint8Array, data: Uint8Array): boolean {
  const native = key.native;
  if (!(native instanceof nodeCrypto.KeyObject) || !key.info.canVerify) return false;
  try {
    switch (params.name) {
      case 'Ed25519':
      case 'Ed448':
        return key.info.name === params.name && nodeCrypto.verify(null, data, native, signature);
      case 'ECDSA': {
        // WebCrypto refuses an IEEE P1363 signature of the wrong length outright; so does this.
        const coordinate = key.info.name === 'ECDSA' ? CURVE_BYTES[key.info.namedCurve as keyof typeof CURVE_BYTES] : undefined;
        if (coordinate === undefined || signature.byteLength !== 2 * coordinate) return false;
        return nodeCrypto.verify(NODE_HASH[params.hash], data, { key: native, dsaEncoding: 'ieee-p1363' }, signature);
      }
      case 'RSA-PSS':
        // MGF1 uses the signature's hash, as WebCrypto's RSA-PSS does. The key made for this
        // algorithm and hash, a signature of exactly k octets (types.ts: OpenSSL takes a shorter one).
        if (!rsaVerificationFits(params, key.info, signature)) return false;
        return nodeCrypto.verify(NODE_HASH[params.hash], data, { key: native, padding: nodeCrypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength }, signature);
      case 'RSASSA-PKCS1-v1_5':
        // As WebCrypto: the key made for this algorithm and hash; a signature of exactly k octets.
        if (!rsaVerificationFits(params, key.info, signature)) return false;
        return nodeCrypto.verify(NODE_HASH[params.hash], data, { key: native, padding: nodeCrypto.constants.RSA_PKCS1_PADDING }, signature);
    }
  } catch {
    return false;
  }
}

/**
 * One buffer for the signatures verifyBase64url decodes, reused by every check: node:crypto.verify
 * is synchronous and keeps nothing it was given, so a signature written here is read and done with
 * before the next is written. A fresh copy per check (decodeCanonicalBase64, then materialised as
 * an off-heap backing store when handed to node:crypto) cost 0.8 µs per check over the raw call in a
 * tight loop, this 0.4, and left a backing store per link until V8's next collection (BENCHMARKS.md,
 * "Issue #27 target 1: ES256, third round"). 1,024 bytes: RSA-8192; a longer text is copied.
 */
const signatureScratch = Buffer.alloc(1024);
/** Base64 text of at most this many characters decodes to at most signatureScratch.length bytes. */
const SCRATCH_TEXT_LENGTH = Math.floor(signatureScratch.length / 3) * 4;

/**
 * One buffer for the data verifyParts joins, reused by every check, as signatureScratch is: node:crypto.verify is
 * synchronous and keeps nothing, so the data written here is read and done with before the next is written.
 * A fresh Sig_structure per link (an ArrayBuffer of some 450 bytes, made when the link was decoded and
 * held until V8's next collection) cost 10-17 % of a one-link CWT verification's non-signature work
 * and 5-7 % of an 8-link one (BENCHMARKS.md, "CWT, fourth round"). 16 KiB and 64 bytes: the
 * Sig_structure of a link within the default maxLinkBytes; longer data is joined into its own buffer.
 */
const dataScratch = new Uint8Array(16 * 1024 + 64);

export function verifyParts(params: SignatureParams, key: RuntimeKey, signature: Uint8Array, parts: readonly Uint8Array[]): boolean {
  return verify(params, key, signature, joinParts(parts, dataScratch));
}

export function verifyBase64url(params: SignatureParams, key: RuntimeKey, signature: string, data: Uint8Array): boolean {
  if (signature.length > SCRATCH_TEXT_LENGTH) return verify(params, key, decodeCanonicalBase64(signature, true), data);
  const length = signatureScratch.write(signature, 0, 'base64url');
  return verify(params, key, signatureScratch.subarray(0, length), data);
}

export function encodeBase64(bytes: Uint8Array, url: boolean): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(url ? 'base64url' : 'base64');
}

export function decodeCanonicalBase64(text: string, url: boolean): Uint8Array {
  const buffer = Buffer.from(text, url ? 'base64url' : 'base64');
  // Buffer decodes a short text into a slice of its shared pool, which is copied (a view would
  // expose the pool through .buffer), and a long one (4 KiB and more) into an ArrayBuffer of its
  // own, exactly as long: that one is handed out as a plain view, not copied (1.5 µs at 4 KiB).
  if (buffer.byteOffset === 0 && buffer.buffer.byteLength === buffer.length) return new Uint8Array(buffer.buffer, 0, buffer.length);
  return new Uint8Array(buffer);
}

const utf8Fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * One buffer for the bytes decodeBase64urlUtf8 decodes (a JWS header or payload), reused by every
 * call: the bytes are decoded to a string at once (a string of its own, which no later write here
 * changes) and nothing else reads them. Buffer.from took a fresh slice of Buffer's shared pool per
 * segment, so each link moved the pool on by its payload's size, and a new 8 KiB pool every few
 * links; this touches the same 4 KiB. A longer text (a payload of more than 4 KiB) is decoded as before.
 */
const textScratch = Buffer.alloc(4096);
/** Base64 text of at most this many characters decodes to at most textScratch.length bytes. */
const SCRATCH_JSON_TEXT_LENGTH = Math.floor(textScratch.length / 3) * 4;

export function decodeBase64urlUtf8(text: string): string {
  if (text.length > SCRATCH_JSON_TEXT_LENGTH) return utf8Fatal.decode(Buffer.from(text, 'base64url'));
  const length = textScratch.write(text, 0, 'base64url');
  return utf8Fatal.decode(textScratch.subarray(0, length));
}

export function byteText(bytes: Uint8Array): string {
  // A view, no copy; 'latin1' maps each byte to the code point of its value ('ascii' would clear
  // the high bit, so a non-ASCII byte would read as an ASCII character).
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
