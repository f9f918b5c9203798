/**
 * Project Wycheproof (C2SP, ../shared/conformance/wycheproof; $TPROOF_CONFORMANCE_DIR overrides the
 * conformance directory, as for x509-limbo) through the library's own signature path on both
 * backends of the runtime seam: the algorithm table says which operation a link algorithm is and
 * whether a key fits it (signatureParamsFor, what the JOSE and COSE codecs call), the backend
 * imports the key and verifies (importPublicJwk, verify); JWKs go through the one key check
 * (assertPublicJwk, algorithmsForKey); the DER ECDSA and RSASSA-PKCS1-v1_5 files go through X.509
 * rule 4's certificate signature check (certificateSignatureProblem) with each backend. A verdict that differs from Wycheproof's must be listed in
 * wycheproof-baseline.json with its reason and SPEC-NOTES section; a new disagreement fails, and
 * an invalid signature or key accepted anywhere fails whatever the baseline says.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as nodeBackend from '../../lib/runtime/node.js';
import * as webBackend from '../../lib/runtime/webcrypto.js';
import { algorithmEntry, signatureParamsFor } from '../../lib/runtime/algorithms.js';
import type { RuntimeBackend, RuntimeKey } from '../../lib/runtime/types.js';
import { algorithmsForKey, assertPublicJwk } from '../../lib/keys/keys.js';
import type { PublicJwk } from '../../lib/index.js';
import { conformanceDir, repoRoot } from '../helpers/repo.js';
import { fromBase64url } from '../../lib/runtime/base64.js';
import { readStrictJson } from '../../lib/model/strict-json.js';
import { AsnConvert, SubjectPublicKeyInfo } from '../../lib/x509/asn1.js';
import { keyAlgorithm } from '../../lib/x509/algorithm-identifier.js';
import { certificatePublicKey } from '../../lib/x509/public-key.js';
import { certificateSignatureProblem } from '../../lib/x509/rules/04-signatures.js';
import { CERTIFICATE_SIGNATURE_FILES, LINK_SIGNATURE_FILES } from '../helpers/wycheproof.js';

const DIR = join(conformanceDir(), 'wycheproof', 'testvectors_v1');
const baseline = JSON.parse(readFileSync(join(repoRoot(), 'test', 'conformance', 'wycheproof-baseline.json'), 'utf8')) as { deviations: Record<string, { reason: string; spec: string }> };

interface Case { tcId: number; comment: string; msg?: string; sig?: string; jws?: string; result: 'valid' | 'invalid' | 'acceptable'; flags: string[] }
interface Group { publicKeyJwk?: PublicJwk; sha?: string; mgfSha?: string; sLen?: number; keySize?: number; public?: { keys: PublicJwk[] }; private?: { keys: PublicJwk[] }; tests: Case[] }

const hex = (text: string | undefined): Uint8Array => Uint8Array.from(Buffer.from(text ?? '', 'hex'));
const load = (file: string): Group[] => (JSON.parse(readFileSync(join(DIR, file), 'utf8')) as { testGroups: Group[] }).testGroups;
const backends: readonly RuntimeBackend[] = [nodeBackend, webBackend];

interface Tally { run: number; acceptedValid: number; refusedInvalid: number; deviations: Record<string, number> }

/** Compare one verdict with Wycheproof's; deviations must be in the baseline, invalid accepted never. */
function judge(file: string, test: Case, accepted: boolean, tally: Tally, problems: string[]): void {
  tally.run++;
  const id = `${file}#${test.tcId}`;
  const expected = test.result === 'valid';
  if (test.result === 'invalid' && accepted) problems.push(`${id}: an invalid case was ACCEPTED (${test.comment})`);
  if (test.result === 'acceptable' || accepted !== expected) {
    const known = baseline.deviations[id];
    if (known === undefined) problems.push(`${id}: ${accepted ? 'accepted' : 'refused'} a ${test.result} case (${test.comment} ${test.flags.join(',')}) not in the baseline`);
    else tally.deviations[known.reason] = (tally.deviations[known.reason] ?? 0) + 1;
    return;
  }
  if (accepted) tally.acceptedValid++;
  else tally.refusedInvalid++;
}

/** Import for `alg` and verify, the way the codecs do; any refusal is "not accepted". */
async function verifies(backend: RuntimeBackend, alg: string, jwk: PublicJwk, key: RuntimeKey | undefined, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
  const entry = algorithmEntry(alg);
  if (entry === undefined || key === undefined) return false;
  const params = signatureParamsFor(entry, key.info);
  if (params === undefined || !algorithmsForKey(jwk).includes(alg as never)) return false;
  return (await backend.verify(params, key, signature, data)) === true;
}

async function importFor(backend: RuntimeBackend, alg: string, jwk: PublicJwk): Promise<RuntimeKey | undefined> {
  try {
    assertPublicJwk(jwk);
    const { kid: _kid, alg: _alg, ...material } = jwk;
    return await backend.importPublicJwk(material, (algorithmEntry(alg) as NonNullable<ReturnType<typeof algorithmEntry>>).importParams);
  } catch {
    return undefined;
  }
}

const present = existsSync(DIR);
const skip = present ? false : `Wycheproof vectors not found at ${DIR} (set TPROOF_CONFORMANCE_DIR)`;
const report: Record<string, Tally> = {};

describe('Wycheproof', { skip }, () => {
  for (const backend of backends) {
    for (const [file, alg] of LINK_SIGNATURE_FILES) {
      test(`${file} as ${alg}, ${backend.name} backend`, async () => {
        const tally: Tally = { run: 0, acceptedValid: 0, refusedInvalid: 0, deviations: {} };
        const problems: string[] = [];
        for (const group of load(file)) {
          // A few groups give their key only as DER (special points): read on the test side.
          const jwk = group.publicKeyJwk ?? (jwkOfSpki(group) as PublicJwk);
          const key = await importFor(backend, alg, jwk);
          for (const c of group.tests) judge(file, c, await verifies(backend, alg, jwk, key, hex(c.msg), hex(c.sig)), tally, problems);
        }
        report[`${file} ${backend.name}`] = tally;
        assert.deepEqual(problems, []);
      });
    }

    for (const [file, algorithm] of CERTIFICATE_SIGNATURE_FILES) {
      test(`${file} through the certificate signature check (X.509 rule 4), ${backend.name} backend`, async () => {
        const tally: Tally = { run: 0, acceptedValid: 0, refusedInvalid: 0, deviations: {} };
        const problems: string[] = [];
        for (const group of load(file)) {
          const der = hex((group as { publicKeyDer?: string }).publicKeyDer);
          const spki = AsnConvert.parse(der, SubjectPublicKeyInfo);
          const issuerKey = certificatePublicKey(spki, new Uint8Array(der).buffer, keyAlgorithm(spki));
          for (const c of group.tests) {
            const problem = await certificateSignatureProblem(algorithm, issuerKey, hex(c.sig), hex(c.msg), backend);
            judge(file, c, problem === undefined, tally, problems);
          }
        }
        report[`${file} (certificate) ${backend.name}`] = tally;
        assert.deepEqual(problems, []);
      });
    }

    test(`rsa_pss_misc_test.json: PS256 refuses every other parameter set, ${backend.name} backend`, async () => {
      const tally: Tally = { run: 0, acceptedValid: 0, refusedInvalid: 0, deviations: {} };
      const problems: string[] = [];
      for (const group of load('rsa_pss_misc_test.json')) {
        const ps256 = group.sha === 'SHA-256' && group.mgfSha === 'SHA-256' && group.sLen === 32 && (group.keySize ?? 0) >= 2048;
        const jwk = jwkOfSpki(group);
        const key = jwk === undefined ? undefined : await importFor(backend, 'PS256', jwk);
        for (const c of group.tests) {
          const accepted = jwk !== undefined && (await verifies(backend, 'PS256', jwk, key, hex(c.msg), hex(c.sig)));
          if (ps256) judge('rsa_pss_misc_test.json', c, accepted, tally, problems);
          else {
            tally.run++;
            if (accepted) problems.push(`rsa_pss_misc_test.json#${c.tcId}: PS256 accepted a signature made with ${group.sha}/MGF1-${group.mgfSha}/salt ${group.sLen}`);
            else tally.refusedInvalid++;
          }
        }
      }
      report[`rsa_pss_misc_test.json ${backend.name}`] = tally;
      assert.deepEqual(problems, []);
    });

    test(`json_web_key_test.json through the key check and the JWS signature path, ${backend.name} backend`, async () => {
      const tally: Tally = { run: 0, acceptedValid: 0, refusedInvalid: 0, deviations: {} };
      const problems: string[] = [];
      for (const group of load('json_web_key_test.json')) {
        const keys = group.public?.keys ?? group.private?.keys ?? [];
        for (const c of group.tests) {
          const [h, p, s] = String(c.jws).split('.');
          const header = JSON.parse(Buffer.from(String(h), 'base64url').toString('utf8')) as { alg?: string; kid?: string };
          let accepted = false;
          for (const jwk of keys.filter((k) => header.kid === undefined || k.kid === header.kid)) {
            const key = await importFor(backend, String(header.alg), jwk);
            if (await verifies(backend, String(header.alg), jwk, key, new TextEncoder().encode(`${h}.${p}`), Uint8Array.from(Buffer.from(String(s), 'base64url')))) accepted = true;
          }
          judge('json_web_key_test.json', c, accepted, tally, problems);
        }
      }
      report[`json_web_key_test.json ${backend.name}`] = tally;
      assert.deepEqual(problems, []);
    });
  }

  for (const backend of backends) {
    test(`json_web_crypto_test.json ES256 JWS (jws_ec), ${backend.name} backend`, async () => {
      const tally: Tally = { run: 0, acceptedValid: 0, refusedInvalid: 0, deviations: {} };
      const problems: string[] = [];
      for (const group of load('json_web_crypto_test.json') as (Group & { comment: string; public?: PublicJwk })[]) {
        if (group.comment !== 'jws_ec') continue;
        const jwk = group.public as PublicJwk;
        const key = await importFor(backend, 'ES256', jwk);
        for (const c of group.tests) judge('json_web_crypto_test.json', c, await acceptsJws(backend, String(c.jws), jwk, key), tally, problems);
      }
      report[`json_web_crypto_test.json (jws_ec) ${backend.name}`] = tally;
      assert.deepEqual(problems, []);
    });
  }

  test('counts per file and backend (printed for the record)', () => {
    process.stdout.write(`# wycheproof ${JSON.stringify(report)}\n`);
    assert.ok(Object.keys(report).length > 0);
  });
});

/** The public JWK of a group that gives only DER: read by node:crypto, on the test side. */
function jwkOfSpki(group: Group): PublicJwk | undefined {
  const der = (group as { publicKeyDer?: string }).publicKeyDer;
  return der === undefined ? undefined : (createPublicKey({ key: Buffer.from(der, 'hex'), format: 'der', type: 'spki' }).export({ format: 'jwk' }) as PublicJwk);
}

/**
 * A JWS compact serialization under the link reader's rules that apply to any JWS (SPEC-NOTES.md
 * §6.2 steps 3, 4.2, 4.3; a link's own typ and claims rules aside, as these payloads are not
 * links): three non-empty segments, each canonical base64url (the one rule, lib/runtime/base64.ts),
 * a strict-JSON object header (§4.1) with no key parameters and no crit, an alg the key can do.
 */
async function acceptsJws(backend: RuntimeBackend, jws: string, jwk: PublicJwk, key: RuntimeKey | undefined): Promise<boolean> {
  const parts = jws.split('.');
  if (parts.length !== 3 || parts.some((part) => part.length === 0 || fromBase64url(part) === undefined)) return false;
  const [h, p, s] = parts as [string, string, string];
  let header: unknown;
  try {
    header = readStrictJson(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64url(h)), { maxDepth: 8 }).value;
  } catch {
    return false;
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) return false;
  const members = header as Record<string, unknown>;
  if (['jwk', 'jku', 'x5u', 'x5c', 'crit'].some((name) => name in members) || typeof members.alg !== 'string') return false;
  return verifies(backend, members.alg, jwk, key, new TextEncoder().encode(`${h}.${p}`), fromBase64url(s) as Uint8Array);
}
