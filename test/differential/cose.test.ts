/**
 * Differential: the COSE codec's signature check (decodeLink, then verifySignature: the seam step 7
 * uses) gives the same verdict as an independent COSE_Sign1 check written here on node:crypto: the
 * message decoded with cbor-x, the Sig_structure of RFC 9052 §4.4 encoded with cbor-x, the algorithm
 * and key matched per RFC 9053 / RFC 9864 / RFC 8230 and the link profile of SPEC-NOTES.md (ES256
 * means P-256, EdDSA means Ed25519), and the signature checked with crypto.verify.
 *
 * The links are built here with cbor-x and node:crypto, not with the library's encoder or signer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createPublicKey, verify } from 'node:crypto';
import { Decoder, Encoder, Tag } from 'cbor-x';
import fc from 'fast-check';
import { coseCodec } from '../../lib/codecs/cose/codec.js';
import { DEFAULT_LIMITS } from '../../lib/model/limits.js';
import { TransitiveProofError } from '../../lib/errors.js';
import type { PublicJwk } from '../../lib/model/types.js';
import {
  DIFFERENTIAL_RUNS,
  importAlgorithm,
  key,
  mutateSignature,
  keyChoices,
  resolveKeys,
  normalSigning,
  signatureMutation,
  signingVariant,
  signWith,
  Tally,
  verificationKey,
  type KeyName,
  type Signing,
  type SignatureMutation,
} from './support.js';

/** Plain CBOR: byte strings untagged, maps as Map, no cbor-x extensions. */
const CBOR_OPTIONS = { useRecords: false, structuredClone: false, pack: false, mapsAsObjects: false, tagUint8Array: false, variableMapSize: true, copyBuffers: true } as const;
const cbor = new Encoder(CBOR_OPTIONS);
const decoder = new Decoder(CBOR_OPTIONS);

/** COSE algorithm labels (RFC 9053, RFC 9864, RFC 8230) by the JOSE name the link profile gives them. */
const LABELS: Readonly<Record<string, number>> = { ES256: -7, ESP256: -9, ES384: -35, ES512: -36, EdDSA: -8, Ed25519: -19, PS256: -37, PS384: -38, RS256: -257, ES256K: -47, Ed448: -53 };
const NAMES: ReadonlyMap<number, string> = new Map(Object.entries(LABELS).map(([name, label]) => [label, name]));
const BASE_ALGORITHMS = ['EdDSA', 'Ed25519', 'ES256', 'ESP256', 'ES384', 'PS256'] as const;
const OTHER_LABELS = [...Object.values(LABELS), 0, -6, 7] as const;

interface CoseCase {
  base: (typeof BASE_ALGORITHMS)[number];
  label: number;
  signer: KeyName;
  verifier: KeyName;
  signing: Signing;
  mutation: SignatureMutation;
  jti: string;
}

const coseCase: fc.Arbitrary<CoseCase> = fc
  .record({
    base: fc.constantFrom(...BASE_ALGORITHMS),
    otherLabel: fc.option(fc.constantFrom(...OTHER_LABELS), { freq: 3 }),
    keys: keyChoices,
    mutation: signatureMutation,
    jti: fc.string({ minLength: 1, maxLength: 16 }),
  })
  .chain((picked) => {
    const { signer, verifier } = resolveKeys(picked.base, picked.keys);
    const label = picked.otherLabel ?? (LABELS[picked.base] as number);
    return signingVariant(NAMES.get(label) ?? picked.base, key(signer)).map((signing) => ({ base: picked.base, label, signer, verifier, signing, mutation: picked.mutation, jti: picked.jti }));
  });

/** Sig_structure = ["Signature1", body_protected, external_aad, payload] (RFC 9052 §4.4), by cbor-x. */
function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array {
  return new Uint8Array(cbor.encode(['Signature1', protectedBytes, new Uint8Array(), payload]));
}

function build(c: CoseCase): { bytes: Uint8Array; applied: SignatureMutation['kind'] } {
  // Keys 1 (alg) and 16 (typ) in this order are the deterministic order (RFC 8949 §4.2.1).
  const protectedBytes = new Uint8Array(cbor.encode(new Map<number, unknown>([[1, c.label], [16, 'tmb-link+cwt']])));
  const payload = new Uint8Array(cbor.encode(new Map<number, unknown>([[1, 'https://issuer.example'], [2, 'user-42'], [7, new TextEncoder().encode(c.jti)]])));
  const signer = key(c.signer);
  const signature = signWith(signer, sigStructure(protectedBytes, payload), c.signing);
  const mutated = mutateSignature(signature, signer, c.mutation);
  const message = new Tag([protectedBytes, new Map(), payload, mutated ?? signature], 18);
  return { bytes: new Uint8Array(cbor.encode(message)), applied: mutated === undefined ? 'none' : c.mutation.kind };
}

/**
 * The independent check: decode with cbor-x, rebuild the Sig_structure with cbor-x, verify with
 * node:crypto. Algorithm and key must fit as the link profile says; anything else is refused.
 */
function referenceVerdict(bytes: Uint8Array, jwk: PublicJwk): 'accepted' | 'refused' {
  const decoded = decoder.decode(bytes) as unknown;
  if (!(decoded instanceof Tag) || decoded.tag !== 18 || !Array.isArray(decoded.value) || decoded.value.length !== 4) return 'refused';
  const [protectedBytes, , payload, signature] = decoded.value as [Uint8Array, unknown, Uint8Array, Uint8Array];
  const protectedHeader = protectedBytes.length === 0 ? new Map() : (decoder.decode(protectedBytes) as Map<number, unknown>);
  // A protected header with no parameters is signed as the zero-length bstr (RFC 9052 §4.4).
  const toBeSigned = sigStructure(protectedHeader.size === 0 ? new Uint8Array() : protectedBytes, payload);
  const publicKey = createPublicKey({ key: jwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' });
  const details = publicKey.asymmetricKeyDetails;
  const curve = (name: string): boolean => publicKey.asymmetricKeyType === 'ec' && details?.namedCurve === name;
  let ok: boolean;
  switch (protectedHeader.get(1)) {
    case -7: // ES256: in the link profile, P-256 only (as in JOSE)
    case -9: // ESP256 (RFC 9864): P-256
      ok = curve('prime256v1') && verify('sha256', toBeSigned, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
      break;
    case -35: // ES384: P-384
      ok = curve('secp384r1') && verify('sha384', toBeSigned, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
      break;
    case -8: // EdDSA: Ed25519 in the link profile
    case -19: // Ed25519 (RFC 9864)
      ok = publicKey.asymmetricKeyType === 'ed25519' && verify(null, toBeSigned, publicKey, signature);
      break;
    case -37: // PS256 (RFC 8230 §2): SHA-256, MGF1 SHA-256, salt 32, a key of 2048 bits or more
      ok = publicKey.asymmetricKeyType === 'rsa' && (details?.modulusLength ?? 0) >= 2048
        && verify('sha256', toBeSigned, { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature);
      break;
    default: // ES512, PS384, RS256 and the rest are not link algorithms
      ok = false;
  }
  return ok ? 'accepted' : 'refused';
}

type Verdict = 'accepted' | 'refused' | `decode:${string}`;

async function codecVerdict(bytes: Uint8Array, jwk: PublicJwk, label: number): Promise<Verdict> {
  let link;
  try {
    link = coseCodec.decodeLink(bytes, 0, DEFAULT_LIMITS);
  } catch (error) {
    assert.ok(error instanceof TransitiveProofError, `decodeLink threw a non-library error: ${String(error)}`);
    return `decode:${error.code}`;
  }
  const alg = importAlgorithm(NAMES.get(label) ?? String(label), jwk);
  assert.ok(alg !== undefined, 'every verifier key has an algorithm');
  return (await coseCodec.verifySignature(link, await verificationKey(jwk, alg))) ? 'accepted' : 'refused';
}

test('COSE codec signature verdicts equal an independent node:crypto COSE_Sign1 check over the Sig_structure', async (t) => {
  const tally = new Tally();
  await fc.assert(
    fc.asyncProperty(coseCase, async (c) => {
      const { bytes, applied } = build(c);
      const jwk = key(c.verifier).jwk;
      const ours = await codecVerdict(bytes, jwk, c.label);
      const reference = referenceVerdict(bytes, jwk);
      tally.add(`${applied}:${ours}`);
      if (ours.startsWith('decode:')) {
        assert.equal(reference, 'refused', `codec refused at decode (${ours}) what the reference accepts`);
        return;
      }
      assert.equal(ours, reference, `codec ${ours}, reference ${reference}: ${JSON.stringify({ ...c, applied })}`);
    }),
    { numRuns: DIFFERENTIAL_RUNS },
  );
  const accepted = ['none', 'high-s'].reduce((sum, kind) => sum + tally.get(`${kind}:accepted`), 0);
  assert.ok(accepted > 0, `no accepted link among the cases: ${tally}`);
  assert.ok(tally.get('flip-bit:refused') > 0, `no refused bit flip: ${tally}`);
  t.diagnostic(`mutation:verdict counts: ${tally}`);
});

/** Named edge cases; the expected verdict is the RFCs', not either implementation's. */
const FIXED: readonly { name: string; case: Omit<CoseCase, 'jti'>; expected: 'accepted' | 'refused' }[] = [
  { name: 'EdDSA (-8), valid', case: { base: 'EdDSA', label: -8, signer: 'ed25519-a', verifier: 'ed25519-a', signing: normalSigning('EdDSA'), mutation: { kind: 'none' } }, expected: 'accepted' },
  { name: 'Ed25519 (-19), valid', case: { base: 'Ed25519', label: -19, signer: 'ed25519-a', verifier: 'ed25519-a', signing: normalSigning('Ed25519'), mutation: { kind: 'none' } }, expected: 'accepted' },
  { name: 'ES256 (-7), valid', case: { base: 'ES256', label: -7, signer: 'p256-a', verifier: 'p256-a', signing: normalSigning('ES256'), mutation: { kind: 'none' } }, expected: 'accepted' },
  { name: 'ESP256 (-9), valid', case: { base: 'ESP256', label: -9, signer: 'p256-a', verifier: 'p256-a', signing: normalSigning('ES256'), mutation: { kind: 'none' } }, expected: 'accepted' },
  { name: 'ES384 (-35), valid', case: { base: 'ES384', label: -35, signer: 'p384', verifier: 'p384', signing: normalSigning('ES384'), mutation: { kind: 'none' } }, expected: 'accepted' },
  { name: 'PS256 (-37), valid', case: { base: 'PS256', label: -37, signer: 'rsa2048-a', verifier: 'rsa2048-a', signing: normalSigning('PS256'), mutation: { kind: 'none' } }, expected: 'accepted' },
  { name: 'ES256, high S (ECDSA is malleable; COSE does not forbid it)', case: { base: 'ES256', label: -7, signer: 'p256-a', verifier: 'p256-a', signing: normalSigning('ES256'), mutation: { kind: 'high-s' } }, expected: 'accepted' },
  // RFC 9053 §2.1: the signature is r || s, not DER.
  { name: 'ES256, DER-encoded signature', case: { base: 'ES256', label: -7, signer: 'p256-a', verifier: 'p256-a', signing: { ...normalSigning('ES256'), dsaEncoding: 'der' }, mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'ES384, DER-encoded signature', case: { base: 'ES384', label: -35, signer: 'p384', verifier: 'p384', signing: { ...normalSigning('ES384'), dsaEncoding: 'der' }, mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'ES256, r = 0', case: { base: 'ES256', label: -7, signer: 'p256-a', verifier: 'p256-a', signing: normalSigning('ES256'), mutation: { kind: 'scalar', which: 'r', to: 'zero' } }, expected: 'refused' },
  { name: 'EdDSA, S + L', case: { base: 'EdDSA', label: -8, signer: 'ed25519-a', verifier: 'ed25519-a', signing: normalSigning('EdDSA'), mutation: { kind: 'ed25519-s-plus-l' } }, expected: 'refused' },
  { name: 'EdDSA, truncated', case: { base: 'EdDSA', label: -8, signer: 'ed25519-a', verifier: 'ed25519-a', signing: normalSigning('EdDSA'), mutation: { kind: 'truncate', keep: 32 } }, expected: 'refused' },
  { name: 'ES256, extended by one byte', case: { base: 'ES256', label: -7, signer: 'p256-a', verifier: 'p256-a', signing: normalSigning('ES256'), mutation: { kind: 'extend', bytes: [0] } }, expected: 'refused' },
  // The link profile: ES256 means P-256, even though plain COSE takes the curve from the key.
  { name: 'ES256 label, P-384 key (with SHA-256)', case: { base: 'ES256', label: -7, signer: 'p384', verifier: 'p384', signing: normalSigning('ES256'), mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'ESP256 label, P-384 key', case: { base: 'ESP256', label: -9, signer: 'p384', verifier: 'p384', signing: normalSigning('ES256'), mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'ES384 label, P-256 key', case: { base: 'ES384', label: -35, signer: 'p256-a', verifier: 'p256-a', signing: normalSigning('ES384'), mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'ES512 label (not a link algorithm), P-521 signature, P-256 key', case: { base: 'ES256', label: -36, signer: 'p521', verifier: 'p256-a', signing: normalSigning('ES512'), mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'EdDSA label, P-256 key', case: { base: 'EdDSA', label: -8, signer: 'p256-a', verifier: 'p256-a', signing: normalSigning('ES256'), mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'Ed448 label, Ed25519 signature and key', case: { base: 'EdDSA', label: -53, signer: 'ed25519-a', verifier: 'ed25519-a', signing: normalSigning('EdDSA'), mutation: { kind: 'none' } }, expected: 'refused' },
  // RSA-PSS (RFC 8230 §2): salt = 32 with SHA-256, MGF1 SHA-256, modulus >= 2048.
  { name: 'PS256, salt 0', case: { base: 'PS256', label: -37, signer: 'rsa2048-a', verifier: 'rsa2048-a', signing: { ...normalSigning('PS256'), saltLength: 0 }, mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'PS256, salt 64', case: { base: 'PS256', label: -37, signer: 'rsa2048-a', verifier: 'rsa2048-a', signing: { ...normalSigning('PS256'), saltLength: 64 }, mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'PS256, SHA-384 digest', case: { base: 'PS256', label: -37, signer: 'rsa2048-a', verifier: 'rsa2048-a', signing: { ...normalSigning('PS256'), hash: 'sha384' }, mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'PS256 label, PKCS #1 v1.5 signature', case: { base: 'PS256', label: -37, signer: 'rsa2048-a', verifier: 'rsa2048-a', signing: { ...normalSigning('PS256'), rsaPadding: 'pkcs1' }, mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'RS256 label (not a link algorithm), PKCS #1 v1.5 signature', case: { base: 'PS256', label: -257, signer: 'rsa2048-a', verifier: 'rsa2048-a', signing: { ...normalSigning('PS256'), rsaPadding: 'pkcs1' }, mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'PS256, 1024-bit RSA key', case: { base: 'PS256', label: -37, signer: 'rsa1024', verifier: 'rsa1024', signing: normalSigning('PS256'), mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'EdDSA, another Ed25519 key', case: { base: 'EdDSA', label: -8, signer: 'ed25519-b', verifier: 'ed25519-a', signing: normalSigning('EdDSA'), mutation: { kind: 'none' } }, expected: 'refused' },
];

test('COSE codec and the reference check give the RFC verdict on each named edge case', async (t) => {
  for (const fixed of FIXED) {
    await t.test(fixed.name, async () => {
      const c: CoseCase = { ...fixed.case, jti: 'fixed' };
      const { bytes, applied } = build(c);
      assert.equal(applied, c.mutation.kind, 'the mutation applies to this signature');
      const jwk = key(c.verifier).jwk;
      assert.equal(referenceVerdict(bytes, jwk), fixed.expected, 'reference');
      const ours = await codecVerdict(bytes, jwk, c.label);
      assert.equal(ours.startsWith('decode:') ? 'refused' : ours, fixed.expected, `codec (${ours})`);
    });
  }
});
