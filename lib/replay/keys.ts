/**
 * What a redemption consumes (SPEC-NOTES.md §6.2 step 18, §8.5):
 * keys are fixed-length hashes, namespaced by kind, so attacker-chosen `jti`s and issuers cannot
 * grow a key or collide across kinds.
 */
import { sha256Base64url } from '#runtime';
import type { VerifiedChain } from '../rules/result.js';
import type { Chain } from '../model/types.js';
import { codecFor } from '../codecs/registry.js';
import type { LinkCodec } from '../ports.js';
import { LIMIT_CEILINGS, type Limits } from '../model/limits.js';
import { invalidArgument } from '../errors.js';

export type ReplayPolicy = 'last-link' | 'every-link';

export interface ReplayKey {
  key: string;
  /** NumericDate seconds after which the entry may be forgotten. */
  expiresAt: number;
}

/**
 * A link's `jti` is unique per issuer (RFC 7519 §4.1.7), so the key is (iss, jti): SPEC-NOTES §8.5,
 * SHA-256 of the RFC 8785 (JCS) text of ["iss","jti"]. For two strings without unpaired surrogates
 * (the strict readers refuse them, §4.1) JSON.stringify writes exactly that text.
 */
export async function linkReplayKey(iss: string, jti: string): Promise<string> {
  return `jti:${await sha256Base64url(JSON.stringify([iss, jti]))}`;
}

/**
 * The chain's replay identity: SHA-256 over each link's signed content (SPEC-NOTES.md §8.5), not
 * over its exact bytes, so that copies a third party can make without a signer (another valid
 * ECDSA signature, an edited COSE unprotected header) are one redemption, not several.
 */
export async function chainReplayKey(chain: Chain, limits: Limits = LIMIT_CEILINGS, codecs: readonly LinkCodec[] = []): Promise<string> {
  const codec = codecFor(chain.format, codecs);
  const hashes = await Promise.all(chain.links.map((link) => sha256Base64url(codec.signedContent(link, limits))));
  return `chain:${await sha256Base64url(hashes.map((hash) => `${hash}~`).join(''))}`;
}

/**
 * The keys one redemption consumes, in the order they are consumed: the last link's (iss, jti)
 * first (the single-use grant to the requester), then every earlier link's under 'every-link',
 * then the chain hash. Each is remembered until its link (or the chain) can no longer verify:
 * `exp` plus the clock tolerance the verifier allows.
 */
export async function redemptionKeys(chain: Chain, verified: VerifiedChain, policy: ReplayPolicy, toleranceSeconds: number, codecs: readonly LinkCodec[] = []): Promise<ReplayKey[]> {
  const links = verified.links.map((link) => link.claims);
  const last = links[links.length - 1];
  // A verified chain has at least one link; a verifier that returned none (a custom one) must not
  // lead to a redemption that consumes nothing.
  if (last === undefined) throw invalidArgument('a verified chain has no links: nothing to consume');
  const keys: ReplayKey[] = [{ key: await linkReplayKey(last.iss, last.jti), expiresAt: last.exp + toleranceSeconds }];
  if (policy === 'every-link') {
    for (const link of links.slice(0, -1).reverse()) {
      keys.push({ key: await linkReplayKey(link.iss, link.jti), expiresAt: link.exp + toleranceSeconds });
    }
  }
  keys.push({ key: await chainReplayKey(chain, LIMIT_CEILINGS, codecs), expiresAt: verified.notAfter + toleranceSeconds });
  return keys;
}
