/**
 * The browser's side of the backend-for-frontend pattern: Web APIs and the library only, so it runs
 * in a page (bundled, see page.ts) and, for `tproof demo`, in Node. The private key is generated
 * non-extractable: no script on the page, the BFF included, can read it; it can only be used to sign.
 */
import { serializeChain } from '../../../lib/chain.js';
import { createDpopProof } from '../../../lib/dpop/proof.js';
import { jwkThumbprint } from '../../../lib/keys/keys.js';
import { startChain } from '../../../lib/mint.js';
import type { CryptoKey, PublicJwk } from '../../../lib/model/types.js';
// Types only (erased): the browser's Web Crypto has the same shapes.
import type { webcrypto } from 'node:crypto';

/** What the page is told by its BFF (GET /config.json). */
export interface BrowserConfig {
  /** The BFF's origin (same origin as the page). */
  bffUrl: string;
  /** The authorization server's issuer identifier: link 0's `aud`. */
  asIssuer: string;
  /** The BFF's client_id and the public key it authenticates to the AS with (link 0's `may_act`). */
  bffClientId: string;
  bffPublicJwk: PublicJwk;
  /** The API the browser calls with the token (CORS). */
  apiUrl: string;
  scope: string;
}

export interface BrowserOutcome {
  /** The private key's `extractable` flag, and whether exporting it was refused. */
  extractable: boolean;
  exportRefused: boolean;
  /** RFC 9278 thumbprint URI of the browser key: link 0's `iss` and `sub`. */
  holder: string;
  /** The chain the browser handed to its BFF. */
  chain: string;
  /** The BFF's answer: the token it obtained for the browser, or its error. */
  session: { status: number; body: Record<string, unknown> };
  /** The API's answer to the browser's DPoP-bound call. */
  api: { status: number; body: Record<string, unknown> };
}

const THUMBPRINT_URI = 'urn:ietf:params:oauth:jwk-thumbprint:sha-256:';

export async function runBrowserSession(config: BrowserConfig, subtle: webcrypto.SubtleCrypto = globalThis.crypto.subtle): Promise<BrowserOutcome> {
  // extractable: false applies to the private key; the public key of a pair is always exportable.
  const pair = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const exported = (await subtle.exportKey('jwk', pair.publicKey)) as webcrypto.JsonWebKey;
  const publicJwk: PublicJwk = { kty: 'EC', crv: 'P-256', x: exported.x as string, y: exported.y as string };
  let exportRefused = false;
  try {
    await subtle.exportKey('jwk', pair.privateKey);
  } catch {
    exportRefused = true;
  }
  const privateKey = pair.privateKey as unknown as CryptoKey;
  const holder = `${THUMBPRINT_URI}${await jwkThumbprint(publicJwk)}`;

  // Link 0 as a key-holder root: this key authorises the BFF to obtain a token bound to it.
  const chain = serializeChain(await startChain(
    { iss: holder, sub: holder, aud: config.asIssuer, scope: config.scope, tmb: { jwk: publicJwk }, delegate: { sub: config.bffClientId, cnf: { jwk: config.bffPublicJwk } }, depth: 0, expiresIn: 300 },
    { privateKey, alg: 'ES256' },
  ));

  const sessionResponse = await fetch(`${config.bffUrl}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chain }) });
  const session = { status: sessionResponse.status, body: (await sessionResponse.json()) as Record<string, unknown> };
  const token = typeof session.body.access_token === 'string' ? session.body.access_token : '';

  const proof = await createDpopProof({ privateKey, publicJwk, alg: 'ES256', htm: 'GET', htu: config.apiUrl, accessToken: token });
  const apiResponse = await fetch(config.apiUrl, { headers: { authorization: `DPoP ${token}`, dpop: proof } });
  const api = { status: apiResponse.status, body: (await apiResponse.json()) as Record<string, unknown> };

  return { extractable: pair.privateKey.extractable, exportRefused, holder, chain, session, api };
}
