/**
 * The chains of the audit's differential runs (no tests here): a valid 3-link chain of each encoding
 * (link 0 EdDSA by the issuer, link 1 ES256, link 2 PS256) and its mutations, each a compact text
 * with a name. Seeded: the same cases on every run. Used by mutation-fuzz.test.ts (both backends in
 * Node) and browser-chains.test.ts (Node against the library in headless Chromium).
 */
import { createPrivateKey, sign as nodeSign, constants } from 'node:crypto';
import type { Chain, LinkSigner, TrustConfig, VerificationContext } from '../../lib/index.js';
import { NOW, b64u, contextFor, issuerTrust, makeParties, makeParty, signerOf, standardInput, type Party } from '../helpers/fixtures.js';
import { seeded, type Library } from './support.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ODD_CHARACTERS = `${ALPHABET}~.=+/ \n\u00e9`;

export interface Case {
  readonly name: string;
  readonly input: string;
}

export interface FuzzWorld {
  readonly trust: TrustConfig;
  readonly context: VerificationContext;
  readonly jwt: Case[];
  readonly cwt: Case[];
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

/** The parties, trust, context and cases; `randomCases` random mutations per encoding. */
export async function fuzzWorld(node: Library, randomCases: number): Promise<FuzzWorld> {
  let p = await makeParties();
  // Delegates of three algorithms: link 1 is signed with ES256, link 2 with PS256.
  p = { ...p, B: await makeParty('https://b.example', 'ES256'), B2: await makeParty('https://b2.example', 'PS256') };
  const signers = [0, 1, 2].map((i) => signerOf(p, 'issuer', i));

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

  const CASES = randomCases;
  const jwt = await (async () => {
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
    const links = valid.split('~');
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

    return cases;
  })();
  const cwt = await (async () => {
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
    return cases;
  })();
  return { trust: issuerTrust(p), context: contextFor(p, 3), jwt, cwt };
}

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
