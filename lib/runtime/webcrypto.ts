/**
 * The Web API backend of the runtime seam (see types.ts): WebCrypto (`crypto.subtle`, so digests
 * and signature checks are asynchronous), `atob`/`btoa` or `Uint8Array.fromBase64` where present.
 * Browsers, Deno, workers and edge runtimes load this one.
 */
import { generateKeyPairWith, importPrivateJwkWith, type JwkPair, type SubtleKeys } from './private-keys.js';
import { latin1Decoder, utf8Encoder } from './text.js';
import { joinParts, keyInfoFromAlgorithm, rsaVerificationFits, type KeyImportParams, type RuntimeKey, type SignatureParams, type SpkiImportParams, type WebCryptoKey } from './types.js';

export const name = 'webcrypto';

/** The slice of the Web Crypto API used here, typed structurally (no DOM lib needed). */
interface SubtleLike {
  digest(algorithm: string, data: Uint8Array): Promise<ArrayBuffer>;
  importKey(format: 'jwk', key: object, algorithm: object, extractable: boolean, usages: string[]): Promise<WebCryptoKey>;
  importKey(format: 'spki', key: Uint8Array, algorithm: object, extractable: boolean, usages: string[]): Promise<WebCryptoKey>;
  exportKey(format: 'jwk', key: WebCryptoKey): Promise<Record<string, unknown>>;
  verify(algorithm: object, key: WebCryptoKey, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
  sign(algorithm: object, key: WebCryptoKey, data: Uint8Array): Promise<ArrayBuffer>;
}
interface CryptoLike {
  readonly subtle: SubtleLike;
  getRandomValues<T extends Uint8Array>(array: T): T;
  randomUUID?(): string;
}
interface Base64Globals {
  atob(text: string): string;
  btoa(text: string): string;
}
const webCrypto = (globalThis as unknown as { crypto: CryptoLike }).crypto;
const base64Globals = globalThis as unknown as Base64Globals;

export async function sha256(data: Uint8Array | string): Promise<Uint8Array> {
  return new Uint8Array(await webCrypto.subtle.digest('SHA-256', typeof data === 'string' ? utf8Encoder.encode(data) : data));
}

export async function sha256Base64url(data: Uint8Array | string): Promise<string> {
  return encodeBase64(await sha256(data), true);
}

export function randomUUID(): string {
  if (typeof webCrypto.randomUUID === 'function') return webCrypto.randomUUID();
  // randomUUID exists only in secure contexts; elsewhere the same 122 random bits, formatted.
  const bytes = webCrypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return hex.replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-'); // 8-4-4-4-12
}

export async function importPublicJwk(jwk: Readonly<Record<string, unknown>>, params: KeyImportParams): Promise<RuntimeKey> {
  if ('d' in jwk) throw new Error('not a public key');
  const key = await webCrypto.subtle.importKey('jwk', { ...jwk, ext: true }, params, true, ['verify']);
  return fromWebCryptoKey(key);
}

export async function importPublicSpki(spki: Uint8Array, params: SpkiImportParams): Promise<RuntimeKey> {
  return fromWebCryptoKey(await webCrypto.subtle.importKey('spki', spki, params, true, ['verify']));
}

export function fromWebCryptoKey(key: WebCryptoKey): RuntimeKey {
  return { info: keyInfoFromAlgorithm(key.type, key.usages, key.algorithm as unknown as Record<string, unknown>), native: key };
}

export async function exportPublicJwk(key: RuntimeKey): Promise<Record<string, unknown>> {
  const native = key.native as WebCryptoKey;
  if (native.type !== 'public') throw new Error('not a public key');
  return webCrypto.subtle.exportKey('jwk', native);
}

export async function sign(params: SignatureParams, key: WebCryptoKey, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await webCrypto.subtle.sign(params, key, data));
}

export function importPrivateJwk(jwk: Readonly<Record<string, unknown>>, params: KeyImportParams): Promise<WebCryptoKey> {
  return importPrivateJwkWith(webCrypto.subtle as unknown as SubtleKeys, jwk, params);
}

export function generateKeyPair(params: KeyImportParams): Promise<JwkPair> {
  return generateKeyPairWith(webCrypto.subtle as unknown as SubtleKeys, params);
}

export async function verify(params: SignatureParams, key: RuntimeKey, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
  if (!key.info.canVerify) return false;
  // RSA: the key made for this algorithm and hash, a signature of exactly k octets (types.ts).
  if ((params.name === 'RSA-PSS' || params.name === 'RSASSA-PKCS1-v1_5') && !rsaVerificationFits(params, key.info, signature)) return false;
  try {
    return await webCrypto.subtle.verify(params, key.native as WebCryptoKey, signature, data);
  } catch {
    return false;
  }
}

type Base64Codec = { toBase64?(options?: { alphabet?: string; omitPadding?: boolean }): string };
type Base64Decoder = { fromBase64?(text: string, options?: { alphabet?: string }): Uint8Array };
const nativeDecoder = (Uint8Array as unknown as Base64Decoder).fromBase64;

export function encodeBase64(bytes: Uint8Array, url: boolean): string {
  const native = (bytes as unknown as Base64Codec).toBase64;
  if (typeof native === 'function') return native.call(bytes, url ? { alphabet: 'base64url', omitPadding: true } : {});
  let binary = '';
  for (let at = 0; at < bytes.byteLength; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  const text = base64Globals.btoa(binary);
  return url ? text.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_') : text;
}

export function decodeCanonicalBase64(text: string, url: boolean): Uint8Array {
  if (typeof nativeDecoder === 'function') return nativeDecoder.call(Uint8Array, text, { alphabet: url ? 'base64url' : 'base64' });
  const binary = base64Globals.atob(url ? text.replace(/-/g, '+').replace(/_/g, '/') : text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// A fresh buffer: WebCrypto copies `data` anyway, and a reused one would rest on when it does.
export function verifyParts(params: SignatureParams, key: RuntimeKey, signature: Uint8Array, parts: readonly Uint8Array[]): Promise<boolean> {
  return verify(params, key, signature, joinParts(parts));
}

export function verifyBase64url(params: SignatureParams, key: RuntimeKey, signature: string, data: Uint8Array): Promise<boolean> {
  return verify(params, key, decodeCanonicalBase64(signature, true), data);
}

const utf8Fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function decodeBase64urlUtf8(text: string): string {
  return utf8Fatal.decode(decodeCanonicalBase64(text, true));
}

export function byteText(bytes: Uint8Array): string {
  return latin1Decoder.decode(bytes);
}
