/**
 * Red team of the waits a token request makes on fetched material (SPEC-NOTES §5.1, §8.5 "Every
 * wait is bounded"): a remote key set or a status list server that answers its headers at once and
 * then trickles its body, a byte at a time, forever. The real `fetch` over a real socket: the bound
 * must cut the body, not only the wait for the headers (the unit tests' fetch never answers at all).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair } from '../../lib/index.js';
import { DEFAULT_LIMITS } from '../../lib/model/limits.js';
import { RemoteKeySet, StatusListFetcher, compileStatusConfig } from '../../lib/status/index.js';
import { TransitiveProofError } from '../../lib/errors.js';

let server: Server;
let base: string;

before(async () => {
  server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': request.url?.startsWith('/lists/') === true ? 'application/statuslist+jwt' : 'application/json' });
    response.write(request.url?.startsWith('/lists/') === true ? 'eyJ' : '{"keys":[');
    const trickle = setInterval(() => response.write(' '), 50);
    response.on('close', () => clearInterval(trickle));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

function code(expected: string): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof TransitiveProofError, String(error));
    assert.equal(error.code, expected);
    return true;
  };
}

// A hang guard, not a timed assertion: without the bound these requests would never end.
describe('a server that sends its headers and then trickles its body', { timeout: 30_000 }, () => {
  test('a remote key set is cut at timeoutMs: jwks_unavailable', async () => {
    const keys = new RemoteKeySet(`${base}/jwks`, { timeoutMs: 200 });
    await assert.rejects(keys.keys({ alg: 'ES256', kid: 'k' }), code('jwks_unavailable'));
  });

  test('a status list is cut at timeoutMs: status_unavailable', async () => {
    const { publicJwk } = await generateKeyPair('ES256');
    const config = compileStatusConfig({ issuers: [{ uriPrefixes: [`${base}/lists/`], jwks: { keys: [publicJwk] } }], timeoutMs: 200 }, new Set(['ES256']));
    const fetcher = new StatusListFetcher(config, DEFAULT_LIMITS);
    await assert.rejects(fetcher.list(`${base}/lists/1`, Math.floor(Date.now() / 1000), 30), code('status_unavailable'));
  });
});

// An injected fetch that ignores its signal (the headers never come), or whose body never yields a
// byte and ignores cancellation: the bound is the library's timer, not the fetch's good manners.
describe('a fetch that ignores its abort signal', { timeout: 30_000 }, () => {
  const neverAnswers = (): Promise<Response> => new Promise<Response>(() => undefined);
  const bodyNeverYields = (): Promise<Response> => Promise.resolve(new Response(new ReadableStream<Uint8Array>({ pull: () => new Promise<void>(() => undefined) }), { status: 200 }));

  for (const [what, fetch] of [['headers never come', neverAnswers], ['body never yields', bodyNeverYields]] as const) {
    test(`a status list whose ${what} is status_unavailable at timeoutMs`, async () => {
      const { publicJwk } = await generateKeyPair('ES256');
      const config = compileStatusConfig({ issuers: [{ uriPrefixes: [`${base}/lists/`], jwks: { keys: [publicJwk] } }], timeoutMs: 100 }, new Set(['ES256']));
      const fetcher = new StatusListFetcher(config, DEFAULT_LIMITS, { fetch });
      await assert.rejects(fetcher.list(`${base}/lists/2`, Math.floor(Date.now() / 1000), 30), code('status_unavailable'));
    });

    test(`a remote key set whose ${what} is jwks_unavailable at timeoutMs`, async () => {
      const keys = new RemoteKeySet(`${base}/jwks-ignoring`, { timeoutMs: 100, fetch });
      await assert.rejects(keys.keys({ alg: 'ES256', kid: 'k' }), code('jwks_unavailable'));
    });
  }
});
