/** Lower-case hex of bytes: how key identifiers are held and compared (rule 2, rule 3 (b)). */
export function lowerHex(bytes: ArrayBuffer): string {
  let text = '';
  for (const byte of new Uint8Array(bytes)) text += byte.toString(16).padStart(2, '0');
  return text;
}
