/**
 * The Node backend against a browser's WebCrypto (headless Chromium, BoringSSL) on every Project
 * Wycheproof vector of a link algorithm (ES256, ES384 in IEEE P1363 form; EdDSA; PS256 at 2048, 3072
 * and 4096 bits) and of the certificate signatures of X.509 rule 4 (DER ECDSA, RSASSA-PKCS1-v1_5):
 * where the library's key check accepts the key, the signature verifies on Node exactly when it
 * verifies in Chromium. test/conformance/wycheproof.test.ts runs both backends in Node, where both
 * are OpenSSL; a verdict that differs only in a browser (the RSA signature one octet short, an RSA
 * exponent above 33 bits) is a chain that verifies on one runtime and not on another.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { constants, generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import * as nodeBackend from '../../lib/runtime/node.js';
import { algorithmEntry, certificateSignatureParams, signatureParamsFor } from '../../lib/runtime/algorithms.js';
import { algorithmsForKey, assertPublicJwk } from '../../lib/keys/keys.js';
import type { PublicJwk } from '../../lib/index.js';
import type { SignatureParams } from '../../lib/runtime/types.js';
import { AsnConvert, SubjectPublicKeyInfo } from '../../lib/x509/asn1.js';
import { keyAlgorithm } from '../../lib/x509/algorithm-identifier.js';
import { certificatePublicKey } from '../../lib/x509/public-key.js';
import { certificateSignatureProblem } from '../../lib/x509/rules/04-signatures.js';
import { ecdsaSignatureToP1363 } from '../../lib/x509/signature-value.js';
import { conformanceDir } from '../helpers/repo.js';
import { CERTIFICATE_SIGNATURE_FILES, LINK_SIGNATURE_FILES } from '../helpers/wycheproof.js';
import { launchBrowser } from '../helpers/browser.js';
import { onBlankPage, seeded } from './support.js';

const DIR = join(conformanceDir(), 'wycheproof', 'testvectors_v1');

interface Case { tcId: number; msg?: string; sig?: string; result: string }
interface Group { publicKeyJwk?: PublicJwk; publicKeyDer?: string; tests: Case[] }

/** One signature check as Chromium is asked it: the key, how it is imported, the operation, the bytes (base64). */
interface Job {
  readonly id: string;
  readonly format: 'jwk' | 'spki';
  readonly key: unknown;
  readonly importParams: Record<string, unknown>;
  readonly params: SignatureParams;
  readonly signature: string;
  readonly data: string;
  readonly node: boolean;
}

const load = (file: string): Group[] => (JSON.parse(readFileSync(join(DIR, file), 'utf8')) as { testGroups: Group[] }).testGroups;
const bytes = (text: string | undefined): Uint8Array => Uint8Array.from(Buffer.from(text ?? '', 'hex'));
const b64 = (value: Uint8Array): string => Buffer.from(value).toString('base64');

/** The link files' checks whose key the key check accepts, with the Node backend's verdict through the codecs' path. */
async function linkJobs(): Promise<Job[]> {
  const jobs: Job[] = [];
  for (const [file, alg] of LINK_SIGNATURE_FILES) {
    const entry = algorithmEntry(alg);
    assert.ok(entry !== undefined);
    for (const group of load(file)) {
      const jwk = group.publicKeyJwk;
      if (jwk === undefined) continue;
      try {
        assertPublicJwk(jwk);
      } catch {
        continue; // refused by the key check on every runtime
      }
      if (!algorithmsForKey(jwk).includes(alg as never)) continue;
      const { kid: _kid, alg: _alg, ...material } = jwk;
      const key = await nodeBackend.importPublicJwk(material, entry.importParams);
      const params = signatureParamsFor(entry, key.info);
      assert.ok(params !== undefined, `${file}: the operation for ${alg}`);
      for (const c of group.tests) {
        const signature = bytes(c.sig);
        const data = bytes(c.msg);
        jobs.push({ id: `${file}#${c.tcId}`, format: 'jwk', key: material, importParams: { ...entry.importParams }, params, signature: b64(signature), data: b64(data), node: nodeBackend.verify(params, key, signature, data) });
      }
    }
  }
  return jobs;
}

/** The certificate files' checks, with rule 4's verdict on the Node backend and what it hands the runtime (a DER ECDSA value as P1363). */
async function certificateJobs(): Promise<Job[]> {
  const jobs: Job[] = [];
  for (const [file, algorithm] of CERTIFICATE_SIGNATURE_FILES) {
    const params = certificateSignatureParams(algorithm.name, algorithm.hash.name, undefined);
    assert.ok(params !== undefined);
    for (const group of load(file)) {
      const der = bytes(group.publicKeyDer);
      const spki = AsnConvert.parse(der, SubjectPublicKeyInfo);
      const issuerKey = certificatePublicKey(spki, new Uint8Array(der).buffer, keyAlgorithm(spki));
      const described = issuerKey.algorithm as { namedCurve?: unknown };
      const importParams = params.name === 'ECDSA' ? { name: 'ECDSA', namedCurve: described.namedCurve } : { name: params.name, hash: (params as { hash: string }).hash };
      const coordinate = described.namedCurve === 'P-256' ? 32 : 48;
      for (const c of group.tests) {
        const signature = bytes(c.sig);
        const node = (await certificateSignatureProblem(algorithm, issuerKey, signature, bytes(c.msg), nodeBackend)) === undefined;
        // What rule 4 hands the runtime: ECDSA's DER value as r || s; a value that is not strict DER never reaches it.
        const value = params.name === 'ECDSA' ? ecdsaSignatureToP1363(signature, coordinate) : signature;
        if (value === undefined) {
          assert.equal(node, false, `${file}#${c.tcId}`);
          continue;
        }
        jobs.push({ id: `${file}#${c.tcId}`, format: 'spki', key: b64(issuerKey.spki), importParams, params, signature: b64(value), data: b64(bytes(c.msg)), node });
      }
    }
  }
  return jobs;
}

/** Chromium's verdict on each job (import, then verify; a refused import is "refuses"), in one page. */
async function chromiumVerdicts(t: import('node:test').TestContext, jobs: readonly Job[]): Promise<boolean[] | undefined> {
  const launched = await launchBrowser(t);
  if (launched === undefined) return undefined;
  await onBlankPage(launched, 'signatures', {}, async (page) => {
    return await page.evaluate(async (list) => {
      interface Subtle {
        importKey(format: string, key: unknown, algorithm: unknown, extractable: boolean, usages: string[]): Promise<unknown>;
        verify(algorithm: unknown, key: unknown, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
      }
      const subtle = (globalThis as unknown as { crypto: { subtle: Subtle } }).crypto.subtle;
      const decode = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
      const keys = new Map<string, Promise<unknown>>();
      const out: boolean[] = [];
      for (const job of list) {
        const cacheKey = JSON.stringify([job.format, job.key, job.importParams]);
        let key = keys.get(cacheKey);
        if (key === undefined) {
          const material = job.format === 'jwk' ? job.key : decode(job.key as string);
          key = subtle.importKey(job.format, material, job.importParams, true, ['verify']).then((k) => k, () => undefined);
          keys.set(cacheKey, key);
        }
        const imported = await key;
        out.push(imported === undefined ? false : await subtle.verify(job.params, imported, decode(job.signature), decode(job.data)).then((ok) => ok, () => false));
      }
      return out;
    }, jobs);
  });
}

function disagreements(jobs: readonly Job[], browser: readonly boolean[]): string[] {
  return jobs.map((job, i) => (browser[i] === job.node ? '' : `${job.id}: Node ${job.node ? 'verifies' : 'refuses'}, Chromium ${browser[i] === true ? 'verifies' : 'refuses'}`)).filter((line) => line !== '');
}

test('Wycheproof: where the key check accepts the key, Node and Chromium give the same verdict on every link and certificate signature', { skip: existsSync(DIR) ? false : `Wycheproof vectors not found at ${DIR}` }, async (t) => {
  const jobs = [...(await linkJobs()), ...(await certificateJobs())];
  assert.ok(jobs.length > 1500, `${jobs.length} checks`);
  const browser = await chromiumVerdicts(t, jobs);
  if (browser === undefined) return;
  assert.deepEqual(disagreements(jobs, browser), []);
});

const P256_N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
const P384_N = BigInt('0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973');
const ED25519_L = 2n ** 252n + 27742317777372353535851937790883648493n;
const toBytes = (value: bigint, length: number): Uint8Array => Uint8Array.from(Buffer.from(value.toString(16).padStart(2 * length, '0'), 'hex'));
const toBig = (value: Uint8Array): bigint => BigInt(`0x${Buffer.from(value).toString('hex') || '0'}`);
const littleEndian = (value: Uint8Array): Uint8Array => Uint8Array.from(value).reverse();

test('signatures of every link algorithm, mutated (bits, octets cut or added, leading zero dropped, scalars beyond the order, high S): Node and Chromium give the same verdict', async (t) => {
  const random = seeded(0x5167);
  const keys: [string, KeyObject, KeyObject][] = [
    ['EdDSA', ...pair(generateKeyPairSync('ed25519'))],
    ['ES256', ...pair(generateKeyPairSync('ec', { namedCurve: 'P-256' }))],
    ['ES384', ...pair(generateKeyPairSync('ec', { namedCurve: 'P-384' }))],
    ['PS256', ...pair(generateKeyPairSync('rsa', { modulusLength: 2048 }))],
  ];
  const jobs: Job[] = [];
  for (const [alg, privateKey, publicKey] of keys) {
    const entry = algorithmEntry(alg);
    assert.ok(entry !== undefined);
    const jwk = publicKey.export({ format: 'jwk' }) as unknown as PublicJwk;
    assertPublicJwk(jwk);
    const key = await nodeBackend.importPublicJwk(jwk, entry.importParams);
    const params = signatureParamsFor(entry, key.info) as SignatureParams;
    const signWith = (data: Uint8Array): Uint8Array => new Uint8Array(alg === 'EdDSA' ? nodeSign(null, data, privateKey)
      : alg === 'PS256' ? nodeSign('sha256', data, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
        : nodeSign(alg === 'ES256' ? 'sha256' : 'sha384', data, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
    const add = (name: string, signature: Uint8Array, data: Uint8Array): void => {
      jobs.push({ id: `${alg} ${name}`, format: 'jwk', key: jwk, importParams: { ...entry.importParams }, params, signature: b64(signature), data: b64(data), node: nodeBackend.verify(params, key, signature, data) });
    };
    for (let n = 0; n < 40; n++) {
      const data = Uint8Array.from({ length: 1 + random.int(300) }, () => random.int(256));
      const signature = signWith(data);
      add(`#${n} as signed`, signature, data);
      const flipped = Uint8Array.from(signature);
      const bit = random.int(8 * flipped.length);
      flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (1 << (bit & 7));
      add(`#${n} bit ${bit} flipped`, flipped, data);
      add(`#${n} first octet cut`, signature.subarray(1), data);
      add(`#${n} last octet cut`, signature.subarray(0, -1), data);
      add(`#${n} zero octet prepended`, Uint8Array.of(0, ...signature), data);
      add(`#${n} zero octet appended`, Uint8Array.of(...signature, 0), data);
      if (alg === 'ES256' || alg === 'ES384') {
        const size = signature.length / 2;
        const order = alg === 'ES256' ? P256_N : P384_N;
        const r = toBig(signature.subarray(0, size));
        const s = toBig(signature.subarray(size));
        add(`#${n} high S`, Uint8Array.of(...toBytes(r, size), ...toBytes(order - s, size)), data);
        add(`#${n} r = 0`, Uint8Array.of(...toBytes(0n, size), ...toBytes(s, size)), data);
        add(`#${n} s = 0`, Uint8Array.of(...toBytes(r, size), ...toBytes(0n, size)), data);
        if (r + order < 2n ** BigInt(8 * size)) add(`#${n} r + n`, Uint8Array.of(...toBytes(r + order, size), ...toBytes(s, size)), data);
        if (s + order < 2n ** BigInt(8 * size)) add(`#${n} s + n`, Uint8Array.of(...toBytes(r, size), ...toBytes(s + order, size)), data);
      }
      if (alg === 'EdDSA') {
        const S = toBig(littleEndian(signature.subarray(32)));
        add(`#${n} S + L`, Uint8Array.of(...signature.subarray(0, 32), ...littleEndian(toBytes(S + ED25519_L, 32))), data);
      }
    }
    if (alg === 'PS256') {
      // A signature whose first octet is zero (about one in 256), sent without it and as signed.
      const data = Uint8Array.of(1, 2, 3);
      for (let attempt = 0; attempt < 20_000; attempt++) {
        const signature = signWith(data);
        if (signature[0] !== 0) continue;
        add('leading zero octet dropped', signature.subarray(1), data);
        add('leading zero octet kept', signature, data);
        break;
      }
      assert.ok(jobs.some((job) => job.id === 'PS256 leading zero octet dropped'), 'a PS256 signature with a leading zero octet');
    }
  }
  const browser = await chromiumVerdicts(t, jobs);
  if (browser === undefined) return;
  assert.deepEqual(disagreements(jobs, browser), []);
  assert.ok(jobs.some((job) => job.node) && jobs.some((job) => !job.node));
});

function pair(keys: { privateKey: KeyObject; publicKey: KeyObject }): [KeyObject, KeyObject] {
  return [keys.privateKey, keys.publicKey];
}
