/**
 * The one entry point to @peculiar/x509 inside this library.
 *
 * @peculiar/x509 v2 resolves its algorithm registry through tsyringe, which throws at load time
 * ("tsyringe requires a reflect polyfill") unless a Reflect metadata polyfill is installed first.
 * ES modules evaluate their imports in source order, so importing the polyfill before the library
 * guarantees it is in place. Every module that uses the library (the demo PKI, lib/x509/issue.ts;
 * certificate summaries, lib/inspect/certificates.ts; path validation does not) imports it from
 * here, never from '@peculiar/x509' directly (type-only imports excepted: they are erased).
 *
 * This module is the package's one side effect (package.json `sideEffects`): a bundler that took
 * the package as side-effect free would skip it when only its re-exports are used, and drop the
 * polyfill with it (the web inspector then threw tsyringe's error at load).
 */
import 'reflect-metadata';
import type { X509Certificate } from '@peculiar/x509';

export * from '@peculiar/x509';

/**
 * The runtime's Web Crypto (a global in Node >= 20 and in browsers), typed as the provider
 * @peculiar/x509 expects (its typings name the DOM `Crypto`). Passed explicitly to every call, so
 * the library's own provider registry is never consulted.
 */
export const webCrypto = (globalThis as unknown as { crypto: unknown }).crypto as NonNullable<Parameters<X509Certificate['verify']>[1]>;
