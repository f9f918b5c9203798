/**
 * Error messages quote what came from the input through one function, `quoted` (lib/errors.ts): a
 * message is logged and printed, and a link's strings (an `iss`, a `typ`, a certificate's names) must
 * not write new log lines, terminal controls or reordered text there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startChain, TransitiveProofError, verifyChain, type LinkInput, type TrustConfig } from '../../lib/index.js';
import { quoted } from '../../lib/errors.js';
import { AUDIENCE, makeParties, NOW, NOW_S } from '../helpers/fixtures.js';

/** Characters a message must never carry raw: C0 and C1 controls, line and paragraph separators, bidi controls. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

test('quoted: an ordinary value reads as it did between double quotes', () => {
  assert.equal(quoted('https://issuer.example/a b'), '"https://issuer.example/a b"');
  assert.equal(quoted('ES256'), '"ES256"');
});

test('quoted: controls, separators and bidi characters are escaped, never raw', () => {
  const hostile = 'a\r\nb\u001b[2Jc\u0085d\u2028e\u202ef\u2066g\u0000h"i\\j';
  const shown = quoted(hostile);
  assert.doesNotMatch(shown, UNSAFE);
  // Escaped, not dropped: the reader sees what was there.
  assert.equal(JSON.parse(shown), hostile);
  assert.match(shown, /\\u0085/);
  assert.match(shown, /\\u202e/);
});

test('quoted: at most 120 UTF-16 units of a value, then three dots', () => {
  const shown = quoted('x'.repeat(5000));
  assert.equal(shown, `"${'x'.repeat(120)}..."`);
});

test('a link whose iss holds line breaks, terminal controls and a bidi override: the refusal names it escaped', async () => {
  const p = await makeParties();
  const iss = 'https://evil.example/\r\n2030-01-01 INFO token issued\u001b[2J\u202eevil';
  const input: LinkInput = {
    iss, sub: 'user:1', aud: AUDIENCE, scope: 'read', tmb: p.C.cnf, iat: NOW_S - 10, exp: NOW_S + 300,
    delegate: { sub: p.B.id, cnf: p.B.cnf },
  };
  const trust: TrustConfig = { roots: [{ type: 'issuer', iss: 'https://as.example/other', jwks: { keys: [p.A.publicJwk] } }] };
  const chain = await startChain(input, p.A.signer);
  await assert.rejects(verifyChain(chain, trust, { audience: AUDIENCE, requester: { id: p.B.id, jkt: p.B.jkt }, now: NOW }), (error: unknown) => {
    assert.ok(error instanceof TransitiveProofError);
    assert.equal(error.code, 'untrusted_root');
    assert.doesNotMatch(error.message, UNSAFE);
    assert.ok(error.message.includes(quoted(iss)), error.message);
    return true;
  });
});
