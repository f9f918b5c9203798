/**
 * The JWS reader keeps headers it has read by their segment text (lib/codecs/jose/jws.ts): a kept
 * header must answer only for its own segment, give every reader a header of its own to change, and
 * never keep what must be read every time (x5c, crit, a key in the header) or a header that failed.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readJws } from '../../lib/codecs/jose/jws.js';
import { DEFAULT_LIMITS } from '../../lib/model/limits.js';
import { LinkError } from '../../lib/errors.js';

const b64u = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
const encoder = new TextEncoder();
/** A JWS compact serialization with this header text (the signature is not checked by the reader). */
const jws = (headerJson: string, payloadJson = '{"a":1}'): Uint8Array => encoder.encode(`${b64u(headerJson)}.${b64u(payloadJson)}.AAAA`);
const read = (headerJson: string, payloadJson?: string) => readJws(jws(headerJson, payloadJson), 0, DEFAULT_LIMITS);

describe('headers read before', () => {
  test('each segment reads as its own header, however often the others were read', () => {
    const texts = ['{"alg":"ES256","typ":"tmb-link+jwt"}', '{"alg":"EdDSA","typ":"tmb-link+jwt"}', '{"alg":"ES256","typ":"tmb-link+jwt","kid":"k1"}', '{"alg":"ES256","typ":"tmb-link+jwt","kid":"k2"}', '{"typ":"tmb-link+jwt","alg":"ES256"}', '{"alg":"ES256","typ":1}'];
    for (let round = 0; round < 3; round++) {
      for (const text of texts) {
        const raw = JSON.parse(text) as Record<string, unknown>;
        const { header, rawHeader } = read(text);
        assert.deepEqual({ ...rawHeader }, raw, text);
        assert.equal(header.alg, raw.alg, text);
        assert.equal(header.typ, typeof raw.typ === 'string' ? raw.typ : undefined, text);
        assert.equal(header.kid, raw.kid, text);
        assert.deepEqual(header.keyParameters, [], text);
      }
    }
  });

  test('a header changed by its reader does not change the next read of the same segment', () => {
    const text = '{"alg":"ES256","typ":"tmb-link+jwt","jku":"https://keys.example"}';
    for (let round = 0; round < 3; round++) {
      const { header, rawHeader } = read(text);
      assert.equal(header.alg, 'ES256');
      assert.equal(header.kid, undefined);
      assert.deepEqual(header.keyParameters, ['jku']);
      header.alg = 'none';
      header.kid = 'changed';
      header.keyParameters.length = 0;
      if (Object.isFrozen(rawHeader)) {
        assert.throws(() => {
          (rawHeader as Record<string, unknown>).alg = 'none';
        }, TypeError);
      }
    }
  });

  test('crit, x5c and a header key are read every time, and stay in the header', () => {
    const crit = '{"alg":"ES256","typ":"tmb-link+jwt","crit":["exp"],"exp":1}';
    const jwk = '{"alg":"ES256","typ":"tmb-link+jwt","jwk":{"kty":"OKP"}}';
    const x5c = `{"alg":"ES256","typ":"tmb-link+jwt","x5c":["${Buffer.from([0x30, 0x00]).toString('base64')}"]}`;
    for (let round = 0; round < 3; round++) {
      const critRead = read(crit);
      assert.deepEqual(critRead.header.crit, ['exp']);
      critRead.header.crit?.pop();
      assert.deepEqual(read(jwk).header.keyParameters, ['jwk']);
      assert.deepEqual(read(jwk).rawHeader.jwk, { kty: 'OKP' });
      const certificates = read(x5c).header.x5c;
      assert.deepEqual(certificates?.map((der) => [...der]), [[0x30, 0x00]]);
      certificates?.pop();
    }
  });

  test('a header refused once is refused again, and the limit of the read decides', () => {
    const duplicate = '{"alg":"ES256","alg":"EdDSA","typ":"tmb-link+jwt"}';
    for (let round = 0; round < 2; round++) {
      assert.throws(() => read(duplicate), (error: unknown) => error instanceof LinkError && error.code === 'link_malformed');
    }
    const x5c = `{"alg":"ES256","x5c":["MAA=","MAA="]}`;
    assert.equal(readJws(jws(x5c), 0, DEFAULT_LIMITS).header.x5c?.length, 2);
    assert.throws(() => readJws(jws(x5c), 0, { ...DEFAULT_LIMITS, maxCertificates: 1 }), (error: unknown) => (error as { code?: string }).code === 'x5c_too_many');
  });

  test('a kept header with x5c is judged by each read: its nesting against maxNesting, its count, its bytes fresh', () => {
    const x5c = `{"alg":"ES256","typ":"tmb-link+jwt","x5c":["MAA=","MAE="]}`;
    const first = readJws(jws(x5c), 0, DEFAULT_LIMITS);
    assert.deepEqual(first.header.x5c, [Uint8Array.of(0x30, 0x00), Uint8Array.of(0x30, 0x01)]);
    first.header.x5c?.[0]?.fill(0xff);
    first.header.x5c?.pop();
    assert.throws(() => (first.rawHeader.x5c as string[]).push('MAA='), TypeError, 'the kept texts are frozen');
    assert.deepEqual(readJws(jws(x5c), 0, DEFAULT_LIMITS).header.x5c, [Uint8Array.of(0x30, 0x00), Uint8Array.of(0x30, 0x01)]);
    // An array in an object is nesting depth 2: a read allowing 1 refuses the kept header too.
    assert.throws(() => readJws(jws(x5c), 0, { ...DEFAULT_LIMITS, maxNesting: 1 }), (error: unknown) => error instanceof LinkError && error.code === 'link_malformed');
    assert.throws(() => readJws(jws(x5c), 0, { ...DEFAULT_LIMITS, maxCertificates: 1 }), (error: unknown) => (error as { code?: string }).code === 'x5c_too_many');
    assert.equal(readJws(jws(x5c), 0, DEFAULT_LIMITS).header.x5c?.length, 2);
  });

  test('long headers that share their length, start and end each read as their own', () => {
    // Over 512 characters a header is found by its length and its first and last characters, then
    // compared in full: these differ in one byte of the first certificate, in the middle.
    const certificate = (middle: number): string => Buffer.from(Array.from({ length: 400 }, (_, i) => (i === 200 ? middle : (i * 7) & 0xff))).toString('base64');
    const last = Buffer.from(Array.from({ length: 400 }, (_, i) => (i * 13) & 0xff)).toString('base64');
    const headerWith = (middle: number): string => `{"alg":"ES256","typ":"tmb-link+jwt","x5c":["${certificate(middle)}","${last}"]}`;
    const segments = [1, 2, 3].map((middle) => b64u(headerWith(middle)));
    assert.ok(segments.every((segment) => segment.length > 512 && segment.length === segments[0]?.length && segment.slice(0, 200) === segments[0]?.slice(0, 200) && segment.slice(-200) === segments[0]?.slice(-200)));
    for (let round = 0; round < 3; round++) {
      for (const middle of [1, 2, 3]) {
        const { header, rawHeader } = readJws(jws(headerWith(middle)), 0, DEFAULT_LIMITS);
        assert.equal(header.x5c?.[0]?.[200], middle, `round ${round}, certificate ${middle}`);
        assert.equal((rawHeader.x5c as string[])[0], certificate(middle));
      }
    }
  });

  test('behind a kept header the rest is held to the compact form as without one', () => {
    const header = b64u('{"alg":"ES256","typ":"tmb-link+jwt","kid":"form"}');
    const payload = b64u('{"a":1}');
    const rests = [`${payload}.AAAA.AAAA`, payload, `${payload}.`, `.AAAA`, `${payload}..AAAA`, `${payload}.AA+A`, `${payload}.AA/A`, `${payload}.AAAA=`, `${payload}.AAAA\n`, `${payload}.AAAA `, `${payload}.AAé`, `${payload}é.AAAA`, `\n${payload}.AAAA`];
    for (const kept of [false, true]) {
      if (kept) readJws(encoder.encode(`${header}.${payload}.AAAA`), 0, DEFAULT_LIMITS);
      for (const rest of rests) {
        assert.throws(() => readJws(encoder.encode(`${header}.${rest}`), 3, DEFAULT_LIMITS), (error: unknown) => {
          assert.ok(error instanceof LinkError, rest);
          assert.equal(error.code, 'link_malformed', rest);
          assert.equal(error.message, 'link 3 is not a JWS compact serialization', `${kept ? 'kept' : 'first'}: ${JSON.stringify(rest)}`);
          return true;
        });
      }
    }
  });

  test('the payload is read from its own segment behind a kept header', () => {
    const text = '{"alg":"ES256","typ":"tmb-link+jwt"}';
    assert.deepEqual(read(text, '{"a":1}').payload, { a: 1 });
    assert.deepEqual(read(text, '{"a":2}').payload, { a: 2 });
    assert.throws(() => read(text, '{"a":1,"a":2}'), (error: unknown) => error instanceof LinkError && error.code === 'link_malformed');
  });
});
