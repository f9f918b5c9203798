/**
 * `tproof demo --as`: the deferred-binding story end to end on loopback, step by step — a real
 * oidc-provider authorization server, a requester B, a key holder C and a DPoP resource server.
 */
import { decodeJwt } from 'jose';
import { appendLink, decodeChain, delegate, generateKeyPair, jwkThumbprint, serializeChain, startChain, type Chain, type LinkClaims, type PrivateJwk, type PublicJwk } from '../lib/index.js';
import { MemoryReplayStore } from '../lib/as/index.js';
import { startAuthorizationServer } from './authorization-server.js';
import { callResource, requestBoundToken, type TokenResponse } from './parties.js';
import { startResourceServer } from './resource-server.js';
import { isEntryPoint } from './standalone.js';
import { withdrawalStory } from './withdrawal.js';

export interface AsDemoOptions {
  /** Where the story is told. Default: console.log. */
  log?: (line: string) => void;
}

export interface AsDemoStep {
  step: string;
  /** Whether the outcome was the expected one. */
  ok: boolean;
}

export const DEMO_AUTHORITY = 'https://authority.example';
export const DEMO_RESOURCE = 'https://resource.example/api';

interface Keys {
  privateJwk: PrivateJwk;
  publicJwk: PublicJwk;
}

export async function runAsDemo(options: AsDemoOptions = {}): Promise<AsDemoStep[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const steps: AsDemoStep[] = [];
  const record = (step: string, ok: boolean, detail: string): void => {
    steps.push({ step, ok });
    log(`${ok ? '✔' : '✘'} ${step}${detail ? `\n    ${detail}` : ''}`);
  };

  const [A, B, B2, C] = (await Promise.all(['EdDSA', 'ES256', 'ES256', 'ES256'].map((alg) => generateKeyPair(alg as 'EdDSA' | 'ES256')))) as [Keys, Keys, Keys, Keys];
  const jktC = await jwkThumbprint(C.publicJwk);
  const jktB = await jwkThumbprint(B.publicJwk);
  log(`Keys: authority A (EdDSA), requester B (ES256, jkt ${jktB.slice(0, 12)}…), key holder C (ES256, jkt ${jktC.slice(0, 12)}…)`);

  const as = await startAuthorizationServer({
    trust: { roots: [{ type: 'issuer', iss: DEMO_AUTHORITY, jwks: { keys: [A.publicJwk] } }] },
    replayStore: new MemoryReplayStore(),
    // The demo's clients authenticate with secrets: opting out of key-bound requesters is explicit.
    requireRequesterKey: false,
    resource: DEMO_RESOURCE,
    resourceScope: 'read write',
    clients: [
      { client_id: 'client-b', client_secret: 'b-secret-for-the-demo' },
      { client_id: 'client-b2', client_secret: 'b2-secret-for-the-demo' },
    ],
  });
  const rs = await startResourceServer({ issuer: as.issuer, jwksUri: as.jwksUri, audience: DEMO_RESOURCE });
  log(`Authorization server (oidc-provider) at ${as.issuer}; resource server at ${rs.url}`);
  const credsB = { clientId: 'client-b', clientSecret: 'b-secret-for-the-demo' };
  const credsB2 = { clientId: 'client-b2', clientSecret: 'b2-secret-for-the-demo' };
  const describe = (response: TokenResponse): string => JSON.stringify(response.body);

  try {
    const root = (scope = 'read write', times: { iat?: number; exp?: number } = {}): Promise<Chain> =>
      startChain(
        { iss: DEMO_AUTHORITY, sub: 'alice', aud: as.issuer, scope, tmb: { jwk: C.publicJwk }, delegate: { sub: 'client-b', cnf: { jwk: B.publicJwk } }, depth: 1, ...times },
        { privateKey: A.privateJwk, alg: 'EdDSA' },
      );

    const chain = await root();
    log(`\n1. A signs a link: client-b may request tokens for "alice" bound to C's key (scope "read write", depth 1)`);
    log(`   chain: ${serializeChain(chain).slice(0, 60)}…`);

    log(`\n2. B requests a token (grant ${'urn:transitive-proof:grant-type:deferred-binding'}), sending a DPoP proof of its OWN key`);
    const issued = await requestBoundToken(as.tokenEndpoint, credsB, { chain, scope: 'read' }, { privateKey: B.privateJwk, alg: 'ES256' });
    const token = typeof issued.body.access_token === 'string' ? issued.body.access_token : '';
    const claims = token ? decodeJwt(token) : {};
    const cnf = claims.cnf as { jwk?: PublicJwk } | undefined;
    const boundTo = cnf?.jwk === undefined ? undefined : await jwkThumbprint(cnf.jwk);
    record('AS issues a token bound to C (not to the DPoP key B sent)', issued.status === 200 && boundTo === jktC,
      `HTTP ${issued.status} token_type=${String(issued.body.token_type)} cnf.jwk (jkt ${boundTo?.slice(0, 12)}…) sub=${String(claims.sub)} act=${JSON.stringify(claims.act)} scope=${String(claims.scope)}`);

    log(`\n3. C presents the token to the resource server with a DPoP proof of its key`);
    const byC = await callResource(`${rs.url}/data`, token, { privateKey: C.privateJwk, alg: 'ES256' });
    record('C is served', byC.status === 200, `HTTP ${byC.status} ${describe(byC)}`);

    log(`\n4. B, who obtained the token but does not hold C's key, tries to use it`);
    const byB = await callResource(`${rs.url}/data`, token, { privateKey: B.privateJwk, alg: 'ES256' });
    record('B is refused with its own DPoP key', byB.status === 401, `HTTP ${byB.status} ${describe(byB)}`);
    const asBearer = await callResource(`${rs.url}/data`, token, { privateKey: B.privateJwk, alg: 'ES256' }, 'Bearer');
    record('B is refused presenting it as a Bearer token', asBearer.status === 401, `HTTP ${asBearer.status} ${describe(asBearer)}`);

    log(`\n5. B sends the same chain again`);
    const replay = await requestBoundToken(as.tokenEndpoint, credsB, { chain });
    record('the replay is refused', replay.status === 400 && replay.body.error === 'invalid_grant', `HTTP ${replay.status} ${describe(replay)}`);

    log(`\n6. B delegates (attenuated to "read") to B2; B2 uses RFC 8693 token exchange with the chain as subject_token`);
    const toB2 = await delegate(await root(), { delegate: { sub: 'client-b2', cnf: { jwk: B2.publicJwk } }, scope: 'read' }, { privateKey: B.privateJwk, alg: 'ES256' });
    const exchanged = await requestBoundToken(as.tokenEndpoint, credsB2, { chain: toB2, profile: 'token_exchange' });
    const exchangedClaims = typeof exchanged.body.access_token === 'string' ? decodeJwt(exchanged.body.access_token) : {};
    const exchangedCnf = (exchangedClaims.cnf as { jwk?: PublicJwk } | undefined)?.jwk;
    record('B2 gets a token bound to C, acting for B', exchanged.status === 200 && exchangedCnf !== undefined && (await jwkThumbprint(exchangedCnf)) === jktC,
      `HTTP ${exchanged.status} issued_token_type=${String(exchanged.body.issued_token_type)} act=${JSON.stringify(exchangedClaims.act)}`);

    log(`\n7. Chains the AS must refuse`);
    const now = Math.floor(Date.now() / 1000);
    const expired = await requestBoundToken(as.tokenEndpoint, credsB, { chain: await root('read write', { iat: now - 900, exp: now - 600 }) });
    record('an expired chain', expired.status === 400 && expired.body.error === 'invalid_grant', `HTTP ${expired.status} ${describe(expired)}`);
    // delegate() refuses to widen scope, so B mints the offending link with appendLink directly.
    const narrow = await root('read');
    const parent = decodeChain(narrow)[0]?.claims as unknown as LinkClaims;
    const widened = await appendLink(narrow, {
      iss: 'client-b', sub: parent.sub, aud: parent.aud, scope: 'read write', tmb: parent.tmb,
      delegate: { sub: 'client-b2', cnf: { jwk: B2.publicJwk } }, iat: parent.iat, exp: parent.exp,
    }, { privateKey: B.privateJwk, alg: 'ES256' });
    const widenedResponse = await requestBoundToken(as.tokenEndpoint, credsB2, { chain: widened });
    record('a link that widens scope', widenedResponse.status === 400 && widenedResponse.body.error === 'invalid_grant', `HTTP ${widenedResponse.status} ${describe(widenedResponse)}`);
    const other = await delegate(await root(), { delegate: { sub: 'client-b2', cnf: { jwk: B2.publicJwk } } }, { privateKey: B.privateJwk, alg: 'ES256' });
    const spliced: Chain = { format: 'jwt', links: [(await root()).links[0] as Uint8Array, other.links[1] as Uint8Array] };
    const splicedResponse = await requestBoundToken(as.tokenEndpoint, credsB2, { chain: spliced });
    record('a spliced chain (link 1 taken from another chain)', splicedResponse.status === 400 && splicedResponse.body.error === 'invalid_grant', `HTTP ${splicedResponse.status} ${describe(splicedResponse)}`);
  } finally {
    await rs.close();
    await as.close();
  }
  await withdrawalStory({ log, record, authority: DEMO_AUTHORITY, resource: DEMO_RESOURCE, A, B, C });
  const failed = steps.filter((step) => !step.ok).length;
  log(failed === 0 ? `\nDemo complete: all ${steps.length} steps behaved as described.` : `\nDemo FAILED: ${failed} of ${steps.length} steps did not behave as described.`);
  return steps;
}

// `node dist/examples/demo.js`: the story of `tproof demo --as`; exit status 1 when a step misbehaved.
if (isEntryPoint(import.meta.url)) {
  runAsDemo().then((steps) => { process.exitCode = steps.every((step) => step.ok) ? 0 : 1; }, (error: unknown) => { console.error(error); process.exitCode = 1; });
}
