/**
 * Status list fixtures: a status list issuer S with its key, Status List Tokens made with the
 * library, and a fetch that serves them from memory and counts requests.
 */
import { generateKeyPair, type PrivateJwk, type PublicJwk, type StatusConfig } from '../../lib/index.js';
import { createStatusListToken, emptyStatusList, writeStatus, type StatusBits } from '../../lib/status/index.js';
import { NOW_S } from '../helpers/fixtures.js';

export const LIST_URI = 'https://status.example/lists/1';

export interface StatusIssuer {
  privateJwk: PrivateJwk;
  publicJwk: PublicJwk;
}

export async function makeStatusIssuer(): Promise<StatusIssuer> {
  const { privateJwk, publicJwk } = await generateKeyPair('ES256');
  return { privateJwk, publicJwk: { ...publicJwk, kid: 's1' } };
}

export function statusConfig(issuer: StatusIssuer, extra: Partial<StatusConfig> = {}): StatusConfig {
  return { issuers: [{ uriPrefixes: ['https://status.example/lists/'], jwks: { keys: [issuer.publicJwk] } }], ...extra };
}

export interface ListSpec {
  entries?: Record<number, number>;
  size?: number;
  bits?: StatusBits;
  uri?: string;
  iat?: number;
  exp?: number;
  ttl?: number;
  format?: 'jwt' | 'cwt';
}

export async function listToken(issuer: StatusIssuer, spec: ListSpec = {}): Promise<Uint8Array> {
  const bits = spec.bits ?? 1;
  const list = emptyStatusList(spec.size ?? 16, bits);
  for (const [idx, value] of Object.entries(spec.entries ?? {})) writeStatus(list, bits, Number(idx), value);
  const input = {
    uri: spec.uri ?? LIST_URI, bits, list, iat: spec.iat ?? NOW_S - 10,
    ...(spec.exp === undefined ? { exp: NOW_S + 3600 } : { exp: spec.exp }),
    ...(spec.ttl === undefined ? {} : { ttl: spec.ttl }),
  };
  const signer = { privateKey: issuer.privateJwk, alg: 'ES256' as const, kid: 's1' };
  return spec.format === 'cwt'
    ? createStatusListToken(input, signer, 'cwt')
    : new TextEncoder().encode(await createStatusListToken(input, signer, 'jwt'));
}

/** A fetch serving `bodies` by URI (404 otherwise), recording every request. */
export function servingFetch(bodies: Map<string, Uint8Array | (() => Response | Promise<Response>)>): { fetch: (url: string, init: RequestInit) => Promise<Response>; requests: string[] } {
  const requests: string[] = [];
  return {
    requests,
    fetch: async (url: string) => {
      requests.push(url);
      const body = bodies.get(url);
      if (body === undefined) return new Response('not found', { status: 404 });
      if (typeof body === 'function') return body();
      return new Response(body, { status: 200 });
    },
  };
}
