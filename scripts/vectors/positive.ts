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
    out.push(issuerMixedKeyTypes(format));
    // SPEC-NOTES.md §4.4: verifiers accept high-S ECDSA (no JOSE specification requires low-S).
    if (format === 'jwt') out.push(highS());
    out.push(withNbf(format));
    out.push(clockSkew(format));
    out.push(selfDelegation(format));
    out.push(thumbprintIssuer(format));
    // String lengths count code points (SPEC-NOTES.md §3.1): a jti of 256 characters outside the BMP
    // is 512 UTF-16 code units and 1024 UTF-8 bytes, and valid.
    if (format === 'jwt') out.push(plain('positive-jti-code-points', format, 'A valid 3-link chain whose link 0 has a jti of 256 U+1F600 characters (the most a jti may have: 256 code points, though 512 UTF-16 code units and 1024 UTF-8 bytes). String lengths count Unicode code points (§3.1).', { root: 'issuer', length: 3, input: (i, input) => (i === 0 ? { ...input, jti: '\u{1F600}'.repeat(256) } : input) }));
  }
  return out;
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

function delegateByThumbprint(format: LinkFormat): VectorFactory {
  const id = `positive-delegate-jkt${suffix(format)}`;
  return {
    id,
    make: async () => {
      const b = new VectorBuilder(id, format);
      // Link 0 names d1 only by thumbprint; the verifier knows d1's key from delegateKeys (§3.4).
      // Link 1 names the last delegate d2 by thumbprint too, which is enough for the last delegate.
      const options: ChainOptions = {
        length: 2,
        input: async (i, input) => ({ ...input, delegate: { sub: input.delegate.sub, cnf: { jkt: await b.jkt(`d${i + 1}-ed25519`) } } }),
      };
      const chain = await standardChain(b, options);
      const trust = { ...(await standardTrust(b, 'issuer')), delegateKeys: { keys: [(await b.key('d1-ed25519')).publicJwk] } };
      return b.finish({
        description: 'Delegates named by jkt: link 0 names d1 by thumbprint (its key is in the trust configuration\'s delegateKeys); link 1 names the last delegate d2 by thumbprint only, which needs no key (§3.4). The requester authenticated with d2\'s key.',
        spec: `${RESULT_SPEC}; §3.4`,
        chain,
        trust,
        context: standardContext(2, { requester: { id: delegateId(2), jkt: await b.jkt('d2-ed25519') } }),
        expected: expectedResult(await standardInputs(b, options), 'issuer'),
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
  const id = `positive-issuer-key-rotation${suffix(format)}`;
  return {
    id,
    make: async () => {
      const b = new VectorBuilder(id, format);
      const options: ChainOptions = { length: 2, signer: (i, name) => (i === 0 ? 'issuer-next-ed25519' : name), mint: (i) => (i === 0 ? { kid: false } : {}) };
      const chain = await standardChain(b, options);
      const trust = {
        roots: [{ type: 'issuer' as const, iss: ISSUER, jwks: { keys: [(await b.key('issuer-ed25519')).publicJwk, (await b.key('issuer-next-ed25519')).publicJwk] } }],
      };
      return b.finish({
        description: 'The issuer has two configured keys; link 0 has no kid and is signed by the second, so every configured key of the issuer is a candidate (§5 (b)).',
        spec: `${RESULT_SPEC}; §5 (b)`,
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

function issuerMixedKeyTypes(format: LinkFormat): VectorFactory {
  const id = `positive-issuer-mixed-key-types${suffix(format)}`;
  return {
    id,
    make: async () => {
      const b = new VectorBuilder(id, format);
      // Link 0 has no kid: both issuer keys are candidates, the Ed25519 one is passed over (it cannot
      // do ES256 / ESP256) and the P-256 one verifies (SPEC-NOTES.md §6.2 step 6).
      const options: ChainOptions = { length: 2, signer: (i, name) => (i === 0 ? 'issuer-es256' : name), mint: (i) => (i === 0 ? { kid: false } : {}) };
      const chain = await standardChain(b, options);
      const trust = {
        roots: [{ type: 'issuer' as const, iss: ISSUER, jwks: { keys: [(await b.key('issuer-ed25519')).publicJwk, (await b.key('issuer-es256')).publicJwk] } }],
      };
      return b.finish({
        description: 'The issuer has an Ed25519 key (listed first) and a P-256 key; link 0 has no kid and is signed with the P-256 key. A candidate key whose type cannot do the link\'s alg is passed over, not an alg_not_allowed while another candidate fits (§6.2 step 6).',
        spec: `${RESULT_SPEC}; §6.2 step 6`,
        chain,
        trust,
        context: standardContext(2),
        expected: expectedResult(await standardInputs(b, options), 'issuer'),
      });
    },
  };
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
