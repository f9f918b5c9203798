/**
 * Step 3: a JWT link has exactly one byte string. base64url spellings that decode to the same bytes
 * (unused low bits set in the last character) are refused, so `prev` and replay keys, which hash a
 * link's bytes, identify it uniquely.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildChain, linkText, makeParties, rejectsWith, verifyStandard, withLinks } from '../helpers/fixtures.js';

const p = await makeParties();
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The same segment with a different last character that decodes to the same bytes. */
function respell(segment: string): string {
  const unusedBits = (segment.length * 6) % 8;
  assert.ok(unusedBits > 0, 'segment has unused bits');
  const last = ALPHABET.indexOf(segment.at(-1) as string);
  return segment.slice(0, -1) + (ALPHABET[last ^ 1] as string);
}

test('a signature spelled non-canonically (same bytes) is link_malformed', async () => {
  const chain = await buildChain(p, { length: 2 });
  const [header, payload, signature] = linkText(chain.links[1] as Uint8Array).split('.') as [string, string, string];
  const respelled = respell(signature);
  assert.deepEqual(Buffer.from(respelled, 'base64url'), Buffer.from(signature, 'base64url'), 'the respelling decodes to the same bytes');
  const tampered = withLinks(chain, [chain.links[0] as Uint8Array, new TextEncoder().encode(`${header}.${payload}.${respelled}`)]);
  await rejectsWith(verifyStandard(p, tampered), 'link_malformed', 1);
});

test('a protected header spelled non-canonically is link_malformed', async () => {
  const chain = await buildChain(p, { length: 1 });
  const [header, payload, signature] = linkText(chain.links[0] as Uint8Array).split('.') as [string, string, string];
  const tampered = withLinks(chain, [new TextEncoder().encode(`${respell(header)}.${payload}.${signature}`)]);
  await rejectsWith(verifyStandard(p, tampered), 'link_malformed', 0);
});
