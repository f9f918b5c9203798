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
import { createPrivateKey, sign as nodeSign, constants } from 'node:crypto';
import type { Chain, LinkSigner, TrustConfig } from '../../lib/index.js';
import { AUDIENCE, NOW, b64u, contextFor, issuerTrust, makeParties, makeParty, signerOf, standardInput, type Parties, type Party } from '../helpers/fixtures.js';
import { nodeLibraryWithCose, seeded, verdictOf, webLibraryWithCose, type Library } from './support.js';

const CASES = (() => {
  const value = Number(process.env.AUDIT_FUZZ_CASES ?? '600');
  return Number.isSafeInteger(value) && value > 0 ? value : 600;
})();

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ODD_CHARACTERS = `${ALPHABET}~.=+/ \n\u00e9`;

interface Case {
  readonly name: string;
  readonly input: string;
}

function jwtLinks(text: string): string[] {
  return text.split('~');
}

/** A JWS over `header` and `payload` signed as `party` signs (node:crypto, not the library). */
function signJws(header: Record<string, unknown>, payloadSegment: string, party: Party): string {
  const signingInput = `${b64u(JSON.stringify(header))}.${payloadSegment}`;
  const key = createPrivateKey({ key: party.privateJwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' });
  const data = Buffer.from(signingInput);
  const alg = String(header.alg);
  const signature = alg === 'EdDSA' || alg === 'Ed25519'
    ? nodeSign(null, data, key)
    : alg === 'ES256' ? nodeSign('sha256', data, { key, dsaEncoding: 'ieee-p1363' })
      : nodeSign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  return `${signingInput}.${b64u(signature)}`;
}

/** A header with a `pad` member making its segment exactly `length` characters (or one more, where `length` ≡ 1 mod 4). */
function paddedHeader(base: Record<string, unknown>, length: number): Record<string, unknown> {
  for (let pad = 0; pad < length; pad++) {
    const header = { ...base, pad: 'p'.repeat(pad) };
    if (b64u(JSON.stringify(header)).length >= length) return header;
  }
  return base;
}

describe('mutated chains get one verdict on both backends, cached or not', () => {
  let p: Parties;
  let node: Library;
  let web: Library;
  let trust: TrustConfig;
  const signers: Party[] = [];

  before(async () => {
    [node, web] = await Promise.all([nodeLibraryWithCose(), webLibraryWithCose()]);
    p = await makeParties();
    // Delegates of three algorithms: link 1 is signed with ES256, link 2 with PS256.
    p = { ...p, B: await makeParty('https://b.example', 'ES256'), B2: await makeParty('https://b2.example', 'PS256') };
    trust = issuerTrust(p);
    for (let i = 0; i < 3; i++) signers.push(signerOf(p, 'issuer', i));
  });

  /** A 3-link chain minted by the library (the Node one), each link's bytes optionally replaced (later links chain to it). */
  async function mint(format: 'jwt' | 'cwt', craft?: (index: number, text: string) => string): Promise<Chain> {
    const links: Uint8Array[] = [];
    for (let index = 0; index < 3; index++) {
      const signer: LinkSigner = (signers[index] as Party).signer;
      const previous = links[index - 1];
      let bytes = await node.mintLink(standardInput(p, 'issuer', index, 3), signer, { now: NOW, format, codecs: [node.coseCodec], ...(previous === undefined ? {} : { previous }) });
      if (craft !== undefined && format === 'jwt') bytes = new Uint8Array(Buffer.from(craft(index, Buffer.from(bytes).toString('latin1')), 'latin1'));
      links.push(bytes);
    }
    return { format, links };
  }

  function compact(chain: Chain): string {
    return node.serializeChain(chain, { codecs: [node.coseCodec] });
  }

  async function verdicts(library: Library, cases: readonly Case[], order: readonly number[]): Promise<string[]> {
    const out: string[] = new Array<string>(cases.length);
    const context = { ...contextFor(p, 3), audience: AUDIENCE };
    for (const i of order) {
      const { input } = cases[i] as Case;
      out[i] = await verdictOf(() => library.verifyChain(input, trust, context, { codecs: [library.coseCodec] }));
    }
    return out;
  }

  /** Every case at once, both backends interleaved: verifications whose awaits overlap share the caches and buffers. */
  async function concurrentVerdicts(cases: readonly Case[]): Promise<[string[], string[]]> {
    const context = { ...contextFor(p, 3), audience: AUDIENCE };
    const run = (library: Library) => cases.map(({ input }) => verdictOf(() => library.verifyChain(input, trust, context, { codecs: [library.coseCodec] })));
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
    if (process.env.AUDIT_FUZZ_PRINT === "1") for (let i = 0; i < cases.length; i++) process.stderr.write(`${(cases[i] as Case).name} => ${n1[i] as string}\n`);
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

  test('JWT: valid chains verify; every mutation gets the same verdict on both backends and on both passes', async () => {
    const valid = compact(await mint('jwt'));
    const cases: Case[] = [{ name: 'valid', input: valid }];
    // Headers re-signed (and later links re-chained): lengths at the kept-header bounds, and header faults.
    for (const index of [0, 2]) {
      for (const length of [511, 512, 513, 1023, 1024, 1025, 4095, 4096, 4097]) {
        const chain = await mint('jwt', (i, text) => {
          if (i !== index) return text;
          const [h, c] = text.split('.') as [string, string];
          const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
          return signJws(paddedHeader(header, length), c, signers[i] as Party);
        });
        cases.push({ name: `link ${index} header of ${length} characters`, input: compact(chain) });
      }
      const edits: [string, (header: Record<string, unknown>) => Record<string, unknown>][] = [
        ['crit', (h) => ({ ...h, crit: ['exp'] })],
        ['jku', (h) => ({ ...h, jku: 'https://a.example/jwks' })],
        ['kid a2', (h) => ({ ...h, kid: 'a2' })],
        ['kid number', (h) => ({ ...h, kid: 7 })],
        ['alg Ed25519', (h) => ({ ...h, alg: h.alg === 'EdDSA' ? 'Ed25519' : h.alg === 'ES256' ? 'ESP256' : h.alg })],
        ['typ case', (h) => ({ ...h, typ: 'TMB-LINK+JWT' })],
        ['x5c empty', (h) => ({ ...h, x5c: [] })],
        ['__proto__', (h) => JSON.parse(`{"__proto__":{"kid":"a2"},${JSON.stringify(h).slice(1)}`) as Record<string, unknown>],
      ];
      for (const [name, edit] of edits) {
        const chain = await mint('jwt', (i, text) => {
          if (i !== index) return text;
          const [h, c] = text.split('.') as [string, string];
          return signJws(edit(JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>), c, signers[i] as Party);
        });
        cases.push({ name: `link ${index} header ${name}`, input: compact(chain) });
      }
    }
    // Link-level faults.
    const links = jwtLinks(valid);
    const [l0, l1, l2] = links as [string, string, string];
    cases.push(
      { name: 'dropped link 1', input: [l0, l2].join('~') },
      { name: 'swapped links 1 and 2', input: [l0, l2, l1].join('~') },
      { name: 'duplicated link 1', input: [l0, l1, l1, l2].join('~') },
      { name: 'reversed', input: [l2, l1, l0].join('~') },
      { name: 'link 0 alone', input: l0 },
      { name: 'eight links', input: [l0, l1, l2, l2, l2, l2, l2, l2].join('~') },
      { name: 'nine links', input: [l0, l1, l2, l2, l2, l2, l2, l2, l2].join('~') },
      { name: 'JSON form', input: JSON.stringify(links) },
    );
    // Signature-level faults, per link: canonical re-encodings of changed bytes.
    for (let index = 0; index < 3; index++) {
      const [h, c, s] = (links[index] as string).split('.') as [string, string, string];
      const signature = Buffer.from(s, 'base64url');
      const variants: [string, string][] = [
        ['signature one octet short (first)', b64u(signature.subarray(1))],
        ['signature one octet short (last)', b64u(signature.subarray(0, -1))],
        ['signature with a leading zero octet', b64u(Buffer.concat([Buffer.of(0), signature]))],
        ['signature with a trailing zero octet', b64u(Buffer.concat([signature, Buffer.of(0)]))],
        ['signature padded', `${s}${'='.repeat((4 - (s.length % 4)) % 4) || '='}`],
        ['signature in the standard alphabet', signature.toString('base64').replace(/=+$/, '')],
        ['signature empty', ''],
      ];
      for (const bit of [0, 7, 8 * (signature.length >> 1), 8 * signature.length - 1]) {
        const flipped = Buffer.from(signature);
        flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (1 << (bit & 7));
        variants.push([`signature bit ${bit} flipped`, b64u(flipped)]);
      }
      // A sibling last character: same bytes where the unused bits are zero, else a non-canonical spelling.
      const last = s[s.length - 1] as string;
      variants.push(['signature last character + 1', `${s.slice(0, -1)}${ALPHABET[(ALPHABET.indexOf(last) + 1) % 64] as string}`]);
      for (const [name, value] of variants) {
        const changed = links.slice();
        changed[index] = `${h}.${c}.${value}`;
        cases.push({ name: `link ${index} ${name}`, input: changed.join('~') });
      }
      const segments: [string, string][] = [
        ['header padded', `${h}=.${c}.${s}`], ['payload padded', `${h}.${c}=.${s}`],
        ['header with a BOM', `${b64u(`\ufeff${Buffer.from(h, 'base64url').toString('utf8')}`)}.${c}.${s}`],
        ['four segments', `${h}.${c}.${s}.${s}`], ['two segments', `${h}.${c}`],
      ];
      for (const [name, text] of segments) {
        const changed = links.slice();
        changed[index] = text;
        cases.push({ name: `link ${index} ${name}`, input: changed.join('~') });
      }
    }
    // Random character-level mutations of the whole text.
    const random = seeded(0x27a0d17);
    for (let n = 0; n < CASES; n++) cases.push(mutateText(random, valid, `random ${n}`));

    const seen = await agree(cases);
    assert.ok(seen.has('ok') && seen.size >= 8, `the cases reach several outcomes: ${[...seen].join(', ')}`);
    assert.match((await verdictOf(() => node.verifyChain(valid, trust, contextFor(p, 3), { codecs: [node.coseCodec] }))), /^ok /);
  });

  test('CWT: valid chains verify; every mutation gets the same verdict on both backends and on both passes', async () => {
    const chain = await mint('cwt');
    const valid = compact(chain);
    const bytes = Buffer.from(valid, 'base64url');
    const cases: Case[] = [{ name: 'valid', input: valid }];
    const [l0, l1, l2] = chain.links as [Uint8Array, Uint8Array, Uint8Array];
    const arrayOf = (links: Uint8Array[]): string => b64u(Buffer.concat([Buffer.of(0x80 | links.length), ...links]));
    cases.push(
      { name: 'dropped link 1', input: arrayOf([l0, l2]) },
      { name: 'swapped links 1 and 2', input: arrayOf([l0, l2, l1]) },
      { name: 'duplicated link 1', input: arrayOf([l0, l1, l1, l2]) },
      { name: 'link 0 alone', input: arrayOf([l0]) },
      { name: 'padded', input: `${valid}${'='.repeat((4 - (valid.length % 4)) % 4) || '='}` },
      { name: 'standard alphabet', input: bytes.toString('base64').replace(/=+$/, '') },
      { name: 'JSON form', input: JSON.stringify(chain.links.map((link) => b64u(link))) },
    );
    const random = seeded(0xc05e27);
    for (let n = 0; n < CASES; n++) {
      const kind = random.int(4);
      if (kind === 0) {
        cases.push(mutateText(random, valid, `random text ${n}`));
        continue;
      }
      const changed = Buffer.from(bytes);
      let name: string;
      if (kind === 1) {
        const bit = random.int(changed.length * 8);
        changed[bit >> 3] = (changed[bit >> 3] as number) ^ (1 << (bit & 7));
        name = `bit ${bit} flipped`;
      } else if (kind === 2) {
        const at = random.int(changed.length);
        changed[at] = random.int(256);
        name = `byte ${at} replaced`;
      } else {
        const cut = random.int(changed.length);
        name = `cut at ${cut}`;
        cases.push({ name, input: b64u(changed.subarray(0, cut)) });
        continue;
      }
      cases.push({ name, input: b64u(changed) });
    }
    const seen = await agree(cases);
    assert.ok(seen.has('ok') && seen.size >= 6, `the cases reach several outcomes: ${[...seen].join(', ')}`);
  });
});

/** One random change of the text: a character replaced, inserted or deleted, or the text cut. */
function mutateText(random: ReturnType<typeof seeded>, text: string, name: string): Case {
  const at = random.int(text.length);
  const character = random.pick([...ODD_CHARACTERS]);
  switch (random.int(4)) {
    case 0:
      return { name: `${name}: character ${at} replaced by ${JSON.stringify(character)}`, input: `${text.slice(0, at)}${character}${text.slice(at + 1)}` };
    case 1:
      return { name: `${name}: ${JSON.stringify(character)} inserted at ${at}`, input: `${text.slice(0, at)}${character}${text.slice(at)}` };
    case 2:
      return { name: `${name}: character ${at} deleted`, input: `${text.slice(0, at)}${text.slice(at + 1)}` };
    default:
      return { name: `${name}: cut at ${at}`, input: text.slice(0, Math.max(1, at)) };
  }
}
