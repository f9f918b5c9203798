/**
 * Issue #23 item 4: a certificate, its TBSCertificate and the extension values the validator reads
 * are DER (SPEC-NOTES §7.2 rule 1). Each case below re-encodes one real certificate in one BER way
 * (asn1js re-encodes the edited tree, so every enclosing length is recomputed); each is refused as
 * `x5c_malformed`, where it used to be accepted (the outer envelope: the signature still verifies) or
 * refused later for another reason (the TBS: its signature no longer verifies).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as asn1js from 'asn1js';
import { TransitiveProofError } from '../../lib/errors.js';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { Extension, KeyUsageFlags } from '../../lib/x509/peculiar.js';
import { loadTrustAnchors } from '../../lib/x509/index.js';
import { makePath, rejectsWith, validate, type TestPath } from './pki.js';

type Node = asn1js.AsnType & { valueBlock: { value: Node[]; valueHexView: Uint8Array }; lenBlock: { longFormUsed: boolean; isIndefiniteForm: boolean } };

/** `der` decoded, edited in place by `edit`, and encoded again (lengths recomputed by asn1js). */
function reencode(der: Uint8Array, edit: (certificate: Node) => void): Uint8Array {
  const decoded = asn1js.fromBER(der);
  assert.equal(decoded.offset, der.byteLength);
  const root = decoded.result as unknown as Node;
  edit(root);
  const out = new Uint8Array(root.toBER());
  assert.notDeepEqual(out, der, 'the edit changed nothing');
  return out;
}

const child = (node: Node, ...path: number[]): Node => path.reduce((n, i) => n.valueBlock.value[i] as Node, node);
/** tbsCertificate fields of a v3 certificate: [0] version, serial, signature, issuer, validity, subject, spki, [3] extensions. */
const tbs = (c: Node): Node => child(c, 0);
const extension = (c: Node, i: number): Node => child(tbs(c), 7, 0, i);

/** The outer SEQUENCE written with one more length octet than needed: 30 82 hh ll → 30 83 00 hh ll. */
function longerOuterLength(der: Uint8Array): Uint8Array {
  assert.equal(der[1], 0x82);
  return new Uint8Array([0x30, 0x83, 0x00, ...der.subarray(2)]);
}

let path: TestPath;
async function leafPath(): Promise<TestPath> {
  path ??= await makePath({ leaf: { extKeyUsage: ['1.3.6.1.5.5.7.3.2'] } });
  return path;
}

async function refusedAsNotDer(variant: Uint8Array): Promise<void> {
  const p = await leafPath();
  await rejectsWith(validate([variant, ...p.x5c.slice(1)], p.anchors), 'x5c_malformed', /not DER|not a single DER value/);
}

describe('§7.2 rule 1: certificates are DER (x5c_malformed)', () => {
  test('the unedited certificate validates (the helpers change only what each case says)', async () => {
    const p = await leafPath();
    const same = new Uint8Array(asn1js.fromBER(p.leaf.der).result.toBER());
    assert.deepEqual(same, p.leaf.der);
    await validate(p.x5c, p.anchors);
  });

  describe('the envelope: the signature over the TBS still verifies, the certificate has another x5t#S256', () => {
    test('outer SEQUENCE with a non-minimal length (an extra leading zero length octet)', async () => {
      await refusedAsNotDer(longerOuterLength((await leafPath()).leaf.der));
    });
    test('outer SEQUENCE with an indefinite length', async () => {
      await refusedAsNotDer(reencode((await leafPath()).leaf.der, (c) => (c.lenBlock.isIndefiniteForm = true)));
    });
    test('signatureAlgorithm with the long length form for a short length', async () => {
      await refusedAsNotDer(reencode((await leafPath()).leaf.der, (c) => (child(c, 1).lenBlock.longFormUsed = true)));
    });
    test('signatureValue BIT STRING with the long length form for a short length', async () => {
      await refusedAsNotDer(reencode((await leafPath()).leaf.der, (c) => (child(c, 2).lenBlock.longFormUsed = true)));
    });
  });

  describe('the TBSCertificate', () => {
    test('TBSCertificate with an indefinite length', async () => {
      await refusedAsNotDer(reencode((await leafPath()).leaf.der, (c) => (tbs(c).lenBlock.isIndefiniteForm = true)));
    });
    test('TBSCertificate with a non-minimal length (outer length recomputed)', async () => {
      const der = (await leafPath()).leaf.der;
      // 30 82 HH LL | 30 82 hh ll ... → the TBS header gets one more length octet, the outer length one more byte.
      assert.equal(der[5], 0x82);
      const outerLength = (((der[2] ?? 0) << 8) | (der[3] ?? 0)) + 1;
      await refusedAsNotDer(new Uint8Array([0x30, 0x82, outerLength >> 8, outerLength & 0xff, 0x30, 0x83, 0x00, ...der.subarray(6)]));
    });
    test('version [0] with the long length form for a short length', async () => {
      await refusedAsNotDer(reencode((await leafPath()).leaf.der, (c) => (child(tbs(c), 0).lenBlock.longFormUsed = true)));
    });
    test('version INTEGER with a leading zero octet', async () => {
      await refusedAsNotDer(reencode((await leafPath()).leaf.der, (c) => (child(tbs(c), 0, 0).valueBlock.valueHexView = new Uint8Array([0x00, 0x02]))));
    });
    test('serialNumber INTEGER with a leading zero octet that does not keep it positive', async () => {
      await refusedAsNotDer(
        reencode((await leafPath()).leaf.der, (c) => {
          const serial = child(tbs(c), 1);
          assert.ok(((serial.valueBlock.valueHexView[0] ?? 0) & 0x80) === 0);
          serial.valueBlock.valueHexView = new Uint8Array([0x00, ...serial.valueBlock.valueHexView]);
        }),
      );
    });
    test('validity with the long length form for a short length', async () => {
      await refusedAsNotDer(reencode((await leafPath()).leaf.der, (c) => (child(tbs(c), 4).lenBlock.longFormUsed = true)));
    });
    test('a critical BOOLEAN written 0x01 instead of 0xFF', async () => {
      await refusedAsNotDer(
        reencode((await leafPath()).leaf.der, (c) => {
          const critical = child(extension(c, 0), 1);
          assert.ok(critical instanceof asn1js.Boolean && critical.getValue());
          critical.valueBlock.valueHexView = new Uint8Array([0x01]);
        }),
      );
    });
    test('critical FALSE written out (DER omits a DEFAULT value)', async () => {
      await refusedAsNotDer(
        reencode((await leafPath()).leaf.der, (c) => {
          const ext = child(tbs(c), 7, 0).valueBlock.value.find((e) => e.valueBlock.value.length === 2) as Node;
          ext.valueBlock.value.splice(1, 0, new asn1js.Boolean({ value: false }) as unknown as Node);
        }),
      );
    });
    test('an extension value (basicConstraints) with the long length form inside its OCTET STRING', async () => {
      await refusedAsNotDer(
        reencode((await leafPath()).leaf.der, (c) => {
          const ext = extension(c, 0);
          assert.equal((child(ext, 0) as unknown as asn1js.ObjectIdentifier).getValue(), '2.5.29.19');
          const octets = child(ext, ext.valueBlock.value.length - 1);
          const inner = asn1js.fromBER(octets.valueBlock.valueHexView).result as unknown as Node;
          inner.lenBlock.longFormUsed = true;
          octets.valueBlock.valueHexView = new Uint8Array(inner.toBER());
        }),
      );
    });
  });

  describe('a multi-valued RDN in SET OF order (X.690 §11.6)', () => {
    // The subject's first RDN given a second attribute, organizationName (2.5.4.10), whose encoding
    // differs from the first's; `descending` puts the larger encoding first.
    const twoValued = async (descending: boolean): Promise<Uint8Array> =>
      reencode((await leafPath()).leaf.der, (c) => {
        const rdn = child(tbs(c), 5, 0);
        const first = rdn.valueBlock.value[0] as Node;
        const added = new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '2.5.4.10' }), new asn1js.Utf8String({ value: 'o' })] }) as unknown as Node;
        const [small, large] = [first, added].sort((x, y) => Buffer.compare(Buffer.from(x.toBER()), Buffer.from(y.toBER())));
        rdn.valueBlock.value = descending ? [large as Node, small as Node] : [small as Node, large as Node];
      });
    test('out of order: refused as not DER', async () => {
      await refusedAsNotDer(await twoValued(true));
    });
    test('in order: not refused as not DER (the edit breaks only the signature)', async () => {
      const p = await leafPath();
      await assert.rejects(validate([await twoValued(false), ...p.x5c.slice(1)], p.anchors), (error: unknown) => {
        assert.ok(error instanceof TransitiveProofError);
        assert.doesNotMatch(error.message, /not DER/);
        return true;
      });
    });
  });

  test('an anchor that is not DER makes the configuration invalid', async () => {
    const p = await leafPath();
    await assert.rejects(loadTrustAnchors([longerOuterLength(p.root.der)]), (error: unknown) => {
      assert.ok(error instanceof TransitiveProofError);
      assert.equal(error.code, 'invalid_argument');
      return true;
    });
  });
});

/**
 * §7.2 rule 4: the leaf's ECDSA signature value (the BIT STRING's content, an ECDSA-Sig-Value) is
 * replaced by another encoding of the same r and s; the TBS and the envelope stay DER, so rule 1
 * passes and the signature, read leniently, would verify (it did before rule 4 read it strictly).
 */
describe('§7.2 rule 4: an ECDSA signature value is DER (x5c_signature_invalid)', () => {
  /** The leaf re-encoded with `edit` applied to its signature value's bytes. */
  async function withSignatureValue(edit: (sig: Uint8Array) => Uint8Array): Promise<Uint8Array> {
    const p = await leafPath();
    const decoded = asn1js.fromBER(p.leaf.der);
    const root = decoded.result as unknown as Node;
    const sig = new Uint8Array(child(root, 2).valueBlock.valueHexView);
    assert.equal(sig[0], 0x30);
    assert.ok((sig[1] ?? 0) < 0x80, 'a short-form length (P-256)');
    root.valueBlock.value[2] = new asn1js.BitString({ valueHex: edit(sig) }) as unknown as Node;
    return new Uint8Array(root.toBER());
  }
  /** r and s of a DER ECDSA-Sig-Value with short lengths: [r content, s content]. */
  const parts = (sig: Uint8Array): [Uint8Array, Uint8Array] => {
    const rl = sig[3] as number;
    return [sig.subarray(4, 4 + rl), sig.subarray(6 + rl, 6 + rl + (sig[5 + rl] as number))];
  };
  const sequence = (...elements: Uint8Array[]): Uint8Array => {
    const content = elements.flatMap((e) => [...e]);
    return new Uint8Array([0x30, content.length, ...content]);
  };
  const integer = (content: Uint8Array): Uint8Array => new Uint8Array([0x02, content.length, ...content]);

  async function refused(edit: (sig: Uint8Array) => Uint8Array): Promise<void> {
    const p = await leafPath();
    const variant = await withSignatureValue(edit);
    assert.notDeepEqual(variant, p.leaf.der);
    await rejectsWith(validate([variant, ...p.x5c.slice(1)], p.anchors), 'x5c_signature_invalid', /not DER/);
  }

  test('the same value rebuilt by these helpers validates (they change only what each case says)', async () => {
    const p = await leafPath();
    const same = await withSignatureValue((sig) => {
      const [r, s] = parts(sig);
      return sequence(integer(r), integer(s));
    });
    assert.deepEqual(same, p.leaf.der);
    await validate([same, ...p.x5c.slice(1)], p.anchors);
  });
  test('SEQUENCE length in long form', () => refused((sig) => new Uint8Array([0x30, 0x81, ...sig.subarray(1)])));
  test('r with a superfluous leading zero octet', () => refused((sig) => {
    const [r, s] = parts(sig);
    return sequence(integer(new Uint8Array([0, ...r])), integer(s));
  }));
  test('an element appended inside the SEQUENCE (NULL)', () => refused((sig) => {
    const [r, s] = parts(sig);
    return sequence(integer(r), integer(s), new Uint8Array([0x05, 0x00]));
  }));
  test('a byte appended after the SEQUENCE', () => refused((sig) => new Uint8Array([...sig, 0x00])));
  test('indefinite length', () => refused((sig) => new Uint8Array([0x30, 0x80, ...sig.subarray(2), 0x00, 0x00])));
});

describe('§7.2 rule 1: the keyUsage BIT STRING and the subjectAltName (impl10)', () => {
  const keyUsage = (bytes: number[]) => new Extension('2.5.29.15', true, new Uint8Array([0x03, bytes.length, ...bytes]).buffer);
  async function leafWithKeyUsage(bytes: number[]): Promise<TestPath> {
    return makePath({ leaf: { keyUsage: null, extraExtensions: [keyUsage(bytes)] } });
  }
  // Trailing 0 bits and octets are tolerated (GnuTLS writes 03 03 07 80 00); no bit at all fails rule 8 only.
  for (const [name, bytes] of [['in DER (03 02 07 80)', [0x07, 0x80]], ['with its trailing 0 bits (03 02 00 80)', [0x00, 0x80]], ['with a trailing 0 octet, as GnuTLS writes it (03 03 07 80 00)', [0x07, 0x80, 0x00]]] as const) {
    test(`keyUsage digitalSignature ${name} validates`, async () => {
      const p = await leafWithKeyUsage([...bytes]);
      await validate(p.x5c, p.anchors);
    });
  }
  test('keyUsage with no bit (03 01 00) is read, and refused by rule 8 only', async () => {
    const none = await leafWithKeyUsage([0x00]);
    await rejectsWith(validate(none.x5c, none.anchors), 'x5c_key_usage');
  });
  // X.690 §11.2.1: the unused bits are zero; a set one would be a usage to a reader ignoring the count.
  for (const [name, bytes] of [['digitalSignature and an unused bit set (03 02 07 81)', [0x07, 0x81]], ['keyCertSign only among the unused bits (03 02 03 84)', [0x03, 0x84]]] as const) {
    test(`keyUsage ${name} → x5c_malformed`, async () => {
      const p = await leafWithKeyUsage([...bytes]);
      await rejectsWith(validate(p.x5c, p.anchors), 'x5c_malformed', /unused bit/);
    });
  }
  test('an empty subjectAltName (30 00; GeneralNames is SIZE (1..MAX)) → x5c_malformed, not a leaf without names', async () => {
    const p = await makePath({ leaf: { san: [] } });
    const extensions = AsnConvert.parse(p.leaf.der, Certificate).tbsCertificate.extensions ?? [];
    assert.deepEqual([...new Uint8Array(extensions.find((e) => e.extnID === '2.5.29.17')?.extnValue.buffer ?? new ArrayBuffer(1))], [0x30, 0x00]);
    await rejectsWith(validate(p.x5c, p.anchors), 'x5c_malformed', /empty subjectAltName/);
  });
});

describe('§7.2 rule 1: pathLenConstraint is an INTEGER from 0 to 2^53 - 1 (impl10)', () => {
  /** An intermediate whose basicConstraints is cA TRUE with this pathLenConstraint INTEGER content. */
  async function intermediateWithPathLen(content: number[]): Promise<TestPath> {
    const value = new Uint8Array([0x30, 5 + content.length, 0x01, 0x01, 0xff, 0x02, content.length, ...content]);
    return makePath({ intermediate: { basicConstraints: null, keyUsage: KeyUsageFlags.keyCertSign, extraExtensions: [new Extension('2.5.29.19', true, value.buffer)] } });
  }
  test('2^31 and 2^53 - 1 validate (the schema reads them as strings; the count below is 0)', async () => {
    for (const content of [[0x00, 0x80, 0, 0, 0], [0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]]) {
      const p = await intermediateWithPathLen(content);
      await validate(p.x5c, p.anchors);
    }
  });
  // 2^54 was accepted and 2^53 + 1 refused as "not DER" (the number a re-encoding starts from); -1 failed only rule 7 (c).
  for (const [name, content] of [['2^53', [0x20, 0, 0, 0, 0, 0, 0]], ['2^54', [0x40, 0, 0, 0, 0, 0, 0]], ['2^53 + 1', [0x20, 0, 0, 0, 0, 0, 1]], ['-1', [0xff]]] as const) {
    test(`${name} → x5c_malformed`, async () => {
      const p = await intermediateWithPathLen([...content]);
      await rejectsWith(validate(p.x5c, p.anchors), 'x5c_malformed', /pathLenConstraint|not DER/);
    });
  }
});
