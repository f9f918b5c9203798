/**
 * Step 1's size (lib/chain.ts: a text of at most ⌊maxChainBytes / 3⌋ code units is within the bound
 * unencoded; a longer one is encoded a slice of 16,384 code units at a time, a surrogate pair never
 * split) against the UTF-8 length Node's Buffer counts (a lone surrogate as U+FFFD, 3 bytes): a text
 * is chain_too_large exactly when its UTF-8 encoding is longer than maxChainBytes, in both the
 * compact and the JSON form. Seeded texts of ASCII, 2- and 3-byte characters, pairs and lone
 * surrogates, at lengths around the shortcut and the bound, pairs straddling each slice boundary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseChain } from '../../lib/index.js';
import { resolveLimits } from '../../lib/model/limits.js';
import { seeded } from './support.js';

const UNITS = ['a', '~', '.', '\u00e9', '\u20ac', '\u{1F600}', '\uD800', '\uDC00'];

function sizeVerdict(input: string | string[], maxChainBytes: number): boolean {
  try {
    parseChain(input, { limits: resolveLimits({ maxChainBytes }) });
    return false;
  } catch (error) {
    return (error as { code?: unknown }).code === 'chain_too_large' && (error as { linkIndex?: unknown }).linkIndex === undefined;
  }
}

test('a chain text is chain_too_large exactly when its UTF-8 encoding exceeds maxChainBytes', () => {
  const random = seeded(0x51ce);
  let checked = 0;
  for (const bound of [30, 31, 32, 65_536, 49_155, 1_048_576]) {
    for (let n = 0; n < 60; n++) {
      // Lengths around ⌊bound / 3⌋, the bound itself, and (for large bounds) a slice boundary.
      const anchor = random.pick([Math.floor(bound / 3), bound, Math.floor(bound / 2), Math.min(bound, 16_384), Math.min(bound, 32_768)]);
      const length = Math.max(1, anchor + random.int(9) - 4);
      const weights = random.pick(['ascii', 'mixed', 'astral', 'lone']);
      let text = weights === 'ascii' ? 'x'.repeat(length) : '';
      while (text.length < length) {
        const unit = weights === 'astral' ? '\u{1F600}' : weights === 'lone' ? random.pick(['\uD800', '\uDC00', 'a']) : random.pick(UNITS);
        text += unit;
      }
      // A pair straddling a slice boundary of the encoder (16,384 code units).
      if (text.length > 16_386 && random.int(2) === 0) text = `${text.slice(0, 16_383)}\u{1F600}${text.slice(16_385)}`;
      if (text.startsWith('[')) text = `x${text.slice(1)}`;
      const expected = Buffer.byteLength(text, 'utf8') > bound;
      assert.equal(sizeVerdict(text, bound), expected, `compact, bound ${bound}, ${text.length} units, ${Buffer.byteLength(text)} bytes (${weights})`);
      const half = text.length >> 1;
      const parts = [text.slice(0, half), text.slice(half)];
      const jsonExpected = parts.reduce((sum, part) => sum + Buffer.byteLength(part, 'utf8'), 0) > bound;
      assert.equal(sizeVerdict(parts, bound), jsonExpected, `JSON form, bound ${bound}, ${text.length} units`);
      checked++;
    }
  }
  assert.equal(checked, 360);
});
