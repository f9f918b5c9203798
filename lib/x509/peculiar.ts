/**
 * The one entry point to @peculiar/x509 inside this library.
 *
 * @peculiar/x509 v2 resolves its algorithm registry through tsyringe, which throws at load time
 * ("tsyringe requires a reflect polyfill") unless a Reflect metadata polyfill is installed first.
 * ES modules evaluate their imports in source order, so importing the polyfill before the library
 * guarantees it is in place. Every module in lib/x509 imports the library from here, never from
 * '@peculiar/x509' directly (type-only imports excepted: they are erased).
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import type { X509Certificate } from '@peculiar/x509';

export * from '@peculiar/x509';

/**
 * Node's WebCrypto, typed as the provider @peculiar/x509 expects (its typings name the DOM `Crypto`,
 * which this project's lib settings do not include). Passed explicitly so no global is relied on.
 */
export const nodeCrypto = webcrypto as unknown as NonNullable<Parameters<X509Certificate['verify']>[1]>;
