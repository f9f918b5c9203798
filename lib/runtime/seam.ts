/**
 * The type of `#runtime` for the compiler: package.json points the `types` condition here, so code
 * above the seam is checked against the contract both backends meet (MaybePromise where one is
 * asynchronous), not against either backend. Declarations only: nothing loads this at run time.
 */
import type { KeyImportParams, MaybePromise, RuntimeBackend, RuntimeKey, SignatureParams, SpkiImportParams, WebCryptoKey } from './types.js';

export declare const name: RuntimeBackend['name'];
export declare function sha256(data: Uint8Array | string): MaybePromise<Uint8Array>;
export declare function sha256Base64url(data: Uint8Array | string): MaybePromise<string>;
export declare function randomUUID(): string;
export declare function importPublicJwk(jwk: Readonly<Record<string, unknown>>, params: KeyImportParams): Promise<RuntimeKey>;
export declare function importPublicSpki(spki: Uint8Array, params: SpkiImportParams): Promise<RuntimeKey>;
export declare function fromWebCryptoKey(key: WebCryptoKey): RuntimeKey;
export declare function exportPublicJwk(key: RuntimeKey): Promise<Record<string, unknown>>;
export declare function sign(params: SignatureParams, key: WebCryptoKey, data: Uint8Array): Promise<Uint8Array>;
export declare function importPrivateJwk(jwk: Readonly<Record<string, unknown>>, params: KeyImportParams): Promise<WebCryptoKey>;
export declare function generateKeyPair(params: KeyImportParams): Promise<{ privateJwk: Record<string, unknown>; publicJwk: Record<string, unknown> }>;
export declare function verify(params: SignatureParams, key: RuntimeKey, signature: Uint8Array, data: Uint8Array): MaybePromise<boolean>;
export declare function verifyParts(params: SignatureParams, key: RuntimeKey, signature: Uint8Array, parts: readonly Uint8Array[]): MaybePromise<boolean>;
export declare function verifyBase64url(params: SignatureParams, key: RuntimeKey, signature: string, data: Uint8Array): MaybePromise<boolean>;
export declare function encodeBase64(bytes: Uint8Array, url: boolean): string;
export declare function decodeCanonicalBase64(text: string, url: boolean): Uint8Array;
export declare function decodeBase64urlUtf8(text: string): string;
export declare function byteText(bytes: Uint8Array): string;
