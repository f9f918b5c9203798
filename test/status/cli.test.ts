/**
 * `tproof status create|set|get`, `mint --status-uri/--status-idx` and `tproof revoke`: the files
 * the CLI writes are what the library's verifier reads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createVerifier, generateKeyPair, jwkThumbprint, linkHash, parseChain, type KeyAlgorithmName, type PublicJwk } from '../../lib/index.js';
import { MemoryRevocationStore } from '../../lib/status/index.js';
import { repoRoot } from '../helpers/repo.js';
import { rejectsWith } from '../helpers/fixtures.js';
import { ALL_PARTS } from '../helpers/parts.js';

const root = repoRoot();
const work = mkdtempSync(join(tmpdir(), 'tproof-status-'));
const compiled = fileURLToPath(import.meta.url).endsWith('.js');
const cliArgs = compiled ? [join(root, 'dist/cli/tproof.js')] : ['--import', import.meta.resolve('tsx'), join(root, 'cli/tproof.ts')];

function ok(args: string[]): string {
  const result = spawnSync(process.execPath, [...cliArgs, ...args], { cwd: work, encoding: 'utf8' });
  assert.equal(result.status, 0, `tproof ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** Key files as `tproof keygen` writes them (made in-process: each CLI start is slow on a busy machine). */
async function writeKeys(names: Record<string, KeyAlgorithmName>): Promise<void> {
  for (const [name, alg] of Object.entries(names)) writeFileSync(join(work, `${name}.jwk`), JSON.stringify((await generateKeyPair(alg)).privateJwk));
}

const publicJwk = (file: string): PublicJwk => {
  const { d: _d, ...pub } = JSON.parse(readFileSync(join(work, file), 'utf8')) as PublicJwk & { d: string };
  return pub;
};

for (const format of ['jwt', 'cbor'] as const) {
  test(`a link minted with a status entry is refused once tproof status set marks it (${format} list)`, async () => {
    const uri = `https://status.example/lists/${format}`;
    await writeKeys({ s: 'ES256', a: 'EdDSA', b: 'EdDSA', c: 'EdDSA' });
    ok(['status', 'create', '--key', 's.jwk', '--uri', uri, '--size', '64', '--bits', '2', '--format', format, '--out', `list.${format}`]);
    const chainText = ok(['mint', '--key', 'a.jwk', '--iss', 'https://a.example', '--sub', 'urn:c', '--aud', 'https://as.example', '--scope', 'read', '--tmb-key', 'c.jwk', '--delegate', 'client-b', '--delegate-key', 'b.jwk', '--status-uri', uri, '--status-idx', '9']).trim();
    let served = readFileSync(join(work, `list.${format}`));
    const verifier = await createVerifier(
      { roots: [{ type: 'issuer', iss: 'https://a.example', jwks: { keys: [publicJwk('a.jwk')] } }], status: { issuers: [{ uris: [uri], jwks: { keys: [publicJwk('s.jwk')] } }], maxCacheSeconds: 0 } },
      { ...ALL_PARTS, fetch: async () => new Response(new Uint8Array(served), { status: 200 }) },
    );
    // client-b authenticated with its key (key-bound requesters are the default).
    const context = { audience: 'https://as.example', requester: { id: 'client-b', jkt: await jwkThumbprint(publicJwk('b.jwk')) } };
    await verifier.verify(chainText, context);
    ok(['status', 'set', `list.${format}`, '--key', 's.jwk', '--idx', '9', '--status', 'suspended']);
    assert.equal(ok(['status', 'get', `list.${format}`, '--key', 's.jwk', '--idx', '9']).trim(), '2 suspended');
    served = readFileSync(join(work, `list.${format}`));
    await rejectsWith(verifier.verify(chainText, context), 'link_suspended', 0);
    ok(['status', 'set', `list.${format}`, '--key', 's.jwk', '--idx', '9', '--status', 'invalid']);
    served = readFileSync(join(work, `list.${format}`));
    await rejectsWith(verifier.verify(chainText, context), 'link_revoked', 0);
  });
}

test('tproof revoke prints the hash of the chosen link, the one a revocation store refuses', async () => {
  const chainFile = join(work, 'chain.txt');
  await writeKeys({ a: 'EdDSA', b: 'EdDSA', c: 'EdDSA' });
  writeFileSync(chainFile, ok(['mint', '--key', 'a.jwk', '--iss', 'https://a.example', '--sub', 'urn:c', '--aud', 'https://as.example', '--scope', 'read', '--tmb-key', 'c.jwk', '--delegate', 'client-b', '--delegate-key', 'b.jwk']));
  const printed = JSON.parse(ok(['revoke', 'chain.txt'])) as { linkHash: string; expiresAt: number; link: number };
  const chain = parseChain(readFileSync(chainFile, 'utf8').trim(), ALL_PARTS);
  assert.equal(printed.linkHash, await linkHash(chain.links[0] as Uint8Array));
  const store = new MemoryRevocationStore();
  await store.revoke(printed.linkHash, printed.expiresAt);
  const verifier = await createVerifier({ roots: [{ type: 'issuer', iss: 'https://a.example', jwks: { keys: [publicJwk('a.jwk')] } }] }, { ...ALL_PARTS, revocationStore: store });
  await rejectsWith(verifier.verify(chain, { audience: 'https://as.example', requester: { id: 'client-b', jkt: await jwkThumbprint(publicJwk('b.jwk')) } }), 'link_revoked', 0);
});
