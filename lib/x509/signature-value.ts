/**
 * SPEC-NOTES.md §7.2 rule 4: an ECDSA signature value in a certificate is DER
 * `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 5480 §2.2.3, RFC 3279 §2.2.3), read
 * strictly: parsed with an @peculiar/asn1-schema schema, re-encoded, and refused unless the
 * re-encoding is the bytes received (BER lengths, indefinite lengths, non-minimal or negative
 * INTEGERs, appended elements or bytes all re-encode differently), then turned into the IEEE P1363
 * form r || s that the runtime seam verifies.
 */
import { AsnConvert, AsnIntegerBigIntConverter, AsnProp, AsnPropTypes } from '#asn1';
import { bytesEqual } from './bytes.js';

class EcdsaSigValue {
  r = 0n;
  s = 0n;
}
// The schema, applied without decorator syntax (the project compiles without experimentalDecorators).
AsnProp({ type: AsnPropTypes.Integer, converter: AsnIntegerBigIntConverter })(EcdsaSigValue.prototype, 'r');
AsnProp({ type: AsnPropTypes.Integer, converter: AsnIntegerBigIntConverter })(EcdsaSigValue.prototype, 's');

function fixedWidth(value: bigint, bytes: number, out: Uint8Array, at: number): void {
  let rest = value;
  for (let i = at + bytes - 1; i >= at; i--) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
}

/**
 * The P1363 form (r || s, each `coordinateBytes` long) of a strict-DER ECDSA signature value, or
 * undefined when the value is not exactly one DER ECDSA-Sig-Value with 0 < r, s < 2^(8·coordinateBytes).
 */
export function ecdsaSignatureToP1363(der: Uint8Array, coordinateBytes: number): Uint8Array | undefined {
  let value: EcdsaSigValue;
  try {
    value = AsnConvert.parse(der, EcdsaSigValue);
    if (!bytesEqual(new Uint8Array(AsnConvert.serialize(value)), der)) return undefined;
  } catch {
    return undefined;
  }
  const limit = 1n << BigInt(8 * coordinateBytes);
  if (value.r <= 0n || value.s <= 0n || value.r >= limit || value.s >= limit) return undefined;
  const out = new Uint8Array(2 * coordinateBytes);
  fixedWidth(value.r, coordinateBytes, out, 0);
  fixedWidth(value.s, coordinateBytes, out, coordinateBytes);
  return out;
}
