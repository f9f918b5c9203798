/**
 * Step 12 (SPEC-NOTES.md §6.2): every link is valid at the injected time (with the configured clock
 * tolerance), has a bounded lifetime, and lies inside its parent's validity window. Expected
 * outcomes follow RFC 7519 §4.1.4/§4.1.5 with leeway: expired when now >= exp + tolerance, not yet
 * valid when now + tolerance < nbf (or iat).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier, DEFAULT_CLOCK_TOLERANCE_SECONDS, DEFAULT_MAX_LIFETIME_SECONDS, type LinkInput } from '../../lib/index.js';
import {
  buildChain,
  contextFor,
  issuerTrust,
  LINK_EXPS,
  LINK_IATS,
  makeParties,
  NOW,
  NOW_S,
  rejectsWith,
  verifyStandard,
} from '../helpers/fixtures.js';

const p = await makeParties();
const TOL = DEFAULT_CLOCK_TOLERANCE_SECONDS;

/** A 2-link chain with link `index`'s input changed. */
function chainWith(index: number, change: Partial<LinkInput>, length = 2) {
  return buildChain(p, { length, input: (i, input) => (i === index ? { ...input, ...change } : input) });
}

describe('expired', () => {
  test('link 1 expired beyond the tolerance', async () => {
    const chain = await chainWith(1, { iat: LINK_IATS[0], exp: NOW_S - TOL - 1 });
    await rejectsWith(verifyStandard(p, chain), 'expired', 1);
  });

  test('exactly at exp + tolerance it is expired; one second earlier it is not', async () => {
    await rejectsWith(verifyStandard(p, await chainWith(1, { iat: LINK_IATS[0], exp: NOW_S - TOL })), 'expired', 1);
    await verifyStandard(p, await chainWith(1, { iat: LINK_IATS[0], exp: NOW_S - TOL + 1 }));
  });

  test('an expired root is reported at index 0', async () => {
    const chain = await buildChain(p, { length: 2, input: (i, input) => ({ ...input, iat: NOW_S - 1000 + i, exp: NOW_S - 100 - i }) });
    await rejectsWith(verifyStandard(p, chain), 'expired', 0);
  });

  test('clockToleranceSeconds 0 from the trust configuration', async () => {
    const chain = await chainWith(1, { iat: LINK_IATS[0], exp: NOW_S });
    await verifyStandard(p, chain);
    await rejectsWith(verifyStandard(p, chain, { trust: issuerTrust(p, { clockToleranceSeconds: 0 }) }), 'expired', 1);
  });
});

describe('not_yet_valid', () => {
  test('nbf in the future beyond the tolerance', async () => {
    await rejectsWith(verifyStandard(p, await chainWith(0, { nbf: NOW_S + TOL + 1 }, 1)), 'not_yet_valid', 0);
  });

  test('nbf in the future within the tolerance passes', async () => {
    const result = await verifyStandard(p, await chainWith(0, { nbf: NOW_S + TOL }, 1));
    assert.equal(result.links[0]?.claims.nbf, NOW_S + TOL);
  });

  test('iat in the future beyond the tolerance (link 1)', async () => {
    await rejectsWith(verifyStandard(p, await chainWith(1, { iat: NOW_S + TOL + 1 })), 'not_yet_valid', 1);
  });

  test('iat in the future within the tolerance passes', async () => {
    await verifyStandard(p, await chainWith(1, { iat: NOW_S + TOL }));
  });
});

describe('lifetime_exceeded', () => {
  test('a root living longer than the default maximum', async () => {
    const iat = LINK_IATS[0];
    await rejectsWith(verifyStandard(p, await chainWith(0, { exp: iat + DEFAULT_MAX_LIFETIME_SECONDS + 1 })), 'lifetime_exceeded', 0);
    await verifyStandard(p, await chainWith(0, { exp: iat + DEFAULT_MAX_LIFETIME_SECONDS }));
  });

  test('maxLifetimeSeconds from the trust configuration, per link', async () => {
    const chain = await buildChain(p, { length: 2 });
    const rootLifetime = LINK_EXPS[0] - LINK_IATS[0];
    const childLifetime = LINK_EXPS[1] - LINK_IATS[1];
    assert.ok(childLifetime < rootLifetime);
    await verifyStandard(p, chain, { trust: issuerTrust(p, { maxLifetimeSeconds: rootLifetime }) });
    await rejectsWith(verifyStandard(p, chain, { trust: issuerTrust(p, { maxLifetimeSeconds: rootLifetime - 1 }) }), 'lifetime_exceeded', 0);
    // A child can only outlive the root's lifetime by an early iat with its nbf inside the parent's window.
    const long = await chainWith(1, { iat: LINK_IATS[0] - 200, nbf: LINK_IATS[0] });
    assert.ok(LINK_EXPS[1] - (LINK_IATS[0] - 200) > rootLifetime);
    await verifyStandard(p, long);
    await rejectsWith(verifyStandard(p, long, { trust: issuerTrust(p, { maxLifetimeSeconds: rootLifetime }) }), 'lifetime_exceeded', 1);
  });
});

describe('validity_escalation', () => {
  test('a child that expires after its parent', async () => {
    await rejectsWith(verifyStandard(p, await chainWith(1, { exp: LINK_EXPS[0] + 1 })), 'validity_escalation', 1);
  });

  test('a child whose window starts before its parent\'s (iat before the parent\'s iat)', async () => {
    await rejectsWith(verifyStandard(p, await chainWith(1, { iat: LINK_IATS[0] - 1 })), 'validity_escalation', 1);
  });

  test('a child whose window starts before its parent\'s nbf', async () => {
    const parentNbf = LINK_IATS[0] + 20;
    const chain = await buildChain(p, { length: 2, input: (i, input) => (i === 0 ? { ...input, nbf: parentNbf } : { ...input, iat: parentNbf - 1 }) });
    await rejectsWith(verifyStandard(p, chain), 'validity_escalation', 1);
  });

  test('a child window equal to its parent\'s passes', async () => {
    await verifyStandard(p, await chainWith(1, { iat: LINK_IATS[0], exp: LINK_EXPS[0] }));
  });

  test('escalation is checked at every depth (link 2 outlives link 1 but not link 0)', async () => {
    await rejectsWith(verifyStandard(p, await chainWith(2, { exp: LINK_EXPS[1] + 1 }, 3)), 'validity_escalation', 2);
  });
});

describe('the clock is injected', () => {
  test('context.now wins over the verifier clock; the clock is used when now is absent', async () => {
    const chain = await buildChain(p, { length: 2 });
    const verifier = await createVerifier(issuerTrust(p), { clock: () => new Date((LINK_EXPS[1] + TOL) * 1000) });
    await verifier.verify(chain, contextFor(p, 2, { now: NOW }));
    const { now: _now, ...withoutNow } = contextFor(p, 2);
    await rejectsWith(verifier.verify(chain, withoutNow), 'expired', 1);
  });

  test('an invalid context.now is a usage error', async () => {
    const chain = await buildChain(p, { length: 2 });
    await rejectsWith(verifyStandard(p, chain, { context: { now: new Date(Number.NaN) } }), 'invalid_argument', undefined);
  });

  test('a verifier clock that returns no valid Date is a usage error, not a time every link passes', async () => {
    const chain = await buildChain(p, { length: 2 });
    const { now: _now, ...withoutNow } = contextFor(p, 2);
    for (const clock of [() => new Date(Number.NaN), () => 'yesterday' as unknown as Date]) {
      const verifier = await createVerifier(issuerTrust(p), { clock });
      await rejectsWith(verifier.verify(chain, withoutNow), 'invalid_argument', undefined);
    }
  });
});
