/**
 * CBOR/COSE, X.509, status lists and remote key sets are enabled by passing them, never by an import's side effect
 * (package.json `sideEffects` lists only the Reflect polyfill of @peculiar/x509). Without them, a CBOR chain is refused at step 2
 * (`chain_malformed`, SPEC-NOTES.md §4.5) and a configuration that needs them is a configuration
 * error (`invalid_argument`, §5).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileTrust, createVerifier, mintLink, parseChain, serializeChain, startChain, TransitiveProofError, type CompiledTrust, type ErrorCode, type StatusSupport, type TrustConfig, type X509Support } from '../../lib/index.js';
import { coseCodec } from '../../lib/codecs/cose/index.js';
import { remoteKeySupport, statusSupport } from '../../lib/status/index.js';
import { x509Support } from '../../lib/x509/index.js';
import { buildChain, contextFor, issuerTrust, makeParties, NOW, signerOf, standardInput } from '../helpers/fixtures.js';
import type { Chain, LinkInput } from '../../lib/index.js';

const p = await makeParties();
const codecs = [coseCodec];
const cwtChain = await startChain(standardInput(p, 'issuer', 0, 1), signerOf(p, 'issuer', 0).signer, { format: 'cwt', codecs, now: NOW });
const cwtText = serializeChain(cwtChain, { codecs });

function throwsCode(run: () => unknown, code: ErrorCode): void {
  assert.throws(run, (error: unknown) => error instanceof TransitiveProofError && error.code === code && error.message.includes('transitive-proof/'));
}

async function rejectsCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof TransitiveProofError && error.code === code && error.message.includes('transitive-proof/'));
}

test('a verifier without the COSE codec refuses a CBOR chain at step 2 (chain_malformed), in every form', async () => {
  const verifier = await createVerifier(issuerTrust(p));
  for (const form of [cwtText, JSON.stringify([cwtText]), [cwtText], cwtChain]) {
    await assert.rejects(verifier.verify(form, contextFor(p, 1)), (error: unknown) => error instanceof TransitiveProofError && error.code === 'chain_malformed' && error.linkIndex === undefined);
  }
});

test('the same verifier given the COSE codec accepts it; JWT chains need nothing', async () => {
  const verifier = await createVerifier(issuerTrust(p), { codecs });
  assert.equal((await verifier.verify(cwtText, contextFor(p, 1))).links.length, 1);
  const plain = await createVerifier(issuerTrust(p));
  assert.equal((await plain.verify(await buildChain(p, { length: 1 }), contextFor(p, 1))).links.length, 1);
});

test('parseChain without the COSE codec refuses CBOR text; minting or serializing CWT without it is a usage error', async () => {
  throwsCode(() => parseChain(cwtText), 'chain_malformed');
  assert.equal(parseChain(cwtText, { codecs }).links.length, 1);
  throwsCode(() => serializeChain(cwtChain), 'invalid_argument');
  await rejectsCode(mintLink(standardInput(p, 'issuer', 0, 1), signerOf(p, 'issuer', 0).signer, { format: 'cwt' }), 'invalid_argument');
});

test('x509 roots or delegateCertificates without x509Support are a configuration error (invalid_argument)', async () => {
  const withRoot: TrustConfig = { roots: [{ type: 'x509', anchors: ['AAAA'], identity: { type: 'uri' } }] };
  await rejectsCode(compileTrust(withRoot), 'invalid_argument');
  const withDelegates: TrustConfig = { ...issuerTrust(p), delegateCertificates: { anchors: ['AAAA'], identity: { type: 'uri' } } };
  await rejectsCode(compileTrust(withDelegates), 'invalid_argument');
});

test('x509Support validates the x509 roots and delegateCertificates: without it they are refused valid or not, never passed unchecked', async () => {
  const rejectsAt = (promise: Promise<unknown>, where: string): Promise<void> =>
    assert.rejects(promise, (error: unknown) => error instanceof TransitiveProofError && error.code === 'invalid_argument' && error.message.startsWith(`trust configuration: ${where} `));
  // The core schema sees an x509 root only as an object of that type, delegateCertificates as an object.
  const root = { type: 'x509', anchors: ['not base64!'], identity: { type: 'uri' } };
  const profile = { anchors: ['AAAA'], identity: { type: 'dns' }, requiredEku: '1' };
  for (const config of [{ roots: [root] }, { ...issuerTrust(p), delegateCertificates: profile }, { roots: [{ type: 'x509' }] }] as unknown as TrustConfig[]) {
    await rejectsCode(compileTrust(config, { status: statusSupport }), 'invalid_argument');
  }
  // With the part, its validators say what is wrong inside them; the core still refuses what is not an object.
  await rejectsAt(compileTrust({ roots: [issuerTrust(p).roots[0], root] } as unknown as TrustConfig, { x509: x509Support }), '/roots/1/anchors/0');
  await rejectsAt(compileTrust({ ...issuerTrust(p), delegateCertificates: profile } as unknown as TrustConfig, { x509: x509Support }), '/delegateCertificates/requiredEku');
  await rejectsAt(compileTrust({ roots: [{ type: 'x509' }] } as unknown as TrustConfig, { x509: x509Support }), '/roots/0');
  await rejectsAt(compileTrust({ ...issuerTrust(p), delegateCertificates: [] } as unknown as TrustConfig, { x509: x509Support }), '/delegateCertificates');
});

test('a status section without statusSupport is a configuration error (invalid_argument), valid or not: its part validates it; with it, the verifier has a status source', async () => {
  const config: TrustConfig = { ...issuerTrust(p), status: { issuers: [{ uriPrefixes: ['https://status.example/lists/'], jwks: { keys: [p.A.publicJwk] } }] } };
  await rejectsCode(createVerifier(config), 'invalid_argument');
  await rejectsCode(compileTrust(config), 'invalid_argument');
  await rejectsCode(compileTrust(config, { x509: x509Support }), 'invalid_argument');
  // The core schema sees the section only as an object; the part's validator refuses what is in it.
  const invalid = { ...config, status: { issuers: [] } } as unknown as TrustConfig;
  await assert.rejects(compileTrust(invalid, { status: statusSupport }), (error: unknown) => error instanceof TransitiveProofError && error.code === 'invalid_argument' && error.message.includes('/status/issuers'));
  // The compiled configuration is policy only: the same one serves a verifier with the part.
  const compiled = await compileTrust(config, { status: statusSupport });
  assert.deepEqual(compiled.status, config.status);
  await rejectsCode(createVerifier(compiled), 'invalid_argument');
  assert.notEqual((await createVerifier(compiled, { status: statusSupport })).services.statusLists, undefined);
  assert.equal((await createVerifier(issuerTrust(p), { x509: x509Support })).services.statusLists, undefined);
});

test('an issuer root by jwksUri without remoteKeySupport is a configuration error at createVerifier (invalid_argument), never a root without keys', async () => {
  const config: TrustConfig = { roots: [{ type: 'issuer', iss: p.A.id, jwksUri: 'https://a.example/jwks.json' }] };
  await rejectsCode(createVerifier(config), 'invalid_argument');
  await rejectsCode(createVerifier(config, { status: statusSupport, x509: x509Support }), 'invalid_argument');
  const verifier = await createVerifier(config, { remoteKeys: remoteKeySupport });
  assert.deepEqual([...verifier.services.remoteKeySets.keys()], ['https://a.example/jwks.json']);
  // A configuration whose keys are all given needs no part.
  assert.equal((await createVerifier(issuerTrust(p))).services.remoteKeySets.size, 0);
});

test('a compiled configuration carries no service: verifiers made from it share no cache', async () => {
  const compiled = await compileTrust(issuerTrust(p));
  for (const member of ['keyCache', 'pathCache', 'statusLists', 'x509']) assert.equal(member in compiled, false, member);
  const [one, two] = await Promise.all([createVerifier(compiled), createVerifier(compiled)]);
  assert.equal(one.trust, two.trust);
  assert.notEqual(one.services.keyCache, two.services.keyCache);
});

test('a missing part is named with the call that passes it and the entry that exports it, at compileTrust and at createVerifier', async () => {
  const message = async (promise: Promise<unknown>): Promise<string> => {
    try {
      await promise;
    } catch (error) {
      if (error instanceof TransitiveProofError && error.code === 'invalid_argument') return error.message;
      throw error;
    }
    throw new Error('not refused');
  };
  const x509Root: TrustConfig = { roots: [{ type: 'x509', anchors: ['AAAA'], identity: { type: 'uri' } }] };
  const withStatus: TrustConfig = { ...issuerTrust(p), status: { issuers: [{ uriPrefixes: ['https://status.example/lists/'], jwks: { keys: [p.A.publicJwk] } }] } };
  assert.equal(await message(compileTrust(x509Root)), "trust configuration: x509 roots and delegateCertificates need X.509 support: compileTrust(config, { x509: x509Support }) with x509Support from 'transitive-proof/x509'");
  assert.equal(await message(compileTrust(withStatus)), "trust configuration: a status section needs status list support: compileTrust(config, { status: statusSupport }) with statusSupport from 'transitive-proof/status'");
  // A compiled configuration given to createVerifier is checked again there, in its own call's words.
  assert.equal(await message(createVerifier(await compileTrust(withStatus, { status: statusSupport }))), "trust configuration: a status section needs status list support: createVerifier(trust, { status: statusSupport }) with statusSupport from 'transitive-proof/status'");
  assert.equal(await message(createVerifier({ roots: [{ type: 'issuer', iss: p.A.id, jwksUri: 'https://a.example/jwks.json' }] })), "trust configuration: an issuer root with jwksUri needs remote key sets: createVerifier(trust, { remoteKeys: remoteKeySupport }) with remoteKeySupport from 'transitive-proof/status'");
});

test('a part without the steps it hands the verifier (step 6 with a certificate, step 17a\'s lookup) is refused at createVerifier (invalid_argument), not half-way through a verification', async () => {
  const withStatus: TrustConfig = { ...issuerTrust(p), status: { issuers: [{ uriPrefixes: ['https://status.example/lists/'], jwks: { keys: [p.A.publicJwk] } }] } };
  const statusCompiled = await compileTrust(withStatus, { status: statusSupport });
  const { checkStatusLists: _lookup, ...statusWithoutLookup } = statusSupport;
  await rejectsCode(createVerifier(statusCompiled, { status: statusWithoutLookup as unknown as StatusSupport }), 'invalid_argument');
  assert.notEqual((await createVerifier(statusCompiled, { status: statusSupport })).services.statusLists, undefined);
  // A compiled configuration with a certificate profile (anchors need not be real: no path is validated here).
  const x509Compiled: CompiledTrust = { ...(await compileTrust(issuerTrust(p))), delegateCertificates: { anchors: [], trustAnchors: [], identity: { type: 'uri' }, algorithms: new Set(['ES256']) } };
  const x509Root: TrustConfig = { roots: [{ type: 'x509', anchors: ['AAAA'], identity: { type: 'uri' }, subjects: 'any' }] };
  for (const member of ['assertTrustConfig', 'compileCertificateProfile', 'resolveRootSigner', 'resolveDelegateSigner'] as const) {
    const { [member]: _step, ...x509WithoutStep } = x509Support;
    await rejectsCode(createVerifier(x509Compiled, { x509: x509WithoutStep as unknown as X509Support }), 'invalid_argument');
    // compileTrust, which calls the first two, refuses the incomplete part too, naming what it lacks (not a TypeError).
    await assert.rejects(compileTrust(x509Root, { x509: x509WithoutStep as unknown as X509Support }), (error: unknown) => error instanceof TransitiveProofError && error.code === 'invalid_argument' && error.message.includes(member));
  }
  assert.equal((await createVerifier(x509Compiled, { x509: x509Support })).services.x509, x509Support);
});

test('without the X.509 part, a delegate named by certificate is refused at step 6 as delegate_key_unresolved: the link carries no certificate, or none are configured', async () => {
  const pinned = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';
  const byCertificate = (index: number, input: LinkInput): LinkInput => (index === 0 ? { ...input, delegate: { ...input.delegate, cnf: { 'x5t#S256': pinned } } } : input);
  const verifier = await createVerifier(issuerTrust(p));
  const refusal = async (chain: Chain): Promise<TransitiveProofError> => {
    try {
      await verifier.verify(chain, contextFor(p, 2));
    } catch (error) {
      if (error instanceof TransitiveProofError) return error;
      throw error;
    }
    throw new Error('not refused');
  };
  const without = await refusal(await buildChain(p, { length: 2, input: byCertificate }));
  assert.deepEqual([without.code, without.step, without.linkIndex, without.message], ['delegate_key_unresolved', '6', 1, 'link 0 names its delegate by certificate thumbprint but link 1 carries no certificate']);
  // Link 1 with an x5c (any standard base64: no certificate is read without the part).
  const withX5c = await refusal(await buildChain(p, { length: 2, input: byCertificate, signer: (index, signer) => (index === 1 ? { ...signer, x5c: [new Uint8Array([48, 0])] } : signer) }));
  assert.deepEqual([withX5c.code, withX5c.step, withX5c.linkIndex, withX5c.message], ['delegate_key_unresolved', '6', 1, 'link 0 names its delegate by certificate but no delegateCertificates are configured']);
});
