/**
 * Authorization-server vectors (vectors/as/, schemas/as-vector.schema.json): a token request as the
 * AS sees it → the refusal of SPEC-NOTES.md §8.3/§8.6, or the issued token's claims (§8.4) and the
 * replay entries consumed (§8.5). Ed25519 throughout, fixed jti and time: every file is reproduced
 * byte for byte. The expected replay keys, record and token are computed here from the text of
 * §8.4–§8.5 with node:crypto, not by lib/replay or lib/as.
 */
import { createHash } from 'node:crypto';
import type { Actor, Chain, Confirmation, LinkInput, RequesterIdentity, TrustConfig } from '../../lib/index.js';
import { testKey } from './keys.js';
import { sigStructure, splitSign1 } from './cbor.js';
import { serializeChain } from '../../lib/index.js';
import { coseCodec } from '../../lib/codecs/cose/index.js';
import type { ReplayKey } from '../../lib/replay/keys.js';
import type { DeferredBindingRecord } from '../../lib/as/issued-token.js';
import type { AsExpected, AsVector, AsVectorIndex, AsVectorPolicy } from '../../lib/vectors/as-types.js';
import {
  AUDIENCE,
  NOW,
  OTHER_AUDIENCE,
  delegateId,
  linkText,
  rawSignature,
  standardChain,
  standardContext,
  standardInputs,
  standardTrust,
  VectorBuilder,
  failure,
  type ChainOptions,
} from './builder.js';

export type AsVectorFactory = { id: string; make: () => Promise<AsVector> };

const DEFERRED = 'urn:transitive-proof:grant-type:deferred-binding';
const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const CHAIN_TOKEN_TYPE = 'urn:transitive-proof:token-type:tmb-chain';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const RECORD = 'urn:transitive-proof:claim:deferred-binding';
const TOLERANCE = 60;

/** The AS's resource servers: RS1 (the default) knows six of the standard scope tokens; RS2 only `read`. */
export const RS1 = { identifier: 'https://rs.example/api', scope: 'read write admin openid profile email', accessTokenTTL: 600 };
export const RS2 = { identifier: 'https://rs2.example/', audience: 'urn:example:rs2', scope: 'read', accessTokenTTL: 7200 };

// ---- §8.4–§8.5 written out from the text (independent of lib/replay and lib/as) ----

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data).digest('base64url');
}

/** RFC 8785 (JCS) serialization of a string: the escapes of §8.5, every other character as itself. */
function jcsString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0d) out += '\\r';
    else if (c < 0x20) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

export function jtiEntry(iss: string, jti: string, exp: number): ReplayKey {
  return { key: `jti:${sha256(`[${jcsString(iss)},${jcsString(jti)}]`)}`, expiresAt: exp + TOLERANCE };
}

/**
 * The signed content of each link: for JWT the JWS Signing Input, everything before the last '.';
 * for CWT the COSE Sig_structure (§4.3.1), built by the vectors' own CBOR writer.
 */
export function chainEntry(chain: Chain, notAfter: number): ReplayKey {
  const hashes = chain.links.map((bytes) => {
    if (chain.format === 'cwt') {
      const { protectedContent, payload } = splitSign1(bytes);
      return `${sha256(sigStructure(protectedContent, payload))}~`;
    }
    const text = linkText(bytes);
    return `${sha256(text.slice(0, text.lastIndexOf('.')))}~`;
  });
  return { key: `chain:${sha256(hashes.join(''))}`, expiresAt: notAfter + TOLERANCE };
}

// ---- §8.4.2 written out from the text (independent of lib/as/disclosure.ts) ----

type Selector = 'first' | 'last' | number | { sub_prefix: string };

/** A disclosure policy as a vector configures it (valid ones only: the faults are written out per case). */
interface Policy {
  profile: 'full' | 'subset' | 'actor-only';
  keep?: Selector[];
  count?: boolean;
  link_hashes?: boolean;
}

/**
 * The `act` a token carries under `policy`, and how many delegates it leaves out. Delegates are the
 * links' may_act.sub, position 0 the root's delegate, n − 1 the requester; the requester is always
 * named; `act` nests the named ones in chain order, the requester outermost.
 */
function disclosedAct(delegates: readonly string[], policy: Policy): { act: Actor; omitted: number } {
  const n = delegates.length;
  const picks = (selector: Selector, position: number): boolean => {
    if (selector === 'first') return position === 0;
    if (selector === 'last') return position === n - 1;
    if (typeof selector === 'number') return position === (selector < 0 ? n + selector : selector);
    return (delegates[position] as string).startsWith(selector.sub_prefix);
  };
  const named = delegates.map((_sub, position) =>
    position === n - 1 || policy.profile === 'full' || (policy.profile === 'subset' && (policy.keep ?? []).some((selector) => picks(selector, position))));
  let act: Actor | undefined;
  named.forEach((isNamed, position) => {
    if (isNamed) act = act === undefined ? { sub: delegates[position] as string } : { sub: delegates[position] as string, act };
  });
  return { act: act as Actor, omitted: named.filter((isNamed) => !isNamed).length };
}

/** The record (§8.4.1) under `policy` (§8.4.2): the count only where it is disclosed, the link hashes when asked. */
function disclosedRecord(ctx: Ctx, root: DeferredBindingRecord['root'], policy: Policy, omitted: number): DeferredBindingRecord {
  const count = policy.profile === 'full' || policy.count === true;
  return {
    root,
    // Over the whole chain, whatever act names.
    chain_sha256: sha256(ctx.compact),
    ...(count ? { links: ctx.inputs.length, omitted } : {}),
    format: ctx.chain.format,
    disclosure: policy.profile,
    ...(policy.link_hashes === true ? { link_sha256: ctx.chain.links.map((bytes) => sha256(bytes)) } : {}),
  };
}

// ---- One case ----

interface Ctx {
  b: VectorBuilder;
  chain: Chain;
  inputs: LinkInput[];
  compact: string;
  /** The chain's tmb as the request sends it (JSON text). */
  tmbText: string;
  tmb: Confirmation;
  requester: RequesterIdentity;
  /** Replay entries of the chain: each link's (iss, jti), root first, and the chain's. */
  linkEntries: ReplayKey[];
  chainEntry: ReplayKey;
  notAfter: number;
  now: number;
}

type Profile = 'grant' | 'client_credentials' | 'token_exchange';

interface Case {
  id: string;
  description: string;
  spec: string;
  /** The chain's encoding; default JWT. */
  format?: Chain['format'];
  chain?: ChainOptions;
  /** Trust other than the standard one for the chain's root. */
  trust?: (b: VectorBuilder) => Promise<TrustConfig>;
  profile?: Profile;
  /** The request's parameters; default: the profile's standard ones. */
  parameters?: (ctx: Ctx, standard: [string, string][]) => [string, string][];
  client?: (ctx: Ctx) => RequesterIdentity | null;
  policy?: (policy: AsVectorPolicy) => AsVectorPolicy;
  replayStore?: (ctx: Ctx) => ReplayKey[];
  dpop?: (ctx: Ctx) => Promise<string>;
  now?: number;
  expected: (ctx: Ctx) => AsExpected;
}

function standardParameters(ctx: Ctx, profile: Profile): [string, string][] {
  if (profile === 'token_exchange') {
    return [['grant_type', EXCHANGE], ['subject_token', ctx.compact], ['subject_token_type', CHAIN_TOKEN_TYPE], ['tmb', ctx.tmbText]];
  }
  return [['grant_type', profile === 'grant' ? DEFERRED : 'client_credentials'], ['tmb', ctx.tmbText], ['tmb_proof', ctx.compact]];
}

function standardPolicy(trust: TrustConfig): AsVectorPolicy {
  return {
    issuer: AUDIENCE,
    trust,
    profiles: ['grant', 'client_credentials', 'token_exchange'],
    requireRequesterKey: true,
    replayPolicy: 'last-link',
    confirmation: 'tmb',
    resourceServers: [{ ...RS1 }, { ...RS2 }],
    defaultResource: RS1.identifier,
    disclosure: { profile: 'full' },
  };
}

function make(spec: Case): AsVectorFactory {
  return {
    id: spec.id,
    make: async () => {
      const b = new VectorBuilder(spec.id, spec.format ?? 'jwt');
      const options: ChainOptions = { root: 'issuer', length: 3, ...spec.chain };
      const chain = await standardChain(b, options);
      const inputs = await standardInputs(b, options);
      const length = inputs.length;
      // The builder's record of keys and signers (and the requester key it derives), reused here.
      const described = await b.finish({ description: '-', spec: '-', chain, trust: { roots: [] }, context: standardContext(length), expected: failure('request_invalid') });
      const first = inputs[0] as LinkInput;
      const notAfter = Math.min(...inputs.map((input) => input.exp as number));
      const ctx: Ctx = {
        b,
        chain,
        inputs,
        compact: serializeChain(chain, { codecs: [coseCodec] }),
        tmb: first.tmb,
        tmbText: JSON.stringify(first.tmb),
        requester: described.context.requester,
        linkEntries: inputs.map((input) => jtiEntry(input.iss, input.jti as string, input.exp as number)),
        chainEntry: chainEntry(chain, notAfter),
        notAfter,
        now: spec.now ?? NOW,
      };
      const trustConfig = spec.trust === undefined ? await standardTrust(b, options.root ?? 'issuer') : await spec.trust(b);
      const trust: TrustConfig = { ...trustConfig, clockToleranceSeconds: TOLERANCE };
      const profile = spec.profile ?? 'grant';
      const standard = standardParameters(ctx, profile);
      const parameters = spec.parameters === undefined ? standard : spec.parameters(ctx, standard);
      const dpop = spec.dpop === undefined ? undefined : await spec.dpop(ctx);
      const policy = spec.policy === undefined ? standardPolicy(trust) : spec.policy(standardPolicy(trust));
      const replayStore = spec.replayStore?.(ctx);
      // Keys used after finish (DPoP proofs, other trust) are listed too.
      const keys: Record<string, NonNullable<AsVector['testKeys']['keys'][string]>> = {};
      for (const name of [...b.keys.keys()].sort()) keys[name] = (b.keys.get(name) as { privateJwk: AsVector['testKeys']['keys'][string] }).privateJwk;
      return {
        formatVersion: 1,
        id: spec.id,
        description: spec.description,
        spec: spec.spec,
        deterministic: b.deterministic,
        request: {
          parameters,
          client: spec.client === undefined ? ctx.requester : spec.client(ctx),
          ...(dpop === undefined ? {} : { dpop }),
          now: ctx.now,
        },
        as: policy,
        ...(replayStore === undefined ? {} : { replayStore }),
        chain: { compact: ctx.compact, ...(described.links === undefined ? {} : { links: described.links }) },
        expected: spec.expected(ctx),
        testKeys: { warning: 'TEST KEYS — NEVER USE', keys },
      };
    },
  };
}

// ---- Expected outcomes ----

interface IssuedOptions {
  rs?: typeof RS1 | typeof RS2;
  /** The granted scope before narrowing: default the last link's. */
  granted?: string;
  cnf?: Confirmation;
  consumed?: ReplayKey[];
  profile?: Profile;
  /** The disclosure policy in force for the server chosen (§8.4.2); default full. */
  disclosure?: Policy;
}

/** The token of §8.4 for this chain: everything computed from the minted inputs and the policy. */
function issued(ctx: Ctx, options: IssuedOptions = {}): AsExpected {
  const rs = options.rs ?? RS1;
  const first = ctx.inputs[0] as LinkInput;
  const last = ctx.inputs[ctx.inputs.length - 1] as LinkInput;
  const known = new Set(rs.scope.split(' '));
  const granted = options.granted ?? (typeof last.scope === 'string' ? last.scope : last.scope.join(' '));
  const scope = [...new Set(granted.split(' '))].filter((token) => known.has(token)).join(' ');
  const policy = options.disclosure ?? { profile: 'full' };
  const { act, omitted } = disclosedAct(ctx.inputs.map((input) => input.delegate.sub), policy);
  const cnf = options.cnf ?? first.tmb;
  return {
    ok: true,
    token: {
      iss: AUDIENCE,
      aud: rs.identifier,
      sub: first.sub,
      client_id: (ctx.inputs[ctx.inputs.length - 1] as LinkInput).delegate.sub,
      cnf,
      act,
      scope,
      iat: ctx.now,
      exp: Math.min(ctx.now + rs.accessTokenTTL, ctx.notAfter),
      jti: 'any',
      [RECORD]: disclosedRecord(ctx, { kind: 'issuer', iss: first.iss }, policy, omitted),
    },
    tokenType: 'x5t#S256' in cnf ? 'Bearer' : 'DPoP',
    ...(options.profile === 'token_exchange' ? { issuedTokenType: ACCESS_TOKEN_TYPE } : {}),
    consumed: options.consumed ?? [ctx.linkEntries[ctx.linkEntries.length - 1] as ReplayKey, ctx.chainEntry],
  };
}

function refused(status: 400 | 401 | 500, error: string, code: string, step: number, consumed: ReplayKey[] = []): () => AsExpected {
  return () => ({ ok: false, status, error: error as never, code: code as never, step: String(step), consumed });
}

const invalidClient = refused(401, 'invalid_client', 'requester_unauthenticated', 1);
const invalidRequest = (step: number, code = 'request_invalid'): (() => AsExpected) => refused(400, 'invalid_request', code, step);
const invalidGrant = (code: string): (() => AsExpected) => refused(400, 'invalid_grant', code, 7);

/** Replace the value of `name` (first occurrence), append when absent. */
function withParam(parameters: [string, string][], name: string, value: string): [string, string][] {
  const out = parameters.map((pair): [string, string] => (pair[0] === name ? [name, value] : pair));
  return out.some(([n]) => n === name) ? out : [...out, [name, value]];
}

function without(parameters: [string, string][], name: string): [string, string][] {
  return parameters.filter(([n]) => n !== name);
}

/** A DPoP proof (RFC 9449) of the requester's key for the token endpoint, made with node:crypto. */
async function dpopProof(ctx: Ctx, keyName: string, corrupt = false): Promise<string> {
  const key = await ctx.b.key(keyName);
  const header = Buffer.from(JSON.stringify({ typ: 'dpop+jwt', alg: 'EdDSA', jwk: key.publicJwk })).toString('base64url');
  const payload = Buffer.from(JSON.stringify({ jti: `${ctx.b.id}-dpop`, htm: 'POST', htu: `${AUDIENCE}/token`, iat: ctx.now })).toString('base64url');
  const signature = Buffer.from(rawSignature(`${header}.${payload}`, key.privateJwk, 'EdDSA'));
  if (corrupt) signature[0] = (signature[0] as number) ^ 0xff;
  return `${header}.${payload}.${signature.toString('base64url')}`;
}

const S = {
  order: 'SPEC-NOTES.md §8.3 (order of the steps)',
  s1: 'SPEC-NOTES.md §8.3 step 1, §8.6',
  s2: 'SPEC-NOTES.md §8.3 step 2, §8.6',
  s3: 'SPEC-NOTES.md §8.3 step 3',
  s4: 'SPEC-NOTES.md §8.3 step 4',
  s5: 'SPEC-NOTES.md §8.2, §8.3 step 5',
  s6: 'SPEC-NOTES.md §8.3 step 6',
  s7: 'SPEC-NOTES.md §8.3 step 7 (§6.2), §8.6',
  s8: 'SPEC-NOTES.md §8.3 step 8',
  s9: 'SPEC-NOTES.md §8.3 step 9',
  disclose: 'SPEC-NOTES.md §8.4.1, §8.4.2',
  fault: 'SPEC-NOTES.md §8.3 step 9 (d), §8.4.2',
  s10: 'SPEC-NOTES.md §8.3 step 10',
  s11: 'SPEC-NOTES.md §8.3 step 11, §8.5',
  issue: 'SPEC-NOTES.md §8.3 step 12, §8.4, §8.5',
};

// ---- The catalogue ----

function cases(): Case[] {
  const out: Case[] = [];
  const add = (c: Case): void => void out.push(c);

  // Issued tokens, one per profile and per policy corner.
  add({ id: 'as-grant', description: 'The extension grant with a 3-link chain and no resource: the default resource server (RS1); the last link\'s scope narrowed to the tokens RS1 knows (phone dropped); exp = iat + RS1\'s 600 s; the last link\'s (iss, jti) and the chain consumed.', spec: S.issue, expected: (c) => issued(c) });
  add({ id: 'as-client-credentials', description: 'The same request as client_credentials (§8.2.2).', spec: S.issue, profile: 'client_credentials', expected: (c) => issued(c) });
  add({ id: 'as-token-exchange', description: 'Token exchange (§8.2.3): the chain as subject_token; the response carries issued_token_type.', spec: S.issue, profile: 'token_exchange', expected: (c) => issued(c, { profile: 'token_exchange' }) });
  add({ id: 'as-token-exchange-requested-type', description: 'Token exchange with requested_token_type = the access-token type (the one value allowed).', spec: S.issue, profile: 'token_exchange', parameters: (_c, p) => [...p, ['requested_token_type', ACCESS_TOKEN_TYPE]], expected: (c) => issued(c, { profile: 'token_exchange' }) });
  add({ id: 'as-token-exchange-audience', description: 'Token exchange naming RS2 by its audience alone: aud = RS2\'s identifier, scope narrowed to read, exp capped at the chain (RS2 allows 7200 s, the chain ends 2800 s after now).', spec: S.s9, profile: 'token_exchange', parameters: (_c, p) => [...p, ['audience', RS2.audience]], expected: (c) => issued(c, { rs: RS2, profile: 'token_exchange' }) });
  add({ id: 'as-token-exchange-resource-and-audience', description: 'Token exchange with resource = RS2 and audience = RS2\'s alias and its identifier: every audience names the chosen server.', spec: S.s9, profile: 'token_exchange', parameters: (_c, p) => [...p, ['resource', RS2.identifier], ['audience', RS2.audience], ['audience', RS2.identifier]], expected: (c) => issued(c, { rs: RS2, profile: 'token_exchange' }) });
  add({ id: 'as-resource', description: 'resource = RS2: aud is RS2, scope read, exp at the chain\'s earliest exp.', spec: S.s9, parameters: (_c, p) => [...p, ['resource', RS2.identifier]], expected: (c) => issued(c, { rs: RS2 }) });
  add({ id: 'as-resource-repeated-same', description: 'The same resource value twice names one server: issued for it.', spec: S.s9, parameters: (_c, p) => [...p, ['resource', RS2.identifier], ['resource', RS2.identifier]], expected: (c) => issued(c, { rs: RS2 }) });
  add({ id: 'as-audience-ignored-plain-profile', description: 'audience is not a parameter of the plain profiles: an audience naming no resource server is ignored (the default server is chosen).', spec: S.s9, parameters: (_c, p) => [...p, ['audience', 'https://nowhere.example']], expected: (c) => issued(c) });
  add({ id: 'as-scope-requested-order', description: 'Requested scope "write read write": issued "write read" (the request\'s order, each token once).', spec: S.s10, parameters: (_c, p) => [...p, ['scope', 'write read write']], expected: (c) => issued(c, { granted: 'write read' }) });
  add({ id: 'as-scope-unknown-to-rs-dropped', description: 'Requested "phone read": phone is granted by the chain but unknown to RS1, so it is dropped, not refused.', spec: S.s10, parameters: (_c, p) => [...p, ['scope', 'phone read']], expected: (c) => issued(c, { granted: 'phone read' }) });
  add({ id: 'as-confirmation-jkt', description: 'An AS that reduces a jwk tmb to its thumbprint (§8.4): cnf = {"jkt": ...}.', spec: 'SPEC-NOTES.md §8.4', policy: (p) => ({ ...p, confirmation: 'jkt' }), expected: (c) => issued(c, { cnf: { jkt: jktOf(c) } }) });
  add({ id: 'as-tmb-jkt-form', description: 'A chain whose tmb is a jkt, requested as that jkt: cnf is the jkt.', spec: S.issue, chain: { input: async (_i, input) => ({ ...input, tmb: { jkt: await jktOfName(input, 'holder-ed25519') } }) }, expected: (c) => issued(c) });
  add({ id: 'as-tmb-whitespace', description: 'tmb with JSON white space (space, tab, line feed, carriage return) between tokens: read as JSON, compared by value.', spec: S.s6, parameters: (c, p) => withParam(p, 'tmb', ` {\t"jwk" :\r\n${JSON.stringify(jwkOf(c))} } `), expected: (c) => issued(c) });
  add({ id: 'as-tmb-member-order', description: 'tmb\'s jwk with its members in another order: the same key (compared by value).', spec: S.s6, parameters: (c, p) => withParam(p, 'tmb', JSON.stringify({ jwk: Object.fromEntries(Object.entries(jwkOf(c)).reverse()) })), expected: (c) => issued(c) });
  add({ id: 'as-tmb-unicode-escape', description: 'tmb spelling a member name with a JSON escape (\\u006a for j): the same text after JSON decoding.', spec: S.s6, parameters: (c, p) => withParam(p, 'tmb', JSON.stringify({ jwk: jwkOf(c) }).replace('"jwk"', '"\\u006awk"')), expected: (c) => issued(c) });
  add({ id: 'as-single-link', description: 'A 1-link chain: the root delegates straight to the requester; act names the requester alone.', spec: S.issue, chain: { length: 1 }, expected: (c) => issued(c) });
  add({ id: 'as-holder-root', description: 'A chain from a key-holder root (§5): the record names the holder root.', spec: S.issue, chain: { root: 'holder' }, expected: (c) => holderRecord(issued(c)) });
  add({ id: 'as-every-link', description: 'replayPolicy every-link (§8.5): the last link, then each earlier link down to the root, then the chain.', spec: 'SPEC-NOTES.md §8.5', policy: (p) => ({ ...p, replayPolicy: 'every-link' }), expected: (c) => issued(c, { consumed: [...[...c.linkEntries].reverse(), c.chainEntry] }) });
  add({ id: 'as-secret-client-opt-out', description: 'An AS that opts out of key-bound requesters: a client authenticated by a secret (no key) redeems on its identifier.', spec: S.s7, policy: (p) => ({ ...p, requireRequesterKey: false }), client: (c) => ({ id: c.requester.id }), expected: (c) => issued(c) });
  add({ id: 'as-dpop-proof-ignored', description: 'A valid DPoP proof of the requester\'s key on the token request: not the binding; cnf stays the chain\'s tmb.', spec: 'SPEC-NOTES.md §8.3 (DPoP), §8.4', dpop: (c) => dpopProof(c, 'd3-ed25519'), expected: (c) => issued(c) });
  add({ id: 'as-dpop-proof-invalid-ignored', description: 'A DPoP proof whose signature does not verify: the processing takes no DPoP proof, so it is not checked; issued.', spec: 'SPEC-NOTES.md §8.3 (DPoP)', dpop: (c) => dpopProof(c, 'd3-ed25519', true), expected: (c) => issued(c) });
  add({ id: 'as-unknown-parameters-ignored', description: 'Parameters no profile defines, one of them repeated and one longer than 65 536 bytes: ignored (not counted, not checked).', spec: S.s3, parameters: (_c, p) => [...p, ['x_extra', '1'], ['x_extra', '2'], ['x_long', 'a'.repeat(65_537)]], expected: (c) => issued(c) });
  add({ id: 'as-empty-values-omitted', description: 'Parameters sent with empty values (scope=, resource=, a second tmb_proof=) count as omitted.', spec: S.s3, parameters: (_c, p) => [...p, ['scope', ''], ['resource', ''], ['tmb_proof', '']], expected: (c) => issued(c) });
  add({ id: 'as-client-id-matching', description: 'A client_id parameter naming the authenticated client.', spec: S.s1, parameters: (c, p) => [...p, ['client_id', c.requester.id]], expected: (c) => issued(c) });
  add({ id: 'as-resource-value-at-limit', description: 'A resource value of exactly 65 536 UTF-8 bytes (21 845 three-byte characters and one ASCII byte): within the limit; refused at step 9 as no server\'s identifier.', spec: S.s3, parameters: (_c, p) => [...p, ['resource', `${'€'.repeat(21_845)}x`]], expected: refused(400, 'invalid_target', 'target_invalid', 9) });
  add({ id: 'as-jti-escaping', description: 'The last link\'s jti holds a quote, a backslash, a line feed, a control character, é, U+2028 and an emoji: the replay key hashes the JCS (RFC 8785) form of ["iss","jti"].', spec: 'SPEC-NOTES.md §8.5', chain: { input: (i, input) => (i === 2 ? { ...input, jti: 'as-jti-"q"\\b\n\u0001-é-\u2028-😀' } : input) }, expected: (c) => issued(c) });
  add({ id: 'as-tmb-certificate', description: 'A chain bound to a certificate (tmb x5t#S256): cnf is that hash and the token is an RFC 8705 certificate-bound token (token_type Bearer).', spec: 'SPEC-NOTES.md §8.4', chain: { input: (_i, input) => ({ ...input, tmb: { 'x5t#S256': CERT_HASH } }) }, expected: (c) => issued(c) });
  add({ id: 'as-requester-mtls', description: 'The last link names its delegate by certificate hash (may_act.cnf x5t#S256) and the client authenticated by mTLS with that certificate.', spec: S.s7, chain: { input: (i, input) => (i === 2 ? { ...input, delegate: { sub: input.delegate.sub, cnf: { 'x5t#S256': CERT_HASH } } } : input) }, expected: (c) => issued(c) });
  add({ id: 'as-root-jti-consumed-elsewhere', description: 'The root link\'s (iss, jti) is already in the store (a sibling branch under every-link elsewhere): under last-link the root is not consumed, so this chain redeems.', spec: 'SPEC-NOTES.md §8.5', replayStore: (c) => [c.linkEntries[0] as ReplayKey], expected: (c) => issued(c) });

  // CBOR chains (§4.3): the same processing; what differs is written in §8.4.1 (format, link_sha256
  // over the COSE_Sign1 bytes) and §8.5 (the chain entry hashes each link's Sig_structure).
  const cwt = 'SPEC-NOTES.md §4.3, §8.4.1, §8.5';
  add({ id: 'as-cwt-grant', description: 'The extension grant with a 3-link CBOR chain (COSE_Sign1 links, tmb_proof its compact form): issued as for JWT; the record says format "cwt"; the chain entry hashes each link\'s COSE Sig_structure.', spec: cwt, format: 'cwt', expected: (c) => issued(c) });
  add({ id: 'as-cwt-client-credentials', description: 'A CBOR chain in a client_credentials request.', spec: cwt, format: 'cwt', profile: 'client_credentials', expected: (c) => issued(c) });
  add({ id: 'as-cwt-token-exchange', description: 'A CBOR chain as the subject_token of a token exchange.', spec: cwt, format: 'cwt', profile: 'token_exchange', expected: (c) => issued(c, { profile: 'token_exchange' }) });
  add({ id: 'as-cwt-every-link', description: 'replayPolicy every-link with a CBOR chain: each link\'s (iss, jti) from its CWT claims (text strings), last first, then the chain entry.', spec: cwt, format: 'cwt', policy: (p) => ({ ...p, replayPolicy: 'every-link' }), expected: (c) => issued(c, { consumed: [...[...c.linkEntries].reverse(), c.chainEntry] }) });
  add({ id: 'as-cwt-link-hashes', description: 'full disclosure with link_hashes and a CBOR chain: link_sha256 over each link\'s COSE_Sign1 bytes, root first.', spec: cwt, format: 'cwt', policy: (p) => ({ ...p, disclosure: { profile: 'full', link_hashes: true } }), expected: (c) => issued(c, { disclosure: { profile: 'full', link_hashes: true } }) });
  add({ id: 'as-cwt-replay-chain-entry', description: 'A CBOR chain whose chain entry (over its Sig_structures) is in the store: the last link\'s entry is consumed, then replayed.', spec: cwt, format: 'cwt', replayStore: (c) => [c.chainEntry], expected: (c) => refused(400, 'invalid_grant', 'replayed', 11, [c.linkEntries[2] as ReplayKey])() });

  // Step 1: the client.
  add({ id: 'as-no-client', description: 'No client authentication: 401 invalid_client.', spec: S.s1, client: () => null, expected: invalidClient });
  // Desk read of §8 (spec9): readings an independent AS could choose otherwise, each pinned.
  add({ id: 'as-client-id-empty-omitted', description: 'An empty client_id (client_id=): omitted before step 1 looks at it, as step 3 omits every empty value, so it names no other client.', spec: S.s1, parameters: (_c, p) => [...p, ['client_id', '']], expected: (c) => issued(c) });
  add({ id: 'as-client-id-case', description: 'A client_id that is the authenticated client\'s identifier with its scheme in capitals (HTTPS://…): identifiers are compared exactly, so it names another client (401).', spec: S.s1, parameters: (c, p) => [...p, ['client_id', c.requester.id.replace(/^https:/, 'HTTPS:')]], expected: invalidClient });
  add({ id: 'as-client-id-repeated-same', description: 'client_id twice, both the authenticated client: step 1 passes, step 3 refuses the repetition (RFC 6749 §3.2).', spec: S.s3, parameters: (c, p) => [...p, ['client_id', c.requester.id], ['client_id', c.requester.id]], expected: invalidRequest(3) });
  add({ id: 'as-grant-type-compared-exactly', description: 'grant_type is the extension grant\'s URN with "urn" in capitals (URN:transitive-proof:…), equivalent under RFC 8141 but not the same string: grant types are compared exactly.', spec: S.s2, parameters: (_c, p) => withParam(p, 'grant_type', DEFERRED.replace(/^urn:/, 'URN:')), expected: refused(400, 'unsupported_grant_type', 'grant_type_unsupported', 2) });
  add({ id: 'as-parameter-names-case-sensitive', description: 'Beside the standard parameters, TMB (a bad value), Scope (not a scope string) and GRANT_TYPE (password): names are compared exactly, so these are parameters no profile defines, ignored; the token is issued.', spec: S.s3, parameters: (_c, p) => [...p, ['TMB', '{'], ['Scope', ' bad'], ['GRANT_TYPE', 'password']], expected: (c) => issued(c) });
  add({ id: 'as-requester-both-keys', description: 'The last delegate authenticated with its key (jkt) and is also given a certificate hash (x5t#S256): the requester must match the delegate by every key it is given, and a confirmation has one member, so requester_mismatch.', spec: S.s7, client: (c) => ({ ...c.requester, 'x5t#S256': CERT_HASH }), expected: invalidGrant('requester_mismatch') });
  add({ id: 'as-client-id-other', description: 'A client_id naming another client than the authenticated one: 401 invalid_client.', spec: S.s1, parameters: (_c, p) => [...p, ['client_id', delegateId(2)]], expected: invalidClient });
  add({ id: 'as-order-client-before-parameters', description: 'No client, a duplicated tmb and an unknown grant type: step 1 answers (401 invalid_client).', spec: S.order, client: () => null, parameters: (c, p) => [...withParam(p, 'grant_type', 'authorization_code'), ['tmb', c.tmbText]], expected: invalidClient });
  add({ id: 'as-order-client-id-before-duplicates', description: 'client_id twice, the second naming another client: step 1 (401) before step 3\'s duplicate.', spec: S.order, parameters: (c, p) => [...p, ['client_id', c.requester.id], ['client_id', delegateId(2)]], expected: invalidClient });
  add({ id: 'as-dpop-does-not-authenticate', description: 'No client authentication but a DPoP proof of the last delegate\'s key: a DPoP proof authenticates no client (401).', spec: 'SPEC-NOTES.md §8.3 step 1 (DPoP)', client: () => null, dpop: (c) => dpopProof(c, 'd3-ed25519'), expected: invalidClient });

  // Step 2: the grant type.
  add({ id: 'as-grant-type-missing', description: 'No grant_type: invalid_request.', spec: S.s2, parameters: (_c, p) => without(p, 'grant_type'), expected: invalidRequest(2) });
  add({ id: 'as-grant-type-repeated', description: 'grant_type twice (the same value): invalid_request at step 2.', spec: S.s2, parameters: (_c, p) => [...p, ['grant_type', DEFERRED]], expected: invalidRequest(2) });
  add({ id: 'as-grant-type-unknown', description: 'grant_type=authorization_code: unsupported_grant_type.', spec: S.s2, parameters: (_c, p) => withParam(p, 'grant_type', 'authorization_code'), expected: refused(400, 'unsupported_grant_type', 'grant_type_unsupported', 2) });
  add({ id: 'as-client-credentials-not-accepted', description: 'An AS that accepts only the extension grant and token exchange: client_credentials is unsupported_grant_type.', spec: S.s2, profile: 'client_credentials', policy: (p) => ({ ...p, profiles: ['grant', 'token_exchange'] }), expected: refused(400, 'unsupported_grant_type', 'grant_type_unsupported', 2) });
  add({ id: 'as-order-grant-type-repeated-before-unsupported', description: 'grant_type twice, first password then the extension grant: step 2 refuses the repetition (request_invalid) before it looks at any value, so neither unsupported_grant_type (the first value) nor a token (the last).', spec: S.order, parameters: (_c, p) => [['grant_type', 'password'], ...p], expected: invalidRequest(2) });
  add({ id: 'as-order-actor-token-before-json-form', description: 'Token exchange with an actor_token and the subject_token in the JSON form: step 5\'s parameter checks come before the form (request_invalid, not chain_malformed).', spec: S.order, profile: 'token_exchange', parameters: (c, p) => [...withParam(p, 'subject_token', JSON.stringify(c.compact.split('~'))), ['actor_token', 'x']], expected: invalidRequest(5) });
  add({ id: 'as-order-grant-type-before-duplicates', description: 'An unknown grant type and a duplicated tmb: step 2 answers.', spec: S.order, parameters: (c, p) => [...withParam(p, 'grant_type', 'password'), ['tmb', c.tmbText]], expected: refused(400, 'unsupported_grant_type', 'grant_type_unsupported', 2) });

  // Step 3: parameters.
  add({ id: 'as-duplicate-tmb-proof', description: 'tmb_proof twice (the same chain): invalid_request.', spec: S.s3, parameters: (c, p) => [...p, ['tmb_proof', c.compact]], expected: invalidRequest(3) });
  add({ id: 'as-duplicate-scope', description: 'scope twice: invalid_request (step 3 before step 4 reads it).', spec: S.s3, parameters: (_c, p) => [...p, ['scope', 'read'], ['scope', 'read']], expected: invalidRequest(3) });
  add({ id: 'as-resource-repeated-nine', description: 'resource nine times (more than 8 values): invalid_request.', spec: S.s3, parameters: (_c, p) => [...p, ...Array.from({ length: 9 }, (): [string, string] => ['resource', RS1.identifier])], expected: invalidRequest(3) });
  add({ id: 'as-value-too-long-utf8', description: 'A resource value of 65 538 UTF-8 bytes but 21 846 characters (three-byte €): the limit counts bytes, invalid_request.', spec: S.s3, parameters: (_c, p) => [...p, ['resource', '€'.repeat(21_846)]], expected: invalidRequest(3) });
  add({ id: 'as-token-exchange-subject-token-repeated', description: 'Token exchange with subject_token twice: invalid_request at step 3.', spec: S.s3, profile: 'token_exchange', parameters: (c, p) => [...p, ['subject_token', c.compact]], expected: invalidRequest(3) });
  add({ id: 'as-order-duplicate-before-scope', description: 'scope twice, one value not a scope string, and tmb missing: step 3 answers.', spec: S.order, parameters: (_c, p) => [...without(p, 'tmb'), ['scope', 'read'], ['scope', 'a  b']], expected: invalidRequest(3) });

  // Step 4: scope syntax.
  add({ id: 'as-scope-syntax', description: 'scope "read  write" (two spaces): not an RFC 6749 §3.3 scope string, invalid_scope.', spec: S.s4, parameters: (_c, p) => [...p, ['scope', 'read  write']], expected: refused(400, 'invalid_scope', 'scope_invalid', 4) });
  add({ id: 'as-scope-syntax-quote', description: 'scope with a double quote: invalid_scope.', spec: S.s4, parameters: (_c, p) => [...p, ['scope', 'read "write"']], expected: refused(400, 'invalid_scope', 'scope_invalid', 4) });
  add({ id: 'as-order-scope-before-chain', description: 'A bad scope and no tmb_proof: step 4 answers (invalid_scope).', spec: S.order, parameters: (_c, p) => [...without(p, 'tmb_proof'), ['scope', ' read']], expected: refused(400, 'invalid_scope', 'scope_invalid', 4) });

  // Step 5: where the chain is.
  add({ id: 'as-tmb-proof-missing', description: 'The extension grant without tmb_proof: invalid_request.', spec: S.s5, parameters: (_c, p) => without(p, 'tmb_proof'), expected: invalidRequest(5) });
  add({ id: 'as-chain-json-form-after-space', description: 'tmb_proof holding the JSON form of the chain after one space: only a value whose first character is [ is the JSON form (step 5); this one is compact text (§4.5), a JWT chain of one link (no ~) that is no JWS, refused by verification (step 7, link_malformed, invalid_grant).', spec: 'SPEC-NOTES.md §8.3 steps 5 and 7, §4.5', parameters: (c, p) => withParam(p, 'tmb_proof', ` ${JSON.stringify(c.compact.split('~'))}`), expected: invalidGrant('link_malformed') });
  add({ id: 'as-chain-json-form', description: 'tmb_proof holding the JSON form of the chain: a request carries the compact form only (chain_malformed, invalid_request).', spec: S.s5, parameters: (c, p) => withParam(p, 'tmb_proof', JSON.stringify(c.compact.split('~'))), expected: invalidRequest(5, 'chain_malformed') });
  add({ id: 'as-subject-token-missing', description: 'Token exchange without subject_token: invalid_request.', spec: S.s5, profile: 'token_exchange', parameters: (_c, p) => without(p, 'subject_token'), expected: invalidRequest(5) });
  add({ id: 'as-subject-token-type-wrong', description: 'Token exchange with subject_token_type = the access-token type: invalid_request.', spec: S.s5, profile: 'token_exchange', parameters: (_c, p) => withParam(p, 'subject_token_type', ACCESS_TOKEN_TYPE), expected: invalidRequest(5) });
  add({ id: 'as-actor-token-present', description: 'Token exchange with an actor_token: the chain names the actors, invalid_request.', spec: S.s5, profile: 'token_exchange', parameters: (_c, p) => [...p, ['actor_token', 'x'], ['actor_token_type', ACCESS_TOKEN_TYPE]], expected: invalidRequest(5) });
  add({ id: 'as-tmb-proof-with-subject-token', description: 'Token exchange with tmb_proof beside subject_token: one chain, one place; invalid_request.', spec: S.s5, profile: 'token_exchange', parameters: (c, p) => [...p, ['tmb_proof', c.compact]], expected: invalidRequest(5) });
  add({ id: 'as-requested-token-type-other', description: 'Token exchange asking for a refresh token: invalid_request.', spec: S.s5, profile: 'token_exchange', parameters: (_c, p) => [...p, ['requested_token_type', 'urn:ietf:params:oauth:token-type:refresh_token']], expected: invalidRequest(5) });
  add({ id: 'as-plain-profile-subject-token-ignored', description: 'The extension grant with subject_token (a token-exchange parameter) and no tmb_proof: subject_token is not read, so tmb_proof is missing.', spec: S.s5, parameters: (c, p) => [...without(p, 'tmb_proof'), ['subject_token', c.compact], ['subject_token_type', CHAIN_TOKEN_TYPE]], expected: invalidRequest(5) });
  add({ id: 'as-order-chain-before-tmb', description: 'Neither tmb_proof nor tmb: step 5 answers (both are invalid_request; the step tells them apart).', spec: S.order, parameters: (_c, p) => without(without(p, 'tmb_proof'), 'tmb'), expected: invalidRequest(5) });

  // Step 6: tmb.
  add({ id: 'as-tmb-missing', description: 'No tmb: invalid_request.', spec: S.s6, parameters: (_c, p) => without(p, 'tmb'), expected: invalidRequest(6) });
  add({ id: 'as-tmb-duplicate-member', description: 'tmb {"jkt": a, "jkt": b}: duplicate member names are refused, invalid_request.', spec: S.s6, parameters: (c, p) => withParam(p, 'tmb', `{"jkt":"${jktOf(c)}","jkt":"${jktOf(c)}"}`), expected: invalidRequest(6) });
  add({ id: 'as-tmb-private-member', description: 'tmb\'s jwk carries its private member d: invalid_request.', spec: S.s6, parameters: (c, p) => withParam(p, 'tmb', JSON.stringify({ jwk: { ...jwkOf(c), d: 'AAAA' } })), expected: invalidRequest(6) });
  add({ id: 'as-tmb-two-members', description: 'tmb with both jwk and jkt: one confirmation has one member, invalid_request.', spec: S.s6, parameters: (c, p) => withParam(p, 'tmb', JSON.stringify({ jwk: jwkOf(c), jkt: jktOf(c) })), expected: invalidRequest(6) });
  add({ id: 'as-tmb-bom', description: 'tmb preceded by a byte-order mark (U+FEFF is not JSON white space): invalid_request.', spec: S.s6, parameters: (c, p) => withParam(p, 'tmb', `\ufeff${c.tmbText}`), expected: invalidRequest(6) });
  add({ id: 'as-tmb-no-break-space', description: 'tmb with a no-break space (U+00A0) between tokens: invalid_request.', spec: S.s6, parameters: (c, p) => withParam(p, 'tmb', c.tmbText.replace(':', ':\u00a0')), expected: invalidRequest(6) });
  add({ id: 'as-tmb-number', description: 'tmb {"jkt": 1}: not a confirmation, invalid_request.', spec: S.s6, parameters: (_c, p) => withParam(p, 'tmb', '{"jkt":1}'), expected: invalidRequest(6) });
  add({ id: 'as-tmb-too-deep', description: 'tmb nested five deep ({"jwk":{"x":{"a":{"b":{}}}}}): deeper than 4, invalid_request.', spec: S.s6, parameters: (_c, p) => withParam(p, 'tmb', '{"jwk":{"x":{"a":{"b":{}}}}}'), expected: invalidRequest(6) });
  add({ id: 'as-tmb-too-long', description: 'tmb of 4097 characters (white space padding a valid value): invalid_request.', spec: S.s6, parameters: (c, p) => withParam(p, 'tmb', c.tmbText + ' '.repeat(4097 - c.tmbText.length)), expected: invalidRequest(6) });
  add({ id: 'as-order-tmb-before-chain', description: 'A bad tmb and a chain that is not a chain: step 6 answers before verification.', spec: S.order, parameters: (_c, p) => withParam(withParam(p, 'tmb', '{'), 'tmb_proof', 'not-a-chain'), expected: invalidRequest(6) });

  // Step 7: verification (§6.2), invalid_grant in the plain profiles, invalid_request under token exchange.
  add({ id: 'as-tmb-other-key', description: 'tmb naming another key than the chain\'s: tmb_mismatch.', spec: S.s7, parameters: (_c, p) => withParam(p, 'tmb', JSON.stringify({ jwk: MALLORY_JWK.value })), expected: invalidGrant('tmb_mismatch') });
  add({ id: 'as-tmb-other-form', description: 'tmb as the jkt of the chain\'s jwk: the same key in another form is tmb_mismatch (§6.2 step 15).', spec: S.s7, parameters: (c, p) => withParam(p, 'tmb', JSON.stringify({ jkt: jktOf(c) })), expected: invalidGrant('tmb_mismatch') });
  add({ id: 'as-requester-not-last-delegate', description: 'The authenticated client is an earlier delegate (d2, with its own key): requester_mismatch.', spec: S.s7, client: () => ({ id: delegateId(2), jkt: D2_JKT.value }), expected: invalidGrant('requester_mismatch') });
  add({ id: 'as-requester-other-key', description: 'The last delegate\'s identifier authenticated with another key: requester_mismatch.', spec: S.s7, client: (c) => ({ id: c.requester.id, jkt: D2_JKT.value }), expected: invalidGrant('requester_mismatch') });
  // §8.6: the message echoes the requester's identifier (quoted, so each " and \\ doubles), running past the bound.
  add({ id: 'as-error-description-bounded', description: 'A requester whose identifier, echoed in the message, holds an astral character, a quote, U+00E9, U+202E and 150 backslashes: error_description is cut to at most 300 characters, every one of the RFC 6749 §5.2 set.', spec: 'SPEC-NOTES.md §8.6', client: (c) => ({ ...c.requester, id: `\u{1F600}"\u00E9\u202E${'\\'.repeat(150)}` }), expected: invalidGrant('requester_mismatch') });
  add({ id: 'as-requester-secret-only', description: 'The last delegate authenticated by a secret (no key) at an AS with the default key requirement: requester_mismatch.', spec: S.s7, client: (c) => ({ id: c.requester.id }), expected: invalidGrant('requester_mismatch') });
  add({ id: 'as-scope-beyond-chain', description: 'scope asking for offline_access, which the last link does not grant: scope_exceeded (invalid_scope).', spec: S.s7, parameters: (_c, p) => [...p, ['scope', 'read offline_access']], expected: refused(400, 'invalid_scope', 'scope_exceeded', 7) });
  add({ id: 'as-chain-for-other-as', description: 'A chain whose links name another AS as aud: audience_mismatch.', spec: S.s7, chain: { input: (_i, input) => ({ ...input, aud: OTHER_AUDIENCE }) }, expected: invalidGrant('audience_mismatch') });
  add({ id: 'as-chain-expired', description: 'A chain whose links all ended more than the tolerance ago: expired.', spec: S.s7, chain: { input: (i, input) => ({ ...input, iat: NOW - 3600 + i, exp: NOW - 120 - i }) }, expected: invalidGrant('expired') });
  add({ id: 'as-untrusted-root', description: 'An AS that trusts another key for the root\'s issuer: untrusted_root.', spec: S.s7, trust: async (b) => ({ roots: [{ type: 'issuer', iss: 'https://issuer.example', jwks: { keys: [(await b.key('mallory-ed25519')).publicJwk] } }] }), expected: invalidGrant('untrusted_root') });
  add({ id: 'as-chain-garbage', description: 'tmb_proof that is not a chain: link_malformed.', spec: S.s7, parameters: (_c, p) => withParam(p, 'tmb_proof', 'eyJ.eyJ.AA'), expected: invalidGrant('link_malformed') });
  add({ id: 'as-token-exchange-requester-mismatch', description: 'Token exchange by a client that is not the last delegate: RFC 8693 §2.2.2 makes it invalid_request (code requester_mismatch).', spec: 'SPEC-NOTES.md §8.3 step 7, §8.6 (token exchange)', profile: 'token_exchange', client: () => ({ id: delegateId(2), jkt: D2_JKT.value }), expected: refused(400, 'invalid_request', 'requester_mismatch', 7) });
  add({ id: 'as-order-verification-before-target', description: 'A requester that is not the last delegate and an unknown resource: step 7 answers.', spec: S.order, client: () => ({ id: delegateId(2), jkt: D2_JKT.value }), parameters: (_c, p) => [...p, ['resource', 'https://unknown.example']], expected: invalidGrant('requester_mismatch') });

  // Step 8: no lifetime left.
  add({ id: 'as-chain-within-tolerance-past-exp', description: 'The chain ended 10 s ago: verification accepts it within the 60 s tolerance, but a token capped at its exp would be born expired: expired at step 8.', spec: S.s8, chain: { input: (i, input) => ({ ...input, iat: NOW - 600 + i, exp: NOW - 10 - i }) }, expected: refused(400, 'invalid_grant', 'expired', 8) });
  add({ id: 'as-chain-ends-now', description: 'The chain\'s earliest exp is now: no lifetime left, expired at step 8.', spec: S.s8, chain: { input: (i, input) => ({ ...input, exp: NOW + 200 - 100 * i }) }, expected: refused(400, 'invalid_grant', 'expired', 8) });

  // Step 9: the resource server.
  add({ id: 'as-resource-unknown', description: 'resource naming no resource server of this AS: invalid_target; nothing consumed.', spec: S.s9, parameters: (_c, p) => [...p, ['resource', 'https://unknown.example']], expected: refused(400, 'invalid_target', 'target_invalid', 9) });
  add({ id: 'as-resource-two-servers', description: 'resource naming RS1 and RS2: a token is for one resource server, invalid_target.', spec: S.s9, parameters: (_c, p) => [...p, ['resource', RS1.identifier], ['resource', RS2.identifier]], expected: refused(400, 'invalid_target', 'target_invalid', 9) });
  add({ id: 'as-audience-other-server', description: 'Token exchange with resource = RS1 and audience = RS2\'s alias: invalid_target.', spec: S.s9, profile: 'token_exchange', parameters: (_c, p) => [...p, ['resource', RS1.identifier], ['audience', RS2.audience]], expected: refused(400, 'invalid_target', 'target_invalid', 9) });
  add({ id: 'as-audience-unknown', description: 'Token exchange with an audience naming no resource server: invalid_target.', spec: S.s9, profile: 'token_exchange', parameters: (_c, p) => [...p, ['audience', 'https://unknown.example']], expected: refused(400, 'invalid_target', 'target_invalid', 9) });
  add({ id: 'as-audience-two-servers', description: 'Token exchange with audience values naming RS2 and RS1: invalid_target.', spec: S.s9, profile: 'token_exchange', parameters: (_c, p) => [...p, ['audience', RS2.audience], ['audience', RS1.identifier]], expected: refused(400, 'invalid_target', 'target_invalid', 9) });
  add({ id: 'as-no-default-resource', description: 'No resource, no audience, and an AS without a default resource server: invalid_target.', spec: S.s9, policy: (p) => { const { defaultResource: _d, ...rest } = p; return rest; }, expected: refused(400, 'invalid_target', 'target_invalid', 9) });
  add({ id: 'as-order-target-before-scope', description: 'An unknown resource and a scope no server knows: step 9 answers.', spec: S.order, parameters: (_c, p) => [...p, ['resource', 'https://unknown.example'], ['scope', 'phone']], expected: refused(400, 'invalid_target', 'target_invalid', 9) });

  // Step 10: scope narrowing.
  add({ id: 'as-scope-none-known', description: 'resource = RS2 (which knows only read) and scope "write": nothing left, scope_exceeded (invalid_scope); nothing consumed.', spec: S.s10, parameters: (_c, p) => [...p, ['resource', RS2.identifier], ['scope', 'write']], expected: refused(400, 'invalid_scope', 'scope_exceeded', 10) });

  // Step 11: replay.
  add({ id: 'as-replay-chain', description: 'The chain was redeemed before (both its entries are in the store): replayed, nothing more consumed.', spec: S.s11, replayStore: (c) => [c.linkEntries[2] as ReplayKey, c.chainEntry], expected: refused(400, 'invalid_grant', 'replayed', 11) });
  add({ id: 'as-replay-last-link', description: 'Another chain with the same last link (iss, jti) was redeemed: replayed.', spec: S.s11, replayStore: (c) => [c.linkEntries[2] as ReplayKey], expected: refused(400, 'invalid_grant', 'replayed', 11) });
  add({ id: 'as-replay-chain-entry-only', description: 'Only the chain entry is in the store: the last link\'s entry is consumed first and stays consumed (fail closed), then replayed.', spec: S.s11, replayStore: (c) => [c.chainEntry], expected: (c) => refused(400, 'invalid_grant', 'replayed', 11, [c.linkEntries[2] as ReplayKey])() });
  add({ id: 'as-replay-every-link-root-used', description: 'every-link, and the root link was consumed by a sibling branch: the last link and link 1 are consumed, then the root is found used: replayed.', spec: S.s11, policy: (p) => ({ ...p, replayPolicy: 'every-link' }), replayStore: (c) => [c.linkEntries[0] as ReplayKey], expected: (c) => refused(400, 'invalid_grant', 'replayed', 11, [c.linkEntries[2] as ReplayKey, c.linkEntries[1] as ReplayKey])() });
  add({ id: 'as-replay-token-exchange', description: 'Token exchange of a redeemed chain: invalid_request (RFC 8693 §2.2.2), code replayed.', spec: S.s11, profile: 'token_exchange', replayStore: (c) => [c.linkEntries[2] as ReplayKey, c.chainEntry], expected: refused(400, 'invalid_request', 'replayed', 11) });
  add({ id: 'as-order-target-before-replay', description: 'A redeemed chain with an unknown resource: step 9 answers, so a corrected retry of an unredeemed chain is not burnt.', spec: S.order, replayStore: (c) => [c.linkEntries[2] as ReplayKey, c.chainEntry], parameters: (_c, p) => [...p, ['resource', 'https://unknown.example']], expected: refused(400, 'invalid_target', 'target_invalid', 9) });
  add({ id: 'as-order-verification-before-replay', description: 'A redeemed chain presented by a client that is not its last delegate: step 7 answers (requester_mismatch), and nothing is consumed.', spec: S.order, replayStore: (c) => [c.linkEntries[2] as ReplayKey, c.chainEntry], client: () => ({ id: delegateId(2), jkt: D2_JKT.value }), expected: invalidGrant('requester_mismatch') });

  // §8.4.2: disclosure. Five links (delegates d1 … d5, d5 the requester) unless said otherwise.
  const five: ChainOptions = { length: 5 };
  const subset = (keep: Selector[], more: Omit<Policy, 'profile' | 'keep'> = {}): Policy => ({ profile: 'subset', keep, ...more });
  const disclose = (id: string, description: string, policy: Policy): void => add({
    id, description, spec: S.disclose, chain: five, policy: (p) => ({ ...p, disclosure: policy }), expected: (c) => issued(c, { disclosure: policy }),
  });
  add({ id: 'as-disclosure-full-default', description: 'An AS configured with no disclosure policy: full (the default); act nests all five delegates, the record states links 5 and omitted 0.', spec: S.disclose, chain: five, policy: (p) => { const { disclosure: _d, ...rest } = p; return rest; }, expected: (c) => issued(c) });
  disclose('as-disclosure-full-link-hashes', 'full with link_hashes: the record also lists each link\'s SHA-256, root first (as many as links).', { profile: 'full', link_hashes: true });
  disclose('as-disclosure-subset-first', 'subset keeping "first": act names d1 (the root\'s delegate) inside d5 (the requester); no count (neither links nor omitted).', subset(['first']));
  disclose('as-disclosure-subset-last', 'subset keeping "last": "last" is the requester, named anyway, so act names d5 alone.', subset(['last']));
  disclose('as-disclosure-subset-index', 'subset keeping position 1: act names d2 inside d5.', subset([1]));
  disclose('as-disclosure-subset-negative-index', 'subset keeping position -2 (n - 2 = 3): act names d4 inside d5.', subset([-2]));
  disclose('as-disclosure-subset-index-out-of-range', 'subset keeping positions 7 and -9, outside 0..4: they pick nothing (not an error); act names d5 alone.', subset([7, -9]));
  disclose('as-disclosure-subset-sub-prefix', 'subset keeping sub_prefix "https://d3." and "HTTPS://d2" (case-sensitive, so it picks nothing): act names d3 inside d5.', subset([{ sub_prefix: 'https://d3.' }, { sub_prefix: 'HTTPS://d2' }]));
  disclose('as-disclosure-subset-keep-empty', 'subset with keep []: the requester alone, as actor-only names, but the record says subset.', subset([]));
  disclose('as-disclosure-subset-union', 'subset keeping "first", -2 and sub_prefix "https://d1" (d1 picked twice): the union, in chain order: d1, d4, then d5 outermost.', subset(['first', -2, { sub_prefix: 'https://d1' }]));
  disclose('as-disclosure-subset-count', 'subset keeping "first" with count: the record states links 5 and omitted 3.', subset(['first'], { count: true }));
  disclose('as-disclosure-subset-count-link-hashes', 'subset keeping 2 with count and link_hashes: links 5, omitted 3 and the five link hashes.', subset([2], { count: true, link_hashes: true }));
  disclose('as-disclosure-actor-only', 'actor-only: act is {"sub": d5}; the record has neither links nor omitted.', { profile: 'actor-only' });
  disclose('as-disclosure-actor-only-count', 'actor-only with count: act is {"sub": d5}; the record states links 5 and omitted 4.', { profile: 'actor-only', count: true });
  const rsPolicies = (p: AsVectorPolicy, rs1: Policy | undefined, rs2: Policy | undefined, as: Policy): AsVectorPolicy => ({
    ...p,
    disclosure: as,
    resourceServers: [{ ...RS1, ...(rs1 === undefined ? {} : { disclosure: rs1 }) }, { ...RS2, ...(rs2 === undefined ? {} : { disclosure: rs2 }) }],
  });
  add({ id: 'as-disclosure-rs-overrides-default', description: 'The AS\'s policy is actor-only, RS1 (the default server) has its own, subset keeping "first": RS1\'s applies.', spec: S.disclose, chain: five, policy: (p) => rsPolicies(p, subset(['first']), undefined, { profile: 'actor-only' }), expected: (c) => issued(c, { disclosure: subset(['first']) }) });
  add({ id: 'as-disclosure-as-default-applies', description: 'The AS\'s policy is actor-only, RS1 has its own (subset) and RS2 none: resource = RS2 gets the AS\'s actor-only.', spec: S.disclose, chain: five, parameters: (_c, p) => [...p, ['resource', RS2.identifier]], policy: (p) => rsPolicies(p, subset(['first']), undefined, { profile: 'actor-only' }), expected: (c) => issued(c, { rs: RS2, disclosure: { profile: 'actor-only' } }) });
  add({ id: 'as-disclosure-two-servers-rs2', description: 'RS1 actor-only, RS2 subset keeping 1 with count, the AS full: resource = RS2 chooses RS2\'s policy (d2 inside d5, links 5, omitted 3).', spec: S.disclose, chain: five, parameters: (_c, p) => [...p, ['resource', RS2.identifier]], policy: (p) => rsPolicies(p, { profile: 'actor-only' }, subset([1], { count: true }), { profile: 'full' }), expected: (c) => issued(c, { rs: RS2, disclosure: subset([1], { count: true }) }) });
  add({ id: 'as-disclosure-two-servers-rs1', description: 'The same AS, resource = RS1: RS1\'s actor-only.', spec: S.disclose, chain: five, parameters: (_c, p) => [...p, ['resource', RS1.identifier]], policy: (p) => rsPolicies(p, { profile: 'actor-only' }, subset([1], { count: true }), { profile: 'full' }), expected: (c) => issued(c, { disclosure: { profile: 'actor-only' } }) });
  add({ id: 'as-disclosure-token-exchange-audience', description: 'Token exchange naming RS2 by its audience: RS2\'s policy (subset keeping "first") applies, the AS\'s is full.', spec: S.disclose, chain: five, profile: 'token_exchange', parameters: (_c, p) => [...p, ['audience', RS2.audience]], policy: (p) => rsPolicies(p, undefined, subset(['first']), { profile: 'full' }), expected: (c) => issued(c, { rs: RS2, profile: 'token_exchange', disclosure: subset(['first']) }) });
  add({ id: 'as-disclosure-holder-root-actor-only', description: 'actor-only on a chain from a key-holder root: the record still names the root (link 0\'s iss, not a delegate).', spec: S.disclose, chain: { root: 'holder' }, policy: (p) => ({ ...p, disclosure: { profile: 'actor-only' } }), expected: (c) => holderRecord(issued(c, { disclosure: { profile: 'actor-only' } })) });

  // Policy faults: a configuration fault of the AS, 500 server_error (code invalid_argument) at step 9, nothing consumed.
  const fault = refused(500, 'server_error', 'invalid_argument', 9);
  const faulty = (value: unknown): Policy => value as Policy;
  const disclosureFault = (id: string, description: string, policy: unknown): void => add({
    id, description, spec: S.fault, policy: (p) => ({ ...p, disclosure: faulty(policy) as AsVectorPolicy['disclosure'] }), expected: fault,
  });
  disclosureFault('as-disclosure-fault-keep-with-full', 'The AS\'s policy is full with keep ["first"]: keep belongs to subset alone.', { profile: 'full', keep: ['first'] });
  disclosureFault('as-disclosure-fault-count-false-full', 'full with count false: under full act shows the length, it cannot be hidden.', { profile: 'full', count: false });
  disclosureFault('as-disclosure-fault-link-hashes-without-count', 'actor-only with link_hashes and no count: the hashes reveal the length.', { profile: 'actor-only', link_hashes: true });
  disclosureFault('as-disclosure-fault-link-hashes-count-false', 'subset with link_hashes and count false.', { profile: 'subset', keep: ['first'], count: false, link_hashes: true });
  disclosureFault('as-disclosure-fault-unknown-selector', 'subset keeping "middle", not a selector (first, last, an integer or {"sub_prefix": ...}).', { profile: 'subset', keep: ['middle'] });
  disclosureFault('as-disclosure-fault-subset-without-keep', 'subset without keep: keep is required with subset.', { profile: 'subset' });
  disclosureFault('as-disclosure-fault-unknown-profile', 'profile "none": not a profile.', { profile: 'none' });
  add({ id: 'as-disclosure-fault-rs-policy', description: 'The AS\'s policy is valid, RS2\'s is not (actor-only with keep): resource = RS2 is refused at step 9, nothing consumed.', spec: S.fault, parameters: (_c, p) => [...p, ['resource', RS2.identifier]], policy: (p) => rsPolicies(p, undefined, faulty({ profile: 'actor-only', keep: [] }), { profile: 'full' }), expected: fault });
  add({ id: 'as-order-disclosure-fault-before-replay', description: 'A faulty policy and a chain already redeemed: step 9 answers (500) before step 11, and nothing more is consumed.', spec: S.order, replayStore: (c) => [c.linkEntries[2] as ReplayKey, c.chainEntry], policy: (p) => ({ ...p, disclosure: faulty({ profile: 'full', count: false }) }), expected: fault });
  add({ id: 'as-order-target-before-disclosure-fault', description: 'A faulty policy and an unknown resource: the server is chosen first (invalid_target), so its policy is never read.', spec: S.order, parameters: (_c, p) => [...p, ['resource', 'https://unknown.example']], policy: (p) => ({ ...p, disclosure: faulty({ profile: 'none' }) }), expected: refused(400, 'invalid_target', 'target_invalid', 9) });
  return out;
}

// ---- Small helpers for the catalogue ----

/** The jkt of d2-ed25519 (an earlier delegate's key), filled before the cases run. */
const D2_JKT = { value: '' };

function jwkOf(ctx: Ctx): Record<string, unknown> {
  return (ctx.tmb as { jwk: Record<string, unknown> }).jwk;
}

function jktOf(ctx: Ctx): string {
  const jwk = jwkOf(ctx);
  // RFC 7638 for an OKP key: the required members in lexicographic order.
  return createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x })).digest('base64url');
}

async function jktOfName(_input: LinkInput, name: string): Promise<string> {
  return (await testKey(name)).jkt;
}

function holderRecord(expected: AsExpected): AsExpected {
  if (!expected.ok) return expected;
  const record = expected.token[RECORD];
  return { ...expected, token: { ...expected.token, [RECORD]: { ...record, root: { kind: 'holder', iss: record.root.iss } } } };
}

const MALLORY_JWK: { value: Record<string, unknown> } = { value: {} };
/** A certificate's SHA-256 hash, base64url (any 32 bytes: no certificate is parsed at an AS for a deferred binding). */
const CERT_HASH = createHash('sha256').update('transitive-proof test certificate').digest('base64url');

export async function asVectorFactories(): Promise<AsVectorFactory[]> {
  D2_JKT.value = (await testKey('d2-ed25519')).jkt;
  MALLORY_JWK.value = { ...(await testKey('mallory-ed25519')).publicJwk };
  const list = cases();
  return list.map(make);
}

export async function buildAsVectors(): Promise<AsVector[]> {
  const vectors: AsVector[] = [];
  const seen = new Set<string>();
  for (const factory of await asVectorFactories()) {
    if (seen.has(factory.id)) throw new Error(`duplicate AS vector id ${factory.id}`);
    seen.add(factory.id);
    vectors.push(await factory.make());
  }
  return vectors;
}

export function buildAsIndex(vectors: readonly AsVector[]): AsVectorIndex {
  return {
    formatVersion: 1,
    description: 'Authorization-server vectors of transitive-proof (SPEC-NOTES.md §8). Format: schemas/as-vector.schema.json and vectors/README.md "Authorization-server vectors". Every key in these files is a TEST KEY — NEVER USE.',
    vectors: vectors.map((vector) => ({
      id: vector.id,
      file: `${vector.id}.json`,
      ok: vector.expected.ok,
      ...(vector.expected.ok ? {} : { code: vector.expected.code }),
      step: vector.expected.ok ? '12' : vector.expected.step,
      deterministic: vector.deterministic,
    })),
  };
}
