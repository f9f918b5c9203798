/**
 * A distinguished name as text, for messages and the path result's `subjects` (SPEC-NOTES.md §7.3):
 * RFC 4514's form, most significant RDN first as the certificate lists it, RDNs separated by ", ",
 * the values of a multi-valued RDN by "+". Display only: names are compared as DER (rule 2).
 */
import type { Name } from '@peculiar/asn1-x509';

/** Short names of the common attribute types (RFC 4514 §3, and E, G, I, SN, T as X.509 tools print them). */
const SHORT_NAMES: ReadonlyMap<string, string> = new Map([
  ['2.5.4.3', 'CN'],
  ['2.5.4.7', 'L'],
  ['2.5.4.8', 'ST'],
  ['2.5.4.10', 'O'],
  ['2.5.4.11', 'OU'],
  ['2.5.4.6', 'C'],
  ['0.9.2342.19200300.100.1.25', 'DC'],
  ['1.2.840.113549.1.9.1', 'E'],
  ['2.5.4.42', 'G'],
  ['2.5.4.43', 'I'],
  ['2.5.4.4', 'SN'],
  ['2.5.4.12', 'T'],
]);

function hex(bytes: ArrayBuffer): string {
  let text = '';
  for (const byte of new Uint8Array(bytes)) text += byte.toString(16).padStart(2, '0');
  return text;
}

/** RFC 4514 §2.4: the special characters, a leading space or "#", a trailing space; control characters as \XX. */
function escapeValue(value: string): string {
  return value
    .replace(/[,+"\\<>;]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ')
    .replace(/[\u0000-\u001f]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
}

export function formatName(name: Name): string {
  return name
    .map((rdn) =>
      rdn
        .map(({ type, value }) => `${SHORT_NAMES.get(type) ?? type}=${value.anyValue === undefined ? escapeValue(value.toString()) : `#${hex(value.anyValue)}`}`)
        .join('+'),
    )
    .join(', ');
}
