/**
 * Which codec handles a chain. The text forms cannot be confused: JWS compact always contains
 * '.', base64url CBOR never does.
 */
import { TransitiveProofError } from '../errors.js';
import type { LinkFormat } from '../model/types.js';
import type { LinkCodec } from './codec.js';
import { coseCodec } from './cose/codec.js';
import { joseCodec } from './jose/codec.js';

// A fixed table, not a registration hook: which codec reads a chain must not depend on import order.
const codecs = new Map<LinkFormat, LinkCodec>([
  ['jwt', joseCodec],
  ['cwt', coseCodec],
]);

export function codecFor(format: LinkFormat): LinkCodec {
  const codec = codecs.get(format);
  if (codec === undefined) throw new TransitiveProofError('invalid_argument', `no codec for format "${format}"`);
  return codec;
}

export function detectFormat(text: string): LinkFormat {
  return text.includes('.') ? 'jwt' : 'cwt';
}
