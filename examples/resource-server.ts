/**
 * Example resource server (node:http): accepts an access token from the example authorization
 * server only with a DPoP proof by the key its `cnf` names (RFC 9449 §7). A JWT token is verified
 * with the AS's keys; an opaque one is introspected (RFC 7662). Loopback only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { TransitiveProofError } from '../lib/index.js';
import { dpopAccessToken, dpopChallenge, MemoryReplayStore, verifyDpopPresentation } from '../lib/as/index.js';
import { isEntryPoint, serveResourceServer } from './standalone.js';

export interface ResourceServerOptions {
  issuer: string;
  jwksUri: string;
  /** This resource server's identifier: the token's `aud`. */
  audience: string;
  port?: number;
  /** Introspect opaque tokens at this endpoint, authenticating as this client (client_secret_basic). */
  introspection?: { endpoint: string; clientId: string; clientSecret: string };
  /** Origins allowed to call from a browser (CORS), e.g. a single-page application. */
  corsOrigins?: readonly string[];
}

export interface RunningResourceServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Start the server on 127.0.0.1. `audience` may be a function of the port, for a resource server
 * whose identifier is its own URL.
 */
export async function startResourceServer(options: Omit<ResourceServerOptions, 'audience'> & { audience: string | ((url: string) => string) }): Promise<RunningResourceServer> {
  const jwks = createRemoteJWKSet(new URL(options.jwksUri));
  const proofs = new MemoryReplayStore({ maxEntries: 10_000 });
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const audience = typeof options.audience === 'function' ? options.audience(url) : options.audience;

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(() => send(res, 500, { error: 'server_error' }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = req.headers.origin;
    if (origin !== undefined && options.corsOrigins?.includes(origin) === true) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', 'www-authenticate');
      res.setHeader('vary', 'origin');
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { 'access-control-allow-methods': 'GET', 'access-control-allow-headers': 'authorization, dpop', 'access-control-max-age': '60' });
        res.end();
        return;
      }
    }
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/data') return send(res, 404, { error: 'not_found' });
    try {
      const token = dpopAccessToken(req.headers.authorization);
      const claims = options.introspection === undefined ? await verifyJwt(token) : await introspect(token, options.introspection);
      const dpop = req.headersDistinct.dpop;
      const presented = await verifyDpopPresentation({ authorization: req.headers.authorization, dpop, method: 'GET', url: `${url}${req.url}` }, claims, { replayStore: proofs });
      send(res, 200, {
        sub: claims.sub, act: claims.act, scope: claims.scope, client_id: claims.client_id, cnf: claims.cnf,
        deferred_binding: presented.deferredBinding ?? null, actors: presented.actors ?? null, data: 'the protected resource',
      });
    } catch (error) {
      const challenge = dpopChallenge(error);
      res.setHeader('www-authenticate', challenge.header);
      send(res, challenge.status, { error: error instanceof TransitiveProofError ? error.oauthError : 'server_error' });
    }
  }

  async function verifyJwt(token: string): Promise<Record<string, unknown>> {
    try {
      return (await jwtVerify(token, jwks, { issuer: options.issuer, audience, typ: 'at+jwt', algorithms: ['ES256'] })).payload;
    } catch (cause) {
      throw new TransitiveProofError('access_token_invalid', 'the access token does not verify', { cause });
    }
  }

  /** RFC 7662: the AS says whether the token is active and what it carries (cnf included, RFC 8705 §3.2). */
  async function introspect(token: string, client: { endpoint: string; clientId: string; clientSecret: string }): Promise<Record<string, unknown>> {
    const response = await fetch(client.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}`,
      },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
    });
    const claims = (await response.json()) as Record<string, unknown>;
    if (response.status !== 200 || claims.active !== true || claims.iss !== options.issuer || claims.aud !== audience) {
      throw new TransitiveProofError('access_token_invalid', 'the access token is not active for this resource');
    }
    return claims;
  }

  return {
    url,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** The claims of a JWT access token, for display (not verified). */
export function peekClaims(token: string): Record<string, unknown> {
  return decodeJwt(token);
}

// `node dist/examples/resource-server.js --issuer AS_URL [--audience ID] [--port N]` (examples/standalone.ts).
if (isEntryPoint(import.meta.url)) serveResourceServer(startResourceServer);
