/**
 * The COSE WG examples (cose-wg/Examples) through the Sign1 decoder in the interop profile: for
 * every COSE_Sign1 case, the Sig_structure we build must equal ToBeSign_hex, pass cases must
 * verify and `"fail": true` cases must be rejected. Other message types are listed as skipped.
 * The examples are read in place (../shared/conformance by default), never copied into the repo.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { webcrypto } from 'node:crypto';
import { TransitiveProofError } from '../../lib/errors.js';
import { DEFAULT_LIMITS } from '../../lib/model/limits.js';
import type { CryptoKey } from '../../lib/model/types.js';
import { decodeSign1, sigStructure, verifySign1, type Sign1 } from '../../lib/codecs/cose/sign1.js';
import { decodeClaims } from '../../lib/codecs/cose/claims.js';
import { hex, toHex } from './support.js';
import { conformanceDir } from '../helpers/repo.js';

const FOLDERS = ['sign1-tests', 'ecdsa-examples', 'eddsa-examples', 'rsa-pss-examples', 'CWT', 'RFC8152', 'x509-examples'];


const examplesDir = join(conformanceDir(), 'cose-wg-examples');

interface ExampleKey {
  kty: string;
  crv?: string;
  [member: string]: unknown;
}

interface Sign0Input {
  key: ExampleKey;
  alg: string;
  external?: string;
}

interface Example {
  title: string;
  fail?: boolean;
  input: { sign0?: Sign0Input; plaintext?: string; plaintext_hex?: string; [kind: string]: unknown };
  intermediates?: { ToBeSign_hex?: string };
  output: { cbor: string };
}

interface Case {
  file: string;
  example: Example;
  skip: string | undefined;
}

function skipReason(example: Example): string | undefined {
  const { input } = example;
  if (input.sign0 !== undefined) return undefined;
  if (input.sign !== undefined) return 'COSE_Sign (tag 98, signers array): not a COSE_Sign1';
  if (input.mac0 !== undefined) return 'COSE_Mac0 (tag 17): MAC, not a signature';
  if (input.mac !== undefined) return 'COSE_Mac (tag 97): MAC, not a signature';
  if (input.encrypted !== undefined) return 'COSE_Encrypt0 (tag 16): encryption, not a signature';
  if (input.enveloped !== undefined) return 'COSE_Encrypt (tag 96): encryption, not a signature';
  return 'no COSE_Sign1 input';
}

function loadCases(): Case[] {
  const cases: Case[] = [];
  for (const folder of FOLDERS) {
    const dir = join(examplesDir, folder);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((entry) => entry.endsWith('.json')).sort()) {
      const file = join(dir, name);
      const example = JSON.parse(readFileSync(file, 'utf8')) as Example;
      cases.push({ file: relative(examplesDir, file), example, skip: skipReason(example) });
    }
  }
  return cases;
}

/** The examples' keys carry members as base64url or as `<member>_hex`. */
function member(key: ExampleKey, name: string): string | undefined {
  const b64 = key[name];
  if (typeof b64 === 'string') return b64;
  const asHex = key[`${name}_hex`];
  return typeof asHex === 'string' ? Buffer.from(asHex, 'hex').toString('base64url') : undefined;
}

async function importPublicKey(key: ExampleKey, alg: string): Promise<CryptoKey> {
  const subtle = globalThis.crypto.subtle;
  if (key.kty === 'EC' || key.kty === 'EC2') {
    const jwk = { kty: 'EC', crv: key.crv, x: member(key, 'x'), y: member(key, 'y') };
    return subtle.importKey('jwk', jwk as webcrypto.JsonWebKey, { name: 'ECDSA', namedCurve: key.crv as string }, false, ['verify']);
  }
  if (key.kty === 'OKP') {
    const jwk = { kty: 'OKP', crv: key.crv, x: member(key, 'x') };
    return subtle.importKey('jwk', jwk as webcrypto.JsonWebKey, { name: key.crv as string }, false, ['verify']);
  }
  if (key.kty === 'RSA') {
    const hash = { PS256: 'SHA-256', 'RSA-PSS-256': 'SHA-256' }[alg] ?? 'unsupported';
    const jwk = { kty: 'RSA', n: member(key, 'n'), e: member(key, 'e') };
    return subtle.importKey('jwk', jwk as webcrypto.JsonWebKey, { name: 'RSA-PSS', hash }, false, ['verify']);
  }
  throw new Error(`key type ${key.kty} not handled by the runner`);
}

/** RFC 8392 Appendix A.1 claims, as the model names them (cti h'0b71' is the UTF-8 text "\x0bq"). */
const RFC8392_A1_CLAIMS = {
  iss: 'coap://as.example.com',
  sub: 'erikw',
  aud: 'coap://light.example.com',
  exp: 1444064944,
  nbf: 1443944944,
  iat: 1443944944,
  jti: '\u000bq',
};

test('COSE WG examples (COSE_Sign1, interop profile)', async (t) => {
  if (!existsSync(examplesDir)) {
    t.skip(`conformance examples not found at ${examplesDir} (set TPROOF_CONFORMANCE_DIR)`);
    return;
  }
  const cases = loadCases();
  assert.ok(cases.length > 0, `no examples under ${examplesDir}`);
  let passed = 0;
  let applicable = 0;
  const skipped: string[] = [];

  for (const { file, example, skip } of cases) {
    if (skip !== undefined) {
      skipped.push(`${file}: ${skip}`);
      await t.test(`${file} — ${example.title}`, { skip }, () => {});
      continue;
    }
    applicable++;
    await t.test(`${file} — ${example.title}${example.fail ? ' (must fail)' : ''}`, async () => {
      const sign0 = example.input.sign0 as Sign0Input;
      const key = await importPublicKey(sign0.key, sign0.alg);
      const externalAad = sign0.external === undefined ? new Uint8Array() : hex(sign0.external);
      let message: Sign1 | undefined;
      try {
        message = decodeSign1(hex(example.output.cbor), 'interop', DEFAULT_LIMITS);
      } catch (error) {
        if (!example.fail) throw error;
        assert.ok(error instanceof TransitiveProofError, `rejected with a foreign error: ${String(error)}`);
        t.diagnostic(`${file}: rejected at decoding (${error.code})`);
        passed++;
        return;
      }
      const toBeSigned = sigStructure(message, externalAad);
      const verified = await verifySign1(message, key, { profile: 'interop', externalAad });
      if (example.fail) {
        assert.equal(verified, false, 'a fail case verified');
        t.diagnostic(`${file}: rejected at signature verification`);
        passed++;
        return;
      }
      assert.equal(toHex(toBeSigned), (example.intermediates?.ToBeSign_hex ?? '').toLowerCase(), 'Sig_structure differs from ToBeSign_hex');
      assert.equal(verified, true, 'signature did not verify');
      if (file === join('CWT', 'A_3.json')) assert.deepEqual(decodeClaims(message.payload, DEFAULT_LIMITS), RFC8392_A1_CLAIMS);
      passed++;
    });
  }

  t.diagnostic(`COSE WG examples: ${passed} passed of ${applicable} applicable COSE_Sign1 cases; ${skipped.length} skipped`);
  for (const line of skipped) t.diagnostic(`skipped ${line}`);
  assert.equal(passed, applicable);
});
