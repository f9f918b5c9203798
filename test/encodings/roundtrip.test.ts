/**
 * Issue #4's round-trip property: the same chain content minted as JWT and as CBOR verifies to the
 * same result, for every root kind and for chains of several links.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appendLink, createVerifier, generateKeyPair, isTransitiveProofError, startChain, type Chain, type KeyAlgorithmName, type LinkFormat, type LinkInput, type LinkSigner, type TrustConfig, type VerifiedChain } from '../../lib/index.js';
import { createCertificateAuthority, createLeaf } from '../../lib/x509/issue.js';
import { ALL_PARTS } from '../helpers/parts.js';

const NOW = new Date('2031-05-01T10:00:00Z');
const T = Math.floor(NOW.getTime() / 1000);
const AS = 'https://as.example';

/** JSON with object members sorted, so member order (deterministic CBOR sorts keys) does not count. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
  }
  return value;
}

/** Everything but the encoding and `prev`, which hashes encoding-specific bytes (present exactly on links > 0). */
function comparable(result: VerifiedChain): unknown {
  const { format: _format, links, ...rest } = result;
  return canonical({
    ...rest,
    links: links.map(({ index, header: { alg, kid }, claims: { prev, ...claims }, signer }) => ({ alg, kid, claims, signer, hasPrev: prev !== undefined, index })),
  });
}

async function keys(alg: KeyAlgorithmName) {
  return generateKeyPair(alg);
}

async function mintBoth(build: (format: LinkFormat) => Promise<Chain>): Promise<[Chain, Chain]> {
  return [await build('jwt'), await build('cwt')];
}

async function verifyBoth(trust: TrustConfig, chains: [Chain, Chain], requester: string): Promise<[VerifiedChain, VerifiedChain]> {
  // These tests compare the encodings; requester key binding is tested in test/core/request.test.ts.
  const verifier = await createVerifier(trust, { ...ALL_PARTS, requireRequesterKey: false });
  const context = { audience: AS, requester: { id: requester }, now: NOW };
  return [await verifier.verify(chains[0], context), await verifier.verify(chains[1], context)];
}

test('issuer root, three links, mixed algorithms: JWT and CBOR give the same result', async () => {
  const [a, b, b2, b3, c] = await Promise.all([keys('EdDSA'), keys('ES256'), keys('ES384'), keys('PS256'), keys('EdDSA')]);
  const signer = (k: typeof a, alg: LinkSigner['alg']): LinkSigner => ({ privateKey: k.privateJwk, alg });
  const base = { sub: 'urn:c', aud: AS, tmb: { jwk: c.publicJwk }, iat: T - 10, exp: T + 600 };
  const links: [LinkInput, LinkSigner][] = [
    [{ ...base, iss: 'https://a.example', scope: 'r w x', delegate: { sub: 'b', cnf: { jwk: b.publicJwk } }, depth: 2, jti: 'j0' }, { ...signer(a, 'EdDSA'), kid: 'a-1' }],
    [{ ...base, iss: 'b', scope: 'r w', delegate: { sub: 'b2', cnf: { jwk: b2.publicJwk } }, depth: 1, jti: 'j1' }, signer(b, 'ES256')],
    [{ ...base, iss: 'b2', scope: 'r', delegate: { sub: 'b3', cnf: { jwk: b3.publicJwk } }, depth: 0, jti: 'j2', nbf: T - 5 }, signer(b2, 'ES384')],
  ];
  const chains = await mintBoth(async (format) => {
    let chain = await startChain(links[0]![0], links[0]![1], { ...ALL_PARTS, format });
    for (const [input, linkSigner] of links.slice(1)) chain = await appendLink(chain, input, linkSigner, ALL_PARTS);
    return chain;
  });
  const trust: TrustConfig = { roots: [{ type: 'issuer', iss: 'https://a.example', jwks: { keys: [{ ...a.publicJwk, kid: 'a-1' }] } }] };
  const [jwt, cwt] = await verifyBoth(trust, chains, 'b3');
  assert.equal(jwt.format, 'jwt');
  assert.equal(cwt.format, 'cwt');
  assert.deepEqual(comparable(cwt), comparable(jwt));
  assert.deepEqual(jwt.act, { sub: 'b3', act: { sub: 'b2', act: { sub: 'b' } } });
  assert.equal(jwt.scope, 'r');
});

test('holder root with a jkt delegate known to the verifier: same result in both encodings', async () => {
  const [c, b] = await Promise.all([keys('ES256'), keys('EdDSA')]);
  const { jwkThumbprint } = await import('../../lib/index.js');
  const input: LinkInput = {
    iss: 'urn:c', sub: 'urn:c', aud: AS, scope: 'read', tmb: { jwk: c.publicJwk }, iat: T, exp: T + 60, jti: 'holder',
    delegate: { sub: 'b', cnf: { jkt: await jwkThumbprint(b.publicJwk) } },
  };
  const chains = await mintBoth((format) => startChain(input, { privateKey: c.privateJwk, alg: 'ES256' }, { ...ALL_PARTS, format }));
  const [jwt, cwt] = await verifyBoth({ roots: [{ type: 'holder', holders: [{ iss: 'urn:c', jkt: await jwkThumbprint(c.publicJwk) }] }] }, chains, 'b');
  assert.deepEqual(comparable(cwt), comparable(jwt));
  assert.equal(jwt.root.kind, 'holder');
});

test('X.509 root (x5c / x5chain): same result in both encodings, and the same rejection for an unanchored path', async () => {
  const validity = { keyAlg: 'ES256' as const, notBefore: T - 3600, notAfter: T + 3600 };
  const ca = await createCertificateAuthority({ ...validity, subject: 'CN=round-trip CA' });
  const leaf = await createLeaf({ ...validity, issuer: ca, spiffeId: 'spiffe://example.org/agent' });
  const b = await keys('EdDSA');
  const input: LinkInput = {
    iss: 'spiffe://example.org/agent', sub: 'urn:c', aud: AS, scope: 'read', tmb: { jkt: 'x'.repeat(42) + 'w' }, iat: T, exp: T + 60, jti: 'x509',
    delegate: { sub: 'b', cnf: { jwk: b.publicJwk } },
  };
  const signer: LinkSigner = { privateKey: leaf.privateJwk, alg: 'ES256', x5c: [leaf.certificate] };
  const chains = await mintBoth((format) => startChain(input, signer, { ...ALL_PARTS, format }));
  const trust: TrustConfig = { roots: [{ type: 'x509', anchors: [Buffer.from(ca.certificate).toString('base64')], identity: { type: 'spiffe' }, subjects: 'any' }] };
  const [jwt, cwt] = await verifyBoth(trust, chains, 'b');
  assert.deepEqual(comparable(cwt), comparable(jwt));
  assert.equal(jwt.links[0]?.signer.certificate?.identity, 'spiffe://example.org/agent');

  const otherCa = await createCertificateAuthority({ ...validity, subject: 'CN=other CA' });
  const otherTrust: TrustConfig = { roots: [{ type: 'x509', anchors: [Buffer.from(otherCa.certificate).toString('base64')], identity: { type: 'spiffe' }, subjects: 'any' }] };
  const verifier = await createVerifier(otherTrust, ALL_PARTS);
  for (const chain of chains) {
    await assert.rejects(verifier.verify(chain, { audience: AS, requester: { id: 'b' }, now: NOW }), (error: unknown) => {
      assert.ok(isTransitiveProofError(error));
      assert.equal(error.code, 'x5c_untrusted');
      assert.equal(error.linkIndex, 0);
      return true;
    });
  }
});
