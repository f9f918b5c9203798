/**
 * Strict reading of JWT links (SPEC-NOTES.md §4.1, step 3): what two JSON parsers could read
 * differently is refused as link_malformed, and the strict reader itself.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStrictJson } from '../../lib/model/strict-json.js';
import { buildChain, makeParties, rawSignature, rejectsWith, splitLink, verifyStandard, withLinks } from '../helpers/fixtures.js';

const p = await makeParties();
const valid = await buildChain(p, { length: 2 });
const [link0, link1] = valid.links as [Uint8Array, Uint8Array];
const b64u = (text: string | Uint8Array): string => Buffer.from(text).toString('base64url');

/** Link 1 with its header and claims JSON text edited as text, validly signed by B. */
function link1Text(editHeader: (text: string) => string, editClaims: (text: string) => string): Uint8Array {
  const { header, claims } = splitLink(link1);
  const input = `${b64u(editHeader(JSON.stringify(header)))}.${b64u(editClaims(JSON.stringify(claims)))}`;
  return new TextEncoder().encode(`${input}.${b64u(rawSignature(input, p.B))}`);
}
const same = (text: string): string => text;

describe('JWT links are read strictly (link_malformed)', () => {
  const { claims } = splitLink(link1);
  const cases: [string, (t: string) => string, (t: string) => string][] = [
    ['a payload member twice (scope narrow, then wide)', same, (t) => t.replace(`"scope":"${String(claims.scope)}"`, `"scope":"${String(claims.scope)}","scope":"read write admin"`)],
    ['a header member twice (typ JWT, then the link type)', (t) => t.replace('"typ":"tmb-link+jwt"', '"typ":"JWT","typ":"tmb-link+jwt"'), same],
    ['a duplicate inside a nested object', same, (t) => t.replace('"may_act":{', '"may_act":{"sub":"x",')],
    ['exp with twenty fractional digits (JSON.parse rounds it)', same, (t) => t.replace(`"exp":${String(claims.exp)}`, `"exp":${Number(claims.exp) - 1}.99999999999999999999`)],
    ['a NumericDate written 1.0', same, (t) => t.replace(`"iat":${String(claims.iat)}`, `"iat":${String(claims.iat)}.0`)],
    ['an integer written with an exponent', same, (t) => t.replace(`"depth":${String(claims.depth)}`, '"depth":0e0')],
    ['an integer beyond 2^53 − 1', same, (t) => t.replace(`"exp":${String(claims.exp)}`, '"exp":19000000000000000001')],
    ['an escaped lone surrogate', same, (t) => t.replace(`"jti":"`, '"jti":"\\ud800')],
    ['a leading byte order mark', same, (t) => `\ufeff${t}`],
  ];
  for (const [name, header, payload] of cases) {
    test(name, async () => {
      await rejectsWith(verifyStandard(p, withLinks(valid, [link0, link1Text(header, payload)])), 'link_malformed', 1);
    });
  }

  test('control: the same edits without the fault verify, and escapes that spell ordinary text are fine', async () => {
    await verifyStandard(p, withLinks(valid, [link0, link1Text(same, same)]));
    await verifyStandard(p, withLinks(valid, [link0, link1Text(same, (t) => t.replace('"jti":"', '"jti":"\\u0041'))]));
  });
});

describe('parseStrictJson', () => {
  test('"__proto__" is an ordinary own member, and objects are ordinary objects', () => {
    const value = parseStrictJson('{"__proto__":{"admin":true},"a":1}', { maxDepth: 4 }) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.deepEqual(Object.keys(value), ['__proto__', 'a']);
    assert.equal((value as { admin?: unknown }).admin, undefined);
  });
  test('integers only, within the safe range; -0 and 0 are integers', () => {
    assert.equal(parseStrictJson('[9007199254740991]', { maxDepth: 2 }) instanceof Array, true);
    for (const text of ['[1.5]', '[1e3]', '[1E3]', '[9007199254740992]', '[01]', '[-]', '[.5]']) {
      assert.throws(() => parseStrictJson(text, { maxDepth: 2 }), /at offset/, text);
    }
  });
  test('depth is bounded before recursing', () => {
    assert.throws(() => parseStrictJson('['.repeat(100000), { maxDepth: 8 }), /nesting deeper than 8/);
  });
});
