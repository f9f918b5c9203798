/**
 * §7.2 rule 1 for the subject public key: the RSAPublicKey inside an RSA SubjectPublicKeyInfo is DER
 * (RFC 3279 §2.3.1, RFC 8017 Appendix A.1.1: minimal positive INTEGERs, nothing after the SEQUENCE),
 * rsaEncryption carries its NULL parameters (RFC 3279 §2.3.1)
 * and an EC point is uncompressed or compressed, never the hybrid form (RFC 5480 §2.2). node:crypto
 * (OpenSSL) imports such keys; browsers (BoringSSL) refuse them, and rule 1 made a key the runtime
 * cannot import `x5c_malformed`: one path validated on Node and failed in a browser. Each case is a
 * leaf re-signed by its intermediate over the edited TBSCertificate, so only the key's encoding is
 * wrong; on Node it validated before this rule.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, webcrypto } from 'node:crypto';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import { makePath, rejectsWith, validate, type TestPath } from '../x509/pki.js';
import { launchBrowser } from '../helpers/browser.js';
import { onBlankPage } from './support.js';

type Node = asn1js.AsnType & { valueBlock: { value: Node[]; valueHexView: Uint8Array } };
const child = (node: Node, ...path: number[]): Node => path.reduce((n, i) => n.valueBlock.value[i] as Node, node);

const int = (content: Uint8Array): asn1js.Integer => new asn1js.Integer({ valueHex: content });
const seq = (...value: asn1js.AsnType[]): asn1js.Sequence => new asn1js.Sequence({ value });

/**
 * The leaf of `p` with its subjectPublicKey BIT STRING content replaced (and, with `withoutNull`, its
 * AlgorithmIdentifier's NULL parameters left out), re-signed by the intermediate (Ed25519).
 */
async function withSubjectPublicKey(p: TestPath, subjectPublicKey: Uint8Array, withoutNull = false): Promise<Uint8Array> {
  const certificate = asn1js.fromBER(p.leaf.der).result as unknown as Node;
  const tbs = child(certificate, 0);
  child(tbs, 6).valueBlock.value[1] = new asn1js.BitString({ valueHex: subjectPublicKey }) as unknown as Node;
  if (withoutNull) child(tbs, 6, 0).valueBlock.value.splice(1, 1);
  const tbsDer = new Uint8Array(tbs.toBER());
  const issuer = p.intermediate;
  assert.ok(issuer !== undefined && issuer.key.alg === 'Ed25519');
  const signature = new Uint8Array(await webcrypto.subtle.sign({ name: 'Ed25519' }, issuer.key.keys.privateKey, tbsDer));
  certificate.valueBlock.value[2] = new asn1js.BitString({ valueHex: signature }) as unknown as Node;
  return new Uint8Array(certificate.toBER());
}

function subjectPublicKeyOf(der: Uint8Array): Uint8Array {
  const certificate = asn1js.fromBER(der).result as unknown as Node;
  return new Uint8Array((child(certificate, 0, 6, 1) as unknown as asn1js.BitString).valueBlock.valueHexView);
}

function spkiOf(der: Uint8Array): Uint8Array {
  const certificate = asn1js.fromBER(der).result as unknown as Node;
  return new Uint8Array(child(certificate, 0, 6).toBER());
}

interface Variant { name: string; leaf: Uint8Array }

/** An odd number of exactly `bits` bits (a multiple of 8): not a product of two primes, which rule 1 does not read. */
const modulusOfBits = (bits: number): Uint8Array => Uint8Array.from({ length: bits / 8 }, (_, i) => (i === 0 ? 0x80 : 0xff));

async function rsaVariants(): Promise<{ p: TestPath; variants: Variant[] }> {
  const p = await makePath({ intermediate: { keyAlg: 'Ed25519' }, leaf: { keyAlg: 'PS256' } });
  const jwk = createPublicKey({ key: Buffer.from(spkiOf(p.leaf.der)), format: 'der', type: 'spki' }).export({ format: 'jwk' }) as { n: string; e: string };
  const n = Uint8Array.from(Buffer.from(jwk.n, 'base64url'));
  const e = Uint8Array.from(Buffer.from(jwk.e, 'base64url'));
  const positive = (bytes: Uint8Array): Uint8Array => ((bytes[0] as number) & 0x80 ? Uint8Array.of(0, ...bytes) : bytes);
  const der = (value: asn1js.AsnType): Uint8Array => new Uint8Array(value.toBER());
  const variants: Variant[] = [];
  const add = async (name: string, subjectPublicKey: Uint8Array, withoutNull = false): Promise<void> => {
    variants.push({ name, leaf: await withSubjectPublicKey(p, subjectPublicKey, withoutNull) });
  };
  await add('as issued, re-signed (control)', der(seq(int(positive(n)), int(e))));
  await add('n with a redundant leading zero octet', der(seq(int(Uint8Array.of(0, ...positive(n))), int(e))));
  await add('e with a redundant leading zero octet', der(seq(int(positive(n)), int(Uint8Array.of(0, ...e)))));
  await add('n negative (its leading zero octet dropped)', der(seq(int(n), int(e))));
  await add('a byte after the RSAPublicKey', Uint8Array.of(...der(seq(int(positive(n)), int(e))), 0));
  await add('rsaEncryption without its NULL parameters', der(seq(int(positive(n)), int(e))), true);
  await add('e = 2^33 + 1 (more than 4 octets)', der(seq(int(positive(n)), int(Uint8Array.of(2, 0, 0, 0, 1)))));
  await add('a modulus of 16 392 bits (more than 16 384)', der(seq(int(positive(modulusOfBits(16_392))), int(e))));
  return { p, variants };
}

describe('§7.2 rule 1: the subject public key is DER (x5c_malformed)', () => {
  test('an RSA key whose RSAPublicKey is not DER is refused; the same key in DER validates', async () => {
    const { p, variants } = await rsaVariants();
    const [control, ...faulty] = variants as [Variant, ...Variant[]];
    await validate([control.leaf, ...p.x5c.slice(1)], p.anchors);
    for (const variant of faulty) {
      // node:crypto imports each of these keys: the refusal is the rule's, not the runtime's.
      assert.doesNotThrow(() => createPublicKey({ key: Buffer.from(spkiOf(variant.leaf)), format: 'der', type: 'spki' }), variant.name);
      await rejectsWith(validate([variant.leaf, ...p.x5c.slice(1)], p.anchors), 'x5c_malformed', /not DER|RSAPublicKey|NULL parameters|exponent|modulus of more than 16384/);
    }
    // The largest modulus both runtimes use, 16 384 bits: rule 1 reads it (the path validates).
    const e = Uint8Array.from(Buffer.from('AQAB', 'base64'));
    const largest = await withSubjectPublicKey(p, new Uint8Array(seq(int(Uint8Array.of(0, ...modulusOfBits(16_384))), int(e)).toBER()));
    await validate([largest, ...p.x5c.slice(1)], p.anchors);
  });

  test('an EC key in the hybrid form (06, 07) is refused; uncompressed and compressed validate', async () => {
    const p = await makePath({ intermediate: { keyAlg: 'Ed25519' }, leaf: { keyAlg: 'ES256' } });
    const point = subjectPublicKeyOf(p.leaf.der);
    assert.equal(point[0], 0x04);
    const odd = ((point[64] as number) & 1) === 1;
    const compressed = Uint8Array.of(odd ? 0x03 : 0x02, ...point.subarray(1, 33));
    const hybrid = Uint8Array.of(odd ? 0x07 : 0x06, ...point.subarray(1));
    await validate([await withSubjectPublicKey(p, point), ...p.x5c.slice(1)], p.anchors);
    await validate([await withSubjectPublicKey(p, compressed), ...p.x5c.slice(1)], p.anchors);
    const leaf = await withSubjectPublicKey(p, hybrid);
    assert.doesNotThrow(() => createPublicKey({ key: Buffer.from(spkiOf(leaf)), format: 'der', type: 'spki' }));
    await rejectsWith(validate([leaf, ...p.x5c.slice(1)], p.anchors), 'x5c_malformed', /hybrid|EC point/);
  });

  test('Chromium refuses to import each refused key, and imports the controls (why the rule is needed)', async (t) => {
    const launched = await launchBrowser(t);
    if (launched === undefined) return;
    await onBlankPage(launched, 'spki', {}, async (page) => {
      const { variants } = await rsaVariants();
      const imported = await page.evaluate(async (spkis) => {
        const subtle = (globalThis as unknown as { crypto: { subtle: { importKey(f: string, k: Uint8Array, a: unknown, e: boolean, u: string[]): Promise<unknown> } } }).crypto.subtle;
        const out: boolean[] = [];
        for (const hex of spkis) {
          const bytes = Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
          out.push(await subtle.importKey('spki', bytes, { name: 'RSA-PSS', hash: 'SHA-256' }, true, ['verify']).then(() => true, () => false));
        }
        return out;
      }, variants.map((v) => Buffer.from(spkiOf(v.leaf)).toString('hex')));
      assert.deepEqual(imported, variants.map((v, i) => i === 0), variants.map((v) => v.name).join(', '));
    });
  });
});
