import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TransitiveProofError } from '../../lib/index.js';
import { parseTmbParameter, processDeferredBindingRequest, readParameters } from '../../lib/as/index.js';
import { MemoryReplayStore } from '../../lib/replay/store.js';
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

  test('a partial limit keeps the other defaults; an undefined member is no value, not a lifted limit', () => {
    const long = { tmb_proof: 'x'.repeat(65_537) };
    assert.equal(code(() => readParameters({ tmb_proof: 'x'.repeat(100) }, { maxValueLength: 99 })), 'request_invalid');
    assert.equal(code(() => readParameters(long, { maxRepeats: 2 })), 'request_invalid', 'the default value length still holds');
    assert.equal(code(() => readParameters(long, { maxValueLength: undefined })), 'request_invalid');
    const many = new URLSearchParams();
    for (let i = 0; i < 65; i++) many.append(`p${i}`, 'v');
    assert.equal(code(() => readParameters(many, { maxParameters: undefined })), 'request_invalid');
    assert.equal(readParameters({ tmb_proof: 'x'.repeat(65_537) }, { maxValueLength: 65_537 }).single.get('tmb_proof')?.length, 65_537);
  });

  test('a limit that is not a positive integer, or a member that is no limit, is a configuration fault (invalid_argument)', () => {
    for (const bad of [{ maxValueLength: Number.NaN }, { maxValueLength: 0 }, { maxParameters: -1 }, { maxRepeats: 1.5 }, { maxValueLength: '10' }, { maxValueLength: Infinity }, { maxValuesLength: 10 }, null, 'x']) {
      assert.equal(code(() => readParameters({ scope: 'read' }, bad as never)), 'invalid_argument', JSON.stringify(bad));
    }
  });

  test('non-string values are invalid_request', () => {
    assert.equal(code(() => readParameters({ tmb: 5 as unknown as string })), 'request_invalid');
  });
});

describe('parameterLimits of processDeferredBindingRequest (§8.3 step 3)', () => {
  const request = (parameterLimits: object) => processDeferredBindingRequest(
    { grant_type: 'client_credentials', tmb: '{}', tmb_proof: 'x', scope: 's'.repeat(65_537) },
    { client: { id: 'c' }, issuer: 'https://as.test', trust: { roots: [] }, replayStore: new MemoryReplayStore(), parameterLimits: parameterLimits as never },
  );

  test('an undefined limit keeps the default: a value over 65 536 bytes is refused at step 3', async () => {
    const outcome = await request({ maxValueLength: undefined, maxParameters: undefined });
    assert.deepEqual(outcome.ok ? 'issued' : [outcome.code, outcome.step], ['request_invalid', '3']);
  });

  test('a limit that is no positive integer answers 500 server_error without detail', async () => {
    const outcome = await request({ maxValueLength: Number.NaN });
    assert.deepEqual(outcome.ok ? 'issued' : [outcome.status, outcome.error.error, outcome.code, outcome.step], [500, 'server_error', 'invalid_argument', '3']);
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
