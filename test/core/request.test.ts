/**
 * Steps 15–17 (SPEC-NOTES.md §6.2) and the request context (§6.1): the requested key is the chain's
 * tmb, the authenticated requester is the last delegate (optionally by its key), and the requested
 * scope is within the last link's grant.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyChain, type VerificationContext } from '../../lib/index.js';
import {
  AUDIENCE,
  buildChain,
  issuerTrust,
  makeParties,
  NO_LINK,
  NOW,
  rejectsWith,
  verifyStandard,
} from '../helpers/fixtures.js';

const p = await makeParties();
const chain2 = await buildChain(p, { length: 2 });
const chain1 = await buildChain(p, { length: 1 });

describe('step 15: requested tmb (tmb_mismatch)', () => {
  test('a requested key other than the chain tmb, reported at the last link', async () => {
    await rejectsWith(verifyStandard(p, chain2, { context: { tmb: p.M.cnf } }), 'tmb_mismatch', 1);
    await rejectsWith(verifyStandard(p, chain1, { context: { tmb: { jkt: p.M.jkt } } }), 'tmb_mismatch', 0);
  });

  test('the chain key requested by another confirmation method (jkt for jwk) does not match', async () => {
    await rejectsWith(verifyStandard(p, chain2, { context: { tmb: { jkt: p.C.jkt } } }), 'tmb_mismatch', 1);
  });

  test('the same jwk with members in another order matches', async () => {
    const { kty, crv, x } = p.C.publicJwk;
    const result = await verifyStandard(p, chain2, { context: { tmb: { jwk: { x, crv, kty } } } });
    assert.deepEqual(result.cnf, { jwk: p.C.publicJwk });
  });

  test('a malformed requested tmb is an invalid request', async () => {
    for (const tmb of [{}, { jwk: { kty: 'EC' } }, { jkt: 'short' }, { jwk: { ...p.C.publicJwk, d: p.C.privateJwk.d } }]) {
      await rejectsWith(verifyStandard(p, chain2, { context: { tmb: tmb as VerificationContext['tmb'] } }), 'request_invalid', NO_LINK);
    }
  });
});

describe('step 16: requester (requester_mismatch, requester_unauthenticated)', () => {
  test('a requester that is not the last delegate', async () => {
    for (const id of [p.B.id, p.A.id, p.M.id]) {
      await rejectsWith(verifyStandard(p, chain2, { context: { requester: { id } } }), 'requester_mismatch', 1);
    }
  });

  test('the right identifier authenticated with another key', async () => {
    await rejectsWith(verifyStandard(p, chain2, { context: { requester: { id: p.B2.id, jkt: p.M.jkt } } }), 'requester_mismatch', 1);
  });

  test('the right identifier authenticated with a certificate when the delegate is named by key', async () => {
    const x5t = Buffer.alloc(32, 1).toString('base64url');
    await rejectsWith(verifyStandard(p, chain2, { context: { requester: { id: p.B2.id, 'x5t#S256': x5t } } }), 'requester_mismatch', 1);
  });

  test('key-bound requesters are the default: without key evidence the requester is refused unless the verifier opts out', async () => {
    const secretOnly = { requester: { id: p.B2.id } };
    await rejectsWith(verifyStandard(p, chain2, { context: secretOnly }), 'requester_mismatch', 1);
    await rejectsWith(verifyStandard(p, chain2, { context: secretOnly, options: { requireRequesterKey: true } }), 'requester_mismatch', 1);
    await verifyStandard(p, chain2, { context: secretOnly, options: { requireRequesterKey: false } });
  });

  test('a requester with both a jkt and an x5t#S256 must match with each: a confirmation has one member, so it never does', async () => {
    const both = { requester: { id: p.B2.id, jkt: p.B2.jkt, 'x5t#S256': p.B2.jkt } };
    await rejectsWith(verifyStandard(p, chain2, { context: both }), 'requester_mismatch', 1);
  });

  test('requireRequesterKey with the delegate key, named by jwk or by jkt, passes', async () => {
    await verifyStandard(p, chain2, { context: { requester: { id: p.B2.id, jkt: p.B2.jkt } }, options: { requireRequesterKey: true } });
    const byJkt = await buildChain(p, { length: 2, input: (i, input) => (i === 1 ? { ...input, delegate: { sub: p.B2.id, cnf: { jkt: p.B2.jkt } } } : input) });
    await verifyStandard(p, byJkt, { context: { requester: { id: p.B2.id, jkt: p.B2.jkt } }, options: { requireRequesterKey: true } });
    await rejectsWith(verifyStandard(p, byJkt, { context: { requester: { id: p.B2.id, jkt: p.B.jkt } } }), 'requester_mismatch', 1);
  });

  test('no authenticated requester', async () => {
    await rejectsWith(verifyStandard(p, chain2, { context: { requester: { id: '' } } }), 'requester_unauthenticated', NO_LINK);
    const context = { audience: AUDIENCE, now: NOW } as unknown as VerificationContext;
    await rejectsWith(verifyChain(chain2, issuerTrust(p), context), 'requester_unauthenticated', NO_LINK);
  });
});

describe('step 17: requested scope (scope_exceeded, request_invalid)', () => {
  test('a requested scope beyond the last link', async () => {
    // "admin" is granted by link 0 but not by link 1, the last link.
    await rejectsWith(verifyStandard(p, chain2, { context: { scope: 'read admin' } }), 'scope_exceeded', 1);
    await rejectsWith(verifyStandard(p, chain2, { context: { scope: 'delete' } }), 'scope_exceeded', 1);
  });

  test('a requested subset, in any order, is granted as requested', async () => {
    const result = await verifyStandard(p, chain2, { context: { scope: 'write read' } });
    assert.equal(result.scope, 'write read');
  });

  test('a requested scope that is not a scope string', async () => {
    for (const scope of ['', 'read  write', ' read', 'read"']) {
      await rejectsWith(verifyStandard(p, chain2, { context: { scope } }), 'request_invalid', NO_LINK);
    }
  });

  test('a requested scope that is not a string (e.g. a repeated form parameter)', async () => {
    for (const scope of [['read'], 42, null]) {
      await rejectsWith(verifyStandard(p, chain2, { context: { scope: scope as unknown as string } }), 'request_invalid', NO_LINK);
    }
  });
});

describe('the context itself (invalid_argument)', () => {
  test('a missing audience is a usage error of the calling program', async () => {
    await rejectsWith(verifyStandard(p, chain2, { context: { audience: '' } }), 'invalid_argument', NO_LINK);
  });
});
