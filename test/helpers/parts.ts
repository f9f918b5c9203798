/**
 * Every optional part of the library, as the tests that mint or verify CBOR chains, x5c signers or
 * status-listed links pass it (the library enables none of them by import).
 */
import { coseCodec } from '../../lib/codecs/cose/index.js';
import { remoteKeySupport, statusSupport } from '../../lib/status/index.js';
import { x509Support } from '../../lib/x509/index.js';

export const ALL_PARTS = { codecs: [coseCodec], x509: x509Support, status: statusSupport, remoteKeys: remoteKeySupport };

/** For parseChain, serializeChain, decodeChain and minting: JOSE and COSE. */
export const CODECS = { codecs: [coseCodec] };
