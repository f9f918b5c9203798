/**
 * Building blocks of the vector generator: a per-vector recorder (which test keys were used, who
 * signed each link, whether every signature is deterministic), standard chains with hooks to break
 * exactly one rule, and raw JWS crafting with node:crypto for header faults the minting API refuses.
 */
import { constants, createHmac, createPrivateKey, sign as cryptoSign } from 'node:crypto';
import {
  chainToJson,
  decodeChain,
  jwkThumbprint,
  linkHash,
  mintLink,
  serializeChain,
  type Actor,
  type Chain,
  type Confirmation,
  type LinkFormat,
  type LinkInput,
  type PrivateJwk,
  type SignatureAlgorithm,
  type TrustConfig,
  type VerifierOptions,
} from '../../lib/index.js';
import {
  TEST_KEYS_WARNING,
  VECTOR_FORMAT_VERSION,
  type ExpectedOutcome,
  type ExpectedResult,
  type Vector,
  type VectorContext,
  type VectorLink,
} from '../../lib/vectors/types.js';
import { testKey, type KeyType, type TestKey } from './keys.js';
import { coseCodec } from '../../lib/codecs/cose/index.js';

const CODECS = { codecs: [coseCodec] };

// ---- Fixed values shared by every vector ----

/** Verification time of every vector: 2030-03-17T17:46:40Z. */
export const NOW = 1_900_000_000;
export const AUDIENCE = 'https://as.example';
export const OTHER_AUDIENCE = 'https://other-as.example';
export const ISSUER = 'https://issuer.example';
export const HOLDER = 'https://holder.example';
export const MALLORY = 'https://mallory.example';
export const SUBJECT = 'user-42';
/** Scope of link i is the first (9 − i) tokens: each link narrower than the one before. */
export const SCOPE_TOKENS = ['read', 'write', 'admin', 'openid', 'profile', 'email', 'phone', 'address', 'offline_access'] as const;

export function delegateId(n: number): string {
  return `https://d${n}.example`;
}

export function scopeOf(index: number): string {
  return SCOPE_TOKENS.slice(0, SCOPE_TOKENS.length - index).join(' ');
}

export function iatOf(index: number): number {
  return NOW - 600 + 10 * index;
}

export function expOf(index: number): number {
  return NOW + 3000 - 100 * index;
}

const DETERMINISTIC_ALGS = new Set(['EdDSA', 'Ed25519', 'HS256', 'none']);
const ascii = new TextDecoder('latin1');
const encoder = new TextEncoder();

export function linkText(bytes: Uint8Array): string {
  return ascii.decode(bytes);
}

// ---- The per-vector recorder ----

export type Signing =
  | { key: string; alg?: string }
  | { hmac: Uint8Array; note: string }
  | { signature: Uint8Array; note: string };

export class VectorBuilder {
  readonly keys = new Map<string, TestKey>();
  /** Keys that are not derived by name (e.g. the certificate keys of the X.509 fixtures). */
  readonly fixtureKeys = new Map<string, PrivateJwk>();
  deterministic = true;
  readonly #signers = new Map<string, { signer?: string; note?: string }>();

  constructor(readonly id: string, readonly format: LinkFormat = 'jwt') {}

  /** A test key; it will be listed in the vector's testKeys. Issuer keys carry `kid` = their name. */
  async key(name: string): Promise<TestKey> {
    const key = await testKey(name, { kid: name.startsWith('issuer') });
    this.keys.set(name, key);
    return key;
  }

  async cnf(name: string): Promise<Confirmation> {
    return { jwk: (await this.key(name)).publicJwk };
  }

  async jkt(name: string): Promise<string> {
    return (await this.key(name)).jkt;
  }

  /** Mint a link with the library (semantic faults: the claims are schema-valid). */
  async mint(input: LinkInput, keyName: string, options: { previous?: Uint8Array; alg?: SignatureAlgorithm; kid?: string | false } = {}): Promise<Uint8Array> {
    const key = await this.key(keyName);
    const alg = options.alg ?? (this.format === 'cwt' && key.type === 'es256' ? 'ESP256' : key.alg);
    const kid = options.kid === false ? undefined : options.kid ?? key.privateJwk.kid;
    const bytes = await mintLink(
      input,
      { privateKey: key.privateJwk, alg, ...(typeof kid === 'string' ? { kid } : {}) },
      { format: this.format, ...CODECS, ...(options.previous === undefined ? {} : { previous: options.previous }) },
    );
    this.#record(bytes, alg, { signer: keyName });
    return bytes;
  }

  /** Mint a link with a key given as a JWK (fixture keys), optionally with a certificate chain. */
  async mintWithKey(input: LinkInput, key: { name: string; privateJwk: PrivateJwk; alg: SignatureAlgorithm; x5c?: Uint8Array[] }, previous?: Uint8Array): Promise<Uint8Array> {
    this.fixtureKeys.set(key.name, key.privateJwk);
    const bytes = await mintLink(
      input,
      { privateKey: key.privateJwk, alg: key.alg, ...(key.x5c === undefined ? {} : { x5c: key.x5c }) },
      { format: this.format, ...CODECS, ...(previous === undefined ? {} : { previous }) },
    );
    this.#record(bytes, key.alg, { signer: key.name });
    return bytes;
  }

  /** A JWS compact link from any header and claims, signed here with node:crypto (not the library). */
  async craft(header: Record<string, unknown>, claims: unknown, signing: Signing): Promise<Uint8Array> {
    const signingInput = `${b64uJson(header)}.${b64uJson(claims)}`;
    let signature: Uint8Array;
    let info: { signer?: string; note?: string };
    let alg = String(header.alg);
    if ('key' in signing) {
      const key = await this.key(signing.key);
      alg = signing.alg ?? key.alg;
      signature = rawSignature(signingInput, key.privateJwk, alg);
      info = { signer: signing.key };
    } else if ('hmac' in signing) {
      signature = createHmac('sha256', signing.hmac).update(signingInput).digest();
      alg = 'HS256';
      info = { note: signing.note };
    } else {
      signature = signing.signature;
      alg = 'none';
      info = { note: signing.note };
    }
    const bytes = encoder.encode(`${signingInput}.${Buffer.from(signature).toString('base64url')}`);
    this.#record(bytes, alg, info);
    return bytes;
  }

  /** A JWS compact link from header and claims JSON texts exactly as given (duplicate members, 1.0, ...), signed by a test key. */
  async craftText(headerText: string, claimsText: string, keyName: string): Promise<Uint8Array> {
    const signingInput = `${Buffer.from(headerText).toString('base64url')}.${Buffer.from(claimsText).toString('base64url')}`;
    const key = await this.key(keyName);
    const bytes = encoder.encode(`${signingInput}.${Buffer.from(rawSignature(signingInput, key.privateJwk, key.alg)).toString('base64url')}`);
    this.#record(bytes, key.alg, { signer: keyName, note: 'JSON text written by hand (see header/claims as decoded by JSON.parse)' });
    return bytes;
  }

  /** Re-sign a JWT link after editing its header and/or claims. */
  async resign(
    bytes: Uint8Array,
    keyName: string,
    edit: { header?: (h: Record<string, unknown>) => Record<string, unknown>; claims?: (c: Record<string, unknown>) => unknown; alg?: string },
  ): Promise<Uint8Array> {
    const { header, claims } = splitJws(bytes);
    const newHeader = edit.header ? edit.header({ ...header }) : header;
    const newClaims = edit.claims ? edit.claims(structuredClone(claims)) : claims;
    return this.craft(newHeader, newClaims, { key: keyName, ...(edit.alg === undefined ? {} : { alg: edit.alg }) });
  }

  /** Note a link produced outside mint/craft (e.g. edited without re-signing). */
  note(bytes: Uint8Array, info: { signer?: string; note?: string }): Uint8Array {
    this.#signers.set(linkText(bytes), info);
    return bytes;
  }

  #record(bytes: Uint8Array, alg: string, info: { signer?: string; note?: string }): void {
    if (!DETERMINISTIC_ALGS.has(alg)) this.deterministic = false;
    this.#signers.set(linkText(bytes), info);
  }

  /**
   * Assemble the vector. `chain` is a Chain (both forms are written) or raw text forms. Unless the
   * vector opts out of key-bound requesters, a requester given by identifier only is completed
   * with the key the last link names for its delegate (`jkt`, or `x5t#S256` for a certificate):
   * the requester authenticated with that key, as the default of §6.2 step 16 expects.
   */
  async finish(spec: VectorSpec): Promise<Vector> {
    if ('links' in spec.chain && spec.verifierOptions?.requireRequesterKey !== false && spec.requesterAsGiven !== true) {
      spec = { ...spec, context: await keyBoundContext(spec.context, spec.chain) };
    }
    const forms = 'links' in spec.chain ? { compact: serializeChain(spec.chain, CODECS), json: chainToJson(spec.chain, CODECS) } : spec.chain;
    const links = 'links' in spec.chain && spec.omitLinks !== true ? this.#describe(spec.chain) : undefined;
    const keys: Record<string, PrivateJwk> = {};
    const names = [...new Set([...this.keys.keys(), ...this.fixtureKeys.keys()])].sort();
    for (const name of names) keys[name] = this.fixtureKeys.get(name) ?? (this.keys.get(name) as TestKey).privateJwk;
    // Member order is the order of the file (JSON.stringify keeps insertion order).
    const vector: Vector = {
      formatVersion: VECTOR_FORMAT_VERSION,
      id: this.id,
      description: spec.description,
      ...(spec.attack === undefined ? {} : { attack: spec.attack }),
      spec: spec.spec,
      encoding: this.format,
      deterministic: this.deterministic,
      chain: spec.omitJsonForm === true ? { compact: forms.compact as string } : forms,
      ...(links === undefined ? {} : { links }),
      trust: spec.trust,
      context: spec.context,
      ...(spec.verifierOptions === undefined ? {} : { verifierOptions: spec.verifierOptions }),
      expected: spec.expected,
      testKeys: { warning: TEST_KEYS_WARNING, keys },
    };
    return vector;
  }

  /** Decoded links for the reader (informational); undefined when a link does not decode. */
  #describe(chain: Chain): VectorLink[] | undefined {
    try {
      return chain.links.map((bytes) => {
        const info = this.#signers.get(linkText(bytes)) ?? {};
        let header: Record<string, unknown>;
        let claims: Record<string, unknown>;
        if (chain.format === 'jwt') {
          ({ header, claims } = splitJws(bytes));
        } else {
          const [decoded] = decodeChain({ format: 'cwt', links: [bytes] }, CODECS);
          if (decoded === undefined) throw new Error('no link');
          header = { alg: decoded.header.alg, typ: decoded.header.typ, ...(decoded.header.kid === undefined ? {} : { kid: decoded.header.kid }) };
          claims = decoded.claims;
        }
        return { ...info, header, claims };
      });
    } catch {
      return undefined;
    }
  }
}

/** The context with the requester's key evidence taken from the last link's may_act.cnf, when it has none. */
async function keyBoundContext(context: VectorContext, chain: Chain): Promise<VectorContext> {
  const requester = context.requester;
  if (requester.jkt !== undefined || requester['x5t#S256'] !== undefined) return context;
  let cnf: Confirmation;
  try {
    const last = chain.links[chain.links.length - 1] as Uint8Array;
    const claims = chain.format === 'jwt' ? splitJws(last).claims : ((decodeChain({ format: 'cwt', links: [last] }, CODECS)[0]?.claims ?? {}) as Record<string, unknown>);
    cnf = (claims.may_act as { cnf: Confirmation }).cnf;
    if (cnf === undefined) return context;
  } catch {
    return context; // a link that does not decode fails before step 16
  }
  if ('x5t#S256' in cnf) return { ...context, requester: { ...requester, 'x5t#S256': cnf['x5t#S256'] } };
  const jkt = 'jkt' in cnf ? cnf.jkt : await jwkThumbprint(cnf.jwk);
  return { ...context, requester: { ...requester, jkt } };
}

export interface VectorSpec {
  description: string;
  attack?: string;
  spec: string;
  chain: Chain | { compact?: string; json?: unknown[] };
  omitJsonForm?: boolean;
  /** Leave out the informational decoded links (for very large vectors). */
  omitLinks?: boolean;
  trust: TrustConfig;
  context: VectorContext;
  verifierOptions?: Pick<VerifierOptions, 'requireRequesterKey'>;
  /** Keep the requester exactly as given (no key evidence added): for vectors about step 16 itself. */
  requesterAsGiven?: boolean;
  expected: ExpectedOutcome;
}

// ---- Raw JWS helpers (independent of the library's codec) ----

export function b64uJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function splitJws(bytes: Uint8Array): { header: Record<string, unknown>; claims: Record<string, unknown>; signature: string } {
  const [h, c, s] = linkText(bytes).split('.') as [string, string, string];
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as Record<string, unknown>,
    signature: s,
  };
}

/** RFC 7518 signatures with node:crypto. */
export function rawSignature(signingInput: string, privateJwk: PrivateJwk, alg: string): Uint8Array {
  const key = createPrivateKey({ key: privateJwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' });
  const data = encoder.encode(signingInput);
  switch (alg) {
    case 'EdDSA':
    case 'Ed25519':
      return cryptoSign(null, data, key);
    case 'ES256':
      return cryptoSign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
    case 'ES384':
      return cryptoSign('sha384', data, { key, dsaEncoding: 'ieee-p1363' });
    case 'PS256':
      return cryptoSign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    default:
      throw new Error(`rawSignature: no signing rule for ${alg}`);
  }
}

// ---- Standard chains ----

export type RootKind = 'issuer' | 'holder';

export interface ChainOptions {
  root?: RootKind;
  /** Number of links, 1–9. Default 3. */
  length?: number;
  /** Key type of every signer. Default ed25519. */
  keyType?: KeyType;
  /** Change the claims of link i. */
  input?: (index: number, input: LinkInput) => LinkInput | Promise<LinkInput>;
  /** Change which test key signs link i. */
  signer?: (index: number, name: string) => string;
  /** Change the minted bytes of link i (later links chain to the replacement). */
  craft?: (index: number, bytes: Uint8Array) => Uint8Array | Promise<Uint8Array>;
  /** Compute link i's prev over these bytes instead of the previous link (wrong-prev attacks). */
  previous?: (index: number, previous: Uint8Array | undefined) => Uint8Array | undefined;
  /** Mint options per link (algorithm name, kid). */
  mint?: (index: number) => { alg?: SignatureAlgorithm; kid?: string | false };
  /** Prefix for the jti values (default: the vector id). */
  jtiPrefix?: string;
}

/** Name of the test key of delegate n (1-based) for a key type; RSA exists only for d1 and d2. */
export function delegateKeyName(n: number, keyType: KeyType): string {
  if (keyType === 'ps256' && n > 2) return `d${n}-ed25519`;
  return `d${n}-${keyType}`;
}

export function rootKeyName(root: RootKind, keyType: KeyType): string {
  return `${root}-${keyType}`;
}

/** The claims of link `index` of a standard chain of `length` links. */
export async function standardInput(b: VectorBuilder, root: RootKind, index: number, length: number, keyType: KeyType, jtiPrefix: string): Promise<LinkInput> {
  const iss = index === 0 ? (root === 'issuer' ? ISSUER : HOLDER) : delegateId(index);
  return {
    iss,
    sub: root === 'issuer' ? SUBJECT : HOLDER,
    aud: AUDIENCE,
    scope: scopeOf(index),
    tmb: await b.cnf(rootKeyName('holder', keyType)),
    delegate: { sub: delegateId(index + 1), cnf: await b.cnf(delegateKeyName(index + 1, keyType)) },
    depth: length - 1 - index,
    iat: iatOf(index),
    exp: expOf(index),
    jti: `${jtiPrefix}-link-${index}`,
  };
}

/** A chain minted link by link; valid unless a hook breaks it. */
export async function standardChain(b: VectorBuilder, options: ChainOptions = {}): Promise<Chain> {
  const root = options.root ?? 'issuer';
  const length = options.length ?? 3;
  const keyType = options.keyType ?? 'ed25519';
  const links: Uint8Array[] = [];
  for (let index = 0; index < length; index++) {
    const base = await standardInput(b, root, index, length, keyType, options.jtiPrefix ?? b.id);
    const input = options.input ? await options.input(index, base) : base;
    const defaultSigner = index === 0 ? rootKeyName(root, keyType) : delegateKeyName(index, keyType);
    const signer = options.signer ? options.signer(index, defaultSigner) : defaultSigner;
    const previous = options.previous ? options.previous(index, links[index - 1]) : links[index - 1];
    let bytes = await b.mint(input, signer, { ...(previous === undefined ? {} : { previous }), ...(options.mint?.(index) ?? {}) });
    if (options.craft) bytes = await options.craft(index, bytes);
    links.push(bytes);
  }
  return { format: b.format, links };
}

export function standardTrust(b: VectorBuilder, root: RootKind, keyType: KeyType = 'ed25519'): Promise<TrustConfig> {
  return trustFor(b, root, rootKeyName(root, keyType));
}

/** The root entry for link 0's signer: the issuer with its key, or the holder bound to its key (§5 (a)). */
export async function trustFor(b: VectorBuilder, root: RootKind, rootKey = rootKeyName(root, 'ed25519')): Promise<TrustConfig> {
  if (root === 'holder') return { roots: [{ type: 'holder', holders: [{ iss: HOLDER, jkt: await b.jkt(rootKey) }] }] };
  return { roots: [{ type: 'issuer', iss: ISSUER, jwks: { keys: [(await b.key(rootKey)).publicJwk] } }] };
}

/** RFC 9278 JWK thumbprint URI of a test key (a self-certifying holder identifier). */
export async function thumbprintUri(b: VectorBuilder, keyName: string): Promise<string> {
  return `urn:ietf:params:oauth:jwk-thumbprint:sha-256:${await b.jkt(keyName)}`;
}

export function standardContext(length: number, extra: Partial<VectorContext> = {}): VectorContext {
  return { audience: AUDIENCE, requester: { id: delegateId(length) }, now: NOW, ...extra };
}

/** The §6.3 result of a valid chain, computed from what was minted (not by verifying it). */
export function expectedResult(inputs: readonly LinkInput[], root: RootKind | 'x509', requestedScope?: string): ExpectedOutcome {
  const first = inputs[0] as LinkInput;
  const last = inputs[inputs.length - 1] as LinkInput;
  let act: Actor | undefined;
  for (const input of inputs) act = act === undefined ? { sub: input.delegate.sub } : { sub: input.delegate.sub, act };
  const lastScope = typeof last.scope === 'string' ? last.scope : last.scope.join(' ');
  const result: ExpectedResult = {
    cnf: first.tmb,
    sub: first.sub,
    act: act as Actor,
    scope: requestedScope ?? lastScope,
    notAfter: Math.min(...inputs.map((input) => input.exp as number)),
    root: { kind: root, iss: first.iss },
  };
  return { valid: true, result };
}

/** The claims inputs a standard chain is minted from (for expectedResult), with the same hooks. */
export async function standardInputs(b: VectorBuilder, options: ChainOptions = {}): Promise<LinkInput[]> {
  const root = options.root ?? 'issuer';
  const length = options.length ?? 3;
  const keyType = options.keyType ?? 'ed25519';
  const inputs: LinkInput[] = [];
  for (let index = 0; index < length; index++) {
    const base = await standardInput(b, root, index, length, keyType, options.jtiPrefix ?? b.id);
    inputs.push(options.input ? await options.input(index, base) : base);
  }
  return inputs;
}

export function failure(code: Extract<ExpectedOutcome, { valid: false }>['error']['code'], linkIndex?: number): ExpectedOutcome {
  return { valid: false, error: linkIndex === undefined ? { code } : { code, linkIndex } };
}

export { linkHash };
