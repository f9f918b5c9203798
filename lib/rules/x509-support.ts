/**
 * `x509Support` (transitive-proof/x509), the object that enables X.509-identified signers in a
 * verifier: `createVerifier(trust, { x509: x509Support })` or `compileTrust(config, { x509: x509Support })`.
 * Path validation and the configuration's X.509 validators (lib/x509/support.ts) with step 6's
 * certificate signers (./x509-signer.ts), put together here, the lowest layer that sees both: the
 * signers' code travels with the part, and a verifier without certificates carries none of it.
 */
import type { X509Support } from '../ports.js';
import { x509PathSupport } from '../x509/support.js';
import { resolveX509DelegateSigner, resolveX509RootSigner } from './x509-signer.js';

export const x509Support: X509Support = Object.freeze({
  ...x509PathSupport,
  resolveRootSigner: resolveX509RootSigner,
  resolveDelegateSigner: resolveX509DelegateSigner,
});
