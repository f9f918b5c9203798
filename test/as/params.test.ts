import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TransitiveProofError } from '../../lib/index.js';
import { parseTmbParameter, readParameters } from '../../lib/as/index.js';
import { world } from './fixtures.js';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof TransitiveProofError) return error.code;
    throw error;
  }
  return undefined;
}

describe('readParameters', () => {
  test('a parameter included twice is invalid_request (RFC 6749 §3.2)', () => {
    const params = new URLSearchParams('grant_type=x&tmb=a&tmb=b');
    assert.equal(code(() => readParameters(params)), 'request_invalid');
    assert.equal(code(() => readParameters({ grant_type: 'x', scope: ['a', 'b'] })), 'request_invalid');
  });

  test('resource and audience may repeat (RFC 8707, RFC 8693), within a bound', () => {
    const read = readParameters(new URLSearchParams('resource=https://r1&resource=https://r2&audience=x&audience=y'));
    assert.deepEqual(read.repeated.get('resource'), ['https://r1', 'https://r2']);
    assert.deepEqual(read.repeated.get('audience'), ['x', 'y']);
    const many = new URLSearchParams();
    for (let i = 0; i < 9; i++) many.append('resource', `https://r${i}`);
    assert.equal(code(() => readParameters(many)), 'request_invalid');
  });

  test('empty values count as omitted (RFC 6749 §3.1)', () => {
    const read = readParameters(new URLSearchParams('scope=&tmb=x&tmb='));
    assert.equal(read.single.has('scope'), false);
    assert.equal(read.single.get('tmb'), 'x');
  });

  test('count and size are bounded', () => {
    const many = new URLSearchParams();
    for (let i = 0; i < 65; i++) many.append(`p${i}`, 'v');
    assert.equal(code(() => readParameters(many)), 'request_invalid');
    assert.equal(code(() => readParameters({ tmb_proof: 'x'.repeat(65_537) })), 'request_invalid');
    assert.equal(code(() => readParameters({ tmb_proof: 'x'.repeat(100) }, { maxParameters: 64, maxValueLength: 99, maxRepeats: 8 })), 'request_invalid');
  });

  test('non-string values are invalid_request', () => {
    assert.equal(code(() => readParameters({ tmb: 5 as unknown as string })), 'request_invalid');
  });
});

describe('parseTmbParameter', () => {
  test('accepts each confirmation form', async () => {
    const { C } = await world();
    assert.deepEqual(parseTmbParameter(JSON.stringify({ jkt: C.jkt })), { jkt: C.jkt });
    assert.deepEqual(parseTmbParameter(JSON.stringify({ jwk: C.publicJwk })), { jwk: C.publicJwk });
    const x5t = 'A'.repeat(43);
    assert.deepEqual(parseTmbParameter(JSON.stringify({ 'x5t#S256': x5t })), { 'x5t#S256': x5t });
  });

  test('rejects what is not one strict confirmation', async () => {
    const { C } = await world();
    const cases: [string, string][] = [
      ['not JSON', '{jkt:'],
      ['trailing text', `{"jkt":"${C.jkt}"} x`],
      ['duplicate member', `{"jkt":"${C.jkt}","jkt":"${C.jkt}"}`],
      ['duplicate member inside jwk', `{"jwk":{"kty":"EC","kty":"EC","crv":"P-256","x":"${C.publicJwk.x}","y":"${C.publicJwk.y}"}}`],
      ['array', `["${C.jkt}"]`],
      ['two methods', JSON.stringify({ jkt: C.jkt, 'x5t#S256': C.jkt })],
      ['bad thumbprint', JSON.stringify({ jkt: 'short' })],
      ['private key', JSON.stringify({ jwk: C.privateJwk })],
      ['symmetric key', JSON.stringify({ jwk: { kty: 'oct', k: 'AAAA' } })],
      ['unknown member', JSON.stringify({ jkt: C.jkt, extra: 1 })],
      ['too deep', `{"jwk":{"kty":"EC","key_ops":[[[[["sign"]]]]]}}`],
      ['too long', JSON.stringify({ jwk: { ...C.publicJwk, kid: 'k'.repeat(5000) } })],
    ];
    for (const [name, text] of cases) {
      assert.equal(code(() => parseTmbParameter(text)), 'request_invalid', name);
    }
  });
});
