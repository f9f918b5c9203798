/**
 * Chains as values (SPEC-NOTES.md §4.2): the compact and JSON forms round-trip to the exact link
 * bytes, and delegate() mints a link that inherits what it must and stays inside its parent's window.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  chainToJson,
  decodeChain,
  delegate,
  mintLink,
  parseChain,
  serializeChain,
  startChain,
  TransitiveProofError,
  type Chain,
  type LinkClaims,
} from '../../lib/index.js';
import {
  buildChain,
  linkText,
  makeParties,
  NOW,
  NOW_S,
  rejectsWith,
  splitLink,
  standardInput,
  verifyStandard,
} from '../helpers/fixtures.js';
import { ALL_PARTS } from '../helpers/parts.js';

const p = await makeParties();
const chain3 = await buildChain(p, { length: 3 });

function sameLinks(actual: Chain, expected: Chain): void {
  assert.equal(actual.format, expected.format);
  assert.deepEqual(actual.links.map((l) => Buffer.from(l).toString('hex')), expected.links.map((l) => Buffer.from(l).toString('hex')));
}

describe('text and JSON forms', () => {
  test('the compact form is the link texts joined by ~ and parses back to the same bytes', () => {
    const text = serializeChain(chain3, ALL_PARTS);
    assert.equal(text, chain3.links.map(linkText).join('~'));
    sameLinks(parseChain(text, ALL_PARTS), chain3);
  });

  test('the text is taken exactly as received: surrounding white space, a BOM or a line break is not trimmed', () => {
    const text = serializeChain(chain3, ALL_PARTS);
    for (const [wrapped, index] of [[`  ${text}`, 0], [`${text}\r\n`, 2], [`\ufeff${text}`, 0], [`${text}\u00a0`, 2]] as const) {
      assert.throws(() => decodeChain(parseChain(wrapped, ALL_PARTS), ALL_PARTS), (error: unknown) => error instanceof TransitiveProofError && error.code === 'link_malformed' && error.linkIndex === index, JSON.stringify(wrapped.slice(0, 3)));
    }
  });

  test('each link is the UTF-8 of its own part, in an ASCII chain and in one with other characters', () => {
    const parts = chain3.links.map(linkText);
    for (const middle of [parts[1] as string, `${parts[1]}é`, `😀${parts[1]}`, '\ud800']) {
      const links = parseChain([parts[0], middle, parts[2]].join('~'), ALL_PARTS).links;
      assert.deepEqual(links.map((l) => Buffer.from(l).toString('hex')), [parts[0], middle, parts[2]].map((t) => Buffer.from(t as string, 'utf8').toString('hex')), middle.slice(-2));
    }
  });

  test('the JSON form is an array of the link texts and parses back, as text or as an array', () => {
    const json = chainToJson(chain3, ALL_PARTS);
    assert.deepEqual(json, chain3.links.map(linkText));
    sameLinks(parseChain(JSON.stringify(json), ALL_PARTS), chain3);
    sameLinks(parseChain(json, ALL_PARTS), chain3);
  });

  test('the JSON form as text ends at its closing bracket: white space or a line break after it is refused, white space between its tokens is JSON\'s', () => {
    // SPEC-NOTES.md §6.2 step 1: the text is taken exactly as received; a JSON text may end in
    // white space (RFC 8259), so a reader that parses it as such accepts what the step refuses.
    const json = JSON.stringify(chainToJson(chain3, ALL_PARTS));
    for (const wrapped of [`${json}\n`, `${json}\r\n`, `${json} `, `${json}\t`]) {
      assert.throws(() => parseChain(wrapped, ALL_PARTS), (error: unknown) => error instanceof TransitiveProofError && error.code === 'chain_malformed' && error.linkIndex === undefined, JSON.stringify(wrapped.slice(-2)));
    }
    sameLinks(parseChain(JSON.stringify(chainToJson(chain3, ALL_PARTS), null, 2), ALL_PARTS), chain3);
  });

  test('a chain value passes through parseChain unchanged', () => {
    sameLinks(parseChain(chain3, ALL_PARTS), chain3);
  });

  test('decodeChain shows the claims each link carries', () => {
    const decoded = decodeChain(chain3, ALL_PARTS);
    assert.deepEqual(decoded.map((link) => link.claims), chain3.links.map((link) => splitLink(link).claims));
    assert.deepEqual(decoded.map((link) => link.index), [0, 1, 2]);
  });

  test('every form verifies to the same result', async () => {
    const forms = [chain3, serializeChain(chain3, ALL_PARTS), chainToJson(chain3, ALL_PARTS), JSON.stringify(chainToJson(chain3, ALL_PARTS))];
    const results = await Promise.all(forms.map((form) => verifyStandard(p, form, { length: 3 })));
    for (const result of results) assert.deepEqual(result, results[0]);
  });
});

const rootInput = standardInput(p, 'issuer', 0, 3);
const rootChain = await startChain(rootInput, p.A.signer, { ...ALL_PARTS, now: NOW });

describe('delegate()', () => {
  const newDelegate = { sub: p.B2.id, cnf: p.B2.cnf };
  const claimsOf = (chain: Chain, index: number) => splitLink(chain.links[index] as Uint8Array).claims as unknown as LinkClaims;

  test('iss is the parent delegate; sub, aud, tmb, scope inherited; depth one less; exp the parent\'s', async () => {
    const chain = await delegate(rootChain, { delegate: newDelegate }, p.B.signer, { ...ALL_PARTS, now: NOW });
    const child = claimsOf(chain, 1);
    assert.equal(child.iss, p.B.id);
    assert.equal(child.sub, rootInput.sub);
    assert.equal(child.aud, rootInput.aud);
    assert.deepEqual(child.tmb, rootInput.tmb);
    assert.equal(child.scope, rootInput.scope);
    assert.equal(child.depth, (rootInput.depth ?? 0) - 1);
    assert.deepEqual(child.may_act, newDelegate);
    assert.equal(child.iat, NOW_S);
    assert.equal(child.exp, rootInput.exp);
    assert.equal(child.nbf, undefined);
    assert.equal(child.prev, createHash('sha256').update(rootChain.links[0] as Uint8Array).digest('base64url'));
    const result = await verifyStandard(p, chain, { length: 2 });
    assert.equal(result.act.sub, p.B2.id);
  });

  test('a narrower scope and explicit depth are kept', async () => {
    const chain = await delegate(rootChain, { delegate: newDelegate, scope: ['write', 'read'], depth: 0 }, p.B.signer, { ...ALL_PARTS, now: NOW });
    const child = claimsOf(chain, 1);
    assert.equal(child.scope, 'write read');
    assert.equal(child.depth, 0);
    await verifyStandard(p, chain, { length: 2 });
  });

  test('expiresIn shortens the link but never past the parent\'s exp', async () => {
    const short = await delegate(rootChain, { delegate: newDelegate, expiresIn: 60 }, p.B.signer, { ...ALL_PARTS, now: NOW });
    assert.equal(claimsOf(short, 1).exp, NOW_S + 60);
    const long = await delegate(rootChain, { delegate: newDelegate, expiresIn: 10 * 86_400 }, p.B.signer, { ...ALL_PARTS, now: NOW });
    assert.equal(claimsOf(long, 1).exp, rootInput.exp);
    await verifyStandard(p, long, { length: 2 });
  });

  test('a parent that starts in the future (nbf): the child gets the same start and the chain verifies then', async () => {
    const start = NOW_S + 3600;
    const root = await startChain({ ...rootInput, nbf: start, exp: start + 600 }, p.A.signer, { ...ALL_PARTS, now: NOW });
    const chain = await delegate(root, { delegate: newDelegate }, p.B.signer, { ...ALL_PARTS, now: NOW });
    const child = claimsOf(chain, 1);
    assert.equal(child.nbf, start);
    assert.ok(child.iat <= start);
    await rejectsWith(verifyStandard(p, chain, { length: 2 }), 'not_yet_valid', 0);
    await verifyStandard(p, chain, { length: 2, context: { now: new Date((start + 1) * 1000) } });
  });

  test('a parent issued after the delegate\'s clock: the child starts no earlier than the parent', async () => {
    const parentIat = NOW_S + 20;
    const root = await startChain({ ...rootInput, iat: parentIat, exp: parentIat + 600 }, p.A.signer, { ...ALL_PARTS, now: NOW });
    const chain = await delegate(root, { delegate: newDelegate }, p.B.signer, { ...ALL_PARTS, now: NOW });
    const child = claimsOf(chain, 1);
    assert.ok((child.nbf ?? child.iat) >= parentIat);
    await verifyStandard(p, chain, { length: 2 });
  });

  test('three delegations in a row verify, with act built from the delegates', async () => {
    let chain = await delegate(rootChain, { delegate: newDelegate }, p.B.signer, { ...ALL_PARTS, now: NOW });
    chain = await delegate(chain, { delegate: { sub: p.B3.id, cnf: p.B3.cnf } }, p.B2.signer, { ...ALL_PARTS, now: NOW });
    const result = await verifyStandard(p, chain, { length: 3 });
    assert.deepEqual(result.act, { sub: p.B3.id, act: { sub: p.B2.id, act: { sub: p.B.id } } });
  });

  test('delegating from an empty chain is a usage error', async () => {
    await rejectsWith(delegate({ format: 'jwt', links: [] }, { delegate: newDelegate }, p.B.signer, { ...ALL_PARTS, now: NOW }), 'invalid_argument', undefined);
  });
});

describe('minting refuses what no verifier accepts', () => {
  test('claims outside the schema', async () => {
    await assert.rejects(mintLink({ ...standardInput(p, 'issuer', 0, 1), iss: '' }, p.A.signer, { ...ALL_PARTS, now: NOW }), (error: unknown) => {
      assert.ok(error instanceof TransitiveProofError);
      assert.equal(error.code, 'invalid_argument');
      return true;
    });
  });

  test('a key that cannot sign the algorithm', async () => {
    await rejectsWith(mintLink(standardInput(p, 'issuer', 0, 1), { privateKey: p.A.privateJwk, alg: 'ES256' }, { ...ALL_PARTS, now: NOW }), 'invalid_argument', undefined);
  });
});
