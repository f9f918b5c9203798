/**
 * A leaf certificate's subject public key as the verifier reads it (the SubjectPublicKeyInfo DER as
 * received, keyAlgorithm, certificatePublicKey, the runtime's importPublicSpki with the parameters
 * the path result uses, then the key check a leaf's key meets at step 6) against headless
 * Chromium's WebCrypto importKey('spki') of the same bytes: every key accepted on Node, Chromium
 * imports. Seeded mutations of RSA, P-256, P-384 and
 * Ed25519 keys: each byte flipped or replaced, INTEGERs padded, the point's form byte and length,
 * the BIT STRING's unused bits, the AlgorithmIdentifier's parameters. A key accepted on Node and
 * refused in a browser is a path that validates on one runtime only (x5c_malformed, rule 1, there).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as nodeBackend from '../../lib/runtime/node.js';
import { AsnConvert, SubjectPublicKeyInfo } from '../../lib/x509/asn1.js';
import { keyAlgorithm } from '../../lib/x509/algorithm-identifier.js';
import { certificatePublicKey, ownImportParams } from '../../lib/x509/public-key.js';
import type { SpkiImportParams } from '../../lib/runtime/types.js';
import { keyMaterialProblem } from '../../lib/keys/validate.js';
import { launchBrowser } from '../helpers/browser.js';
import { onBlankPage, seeded } from './support.js';

interface Candidate { readonly name: string; readonly der: Uint8Array }
interface Accepted { readonly name: string; readonly spki: string; readonly params: SpkiImportParams }

/** lib/x509's reading of an SPKI on Node: the import parameters and the bytes imported, or undefined when refused. */
async function libraryAccepts(der: Uint8Array): Promise<{ spki: Uint8Array; params: SpkiImportParams } | undefined> {
  let info: SubjectPublicKeyInfo;
  try {
    info = AsnConvert.parse(der, SubjectPublicKeyInfo);
    // Inside a certificate the SPKI is part of the TBSCertificate, which rule 1 holds to DER by re-encoding.
    if (!Buffer.from(AsnConvert.serialize(info)).equals(Buffer.from(der))) return undefined;
    const algorithm = keyAlgorithm(info);
    const key = certificatePublicKey(info, AsnConvert.serialize(info), algorithm);
    // The parameters the path result imports the leaf key with (rule 4 uses the same name and curve, its own hash).
    const params = ownImportParams(algorithm);
    const imported = await nodeBackend.importPublicSpki(key.spki, params);
    // A leaf's key then meets the key check (step 6, lib/rules/x509-signer.ts): an even RSA modulus
    // or exponent imports on Node and is refused there, as Chromium refuses to import it.
    if (keyMaterialProblem(await nodeBackend.exportPublicJwk(imported)) !== undefined) return undefined;
    return { spki: key.spki, params };
  } catch {
    return undefined;
  }
}

function candidates(): Candidate[] {
  const random = seeded(0x59c1);
  const out: Candidate[] = [];
  const keys: [string, Uint8Array][] = [
    ['rsa', new Uint8Array(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'der', type: 'spki' }))],
    ['p256', new Uint8Array(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' }))],
    ['p384', new Uint8Array(generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ format: 'der', type: 'spki' }))],
    ['p256 compressed', compressed(new Uint8Array(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' })))],
    ['ed25519', new Uint8Array(generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }))],
  ];
  for (const [name, der] of keys) {
    out.push({ name, der });
    // Every byte flipped in its low bit, and a random replacement at random places.
    for (let at = 0; at < der.length; at += name === 'rsa' ? 7 : 1) {
      const flipped = Uint8Array.from(der);
      flipped[at] = (flipped[at] as number) ^ 0x01;
      out.push({ name: `${name} byte ${at} ^ 1`, der: flipped });
    }
    for (let n = 0; n < 60; n++) {
      const changed = Uint8Array.from(der);
      const at = random.int(der.length);
      changed[at] = random.int(256);
      out.push({ name: `${name} byte ${at} = ${changed[at] as number}`, der: changed });
    }
    // Structured edits: the BIT STRING's unused bits, the AlgorithmIdentifier's parameters.
    for (const unusedBits of [1, 7]) out.push({ name: `${name} unused bits ${unusedBits}`, der: edit(der, (spki) => { const bits = spki.valueBlock.value[1] as asn1js.BitString; spki.valueBlock.value[1] = new asn1js.BitString({ valueHex: bits.valueBlock.valueHexView, unusedBits }); }) });
    out.push({ name: `${name} parameters NULL added or removed`, der: edit(der, (spki) => { const id = spki.valueBlock.value[0] as asn1js.Sequence; if (id.valueBlock.value.length > 1) id.valueBlock.value.splice(1, 1); else id.valueBlock.value.push(new asn1js.Null()); }) });
  }
  return out;
}

/** `der` decoded, its SPKI SEQUENCE edited, encoded again. */
function edit(der: Uint8Array, change: (spki: asn1js.Sequence) => void): Uint8Array {
  const spki = asn1js.fromBER(der).result as asn1js.Sequence;
  change(spki);
  return new Uint8Array(spki.toBER());
}

/** An uncompressed EC SPKI with its point written compressed (02/03 || x). */
function compressed(der: Uint8Array): Uint8Array {
  return edit(der, (spki) => {
    const point = new Uint8Array((spki.valueBlock.value[1] as asn1js.BitString).valueBlock.valueHexView);
    const size = (point.length - 1) / 2;
    const odd = ((point[point.length - 1] as number) & 1) === 1;
    spki.valueBlock.value[1] = new asn1js.BitString({ valueHex: Uint8Array.of(odd ? 0x03 : 0x02, ...point.subarray(1, 1 + size)) });
  });
}

test('every leaf key the verifier accepts on Node, Chromium imports (seeded mutations of RSA, EC and Ed25519 keys)', async (t) => {
  const launched = await launchBrowser(t);
  if (launched === undefined) return;
  const accepted: Accepted[] = [];
  for (const candidate of candidates()) {
    const read = await libraryAccepts(candidate.der);
    if (read !== undefined) accepted.push({ name: candidate.name, spki: Buffer.from(read.spki).toString('hex'), params: read.params });
  }
  assert.ok(accepted.length >= 5, `${accepted.length} accepted`);
  await onBlankPage(launched, 'spki', {}, async (page) => {
    const imported = await page.evaluate(async (list) => {
      const subtle = (globalThis as unknown as { crypto: { subtle: { importKey(f: string, k: Uint8Array, a: unknown, e: boolean, u: string[]): Promise<unknown> } } }).crypto.subtle;
      const out: boolean[] = [];
      for (const { spki, params } of list) {
        const bytes = Uint8Array.from(spki.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
        out.push(await subtle.importKey('spki', bytes, params, true, ['verify']).then(() => true, () => false));
      }
      return out;
    }, accepted);
    assert.deepEqual(accepted.filter((_, i) => imported[i] !== true).map((a) => a.name), []);
  });
});
