/**
 * Steps 6 and 7 (SPEC-NOTES.md §6.2, §5): who may sign each link, and the signature check.
 * Link 0 is signed by a configured root; link i by the key link i-1 named in `may_act.cnf`.
 * Keys come only from the trust configuration or from an already verified parent link.
 */
import { atLink, LinkError, linkError, invalidArgument, quoted } from '../errors.js';
import { algorithmsForKey, jwkThumbprintMaybeSync, keyAllows } from '../keys/keys.js';
import type { CertificateSignerContext, DecodedLink, EnvelopeCodec } from '../ports.js';
import { JWK_THUMBPRINT_URI_PREFIX, type CompiledHolderRoot, type CompiledIssuerRoot, type CompiledRoot, type CompiledTrust, type CompiledX509Root } from '../trust/trust.js';
import { matchesPatterns, subjectAdmitted } from '../trust/authority.js';
import type { TrustServices } from '../trust/services.js';
import type { LinkClaims, PublicJwk, SignatureAlgorithm } from '../model/types.js';
import type { SignerCandidate, VerifiedSigner } from './result.js';

/** What resolving a signer uses besides the configuration: the time and the verifier's services. */
export interface SignerContext {
  now: number;
  toleranceSeconds: number;
  services: TrustServices;
}

/**
 * 6. Candidate keys for link 0, in three stages (SPEC-NOTES.md §6.2 step 6, §5):
 * (a) the roots that claim it: for a link with x5c the x509 roots whose `issuers` admit its `iss`,
 *     otherwise the issuer roots with its `iss` and the holder roots listing it → else untrusted_root;
 * (b) of those, the roots whose subject limit admits its `sub` → else subject_mismatch;
 * (c) their keys that fit the link (kid, the holder's binding; for x509 the validated leaf).
 */
export function rootSignerCandidates(link: DecodedLink, claims: LinkClaims, trust: CompiledTrust, x509: SignerContext): SignerCandidate[] | Promise<SignerCandidate[]> {
  const withCertificate = link.header.x5c !== undefined;
  const claiming = trust.roots.filter((root) => rootClaims(root, claims.iss, withCertificate)); // (a)
  if (claiming.length === 0) {
    throw new LinkError('untrusted_root', 0, withCertificate ? `no X.509 root claims issuer ${quoted(claims.iss)}` : `no configured root for issuer ${quoted(claims.iss)}`);
  }
  const authorised = claiming.filter((root) => rootAdmitsSubject(root, claims)); // (b)
  if (authorised.length === 0) {
    throw new LinkError('subject_mismatch', 0, `no root that claims issuer ${quoted(claims.iss)} may vouch for subject ${quoted(claims.sub)}`);
  }
  if (withCertificate) {
    const context = certificateContext(trust, x509);
    return context.x509.resolveRootSigner(link, claims, authorised.filter((root): root is CompiledX509Root => root.type === 'x509'), context).then((signer) => [signer]);
  }
  return rootKeyCandidates(link, claims, authorised, trust, x509, 0, []); // (c)
}

/**
 * (c) The keys of `roots[from…]` that fit link 0, appended to `candidates` root by root, in order.
 * Without a promise unless a root's keys are fetched (a remote key set) or a thumbprint is digested
 * asynchronously (WebCrypto); from there on, the rest the asynchronous way.
 */
function rootKeyCandidates(link: DecodedLink, claims: LinkClaims, roots: readonly CompiledRoot[], trust: CompiledTrust, x509: SignerContext, from: number, candidates: SignerCandidate[]): SignerCandidate[] | Promise<SignerCandidate[]> {
  const rest = (next: number) => (): SignerCandidate[] | Promise<SignerCandidate[]> => rootKeyCandidates(link, claims, roots, trust, x509, next, candidates);
  for (let i = from; i < roots.length; i++) {
    const root = roots[i] as CompiledRoot;
    if (root.type === 'issuer') {
      const remote = root.jwksUri === undefined ? undefined : x509.services.remoteKeySets.get(root.jwksUri);
      if (remote === undefined) {
        issuerKeyCandidates(link, root, root.jwks.keys, candidates);
        continue;
      }
      return remote.keys({ alg: link.header.alg ?? '', ...(link.header.kid === undefined ? {} : { kid: link.header.kid }) }).then(
        (keys) => {
          issuerKeyCandidates(link, root, keys, candidates);
          return rest(i + 1)();
        },
        (error: unknown) => {
          throw atLink(error, 0);
        },
      );
    } else if (root.type === 'holder') {
      const key = 'jwk' in claims.tmb ? claims.tmb.jwk : 'jkt' in claims.tmb ? trust.delegateKeysByJkt.get(claims.tmb.jkt) : undefined;
      if (key === undefined) continue;
      const jkt = 'jkt' in claims.tmb ? claims.tmb.jkt : jwkThumbprintMaybeSync(key);
      if (typeof jkt !== 'string') {
        return jkt.then((digested) => {
          holderKeyCandidate(root, claims, key, digested, candidates);
          return rest(i + 1)();
        });
      }
      holderKeyCandidate(root, claims, key, jkt, candidates);
    }
  }
  if (candidates.length === 0) throw new LinkError('untrusted_root', 0, `no configured key of issuer ${quoted(claims.iss)} matches the link`);
  return candidates;
}

/** An issuer root's keys that the link's `kid`, when it has one, names. */
function issuerKeyCandidates(link: DecodedLink, root: CompiledIssuerRoot, keys: readonly PublicJwk[], candidates: SignerCandidate[]): void {
  for (const key of keys) {
    if (link.header.kid !== undefined && key.kid !== link.header.kid) continue;
    candidates.push({ kind: 'issuer', key, algorithms: root.algorithms });
  }
}

/** A holder root's candidate: the `tmb` key, when `iss` is bound to it. */
function holderKeyCandidate(root: CompiledHolderRoot, claims: LinkClaims, key: PublicJwk, jkt: string, candidates: SignerCandidate[]): void {
  if (holderKeyBound(root, claims.iss, jkt)) candidates.push({ kind: 'holder', key, algorithms: root.algorithms });
}

/** (a) Whether a root claims a link 0 with this `iss`: x509 roots only links with a certificate, the others only links without. */
function rootClaims(root: CompiledRoot, iss: string, withCertificate: boolean): boolean {
  if (root.type === 'x509') return withCertificate && (root.issuers === undefined || matchesPatterns(root.issuers, iss));
  if (withCertificate) return false;
  return root.type === 'issuer' ? root.iss === iss : holderRootClaims(root, iss);
}

/** (b) A key holder speaks only for itself; issuer and x509 roots as far as their `subjects` allow. */
function rootAdmitsSubject(root: CompiledRoot, claims: LinkClaims): boolean {
  return subjectAdmitted(root.type === 'holder' ? 'self' : root.subjects, claims.iss, claims.sub);
}

/** A holder root considers link 0 when its iss is a listed holder or (if allowed) a thumbprint URI. */
function holderRootClaims(root: CompiledHolderRoot, iss: string): boolean {
  return root.holders.has(iss) || (root.thumbprintIssuers && iss.startsWith(JWK_THUMBPRINT_URI_PREFIX));
}

/** The target key is the one `iss` is bound to: registered for it, or named by it (RFC 9278). */
function holderKeyBound(root: CompiledHolderRoot, iss: string, jkt: string): boolean {
  return root.holders.get(iss)?.has(jkt) === true || (root.thumbprintIssuers && iss === `${JWK_THUMBPRINT_URI_PREFIX}${jkt}`);
}

/**
 * 6. The key for link i > 0: the delegate key its parent committed to. Without a promise unless a
 * certificate must be resolved (a promise per link costs more than the rest of this step).
 */
export function delegateSignerCandidates(link: DecodedLink, claims: LinkClaims, parent: LinkClaims, trust: CompiledTrust, x509: SignerContext): SignerCandidate[] | Promise<SignerCandidate[]> {
  const cnf = parent.may_act.cnf;
  if ('x5t#S256' in cnf) return certificateDelegateCandidates(link, claims, cnf['x5t#S256'], trust, x509);
  const key = 'jwk' in cnf ? cnf.jwk : trust.delegateKeysByJkt.get(cnf.jkt);
  if (key === undefined) {
    throw delegateUnresolved(link.index, 'key only by thumbprint and no configured key has it');
  }
  return [{ kind: 'delegate', key, algorithms: trust.algorithms }];
}

/**
 * 6. The key for link i > 0 whose parent names its delegate by certificate thumbprint: the link must
 * carry a certificate and `delegateCertificates` be configured (what a verifier without the X.509
 * part answers too), then the part's signer (lib/rules/x509-signer.ts) validates it.
 */
function certificateDelegateCandidates(link: DecodedLink, claims: LinkClaims, pinnedLeafThumbprint: string, trust: CompiledTrust, x509: SignerContext): Promise<SignerCandidate[]> {
  const index = link.index;
  if (link.header.x5c === undefined) {
    throw delegateUnresolved(index, `by certificate thumbprint but link ${index} carries no certificate`);
  }
  const profile = trust.delegateCertificates;
  if (profile === undefined) {
    throw delegateUnresolved(index, 'by certificate but no delegateCertificates are configured');
  }
  const context = certificateContext(trust, x509);
  return context.x509.resolveDelegateSigner(link, claims, pinnedLeafThumbprint, profile, context).then((signer) => [signer]);
}

/** Step 6's refusal of link `index`'s signer as its parent names it: `link <index − 1> names its delegate <how>`. */
function delegateUnresolved(index: number, how: string): LinkError {
  return new LinkError('delegate_key_unresolved', index, `link ${index - 1} names its delegate ${how}`);
}

/**
 * What the X.509 part's signers (lib/rules/x509-signer.ts, carried by `x509Support`) use. A
 * configuration with a certificate profile has the part: createTrustServices requires it.
 */
function certificateContext(trust: CompiledTrust, context: SignerContext): CertificateSignerContext {
  const x509 = context.services.x509;
  if (x509 === undefined) throw invalidArgument('the verifier was created without X.509 support');
  return { now: context.now, toleranceSeconds: context.toleranceSeconds, maxCertificates: trust.limits.maxCertificates, x509, pathCache: context.services.pathCache };
}

/**
 * 6, its last checks: a link with x5c whose signer is named by a key → header_forbidden; the
 * candidates whose key can do the link's `alg` (the algorithm table, the key's own `alg`) and
 * whose root or profile allows it → none: alg_not_allowed.
 */
export function usableSignerCandidates(link: DecodedLink, alg: SignatureAlgorithm, candidates: SignerCandidate[]): SignerCandidate[] {
  if (link.header.x5c !== undefined && candidates.some((candidate) => candidate.kind !== 'x509')) {
    throw linkError('header_forbidden', link.index, 'carries x5c but its signer is not identified by a certificate');
  }
  if (candidates.length === 0) throw algorithmUnusable(link, alg, candidates);
  // The candidates themselves when all are usable (nearly always: one delegate key), no copy.
  for (let i = 0; i < candidates.length; i++) {
    if (!usableFor(candidates[i] as SignerCandidate, alg)) {
      const usable = candidates.filter((candidate) => usableFor(candidate, alg));
      if (usable.length === 0) throw algorithmUnusable(link, alg, candidates);
      return usable;
    }
  }
  return candidates;
}

function usableFor(candidate: SignerCandidate, alg: SignatureAlgorithm): boolean {
  return candidate.algorithms.has(alg) && keyAllows(candidate.key, alg);
}

/**
 * 7. The signature verifies under one of the usable candidates (usableSignerCandidates).
 * Cached keys and Node's synchronous verification come back without a promise; then so does this.
 */
export function verifyLinkSignature(
  link: DecodedLink,
  alg: SignatureAlgorithm,
  usable: SignerCandidate[],
  codec: EnvelopeCodec,
  services: TrustServices,
): VerifiedSigner | Promise<VerifiedSigner> {
  for (let i = 0; i < usable.length; i++) {
    const candidate = usable[i] as SignerCandidate;
    const cached = services.keyCache.importMaybeSync(candidate.key, alg);
    // Something to wait for: the rest, this candidate included, the asynchronous way.
    if (cached instanceof Promise) return verifyEachAsync(link, alg, usable.slice(i), codec, services);
    const verified = codec.verifySignature(link, cached);
    if (typeof verified !== 'boolean') {
      return verified.then((ok) => (ok ? verifiedSigner(candidate) : verifyEachAsync(link, alg, usable.slice(i + 1), codec, services)));
    }
    if (verified) return verifiedSigner(candidate);
  }
  throw signatureInvalid(link);
}

async function verifyEachAsync(link: DecodedLink, alg: SignatureAlgorithm, usable: SignerCandidate[], codec: EnvelopeCodec, services: TrustServices): Promise<VerifiedSigner> {
  for (const candidate of usable) {
    // A schema-valid JWK can still be unusable (e.g. a wrong-length point); the failure belongs to this link.
    const key = await services.keyCache.import(candidate.key, alg).catch((error: unknown) => {
      throw atLink(error, link.index);
    });
    if (await codec.verifySignature(link, key)) return verifiedSigner(candidate);
  }
  throw signatureInvalid(link);
}

function verifiedSigner(candidate: SignerCandidate): VerifiedSigner {
  return candidate.certificate === undefined
    ? { kind: candidate.kind, key: candidate.key }
    : { kind: candidate.kind, key: candidate.key, certificate: candidate.certificate };
}

/**
 * No candidate verifies `alg`. When the algorithm is one the candidates allow but no candidate's key
 * is of its type, the link was most likely signed with another key than the expected one: say so,
 * and name the key expected (the code stays alg_not_allowed, step 7).
 */
function algorithmUnusable(link: DecodedLink, alg: SignatureAlgorithm, candidates: SignerCandidate[]): LinkError {
  const allowed = candidates.filter((candidate) => candidate.algorithms.has(alg));
  if (allowed.length === 0) return linkError('alg_not_allowed', link.index, `algorithm ${alg} is not allowed for its signer`);
  const expected = allowed.map((candidate) => `${describeSigner(link, candidate)}: ${describeKey(candidate.key)} (${algorithmsForKey(candidate.key).join('/') || 'no usable algorithm'})`);
  return linkError('alg_not_allowed', link.index, `is signed with ${alg}, but the key expected for its signer is ${expected.join(' or ')}: signature/key mismatch, the link was signed with another key`);
}

function describeSigner(link: DecodedLink, candidate: SignerCandidate): string {
  if (candidate.kind === 'delegate') return `the delegate key link ${link.index - 1} names (may_act.cnf)`;
  if (candidate.kind === 'x509') return 'the key of its x5c leaf certificate';
  return candidate.kind === 'holder' ? 'the tmb key (a key-holder root)' : 'a key of the configured issuer root';
}

function describeKey(key: SignerCandidate['key']): string {
  const { kty, crv, kid } = key as { kty?: unknown; crv?: unknown; kid?: unknown };
  return `${String(kty)}${typeof crv === 'string' ? ` ${crv}` : ''}${typeof kid === 'string' ? ` kid ${kid}` : ''}`;
}

function signatureInvalid(link: DecodedLink): LinkError {
  return linkError('link_signature_invalid', link.index, 'signature does not verify');
}
