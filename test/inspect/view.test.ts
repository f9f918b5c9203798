/**
 * The inspection view model (lib/inspect): what `tproof inspect` and the web page show. Expected
 * values are computed from the inputs the chains were minted with (the fixtures' scopes, times and
 * parties), not read back from the view.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { linkHash, mintLink, serializeChain, chainToJson, type Chain, type VerificationStep } from '../../lib/index.js';
import { inspectChain, readChainInput, summarizeCertificates, verifyOutcome } from '../../lib/inspect/index.js';
import { createCertificateAuthority, createLeaf } from '../../lib/x509/issue.js';
import { CODECS } from '../helpers/parts.js';
import {
  AUDIENCE, buildChain, contextFor, delegateOf, issuerTrust, LINK_EXPS, LINK_IATS, LINK_SCOPES, makeParties, NOW, NOW_S, SUBJECT,
  trustFor, type Parties,
} from '../helpers/fixtures.js';

let p: Parties;
before(async () => {
  p = await makeParties();
});

const tokens = (scope: string): string[] => scope.split(' ');

describe('inspectChain', () => {
  test('each link shows the scope tokens its parent had and it does not (removed), and none added', async () => {
    const view = await inspectChain(await buildChain(p, { length: 3 }), { now: NOW });
    for (const [index, link] of view.links.entries()) {
      const own = tokens(LINK_SCOPES[index] as string);
      const parent = index === 0 ? own : tokens(LINK_SCOPES[index - 1] as string);
      assert.deepEqual(link.scope.tokens, own);
      assert.deepEqual(link.scope.removed, parent.filter((token) => !own.includes(token)));
      assert.deepEqual(link.scope.added, []);
    }
  });

  test('a widening link shows the tokens it added', async () => {
    const chain = await buildChain(p, { length: 2, input: (index, input) => (index === 1 ? { ...input, scope: 'read write delete' } : input) });
    const view = await inspectChain(chain, { now: NOW });
    assert.deepEqual(view.links[1]?.scope.added, ['delete']);
    assert.deepEqual(view.links[1]?.scope.removed, tokens(LINK_SCOPES[0]).filter((token) => !['read', 'write', 'delete'].includes(token)));
  });

  test('validity windows: nested inside the parent\'s, or not; state against now with the tolerance', async () => {
    const nested = await inspectChain(await buildChain(p, { length: 3 }), { now: NOW });
    for (const [index, link] of nested.links.entries()) {
      assert.equal(link.validity.start, LINK_IATS[index]);
      assert.equal(link.validity.exp, LINK_EXPS[index]);
      assert.equal(link.validity.nested, index === 0 ? undefined : true);
      assert.equal(link.validity.state, 'valid');
    }
    const outliving = await buildChain(p, { length: 2, input: (index, input) => (index === 1 ? { ...input, exp: LINK_EXPS[0] + 1 } : input) });
    assert.equal((await inspectChain(outliving, { now: NOW })).links[1]?.validity.nested, false);

    const tolerance = 30;
    const at = async (seconds: number) => (await inspectChain(await buildChain(p, { length: 1 }), { now: new Date(seconds * 1000), toleranceSeconds: tolerance })).links[0]?.validity.state;
    assert.equal(await at(LINK_EXPS[0] + tolerance), 'expired'); // step 12: exp > now − t, else expired
    assert.equal(await at(LINK_EXPS[0] + tolerance - 1), 'valid');
    assert.equal(await at(LINK_IATS[0] - tolerance - 1), 'not_yet_valid'); // start ≤ now + t, else not yet valid
    assert.equal(await at(LINK_IATS[0] - tolerance), 'valid');
  });

  test('the timeline span covers every window and now', async () => {
    const later = NOW_S + 3600;
    const view = await inspectChain(await buildChain(p, { length: 3 }), { now: new Date(later * 1000) });
    assert.deepEqual(view.span, { from: Math.min(...LINK_IATS), to: later });
  });

  test('signer kinds as the links present them: issuer, holder, X.509 with its identity, then delegates', async () => {
    const issuer = await inspectChain(await buildChain(p, { length: 2 }), { now: NOW });
    assert.deepEqual(issuer.links.map((link) => link.signer.kind), ['issuer', 'delegate']);
    assert.equal(issuer.links[1]?.signer.key, `jwk (jkt ${p.B.jkt})`); // the key link 0 named for B
    const holder = await inspectChain(await buildChain(p, { root: 'holder', length: 2 }), { now: NOW });
    assert.deepEqual(holder.links.map((link) => link.signer.kind), ['holder', 'delegate']);

    const validity = { keyAlg: 'ES256' as const, notBefore: NOW_S - 60, notAfter: NOW_S + 3600 };
    const ca = await createCertificateAuthority({ ...validity, subject: 'CN=test CA' });
    const spiffeId = 'spiffe://example.org/agent';
    const leaf = await createLeaf({ ...validity, issuer: ca, spiffeId });
    const bytes = await mintLink({
      iss: spiffeId, sub: spiffeId, aud: AUDIENCE, scope: 'read', tmb: p.C.cnf, delegate: { sub: p.B.id, cnf: p.B.cnf }, depth: 0, iat: NOW_S, exp: NOW_S + 60,
    }, { privateKey: leaf.privateJwk, alg: 'ES256', x5c: [leaf.certificate] }, { now: NOW });
    const x509 = await inspectChain({ format: 'jwt', links: [bytes] }, { now: NOW, describeCertificates: summarizeCertificates });
    assert.equal(x509.links[0]?.signer.kind, 'x509');
    assert.equal(x509.links[0]?.signer.certificate?.identity, spiffeId);
    assert.deepEqual(x509.links[0]?.signer.certificate?.sans, [`url:${spiffeId}`]);
  });

  test('prev: each link\'s hash, and whether the next link\'s prev is it', async () => {
    const chain = await buildChain(p, { length: 3 });
    const view = await inspectChain(chain, { now: NOW });
    for (const [index, link] of view.links.entries()) assert.equal(link.hash, await linkHash(chain.links[index] as Uint8Array));
    assert.deepEqual(view.links.map((link) => link.prev?.matchesParent), [undefined, true, true]);
    const other = await buildChain(p, { length: 3, input: (index, input) => ({ ...input, jti: `other-${index}` }) });
    const spliced: Chain = { format: 'jwt', links: [chain.links[0] as Uint8Array, other.links[1] as Uint8Array, other.links[2] as Uint8Array] };
    assert.deepEqual((await inspectChain(spliced, { now: NOW })).links.map((link) => link.prev?.matchesParent), [undefined, false, true]);
  });

  test('parties run from the root issuer through each delegate to the requester; the request is read from the chain', async () => {
    const view = await inspectChain(await buildChain(p, { length: 3 }), { now: NOW });
    assert.deepEqual(view.parties, [
      { id: p.A.id, role: 'root' }, { id: p.B.id, role: 'delegate' }, { id: p.B2.id, role: 'delegate' }, { id: p.B3.id, role: 'requester' },
    ]);
    assert.deepEqual(view.request, { audience: AUDIENCE, requester: { id: delegateOf(p, 2).id, jkt: delegateOf(p, 2).jkt }, scope: LINK_SCOPES[2] });
    assert.equal(view.links[0]?.claims.sub, SUBJECT);
  });

  test('a JWT link has no CBOR diagnostic notation', async () => {
    const jwt = await inspectChain(await buildChain(p, { length: 1 }), { now: NOW });
    assert.equal(jwt.links[0]?.diagnostic, undefined);
  });
});

describe('readChainInput', () => {
  test('compact text, the JSON form, hex and raw CBOR bytes all read as the same links', async () => {
    const chain = await buildChain(p, { length: 2 });
    const compact = serializeChain(chain);
    for (const input of [compact, `\n  ${compact}\n`, JSON.stringify(chainToJson(chain)), new TextEncoder().encode(compact)]) {
      assert.deepEqual(readChainInput(input).links, chain.links);
    }
    const { startChain } = await import('../../lib/index.js');
    const cbor = await startChain({ iss: p.A.id, sub: SUBJECT, aud: AUDIENCE, scope: 'read', tmb: p.C.cnf, delegate: { sub: p.B.id, cnf: p.B.cnf }, depth: 0 }, p.A.signer, { format: 'cwt', ...CODECS });
    const bytes = Buffer.from(serializeChain(cbor, CODECS), 'base64url');
    for (const input of [serializeChain(cbor, CODECS), bytes.toString('hex'), bytes.toString('hex').toUpperCase().replace(/(..)/g, '$1 '), new Uint8Array(bytes)]) {
      assert.deepEqual(readChainInput(input), cbor);
    }
    const view = await inspectChain(cbor);
    // alg EdDSA is COSE -8; the kid is a byte string (RFC 9052 §3.1).
    const kid = Buffer.from(p.A.signer.kid ?? '').toString('hex');
    assert.ok(view.links[0]?.diagnostic?.startsWith(`18([\n  / protected / << {1: -8, 4: h'${kid}', 16: "tmb-link+cwt"} >>`), view.links[0]?.diagnostic);
  });

  test('input larger than the chain limit is refused before it is converted', () => {
    assert.throws(() => readChainInput(new Uint8Array(70_000)), { code: 'chain_too_large' });
    assert.throws(() => readChainInput('a'.repeat(65_536 * 3 + 1)), { code: 'chain_too_large' });
  });
});

describe('verifyOutcome: the failing link, code and SPEC-NOTES step', () => {
  const cases: { name: string; step: VerificationStep; code: string; linkIndex: number | undefined; make: () => Promise<{ chain: Chain | string; context?: object; trust?: object }> }[] = [
    { name: 'a spliced link', step: '8', code: 'chain_broken', linkIndex: 1, make: async () => {
      const chain = await buildChain(p, { length: 2 });
      const other = await buildChain(p, { length: 2, input: (index, input) => ({ ...input, jti: `other-${index}` }) });
      return { chain: { format: 'jwt', links: [chain.links[0] as Uint8Array, other.links[1] as Uint8Array] } };
    } },
    { name: 'a widened scope', step: '13', code: 'scope_escalation', linkIndex: 1, make: async () => ({ chain: await buildChain(p, { length: 2, input: (index, input) => (index === 1 ? { ...input, scope: 'read delete' } : input) }) }) },
    { name: 'an expired link', step: '12', code: 'expired', linkIndex: 0, make: async () => ({ chain: await buildChain(p, { length: 2 }), context: { now: new Date((LINK_EXPS[0] + 3600) * 1000) } }) },
    { name: 'another audience', step: '10', code: 'audience_mismatch', linkIndex: 0, make: async () => ({ chain: await buildChain(p, { length: 2 }), context: { audience: 'https://other.example' } }) },
    { name: 'an untrusted root', step: '6', code: 'untrusted_root', linkIndex: 0, make: async () => ({ chain: await buildChain(p, { length: 2 }), trust: trustFor(p, 'holder') }) },
    { name: 'another requester', step: '16', code: 'requester_mismatch', linkIndex: 1, make: async () => ({ chain: await buildChain(p, { length: 2 }), context: { requester: { id: p.M.id, jkt: p.M.jkt } } }) },
    { name: 'a requested scope beyond the chain', step: '17', code: 'scope_exceeded', linkIndex: 1, make: async () => ({ chain: await buildChain(p, { length: 2 }), context: { scope: 'admin' } }) },
    { name: 'a chain over the size limit', step: '1', code: 'chain_too_large', linkIndex: undefined, make: async () => ({ chain: 'e'.repeat(70_000) }) },
    { name: 'text that is no chain', step: '2', code: 'chain_malformed', linkIndex: undefined, make: async () => ({ chain: 'not a chain at all' }) },
  ];
  for (const { name, step, code, linkIndex, make } of cases) {
    test(`${name}: ${code} at step ${step}`, async () => {
      const { chain, context = {}, trust = issuerTrust(p) } = await make();
      const outcome = await verifyOutcome(chain, trust as Parameters<typeof verifyOutcome>[1], { ...contextFor(p, 2), ...context });
      assert.equal(outcome.valid, false);
      if (outcome.valid) return;
      assert.deepEqual({ code: outcome.error.code, linkIndex: outcome.error.linkIndex, step: outcome.error.step }, { code, linkIndex, step });
    });
  }

  test('a configuration with remote material (status lists, a jwksUri root) is refused as data: invalid_argument, nothing fetched', async () => {
    let fetched = 0;
    const fetch = (): Promise<never> => { fetched++; return Promise.reject(new Error('no fetch here')); };
    const remote = [
      { roots: [{ type: 'issuer', iss: p.A.id, jwksUri: 'https://a.example/jwks.json' }] },
      { ...issuerTrust(p), status: { issuers: [{ uriPrefixes: ['https://status.example/lists/'], jwks: { keys: [p.A.publicJwk] } }] } },
    ];
    for (const trust of remote) {
      const outcome = await verifyOutcome(await buildChain(p, { length: 2 }), trust as Parameters<typeof verifyOutcome>[1], contextFor(p, 2), { fetch });
      assert.equal(outcome.valid, false);
      if (!outcome.valid) assert.deepEqual({ code: outcome.error.code, linkIndex: outcome.error.linkIndex }, { code: 'invalid_argument', linkIndex: undefined });
    }
    assert.equal(fetched, 0);
  });

  test('a valid chain gives the result, not an error', async () => {
    const outcome = await verifyOutcome(await buildChain(p, { length: 2 }), issuerTrust(p), contextFor(p, 2));
    assert.equal(outcome.valid, true);
    if (outcome.valid) assert.deepEqual(outcome.result.cnf, p.C.cnf);
  });
});
