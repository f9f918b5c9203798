/**
 * Shared pieces of the property-based tests: freshly generated keys per party and algorithm, valid
 * chains minted from a plan (through the public API), and the mutations applied to them.
 */
import { createPrivateKey, sign as cryptoSign } from 'node:crypto';
import {
  decodeChain,
  generateKeyPair,
  jwkThumbprint,
  mintLink,
  serializeChain,
  type Actor,
  type Chain,
  type Confirmation,
  type KeyAlgorithmName,
  type LinkFormat,
  type LinkInput,
  type PrivateJwk,
  type PublicJwk,
  type TrustConfig,
  type VerificationContext,
} from '../../lib/index.js';
import { ALL_PARTS } from '../helpers/parts.js';

export const NOW_S = 1_900_000_000;
export const NOW = new Date(NOW_S * 1000);
export const AUDIENCE = 'https://as.example';
export const ISSUER = 'https://issuer.example';
export const HOLDER = 'https://holder.example';
export const SUBJECT = 'user-42';
export const SCOPE_UNIVERSE = ['read', 'write', 'admin', 'openid', 'profile', 'email', 'phone', 'address', 'offline_access', 'a:b', 'x/y'] as const;
export const ALGORITHMS: readonly KeyAlgorithmName[] = ['EdDSA', 'ES256', 'ES384', 'PS256'];

/** Runs of the mutation properties; the `npm run fuzz` script raises it (FUZZ_RUNS). */
export const RUNS = (() => {
  const value = Number(process.env.FUZZ_RUNS ?? '10000');
  return Number.isSafeInteger(value) && value > 0 ? value : 10_000;
})();

export interface Key {
  alg: KeyAlgorithmName;
  privateJwk: PrivateJwk;
  publicJwk: PublicJwk;
  cnf: Confirmation;
  jkt: string;
}

export async function makeKey(alg: KeyAlgorithmName): Promise<Key> {
  const { privateJwk, publicJwk } = await generateKeyPair(alg);
  return { alg, privateJwk, publicJwk, cnf: { jwk: publicJwk }, jkt: await jwkThumbprint(publicJwk) };
}

export function delegateId(n: number): string {
  return `https://d${n}.example`;
}

/** Keys for every role and algorithm: issuer, holder, delegates d1..d9, and outsiders. */
export interface KeyRing {
  issuer: Record<KeyAlgorithmName, Key>;
  holder: Record<KeyAlgorithmName, Key>;
  /** delegates[n][alg]: the key of delegate d(n+1). */
  delegates: Record<KeyAlgorithmName, Key>[];
  /** Never authorised by any chain. */
  mallory: Key;
  /** Another key, used as a replacement tmb / cnf in edits. */
  eve: Key;
}

async function perAlgorithm(): Promise<Record<KeyAlgorithmName, Key>> {
  const keys = await Promise.all(ALGORITHMS.map((alg) => makeKey(alg)));
  return Object.fromEntries(ALGORITHMS.map((alg, i) => [alg, keys[i]])) as Record<KeyAlgorithmName, Key>;
}

/** Generated concurrently: RSA key generation dominates and runs on the crypto thread pool. */
export async function makeKeyRing(delegates = 9): Promise<KeyRing> {
  const [issuer, holder, mallory, eve, ...rest] = await Promise.all([
    perAlgorithm(),
    perAlgorithm(),
    makeKey('EdDSA'),
    makeKey('EdDSA'),
    ...Array.from({ length: delegates }, () => perAlgorithm()),
  ]);
  return {
    issuer: issuer as Record<KeyAlgorithmName, Key>,
    holder: holder as Record<KeyAlgorithmName, Key>,
    delegates: rest as Record<KeyAlgorithmName, Key>[],
    mallory: mallory as Key,
    eve: eve as Key,
  };
}

/** What a valid chain is made of: every choice the property generates. */
export interface ChainPlan {
  format: LinkFormat;
  root: 'issuer' | 'holder';
  /** Algorithm of each link's signer (index 0: the root). */
  algs: KeyAlgorithmName[];
  /** Key type of the last delegate (it only authenticates). */
  lastDelegateAlg: KeyAlgorithmName;
  /** Scope of each link, each a non-empty subset of the one before. */
  scopes: string[][];
  /** Extra depth of link 0 beyond what the chain needs. */
  extraDepth: number;
  /** Per link: seconds its start moves after the parent's, and its exp moves before. */
  startSteps: number[];
  endSteps: number[];
  /** Requested scope: a subset of the last link's, or none. */
  requested: string[] | undefined;
  jtiPrefix: string;
}

export interface PlannedChain {
  chain: Chain;
  inputs: LinkInput[];
  trust: TrustConfig;
  context: VerificationContext;
  expected: { cnf: Confirmation; sub: string; act: Actor; scope: string; notAfter: number; root: { kind: string; iss: string } };
}

/** Mint a valid chain from a plan, with the library's mintLink. */
export async function mintPlan(ring: KeyRing, plan: ChainPlan): Promise<PlannedChain> {
  const length = plan.algs.length;
  const tmb = ring.holder[plan.algs[0] as KeyAlgorithmName].cnf;
  const inputs: LinkInput[] = [];
  const links: Uint8Array[] = [];
  let start = NOW_S - 3000;
  let exp = NOW_S + 3000;
  for (let i = 0; i < length; i++) {
    start += plan.startSteps[i] ?? 0;
    exp -= plan.endSteps[i] ?? 0;
    const signerAlg = plan.algs[i] as KeyAlgorithmName;
    const signer = i === 0 ? (plan.root === 'issuer' ? ring.issuer : ring.holder)[signerAlg] : (ring.delegates[i - 1] as Record<KeyAlgorithmName, Key>)[signerAlg];
    const nextAlg = i + 1 < length ? (plan.algs[i + 1] as KeyAlgorithmName) : plan.lastDelegateAlg;
    const delegate = (ring.delegates[i] as Record<KeyAlgorithmName, Key>)[nextAlg];
    const input: LinkInput = {
      iss: i === 0 ? (plan.root === 'issuer' ? ISSUER : HOLDER) : delegateId(i),
      sub: plan.root === 'issuer' ? SUBJECT : HOLDER,
      aud: AUDIENCE,
      scope: (plan.scopes[i] as string[]).join(' '),
      tmb,
      delegate: { sub: delegateId(i + 1), cnf: delegate.cnf },
      depth: length - 1 - i + (i === 0 ? plan.extraDepth : 0),
      iat: start,
      exp,
      jti: `${plan.jtiPrefix}-${i}`,
    };
    const previous = links[i - 1];
    links.push(await mintLink(input, { privateKey: signer.privateJwk, alg: signerAlg }, { ...ALL_PARTS, format: plan.format, ...(previous === undefined ? {} : { previous }) }));
    inputs.push(input);
  }
  const rootKey = ring.issuer[plan.algs[0] as KeyAlgorithmName];
  const trust: TrustConfig = plan.root === 'issuer' ? { roots: [{ type: 'issuer', iss: ISSUER, jwks: { keys: [rootKey.publicJwk] } }] } : { roots: [{ type: 'holder', holders: [{ iss: HOLDER, jkt: (ring.holder[plan.algs[0] as KeyAlgorithmName] as Key).jkt }] }] };
  // The last delegate authenticated with its key (key-bound requesters are the default).
  const lastDelegate = (ring.delegates[length - 1] as Record<KeyAlgorithmName, Key>)[plan.lastDelegateAlg];
  const context: VerificationContext = { audience: AUDIENCE, requester: { id: delegateId(length), jkt: lastDelegate.jkt }, now: NOW, ...(plan.requested === undefined ? {} : { scope: plan.requested.join(' ') }) };
  let act: Actor | undefined;
  for (const input of inputs) act = act === undefined ? { sub: input.delegate.sub } : { sub: input.delegate.sub, act };
  const first = inputs[0] as LinkInput;
  const last = inputs[length - 1] as LinkInput;
  return {
    chain: { format: plan.format, links },
    inputs,
    trust,
    context,
    expected: {
      cnf: first.tmb,
      sub: first.sub,
      act: act as Actor,
      scope: plan.requested === undefined ? String(last.scope) : plan.requested.join(' '),
      notAfter: Math.min(...inputs.map((input) => input.exp as number)),
      root: { kind: plan.root, iss: first.iss },
    },
  };
}

// ---- Mutations ----

export type ClaimEdit = 'scope' | 'exp' | 'iat' | 'depth' | 'sub' | 'aud' | 'iss' | 'jti' | 'delegate-sub' | 'delegate-key' | 'tmb' | 'prev' | 'drop-claim' | 'extra-claim';
export const CLAIM_EDITS: readonly ClaimEdit[] = ['scope', 'exp', 'iat', 'depth', 'sub', 'aud', 'iss', 'jti', 'delegate-sub', 'delegate-key', 'tmb', 'prev', 'drop-claim', 'extra-claim'];

export type Mutation =
  | { kind: 'flip-text'; at: number; mask: number }
  | { kind: 'flip-bytes'; at: number; mask: number }
  | { kind: 'edit'; link: number; edit: ClaimEdit; resign: boolean }
  | { kind: 'drop'; link: number }
  | { kind: 'swap'; link: number; other: number }
  | { kind: 'duplicate'; link: number }
  | { kind: 'splice'; link: number };

/** Apply an edit to decoded claims; every edit changes the claims. */
export function editClaims(claims: Record<string, unknown>, edit: ClaimEdit, ring: KeyRing): Record<string, unknown> {
  const out = structuredClone(claims);
  const bump = (name: string, by: number) => { out[name] = (out[name] as number) + by; };
  switch (edit) {
    case 'scope': out.scope = `${String(out.scope)} fuzz`; break;
    case 'exp': bump('exp', 1); break;
    case 'iat': bump('iat', -1); break;
    case 'depth': bump('depth', 1); break;
    case 'sub': out.sub = `${String(out.sub)}x`; break;
    case 'aud': out.aud = `${String(out.aud)}x`; break;
    case 'iss': out.iss = `${String(out.iss)}x`; break;
    case 'jti': out.jti = `${String(out.jti)}x`; break;
    case 'delegate-sub': out.may_act = { ...(out.may_act as object), sub: 'https://eve.example' }; break;
    case 'delegate-key': out.may_act = { ...(out.may_act as object), cnf: ring.eve.cnf }; break;
    case 'tmb': out.tmb = ring.eve.cnf; break;
    case 'prev': out.prev = 'A'.repeat(43); break;
    case 'drop-claim': delete out.exp; break;
    case 'extra-claim': out.fuzz = true; break;
  }
  return out;
}

/** The LinkInput that mints the given (schema-valid) claims. */
export function inputFromClaims(claims: Record<string, unknown>): LinkInput {
  const mayAct = claims.may_act as { sub: string; cnf: Confirmation };
  return {
    iss: claims.iss as string,
    sub: claims.sub as string,
    aud: claims.aud as string,
    scope: claims.scope as string,
    tmb: claims.tmb as Confirmation,
    delegate: { sub: mayAct.sub, cnf: mayAct.cnf },
    depth: claims.depth as number,
    iat: claims.iat as number,
    exp: claims.exp as number,
    ...(claims.nbf === undefined ? {} : { nbf: claims.nbf as number }),
    jti: claims.jti as string,
  };
}

const encoder = new TextEncoder();
const latin1 = new TextDecoder('latin1');

/** A JWT link's claims replaced, keeping (resign false) or replacing (resign true, by mallory) the signature. */
function rewriteJwt(bytes: Uint8Array, claims: Record<string, unknown>, resign: boolean, ring: KeyRing): Uint8Array {
  const [h, , s] = latin1.decode(bytes).split('.') as [string, string, string];
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  if (!resign) return encoder.encode(`${h}.${payload}.${s}`);
  const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
  const newHeader = Buffer.from(JSON.stringify({ ...header, alg: 'EdDSA' })).toString('base64url');
  const key = createPrivateKey({ key: ring.mallory.privateJwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' });
  const signature = cryptoSign(null, encoder.encode(`${newHeader}.${payload}`), key).toString('base64url');
  return encoder.encode(`${newHeader}.${payload}.${signature}`);
}

/** CBOR links can only be re-signed (by mallory, through mintLink); edits that break the schema become a scope edit. */
async function rewriteCwt(bytes: Uint8Array, claims: Record<string, unknown>, edit: ClaimEdit, previous: Uint8Array | undefined, ring: KeyRing): Promise<Uint8Array> {
  const valid = edit === 'drop-claim' || edit === 'extra-claim' || edit === 'prev' ? editClaims(claims, 'scope', ring) : claims;
  void bytes;
  return mintLink(inputFromClaims(valid), { privateKey: ring.mallory.privateJwk, alg: 'EdDSA' }, { ...ALL_PARTS, format: 'cwt', ...(previous === undefined ? {} : { previous }) });
}

/**
 * The mutated chain as the text presented to the verifier. `sibling` is a valid chain of the same
 * shape with other jtis (for splicing).
 */
export async function mutate(base: Chain, sibling: Chain, mutation: Mutation, ring: KeyRing): Promise<string> {
  const n = base.links.length;
  const at = (i: number) => ((i % n) + n) % n;
  const text = serializeChain(base, ALL_PARTS);
  switch (mutation.kind) {
    case 'flip-text': {
      const i = mutation.at % text.length;
      return text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) ^ mutation.mask) + text.slice(i + 1);
    }
    case 'flip-bytes': {
      if (base.format === 'cwt') {
        const bytes = Buffer.from(text, 'base64url');
        const i = mutation.at % bytes.length;
        bytes[i] = (bytes[i] as number) ^ mutation.mask;
        return bytes.toString('base64url');
      }
      // JWT: flip a byte of one decoded segment (header, payload or signature) of one link.
      const links = text.split('~');
      const segments = links.flatMap((link, li) => link.split('.').map((segment, si) => ({ li, si, bytes: Buffer.from(segment, 'base64url') })));
      const total = segments.reduce((sum, s) => sum + s.bytes.length, 0);
      let offset = mutation.at % total;
      const target = segments.find((s) => (offset < s.bytes.length ? true : ((offset -= s.bytes.length), false))) as (typeof segments)[number];
      target.bytes[offset] = (target.bytes[offset] as number) ^ mutation.mask;
      const parts = links.map((link) => link.split('.'));
      (parts[target.li] as string[])[target.si] = target.bytes.toString('base64url');
      return parts.map((p) => p.join('.')).join('~');
    }
    case 'edit': {
      const i = at(mutation.link);
      const claims = (decodeChain(base, ALL_PARTS)[i] as { claims: Record<string, unknown> }).claims;
      const edited = editClaims(claims, mutation.edit, ring);
      const bytes = base.links[i] as Uint8Array;
      const replaced = base.format === 'jwt'
        ? rewriteJwt(bytes, edited, mutation.resign, ring)
        : await rewriteCwt(bytes, edited, mutation.edit, base.links[i - 1], ring);
      const links = [...base.links];
      links[i] = replaced;
      return serializeChain({ format: base.format, links }, ALL_PARTS);
    }
    case 'drop': {
      if (n === 1) return serializeChain({ format: base.format, links: [...base.links, ...base.links] }, ALL_PARTS);
      const links = [...base.links];
      links.splice(at(mutation.link), 1);
      return serializeChain({ format: base.format, links }, ALL_PARTS);
    }
    case 'swap': {
      if (n === 1) return serializeChain({ format: base.format, links: [...base.links, ...base.links] }, ALL_PARTS);
      const i = at(mutation.link);
      let j = at(mutation.other);
      if (j === i) j = (i + 1) % n;
      const links = [...base.links];
      [links[i], links[j]] = [links[j] as Uint8Array, links[i] as Uint8Array];
      return serializeChain({ format: base.format, links }, ALL_PARTS);
    }
    case 'duplicate': {
      const i = at(mutation.link);
      const links = [...base.links];
      links.splice(i, 0, base.links[i] as Uint8Array);
      return serializeChain({ format: base.format, links }, ALL_PARTS);
    }
    case 'splice': {
      // A one-link sibling is a valid chain by itself: splice it after the base's link instead.
      const i = at(mutation.link);
      const links = [...base.links];
      if (n === 1) links.push(sibling.links[0] as Uint8Array);
      else links[i] = sibling.links[i] as Uint8Array;
      return serializeChain({ format: base.format, links }, ALL_PARTS);
    }
  }
}
