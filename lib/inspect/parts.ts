/**
 * The inspector shows and verifies any chain the CLI can read, so this entry enables the optional
 * parts itself (the root entry never does): the COSE codec and X.509 signers. Status lists and
 * remote key sets stay off: the page fetches nothing (a trust configuration with `status` or an
 * issuer root by `jwksUri` is refused as invalid_argument).
 */
import { coseCodec } from '../codecs/cose/codec.js';
import { x509Support } from '../rules/x509-support.js';

export const INSPECT_CODECS = [coseCodec] as const;
export const INSPECT_PARTS = { codecs: INSPECT_CODECS, x509: x509Support } as const;
