/**
 * What the five deferred-binding patterns share: parties with keys, the example oidc-provider AS
 * and DPoP resource server on loopback, a key-bound requester (private_key_jwt), a presenter that
 * proves the bound key, and a story that prints each step and whether it behaved as expected.
 */
import { randomUUID } from 'node:crypto';
import { decodeJwt, importJWK, SignJWT } from 'jose';
import { buildDeferredBindingRequest, decodeChain, generateKeyPair, jwkThumbprint, type Chain, type Confirmation, type KeyAlgorithmName, type PrivateJwk, type PublicJwk, type SignatureAlgorithm, type TrustConfig } from '../../lib/index.js';
import { createDpopProof, DEFERRED_BINDING_CLAIM, MemoryReplayStore } from '../../lib/as/index.js';
import type { CryptoKey } from '../../lib/model/types.js';
import type { DeferredBindingProfile } from '../../lib/as/profile.js';
import { startAuthorizationServer, type RunningAuthorizationServer } from '../authorization-server.js';
import { startResourceServer, type RunningResourceServer } from '../resource-server.js';
import { coseCodec } from '../../lib/codecs/cose/index.js';

/** One step of a pattern's story: what was expected, and whether it happened. */
export interface PatternStep {
  step: string;
  ok: boolean;
}

export interface PatternRunOptions {
  /** Where the story is told. Default: console.log. */
  log?: (line: string) => void;
}

/** A party with a key pair: `id` is its identifier in links (iss, may_act.sub) or its client_id. */
export interface Party {
  id: string;
  alg: SignatureAlgorithm;
  privateJwk: PrivateJwk;
  publicJwk: PublicJwk;
  jkt: string;
}

export async function party(id: string, alg: KeyAlgorithmName = 'ES256'): Promise<Party> {
  const keys = await generateKeyPair(alg);
  return { id, alg: alg as SignatureAlgorithm, ...keys, jkt: await jwkThumbprint(keys.publicJwk) };
}

/** A link signer for a party. */
export const signer = (p: Party) => ({ privateKey: p.privateJwk, alg: p.alg });

/** May act with this party's key (`may_act`). */
export const delegateTo = (p: Party) => ({ sub: p.id, cnf: { jwk: p.publicJwk } });

/** The holder of a bound key, as a presenter: a private JWK, or a (non-extractable) CryptoKey with its public JWK. */
export interface KeyHolder {
  privateKey: PrivateJwk | CryptoKey;
  publicJwk: PublicJwk;
  alg: SignatureAlgorithm;
}

export const holderOf = (p: Party): KeyHolder => ({ privateKey: p.privateJwk, publicJwk: p.publicJwk, alg: p.alg });

export interface HttpResult {
  status: number;
  body: Record<string, unknown>;
}

export interface WorldOptions {
  trust: TrustConfig;
  /** Key-bound requesters: registered for private_key_jwt with their public key (ES256). */
  clients: readonly Party[];
  resource?: string;
  resourceScope: string;
  /** Origins allowed to call the resource server from a browser. */
  corsOrigins?: readonly string[];
}

/** The example AS (oidc-provider with the deferred-binding grant) and a DPoP resource server. */
export interface World {
  as: RunningAuthorizationServer;
  rs: RunningResourceServer;
  resource: string;
  /** The requester asks for a token with its chain, authenticating with private_key_jwt. */
  redeem(client: Party, request: RedeemRequest): Promise<HttpResult>;
  /** The holder of a key calls the resource server with the token and a DPoP proof. */
  present(token: string, holder: KeyHolder): Promise<HttpResult>;
  close(): Promise<void>;
}

export interface RedeemRequest {
  chain: Chain | string;
  scope?: string;
  profile?: DeferredBindingProfile;
  /** Default: the chain's own tmb (buildDeferredBindingRequest). */
  tmb?: Confirmation;
}

export const DEFAULT_RESOURCE = 'https://api.example/resource';

export async function startWorld(options: WorldOptions): Promise<World> {
  const resource = options.resource ?? DEFAULT_RESOURCE;
  const as = await startAuthorizationServer({
    trust: options.trust,
    replayStore: new MemoryReplayStore(),
    resource,
    resourceScope: options.resourceScope,
    clients: options.clients.map((client) => ({ client_id: client.id, jwks: { keys: [{ ...client.publicJwk, kid: client.jkt }] } })),
  });
  let rs: RunningResourceServer;
  try {
    rs = await startResourceServer({ issuer: as.issuer, jwksUri: as.jwksUri, audience: resource, ...(options.corsOrigins === undefined ? {} : { corsOrigins: options.corsOrigins }) });
  } catch (error) {
    await as.close();
    throw error;
  }
  return {
    as,
    rs,
    resource,
    redeem: (client, request) => redeem(as, client, request),
    present: (token, holder) => present(`${rs.url}/data`, token, holder),
    close: async () => {
      await rs.close();
      await as.close();
    },
  };
}

async function redeem(as: RunningAuthorizationServer, client: Party, request: RedeemRequest): Promise<HttpResult> {
  const { params } = buildDeferredBindingRequest({
    chain: request.chain,
    codecs: [coseCodec],
    ...(request.tmb === undefined ? {} : { tmb: request.tmb }),
    ...(request.scope === undefined ? {} : { scope: request.scope }),
    ...(request.profile === undefined ? {} : { profile: request.profile }),
  });
  // private_key_jwt (RFC 7523): the key the chain's last may_act.cnf must name.
  const assertion = await new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: client.alg, kid: client.jkt })
    .setIssuer(client.id)
    .setSubject(client.id)
    .setAudience(as.tokenEndpoint)
    .setIssuedAt()
    .setExpirationTime('1m')
    .sign((await importJWK(client.privateJwk, client.alg)) as CryptoKey);
  params.set('client_id', client.id);
  params.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
  params.set('client_assertion', assertion);
  const response = await fetch(as.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: params.toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The holder of the bound key calls the resource server: DPoP proof of that key (RFC 9449 §7). */
export async function present(url: string, token: string, holder: KeyHolder): Promise<HttpResult> {
  const proof = await createDpopProof({ privateKey: holder.privateKey, publicJwk: holder.publicJwk, alg: holder.alg, htm: 'GET', htu: url, accessToken: token });
  const response = await fetch(url, { headers: { authorization: `DPoP ${token}`, dpop: proof } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The access token of a successful token response ('' otherwise). */
export const tokenOf = (response: HttpResult): string => (typeof response.body.access_token === 'string' ? response.body.access_token : '');

/** What an issued JWT access token says (not verified: for display). */
export function tokenSummary(token: string): string {
  if (token === '') return '(no token)';
  const claims = decodeJwt(token);
  const record = claims[DEFERRED_BINDING_CLAIM] as { root?: { kind?: string; iss?: string }; chain_sha256?: string; links?: number; format?: string } | undefined;
  return [
    `sub=${String(claims.sub)} scope=${String(claims.scope)} cnf=${describeConfirmation(claims.cnf as Confirmation)}`,
    `act=${JSON.stringify(claims.act)}`,
    `deferred binding: root ${record?.root?.kind} ${record?.root?.iss}, ${record?.links} ${record?.format} link(s), chain sha256 ${record?.chain_sha256?.slice(0, 12)}…`,
  ].join('\n      ');
}

/** The library's code in an error response's description (`<code>: <message>`, SPEC-NOTES §8.6). */
export function errorCode(response: HttpResult): string | undefined {
  const description = response.body.error_description;
  return typeof description === 'string' ? /^([a-z0-9_]+):/.exec(description)?.[1] : undefined;
}

/** Prints the steps of a story and keeps their outcomes. */
export class Story {
  readonly steps: PatternStep[] = [];
  readonly #log: (line: string) => void;

  constructor(options: PatternRunOptions) {
    this.#log = options.log ?? ((line: string) => console.log(line));
  }

  say(line = ''): void {
    this.#log(line);
  }

  check(step: string, ok: boolean, detail = ''): boolean {
    this.steps.push({ step, ok });
    this.#log(`  ${ok ? '✔' : '✘ UNEXPECTED:'} ${step}${detail ? `\n      ${detail}` : ''}`);
    return ok;
  }

  /** The token endpoint issued a token. */
  issued(step: string, response: HttpResult, detail = ''): boolean {
    return this.check(step, response.status === 200, response.status === 200 ? detail : `HTTP ${response.status} ${JSON.stringify(response.body)}`);
  }

  /** The token endpoint refused with this OAuth error and library code. */
  refused(step: string, response: HttpResult, error: string, code: string): boolean {
    const ok = response.status >= 400 && response.body.error === error && errorCode(response) === code;
    return this.check(step, ok, `HTTP ${response.status} ${String(response.body.error)} (${errorCode(response) ?? 'no code'})`);
  }

  /** The resource server served the request. */
  served(step: string, response: HttpResult): boolean {
    return this.check(step, response.status === 200, `HTTP ${response.status} sub=${String(response.body.sub)} act=${JSON.stringify(response.body.act)} scope=${String(response.body.scope)}`);
  }

  /** The resource server refused with this OAuth error (401). */
  denied(step: string, response: HttpResult, error: string): boolean {
    return this.check(step, response.status === 401 && response.body.error === error, `HTTP ${response.status} ${String(response.body.error)}`);
  }
}

/** The chain as a tree, root first: who authorised whom, with what scope, until when. Not a verification. */
export function chainTree(chain: Chain, indent = '    '): string {
  const lines: string[] = [];
  decodeChain(chain, { codecs: [coseCodec] }).forEach((link, index) => {
    const claims = link.claims as Record<string, unknown> & { iss: string; sub: string; scope: string; depth: number; exp: number; may_act: { sub: string }; tmb: Confirmation };
    const pad = `${indent}${'   '.repeat(index)}`;
    const signedBy = link.header.x5c !== undefined ? ` (x5c, ${link.header.x5c.length} certificate${link.header.x5c.length === 1 ? '' : 's'})` : '';
    if (index === 0) lines.push(`${pad}link 0  iss ${claims.iss}${signedBy}  sub ${claims.sub}  tmb ${describeConfirmation(claims.tmb)}`);
    else lines.push(`${pad}└─ link ${index}  iss ${claims.iss}${signedBy}`);
    lines.push(`${pad}   may_act ${claims.may_act.sub}  scope "${claims.scope}"  depth ${claims.depth}  exp +${claims.exp - Math.floor(Date.now() / 1000)}s  (${link.bytes.length} bytes, ${chain.format})`);
  });
  return lines.join('\n');
}

function describeConfirmation(cnf: Confirmation): string {
  if ('jkt' in cnf) return `{jkt ${cnf.jkt.slice(0, 10)}…}`;
  if ('jwk' in cnf) return `{jwk ${cnf.jwk.kty}/${cnf.jwk.crv ?? ''}}`;
  return `{x5t#S256 ${cnf['x5t#S256'].slice(0, 10)}…}`;
}
