/**
 * The verification algorithm of SPEC-NOTES.md §6.2. Each numbered step is one call; the order is
 * normative, because it decides which error a chain with several faults reports.
 */
import { atStep, TransitiveProofError, type VerificationStep, invalidArgument } from '../errors.js';
import { codecFor } from '../codecs/registry.js';
import type { DecodedLink } from '../ports.js';
import { parseChain, type ChainInput } from '../chain.js';
import { validateLinkClaims } from './claims.js';
import { assertPublicJwk } from '../keys/keys.js';
import { describeSchemaError, validator } from '../model/schemas.js';
import type { LinkClaims, SignatureAlgorithm } from '../model/types.js';
import type { CompiledTrust } from '../trust/trust.js';
import type { TrustServices } from '../trust/services.js';
import { checkAudience } from './audience.js';
import { checkDepth, checkScopeAttenuation } from './attenuation.js';
import type { VerificationContext, VerifierOptions } from './context.js';
import { checkAlgorithmAllowed, checkCrit, checkNoKeyParameters, checkTyp } from './header.js';
import { checkInvariants } from './invariants.js';
import { checkDelegation, checkPrev } from './linkage.js';
import { checkRequestedScope, checkRequestedTmb, checkRequester } from './request.js';
import { checkLinkStatus } from './status.js';
import { buildActorChain, type VerifiedChain, type VerifiedLink, type VerifiedSigner } from './result.js';
import { delegateSignerCandidates, rootSignerCandidates, usableSignerCandidates, verifyLinkSignature } from './signer.js';
import { checkTime, type TimePolicy } from './time.js';
import { instantMillis } from '../model/instant.js';

export async function verifyChainWithTrust(
  input: ChainInput,
  trust: CompiledTrust,
  services: TrustServices,
  context: VerificationContext,
  options: VerifierOptions = {},
): Promise<VerifiedChain> {
  assertContext(context);
  const now = verificationTime(context, options);
  // The step running now, recorded on the error that leaves it (SPEC-NOTES.md §9, `step`): one
  // assignment per step, not a wrapper closure or a promise per step and link (the hot path).
  // The steps run in this function's own try: an inner async function cost a promise and a
  // microtask turn per verification.
  let at: VerificationStep = '2';
  try {
    const { limits } = trust;

    // Steps 1–2: bounds, then split into links.
    at = '2';
    const chain = parseChain(input, { limits, codecs: options.codecs });
    const codec = codecFor(chain.format, options.codecs);

    // Steps 3–5, for every link before any key is touched: decode, header rules, claims schema.
    const decoded: DecodedLink[] = [];
    const algorithms: SignatureAlgorithm[] = [];
    const claims: LinkClaims[] = [];
    // Index loops, not entries(): no [index, value] pair per link (the hot path).
    for (let index = 0; index < chain.links.length; index++) {
      at = '3';
      const link = codec.decodeLink(chain.links[index] as Uint8Array, index, limits);
      if (link.ready !== undefined) await link.ready; // where the runtime digests asynchronously
      at = '4.1'; checkTyp(link, codec);
      at = '4.2'; checkNoKeyParameters(link);
      at = '4.3'; checkCrit(link);
      at = '4.4'; algorithms.push(checkAlgorithmAllowed(link, codec, trust.algorithms));
      decoded.push(link);
      at = '5'; claims.push(validateLinkClaims(link.claims, index));
    }

    const time: TimePolicy = { now, toleranceSeconds: trust.clockToleranceSeconds, maxLifetimeSeconds: trust.maxLifetimeSeconds };
    const x509 = { now, toleranceSeconds: trust.clockToleranceSeconds, services };
    const root = claims[0] as LinkClaims;
    const verified: VerifiedLink[] = [];

    // Steps 6–14, link by link from the root.
    for (let index = 0; index < decoded.length; index++) {
      const link = decoded[index] as DecodedLink;
      const current = claims[index] as LinkClaims;
      const parent = index === 0 ? undefined : (claims[index - 1] as LinkClaims);
      const alg = algorithms[index] as SignatureAlgorithm;
      // A step that returns a promise only when it has something to wait for is awaited only then:
      // a promise per step and link cost more than the non-signature work of the link.
      at = '6';
      const found = parent === undefined
        ? rootSignerCandidates(link, current, trust, x509)
        : delegateSignerCandidates(link, current, parent, trust, x509);
      const candidates = usableSignerCandidates(link, alg, found instanceof Promise ? await found : found);
      at = '7';
      const checked = verifyLinkSignature(link, alg, candidates, codec, services);
      const signer = checked instanceof Promise ? await checked : checked;
      at = '8';
      const prevChecked = checkPrev(current, index, decoded[index - 1]?.bytes);
      if (prevChecked !== undefined) await prevChecked;
      at = '9'; if (parent !== undefined) checkDelegation(current, index, parent);
      at = '10'; checkAudience(current, index, context.audience);
      at = '11';
      const invariant = checkInvariants(current, index, root);
      if (invariant !== undefined) await invariant;
      at = '12'; checkTime(current, index, parent, time);
      if (parent !== undefined) {
        at = '13'; checkScopeAttenuation(current, index, parent);
        at = '14'; checkDepth(current, index, parent);
      }
      verified.push(describeLink(link, current, signer));
    }

    // Steps 15–17: the request this chain arrived with.
    const lastIndex = claims.length - 1;
    const last = claims[lastIndex] as LinkClaims;
    at = '15';
    const tmbChecked = checkRequestedTmb(last, lastIndex, context.tmb);
    if (tmbChecked !== undefined) await tmbChecked;
    at = '16';
    const requesterChecked = checkRequester(last, lastIndex, context.requester, options.requireRequesterKey ?? true);
    if (requesterChecked !== undefined) await requesterChecked;
    at = '17'; const scope = checkRequestedScope(last, lastIndex, context.scope);
    at = '17a';
    const statusChecked = checkLinkStatus(decoded, claims, trust, services, now, options);
    if (statusChecked !== undefined) await statusChecked;

    // Step 19 (18, replay, belongs to the authorization server: lib/as).
    return {
      format: chain.format,
      cnf: root.tmb,
      sub: root.sub,
      act: buildActorChain(claims),
      scope,
      notAfter: earliestExpiry(claims),
      root: { kind: (verified[0] as VerifiedLink).signer.kind, iss: root.iss },
      links: verified,
    };
  } catch (error) {
    throw atStep(error, at === '2' ? splitStep(error) : at);
  }
}

/** The earliest `exp` of the chain: a loop, no array of expiries and no spread per verification. */
function earliestExpiry(claims: readonly LinkClaims[]): number {
  let earliest = Infinity;
  for (let index = 0; index < claims.length; index++) earliest = Math.min(earliest, (claims[index] as LinkClaims).exp);
  return earliest;
}

/**
 * parseChain runs steps 1 and 2 together: the size is step 1; a CBOR element that is too large or
 * has trailing bytes carries its index and belongs to step 3 (§4.3.3); the rest is the split.
 */
function splitStep(error: unknown): VerificationStep {
  if (error instanceof TransitiveProofError && error.linkIndex !== undefined) return '3';
  if (error instanceof TransitiveProofError && error.code === 'chain_too_large') return '1';
  return '2';
}

function describeLink(link: DecodedLink, claims: LinkClaims, signer: VerifiedSigner): VerifiedLink {
  // The members spelt out (both codecs build exactly a LinkHeader): a rest pattern and a spread
  // copied the header member by member, about 4 µs on a link with x5c.
  const { alg, typ, kid, x5c, keyParameters, crit } = link.header;
  return {
    index: link.index,
    header: x5c === undefined ? { alg, typ, kid, keyParameters, crit } : { alg, typ, kid, keyParameters, crit, x5cCount: x5c.length },
    claims,
    signer: signer.certificate === undefined ? { kind: signer.kind } : { kind: signer.kind, certificate: signer.certificate },
  };
}

/**
 * The verification's instant in seconds: the context's, else the verifier's clock's, else the system
 * time. A clock that returns no valid Date is a configuration fault: NaN would pass every time rule
 * of step 12 (`exp <= NaN` is false).
 */
function verificationTime(context: VerificationContext, options: VerifierOptions): number {
  // As `??` read them before: no now and no clock (or either null) take the system time, read as a
  // number (no Date per verification).
  const at: unknown = context.now ?? options.clock?.();
  return Math.floor((at === undefined || at === null ? Date.now() : instantMillis(at, 'the verifier clock\'s time')) / 1000);
}

function assertContext(context: VerificationContext): void {
  if (typeof context?.audience !== 'string' || context.audience.length === 0) {
    throw invalidArgument('context.audience (the verifier issuer identifier) is required');
  }
  if (typeof context.requester?.id !== 'string' || context.requester.id.length === 0) {
    throw new TransitiveProofError('requester_unauthenticated', 'context.requester.id (the authenticated requester) is required');
  }
  if (context.tmb !== undefined) {
    const validate = validator('confirmation');
    if (!validate(context.tmb)) throw new TransitiveProofError('request_invalid', `the requested tmb ${describeSchemaError(validate.errors)}`);
    if ('jwk' in context.tmb) {
      try {
        assertPublicJwk(context.tmb.jwk, 'the requested tmb.jwk');
      } catch (cause) {
        throw new TransitiveProofError('request_invalid', cause instanceof Error ? cause.message : 'the requested tmb.jwk is not acceptable', { cause });
      }
    }
  }
  if (context.now !== undefined) instantMillis(context.now, 'context.now');
}
