/**
 * A seeded mutation fuzz of valid JWT and CWT chains, verified on both backends of the runtime seam
 * (node:crypto, and WebCrypto through the library bundled with the `browser` condition), each case
 * three times per backend (the second pass in another order, the third all at once, both backends
 * interleaved): every mutated chain gets the same verdict
 * (success, or the same code, link index and step) on both backends and whatever the caches hold
 * (kept JWS and COSE headers, the key import and key check caches, the reused signature and
 * Sig_structure buffers on Node). The mutations: characters replaced, inserted, deleted; truncation;
 * links duplicated, dropped, swapped; non-canonical base64url (padding, a sibling final character,
 * the standard alphabet); signature bytes flipped, one octet short or long; headers re-signed with
 * extra members so that the header segment is 511-513, 1,023-1,025 or 4,095-4,097 characters long
 * (the kept-header bounds), with `crit`, `jku`, a wrong `kid`, the other name of the algorithm; and
 * for CWT, bits flipped in the chain's bytes, bytes cut or added. Delegates sign with ES256 and PS256
 * as well as EdDSA, so the ECDSA and RSA length rules are reached.
 *
 * Bounded: AUDIT_FUZZ_CASES (default 600 random cases per encoding, plus the fixed ones).
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeLibraryWithCose, verdictOf, type Library } from './support.js';
import { webCryptoLibraryWithCose } from '../helpers/webcrypto-library.js';
import { fuzzWorld, type Case, type FuzzWorld } from './chains.js';

const CASES = (() => {
  const value = Number(process.env.AUDIT_FUZZ_CASES ?? '600');
  return Number.isSafeInteger(value) && value > 0 ? value : 600;
})();

describe('mutated chains get one verdict on both backends, cached or not', () => {
  let node: Library;
  let web: Library;
  let world: FuzzWorld;

  before(async () => {
    [node, web] = await Promise.all([nodeLibraryWithCose(), webCryptoLibraryWithCose()]);
    world = await fuzzWorld(node, CASES);
  });

  async function verdicts(library: Library, cases: readonly Case[], order: readonly number[]): Promise<string[]> {
    const out: string[] = new Array<string>(cases.length);
    for (const i of order) {
      const { input } = cases[i] as Case;
      out[i] = await verdictOf(() => library.verifyChain(input, world.trust, world.context, { codecs: [library.coseCodec] }));
    }
    return out;
  }

  /** Every case at once, both backends interleaved: verifications whose awaits overlap share the caches and buffers. */
  async function concurrentVerdicts(cases: readonly Case[]): Promise<[string[], string[]]> {
    const run = (library: Library) => cases.map(({ input }) => verdictOf(() => library.verifyChain(input, world.trust, world.context, { codecs: [library.coseCodec] })));
    const [n, w] = [run(node), run(web)];
    return [await Promise.all(n), await Promise.all(w)];
  }

  async function agree(cases: readonly Case[]): Promise<Set<string>> {
    const forward = cases.map((_, i) => i);
    const backward = forward.slice().reverse();
    const [n1, w1] = [await verdicts(node, cases, forward), await verdicts(web, cases, forward)];
    const [n2, w2] = [await verdicts(node, cases, backward), await verdicts(web, cases, backward)];
    const [n3, w3] = await concurrentVerdicts(cases);
    const seen = new Set<string>();
    if (process.env.AUDIT_FUZZ_PRINT === '1') for (let i = 0; i < cases.length; i++) process.stderr.write(`${(cases[i] as Case).name} => ${n1[i] as string}\n`);
    for (let i = 0; i < cases.length; i++) {
      const { name } = cases[i] as Case;
      assert.equal(w1[i], n1[i], `${name}: the WebCrypto backend's verdict differs from Node's`);
      assert.equal(n2[i], n1[i], `${name}: Node's verdict changed on the second pass`);
      assert.equal(w2[i], w1[i], `${name}: the WebCrypto backend's verdict changed on the second pass`);
      assert.equal(n3[i], n1[i], `${name}: Node's verdict changed when verified concurrently`);
      assert.equal(w3[i], w1[i], `${name}: the WebCrypto backend's verdict changed when verified concurrently`);
      seen.add((n1[i] as string).split(' ')[0] as string);
    }
    return seen;
  }

  test('JWT: valid chains verify; every mutation gets the same verdict on both backends and on all passes', async () => {
    assert.match(world.jwt[0]?.name ?? '', /^valid$/);
    assert.match(await verdictOf(() => node.verifyChain(world.jwt[0]?.input ?? '', world.trust, world.context, { codecs: [node.coseCodec] })), /^ok /);
    const seen = await agree(world.jwt);
    assert.ok(seen.has('ok') && seen.size >= 8, `the cases reach several outcomes: ${[...seen].join(', ')}`);
  });

  test('CWT: valid chains verify; every mutation gets the same verdict on both backends and on all passes', async () => {
    assert.match(await verdictOf(() => node.verifyChain(world.cwt[0]?.input ?? '', world.trust, world.context, { codecs: [node.coseCodec] })), /^ok /);
    const seen = await agree(world.cwt);
    assert.ok(seen.has('ok') && seen.size >= 6, `the cases reach several outcomes: ${[...seen].join(', ')}`);
  });
});
