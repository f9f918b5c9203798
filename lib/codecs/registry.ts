/**
 * Which codec handles a chain. The text forms cannot be confused: JWS compact always contains
 * '.', base64url CBOR never does. The JOSE codec is always present; any other (the COSE codec of
 * `transitive-proof/cose`) only when the caller passes it, never registered by an import's side
 * effect (the package is `sideEffects: false`, so a bundler would drop such an import).
 */
import { TransitiveProofError, type ErrorCode } from '../errors.js';
import type { LinkFormat } from '../model/types.js';
import type { LinkCodec } from '../ports.js';
import { joseCodec } from './jose/codec.js';

/** The codecs a call may use beyond JOSE, e.g. `{ codecs: [coseCodec] }` for CBOR/COSE chains. */
export interface CodecOptions {
  codecs?: readonly LinkCodec[] | undefined;
}

/**
 * The codec for `format`: one the caller passed, else JOSE for 'jwt'. Without one, `code`:
 * `chain_malformed` where the chain came from the wire (SPEC-NOTES.md §4.5: an encoding the
 * verifier does not accept), `invalid_argument` where the calling program asked for it.
 */
export function codecFor(format: LinkFormat, codecs: readonly LinkCodec[] = [], code: ErrorCode = 'invalid_argument'): LinkCodec {
  const codec = codecs.find((candidate) => candidate.format === format) ?? (format === 'jwt' ? joseCodec : undefined);
  if (codec === undefined) {
    const what = format === 'cwt' ? "a CBOR/COSE chain needs the COSE codec: pass { codecs: [coseCodec] } from 'transitive-proof/cose'" : `no codec for format "${format}"`;
    throw new TransitiveProofError(code, what);
  }
  return codec;
}

export function detectFormat(text: string): LinkFormat {
  return text.includes('.') ? 'jwt' : 'cwt';
}
