/**
 * Key material checks that a schema cannot express (SPEC-NOTES.md §3.3), applied wherever a public
 * key appears: `tmb`, `may_act.cnf`, the trust configuration, the `tmb` request parameter and DPoP
 * proofs. One key must have one spelling (so one thumbprint), and a key must be one that only its
 * holder can sign for:
 * - every base64url member is the canonical spelling of its bytes (RFC 7515 §2, RFC 4648 §5);
 * - RSA `n` and `e` use the minimum number of octets (RFC 7518 §6.3.1.1–2), the modulus is odd, of
 *   at least 2048 bits by value, not by length (a 1024-bit modulus padded with zero octets is
 *   refused), and of at most 16384 (node:crypto verifies nothing with a longer one, browsers refuse it),
 *   and the exponent is odd with 2^16 < e < 2^32 (FIPS 186-5: with e = 1 anyone can sign; browsers
 *   refuse large ones);
 * - EC `x` and `y` are field elements of the curve's size and the point is on the curve
 *   (RFC 7518 §6.2.1.2; an off-curve point is an invalid-curve attack waiting for a signer);
 * - Ed25519 `x` is a canonical encoding (y < p, RFC 8032 §5.1.3) and not a point of small order
 *   (for which signatures can be made without any private key).
 * No Buffer and no node:crypto: plain Uint8Array and BigInt, the same on every platform. Verdicts
 * are kept per key (keyMaterialProblem), so a key seen again costs one Map lookup.
 */

import { CURVE_BYTES, MAX_RSA_EXPONENT_OCTETS, MAX_RSA_MODULUS_BITS, MIN_RSA_MODULUS_BITS } from '../runtime/algorithms.js';
import { fromBase64url as decodeCanonicalBase64url, isCanonicalBase64url } from '../runtime/base64.js';
import { KeyMemberCache } from './member-cache.js';

export { isCanonicalBase64url };

interface Curve {
  p: bigint;
  b: bigint;
}

/** Short Weierstrass curves y² = x³ − 3x + b over GF(p) (SEC 2 §2.4.2, §2.5.1; p as FIPS 186-5 / SP 800-186 §3.2.1.3–4 write it). */
const CURVES: Readonly<Record<string, Curve>> = {
  'P-256': {
    p: 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
  },
  'P-384': {
    p: 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
  },
};


/**
 * The encodings of the Ed25519 points of small order (orders 1, 2, 4 and 8), with the sign bit of
 * the last byte cleared; an encoding matches when it equals one of them after clearing that bit.
 * The list is the one libsodium refuses (crypto_core_ed25519_is_valid_point / has_small_order);
 * y = p and y = p + 1 are non-canonical spellings of y = 0 and y = 1, refused anyway as non-canonical.
 */
const ED25519_SMALL_ORDER = [
  '00'.repeat(32), // y = 0 (order 4)
  `01${'00'.repeat(31)}`, // y = 1, the identity (order 1)
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', // order 8
  `ec${'ff'.repeat(30)}7f`, // y = p − 1 (order 2)
];

/**
 * Verdicts of keyMaterialProblem by the members it reads. The same keys come back on every
 * verification (the root's, each delegate's, the `tmb` key in every link), and an EC point check
 * costs BigInt arithmetic; a verdict depends only on these members (kty, crv, x, y, n, e), so it is
 * kept, boundedly (KeyMemberCache), so that attacker-chosen keys cannot grow memory.
 */
const verdicts = new KeyMemberCache<string | undefined>(1024);

/** Why this public JWK's key material is unacceptable, or undefined when it is acceptable. */
export function keyMaterialProblem(jwk: Readonly<Record<string, unknown>>): string | undefined {
  const known = verdicts.lookup(jwk);
  if (known !== undefined) return known.value;
  const problem = findKeyMaterialProblem(jwk);
  verdicts.set(jwk, problem);
  return problem;
}

function findKeyMaterialProblem(jwk: Readonly<Record<string, unknown>>): string | undefined {
  for (const member of ['x', 'y', 'n', 'e'] as const) {
    const value = jwk[member];
    if (value !== undefined && (typeof value !== 'string' || !isCanonicalBase64url(value))) {
      return `member "${member}" is not canonical base64url`;
    }
  }
  return jwk.kty === 'RSA' ? rsaProblem(jwk)
    : jwk.kty === 'EC' ? ecProblem(jwk)
      : jwk.kty === 'OKP' && jwk.crv === 'Ed25519' ? ed25519Problem(jwk) : undefined;
}

function rsaProblem(jwk: Readonly<Record<string, unknown>>): string | undefined {
  const n = decodeCanonicalBase64url(String(jwk.n));
  const e = decodeCanonicalBase64url(String(jwk.e));
  if (n === undefined || e === undefined || n.length === 0 || e.length === 0) return 'an RSA member is empty';
  if (n[0] === 0 || e[0] === 0) return 'an RSA member has leading zero octets (RFC 7518 §6.3.1.1)';
  const bits = (n.length - 1) * 8 + (32 - Math.clz32(n[0] as number));
  if (bits < MIN_RSA_MODULUS_BITS) return `the RSA modulus has ${bits} bits, fewer than ${MIN_RSA_MODULUS_BITS}`;
  if (bits > MAX_RSA_MODULUS_BITS) return `the RSA modulus has ${bits} bits, more than ${MAX_RSA_MODULUS_BITS}`;
  // An RSA modulus is a product of odd primes. An even one is no RSA key: node:crypto imports it (and
  // verifies nothing), browsers refuse it (BoringSSL), so it is refused here, where the key appears.
  if (((n[n.length - 1] as number) & 1) === 0) return 'the RSA modulus is even';
  return rsaExponentProblem(e);
}

/**
 * FIPS 186-5 §A.1.1 (and NIST SP 800-56B Rev. 2 §6.2.1): e is odd and above 2^16. With e = 1 a
 * signature is the encoded message itself (anyone can sign); an even e is no RSA key; a small e is
 * what the standards rule out. And below 2^32, where FIPS allows up to 2^256: Chromium's WebCrypto
 * (BoringSSL) refuses to import a key whose e has more than 33 bits, which node:crypto verifies
 * with, so a larger e would verify a link on Node and not in a browser. `e` is minimal (no leading
 * zero octet): checked before.
 */
function rsaExponentProblem(e: Uint8Array): string | undefined {
  const odd = ((e[e.length - 1] as number) & 1) === 1;
  // Above 2^16: more than three octets, or three octets and not 0x010000 (the one 3-octet value ≤ 2^16).
  const above2To16 = e.length > 3 || (e.length === 3 && !(e[0] === 1 && e[1] === 0 && e[2] === 0));
  if (!odd || !above2To16 || e.length > MAX_RSA_EXPONENT_OCTETS) return 'the RSA public exponent is not odd with 2^16 < e < 2^32 (SPEC-NOTES.md §3.3)';
  return undefined;
}

function ecProblem(jwk: Readonly<Record<string, unknown>>): string | undefined {
  const curve = CURVES[String(jwk.crv)];
  if (curve === undefined) return undefined; // unsupported curves are refused by the caller
  const bytes = CURVE_BYTES[jwk.crv as 'P-256' | 'P-384'];
  const xBytes = decodeCanonicalBase64url(String(jwk.x));
  const yBytes = decodeCanonicalBase64url(String(jwk.y));
  if (xBytes?.length !== bytes) return `member "x" is not ${bytes} bytes`;
  if (yBytes?.length !== bytes) return `member "y" is not ${bytes} bytes`;
  const x = toBigInt(xBytes);
  const y = toBigInt(yBytes);
  if (x >= curve.p || y >= curve.p) return 'a coordinate is not a field element (not below p)';
  const { p } = curve;
  const right = (((((x * x) % p) * x) % p) - 3n * x + curve.b) % p;
  if ((y * y - right) % p !== 0n) return `the point is not on ${String(jwk.crv)}`;
  return undefined;
}

function ed25519Problem(jwk: Readonly<Record<string, unknown>>): string | undefined {
  const bytes = decodeCanonicalBase64url(String(jwk.x));
  if (bytes?.length !== 32) return 'member "x" is not 32 bytes';
  // y is little-endian with the sign of x in the top bit (RFC 8032 §5.1.2); compared as bytes.
  const masked = Uint8Array.from(bytes);
  masked[31] = (masked[31] as number) & 0x7f;
  if (compareLittleEndian(masked, ED25519_P_BYTES) >= 0) return 'member "x" is not a canonical Ed25519 encoding (y ≥ p)';
  if (ED25519_SMALL_ORDER_BYTES.some((point) => compareLittleEndian(masked, point) === 0)) return 'member "x" is an Ed25519 point of small order';
  return undefined;
}

/** p = 2^255 − 19, little-endian. */
const ED25519_P_BYTES = fromHex(`ed${'ff'.repeat(30)}7f`);
const ED25519_SMALL_ORDER_BYTES = ED25519_SMALL_ORDER.map(fromHex);

/** Sign of a − b for two little-endian numbers of the same length. */
function compareLittleEndian(a: Uint8Array, b: Uint8Array): number {
  for (let i = a.length - 1; i >= 0; i--) {
    const difference = (a[i] as number) - (b[i] as number);
    if (difference !== 0) return difference;
  }
  return 0;
}

function fromHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

function toBigInt(bigEndian: Uint8Array): bigint {
  return bigEndian.length === 0 ? 0n : BigInt(`0x${toHex(bigEndian)}`);
}
