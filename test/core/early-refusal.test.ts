/**
 * Garbage is refused before the work it would cost, without changing which code a chain reports
 * (SPEC-NOTES.md §6.2: the order is normative). JWT: an oversized link 0 is refused from its length
 * at the split (its size check is the first check of step 3); CWT: text whose first characters
 * already decide chain_malformed is refused without decoding the rest.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { coseCodec, EARLY_REFUSAL_MIN_LENGTH } from '../../lib/codecs/cose/codec.js';
import { joseCodec } from '../../lib/codecs/jose/codec.js';
import { fromBase64url } from '../../lib/codecs/cose/base64url.js';
import { readHead } from '../../lib/codecs/cose/cbor.js';
import { TransitiveProofError } from '../../lib/errors.js';
import { DEFAULT_LIMITS } from '../../lib/model/limits.js';
import { buildChain, linkText, makeParties, rejectsWith, verifyStandard } from '../helpers/fixtures.js';

const p = await makeParties();
const valid = await buildChain(p, { length: 2 });
const [link0, link1] = valid.links.map((link) => linkText(link)) as [string, string];
const oversized = `${'A'.repeat(DEFAULT_LIMITS.maxLinkBytes)}.${'B'.repeat(10)}.${'C'.repeat(10)}`;

test('JWT: an oversized link 0 is chain_too_large at link 0, even when a later link is malformed', async () => {
  await rejectsWith(verifyStandard(p, `${oversized}~not-a-jws`), 'chain_too_large', 0);
});

test('JWT: an oversized later link is chain_too_large at its index, after earlier links decode', async () => {
  await rejectsWith(verifyStandard(p, `${link0}~${oversized}`), 'chain_too_large', 1);
});

test('JWT: a malformed link 0 is reported before an oversized link 1 (step 3 runs link by link)', async () => {
  await rejectsWith(verifyStandard(p, `not-a-jws~${oversized}`), 'link_malformed', 0);
  assert.ok(link1.length < DEFAULT_LIMITS.maxLinkBytes);
});

/** The verdict of the full check, in the order SPEC-NOTES §4.3.3 gives: base64url, then the array head. */
function fullCheckSaysMalformed(text: string): boolean {
  const bytes = fromBase64url(text);
  if (bytes === undefined || bytes.length === 0) return true;
  try {
    const head = readHead(bytes, 0);
    return head.major !== 4 || (head.info !== 31 && head.value === 0);
  } catch {
    return false;
  }
}

function parseCode(text: string): string | undefined {
  try {
    coseCodec.parseChain(text, DEFAULT_LIMITS);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof TransitiveProofError);
    return error.code;
  }
}

test('CWT: the early refusal says chain_malformed exactly when the full check would', () => {
  const base64urlChar = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_');
  const anyChar = fc.oneof({ weight: 20, arbitrary: base64urlChar }, { weight: 1, arbitrary: fc.constantFrom('+', '/', '=', ' ', '~', 'é') });
  // Prefixes from real chain heads (array of 1..3, 24, indefinite, empty, a map) and random text.
  const prefix = fc.constantFrom('gd', 'g9', 'gt', 'mBg', 'nw', 'gA', 'oA', 'QA', '');
  // Long enough to be looked at early (EARLY_REFUSAL_MIN_LENGTH), or not: the verdict is the same.
  const filler = fc.constantFrom('', 'A'.repeat(EARLY_REFUSAL_MIN_LENGTH));
  fc.assert(
    fc.property(prefix, fc.array(anyChar, { minLength: 0, maxLength: 40 }), filler, (head, rest, fill) => {
      const text = head + rest.join('') + fill;
      const code = parseCode(text);
      if (fullCheckSaysMalformed(text)) assert.equal(code, 'chain_malformed', text);
      else assert.notEqual(code, 'chain_malformed', text);
    }),
    { numRuns: 3000 },
  );
});

test('JWT: the one-scan split gives the codes of the step 2 / step 3 order (count, empty link, link 0 size)', () => {
  const limits = { ...DEFAULT_LIMITS, maxLinks: 4, maxLinkBytes: 6 };
  fc.assert(
    fc.property(fc.array(fc.constantFrom('a', 'b', '~'), { minLength: 1, maxLength: 24 }), (chars) => {
      const text = chars.join('');
      const parts = text.split('~');
      const expected = parts.length > limits.maxLinks ? 'chain_too_long'
        : parts.some((part) => part.length === 0) ? 'chain_malformed'
          : (parts[0] as string).length > limits.maxLinkBytes ? 'chain_too_large'
            : undefined;
      let code: string | undefined;
      try {
        joseCodec.parseChain(text, limits);
      } catch (error) {
        assert.ok(error instanceof TransitiveProofError);
        code = error.code;
      }
      assert.equal(code, expected, text);
    }),
    { numRuns: 3000 },
  );
});
