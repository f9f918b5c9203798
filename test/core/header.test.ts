/**
 * Step 4 (SPEC-NOTES.md §6.2): header rules, before any key is looked up. Each faulty link is
 * re-signed by its legitimate signer, so the header rule is the only thing wrong with it.
 *
 * The algorithm allow-list is enforced twice (step 4 on the header, step 6 against the signer's
 * key), so the step-4 cases also break link 0's signature: only a check that runs for every link
 * before any signature can report the alg fault of link 1 first.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildChain,
  flipSignatureByte,
  hmacSignature,
  issuerTrust,
  makeParties,
  makeParty,
  rawLink,
  rawSignature,
  rejectsWith,
  resign,
  splitLink,
  verifyStandard,
  withLinks,
  JWT_TYP,
  b64u,
  linkText,
  type Party,
} from '../helpers/fixtures.js';

const p = await makeParties();
const valid = await buildChain(p, { length: 2 });
const [link0, link1] = valid.links as [Uint8Array, Uint8Array];
const brokenLink0 = flipSignatureByte(link0);
// A delegate with an RSA key, so RS256 (PKCS#1 v1.5) can be a genuine signature by the right key.
const rsa: Party = await makeParty('https://rsa.example', 'PS256');

/** The valid chain with link 1's header edited and link 1 re-signed by B. */
function link1Header(edit: (h: Record<string, unknown>) => unknown, root: Uint8Array = link0) {
  return withLinks(valid, [root, resign(link1, p.B, { header: edit })]);
}

describe('4.1 typ (typ_invalid)', () => {
  const refused: [string, (h: Record<string, unknown>) => unknown][] = [
    ['missing', ({ typ: _typ, ...h }) => h],
    ['JWT', (h) => ({ ...h, typ: 'JWT' })],
    ['at+jwt (access token)', (h) => ({ ...h, typ: 'at+jwt' })],
    ['dpop+jwt (DPoP proof)', (h) => ({ ...h, typ: 'dpop+jwt' })],
    ['application/at+jwt', (h) => ({ ...h, typ: 'application/at+jwt' })],
    ['the media type without +jwt', (h) => ({ ...h, typ: JWT_TYP.replace('+jwt', '') })],
    ['a prefix other than application/', (h) => ({ ...h, typ: `text/${JWT_TYP}` })],
    ['surrounding whitespace', (h) => ({ ...h, typ: ` ${JWT_TYP}` })],
  ];
  for (const [name, edit] of refused) {
    test(`refused: ${name}`, async () => {
      await rejectsWith(verifyStandard(p, link1Header(edit)), 'typ_invalid', 1);
    });
  }

  test('refused on the root link too (index 0)', async () => {
    const chain = withLinks(valid, [resign(link0, p.A, { header: (h) => ({ ...h, typ: 'JWT' }) }), link1]);
    // Link 1's prev no longer matches, but the header rule runs first.
    await rejectsWith(verifyStandard(p, chain), 'typ_invalid', 0);
  });

  const accepted = [JWT_TYP.toUpperCase(), `application/${JWT_TYP}`, `Application/${JWT_TYP.toUpperCase()}`];
  for (const typ of accepted) {
    test(`accepted: "${typ}" (case-insensitive, optional application/ prefix)`, async () => {
      const result = await verifyStandard(p, link1Header((h) => ({ ...h, typ })));
      assert.equal(result.links[1]?.header.typ, typ);
    });
  }
});

describe('4.2 keys are never taken from the header (header_forbidden)', () => {
  // Each parameter names B's own, correct key: still refused, because the header is attacker-controlled.
  const cases: [string, (h: Record<string, unknown>) => unknown][] = [
    ['jwk', (h) => ({ ...h, jwk: p.B.publicJwk })],
    ['jku', (h) => ({ ...h, jku: 'https://b.example/jwks.json' })],
    ['x5u', (h) => ({ ...h, x5u: 'https://b.example/cert.pem' })],
  ];
  for (const [name, edit] of cases) {
    test(name, async () => {
      await rejectsWith(verifyStandard(p, link1Header(edit)), 'header_forbidden', 1);
    });
  }

  const x5c = [Buffer.from('not a real certificate, no X.509 root is configured').toString('base64')];
  test('x5c on the root link without an X.509 root: only x509 roots claim a link 0 with x5c (untrusted_root)', async () => {
    const chain = withLinks(valid, [resign(link0, p.A, { header: (h) => ({ ...h, x5c }) }), link1]);
    await rejectsWith(verifyStandard(p, chain), 'untrusted_root', 0);
  });

  test('x5c on a delegate link whose parent names a key, not a certificate', async () => {
    await rejectsWith(verifyStandard(p, link1Header((h) => ({ ...h, x5c }))), 'header_forbidden', 1);
  });
});

describe('4.3 crit (crit_unsupported)', () => {
  test('a critical parameter is refused', async () => {
    await rejectsWith(verifyStandard(p, link1Header((h) => ({ ...h, exp: 1, crit: ['exp'] }))), 'crit_unsupported', 1);
  });

  test('crit naming b64 (unencoded payload) is refused', async () => {
    await rejectsWith(verifyStandard(p, link1Header((h) => ({ ...h, b64: true, crit: ['b64'] }))), 'crit_unsupported', 1);
  });
});

describe('4.4 algorithm (alg_not_allowed)', () => {
  const { header, claims } = splitLink(link1);

  function link1With(alg: string, signature: (input: string) => Uint8Array): Uint8Array {
    return rawLink({ ...header, alg }, claims, signature);
  }

  const cases: [string, () => Uint8Array][] = [
    ['none (with a signature part)', () => link1With('none', () => Uint8Array.of(0))],
    ['NoNe', () => link1With('NoNe', () => Uint8Array.of(0))],
    ['HS256 keyed with the delegate public JWK', () => link1With('HS256', (input) => hmacSignature(input, new TextEncoder().encode(JSON.stringify(p.B.publicJwk))))],
    ['HS256 keyed with the raw public key bytes', () => link1With('HS256', (input) => hmacSignature(input, Buffer.from(String(p.B.publicJwk.x), 'base64url')))],
    ['an alg that is not a string', () => rawLink({ ...header, alg: ['EdDSA'] }, claims, (input) => rawSignature(input, p.B))],
  ];
  for (const [name, make] of cases) {
    test(name, async () => {
      await rejectsWith(verifyStandard(p, withLinks(valid, [link0, make()])), 'alg_not_allowed', 1);
      // Before any signature: link 0's bad signature is not what is reported.
      await rejectsWith(verifyStandard(p, withLinks(valid, [brokenLink0, make()])), 'alg_not_allowed', 1);
    });
  }

  test('a missing alg', async () => {
    const link = rawLink({ typ: JWT_TYP }, claims, (input) => rawSignature(input, p.B));
    await rejectsWith(verifyStandard(p, withLinks(valid, [brokenLink0, link])), 'alg_not_allowed', 1);
  });

  test('the unsecured JWS form (alg none, empty signature) is not even a signed link', async () => {
    const text = `${b64u(JSON.stringify({ ...header, alg: 'none' }))}.${linkText(link1).split('.')[1]}.`;
    await rejectsWith(verifyStandard(p, withLinks(valid, [link0, new TextEncoder().encode(text)])), 'link_malformed', 1);
  });

  const rsaChain = (alg: string) =>
    buildChain(p, {
      length: 2,
      input: (i, input) => (i === 0 ? { ...input, delegate: { sub: rsa.id, cnf: rsa.cnf } } : { ...input, iss: rsa.id }),
      signer: (i, signer) => (i === 1 ? rsa.signer : signer),
      craft: (i, bytes) => (i === 1 && alg !== 'PS256' ? resign(bytes, rsa, { header: (h) => ({ ...h, alg }), alg }) : bytes),
    });

  test('RS256 by the committed RSA delegate key is refused; PS256 by the same key passes', async () => {
    await verifyStandard(p, await rsaChain('PS256'));
    const chain = await rsaChain('RS256');
    await rejectsWith(verifyStandard(p, chain), 'alg_not_allowed', 1);
    await rejectsWith(verifyStandard(p, withLinks(chain, [brokenLink0, chain.links[1] as Uint8Array])), 'alg_not_allowed', 1);
  });

  test('an algorithm missing from the trust allow-list (and the index of the link using it)', async () => {
    const es = await makeParty('https://es.example', 'ES256');
    const chain = await buildChain(p, {
      length: 2,
      input: (i, input) => (i === 0 ? { ...input, delegate: { sub: es.id, cnf: es.cnf } } : { ...input, iss: es.id }),
      signer: (i, signer) => (i === 1 ? es.signer : signer),
    });
    await verifyStandard(p, chain, { context: { requester: { id: p.B2.id, jkt: p.B2.jkt } } });
    const trust = issuerTrust(p, { algorithms: ['EdDSA'] });
    await rejectsWith(verifyStandard(p, chain, { trust }), 'alg_not_allowed', 1);
    await rejectsWith(verifyStandard(p, withLinks(chain, [brokenLink0, chain.links[1] as Uint8Array]), { trust }), 'alg_not_allowed', 1);
  });

  test('an algorithm the root configuration does not allow (step 6, for that root only)', async () => {
    const trust = { roots: [{ type: 'issuer' as const, iss: p.A.id, jwks: { keys: [p.A.publicJwk] }, algorithms: ['ES256' as const] }] };
    await rejectsWith(verifyStandard(p, valid, { trust }), 'alg_not_allowed', 0);
    await verifyStandard(p, valid, { trust: { roots: [{ ...trust.roots[0]!, algorithms: ['EdDSA'] }] } });
  });

  test('an ES256 header on a link whose signer key is Ed25519 (genuine ES256 signature by another key)', async () => {
    const es = await makeParty('https://es.example', 'ES256');
    const link = resign(link1, es, { header: (h) => ({ ...h, alg: 'ES256' }) });
    await rejectsWith(verifyStandard(p, withLinks(valid, [link0, link])), 'alg_not_allowed', 1);
  });

  test('Ed25519 (the fully-specified name) with the Ed25519 delegate key passes', async () => {
    const link = resign(link1, p.B, { header: (h) => ({ ...h, alg: 'Ed25519' }), alg: 'Ed25519' });
    const result = await verifyStandard(p, withLinks(valid, [link0, link]));
    assert.equal(result.links[1]?.header.alg, 'Ed25519');
  });
});
