import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { TransitiveProofError } from '../../lib/errors.js';
import { DEFAULT_LIMITS } from '../../lib/model/limits.js';
import { coseCodec } from '../../lib/codecs/cose/codec.js';
import { decodeStrict, encodeDeterministic, type CborValue } from '../../lib/codecs/cose/cbor.js';
import { claimsToCwt, cwtToClaims, decodeClaims, encodeClaims } from '../../lib/codecs/cose/claims.js';
import { decodeSign1 } from '../../lib/codecs/cose/sign1.js';
import { chainOf, expectCode, hex, keysFor, sampleClaims, toHex } from './support.js';



test('claims: integer keys for registered claims, text keys for the link claims', () => {
  const map = claimsToCwt(sampleClaims());
  assert.deepEqual([...map.keys()], [1, 2, 3, 6, 5, 4, 7, 9, 'tmb', 'may_act', 'depth', 'prev']);
  assert.deepEqual(map.get(7), new TextEncoder().encode('link-7f3a'));
  const prev = map.get('prev');
  assert.ok(prev instanceof Uint8Array && prev.length === 32);
  // Emitted deterministically: integer keys first, ascending, then text keys by length and bytes.
  const decoded = decodeStrict(encodeClaims(sampleClaims()), { maxDepth: 8 }).value as Map<unknown, unknown>;
  assert.deepEqual([...decoded.keys()], [1, 2, 3, 4, 5, 6, 7, 9, 'tmb', 'prev', 'depth', 'may_act']);
});

test('claims: the decoded object equals what the JWT codec yields for the same content', () => {
  const claims = sampleClaims({ tmb: { jwk: { kty: 'EC', crv: 'P-256', x: 'a', y: 'b', key_ops: ['verify'] } } });
  const decoded = decodeClaims(encodeClaims(claims), DEFAULT_LIMITS);
  assert.deepStrictEqual(decoded, JSON.parse(JSON.stringify(claims)));
  assert.equal(Object.getPrototypeOf(decoded), Object.prototype);
  assert.ok(!(decoded.tmb instanceof Map));
});

test('claims: a "__proto__" member stays data, as with JSON.parse', () => {
  const payload = encodeDeterministic(new Map<string | number, CborValue>([[1, 'a'], ['tmb', new Map([['__proto__', new Map([['polluted', true]])]])]]));
  const decoded = decodeClaims(payload, DEFAULT_LIMITS);
  const tmb = decoded.tmb as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(tmb), Object.prototype);
  assert.deepEqual(Object.keys(tmb), ['__proto__']);
  assert.equal((tmb as { polluted?: unknown }).polluted, undefined);
});

test('claims: fail closed on keys and types with no model form', () => {
  const cases: [Map<string | number, CborValue>, string][] = [
    [new Map([[8, new Map()]]), 'unknown integer key (cnf)'],
    [new Map([[-70000, 1]]), 'unknown negative key'],
    [new Map([['iss', 'a']]), 'text alias of an integer claim'],
    [new Map([['cti', new Uint8Array([1])]]), 'text cti'],
    [new Map([['jti', 'x']]), 'text jti'],
    [new Map([[7, 'text']]), 'cti as text'],
    [new Map([[7, new Uint8Array([0xc3, 0x28])]]), 'cti not UTF-8'],
    [new Map([['prev', 'AAAA']]), 'prev as text'],
    [new Map([['tmb', new Map([[1, 'x']])]]), 'integer key in a nested map'],
    [new Map([[1, new Uint8Array([1])]]), 'bstr where JSON has none'],
    [new Map([['depth', 2n ** 60n]]), 'integer beyond JSON-safe range'],
  ];
  for (const [map, why] of cases) {
    const bytes = encodeDeterministic(map);
    assert.throws(() => decodeClaims(bytes, DEFAULT_LIMITS), (e: unknown) => e instanceof TransitiveProofError && e.code === 'claims_invalid', why);
  }
  assert.throws(() => cwtToClaims([1, 2]), (e: unknown) => e instanceof TransitiveProofError && e.code === 'link_malformed');
});

test('claims: an error names the claim by its path, nested members and array items included', () => {
  const cases: [Map<string | number, CborValue>, string][] = [
    [new Map([['tmb', new Map([['jwk', new Map([['x', new Uint8Array([1])]])]])]]), 'claim tmb.jwk.x is a byte string'],
    [new Map([[3, ['a', new Uint8Array([1])]]]), 'claim aud[1] is a byte string'],
    [new Map([['may_act', new Map([['cnf', new Map([[1, 'x']])]])]]), 'claim may_act.cnf has a non-text key 1'],
    [new Map([['depth', 2n ** 60n]]), 'claim depth is an integer beyond the JSON-safe range'],
  ];
  for (const [map, message] of cases) {
    assert.throws(() => decodeClaims(encodeDeterministic(map), DEFAULT_LIMITS), (e: unknown) => e instanceof TransitiveProofError && e.message.startsWith(message), message);
  }
});

test('claims emission refuses values with no deterministic CBOR form', () => {
  for (const bad of [{ iat: 1.5 }, { prev: 'not base64url!' }, { jti: 5 }, { tmb: new Date() }, { cti: 'x' }]) {
    assert.throws(() => encodeClaims(sampleClaims(bad)), (e: unknown) => e instanceof TransitiveProofError && e.code === 'invalid_argument', JSON.stringify(bad));
  }
  assert.ok(!claimsToCwt(sampleClaims({ nbf: undefined })).has(5), 'undefined members are absent, as in JSON');
});

test('signLink emits deterministic CBOR with typ and alg (and kid) protected', async () => {
  const { privateKey } = await keysFor('ES256');
  const bytes = await coseCodec.signLink({ claims: sampleClaims(), alg: 'ES256', privateKey, kid: 'k1' });
  const message = decodeSign1(bytes, 'link', DEFAULT_LIMITS);
  // {1: -7, 4: h'6b31', 16: "tmb-link+cwt"}, keys in bytewise order.
  assert.equal(toHex(message.protectedBytes), 'a3' + '0126' + '04426b31' + '106c' + toHex(new TextEncoder().encode('tmb-link+cwt')));
  assert.equal(message.unprotectedHeader.size, 0);
  assert.equal(toHex(message.payload), toHex(encodeClaims(sampleClaims())));
  assert.equal(toHex(bytes.subarray(0, 2)), 'd284');
});

test('chain: text and JSON forms round-trip, and each link keeps its exact bytes', async () => {
  const chain = await chainOf(3);
  const text = coseCodec.serializeChain(chain);
  assert.match(text, /^[A-Za-z0-9_-]+$/);
  const parsed = coseCodec.parseChain(text, DEFAULT_LIMITS);
  assert.equal(parsed.format, 'cwt');
  assert.deepEqual(parsed.links.map(toHex), chain.links.map(toHex));
  assert.equal(coseCodec.serializeChain(parsed), text);

  const json = coseCodec.chainToJson(chain);
  assert.deepEqual(json, chain.links.map((link) => coseCodec.linkToText(link)));
  assert.deepEqual(coseCodec.chainFromJson(JSON.parse(JSON.stringify(json)), DEFAULT_LIMITS).links.map(toHex), chain.links.map(toHex));

  // The chain is the CBOR array of the tagged links, byte for byte.
  const raw = Buffer.from(text, 'base64url');
  assert.equal(raw[0], 0x83);
  assert.equal(toHex(raw.subarray(1)), chain.links.map(toHex).join(''));
  // prev of each link hashes the exact bytes of its predecessor as sliced from the chain.
  for (let i = 1; i < parsed.links.length; i++) {
    const link = coseCodec.decodeLink(parsed.links[i] as Uint8Array, i, DEFAULT_LIMITS);
    assert.equal(link.claims.prev, createHash('sha256').update(parsed.links[i - 1] as Uint8Array).digest('base64url'));
    assert.equal(link.bytes, parsed.links[i]);
  }
});

test('chain: bounds are checked before parsing', async () => {
  const chain = await chainOf(3);
  const text = coseCodec.serializeChain(chain);
  expectCode(() => coseCodec.parseChain(text, { ...DEFAULT_LIMITS, maxChainBytes: text.length - 1 }), 'chain_too_large');
  expectCode(() => coseCodec.parseChain(text, { ...DEFAULT_LIMITS, maxLinks: 2 }), 'chain_too_long');
  expectCode(() => coseCodec.parseChain(text, { ...DEFAULT_LIMITS, maxLinkBytes: (chain.links[0] as Uint8Array).length - 1 }), 'chain_too_large', 0);
  // A huge declared count is rejected on the head, without reading further.
  expectCode(() => coseCodec.parseChain(Buffer.from(hex('9b 0000000100000000')).toString('base64url'), DEFAULT_LIMITS), 'chain_too_long');
  const json = coseCodec.chainToJson(chain);
  expectCode(() => coseCodec.chainFromJson(json, { ...DEFAULT_LIMITS, maxLinks: 2 }), 'chain_too_long');
  expectCode(() => coseCodec.chainFromJson(json, { ...DEFAULT_LIMITS, maxChainBytes: 10 }), 'chain_too_large');
});

test('chain: malformed forms are rejected with their own codes', async () => {
  const chain = await chainOf(2);
  const raw = hex(Buffer.from(coseCodec.serializeChain(chain), 'base64url').toString('hex'));
  const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
  expectCode(() => coseCodec.parseChain('', DEFAULT_LIMITS), 'chain_malformed');
  expectCode(() => coseCodec.parseChain(`${b64(raw)}=`, DEFAULT_LIMITS), 'chain_malformed');
  expectCode(() => coseCodec.parseChain(`${b64(raw)}.x`, DEFAULT_LIMITS), 'chain_malformed');
  expectCode(() => coseCodec.parseChain(b64(hex('80')), DEFAULT_LIMITS), 'chain_malformed');
  expectCode(() => coseCodec.parseChain(b64(hex('a0')), DEFAULT_LIMITS), 'chain_malformed');
  expectCode(() => coseCodec.parseChain(b64(new Uint8Array([...raw, 0])), DEFAULT_LIMITS), 'cbor_trailing_bytes');
  expectCode(() => coseCodec.parseChain(b64(new Uint8Array([0x9f, ...raw.subarray(1), 0xff])), DEFAULT_LIMITS), 'cbor_indefinite_length');
  expectCode(() => coseCodec.parseChain(b64(new Uint8Array([0x98, 0x02, ...raw.subarray(1)])), DEFAULT_LIMITS), 'cbor_not_deterministic');
  // A problem inside the second element is attributed to link 1.
  const second = chain.links[1] as Uint8Array;
  const broken = new Uint8Array([0x82, ...(chain.links[0] as Uint8Array), ...second.subarray(0, second.length - 1)]);
  expectCode(() => coseCodec.parseChain(b64(broken), DEFAULT_LIMITS), 'cbor_malformed', 1);
  expectCode(() => coseCodec.chainFromJson([], DEFAULT_LIMITS), 'chain_malformed');
  expectCode(() => coseCodec.chainFromJson(['a+b/'], DEFAULT_LIMITS), 'chain_malformed');
  expectCode(() => coseCodec.chainFromJson('abc', DEFAULT_LIMITS), 'chain_malformed');
});

test('chain elements are decoded by decodeLink with the link rules (tag required)', async () => {
  const chain = await chainOf(1);
  const untagged = (chain.links[0] as Uint8Array).subarray(1);
  const text = Buffer.from(new Uint8Array([0x81, ...untagged])).toString('base64url');
  const parsed = coseCodec.parseChain(text, DEFAULT_LIMITS);
  expectCode(() => coseCodec.decodeLink(parsed.links[0] as Uint8Array, 0, DEFAULT_LIMITS), 'cose_tag_invalid', 0);
});

test('nothing but library errors escape decodeLink and parseChain (mutated and truncated links)', async () => {
  const chain = await chainOf(2);
  const link = chain.links[1] as Uint8Array;
  let seed = 7;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((seed / 2 ** 31) * n);
  };
  for (let i = 0; i < 3000; i++) {
    const mutated = i % 3 === 0 ? link.subarray(0, random(link.length)) : link.slice();
    if (i % 3 !== 0) mutated[random(mutated.length)] = random(256);
    for (const attempt of [
      () => coseCodec.decodeLink(mutated, 1, DEFAULT_LIMITS),
      () => coseCodec.parseChain(Buffer.from(new Uint8Array([0x81, ...mutated])).toString('base64url'), DEFAULT_LIMITS),
    ]) {
      try {
        attempt();
      } catch (error) {
        assert.ok(error instanceof TransitiveProofError, `unexpected ${String(error)}`);
      }
    }
  }
});
