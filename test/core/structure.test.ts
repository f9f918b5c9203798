/**
 * Steps 1–3 (SPEC-NOTES.md §6.2): bounds are checked before the work they protect, the chain splits
 * into links, and each link decodes into a JSON header and a JSON object payload within the nesting
 * limit. Faults are placed on link 1 of an otherwise valid chain where the step is per link, so the
 * reported index is checked too.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chainToJson, DEFAULT_LIMITS, serializeChain, type Chain } from '../../lib/index.js';
import {
  b64u,
  b64uJson,
  buildChain,
  issuerTrust,
  jsonDepth,
  linkText,
  makeParties,
  NO_LINK,
  rejectsWith,
  resign,
  splitLink,
  verifyStandard,
  withLinks,
} from '../helpers/fixtures.js';
import { ALL_PARTS } from '../helpers/parts.js';

const p = await makeParties();
const encoder = new TextEncoder();
const valid = await buildChain(p, { length: 2 });
const [link0, link1] = valid.links as [Uint8Array, Uint8Array];

/** The valid chain with link 1 replaced by `text`. */
function withLink1(text: string): Chain {
  return withLinks(valid, [link0, encoder.encode(text)]);
}

describe('step 1: bounds (chain_too_large, chain_too_long)', () => {
  test('a text chain longer than the default maxChainBytes is refused before anything else', async () => {
    const huge = 'a.b.c~'.repeat(Math.ceil(DEFAULT_LIMITS.maxChainBytes / 6) + 1);
    assert.ok(huge.length > DEFAULT_LIMITS.maxChainBytes);
    await rejectsWith(verifyStandard(p, huge), 'chain_too_large', NO_LINK);
  });

  test('maxChainBytes from the trust configuration applies to the text, JSON and value forms', async () => {
    const text = serializeChain(valid, ALL_PARTS);
    const json = JSON.stringify(chainToJson(valid, ALL_PARTS));
    const linkBytes = valid.links.reduce((n, link) => n + link.length, 0);
    for (const [input, size] of [[text, text.length], [json, json.length], [chainToJson(valid, ALL_PARTS), linkBytes], [valid, linkBytes]] as const) {
      await rejectsWith(verifyStandard(p, input, { length: 2, trust: issuerTrust(p, { limits: { maxChainBytes: size - 1 } }) }), 'chain_too_large', NO_LINK);
      const result = await verifyStandard(p, input, { length: 2, trust: issuerTrust(p, { limits: { maxChainBytes: size } }) });
      assert.equal(result.links.length, 2);
    }
  });

  test('maxChainBytes counts UTF-8 bytes: 2-, 3- and 4-byte characters and lone surrogates, wherever they fall', async () => {
    const text = serializeChain(valid);
    for (const pad of ['', 'a', 'aa', 'aaa', 'aaaa', 'aaaaa']) {
      // Over 16 Ki code units (the size counted per slice), with a surrogate pair at every offset mod 6 (the pattern's period).
      const tail = `${pad}${'é€😀\ud800b'.repeat(3500)}`;
      const input = `${text}~${tail}`;
      const size = Buffer.byteLength(input, 'utf8');
      const limits = { maxChainBytes: size, maxLinkBytes: 65_536, maxLinks: 8 };
      await rejectsWith(verifyStandard(p, input, { trust: issuerTrust(p, { limits: { ...limits, maxChainBytes: size - 1 } }) }), 'chain_too_large', NO_LINK);
      // At the bound, step 1 passes: the fault found is the third link's, not the size.
      await rejectsWith(verifyStandard(p, input, { trust: issuerTrust(p, { limits }) }), 'link_malformed', 2);
    }
  });

  test('maxLinkBytes bounds each link and names the oversized one', async () => {
    const chain = await buildChain(p, { length: 2, input: (i, input) => (i === 1 ? { ...input, jti: 'x'.repeat(200) } : input) });
    const [first, second] = chain.links as [Uint8Array, Uint8Array];
    assert.ok(second.length > first.length);
    await rejectsWith(verifyStandard(p, chain, { trust: issuerTrust(p, { limits: { maxLinkBytes: second.length - 1 } }) }), 'chain_too_large', 1);
    await verifyStandard(p, chain, { trust: issuerTrust(p, { limits: { maxLinkBytes: second.length } }) });
  });

  test('the link count is checked before any link is decoded (text, JSON array and value forms)', async () => {
    const tooMany = Array.from({ length: DEFAULT_LIMITS.maxLinks + 1 }, () => 'a.b.c');
    await rejectsWith(verifyStandard(p, tooMany.join('~')), 'chain_too_long', NO_LINK);
    await rejectsWith(verifyStandard(p, JSON.stringify(tooMany)), 'chain_too_long', NO_LINK);
    await rejectsWith(verifyStandard(p, tooMany), 'chain_too_long', NO_LINK);
    await rejectsWith(verifyStandard(p, { format: 'jwt', links: tooMany.map((t) => encoder.encode(t)) }), 'chain_too_long', NO_LINK);
    // Control: at the limit the count passes and decoding reports the garbage link itself.
    await rejectsWith(verifyStandard(p, tooMany.slice(1).join('~')), 'link_malformed', 0);
  });

  test('maxLinks from the trust configuration', async () => {
    const chain = await buildChain(p, { length: 3 });
    await rejectsWith(verifyStandard(p, serializeChain(chain, ALL_PARTS), { length: 3, trust: issuerTrust(p, { limits: { maxLinks: 2 } }) }), 'chain_too_long', NO_LINK);
    await rejectsWith(verifyStandard(p, chain, { trust: issuerTrust(p, { limits: { maxLinks: 2 } }) }), 'chain_too_long', NO_LINK);
    await verifyStandard(p, chain, { trust: issuerTrust(p, { limits: { maxLinks: 3 } }) });
  });
});

describe('step 2: splitting (chain_malformed)', () => {
  const t0 = linkText(link0);
  const t1 = linkText(link1);
  const cases: [string, unknown][] = [
    ['empty text', ''],
    ['whitespace only', '  \n'],
    ['an empty link between separators (~~)', `${t0}~~${t1}`],
    ['a leading separator', `~${t0}~${t1}`],
    ['a trailing separator', `${t0}~${t1}~`],
    ['JSON form that is not JSON', `["${t0}", "${t1}"`],
    ['JSON form that is an empty array', '[]'],
    ['JSON form whose first entry is not a string', '[1]'],
    ['JSON form with a non-string entry', JSON.stringify([t0, 7])],
    ['JSON form with an empty entry', JSON.stringify([t0, ''])],
    ['an empty array', []],
    ['an array with a non-string entry', [t0, null]],
    ['a chain value with no links', { format: 'jwt', links: [] }],
  ];
  for (const [name, input] of cases) {
    test(name, async () => {
      await rejectsWith(verifyStandard(p, input as string), 'chain_malformed', NO_LINK);
    });
  }
});

describe('step 3: link decoding (link_malformed)', () => {
  const [h, c, s] = linkText(link1).split('.') as [string, string, string];
  const cases: [string, string][] = [
    ['two parts', `${h}.${c}`],
    ['four parts', `${h}.${c}.${s}.${s}`],
    ['five parts (JWE shape)', `${h}.${c}.${s}.${s}.${s}`],
    ['an empty signature part', `${h}.${c}.`],
    ['padding (=) in a segment', `${h}.${c}.${s}=`],
    ['standard base64 characters (+ /) in a segment', `${h}.${c.slice(0, -2)}+/.${s}`],
    ['a payload that is not JSON', `${h}.${b64u('not json')}.${s}`],
    ['a payload that is not UTF-8', `${h}.${b64u(Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d))}.${s}`],
    ['an array payload', `${h}.${b64uJson([splitLink(link1).claims])}.${s}`],
    ['a null payload', `${h}.${b64uJson(null)}.${s}`],
    ['a string payload', `${h}.${b64uJson('claims')}.${s}`],
    ['a header that is not JSON', `${b64u('{alg')}.${c}.${s}`],
    ['an array header', `${b64uJson([{ alg: 'EdDSA' }])}.${c}.${s}`],
  ];
  for (const [name, text] of cases) {
    test(name, async () => {
      await rejectsWith(verifyStandard(p, withLink1(text)), 'link_malformed', 1);
    });
  }

  // x5c is decoded in step 3, before any X.509 root is considered (the rest of §7 is tested in test/x509).
  const der = Buffer.from('DER bytes are not parsed in step 3').toString('base64');
  const x5cCases: [string, unknown, 'x5c_malformed' | 'x5c_too_many'][] = [
    ['x5c that is a string', der, 'x5c_malformed'],
    ['x5c that is an empty array', [], 'x5c_malformed'],
    ['x5c with a base64url (not standard base64) entry', ['ab-_'], 'x5c_malformed'],
    ['x5c with a non-string entry', [1], 'x5c_malformed'],
    [`x5c with more than maxCertificates (${DEFAULT_LIMITS.maxCertificates}) entries`, Array.from({ length: DEFAULT_LIMITS.maxCertificates + 1 }, () => der), 'x5c_too_many'],
    // Counted before any entry is examined (§6.2 step 3, §7.2 rule 1): too many beats a non-canonical entry.
    [`x5c with more than maxCertificates entries, one of them not canonical base64`, [...Array.from({ length: DEFAULT_LIMITS.maxCertificates }, () => der), 'ab-_'], 'x5c_too_many'],
  ];
  for (const [name, x5c, code] of x5cCases) {
    test(name, async () => {
      await rejectsWith(verifyStandard(p, withLinks(valid, [link0, resign(link1, p.B, { header: (h) => ({ ...h, x5c }) })])), code, 1);
    });
  }

  test('maxCertificates from the trust configuration', async () => {
    const two = withLinks(valid, [link0, resign(link1, p.B, { header: (h) => ({ ...h, x5c: [der, der] }) })]);
    await rejectsWith(verifyStandard(p, two, { trust: issuerTrust(p, { limits: { maxCertificates: 1 } }) }), 'x5c_too_many', 1);
    // Within the bound, decoding passes and the later rule refuses the x5c of a key-identified signer.
    await rejectsWith(verifyStandard(p, two, { trust: issuerTrust(p, { limits: { maxCertificates: 2 } }) }), 'header_forbidden', 1);
  });

  /** Link 1 re-signed by B with an extra JWK member nested `levels` deep inside may_act.cnf.jwk. */
  function nested(levels: number): Uint8Array {
    return resign(link1, p.B, {
      claims: (claims) => {
        let deep: Record<string, unknown> = {};
        for (let i = 1; i < levels; i++) deep = { n: deep };
        const mayAct = claims.may_act as { cnf: { jwk: Record<string, unknown> } };
        mayAct.cnf.jwk.ext_nested = deep;
        return claims;
      },
    });
  }

  test('claims nested deeper than the default maxNesting are refused; at the limit they pass', async () => {
    // The extra JWK member is allowed by the claims schema, so only the nesting bound can refuse it.
    let levels = 1;
    while (jsonDepth(splitLink(nested(levels)).claims) < DEFAULT_LIMITS.maxNesting) levels++;
    assert.equal(jsonDepth(splitLink(nested(levels)).claims), DEFAULT_LIMITS.maxNesting);
    await verifyStandard(p, withLinks(valid, [link0, nested(levels)]));
    await rejectsWith(verifyStandard(p, withLinks(valid, [link0, nested(levels + 1)])), 'link_malformed', 1);
  });

  test('maxNesting from the trust configuration applies to ordinary claims', async () => {
    const depth = jsonDepth(splitLink(link0).claims);
    await verifyStandard(p, valid, { trust: issuerTrust(p, { limits: { maxNesting: depth } }) });
    await rejectsWith(verifyStandard(p, valid, { trust: issuerTrust(p, { limits: { maxNesting: depth - 1 } }) }), 'link_malformed', 0);
  });
});
