/**
 * createToolkit: the optional parts named once, every chain function bound to them (README
 * "Architecture"). Each behaviour below would break if a member dropped or ignored a part.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createToolkit, createVerifier, serializeChain, startChain, TransitiveProofError, type ErrorCode, type TrustConfig } from '../../lib/index.js';
import { coseCodec } from '../../lib/codecs/cose/index.js';
import { MemoryRevocationStore } from '../../lib/status/index.js';
import { linkHash } from '../../lib/index.js';
import { x509Support } from '../../lib/x509/index.js';
import { contextFor, issuerTrust, makeParties, NOW, NOW_S, signerOf, standardInput } from '../helpers/fixtures.js';

const p = await makeParties();
const clock = (): Date => NOW;

function isCode(code: ErrorCode): (error: unknown) => boolean {
  return (error: unknown) => error instanceof TransitiveProofError && error.code === code;
}

test('a toolkit given the COSE codec mints, serializes, parses and verifies CBOR chains without naming it again', async () => {
  const tp = createToolkit({ codecs: [coseCodec], clock });
  const chain = await tp.startChain(standardInput(p, 'issuer', 0, 1), signerOf(p, 'issuer', 0).signer, { format: 'cwt' });
  const text = tp.serializeChain(chain);
  assert.deepEqual(tp.parseChain(text), chain);
  assert.equal(tp.decodeChain(chain)[0]?.format, 'cwt');
  assert.equal(tp.chainToJson(chain).length, 1);
  const verifier = await tp.createVerifier(issuerTrust(p));
  const result = await verifier.verify(text, contextFor(p, 1));
  assert.equal(result.format, 'cwt');
});

test('a toolkit without the COSE codec refuses CBOR as the free functions do (chain_malformed)', async () => {
  const cwt = serializeChain(await startChain(standardInput(p, 'issuer', 0, 1), signerOf(p, 'issuer', 0).signer, { format: 'cwt', codecs: [coseCodec], now: NOW }), { codecs: [coseCodec] });
  const tp = createToolkit({ clock });
  assert.throws(() => tp.parseChain(cwt), isCode('chain_malformed'));
  await assert.rejects((await tp.createVerifier(issuerTrust(p))).verify(cwt, contextFor(p, 1)), isCode('chain_malformed'));
  await assert.rejects(tp.startChain(standardInput(p, 'issuer', 0, 1), signerOf(p, 'issuer', 0).signer, { format: 'cwt' }), isCode('invalid_argument'));
});

test("the toolkit's clock stamps minted links and is the verifiers' time", async () => {
  const tp = createToolkit({ clock });
  const { iat: _iat, exp: _exp, ...unstamped } = standardInput(p, 'issuer', 0, 1);
  const chain = await tp.startChain({ ...unstamped, expiresIn: 300 }, signerOf(p, 'issuer', 0).signer);
  assert.equal(tp.decodeChain(chain)[0]?.claims.iat, NOW_S);
  const later = createToolkit({ clock: () => new Date(NOW.getTime() + 3_600_000) });
  const { now: _now, ...context } = contextFor(p, 1);
  await assert.rejects((await later.createVerifier(issuerTrust(p))).verify(chain, context), isCode('expired'));
  assert.equal((await (await tp.createVerifier(issuerTrust(p))).verify(chain, context)).links.length, 1);
});

test("an undefined now in a minting call's options is no instant: the toolkit's clock stamps the link; a given now wins", async () => {
  const tp = createToolkit({ clock });
  const { iat: _iat, exp: _exp, ...unstamped } = standardInput(p, 'issuer', 0, 1);
  const signer = signerOf(p, 'issuer', 0).signer;
  const chain = await tp.startChain({ ...unstamped, expiresIn: 300 }, signer, { now: undefined });
  assert.equal(tp.decodeChain(chain)[0]?.claims.iat, NOW_S);
  const given = await tp.startChain({ ...unstamped, expiresIn: 300 }, signer, { now: new Date((NOW_S - 60) * 1000) });
  assert.equal(tp.decodeChain(given)[0]?.claims.iat, NOW_S - 60);
});

test("the toolkit's revocation store is every verifier's (step 17a)", async () => {
  const store = new MemoryRevocationStore({ clock });
  const tp = createToolkit({ revocationStore: store, clock });
  const chain = await tp.startChain(standardInput(p, 'issuer', 0, 1), signerOf(p, 'issuer', 0).signer);
  const verifier = await tp.createVerifier(issuerTrust(p));
  assert.equal((await verifier.verify(chain, contextFor(p, 1))).links.length, 1);
  await store.revoke(await linkHash(chain.links[0]!), NOW_S + 3600);
  await assert.rejects(verifier.verify(chain, contextFor(p, 1)), isCode('link_revoked'));
});

test('x509 roots compile with the x509 part and are a configuration error without it', async () => {
  const trust: TrustConfig = { roots: [{ type: 'x509', anchors: ['AAAA'], identity: { type: 'uri' } }] };
  await assert.rejects(createToolkit().compileTrust(trust), isCode('invalid_argument'));
  // With the part, the configuration gets as far as the anchors themselves ('AAAA' is no certificate).
  await assert.rejects(createToolkit({ x509: x509Support }).compileTrust(trust), (error: unknown) => isCode('invalid_argument')(error) && !String((error as Error).message).includes('x509Support'));
});

test('a part is given to the toolkit, not again per verifier; an unknown part is refused', async () => {
  const tp = createToolkit({ codecs: [coseCodec] });
  await assert.rejects(tp.createVerifier(issuerTrust(p), { codecs: [] } as never), isCode('invalid_argument'));
  assert.throws(() => createToolkit({ codec: [coseCodec] } as never), isCode('invalid_argument'));
  assert.throws(() => createToolkit({ codecs: coseCodec } as never), isCode('invalid_argument'));
  // Per-verifier options that are not parts still pass through.
  const strict = await tp.createVerifier(issuerTrust(p), { requireRequesterKey: true });
  const { jkt: _jkt, ...unkeyed } = contextFor(p, 1).requester;
  const chain = await tp.startChain(standardInput(p, 'issuer', 0, 1), signerOf(p, 'issuer', 0).signer, { now: NOW });
  await assert.rejects(strict.verify(chain, { ...contextFor(p, 1), requester: unkeyed }), isCode('requester_mismatch'));
  const lax = await createVerifier(issuerTrust(p), { requireRequesterKey: false });
  assert.equal((await lax.verify(chain, { ...contextFor(p, 1), requester: unkeyed })).links.length, 1);
});

test('buildDeferredBindingRequest from a toolkit reads a CBOR chain with its codec', async () => {
  const tp = createToolkit({ codecs: [coseCodec], clock });
  const chain = await tp.startChain(standardInput(p, 'issuer', 0, 1), signerOf(p, 'issuer', 0).signer, { format: 'cwt' });
  const request = tp.buildDeferredBindingRequest({ chain });
  assert.equal(request.params.get('tmb_proof'), tp.serializeChain(chain));
  assert.throws(() => createToolkit().buildDeferredBindingRequest({ chain }), (error: unknown) => error instanceof TransitiveProofError);
});

test('the README "Architecture" example runs against the library and verifies a CBOR chain', async () => {
  const { readmeBlocks } = await import('../helpers/readme.js');
  const block = readmeBlocks('Architecture', 'ts')[0] as string;
  // The same code with the package names pointed at this checkout's modules.
  const here = new URL('../../lib/', import.meta.url).href;
  const code = block
    .replace("from 'transitive-proof/cose'", `from '${here}codecs/cose/index.js'`)
    .replace("from 'transitive-proof'", `from '${here}index.js'`)
    .concat('\nexport { result };\n');
  const module = (await import(`data:text/javascript,${encodeURIComponent(code)}`)) as { result: { format: string } };
  assert.equal(module.result.format, 'cwt');
});
