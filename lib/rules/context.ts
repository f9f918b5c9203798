/**
 * What the verifier is told about the request a chain arrived with (SPEC-NOTES.md §6.1).
 */
import type { Confirmation } from '../model/types.js';
import type { RevocationStore, FetchLike, LinkCodec, RemoteKeySupport, StatusSupport, StatusUnavailableEvent, X509Support } from '../ports.js';

/** The client that sent the token request, as the authorization server authenticated it. */
export interface RequesterIdentity {
  /** The authenticated client identifier. */
  id: string;
  /** RFC 7638 thumbprint of the key the client authenticated with (private_key_jwt, DPoP-less key auth). */
  jkt?: string | undefined;
  /** SHA-256 thumbprint of the client certificate (RFC 8705 mTLS client authentication). */
  'x5t#S256'?: string | undefined;
}

export interface VerificationContext {
  /** The verifier's own issuer identifier; every link's `aud` must equal it. */
  audience: string;
  /** The authenticated requester; it must be the last link's delegate. */
  requester: RequesterIdentity;
  /** The `tmb` parameter of the token request; when given it must equal the chain's `tmb`. */
  tmb?: Confirmation | undefined;
  /** The requested scope; when given it must be within the last link's scope. */
  scope?: string | undefined;
  /** Verification time. Default: the verifier's clock. */
  now?: Date | undefined;
}

export interface VerifierOptions {
  /** Injected clock. Default: `() => new Date()`. */
  clock?: (() => Date) | undefined;
  /**
   * Require that the requester authenticated with the key named in the last link's `may_act.cnf`
   * (its `jkt` or `x5t#S256` given in the context). Default true: a client authenticated by a
   * shared secret would otherwise skip the delegate key check. `false` is an explicit opt-out that
   * matches such a client on its identifier alone (SPEC-NOTES.md §6.2 step 16).
   */
  requireRequesterKey?: boolean | undefined;
  /** Links revoked by hash (step 17a). Default: none. */
  revocationStore?: RevocationStore | undefined;
  /** The fetch used for status lists and remote JWKS when the verifier compiles its trust configuration. */
  fetch?: FetchLike | undefined;
  /**
   * Codecs beyond JOSE: `[coseCodec]` (transitive-proof/cose) to accept CBOR/COSE chains. Without
   * it a CBOR chain is refused at step 2 (`chain_malformed`).
   */
  codecs?: readonly LinkCodec[] | undefined;
  /** `x509Support` (transitive-proof/x509), for a trust configuration with x509 roots or delegateCertificates. */
  x509?: X509Support | undefined;
  /** `statusSupport` (transitive-proof/status), for a trust configuration with a `status` section. */
  status?: StatusSupport | undefined;
  /** `remoteKeySupport` (transitive-proof/status), for a trust configuration with an issuer root by `jwksUri`. */
  remoteKeys?: RemoteKeySupport | undefined;
  /** Called when `status.unavailable: "accept"` let a link through without its status (for logs). */
  onStatusUnavailable?: ((event: StatusUnavailableEvent) => void) | undefined;
}
