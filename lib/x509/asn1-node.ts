/**
 * `#asn1` on Node (package.json `imports`, the `node` condition): lib/x509/asn1.ts's exports. tsc
 * writes a re-export; `npm run build` replaces it by one ESM bundle of the same packages
 * (scripts/build-asn1.mjs), which Node loads in a fraction of the time it takes to load them as
 * packages. Bundlers (the `default` condition) take asn1.ts's re-exports and share the packages
 * with @peculiar/x509 (the demo PKI) instead of carrying a second copy.
 */
export * from './asn1.js';
