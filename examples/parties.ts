/**
 * The requester B (asks the authorization server for a token bound to C's key, with a chain) and
 * the key holder C (calls the resource server with DPoP). Plain fetch over loopback.
 */
import { buildDeferredBindingRequest, type Chain, type Confirmation, type PrivateJwk, type SignatureAlgorithm } from '../lib/index.js';
import { createDpopProof } from '../lib/as/index.js';
import type { DeferredBindingProfile } from '../lib/as/profile.js';

export interface TokenResponse {
  status: number;
  body: Record<string, unknown>;
}

export interface RequesterCredentials {
  clientId: string;
  clientSecret: string;
}

/** B's token request (client_secret_basic), optionally with a DPoP header of its own (ignored by the AS for binding). */
export async function requestBoundToken(
  tokenEndpoint: string,
  credentials: RequesterCredentials,
  request: { chain: Chain | string; tmb?: Confirmation; scope?: string; profile?: DeferredBindingProfile; resource?: string },
  dpop?: { privateKey: PrivateJwk; alg: SignatureAlgorithm },
): Promise<TokenResponse> {
  const { params } = buildDeferredBindingRequest({
    chain: request.chain,
    ...(request.tmb === undefined ? {} : { tmb: request.tmb }),
    ...(request.scope === undefined ? {} : { scope: request.scope }),
    ...(request.profile === undefined ? {} : { profile: request.profile }),
    ...(request.resource === undefined ? {} : { resource: request.resource }),
  });
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    authorization: `Basic ${Buffer.from(`${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`).toString('base64')}`,
    accept: 'application/json',
  };
  if (dpop !== undefined) headers.dpop = await createDpopProof({ ...dpop, htm: 'POST', htu: tokenEndpoint });
  return post(tokenEndpoint, headers, params.toString());
}

/** A raw token request (for showing how the AS answers malformed ones). */
export async function postTokenRequest(tokenEndpoint: string, credentials: RequesterCredentials | undefined, body: string): Promise<TokenResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (credentials !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`).toString('base64')}`;
  }
  return post(tokenEndpoint, headers, body);
}

/** C (or anyone holding a key) calls the resource server with the token and a DPoP proof. */
export async function callResource(url: string, accessToken: string, key: { privateKey: PrivateJwk; alg: SignatureAlgorithm }, scheme = 'DPoP'): Promise<TokenResponse> {
  const proof = await createDpopProof({ ...key, htm: 'GET', htu: url, accessToken });
  const response = await fetch(url, { headers: { authorization: `${scheme} ${accessToken}`, dpop: proof } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function post(url: string, headers: Record<string, string>, body: string): Promise<TokenResponse> {
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
