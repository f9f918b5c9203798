/**
 * Which codec handles a chain. The text forms cannot be confused: JWS compact always contains
 * '.', base64url CBOR never does.
 */
import { TransitiveProofError } from '../errors.js';
import type { LinkFormat } from '../model/types.js';
import type { LinkCodec } from './codec.js';
import { joseCodec } from './jose/codec.js';

const codecs = new Map<LinkFormat, LinkCodec>([['jwt', joseCodec]]);

/** Codecs register themselves here (the COSE codec does so from lib/codecs/cose). */
export function registerCodec(codec: LinkCodec): void {
  codecs.set(codec.format, codec);
}

export function codecFor(format: LinkFormat): LinkCodec {
  const codec = codecs.get(format);
  if (codec === undefined) throw new TransitiveProofError('invalid_argument', `no codec for format "${format}"`);
  return codec;
}

export function detectFormat(text: string): LinkFormat {
  return text.includes('.') ? 'jwt' : 'cwt';
}
