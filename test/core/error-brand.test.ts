/**
 * Two copies of the package in one process (two versions installed side by side, or a bundle and a
 * dependency) each have their own TransitiveProofError class: `instanceof` sees only its own, the
 * brand both copies share (Symbol.for) sees both.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as first from '../../lib/errors.js';

type ErrorsModule = typeof first;
// A second instance of the same module: another URL (the query) is another module record.
const second = (await import(new URL(`../../lib/errors.js?second-copy`, import.meta.url).href)) as ErrorsModule;

test('the second copy really is another class (instanceof does not cross copies)', () => {
  assert.notEqual(second.TransitiveProofError, first.TransitiveProofError);
  assert.ok(!(new second.TransitiveProofError('expired', 'x') instanceof first.TransitiveProofError));
});

test('isTransitiveProofError recognises an error thrown by another copy of the package, each way', () => {
  for (const [thrower, checker] of [[second, first], [first, second]] as const) {
    const error = new thrower.LinkError('scope_escalation', 1, 'link 1 widens scope');
    assert.equal(checker.isTransitiveProofError(error), true);
    assert.equal(checker.isTransitiveProofError(new thrower.X509Error('x5c_expired', 'expired certificate')), true);
  }
});

test('an object that only looks like one (code and message, no brand) is not a TransitiveProofError', () => {
  const lookalike = Object.assign(new Error('link 0 expired'), { code: 'expired', linkIndex: 0 });
  assert.equal(first.isTransitiveProofError(lookalike), false);
  assert.equal(first.isTransitiveProofError({ code: 'expired' }), false);
  assert.equal(first.isTransitiveProofError(null), false);
  assert.equal(first.isTransitiveProofError('expired'), false);
});

test('the brand is not an own enumerable property: JSON and spreading show only the error\'s fields', () => {
  const error = new first.TransitiveProofError('expired', 'link 0 expired', { linkIndex: 0 });
  assert.deepEqual(JSON.parse(JSON.stringify(error)), { code: 'expired', message: 'link 0 expired', oauthError: 'invalid_grant', linkIndex: 0 });
  assert.deepEqual(Object.getOwnPropertySymbols({ ...error }), []);
});
