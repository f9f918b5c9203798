/**
 * The runtime seam is sealed: outside lib/runtime/ no source file of the library touches
 * node:crypto, crypto.subtle, globalThis.crypto or Buffer (a mention in a comment is fine). The few
 * files still doing so are listed below, each with its reason; the list may only shrink: a new
 * use anywhere, or a listed file that no longer needs its entry, fails this test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../helpers/repo.js';

/** Files allowed to reach crypto outside the seam, and why (issue #23 left these). */
const EXEMPT: Readonly<Record<string, string>> = {
  'lib/integrations/oidc-provider/grant.ts': 'Node-only entry: oidc-provider hands the client certificate over as node:crypto X509Certificate (its DER is read; hashing uses #runtime)',
  'lib/x509/peculiar.ts': 'the WebCrypto provider @peculiar/x509 is given by the test-PKI issuance (lib/x509/issue); certificate keys are imported by the seam (importPublicSpki)',
  'lib/x509/issue.ts': 'test-PKI issuance (lib/x509/issue, generate/sign through the global WebCrypto)',
};

/** Uses, not mentions: these patterns are matched against the source with comments removed. */
const USES: readonly [string, RegExp][] = [
  ['node:crypto', /from\s+['"](?:node:)?crypto['"]|import\(\s*['"](?:node:)?crypto['"]\s*\)|require\(\s*['"](?:node:)?crypto['"]\s*\)/],
  ['crypto.subtle', /\bcrypto\s*\.\s*subtle\b|\.subtle\s*\./],
  ['globalThis.crypto', /globalThis\s*(?:as[^)]*\))?\s*\.\s*crypto\b|\{\s*crypto\s*:/],
  ['Buffer', /\bBuffer\s*[.(]/],
];

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts')).map((name) => join(dir, name));
}

test('outside lib/runtime/ nothing touches node:crypto, crypto.subtle, globalThis.crypto or Buffer (but the listed exemptions)', () => {
  const root = repoRoot();
  const found = new Map<string, string[]>();
  for (const file of sourceFiles(join(root, 'lib'))) {
    const name = relative(root, file).split('\\').join('/');
    if (name.startsWith('lib/runtime/')) continue;
    const code = withoutComments(readFileSync(file, 'utf8'));
    const uses = USES.filter(([, pattern]) => pattern.test(code)).map(([what]) => what);
    if (uses.length > 0) found.set(name, uses);
  }
  const unexpected = [...found].filter(([name]) => EXEMPT[name] === undefined).map(([name, uses]) => `${name}: ${uses.join(', ')}`);
  assert.deepEqual(unexpected, [], 'crypto outside the runtime seam');
  const stale = Object.keys(EXEMPT).filter((name) => !found.has(name));
  assert.deepEqual(stale, [], 'exempt files that no longer need it: remove them from EXEMPT');
});

test('the scan sees a use, not a mention', () => {
  const probe = (source: string) => USES.some(([, pattern]) => pattern.test(withoutComments(source)));
  assert.equal(probe("import { createHash } from 'node:crypto';"), true);
  assert.equal(probe('const d = await crypto.subtle.digest("SHA-256", x);'), true);
  assert.equal(probe('const s = (globalThis as unknown as { crypto: C }).crypto.subtle;'), true);
  assert.equal(probe('return Buffer.from(x);'), true);
  assert.equal(probe('// Buffer.from(x) and crypto.subtle are used only in lib/runtime'), false);
  assert.equal(probe('/** node:crypto with KeyObjects */ const a = 1;'), false);
});
