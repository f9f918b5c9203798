/**
 * Differential: the JOSE codec's signature check (decodeLink, then verifySignature: the seam step 7
 * uses) gives the same verdict as `jose.compactVerify` on the same link and key, for valid links and
 * for links whose signature, signing parameters, header algorithm or key were changed. The codec
 * does not call jose to verify, so this is what ties its verdicts to a reference implementation:
 * whatever backend verifies (WebCrypto or node:crypto), it must accept exactly what jose accepts.
 *
 * The links are built here with node:crypto (not with the library), the key is imported the way the
 * rules import it (lib/keys), and jose gets its own import of the same JWK.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compactVerify, importJWK } from 'jose';
import { joseCodec } from '../../lib/codecs/jose/codec.js';
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
  signatureMutation,
  signingVariant,
  signWith,
  Tally,
  verificationKey,
  type KeyName,
  type Signing,
  type SignatureMutation,
} from './support.js';

const BASE_ALGORITHMS = ['EdDSA', 'Ed25519', 'ES256', 'ES384', 'PS256'] as const;
/** Header algorithms a link may name instead: JOSE names of every family, unsupported ones and junk. */
const OTHER_HEADER_ALGORITHMS = ['EdDSA', 'Ed25519', 'ES256', 'ES384', 'ES512', 'ESP256', 'PS256', 'PS384', 'RS256', 'HS256', 'none', 'es256', 'Ed448'] as const;

const encoder = new TextEncoder();
const b64 = (value: Uint8Array | string): string => Buffer.from(value).toString('base64url');

interface JwsCase {
  /** The algorithm the link was meant for (picks the natural keys). */
  base: (typeof BASE_ALGORITHMS)[number];
  headerAlg: string;
  signer: KeyName;
  verifier: KeyName;
  signing: Signing;
  mutation: SignatureMutation;
  kid: string | undefined;
  jti: string;
}

const jwsCase: fc.Arbitrary<JwsCase> = fc
  .record({
    base: fc.constantFrom(...BASE_ALGORITHMS),
    otherHeader: fc.option(fc.constantFrom(...OTHER_HEADER_ALGORITHMS), { freq: 3 }),
    keys: keyChoices,
    mutation: signatureMutation,
    kid: fc.option(fc.string({ maxLength: 8 }), { freq: 2 }),
    jti: fc.string({ minLength: 1, maxLength: 16 }),
  })
  .chain((picked) => {
    const { signer, verifier } = resolveKeys(picked.base, picked.keys);
    const headerAlg = picked.otherHeader ?? picked.base;
    return signingVariant(headerAlg, key(signer)).map((signing) => ({
      base: picked.base,
      headerAlg,
      signer,
      verifier,
      signing,
      mutation: picked.mutation,
      kid: picked.kid ?? undefined,
      jti: picked.jti,
    }));
  });

interface Built {
  jws: string;
  /** Which mutation actually applied (some only apply to one key type). */
  applied: SignatureMutation['kind'];
}

function build(c: JwsCase): Built {
  const header: Record<string, unknown> = { alg: c.headerAlg, typ: 'tmb-link+jwt' };
  if (c.kid !== undefined) header.kid = c.kid;
  const payload = { iss: 'https://issuer.example', sub: 'user-42', jti: c.jti };
  const signingInput = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`;
  const signer = key(c.signer);
  const signature = signWith(signer, encoder.encode(signingInput), c.signing);
  const mutated = mutateSignature(signature, signer, c.mutation);
  return { jws: `${signingInput}.${b64(mutated ?? signature)}`, applied: mutated === undefined ? 'none' : c.mutation.kind };
}

type Verdict = 'accepted' | 'refused' | `decode:${string}`;

/** The codec's verdict through the seam step 7 uses. */
async function codecVerdict(jws: string, jwk: PublicJwk, linkAlg: string): Promise<Verdict> {
  let link;
  try {
    link = joseCodec.decodeLink(encoder.encode(jws), 0, DEFAULT_LIMITS);
  } catch (error) {
    assert.ok(error instanceof TransitiveProofError, `decodeLink threw a non-library error: ${String(error)}`);
    return `decode:${error.code}`;
  }
  const alg = importAlgorithm(linkAlg, jwk);
  assert.ok(alg !== undefined, 'every verifier key has an algorithm');
  return (await joseCodec.verifySignature(link, await verificationKey(jwk, alg))) ? 'accepted' : 'refused';
}

/** jose's verdict, with its own import of the same JWK for the same algorithm. */
async function joseVerdict(jws: string, jwk: PublicJwk, linkAlg: string): Promise<'accepted' | 'refused'> {
  const alg = importAlgorithm(linkAlg, jwk) as string;
  const { kid: _kid, alg: _alg, ...material } = jwk;
  const joseKey = await importJWK(material, alg === 'ESP256' ? 'ES256' : alg);
  try {
    await compactVerify(jws, joseKey);
    return 'accepted';
  } catch {
    return 'refused';
  }
}

test('JOSE codec signature verdicts equal jose.compactVerify (mutated signatures, signing parameters, header algorithms, keys)', async (t) => {
  const tally = new Tally();
  await fc.assert(
    fc.asyncProperty(jwsCase, async (c) => {
      const { jws, applied } = build(c);
      const jwk = key(c.verifier).jwk;
      const ours = await codecVerdict(jws, jwk, c.headerAlg);
      const theirs = await joseVerdict(jws, jwk, c.headerAlg);
      tally.add(`${applied}:${ours}`);
      if (ours.startsWith('decode:')) {
        // Refused before any signature check (e.g. an empty signature segment): jose must refuse too.
        assert.equal(theirs, 'refused', `codec refused at decode (${ours}) what jose accepts: ${jws}`);
        return;
      }
      assert.equal(ours, theirs, `codec ${ours}, jose ${theirs}: ${JSON.stringify({ ...c, applied })}`);
    }),
    { numRuns: DIFFERENTIAL_RUNS },
  );
  // The property must have seen both verdicts, and the interesting mutations must have been tried.
  const accepted = ['none', 'high-s'].reduce((sum, kind) => sum + tally.get(`${kind}:accepted`), 0);
  assert.ok(accepted > 0, `no accepted link among the cases: ${tally}`);
  assert.ok(tally.get('flip-bit:refused') > 0, `no refused bit flip: ${tally}`);
  t.diagnostic(`mutation:verdict counts: ${tally}`);
});

/**
 * Fixed cases, each a known way for a signature check to go wrong, with the expected verdict stated
 * here (from the RFCs), not taken from either implementation: both must give it.
 */
const FIXED: readonly { name: string; case: Omit<JwsCase, 'jti' | 'kid'>; expected: 'accepted' | 'refused' }[] = [
  { name: 'EdDSA, valid', case: { base: 'EdDSA', headerAlg: 'EdDSA', signer: 'ed25519-a', verifier: 'ed25519-a', signing: sig('EdDSA'), mutation: { kind: 'none' } }, expected: 'accepted' },
  { name: 'Ed25519 (fully specified), valid', case: { base: 'Ed25519', headerAlg: 'Ed25519', signer: 'ed25519-a', verifier: 'ed25519-a', signing: sig('Ed25519'), mutation: { kind: 'none' } }, expected: 'accepted' },
  { name: 'ES256, valid', case: { base: 'ES256', headerAlg: 'ES256', signer: 'p256-a', verifier: 'p256-a', signing: sig('ES256'), mutation: { kind: 'none' } }, expected: 'accepted' },
  { name: 'ES384, valid', case: { base: 'ES384', headerAlg: 'ES384', signer: 'p384', verifier: 'p384', signing: sig('ES384'), mutation: { kind: 'none' } }, expected: 'accepted' },
  { name: 'PS256, valid (salt = 32)', case: { base: 'PS256', headerAlg: 'PS256', signer: 'rsa2048-a', verifier: 'rsa2048-a', signing: sig('PS256'), mutation: { kind: 'none' } }, expected: 'accepted' },
  // ECDSA signatures are malleable: (r, n - s) verifies as well; neither RFC 7518 nor WebCrypto refuses it.
  { name: 'ES256, high S', case: { base: 'ES256', headerAlg: 'ES256', signer: 'p256-a', verifier: 'p256-a', signing: sig('ES256'), mutation: { kind: 'high-s' } }, expected: 'accepted' },
  { name: 'ES384, high S', case: { base: 'ES384', headerAlg: 'ES384', signer: 'p384', verifier: 'p384', signing: sig('ES384'), mutation: { kind: 'high-s' } }, expected: 'accepted' },
  // RFC 7518 §3.4: the JWS signature is R || S, never DER.
  { name: 'ES256, DER-encoded signature', case: { base: 'ES256', headerAlg: 'ES256', signer: 'p256-a', verifier: 'p256-a', signing: { ...sig('ES256'), dsaEncoding: 'der' }, mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'ES384, DER-encoded signature', case: { base: 'ES384', headerAlg: 'ES384', signer: 'p384', verifier: 'p384', signing: { ...sig('ES384'), dsaEncoding: 'der' }, mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'ES256, s = 0', case: { base: 'ES256', headerAlg: 'ES256', signer: 'p256-a', verifier: 'p256-a', signing: sig('ES256'), mutation: { kind: 'scalar', which: 's', to: 'zero' } }, expected: 'refused' },
  { name: 'ES256, r and s swapped', case: { base: 'ES256', headerAlg: 'ES256', signer: 'p256-a', verifier: 'p256-a', signing: sig('ES256'), mutation: { kind: 'swap-r-s' } }, expected: 'refused' },
  { name: 'ES256 signed over SHA-384', case: { base: 'ES256', headerAlg: 'ES256', signer: 'p256-a', verifier: 'p256-a', signing: { ...sig('ES256'), hash: 'sha384' }, mutation: { kind: 'none' } }, expected: 'refused' },
  // RFC 8032 §5.1.7: S must be below L.
  { name: 'EdDSA, S + L', case: { base: 'EdDSA', headerAlg: 'EdDSA', signer: 'ed25519-a', verifier: 'ed25519-a', signing: sig('EdDSA'), mutation: { kind: 'ed25519-s-plus-l' } }, expected: 'refused' },
  { name: 'EdDSA, one byte short', case: { base: 'EdDSA', headerAlg: 'EdDSA', signer: 'ed25519-a', verifier: 'ed25519-a', signing: sig('EdDSA'), mutation: { kind: 'truncate', keep: 63 } }, expected: 'refused' },
  { name: 'EdDSA, one zero byte appended', case: { base: 'EdDSA', headerAlg: 'EdDSA', signer: 'ed25519-a', verifier: 'ed25519-a', signing: sig('EdDSA'), mutation: { kind: 'extend', bytes: [0] } }, expected: 'refused' },
  { name: 'ES256, one zero byte prepended', case: { base: 'ES256', headerAlg: 'ES256', signer: 'p256-a', verifier: 'p256-a', signing: sig('ES256'), mutation: { kind: 'prepend-zero' } }, expected: 'refused' },
  // Wrong curves and key types: the header names one algorithm, the key is of another.
  { name: 'ES256 header, P-384 key signs and verifies', case: { base: 'ES256', headerAlg: 'ES256', signer: 'p384', verifier: 'p384', signing: sig('ES384'), mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'ES384 header, P-256 key signs and verifies', case: { base: 'ES384', headerAlg: 'ES384', signer: 'p256-a', verifier: 'p256-a', signing: sig('ES256'), mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'ES256 header, P-521 signature, P-256 key', case: { base: 'ES256', headerAlg: 'ES256', signer: 'p521', verifier: 'p256-a', signing: sig('ES256'), mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'EdDSA header, P-256 key', case: { base: 'EdDSA', headerAlg: 'EdDSA', signer: 'p256-a', verifier: 'p256-a', signing: sig('ES256'), mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'ES256 header, Ed25519 key', case: { base: 'ES256', headerAlg: 'ES256', signer: 'ed25519-a', verifier: 'ed25519-a', signing: sig('EdDSA'), mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'ESP256 header (not a JOSE link algorithm here), P-256 key', case: { base: 'ES256', headerAlg: 'ESP256', signer: 'p256-a', verifier: 'p256-a', signing: sig('ES256'), mutation: { kind: 'none' } }, expected: 'refused' },
  // RSA-PSS parameters (RFC 7518 §3.5: MGF1 with the same hash, salt length = hash length).
  { name: 'PS256, salt 0', case: { base: 'PS256', headerAlg: 'PS256', signer: 'rsa2048-a', verifier: 'rsa2048-a', signing: { ...sig('PS256'), saltLength: 0 }, mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'PS256, salt 20', case: { base: 'PS256', headerAlg: 'PS256', signer: 'rsa2048-a', verifier: 'rsa2048-a', signing: { ...sig('PS256'), saltLength: 20 }, mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'PS256, salt 64', case: { base: 'PS256', headerAlg: 'PS256', signer: 'rsa2048-a', verifier: 'rsa2048-a', signing: { ...sig('PS256'), saltLength: 64 }, mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'PS256, maximal salt (222)', case: { base: 'PS256', headerAlg: 'PS256', signer: 'rsa2048-a', verifier: 'rsa2048-a', signing: { ...sig('PS256'), saltLength: 222 }, mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'PS256 header, SHA-384 digest (salt 32)', case: { base: 'PS256', headerAlg: 'PS256', signer: 'rsa2048-a', verifier: 'rsa2048-a', signing: { ...sig('PS256'), hash: 'sha384' }, mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'PS256 header, PKCS #1 v1.5 signature', case: { base: 'PS256', headerAlg: 'PS256', signer: 'rsa2048-a', verifier: 'rsa2048-a', signing: { ...sig('PS256'), rsaPadding: 'pkcs1' }, mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'RS256 header, PKCS #1 v1.5 signature, RSA key', case: { base: 'PS256', headerAlg: 'RS256', signer: 'rsa2048-a', verifier: 'rsa2048-a', signing: { ...sig('PS256'), rsaPadding: 'pkcs1' }, mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'PS384 header, PS384 signature, RSA key', case: { base: 'PS256', headerAlg: 'PS384', signer: 'rsa2048-a', verifier: 'rsa2048-a', signing: sig('PS384'), mutation: { kind: 'none' } }, expected: 'refused' },
  // RFC 7518 §3.5: a key of size 2048 bits or larger MUST be used.
  { name: 'PS256, 1024-bit RSA key', case: { base: 'PS256', headerAlg: 'PS256', signer: 'rsa1024', verifier: 'rsa1024', signing: sig('PS256'), mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'alg none, valid EdDSA signature', case: { base: 'EdDSA', headerAlg: 'none', signer: 'ed25519-a', verifier: 'ed25519-a', signing: sig('EdDSA'), mutation: { kind: 'none' } }, expected: 'refused' },
  { name: 'EdDSA, another Ed25519 key', case: { base: 'EdDSA', headerAlg: 'EdDSA', signer: 'ed25519-b', verifier: 'ed25519-a', signing: sig('EdDSA'), mutation: { kind: 'none' } }, expected: 'refused' },
];

function sig(alg: string): Signing {
  const hash = alg === 'ES384' || alg === 'PS384' ? 'sha384' : 'sha256';
  return { hash, dsaEncoding: 'ieee-p1363', rsaPadding: 'pss', saltLength: hash === 'sha384' ? 48 : 32 };
}

test('JOSE codec and jose.compactVerify give the RFC verdict on each named edge case', async (t) => {
  for (const fixed of FIXED) {
    await t.test(fixed.name, async () => {
      const c: JwsCase = { ...fixed.case, kid: undefined, jti: 'fixed' };
      const { jws, applied } = build(c);
      assert.equal(applied, c.mutation.kind, 'the mutation applies to this signature');
      const jwk = key(c.verifier).jwk;
      const ours = await codecVerdict(jws, jwk, c.headerAlg);
      assert.equal(await joseVerdict(jws, jwk, c.headerAlg), fixed.expected, 'jose');
      assert.equal(ours.startsWith('decode:') ? 'refused' : ours, fixed.expected, `codec (${ours})`);
    });
  }
});
