/**
 * The verifier's trust configuration (SPEC-NOTES.md §5): validated against
 * schemas/trust-config.schema.json and compiled once (keys imported, thumbprints computed), so that
 * verifying a chain does no configuration work.
 */
import { TransitiveProofError, invalidArgument } from '../errors.js';
import { assertPublicJwk, jwkThumbprint } from '../keys/keys.js';
import { resolveLimits, type Limits } from '../model/limits.js';
import { assertTrustSection, validator } from '../model/schemas.js';
import type { CertificateProfileConfig, CompiledCertificateProfile, StatusConfig, StatusSupport, X509Support } from '../ports.js';
import type { PublicJwk, SignatureAlgorithm } from '../model/types.js';
import { SIGNATURE_ALGORITHMS } from '../runtime/algorithms.js';
import {
  compilePatterns,
  compileSubjectLimit,
  type CompiledPatterns,
  type CompiledSubjectLimit,
  type IdentifierPatterns,
  type SubjectLimit,
} from './authority.js';

export type { IdentifierPatterns, SubjectLimit } from './authority.js';

export interface JwkSet {
  keys: PublicJwk[];
}

/** (b) A trusted issuer: link 0 has this `iss` and is signed by one of `jwks`, or of the keys published at `jwksUri`. */
export interface IssuerRootConfig {
  type: 'issuer';
  iss: string;
  jwks?: JwkSet | undefined;
  /** Where the issuer publishes its keys (fetched with jose's createRemoteJWKSet; SPEC-NOTES.md §5.1 URI rules). */
  jwksUri?: string | undefined;
  /** The subjects this issuer may vouch for. Default "any": an issuer is an authority over them. */
  subjects?: SubjectLimit | undefined;
  algorithms?: SignatureAlgorithm[] | undefined;
}

/** RFC 9278 JWK thumbprint URI prefix (SHA-256): a self-certifying identifier of a key holder. */
export const JWK_THUMBPRINT_URI_PREFIX = 'urn:ietf:params:oauth:jwk-thumbprint:sha-256:';

/** A key holder known to the verifier by identifier and key thumbprint. */
export interface KnownHolder {
  iss: string;
  jkt: string;
}

/**
 * (a) The key holder: link 0 is signed by the very key named in `tmb`, with `sub` = `iss`, and `iss`
 * is bound to that key: listed in `holders` with the key's thumbprint, or (with `thumbprintIssuers`)
 * the key's own RFC 9278 thumbprint URI. An identifier is never accepted on the signer's word alone.
 */
export interface HolderRootConfig {
  type: 'holder';
  holders?: KnownHolder[] | undefined;
  thumbprintIssuers?: boolean | undefined;
  algorithms?: SignatureAlgorithm[] | undefined;
}

export type { CertificateProfileConfig, CompiledCertificateProfile, X509IdentityType } from '../ports.js';

/**
 * (c) An X.509 root: link 0 carries a certificate path to one of `anchors`; the leaf's identity is
 * link 0's `iss`. `issuers` narrows which identities may sign link 0 (default: any the identity
 * rule yields); `subjects` which subjects they may vouch for (default "self": only themselves).
 */
export interface X509RootConfig extends CertificateProfileConfig {
  type: 'x509';
  issuers?: IdentifierPatterns | undefined;
  subjects?: SubjectLimit | undefined;
}

export type RootConfig = IssuerRootConfig | HolderRootConfig | X509RootConfig;

export interface TrustConfig {
  roots: RootConfig[];
  delegateKeys?: JwkSet | undefined;
  /**
   * How delegates named by certificate (`may_act.cnf` `x5t#S256`) are validated. Apart from the
   * x509 roots: their anchors never validate a delegate, and these never sign link 0. Without it a
   * certificate-named delegate cannot be resolved (`delegate_key_unresolved`).
   */
  delegateCertificates?: CertificateProfileConfig | undefined;
  algorithms?: SignatureAlgorithm[] | undefined;
  clockToleranceSeconds?: number | undefined;
  maxLifetimeSeconds?: number | undefined;
  limits?: Partial<Limits> | undefined;
  /** Token Status Lists the verifier accepts (SPEC-NOTES.md §5.1). */
  status?: StatusConfig | undefined;
}

export interface CompiledIssuerRoot extends Omit<IssuerRootConfig, 'algorithms' | 'jwks' | 'subjects'> {
  subjects: CompiledSubjectLimit;
  /** Empty when the keys come from `jwksUri` (a verifier's TrustServices fetches them). */
  jwks: JwkSet;
  algorithms: ReadonlySet<SignatureAlgorithm>;
}
export interface CompiledHolderRoot {
  type: 'holder';
  /** iss → the thumbprints of the keys that may speak for it. */
  holders: ReadonlyMap<string, ReadonlySet<string>>;
  thumbprintIssuers: boolean;
  algorithms: ReadonlySet<SignatureAlgorithm>;
}
export interface CompiledX509Root extends CompiledCertificateProfile {
  type: 'x509';
  /** Undefined: every identity the rule yields. */
  issuers: CompiledPatterns | undefined;
  subjects: CompiledSubjectLimit;
}
export type CompiledRoot = CompiledIssuerRoot | CompiledHolderRoot | CompiledX509Root;

export interface CompiledTrust {
  readonly roots: readonly CompiledRoot[];
  readonly delegateKeysByJkt: ReadonlyMap<string, PublicJwk>;
  readonly delegateCertificates: CompiledCertificateProfile | undefined;
  readonly algorithms: ReadonlySet<SignatureAlgorithm>;
  readonly clockToleranceSeconds: number;
  readonly maxLifetimeSeconds: number;
  readonly limits: Limits;
  /** The `status` section as configured; a verifier's TrustServices makes its status list source. */
  readonly status: StatusConfig | undefined;
  /** Marks a compiled configuration so APIs can accept either form. */
  readonly compiled: true;
}

export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
export const DEFAULT_MAX_LIFETIME_SECONDS = 86_400;

export function isCompiledTrust(value: TrustConfig | CompiledTrust): value is CompiledTrust {
  return (value as Partial<CompiledTrust>).compiled === true;
}

/**
 * The parts compiling a configuration may need: X.509 support validates the x509 roots and
 * `delegateCertificates` and parses their anchors, status support validates the `status` section.
 */
export interface TrustCompileOptions {
  /**
   * `x509Support` from `transitive-proof/x509`: required by x509 roots and `delegateCertificates`,
   * which it validates (without it such a configuration is refused, `invalid_argument`).
   */
  x509?: X509Support | undefined;
  /**
   * `statusSupport` from `transitive-proof/status`: required by a `status` section, which it
   * validates (without it such a configuration is refused, `invalid_argument`).
   */
  status?: StatusSupport | undefined;
}

/** Validate and compile a trust configuration. Throws `invalid_argument` when it is not valid. */
export async function compileTrust(config: TrustConfig | CompiledTrust, options: TrustCompileOptions = {}): Promise<CompiledTrust> {
  if (isCompiledTrust(config)) return config;
  assertTrustConfigSchema(config, options); // refuses x509 roots and delegateCertificates without options.x509
  const x509 = options.x509;
  const algorithms = new Set(config.algorithms ?? SIGNATURE_ALGORITHMS);
  const narrow = (own: readonly SignatureAlgorithm[] | undefined): ReadonlySet<SignatureAlgorithm> =>
    new Set((own ?? [...algorithms]).filter((alg) => algorithms.has(alg)));

  const roots: CompiledRoot[] = await Promise.all(config.roots.map(async (root): Promise<CompiledRoot> => {
    switch (root.type) {
      case 'issuer': {
        // Keys given here are checked now; keys published at jwksUri as they are fetched.
        const { jwksUri } = root;
        if (jwksUri === undefined) (root.jwks?.keys ?? []).forEach((key, i) => assertConfigKey(key, `roots[issuer ${root.iss}].jwks.keys[${i}]`));
        return {
          type: 'issuer', iss: root.iss, jwks: (jwksUri === undefined && root.jwks) || { keys: [] }, ...(jwksUri === undefined ? {} : { jwksUri }),
          subjects: compileSubjectLimit(root.subjects ?? 'any'), algorithms: narrow(root.algorithms),
        };
      }
      case 'holder':
        return { type: 'holder', holders: holderMap(root.holders ?? []), thumbprintIssuers: root.thumbprintIssuers === true, algorithms: narrow(root.algorithms) };
      case 'x509':
        return {
          type: 'x509',
          ...(await (x509 as X509Support).compileCertificateProfile(root, narrow)),
          issuers: root.issuers === undefined ? undefined : compilePatterns(root.issuers),
          subjects: compileSubjectLimit(root.subjects ?? 'self'),
        };
    }
  }));
  const delegateCertificates = config.delegateCertificates === undefined ? undefined : await (x509 as X509Support).compileCertificateProfile(config.delegateCertificates, narrow);

  const delegateKeysByJkt = new Map<string, PublicJwk>();
  for (const [i, key] of (config.delegateKeys?.keys ?? []).entries()) {
    assertConfigKey(key, `delegateKeys.keys[${i}]`);
    delegateKeysByJkt.set(await jwkThumbprint(key), key);
  }

  return {
    roots,
    delegateKeysByJkt,
    delegateCertificates,
    algorithms,
    clockToleranceSeconds: config.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
    maxLifetimeSeconds: config.maxLifetimeSeconds ?? DEFAULT_MAX_LIFETIME_SECONDS,
    limits: resolveLimits(config.limits),
    status: config.status,
    compiled: true,
  };
}

/**
 * The schema check of a trust configuration (schemas/trust-config.schema.json), `invalid_argument`
 * naming the first violation. The core validator checks all but the definitions a part reads, which
 * it sees only as objects (an x509 root: an object of type "x509"); each is then checked by its
 * part's validator: the x509 roots, in order, and `delegateCertificates` by x509Support's, `status`
 * by statusSupport's. So a verifier carries the code of the sections it can use. A section whose
 * part is not given is refused here, never passed unchecked. The verdict is the whole schema's; the
 * violation reported may differ from the whole schema's first: of two, one inside a part's
 * section, the core's comes first, and for an x509 root the part names what is wrong with it,
 * where the whole schema's `oneOf` reports the first branch's miss (an issuer root's `jwks`).
 */
export function assertTrustConfigSchema(config: unknown, options: TrustCompileOptions): asserts config is TrustConfig {
  assertTrustSection(validator('trustConfig'), config, '');
  const { roots, delegateCertificates, status } = config as TrustConfig;
  if (delegateCertificates !== undefined || roots.some((root) => root.type === 'x509')) {
    if (options.x509 === undefined) {
      throw partMissing('x509', 'compileTrust(config');
    }
    assertX509Part(options.x509).assertTrustConfig(config as TrustConfig);
  }
  if (status !== undefined) {
    if (options.status === undefined) {
      throw partMissing('status', 'compileTrust(config');
    }
    assertTrustSection(options.status.configValidator, status, '/status');
  }
}

/** Each optional part a configuration may need: what needs it, what it gives, the value to pass and the entry that exports it. */
const PARTS = {
  x509: ['x509 roots and delegateCertificates need', 'X.509 support', 'x509Support', 'transitive-proof/x509'],
  status: ['a status section needs', 'status list support', 'statusSupport', 'transitive-proof/status'],
  remoteKeys: ['an issuer root with jwksUri needs', 'remote key sets', 'remoteKeySupport', 'transitive-proof/status'],
} as const;

/**
 * The refusal of a configuration that needs a part the caller did not give, in one wording for
 * compileTrust and createVerifier (`call`: how the caller's call begins): what needs it, and how
 * to pass it.
 */
export function partMissing(part: keyof typeof PARTS, call: string): TransitiveProofError {
  const [needs, gives, value, entry] = PARTS[part];
  return invalidArgument(`trust configuration: ${needs} ${gives}: ${call}, { ${part}: ${value} }) with ${value} from '${entry}'`);
}

/**
 * The refusal of a part given without the steps it hands the verifier (a custom part written before
 * it carried them), at createVerifier as a missing part is, not half-way through a verification.
 */
export function partIncomplete(part: 'x509' | 'status', members: string): TransitiveProofError {
  const [, gives, value, entry] = PARTS[part];
  return invalidArgument(`the ${gives} given has no ${members}: take ${value} from '${entry}', or its members`);
}

/** The members of X.509 support the verifier calls: a custom part without one is refused where it is given. */
const X509_PART_MEMBERS = ['assertTrustConfig', 'compileCertificateProfile', 'resolveRootSigner', 'resolveDelegateSigner'] as const;

/** `x509` with every member the verifier calls, else `invalid_argument` naming the missing ones (never a TypeError later). */
export function assertX509Part(x509: X509Support): X509Support {
  const missing = X509_PART_MEMBERS.filter((member) => typeof x509[member] !== 'function');
  if (missing.length > 0) throw partIncomplete('x509', missing.join(' and '));
  return x509;
}

function holderMap(holders: KnownHolder[]): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const { iss, jkt } of holders) map.set(iss, (map.get(iss) ?? new Set()).add(jkt));
  return map;
}

function assertConfigKey(key: PublicJwk, where: string): void {
  try {
    assertPublicJwk(key, where);
  } catch (error) {
    throw invalidArgument(`trust configuration: ${(error as Error).message}`);
  }
}
