/**
 * Pattern 2, backend for frontend: the browser holds a non-extractable WebCrypto key. It signs
 * link 0 as a key-holder root (its identifier is its key's RFC 9278 thumbprint URI), authorising
 * its BFF; the BFF, a confidential client, redeems the chain and hands the token to the browser,
 * which presents it to the API with DPoP. The BFF can obtain the token but never use it.
 * README.md beside this file; test/patterns/bff.test.ts runs the browser part in headless Chromium.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JWK_THUMBPRINT_URI_PREFIX, serializeChain, startChain, type PublicJwk } from '../../../lib/index.js';
import type { CryptoKey } from '../../../lib/model/types.js';
import { holderOf, party, startWorld, Story, tokenSummary, type HttpResult, type Party, type PatternRunOptions, type PatternStep, type World } from '../support.js';
import { runBrowserSession, type BrowserConfig } from './browser.js';

export const SCOPE = 'profile:read';

export interface BffScene {
  world: World;
  /** The BFF: serves the page and redeems chains as a confidential client (private_key_jwt). */
  bff: Party;
  bffUrl: string;
  /** Another registered client (e.g. a script injected into the page exfiltrating the chain to its server). */
  other: Party;
  /** What the page is told. */
  config: BrowserConfig;
  /** The token responses the BFF obtained, in order (it keeps them: that is what a BFF does). */
  sessions: HttpResult[];
  /** A browser-like key: generated non-extractable with Web Crypto. */
  browserKey(): Promise<{ privateKey: CryptoKey; publicJwk: PublicJwk; holder: string }>;
  close(): Promise<void>;
}

export interface BffOptions {
  /** The page's script (a browser bundle of page.ts), served at /app.js. Without it the page has no script. */
  appScript?: string;
}

export async function setup(options: BffOptions = {}): Promise<BffScene> {
  const [bff, other] = await Promise.all([party('bff.shop.example'), party('other-app')]);
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const bffUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let world: World;
  try {
    world = await startWorld({
      // Any key may speak for itself under its own thumbprint URI: no browser key is registered in advance.
      trust: { roots: [{ type: 'holder', thumbprintIssuers: true }] },
      clients: [bff, other],
      resourceScope: SCOPE,
      corsOrigins: [bffUrl],
    });
  } catch (error) {
    server.close();
    throw error;
  }
  const config: BrowserConfig = { bffUrl, asIssuer: world.as.issuer, bffClientId: bff.id, bffPublicJwk: bff.publicJwk, apiUrl: `${world.rs.url}/data`, scope: SCOPE };
  const sessions: HttpResult[] = [];
  // The page may load scripts only from the BFF and call only the BFF and the API; no eval.
  const csp = `default-src 'none'; script-src 'self'; connect-src 'self' ${world.rs.url}; base-uri 'none'; form-action 'none'`;

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(() => send(res, 500, 'application/json', JSON.stringify({ error: 'server_error' })));
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url?.split('?')[0];
    if (req.method === 'GET' && path === '/') return send(res, 200, 'text/html', '<!doctype html><meta charset="utf-8"><title>BFF</title><script type="module" src="/app.js"></script>', csp);
    if (req.method === 'GET' && path === '/app.js' && options.appScript !== undefined) return send(res, 200, 'text/javascript', options.appScript, csp);
    if (req.method === 'GET' && path === '/config.json') return send(res, 200, 'application/json', JSON.stringify(config));
    if (req.method === 'POST' && path === '/session') {
      const body = JSON.parse(await readBody(req)) as { chain?: unknown };
      if (typeof body.chain !== 'string') return send(res, 400, 'application/json', JSON.stringify({ error: 'invalid_request' }));
      // The BFF redeems the browser's chain as itself; the token it gets is bound to the browser's key.
      const response = await world.redeem(bff, { chain: body.chain });
      sessions.push(response);
      return send(res, response.status, 'application/json', JSON.stringify(response.body));
    }
    return send(res, 404, 'application/json', JSON.stringify({ error: 'not_found' }));
  }

  const browserKey = async (): Promise<{ privateKey: CryptoKey; publicJwk: PublicJwk; holder: string }> => {
    const pair = await globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    const exported = await globalThis.crypto.subtle.exportKey('jwk', pair.publicKey);
    const publicJwk: PublicJwk = { kty: 'EC', crv: 'P-256', x: exported.x as string, y: exported.y as string };
    const { jwkThumbprint } = await import('../../../lib/index.js');
    return { privateKey: pair.privateKey, publicJwk, holder: `${JWK_THUMBPRINT_URI_PREFIX}${await jwkThumbprint(publicJwk)}` };
  };

  return {
    world, bff, bffUrl, other, config, sessions, browserKey,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await world.close();
    },
  };
}

/** Link 0 of a holder (the browser's key, or whoever signs), naming `holder`'s key as tmb, for `delegate`. */
export async function holderLink(scene: BffScene, holder: { publicJwk: PublicJwk; holder: string }, signWith: CryptoKey | Party, delegate: Party): Promise<string> {
  const privateKey = 'privateJwk' in signWith ? signWith.privateJwk : signWith;
  return serializeChain(await startChain(
    { iss: holder.holder, sub: holder.holder, aud: scene.world.as.issuer, scope: SCOPE, tmb: { jwk: holder.publicJwk }, delegate: { sub: delegate.id, cnf: { jwk: delegate.publicJwk } }, depth: 0, expiresIn: 300 },
    { privateKey, alg: 'ES256' },
  ));
}

export async function run(options: PatternRunOptions = {}): Promise<PatternStep[]> {
  const story = new Story(options);
  story.say('Pattern: backend for frontend — a browser\'s non-extractable key authorises its BFF; the browser presents with DPoP');
  const scene = await setup();
  const { world, bff, other } = scene;
  try {
    story.say(`AS ${world.as.issuer} accepts key-holder roots named by their RFC 9278 thumbprint URI; BFF ${scene.bffUrl}; API ${world.rs.url} (CORS for the BFF's origin)`);
    story.say('(Here the browser\'s code runs in Node\'s Web Crypto; test/patterns/bff.test.ts runs the same code in headless Chromium.)');

    story.say('\n1. The browser makes a non-extractable P-256 key, signs link 0 for the BFF, the BFF redeems, the browser calls the API');
    const outcome = await runBrowserSession(scene.config);
    story.check('the browser\'s private key is not extractable', !outcome.extractable && outcome.exportRefused, `extractable=${outcome.extractable}, exportKey refused=${outcome.exportRefused}`);
    story.say(`      link 0: iss = sub = ${outcome.holder.slice(0, 58)}…, may_act ${bff.id}`);
    const token = typeof outcome.session.body.access_token === 'string' ? outcome.session.body.access_token : '';
    story.issued('the BFF obtains a token bound to the browser\'s key', outcome.session, tokenSummary(token));
    story.served('the browser calls the API with a DPoP proof of its key', outcome.api);

    story.say('\n2. What an attacker would try');
    story.denied('the BFF (or anyone who steals the token from it) uses the token', await world.present(token, holderOf(bff)), 'invalid_dpop_proof');
    story.refused('the BFF redeems the browser\'s chain a second time', await world.redeem(bff, { chain: outcome.chain }), 'invalid_grant', 'replayed');
    const browser = await scene.browserKey();
    story.refused('a script injected into the page sends a fresh chain to another client', await world.redeem(other, { chain: await holderLink(scene, browser, browser.privateKey, bff) }), 'invalid_grant', 'requester_mismatch');
    story.refused('the BFF signs link 0 itself in the browser\'s name', await world.redeem(bff, { chain: await holderLink(scene, browser, bff, bff) }), 'invalid_grant', 'link_signature_invalid');
  } finally {
    await scene.close();
  }
  return story.steps;
}

function send(res: ServerResponse, status: number, type: string, body: string, csp?: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...(csp === undefined ? {} : { 'content-security-policy': csp }) });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 65_536) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
