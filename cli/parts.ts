/**
 * The CLI handles every encoding and feature, so its commands pass all the optional parts of the
 * library explicitly (the library never enables them by import). Loaded by the commands only, never
 * by `tproof --help`.
 */
import { coseCodec } from '../lib/codecs/cose/index.js';
import { remoteKeySupport, statusSupport } from '../lib/status/index.js';
import { x509Support } from '../lib/x509/index.js';

/** For parseChain, serializeChain, decodeChain and minting: JOSE and COSE. */
export const CODECS = { codecs: [coseCodec] } as const;

/** For createVerifier and compileTrust: both codecs, X.509 and status lists. */
export const ALL_PARTS = { codecs: [coseCodec], x509: x509Support, status: statusSupport, remoteKeys: remoteKeySupport } as const;
