/**
 * Key checks wherever a key appears (SPEC-NOTES.md §3.3): canonical members, RSA size by value, EC
 * points on the curve, no small-order Ed25519 point. Expected sets are written from the RFCs and the
 * curve equations, not from the code.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { keyMaterialProblem } from '../../lib/keys/validate.js';
import { assertPublicJwk } from '../../lib/keys/keys.js';

const hexKey = (hex: string): Record<string, unknown> => ({ kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') });
const jwkOf = (type: 'ed25519' | 'ec', options: { namedCurve?: string } = {}): Record<string, unknown> =>
  (type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: options.namedCurve ?? 'P-256' })).publicKey.export({ format: 'jwk' }) as Record<string, unknown>;

describe('Ed25519', () => {
  // RFC 8032 §5.1.3 encodings of the 8 small-order points (and their sign-bit twins).
  const smallOrder = [
    '0000000000000000000000000000000000000000000000000000000000000000',
    '0000000000000000000000000000000000000000000000000000000000000080',
    '0100000000000000000000000000000000000000000000000000000000000000',
    '0100000000000000000000000000000000000000000000000000000000000080',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
    '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
  ];
  test('every small-order point is refused', () => {
    for (const hex of smallOrder) assert.match(String(keyMaterialProblem(hexKey(hex))), /small order/, hex);
  });
  test('non-canonical encodings (y ≥ p) are refused', () => {
    for (const hex of ['edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', 'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f']) {
      assert.match(String(keyMaterialProblem(hexKey(hex))), /canonical/, hex);
    }
  });
  test('generated keys pass', () => {
    for (let i = 0; i < 20; i++) assert.equal(keyMaterialProblem(jwkOf('ed25519')), undefined);
  });
});

describe('EC', () => {
  test('a point off the curve, a coordinate ≥ p and wrong lengths are refused; generated keys pass', () => {
    for (const curve of ['P-256', 'P-384']) {
      const jwk = jwkOf('ec', { namedCurve: curve });
      assert.equal(keyMaterialProblem(jwk), undefined, curve);
      const y = Buffer.from(String(jwk.y), 'base64url');
      y[y.length - 1] = (y[y.length - 1] as number) ^ 1;
      assert.match(String(keyMaterialProblem({ ...jwk, y: y.toString('base64url') })), /not on/);
      assert.match(String(keyMaterialProblem({ ...jwk, x: Buffer.alloc(y.length, 0xff).toString('base64url') })), /field element/);
      assert.match(String(keyMaterialProblem({ ...jwk, x: Buffer.alloc(y.length - 1, 1).toString('base64url') })), /bytes/);
    }
  });
});

describe('RSA', () => {
  const rsa = (bits: number): Record<string, unknown> => generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  const key2048 = rsa(2048);
  const key1024 = rsa(1024);
  test('the modulus is measured by value: 1024 bits padded with 128 zero octets is refused', () => {
    const padded = Buffer.concat([Buffer.alloc(128), Buffer.from(String(key1024.n), 'base64url')]).toString('base64url');
    assert.match(String(keyMaterialProblem({ ...key1024, n: padded })), /leading zero/);
    assert.match(String(keyMaterialProblem(key1024)), /1024 bits/);
    assert.equal(keyMaterialProblem(key2048), undefined);
  });
  test('a leading zero octet is refused in n and in e, even on a 2048-bit modulus', () => {
    const n = Buffer.concat([Buffer.alloc(1), Buffer.from(String(key2048.n), 'base64url')]).toString('base64url');
    assert.match(String(keyMaterialProblem({ ...key2048, n })), /leading zero/);
    assert.match(String(keyMaterialProblem({ ...key2048, e: Buffer.from([0, 1, 0, 1]).toString('base64url') })), /leading zero/);
  });
});

describe('canonical base64url members', () => {
  test('a member re-spelled in its unused bits is refused (one key, one thumbprint)', () => {
    const jwk = jwkOf('ed25519');
    const x = String(jwk.x);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = `${x.slice(0, -1)}${alphabet[alphabet.indexOf(x.at(-1) as string) ^ 1] as string}`;
    assert.match(String(keyMaterialProblem({ ...jwk, x: respelled })), /canonical/);
    assert.match(String(keyMaterialProblem({ ...jwk, x: `${x}=` })), /canonical/);
    assert.throws(() => assertPublicJwk({ ...jwk, x: respelled }), (error: unknown) => (error as { code?: string }).code === 'claims_invalid');
  });
});

describe('verdicts are kept per key, and only per key', () => {
  test('y = p − 2 (just below p, not small order) passes; the byte comparison has no off-by-one', () => {
    assert.equal(keyMaterialProblem(hexKey('ebffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f')), undefined);
    assert.equal(keyMaterialProblem(hexKey('ebffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff')), undefined);
  });
  test('a refused key is refused again, and a key differing in one member gets its own verdict', () => {
    const good = jwkOf('ec');
    const offCurve = { ...good, y: good.x };
    for (let i = 0; i < 3; i++) {
      assert.equal(keyMaterialProblem(good), undefined);
      assert.match(String(keyMaterialProblem(offCurve)), /not on P-256/);
    }
    // The same members under another curve name, or as an absent member, are other keys.
    assert.match(String(keyMaterialProblem({ ...good, crv: 'P-384' })), /not 48 bytes/);
    const { y: _y, ...noY } = good;
    assert.match(String(keyMaterialProblem(noY)), /"y" is not 32 bytes/);
  });
  test('members that are not strings are judged every time, never from a verdict', () => {
    const good = jwkOf('ed25519');
    assert.equal(keyMaterialProblem(good), undefined);
    assert.match(String(keyMaterialProblem({ ...good, x: [good.x] })), /canonical/);
  });
  test('more keys than the bound: verdicts stay right after the oldest are dropped', () => {
    const keys = Array.from({ length: 1100 }, () => hexKey(Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 7 + Math.floor(Math.random() * 256)) & 0x7f)).toString('hex')));
    for (const key of keys) keyMaterialProblem(key);
    assert.match(String(keyMaterialProblem(hexKey('0000000000000000000000000000000000000000000000000000000000000000'))), /small order/);
    assert.match(String(keyMaterialProblem(hexKey('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'))), /canonical/);
  });
});

describe('private members', () => {
  // RFC 7518 §6.2.2 (EC d), §6.3.2 (RSA d, p, q, dp, dq, qi, oth), §6.4.1 (oct k), RFC 8037 §2 (OKP
  // d), and `priv` (the AKP private key): each refused by name, own or inherited from a prototype.
  const names = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'priv'];
  test('a public key carrying any one private member is refused, the member named', () => {
    for (const name of names) {
      const own = { ...jwkOf('ec'), [name]: 'AQAB' };
      assert.throws(() => assertPublicJwk(own, 'the key'), (error: Error) => error.message === `the key contains private member "${name}"`, `own ${name}`);
      const inherited = Object.assign(Object.create({ [name]: 'AQAB' }) as Record<string, unknown>, jwkOf('ed25519'));
      assert.throws(() => assertPublicJwk(inherited, 'the key'), (error: Error) => error.message === `the key contains private member "${name}"`, `inherited ${name}`);
    }
  });
  test('the same keys without them pass', () => {
    assert.doesNotThrow(() => assertPublicJwk(jwkOf('ec'), 'the key'));
    assert.doesNotThrow(() => assertPublicJwk(jwkOf('ed25519'), 'the key'));
  });
});
