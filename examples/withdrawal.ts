/**
 * The withdrawal step of `tproof demo --as` (SPEC-NOTES.md §3.5, §6.2 step 17a): A publishes a
 * Token Status List on a loopback server and the AS is configured to read it; A withdraws B's link
 * by setting its status entry, and separately a link is revoked by its hash in the AS's revocation
 * store. Each time the AS refuses B's next request with link_revoked.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { linkHash, startChain, type Chain, type LinkStatus, type PrivateJwk, type PublicJwk } from '../lib/index.js';
import { MemoryRevocationStore } from '../lib/status/index.js';
import { createStatusListToken, emptyStatusList, writeStatus } from '../lib/status/index.js';
import { MemoryReplayStore } from '../lib/as/index.js';
import { startAuthorizationServer } from './authorization-server.js';
import { requestBoundToken } from './parties.js';

interface Keys {
  privateJwk: PrivateJwk;
  publicJwk: PublicJwk;
}

export interface WithdrawalStoryInput {
  log: (line: string) => void;
  record: (step: string, ok: boolean, detail: string) => void;
  authority: string;
  resource: string;
  A: Keys;
  B: Keys;
  C: Keys;
}

export async function withdrawalStory({ log, record, authority, resource, A, B, C }: WithdrawalStoryInput): Promise<void> {
  const list = emptyStatusList(128, 1);
  let served = '';
  const statusServer = createServer((_request, response) => void response.writeHead(200, { 'content-type': 'application/statuslist+jwt' }).end(served));
  await new Promise<void>((resolve) => statusServer.listen(0, '127.0.0.1', resolve));
  const listUri = `http://127.0.0.1:${(statusServer.address() as AddressInfo).port}/lists/1`;
  const publish = async (): Promise<void> => {
    const now = Math.floor(Date.now() / 1000);
    served = await createStatusListToken({ uri: listUri, bits: 1, list, iat: now, exp: now + 600, ttl: 60 }, { privateKey: A.privateJwk, alg: 'EdDSA' }, 'jwt');
  };
  await publish();
  const revocationStore = new MemoryRevocationStore();
  const as = await startAuthorizationServer({
    trust: {
      roots: [{ type: 'issuer', iss: authority, jwks: { keys: [A.publicJwk] } }],
      // maxCacheSeconds 0: the demo shows a withdrawal at once; a deployment caches up to the list's ttl.
      status: { issuers: [{ uriPrefixes: [listUri.replace(/1$/, '')], jwks: { keys: [A.publicJwk] } }], maxCacheSeconds: 0 },
    },
    verifierOptions: { revocationStore },
    replayStore: new MemoryReplayStore(),
    requireRequesterKey: false,
    resource,
    resourceScope: 'read write',
    clients: [{ client_id: 'client-b', client_secret: 'b-secret-for-the-demo' }],
  });
  const credsB = { clientId: 'client-b', clientSecret: 'b-secret-for-the-demo' };
  const link = (status?: LinkStatus): Promise<Chain> =>
    startChain(
      { iss: authority, sub: 'alice', aud: as.issuer, scope: 'read', tmb: { jwk: C.publicJwk }, delegate: { sub: 'client-b', cnf: { jwk: B.publicJwk } }, ...(status === undefined ? {} : { status }) },
      { privateKey: A.privateJwk, alg: 'EdDSA' },
    );
  const refusedAsRevoked = (response: { status: number; body: Record<string, unknown> }): boolean =>
    response.status === 400 && response.body.error === 'invalid_grant' && String(response.body.error_description).startsWith('link_revoked');
  try {
    log(`\n8. A withdraws B's authority: a Token Status List at ${listUri}, and a revocation by link hash`);
    const entry: LinkStatus = { status_list: { idx: 3, uri: listUri } };
    const first = await requestBoundToken(as.tokenEndpoint, credsB, { chain: await link(entry) });
    record('a link with status entry 3 (VALID) is honoured', first.status === 200, `HTTP ${first.status}`);
    writeStatus(list, 1, 3, 1);
    await publish();
    const withdrawn = await requestBoundToken(as.tokenEndpoint, credsB, { chain: await link(entry) });
    record('after A sets entry 3 to INVALID, B\'s next link with that entry is refused', refusedAsRevoked(withdrawn), `HTTP ${withdrawn.status} ${JSON.stringify(withdrawn.body)}`);
    const plain = await link();
    await revocationStore.revoke(await linkHash(plain.links[0] as Uint8Array), Math.floor(Date.now() / 1000) + 600);
    const byHash = await requestBoundToken(as.tokenEndpoint, credsB, { chain: plain });
    record('a link revoked by its hash (tproof revoke) is refused', refusedAsRevoked(byHash), `HTTP ${byHash.status} ${JSON.stringify(byHash.body)}`);
  } finally {
    await as.close();
    await new Promise<void>((resolve) => statusServer.close(() => resolve()));
  }
}
