/**
 * Step 4 (SPEC-NOTES.md §6.2): header rules, before any key is looked up.
 */
import { linkError, quoted } from '../errors.js';
import type { DecodedLink, EnvelopeCodec } from '../ports.js';
import type { SignatureAlgorithm } from '../model/types.js';
import { typMatches } from '../codecs/typ.js';

/** 4.1 Explicit typing: the one `typ` rule of every signed object (lib/codecs/typ.ts, SPEC-NOTES §3.2). */
export function checkTyp(link: DecodedLink, codec: EnvelopeCodec): void {
  if (!typMatches(link.header.typ, codec.expectedTyp)) {
    const seen = link.header.typ === undefined ? 'no typ' : `typ ${quoted(link.header.typ)}`;
    throw linkError('typ_invalid', link.index, `has ${seen}, expected ${quoted(codec.expectedTyp)}`);
  }
}

/** 4.2 Keys are never taken from a header: `jwk`, `jku`, `x5u` (and their COSE equivalents) are refused. */
export function checkNoKeyParameters(link: DecodedLink): void {
  if (link.header.keyParameters.length > 0) {
    throw linkError('header_forbidden', link.index, `header supplies a key or key location (${link.header.keyParameters.join(', ')})`);
  }
}

/** 4.3 No extension is understood, so any critical parameter fails closed. */
export function checkCrit(link: DecodedLink): void {
  if (link.header.crit !== undefined) {
    throw linkError('crit_unsupported', link.index, `marks unsupported parameters critical (${link.header.crit.join(', ')})`);
  }
}

/** 4.4 The algorithm is on the verifier's allow-list and carried by this encoding (never `none`, never HMAC). */
export function checkAlgorithmAllowed(link: DecodedLink, codec: EnvelopeCodec, allowed: ReadonlySet<SignatureAlgorithm>): SignatureAlgorithm {
  const alg = link.header.alg as SignatureAlgorithm | undefined;
  if (alg === undefined) throw linkError('alg_not_allowed', link.index, 'has no alg (or one that is not a string)');
  if (!allowed.has(alg) || !codec.supportedAlgorithms.includes(alg)) {
    throw linkError('alg_not_allowed', link.index, `algorithm ${quoted(String(link.header.alg))} is not allowed`);
  }
  return alg;
}
