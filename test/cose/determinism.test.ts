/**
 * The deterministic-encoding check (RFC 8949 §4.2.1) is decided by the profile scan (shortest heads,
 * map keys strictly increasing in bytewise order). These tests hold it to the check it replaced:
 * decode, re-encode with `encodeDeterministic`, compare bytes. That reference lives only here.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TransitiveProofError } from '../../lib/errors.js';
import {
  assertScannedDeterministic,
  bytesEqual,
  concatBytes,
  decodeChecked,
  decodeStrict,
  encodeDeterministic,
  readHead,
  type CborValue,
  type Head,
} from '../../lib/codecs/cose/cbor.js';
import { decodeSign1, sigStructure } from '../../lib/codecs/cose/sign1.js';
import { DEFAULT_LIMITS } from '../../lib/model/limits.js';
import { hex, toHex } from './support.js';

const PROFILE = { maxDepth: 4 };

function codeOf(run: () => void): string {
  try {
    run();
    return 'ok';
  } catch (error) {
    if (error instanceof TransitiveProofError) return error.code;
    throw error;
  }
}

// The former profile scan, kept verbatim but for the error messages (duplicate keys by a set of
// key identities for every map), so that the new scan's shortcut there is held to it too.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
function bad(code: string): never {
  throw new TransitiveProofError(code as 'cbor_malformed', code);
}
function textContent(bytes: Uint8Array, head: Head): string {
  if (head.info === 31) bad('cbor_indefinite_length');
  if (head.value > bytes.length - head.next) bad('cbor_malformed');
  try {
    return utf8.decode(bytes.subarray(head.next, head.next + head.value));
  } catch {
    return bad('cbor_malformed');
  }
}
function keyIdentity(bytes: Uint8Array, head: Head, offset: number): string {
  if (head.major === 0 || head.major === 1) {
    if (head.info === 31) bad('cbor_malformed');
    const exact = head.info === 27 ? new DataView(bytes.buffer, bytes.byteOffset + offset + 1, 8).getBigUint64(0).toString() : String(head.value);
    return `${head.major}:${exact}`;
  }
  return `3:${textContent(bytes, head)}`;
}
function referenceScan(bytes: Uint8Array, offset: number, depth: number, maxDepth: number): number {
  const head = readHead(bytes, offset);
  const remaining = bytes.length - head.next;
  switch (head.major) {
    case 0:
    case 1:
      if (head.info === 31) bad('cbor_malformed');
      // -2^64 is outside the profile (SPEC-NOTES.md §4.3.4).
      if (head.major === 1 && head.info === 27 && bytes.subarray(head.next - 8, head.next).every((byte) => byte === 0xff)) bad('cbor_malformed');
      return head.next;
    case 2:
      if (head.info === 31) bad('cbor_indefinite_length');
      if (head.value > remaining) bad('cbor_malformed');
      return head.next + head.value;
    case 3:
      textContent(bytes, head);
      return head.next + head.value;
    case 4:
    case 5: {
      if (head.info === 31) bad('cbor_indefinite_length');
      if (depth + 1 > maxDepth) bad('cbor_too_deep');
      const itemCount = head.major === 4 ? head.value : head.value * 2;
      if (itemCount > remaining) bad('cbor_malformed');
      let at = head.next;
      if (head.major === 4) {
        for (let i = 0; i < head.value; i++) at = referenceScan(bytes, at, depth + 1, maxDepth);
        return at;
      }
      const seen = new Set<string>();
      for (let i = 0; i < head.value; i++) {
        const keyHead = readHead(bytes, at);
        if (keyHead.major !== 0 && keyHead.major !== 1 && keyHead.major !== 3) bad('cbor_malformed');
        const identity = keyIdentity(bytes, keyHead, at);
        if (seen.has(identity)) bad('cbor_duplicate_key');
        seen.add(identity);
        at = referenceScan(bytes, at, depth + 1, maxDepth);
        at = referenceScan(bytes, at, depth + 1, maxDepth);
      }
      return at;
    }
    case 6:
      return bad('cbor_malformed');
    default:
      if (head.info >= 20 && head.info <= 22) return head.next;
      return bad('cbor_malformed');
  }
}

/** The former check: profile scan and decode, then re-encode deterministically and compare bytes. */
function referenceVerdict(bytes: Uint8Array): string {
  return codeOf(() => {
    if (bytes.length === 0) bad('cbor_malformed');
    if (referenceScan(bytes, 0, 0, PROFILE.maxDepth) !== bytes.length) bad('cbor_trailing_bytes');
    const value = decodeChecked(bytes);
    let expected: Uint8Array;
    try {
      expected = encodeDeterministic(value);
    } catch {
      throw new TransitiveProofError('cbor_malformed', 'outside the profile');
    }
    if (!bytesEqual(expected, bytes)) throw new TransitiveProofError('cbor_not_deterministic', 'not deterministic');
  });
}

function scanVerdict(bytes: Uint8Array): string {
  return codeOf(() => assertScannedDeterministic(decodeStrict(bytes, PROFILE).span, 'item'));
}

// ---------------------------------------------------------------------------------------------
// Generator: CBOR items written byte by byte, with a chosen head width per item.

/** -1: shortest; 0–3: additional information 24–27 when the argument fits (else shortest). */
const widthArb = fc.oneof({ weight: 6, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 }) });

function head(major: number, argument: bigint, width: number): Uint8Array {
  const type = major << 5;
  const sizes = [1, 2, 4, 8];
  let info: number;
  if (width >= 0 && argument < 1n << BigInt(8 * (sizes[width] as number))) info = 24 + width;
  else if (argument < 24n) return Uint8Array.of(type | Number(argument));
  else if (argument < 0x100n) info = 24;
  else if (argument < 0x10000n) info = 25;
  else if (argument < 0x100000000n) info = 26;
  else info = 27;
  const size = sizes[info - 24] as number;
  const out = new Uint8Array(1 + size);
  out[0] = type | info;
  for (let i = 0; i < size; i++) out[size - i] = Number((argument >> BigInt(8 * i)) & 0xffn);
  return out;
}

const argumentArb = fc.oneof(
  fc.bigInt({ min: 0n, max: 30n }),
  fc.constantFrom(23n, 24n, 255n, 256n, 65535n, 65536n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n, 2n ** 64n - 1n, 2n ** 64n - 2n),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
);

const intArb = fc.tuple(fc.integer({ min: 0, max: 1 }), argumentArb, widthArb).map(([major, argument, width]) => concatBytes(head(major, argument, width)));
const textArb = fc
  .tuple(fc.oneof(fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('\uFEFFa', 'a', 'aa', 'b', '€', 'x'.repeat(24))), widthArb)
  .map(([text, width]) => {
    const content = new TextEncoder().encode(text);
    return concatBytes(head(3, BigInt(content.length), width), content);
  });
const bytesArb = fc.tuple(fc.uint8Array({ maxLength: 30 }), widthArb).map(([content, width]) => concatBytes(head(2, BigInt(content.length), width), content));
const simpleArb = fc.constantFrom(Uint8Array.of(0xf4), Uint8Array.of(0xf5), Uint8Array.of(0xf6));
/** Keys from a small pool, so that duplicates (also across widths) and every ordering case occur. */
const keyArb = fc.oneof(
  fc.tuple(fc.constantFrom<[number, bigint]>([0, 0n], [0, 1n], [0, 10n], [0, 23n], [0, 24n], [0, 100n], [0, 256n], [1, 0n], [1, 23n], [1, 24n]), widthArb).map(([[major, argument], width]) =>
    head(major, argument, width),
  ),
  textArb,
  intArb,
);

function compare(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

const itemArb: fc.Arbitrary<Uint8Array> = fc.letrec<{ item: Uint8Array; array: Uint8Array; map: Uint8Array }>((tie) => ({
  item: fc.oneof({ depthSize: 'small', withCrossShrink: true }, intArb, textArb, bytesArb, simpleArb, tie('array'), tie('map')),
  array: fc.tuple(fc.array(tie('item'), { maxLength: 5 }), widthArb).map(([items, width]) => concatBytes(head(4, BigInt(items.length), width), ...items)),
  map: fc
    .tuple(fc.array(fc.tuple(keyArb, tie('item')), { maxLength: 6 }), fc.boolean(), widthArb)
    .map(([entries, sorted, width]) => {
      // Half the maps are written in the deterministic key order, so that the "ok" verdict is common.
      const ordered = sorted ? [...entries].sort((a, b) => compare(a[0], b[0])) : entries;
      return concatBytes(head(5, BigInt(ordered.length), width), ...ordered.flat());
    }),
})).item;

// ---------------------------------------------------------------------------------------------

describe('deterministic encoding from the scan', () => {
  test('same verdict and code as re-encoding and comparing, over generated items', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(itemArb, (bytes) => {
        const expected = referenceVerdict(bytes);
        seen.add(expected);
        assert.equal(scanVerdict(bytes), expected, toHex(bytes));
      }),
      { numRuns: 4000 },
    );
    // The generator reaches each outcome the two checks can disagree on.
    for (const code of ['ok', 'cbor_not_deterministic', 'cbor_duplicate_key', 'cbor_too_deep']) assert.ok(seen.has(code), `no generated item gave ${code}`);
  });

  test('same code as re-encoding the envelope, for COSE_Sign1 links with generated unprotected headers and heads', () => {
    const protectedBytes = hex('a2 01 26 10 6c' + toHex(new TextEncoder().encode('tmb-link+cwt')));
    // Unprotected labels that readHeaders treats as opaque: text, or integers far from registered labels.
    const labelArb = fc.oneof(
      textArb.filter((key) => key[0] !== undefined),
      fc.tuple(fc.integer({ min: 0, max: 1 }), fc.constantFrom(100n, 1000n, 70000n, 2n ** 40n, 2n ** 64n - 1n), widthArb).map(([major, argument, width]) => head(major, argument, width)),
    );
    const unprotectedArb = fc.oneof(
      { weight: 1, arbitrary: fc.constant(Uint8Array.of(0xa0)) },
      { weight: 3, arbitrary: nonEmptyUnprotectedArb() },
    );
    function nonEmptyUnprotectedArb(): fc.Arbitrary<Uint8Array> {
      return fc
      .tuple(fc.array(fc.tuple(labelArb, itemArb), { maxLength: 4 }), fc.boolean(), widthArb)
      .map(([entries, sorted, width]) => {
        const ordered = sorted ? [...entries].sort((a, b) => compare(a[0], b[0])) : entries;
        return concatBytes(head(5, BigInt(ordered.length), width), ...ordered.flat());
      });
    }
    // Elements of other types now and then, to reach the structural checks.
    const elementArb = (bstr: fc.Arbitrary<Uint8Array>, width: fc.Arbitrary<number>): fc.Arbitrary<Uint8Array> =>
      fc.oneof({ weight: 8, arbitrary: fc.tuple(bstr, width).map(([content, w]) => concatBytes(head(2, BigInt(content.length), w), content)) }, { weight: 1, arbitrary: itemArb });
    const envelopeArb = fc
      .tuple(
        fc.boolean(),
        widthArb,
        elementArb(fc.constant(protectedBytes), widthArb),
        unprotectedArb,
        fc.oneof({ weight: 12, arbitrary: elementArb(fc.uint8Array({ maxLength: 40 }), widthArb) }, { weight: 1, arbitrary: fc.constant(Uint8Array.of(0xf6)) }),
        elementArb(fc.uint8Array({ minLength: 1, maxLength: 64 }), widthArb),
      )
      .map(([shortTag, arrayWidth, protectedElement, unprotected, payload, signature]) => ({
        tagHead: shortTag ? Uint8Array.of(0xd2) : Uint8Array.of(0xd8, 18),
        body: concatBytes(head(4, 4n, arrayWidth), protectedElement, unprotected, payload, signature),
      }));
    const seen = new Set<string>();
    fc.assert(
      fc.property(envelopeArb, ({ tagHead, body }) => {
        const bytes = concatBytes(tagHead, body);
        // Reference: every rule but determinism (the interop profile differs from `link` only in
        // rules these headers never meet), then the former re-encoding of [protected, unprotected,
        // payload, signature] behind the shortest tag head.
        const expected = codeOf(() => {
          // A link without alg decodes (step 4.4 refuses it later); the interop profile refuses it here.
          const message = (() => {
            try {
              return decodeSign1(bytes, 'interop', DEFAULT_LIMITS);
            } catch (error) {
              if (error instanceof TransitiveProofError && error.code === 'alg_not_allowed') return undefined;
              throw error;
            }
          })();
          // The former decoder read the four elements with cbor-x, always.
          const elements = decodeChecked(body);
          if (message !== undefined) assert.deepEqual([message.protectedBytes, message.unprotectedHeader, message.payload, message.signature], elements);
          // The former encoder refused -2^64 with invalid_argument; from the wire that is cbor_malformed.
          let reencoded: Uint8Array;
          try {
            reencoded = concatBytes(Uint8Array.of(0xd2), encodeDeterministic(elements));
          } catch (error) {
            if (error instanceof TransitiveProofError && error.code === 'invalid_argument') throw new TransitiveProofError('cbor_malformed', error.message);
            throw error;
          }
          if (!bytesEqual(reencoded, bytes)) throw new TransitiveProofError('cbor_not_deterministic', 'not deterministic');
        });
        seen.add(expected);
        assert.equal(codeOf(() => decodeSign1(bytes, 'link', DEFAULT_LIMITS)), expected, toHex(bytes));
      }),
      { numRuns: 1500 },
    );
    for (const code of ['ok', 'cbor_not_deterministic', 'link_malformed']) assert.ok(seen.has(code), `no generated envelope gave ${code}`);
  });

  test('each non-shortest head form is refused, and each shortest one accepted', () => {
    const cases: [string, string][] = [
      // [non-shortest, shortest] for unsigned, negative, byte string, text, array, map heads
      ['1817', '17'], ['190017', '17'], ['190018', '1818'], ['1900ff', '18ff'], ['1a0000ffff', '19ffff'], ['1b00000000ffffffff', '1affffffff'],
      ['3817', '37'], ['39 00ff', '38ff'], ['3a0000ffff', '39ffff'], ['3b00000000ffffffff', '3affffffff'],
      ['5800', '40'], ['590001 00', '41 00'], ['5a00000001 00', '41 00'], ['5b0000000000000001 00', '41 00'],
      ['7801 61', '6161'], ['790001 61', '6161'], ['7a00000001 61', '6161'], ['7b0000000000000001 61', '6161'],
      ['9800', '80'], ['990001 00', '81 00'], ['9a00000001 00', '81 00'], ['9b0000000000000001 00', '81 00'],
      ['b800', 'a0'], ['b90001 00 00', 'a1 00 00'], ['ba00000001 00 00', 'a1 00 00'], ['bb0000000000000001 00 00', 'a1 00 00'],
      // nested: the violation is found below the top level too
      ['81 81 1801', '81 81 01'], ['a1 00 81 5800', 'a1 00 81 40'], ['a1 1801 00', 'a1 01 00'],
    ];
    for (const [bad, good] of cases) {
      assert.equal(scanVerdict(hex(bad)), 'cbor_not_deterministic', bad);
      assert.equal(referenceVerdict(hex(bad)), 'cbor_not_deterministic', bad);
      assert.equal(scanVerdict(hex(good)), 'ok', good);
    }
    // The smallest argument of each width is shortest.
    for (const good of ['1818', '190100', '1a00010000', '1b0000000100000000', '3b0000000100000000']) assert.equal(scanVerdict(hex(good)), 'ok', good);
  });

  test('map keys must be strictly increasing in the bytewise order of their encodings', () => {
    const cases: [string, string][] = [
      // text key before an integer key
      ['a2 6161 00 01 00', 'a2 01 00 6161 00'],
      // shorter key first, also when the longer one is smaller as a string or number
      ['a2 6261 61 00 6162 00', 'a2 6162 00 626161 00'],
      ['a2 1818 00 17 00', 'a2 17 00 1818 00'],
      // 10 (0x0a) before -1 (0x20)
      ['a2 20 00 0a 00', 'a2 0a 00 20 00'],
      // negative integers: -1 (0x20) before -24 (0x37) before -25 (0x3818)
      ['a2 37 00 20 00', 'a2 20 00 37 00'],
      ['a2 3818 00 37 00', 'a2 37 00 3818 00'],
      // nested maps are held to the same order
      ['a1 00 a2 02 00 01 00', 'a1 00 a2 01 00 02 00'],
    ];
    for (const [bad, good] of cases) {
      assert.equal(scanVerdict(hex(bad)), 'cbor_not_deterministic', bad);
      assert.equal(referenceVerdict(hex(bad)), 'cbor_not_deterministic', bad);
      assert.equal(scanVerdict(hex(good)), 'ok', good);
    }
  });

  test('other profile violations win over non-determinism, wherever they are', () => {
    // Duplicate (by value, across widths) after an unsorted pair: the duplicate is reported.
    assert.equal(scanVerdict(hex('a3 02 00 01 00 1801 00')), 'cbor_duplicate_key');
    // Text keys that differ only by a leading BOM are different keys: U+FEFF is text, not dropped.
    assert.equal(scanVerdict(hex('a2 6161 00 64efbbbf61 00')), 'ok');
    assert.equal(scanVerdict(hex('a2 64efbbbf61 00 6161 00')), 'cbor_not_deterministic');
    // Equal keys written identically are a duplicate, not an ordering fault.
    assert.equal(scanVerdict(hex('a2 01 00 01 00')), 'cbor_duplicate_key');
    // A non-shortest head before a float: the float is reported.
    assert.equal(scanVerdict(hex('82 1801 f93c00')), 'cbor_malformed');
    // Non-shortest head before nesting that is too deep.
    assert.equal(scanVerdict(hex('82 1801 81818181 00')), 'cbor_too_deep');
    // -2^64 is outside the profile: refused where the walk meets it, before a later duplicate key.
    assert.equal(scanVerdict(hex('a2 02 3bffffffffffffffff 01 00')), 'cbor_malformed');
    assert.equal(referenceVerdict(hex('a2 02 3bffffffffffffffff 01 00')), 'cbor_malformed');
    assert.equal(scanVerdict(hex('a3 02 3bffffffffffffffff 01 00 01 00')), 'cbor_malformed');
    assert.equal(scanVerdict(hex('a3 01 00 01 00 02 3bffffffffffffffff')), 'cbor_duplicate_key');
    assert.equal(scanVerdict(hex('3bfffffffffffffffe')), 'ok');
  });

  test('Sig_structure written directly equals its deterministic encoding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 30 }), fc.uint8Array({ maxLength: 70000 }), fc.boolean(), (protectedBytes, aad, payload, empty) => {
        const protectedHeader = empty ? new Map() : new Map([[1, -7]]);
        const expected = encodeDeterministic(['Signature1', empty ? new Uint8Array() : protectedBytes, aad, payload]);
        assert.equal(toHex(sigStructure({ protectedBytes, protectedHeader, payload }, aad)), toHex(expected));
      }),
      { numRuns: 200 },
    );
  });

  test('the decoded value is unchanged by the check', () => {
    const value: CborValue = decodeStrict(hex('a2 01 26 6161 82 f5 f6'), PROFILE).value;
    assert.deepEqual(value, new Map<string | number, CborValue>([[1, -7], ['a', [true, null]]]));
  });
});
