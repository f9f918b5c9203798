/**
 * The RSA rules of the key check (SPEC-NOTES.md §3.3) against a browser's WebCrypto: every exponent
 * the key check accepts, and no even modulus, is one headless Chromium imports. Before, the check accepted up to
 * 2^256 while Chromium (BoringSSL) refuses a key whose e has more than 33 bits: a PS256 link signed
 * by a delegate with e = 2^33 + 1 verified under Node and failed in a browser, the divergence class
 * of the RSA signature one octet short (CHANGELOG "Fixed"). An even modulus: node:crypto imports the
 * key (no signature verifies), Chromium refuses it, so the two gave different codes at different steps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { keyMaterialProblem } from '../../lib/keys/validate.js';
import { launchBrowser } from '../helpers/browser.js';
import { onBlankPage } from './support.js';

const toB64u = (value: bigint): string => {
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex').toString('base64url');
};

test('every RSA key the key check accepts (exponents at each bound, an even modulus) is one Chromium WebCrypto imports', async (t) => {
  const launched = await launchBrowser(t);
  if (launched === undefined) return;
  await onBlankPage(launched, 'rsa', {}, async (page) => {
    const { n } = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }) as { n: string };
    // Odd exponents around each bound: 2^16, 2^32, 2^33, 2^34, 2^64, 2^255.
    const exponents = [65537n, 2n ** 31n + 1n, 2n ** 32n - 1n, 2n ** 32n + 1n, 2n ** 33n - 1n, 2n ** 33n + 1n, 2n ** 34n + 1n, 2n ** 64n + 1n, 2n ** 255n + 1n];
    for (const e of exponents) {
      const jwk = { kty: 'RSA', n, e: toB64u(e) };
      const imported = await page.evaluate(async (key) => {
        try {
          await crypto.subtle.importKey('jwk', key, { name: 'RSA-PSS', hash: 'SHA-256' }, true, ['verify']);
          return true;
        } catch {
          return false;
        }
      }, jwk);
      const accepted = keyMaterialProblem(jwk) === undefined;
      // Accepted by the key check ⇒ imported by Chromium (the converse need not hold: 2^32 + 1 imports).
      if (accepted) assert.equal(imported, true, `e = ${e}: accepted by the key check, refused by Chromium`);
    }
    // The probe itself can fail: Chromium refuses 2^33 + 1 (BoringSSL: at most 33 bits).
    const big = await page.evaluate(async (key) => crypto.subtle.importKey('jwk', key, { name: 'RSA-PSS', hash: 'SHA-256' }, true, ['verify']).then(() => true, () => false), { kty: 'RSA', n, e: toB64u(2n ** 33n + 1n) });
    assert.equal(big, false, 'Chromium imported e = 2^33 + 1');
    // An even modulus: node:crypto imports it (and no signature verifies), Chromium refuses the key.
    const nEven = Buffer.from(n, 'base64url');
    nEven[nEven.length - 1] = (nEven[nEven.length - 1] as number) & 0xfe;
    const even = { kty: 'RSA', n: nEven.toString('base64url'), e: 'AQAB' };
    const evenImported = await page.evaluate(async (key) => crypto.subtle.importKey('jwk', key, { name: 'RSA-PSS', hash: 'SHA-256' }, true, ['verify']).then(() => true, () => false), even);
    if (keyMaterialProblem(even) === undefined) assert.equal(evenImported, true, 'an even modulus: accepted by the key check, refused by Chromium');
  });
});
