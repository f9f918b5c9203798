/**
 * Positive vectors: chains every conforming verifier accepts, with the result of SPEC-NOTES.md §6.3
 * computed from what was minted.
 */
import type { LinkFormat, LinkInput } from '../../lib/index.js';
import type { Vector } from '../../lib/vectors/types.js';
import {
  delegateId,
  delegateKeyName,
  expectedResult,
  HOLDER,
  ISSUER,
  NOW,
  splitJws,
  standardChain,
  standardContext,
  standardInputs,
  standardTrust,
  thumbprintUri,
  VectorBuilder,
  type ChainOptions,
  type RootKind,
} from './builder.js';
import type { KeyType } from './keys.js';
import { withClaims } from './key-faults.js';
import { array, CWT_TYP, EDDSA, HMAC_256_256, int, map, recraftCose, tstr } from './cbor.js';

export type VectorFactory = { id: string; make: () => Promise<Vector> };

const RESULT_SPEC = 'SPEC-NOTES.md §6.2 (all steps pass), §6.3 (result)';

function suffix(format: LinkFormat): string {
  return format === 'jwt' ? '' : '-cwt';
}

/** A standard chain and its expected result, verified with the standard trust and context. */
function plain(id: string, format: LinkFormat, description: string, options: ChainOptions & { root: RootKind }): VectorFactory {
  return {
    id,
    make: async () => {
      const b = new VectorBuilder(id, format);
      const length = options.length ?? 3;
      const chain = await standardChain(b, options);
      return b.finish({
        description,
        spec: RESULT_SPEC,
        chain,
        trust: await standardTrust(b, options.root, options.keyType),
        context: standardContext(length),
        expected: expectedResult(await standardInputs(b, options), options.root),
      });
    },
  };
}

export function positiveVectors(formats: readonly LinkFormat[]): VectorFactory[] {
  const out: VectorFactory[] = [];
  for (const format of formats) {
    const s = suffix(format);
    // Every root kind, every depth from 1 to maxLinks (8).
    for (const root of ['issuer', 'holder'] as const) {
      for (let length = 1; length <= 8; length++) {
        out.push(plain(`positive-${root}-links-${length}${s}`, format, `A valid ${length}-link ${format.toUpperCase()} chain from a${root === 'issuer' ? 'n issuer' : ' key-holder'} root, Ed25519 throughout; each link narrows the scope, decrements depth and ends earlier.`, { root, length }));
      }
    }
    // Every algorithm, for both root kinds (Ed25519 is covered above).
    const algorithms: { keyType: KeyType; name: string }[] = [
      { keyType: 'es256', name: format === 'cwt' ? 'esp256' : 'es256' },
      { keyType: 'es384', name: 'es384' },
      { keyType: 'ps256', name: 'ps256' },
    ];
    for (const { keyType, name } of algorithms) {
      for (const root of ['issuer', 'holder'] as const) {
        out.push(plain(`positive-${root}-${name}${s}`, format, `A valid 3-link chain from a${root === 'issuer' ? 'n issuer' : ' key-holder'} root where every link is signed with ${name.toUpperCase()} (the last delegate's key is ${delegateKeyName(3, keyType)}).`, { root, length: 3, keyType }));
      }
    }
    out.push(plain(`positive-alg-ed25519-name${s}`, format, 'The fully-specified algorithm name Ed25519 (instead of EdDSA) on every link of a 2-link chain.', { root: 'issuer', length: 2, mint: () => ({ alg: 'Ed25519' }) }));
    out.push(mixedAlgorithms(format));
    out.push(delegateByThumbprint(format));
    out.push(holderByThumbprint(format));
    out.push(requestBound(format));
    out.push(unboundRequesterOptOut(format));
    out.push(issuerKeyWithoutKid(format));
    // SPEC-NOTES.md §4.4: verifiers accept high-S ECDSA (no JOSE specification requires low-S).
    if (format === 'jwt') out.push(highS());
    out.push(withNbf(format));
    out.push(clockSkew(format));
    out.push(selfDelegation(format));
    out.push(thumbprintIssuer(format));
    out.push(...openReadings(format));
  }
  return out;
}

/**
 * A 2-link chain with hooks, its result computed from the minted inputs (scope: `scope` when a hook
 * rewrote it past the minter), verified with the standard trust and context.
 */
function closure(id: string, format: LinkFormat, description: string, spec: string, hooks: (b: VectorBuilder) => ChainOptions & { scope?: string }): VectorFactory {
  return {
    id,
    make: async () => {
      const b = new VectorBuilder(id, format);
      const options = hooks(b);
      const chainOptions: ChainOptions = { length: 2, ...options };
      const chain = await standardChain(b, chainOptions);
      return b.finish({
        description,
        spec: `${RESULT_SPEC}; ${spec}`,
        chain,
        trust: await standardTrust(b, 'issuer'),
        context: standardContext(2),
        expected: expectedResult(await standardInputs(b, chainOptions), 'issuer', options.scope),
      });
    },
  };
}

/** Boundaries and forms SPEC-NOTES pins where an implementer could read the text otherwise. */
function openReadings(format: LinkFormat): VectorFactory[] {
  const s = suffix(format);
  const atLimit = `${Array(818).fill('read').join(' ')} openid`; // 4096 characters, "read" repeated
  const lifetimeEnd = NOW - 600 + 86_400; // link 0's iat + maxLifetimeSeconds
  const out = [
    closure(`positive-jti-256-code-points${s}`, format,
      'Link 1 has a jti of 256 code points, each U+1F600 (512 UTF-16 code units, 1024 UTF-8 bytes): lengths are counted in code points, and 256 is allowed.',
      'SPEC-NOTES.md §3.1 (string lengths in Unicode code points)',
      () => ({ input: (i, input) => (i === 1 ? { ...input, jti: '\u{1F600}'.repeat(256) } : input) })),
    closure(`positive-scope-at-limit${s}`, format,
      'Link 1 (the last) has a scope of exactly 4096 characters: "read" 818 times, then "openid". Repeated tokens are allowed (attenuation compares sets), and the result\'s scope is the last link\'s scope string as signed, not de-duplicated.',
      'SPEC-NOTES.md §3.1 (scope: at most 4096 characters, repeated tokens allowed), §6.3 (scope)',
      (b) => ({ scope: atLimit, craft: (i, bytes) => (i === 1 ? withClaims(b, bytes, 'd1-ed25519', (c) => ({ ...c, scope: atLimit })) : bytes) })),
    closure(`positive-time-boundaries${s}`, format,
      'Every bound of step 12 met with equality: link 0 lives exactly maxLifetimeSeconds (86400); link 1 has iat = now + clockToleranceSeconds (30) and the same exp as link 0.',
      'SPEC-NOTES.md §6.2 step 12 (exp − iat ≤ maxLifetimeSeconds, iat ≤ now + t, exp ≤ the parent\'s exp)',
      () => ({ input: (i, input) => (i === 0 ? { ...input, exp: lifetimeEnd } : { ...input, iat: NOW + 30, exp: lifetimeEnd }) })),
  ];
  out.push(jsonFormText(format));
  out.push(issuerKeyTypesMixed(format));
  out.push(delegateKidIgnored(format));
  out.push(closure(`positive-tmb-jwk-other-members${s}`, format,
    'Link 1 (the last), signed by d1, carries the chain\'s tmb jwk with its members in another order and an unregistered member "ext": true. Confirmations with a jwk are equal when their RFC 7638 thumbprints are (§3.3), not when their JSON is: step 11 passes, and the result\'s cnf is link 0\'s tmb.',
    'SPEC-NOTES.md §3.3 (equality of jwk confirmations by thumbprint), step 11',
    (b) => ({ craft: (i, bytes) => (i === 1 ? withClaims(b, bytes, 'd1-ed25519', (c) => {
      const { kty, crv, x } = (c.tmb as { jwk: Record<string, unknown> }).jwk;
      return { ...c, tmb: { jwk: { x, ext: true, crv, kty } } };
    }) : bytes) })));
  out.push(closure(`positive-jwk-unregistered-members${s}`, format,
    'Link 0 names its delegate\'s key (may_act.cnf.jwk) with two members this profile does not define, "ext" (true) and "note" (a text): RFC 7517 §4 has a verifier ignore them, and the RFC 7638 thumbprint does not cover them; 6 members, within the 16 allowed.',
    'SPEC-NOTES.md §3.3 (a JWK may carry other members, ignored; at most 16 members)',
    (b) => ({ craft: (i, bytes) => (i === 0 ? withClaims(b, bytes, 'issuer-ed25519', (c) => {
      const mayAct = c.may_act as { sub: string; cnf: { jwk: Record<string, unknown> } };
      return { ...c, may_act: { ...mayAct, cnf: { jwk: { ...mayAct.cnf.jwk, ext: true, note: 'an unregistered member' } } } };
    }) : bytes) })));
  if (format === 'cwt') {
    out.push(closure('positive-cose-text-labels-ignored-cwt', format,
      'Link 1 (the last), signed by d1, carries text labels beside its integer ones: in the protected bucket "alg" (5, HMAC), "crit" (["alg"]) and "typ" ("tmb-link+jwt"); in the unprotected bucket "kid" ("mallory") and "x-note". A text label is another label than the integer one of the same name, unknown, not critical, and so ignored: alg stays -8 (EdDSA), typ "tmb-link+cwt", no crit, no kid.',
      'SPEC-NOTES.md §4.3.1 (header labels: a known parameter is its integer label only; other labels, text ones included, are ignored unless listed in crit)',
      (b) => ({ craft: (i, bytes) => (i === 1 ? recraftCose(b, bytes, {
        protectedContent: map([int(1), int(EDDSA)], [int(16), tstr(CWT_TYP)], [tstr('alg'), int(HMAC_256_256)], [tstr('crit'), array(tstr('alg'))], [tstr('typ'), tstr('tmb-link+jwt')]),
        unprotected: map([tstr('kid'), tstr('mallory')], [tstr('x-note'), int(1)]),
      }, 'text labels alg, crit, typ (protected) and kid, x-note (unprotected), signed by d1-ed25519') : bytes) })));
  }
  if (format === 'jwt') {
    out.push(closure('positive-jwt-json-white-space', format,
      'Link 1 (the last), signed by d1, writes its header and its payload with RFC 8259 white space between every token and around the whole text (space, tab, line feed, carriage return): read as the same JSON values.',
      'SPEC-NOTES.md §4.1 (RFC 8259 JSON text: its four white space characters between tokens are allowed, nothing else)',
      (b) => ({ craft: (i, bytes) => (i === 1 ? whiteSpaced(b, bytes) : bytes) })));
    out.push(closure('positive-jws-b64-false-not-critical', format,
      'Link 1 (the last), signed by d1 over the usual signing input (the payload base64url-encoded), carries "b64": false without crit. RFC 7797 §6 makes b64 effective only when crit lists it: here it is an unknown header parameter, ignored, and the payload segment is read as base64url as always.',
      'SPEC-NOTES.md §4.1 (b64 is not processed: without crit it is ignored, §3.2)',
      (b) => ({ craft: (i, bytes) => (i === 1 ? b.resign(bytes, 'd1-ed25519', { header: (h) => ({ ...h, b64: false }) }) : bytes) })));
    out.push(closure('positive-json-negative-zero', format,
      'Link 1 (the last), signed by d1, writes depth as -0: RFC 8259 integer grammar, the integer 0.',
      'SPEC-NOTES.md §4.1 (-0 is an integer written as an integer: the value 0)',
      (b) => ({ craft: (i, bytes) => (i === 1 ? negativeZeroDepth(b, bytes) : bytes) })));
  }
  return out;
}

/**
 * A valid 3-link chain in its JSON form as text, laid out with JSON white space (a line break after
 * the closing bracket included) and link 0's first character written as a \\u escape: JSON's
 * white space belongs to no element, and link 0's bytes (which link 1's prev hashes) are the
 * element's decoded text.
 */
function jsonFormText(format: LinkFormat): VectorFactory {
  const id = `positive-json-form-text${suffix(format)}`;
  return {
    id,
    make: async () => {
      const b = new VectorBuilder(id, format);
      const chain = await standardChain(b, { length: 3 });
      const elements = chain.links.map((l) => JSON.stringify(Buffer.from(l).toString(format === 'jwt' ? 'latin1' : 'base64url')));
      const first = elements[0] as string;
      elements[0] = `"\\u${(first.codePointAt(1) as number).toString(16).padStart(4, '0')}${first.slice(2)}`;
      return b.finish({
        description: 'A valid 3-link chain given as its JSON form as text: "[", then each element on its own line indented by two spaces, a "," ending each line but the last, then "]" on its own line followed by a line break; link 0\'s first character is written as a \\u escape. JSON white space is no part of an element, and link 0\'s bytes (hashed by link 1\'s prev) are its element\'s decoded text.',
        spec: `${RESULT_SPEC}; §4.5 (the JSON form as text is an RFC 8259 JSON text), §4.4`,
        chain: { compact: `[\n  ${elements.join(',\n  ')}\n]\n` },
        omitJsonForm: true,
        trust: await standardTrust(b, 'issuer'),
        context: standardContext(3, { requester: { id: delegateId(3), jkt: await b.jkt(delegateKeyName(3, 'ed25519')) } }),
        expected: expectedResult(await standardInputs(b, { length: 3 }), 'issuer'),
      });
    },
  };
}

/** The last link re-signed by d1 with its header and claims laid out with RFC 8259 white space between and around every token. */
function whiteSpaced(b: VectorBuilder, bytes: Uint8Array): Promise<Uint8Array> {
  const { header, claims } = splitJws(bytes);
  const spaced = (value: unknown): string => {
    const text = ` \t\r\n${JSON.stringify(value, null, '\t').replace(/\n/g, '\r\n ').replace(/":/g, '" :').replace(/,/g, ' ,')}\n\t \r`;
    if (JSON.stringify(JSON.parse(text)) !== JSON.stringify(value)) throw new Error('white space changed a value');
    return text;
  };
  return b.craftText(spaced(header), spaced(claims), 'd1-ed25519');
}

/** The last link re-signed by d1 with its claims' text writing depth 0 as `-0` (which JSON.stringify never writes). */
function negativeZeroDepth(b: VectorBuilder, bytes: Uint8Array): Promise<Uint8Array> {
  const { header, claims } = splitJws(bytes);
  const text = JSON.stringify(claims);
  if (!text.includes('"depth":0,') && !text.endsWith('"depth":0}')) throw new Error('the last link\'s depth is not 0');
  return b.craftText(JSON.stringify(header), text.replace('"depth":0', '"depth":-0'), 'd1-ed25519');
}

function mixedAlgorithms(format: LinkFormat): VectorFactory {
  const id = `positive-mixed-algorithms${suffix(format)}`;
  return {
    id,
    make: async () => {
      const b = new VectorBuilder(id, format);
      // issuer ES256 → d1 (PS256 key) → d2 (Ed25519) → d3 (ES384) → d4 (Ed25519)
      const delegateKeys = ['d1-ps256', 'd2-ed25519', 'd3-es384', 'd4-ed25519'];
      const options: ChainOptions = {
        length: 4,
        input: async (i, input) => ({ ...input, tmb: await b.cnf('holder-ed25519'), delegate: { sub: delegateId(i + 1), cnf: await b.cnf(delegateKeys[i] as string) } }),
        signer: (i) => (i === 0 ? 'issuer-es256' : (delegateKeys[i - 1] as string)),
      };
      const chain = await standardChain(b, options);
      return b.finish({
        description: 'A 4-link chain whose links use four different algorithms: ES256 (issuer), PS256, EdDSA, ES384; each delegate key is named by its parent as a jwk.',
        spec: RESULT_SPEC,
        chain,
        trust: await standardTrust(b, 'issuer', 'es256'),
        context: standardContext(4),
        expected: expectedResult(await standardInputs(b, options), 'issuer'),
      });
    },
  };
}

/**
 * A chain of two links whose delegates are named by jkt (§3.4), d1's key in the trust configuration's
 * delegateKeys (with `d1Kid` when given), the requester authenticated with d2's key: what the
 * delegate-by-thumbprint vectors share. `mint` sets link i's minting options.
 */
async function thumbprintDelegates(b: VectorBuilder, mint?: ChainOptions['mint'], d1Kid?: string) {
  const options: ChainOptions = {
    length: 2,
    input: async (i, input) => ({ ...input, delegate: { sub: input.delegate.sub, cnf: { jkt: await b.jkt(`d${i + 1}-ed25519`) } } }),
    ...(mint === undefined ? {} : { mint }),
  };
  const d1 = (await b.key('d1-ed25519')).publicJwk;
  return {
    chain: await standardChain(b, options),
    trust: { ...(await standardTrust(b, 'issuer')), delegateKeys: { keys: [d1Kid === undefined ? d1 : { ...d1, kid: d1Kid }] } },
    context: standardContext(2, { requester: { id: delegateId(2), jkt: await b.jkt('d2-ed25519') } }),
    expected: expectedResult(await standardInputs(b, options), 'issuer'),
  };
}

function delegateByThumbprint(format: LinkFormat): VectorFactory {
  const id = `positive-delegate-jkt${suffix(format)}`;
  return {
    id,
    make: async () => {
      const b = new VectorBuilder(id, format);
      // Link 0 names d1 only by thumbprint; the verifier knows d1's key from delegateKeys (§3.4).
      // Link 1 names the last delegate d2 by thumbprint too, which is enough for the last delegate.
      return b.finish({
        description: 'Delegates named by jkt: link 0 names d1 by thumbprint (its key is in the trust configuration\'s delegateKeys); link 1 names the last delegate d2 by thumbprint only, which needs no key (§3.4). The requester authenticated with d2\'s key.',
        spec: `${RESULT_SPEC}; §3.4`,
        ...(await thumbprintDelegates(b)),
      });
    },
  };
}

/** A delegate's link names a kid that matches nothing: kid selects among an issuer root's keys only (§3.2), never a delegate's. */
function delegateKidIgnored(format: LinkFormat): VectorFactory {
  const id = `positive-delegate-kid-ignored${suffix(format)}`;
  return {
    id,
    make: async () => {
      const b = new VectorBuilder(id, format);
      return b.finish({
        description: 'Link 0 names d1 by thumbprint; delegateKeys holds d1\'s key with kid "d1-key"; link 1, signed by d1, has kid "no-such-key". A kid selects among an issuer root\'s keys only: a delegate\'s key is the one the parent names (here by thumbprint), whatever the link\'s kid says.',
        spec: `${RESULT_SPEC}; §3.2 (kid), §3.4, step 6`,
        ...(await thumbprintDelegates(b, (i) => (i === 1 ? { kid: 'no-such-key' } : {}), 'd1-key')),
      });
    },
  };
}

function holderByThumbprint(format: LinkFormat): VectorFactory {
  const id = `positive-holder-jkt${suffix(format)}`;
  return {
    id,
    make: async () => {
      const b = new VectorBuilder(id, format);
      const options: ChainOptions = { root: 'holder', length: 2, input: async (_i, input) => ({ ...input, tmb: { jkt: await b.jkt('holder-ed25519') } }) };
      const chain = await standardChain(b, options);
      const trust = { ...(await standardTrust(b, 'holder')), delegateKeys: { keys: [(await b.key('holder-ed25519')).publicJwk] } };
      return b.finish({
        description: 'A key-holder root whose tmb is a jkt: the holder key is found in delegateKeys by that thumbprint and signs link 0 (§5 (a)). The result cnf is the jkt.',
        spec: `${RESULT_SPEC}; §5 (a)`,
        chain,
        trust,
        context: standardContext(2),
        expected: expectedResult(await standardInputs(b, options), 'holder'),
      });
    },
  };
}

function requestBound(format: LinkFormat): VectorFactory {
  const id = `positive-request-bound${suffix(format)}`;
  return {
    id,
    make: async () => {
      const b = new VectorBuilder(id, format);
      const options: ChainOptions = { length: 3 };
      const chain = await standardChain(b, options);
      return b.finish({
        description: 'The request names the chain\'s tmb (the same jwk), asks for a subset of the last link\'s scope, and the requester authenticated with the last delegate\'s key; the verifier requires key-bound requesters. The granted scope is the requested one.',
        spec: `${RESULT_SPEC}; steps 15–17`,
        chain,
        trust: await standardTrust(b, 'issuer'),
        context: standardContext(3, {
          requester: { id: delegateId(3), jkt: await b.jkt('d3-ed25519') },
          tmb: await b.cnf('holder-ed25519'),
          scope: 'read admin',
        }),
        verifierOptions: { requireRequesterKey: true },
        expected: expectedResult(await standardInputs(b, options), 'issuer', 'read admin'),
      });
    },
  };
}

function unboundRequesterOptOut(format: LinkFormat): VectorFactory {
  const id = `positive-requester-unbound-opt-out${suffix(format)}`;
  return {
    id,
    make: async () => {
      const b = new VectorBuilder(id, format);
      const options: ChainOptions = { length: 2 };
      return b.finish({
        description: 'The requester authenticated by secret (no jkt, no x5t#S256) and the verifier explicitly opts out of key-bound requesters: the identifier alone matches.',
        spec: `${RESULT_SPEC}; step 16 (requireRequesterKey false)`,
        chain: await standardChain(b, options),
        trust: await standardTrust(b, 'issuer'),
        context: standardContext(2),
        verifierOptions: { requireRequesterKey: false },
        expected: expectedResult(await standardInputs(b, options), 'issuer'),
      });
    },
  };
}

function issuerKeyWithoutKid(format: LinkFormat): VectorFactory {
  return issuerWithTwoKeys(format, 'positive-issuer-key-rotation', ['issuer-ed25519', 'issuer-next-ed25519'], {
    description: 'The issuer has two configured keys; link 0 has no kid and is signed by the second, so every configured key of the issuer is a candidate (§5 (b)).',
    spec: `${RESULT_SPEC}; §5 (b)`,
  });
}

/**
 * An issuer root with two configured keys, in this order; link 0 carries no kid and is signed by the
 * second, link 1 as in the standard chain.
 */
function issuerWithTwoKeys(format: LinkFormat, name: string, keys: readonly [string, string], text: { description: string; spec: string }): VectorFactory {
  const id = `${name}${suffix(format)}`;
  return {
    id,
    make: async () => {
      const b = new VectorBuilder(id, format);
      const options: ChainOptions = { length: 2, signer: (i, signer) => (i === 0 ? keys[1] : signer), mint: (i) => (i === 0 ? { kid: false } : {}) };
      const chain = await standardChain(b, options);
      const trust = {
        roots: [{ type: 'issuer' as const, iss: ISSUER, jwks: { keys: [(await b.key(keys[0])).publicJwk, (await b.key(keys[1])).publicJwk] } }],
      };
      return b.finish({
        ...text,
        chain,
        trust,
        context: standardContext(2),
        expected: expectedResult(await standardInputs(b, options), 'issuer'),
      });
    },
  };
}

/** P-256 group order. */
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

function highS(): VectorFactory {
  const id = 'positive-ecdsa-high-s';
  return {
    id,
    make: async () => {
      const b = new VectorBuilder(id, 'jwt');
      const options: ChainOptions = {
        length: 3,
        keyType: 'es256',
        // The last link's ES256 signature (r, s) in its high-S form: (r, n − s) when s ≤ n/2.
        craft: (i, bytes) => {
          if (i !== 2) return bytes;
          const text = Buffer.from(bytes).toString('latin1');
          const dot = text.lastIndexOf('.');
          const signature = Buffer.from(text.slice(dot + 1), 'base64url');
          const s = BigInt(`0x${signature.subarray(32).toString('hex')}`);
          const high = s > P256_N / 2n ? s : P256_N - s;
          const out = Buffer.concat([signature.subarray(0, 32), Buffer.from(high.toString(16).padStart(64, '0'), 'hex')]);
          return b.note(new TextEncoder().encode(`${text.slice(0, dot + 1)}${out.toString('base64url')}`), { signer: 'd2-es256', note: 'ES256 signature by d2-es256 in its high-S form (r, n − s)' });
        },
      };
      const chain = await standardChain(b, options);
      return b.finish({
        description: 'A valid 3-link ES256 chain whose last link carries its signature in the high-S form (r, n − s), which verifies as well as (r, s). Verifiers accept it: no JOSE or COSE specification requires low-S (§4.4, "Malleability"); only the last link can be so changed without breaking a prev.',
        spec: `${RESULT_SPEC}; §4.4`,
        chain,
        trust: await standardTrust(b, 'issuer', 'es256'),
        context: standardContext(3),
        expected: expectedResult(await standardInputs(b, options), 'issuer'),
      });
    },
  };
}

/**
 * Step 6 with candidates of several key types: the ones whose type can use the link's alg are kept
 * (here the second), not the first one judged alone nor every one.
 */
function issuerKeyTypesMixed(format: LinkFormat): VectorFactory {
  return issuerWithTwoKeys(format, 'positive-issuer-key-types-mixed', ['issuer-ed25519', 'issuer-es256'], {
    description: 'The issuer has an Ed25519 key, then a P-256 key; link 0 has no kid and is signed with the P-256 key (ES256 in JWT, ESP256 in CWT). Of the candidates, step 6 keeps those whose type can use the link\'s alg (the P-256 key), so the first candidate\'s type does not make the link alg_not_allowed.',
    spec: `${RESULT_SPEC}; step 6 (candidates that cannot use the alg are set aside; none left: alg_not_allowed), §5 (b)`,
  });
}

function withNbf(format: LinkFormat): VectorFactory {
  const id = `positive-nbf${suffix(format)}`;
  return {
    id,
    make: async () => {
      const b = new VectorBuilder(id, format);
      // Link 1 is issued at iat but valid only from nbf (≥ iat, ≥ the parent's start, ≤ now).
      const options: ChainOptions = { length: 2, input: (i, input) => (i === 1 ? { ...input, nbf: NOW - 60 } : input) };
      const chain = await standardChain(b, options);
      return b.finish({
        description: 'Link 1 carries nbf (after its iat, before now): its start is nbf (§3.1).',
        spec: `${RESULT_SPEC}; step 12`,
        chain,
        trust: await standardTrust(b, 'issuer'),
        context: standardContext(2),
        expected: expectedResult(await standardInputs(b, options), 'issuer'),
      });
    },
  };
}

function clockSkew(format: LinkFormat): VectorFactory {
  const id = `positive-clock-tolerance${suffix(format)}`;
  return {
    id,
    make: async () => {
      const b = new VectorBuilder(id, format);
      // The last link was issued 20 s "in the future" (a skewed clock), within the default 30 s.
      const options: ChainOptions = { length: 2, input: (i, input) => (i === 1 ? { ...input, iat: NOW + 20 } : input) };
      const chain = await standardChain(b, options);
      return b.finish({
        description: 'Link 1 has iat 20 seconds after now, within the default clock tolerance of 30 seconds.',
        spec: `${RESULT_SPEC}; step 12, §5 clockToleranceSeconds`,
        chain,
        trust: await standardTrust(b, 'issuer'),
        context: standardContext(2),
        expected: expectedResult(await standardInputs(b, options), 'issuer'),
      });
    },
  };
}

function selfDelegation(format: LinkFormat): VectorFactory {
  const id = `positive-self-delegation${suffix(format)}`;
  return {
    id,
    make: async () => {
      const b = new VectorBuilder(id, format);
      const options = selfDelegationChain(b);
      const chain = await standardChain(b, options);
      return b.finish({
        description: 'd1 delegates to itself (narrower scope, lower depth): allowed, and the actor chain names d1 twice.',
        spec: RESULT_SPEC,
        chain,
        trust: await standardTrust(b, 'issuer'),
        context: standardContext(1),
        expected: expectedResult(await standardInputs(b, options), 'issuer'),
      });
    },
  };
}

function thumbprintIssuer(format: LinkFormat): VectorFactory {
  const id = `positive-holder-thumbprint-issuer${suffix(format)}`;
  return {
    id,
    make: async () => {
      const b = new VectorBuilder(id, format);
      const urn = await thumbprintUri(b, 'holder-ed25519');
      const options: ChainOptions = { root: 'holder', length: 2, input: (i, input) => ({ ...input, sub: urn, ...(i === 0 ? { iss: urn } : {}) }) };
      const chain = await standardChain(b, options);
      return b.finish({
        description: 'A key-holder root identified by its RFC 9278 JWK thumbprint URI (iss = sub = urn:ietf:params:oauth:jwk-thumbprint:sha-256:<jkt of the tmb key>), accepted by a holder root with thumbprintIssuers.',
        spec: `${RESULT_SPEC}; §5 (a)`,
        chain,
        trust: { roots: [{ type: 'holder', thumbprintIssuers: true }] },
        context: standardContext(2),
        expected: expectedResult(await standardInputs(b, options), 'holder'),
      });
    },
  };
}

/** Link 0: issuer → d1 (depth 2); link 1: d1 → d1 (depth 1). The requester is d1. */
export function selfDelegationChain(b: VectorBuilder): ChainOptions {
  return {
    length: 2,
    input: async (i, input): Promise<LinkInput> => (i === 1 ? { ...input, depth: 1, delegate: { sub: delegateId(1), cnf: await b.cnf('d1-ed25519') } } : { ...input, depth: 2 }),
    signer: (i, name) => (i === 1 ? 'd1-ed25519' : name),
  };
}

export { HOLDER };
