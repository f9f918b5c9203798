/**
 * The verifier's trust configuration (SPEC-NOTES.md §5): validated against
 * schemas/trust-config.schema.json and compiled once (keys imported, thumbprints computed), so that
 * verifying a chain does no configuration work.
 */
import { TransitiveProofError } from '../errors.js';
import { assertPublicJwk, jwkThumbprint, KeyImportCache } from '../keys/keys.js';
import { resolveLimits, type Limits } from '../model/limits.js';
import { describeSchemaError, validator } from '../model/schemas.js';
import { loadTrustAnchors, type TrustAnchor } from '../x509/anchors.js';
import { PathCache } from '../x509/cache.js';
import { SIGNATURE_ALGORITHMS, type PublicJwk, type SignatureAlgorithm } from '../model/types.js';
import { compileStatusConfig, type StatusConfig } from '../status/config.js';
import { StatusListFetcher } from '../status/fetcher.js';
import { RemoteKeySet } from '../status/remote-keys.js';
import type { FetchLike } from '../status/uri.js';

export interface JwkSet {
  keys: PublicJwk[];
}

/** (b) A trusted issuer: link 0 has this `iss` and is signed by one of `jwks`, or of the keys published at `jwksUri`. */
export interface IssuerRootConfig {
  type: 'issuer';
  iss: string;
  jwks?: JwkSet;
  /** Where the issuer publishes its keys (fetched with jose's createRemoteJWKSet; SPEC-NOTES.md §5.1 URI rules). */
  jwksUri?: string;
  algorithms?: SignatureAlgorithm[];
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
  holders?: KnownHolder[];
  thumbprintIssuers?: boolean;
  algorithms?: SignatureAlgorithm[];
}

export type X509IdentityType = 'uri' | 'spiffe' | 'dns';

/** (c) An X.509 trust anchor: link 0 carries a certificate path to one of `anchors`. */
export interface X509RootConfig {
  type: 'x509';
  /** DER certificates, standard base64. */
  anchors: string[];
  identity: { type: X509IdentityType; trustDomain?: string };
  requiredEku?: string;
  algorithms?: SignatureAlgorithm[];
}

export type RootConfig = IssuerRootConfig | HolderRootConfig | X509RootConfig;

export interface TrustConfig {
  roots: RootConfig[];
  delegateKeys?: JwkSet;
  algorithms?: SignatureAlgorithm[];
  clockToleranceSeconds?: number;
  maxLifetimeSeconds?: number;
  limits?: Partial<Limits>;
  /** Token Status Lists the verifier accepts (SPEC-NOTES.md §5.1). */
  status?: StatusConfig;
}

export interface CompiledIssuerRoot extends Omit<IssuerRootConfig, 'algorithms' | 'jwks'> {
  jwks: JwkSet;
  /** Set when the keys come from `jwksUri`; `jwks` is then empty. */
  remoteJwks?: RemoteKeySet;
  algorithms: ReadonlySet<SignatureAlgorithm>;
}
export interface CompiledHolderRoot {
  type: 'holder';
  /** iss → the thumbprints of the keys that may speak for it. */
  holders: ReadonlyMap<string, ReadonlySet<string>>;
  thumbprintIssuers: boolean;
  algorithms: ReadonlySet<SignatureAlgorithm>;
}
export interface CompiledX509Root extends Omit<X509RootConfig, 'algorithms'> {
  trustAnchors: TrustAnchor[];
  algorithms: ReadonlySet<SignatureAlgorithm>;
}
export type CompiledRoot = CompiledIssuerRoot | CompiledHolderRoot | CompiledX509Root;

export interface CompiledTrust {
  readonly roots: readonly CompiledRoot[];
  readonly delegateKeysByJkt: ReadonlyMap<string, PublicJwk>;
  readonly algorithms: ReadonlySet<SignatureAlgorithm>;
  readonly clockToleranceSeconds: number;
  readonly maxLifetimeSeconds: number;
  readonly limits: Limits;
  readonly keyCache: KeyImportCache;
  /** Verified X.509 paths, so a repeated x5c is not validated again (never widens acceptance). */
  readonly pathCache: PathCache;
  /** Status List Tokens: undefined when the configuration accepts none (a link with `status` then fails closed). */
  readonly statusLists: StatusListFetcher | undefined;
  /** Marks a compiled configuration so APIs can accept either form. */
  readonly compiled: true;
}

export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
export const DEFAULT_MAX_LIFETIME_SECONDS = 86_400;

export function isCompiledTrust(value: TrustConfig | CompiledTrust): value is CompiledTrust {
  return (value as Partial<CompiledTrust>).compiled === true;
}

/** How a compiled configuration reaches the network (status lists, remote JWKS). */
export interface TrustCompileOptions {
  /** Default: the global `fetch`. */
  fetch?: FetchLike;
}

/** Validate and compile a trust configuration. Throws `invalid_argument` when it is not valid. */
export async function compileTrust(config: TrustConfig | CompiledTrust, options: TrustCompileOptions = {}): Promise<CompiledTrust> {
  if (isCompiledTrust(config)) return config;
  const validate = validator('trustConfig');
  if (!validate(config)) {
    throw new TransitiveProofError('invalid_argument', `trust configuration: ${describeSchemaError(validate.errors)}`);
  }
  const algorithms = new Set(config.algorithms ?? SIGNATURE_ALGORITHMS);
  const narrow = (own: SignatureAlgorithm[] | undefined): ReadonlySet<SignatureAlgorithm> =>
    new Set((own ?? [...algorithms]).filter((alg) => algorithms.has(alg)));

  const roots: CompiledRoot[] = await Promise.all(config.roots.map(async (root): Promise<CompiledRoot> => {
    switch (root.type) {
      case 'issuer':
        if (root.jwksUri !== undefined) {
          const remoteJwks = new RemoteKeySet(root.jwksUri, options.fetch === undefined ? {} : { fetch: options.fetch });
          return { type: 'issuer', iss: root.iss, jwks: { keys: [] }, jwksUri: root.jwksUri, remoteJwks, algorithms: narrow(root.algorithms) };
        }
        (root.jwks?.keys ?? []).forEach((key, i) => assertConfigKey(key, `roots[issuer ${root.iss}].jwks.keys[${i}]`));
        return { type: 'issuer', iss: root.iss, jwks: root.jwks ?? { keys: [] }, algorithms: narrow(root.algorithms) };
      case 'holder':
        return { type: 'holder', holders: holderMap(root.holders ?? []), thumbprintIssuers: root.thumbprintIssuers === true, algorithms: narrow(root.algorithms) };
      case 'x509':
        return {
          type: 'x509',
          anchors: root.anchors,
          trustAnchors: await loadTrustAnchors(root.anchors),
          identity: root.identity,
          ...(root.requiredEku === undefined ? {} : { requiredEku: root.requiredEku }),
          algorithms: narrow(root.algorithms),
        };
    }
  }));

  const delegateKeysByJkt = new Map<string, PublicJwk>();
  for (const [i, key] of (config.delegateKeys?.keys ?? []).entries()) {
    assertConfigKey(key, `delegateKeys.keys[${i}]`);
    delegateKeysByJkt.set(await jwkThumbprint(key), key);
  }

  return {
    roots,
    delegateKeysByJkt,
    algorithms,
    clockToleranceSeconds: config.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
    maxLifetimeSeconds: config.maxLifetimeSeconds ?? DEFAULT_MAX_LIFETIME_SECONDS,
    limits: resolveLimits(config.limits),
    keyCache: new KeyImportCache(),
    pathCache: new PathCache(),
    statusLists: config.status === undefined
      ? undefined
      : new StatusListFetcher(compileStatusConfig(config.status, algorithms, options), resolveLimits(config.limits), options),
    compiled: true,
  };
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
    throw new TransitiveProofError('invalid_argument', `trust configuration: ${(error as Error).message}`);
  }
}
