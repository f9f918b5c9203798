/**
 * Example authorization server: oidc-provider with the deferred-binding grant (and RFC 8693 token
 * exchange) registered, issuing JWT access tokens for one resource server. Loopback only.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { errors as providerErrors, type ClientMetadata } from 'oidc-provider';
import { createVerifier, generateKeyPair, type PublicJwk, type TrustConfig, type VerifierOptions } from '../lib/index.js';
import type { ReplayStore } from '../lib/as/index.js';
import { DEFERRED_BINDING_GRANT_TYPE, TOKEN_EXCHANGE_GRANT_TYPE } from '../lib/as/profile.js';
import { deferredBindingJwtCustomizer, deferredBindingTokenClaims, registerDeferredBindingGrant } from '../lib/integrations/oidc-provider/index.js';
import type { IssuedConfirmationForm } from '../lib/as/issued-token.js';
import type { DisclosurePolicy } from '../lib/as/disclosure.js';
import { ExampleMemoryAdapter } from './memory-adapter.js';
import { isEntryPoint, serveAuthorizationServer } from './standalone.js';
import { coseCodec } from '../lib/codecs/cose/index.js';
import { remoteKeySupport, statusSupport } from '../lib/status/index.js';
import { x509Support } from '../lib/x509/index.js';

export interface ExampleClient {
  client_id: string;
  /** client_secret_basic when set. */
  client_secret?: string;
  /** private_key_jwt with these public keys when set (instead of a secret). */
  jwks?: { keys: PublicJwk[] };
}

export interface AuthorizationServerOptions {
  trust: TrustConfig;
  replayStore: ReplayStore;
  /** The resource server tokens are issued for (RFC 8707 resource indicator and `aud`). */
  resource: string;
  /** Scopes that resource server knows. */
  resourceScope: string;
  clients: ExampleClient[];
  /** Default 0: a free port. */
  port?: number;
  /** Leave out the extraTokenClaims hook (to show that the grant then refuses to issue). Default false. */
  omitTokenClaimsHook?: boolean;
  /** Leave out the JWT customizer (to show that the grant then refuses to issue a copied jwk cnf). Default false. */
  omitJwtCustomizer?: boolean;
  /** Access token format. Default 'jwt'; 'opaque' tokens are checked by introspection (RFC 7662, enabled then). */
  accessTokenFormat?: 'jwt' | 'opaque';
  /** The issued token's cnf: the chain's tmb copied (default) or reduced to jkt (SPEC-NOTES §8.4). */
  confirmation?: IssuedConfirmationForm;
  /**
   * The grant's requireRequesterKey. Default true (the grant's default): a client authenticated by
   * a secret alone is refused; set false for the secret-authenticated clients of the demo.
   */
  requireRequesterKey?: boolean;
  /** Register clients with token_endpoint_auth_method none (public clients), to show they are refused. */
  publicClients?: string[];
  /** Options of the AS's chain verifier (e.g. a revocation store of link hashes). */
  verifierOptions?: VerifierOptions;
  /** The resource server's disclosure policy (SPEC-NOTES §8.4.2). Default full. */
  disclosure?: DisclosurePolicy;
  /** Also emit draft-liu's delegation_chain, signed with the AS's own key (SPEC-NOTES §11.1). Default false. */
  delegationChain?: boolean;
  /** Also enable the provider's own client_credentials grant for the clients (a plain DPoP-bound token, for comparison). Default false. */
  clientCredentials?: boolean;
}

export interface RunningAuthorizationServer {
  issuer: string;
  tokenEndpoint: string;
  jwksUri: string;
  introspectionEndpoint: string;
  provider: Provider;
  close(): Promise<void>;
}

export async function startAuthorizationServer(options: AuthorizationServerOptions): Promise<RunningAuthorizationServer> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const signing = await generateKeyPair('ES256');
  const resourceServer = {
    scope: options.resourceScope,
    audience: options.resource,
    accessTokenFormat: options.accessTokenFormat ?? 'jwt',
    accessTokenTTL: 600,
    jwt: { sign: { alg: 'ES256' as const } },
  };
  const provider = new Provider(issuer, {
    adapter: ExampleMemoryAdapter,
    clients: [
      ...options.clients.map((client): ClientMetadata => ({
        ...client,
        grant_types: [DEFERRED_BINDING_GRANT_TYPE, TOKEN_EXCHANGE_GRANT_TYPE, ...(options.clientCredentials === true ? ['client_credentials'] : [])],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: client.jwks === undefined ? 'client_secret_basic' : 'private_key_jwt',
        ...(client.jwks === undefined ? {} : { token_endpoint_auth_signing_alg: 'ES256' }),
      })),
      ...(options.publicClients ?? []).map((clientId): ClientMetadata => ({
        client_id: clientId,
        grant_types: [DEFERRED_BINDING_GRANT_TYPE, TOKEN_EXCHANGE_GRANT_TYPE],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'none',
      })),
    ],
    jwks: { keys: [{ ...signing.privateJwk, kid: 'as-signing-1', use: 'sig', alg: 'ES256' }] },
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    cookies: { keys: [Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')] },
    features: {
      devInteractions: { enabled: false },
      // Any authenticated client (here: the resource server) may introspect.
      introspection: { enabled: options.accessTokenFormat === 'opaque', allowedPolicy: (_ctx, client) => client.clientAuthMethod !== 'none' },
      dPoP: { enabled: true },
      clientCredentials: { enabled: options.clientCredentials === true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => options.resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== options.resource) throw new providerErrors.InvalidTarget();
          return resourceServer;
        },
      },
    },
    // The actor chain (`act`) of tokens the deferred-binding grant issues.
    ...(options.omitTokenClaimsHook === true ? {} : { extraTokenClaims: deferredBindingTokenClaims() }),
    // A cnf copied from tmb (a jwk) in place of the provider's thumbprint in JWT access tokens.
    ...(options.omitJwtCustomizer === true ? {} : { formats: { customizers: { jwt: deferredBindingJwtCustomizer() } } }),
    ttl: {
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 600,
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 600,
    },
  });
  provider.proxy = false;

  registerDeferredBindingGrant(provider, {
    // The example AS accepts every encoding and trust feature: it passes all the optional parts.
    verifier: await createVerifier(options.trust, { codecs: [coseCodec], x509: x509Support, status: statusSupport, remoteKeys: remoteKeySupport, requireRequesterKey: options.requireRequesterKey ?? true, ...options.verifierOptions }),
    replayStore: options.replayStore,
    tokenExchange: true,
    ...(options.confirmation === undefined ? {} : { confirmation: options.confirmation }),
    ...(options.requireRequesterKey === undefined ? {} : { requireRequesterKey: options.requireRequesterKey }),
    ...(options.delegationChain === true ? { delegationChain: { key: signing.privateJwk, alg: 'ES256', kid: 'as-signing-1' } } : {}),
    resourceServer: (_ctx, requested) => {
      if (requested.length > 1 || (requested.length === 1 && requested[0] !== options.resource)) return undefined;
      return { identifier: options.resource, ...resourceServer, ...(options.disclosure === undefined ? {} : { disclosure: options.disclosure }) };
    },
  });

  server.on('request', provider.callback());
  return {
    issuer,
    tokenEndpoint: `${issuer}/token`,
    jwksUri: `${issuer}/jwks`,
    introspectionEndpoint: `${issuer}/token/introspection`,
    provider,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    }),
  };
}

// `node dist/examples/authorization-server.js [--port N] [--trust FILE]` (examples/standalone.ts).
if (isEntryPoint(import.meta.url)) serveAuthorizationServer(startAuthorizationServer);
