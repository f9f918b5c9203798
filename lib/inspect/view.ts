/**
 * What an inspector shows of a chain, computed once for every shell (`tproof inspect`, the web
 * inspector): the parties from root to requester, and per link its signer as the link presents it,
 * `tmb`, the scope with what each hop removed, the depth left, the validity window against now and
 * whether it nests in its parent's, the header and claims, the `prev` hash link and, for CBOR, the
 * diagnostic notation. NOTHING HERE IS VERIFIED: a signer kind is what the link claims, a key
 * description is what it names. Verification (verifyOutcome) decides.
 */
import { INSPECT_CODECS } from './parts.js';
import { decodeChain } from '../chain.js';
import type { DecodedLink } from '../ports.js';
import { jwkThumbprint } from '../keys/keys.js';
import { DEFAULT_LIMITS, type Limits } from '../model/limits.js';
import { scopeTokens } from '../model/scope.js';
import type { Chain, LinkFormat, PublicJwk } from '../model/types.js';
import { toBase64 } from '../runtime/base64.js';
import { linkHash } from '../rules/linkage.js';
import type { SignerKind } from '../rules/result.js';
import { DEFAULT_CLOCK_TOLERANCE_SECONDS } from '../trust/trust.js';
import type { CertificateSummary } from './certificates.js';
import { linkDiagnosticNotation } from './diagnostic.js';

export interface InspectOptions {
  /** "Now" for the validity windows; default the current time. */
  now?: Date;
  /** Slack around now, as the verifier's clockToleranceSeconds; default 30. */
  toleranceSeconds?: number;
  limits?: Limits;
  /** Reads certificates (summarizeCertificates); without it an `x5c` is only counted. */
  describeCertificates?: (der: readonly Uint8Array[]) => CertificateSummary[];
}

/** A key named by a confirmation (`tmb`, `may_act.cnf`), in words: `jkt …`, `jwk (jkt …)`, `x5t#S256 …`. */
export type KeyDescription = string;

export interface PartyView {
  /** The identifier: link 0's `iss`, then each link's `may_act.sub`. */
  id: string;
  role: 'root' | 'delegate' | 'requester';
}

export interface ScopeView {
  tokens: string[];
  /** Tokens of the parent this link does not pass on (attenuation). */
  removed: string[];
  /** Tokens the parent did not have: a widening step 13 refuses (`scope_escalation`). */
  added: string[];
}

export type WindowState = 'not_yet_valid' | 'valid' | 'expired' | 'unknown';

export interface ValidityView {
  iat: number | undefined;
  nbf: number | undefined;
  /** `nbf`, else `iat` (SPEC-NOTES.md §6.2 step 12). */
  start: number | undefined;
  exp: number | undefined;
  /** Against now, with the tolerance. */
  state: WindowState;
  /** Whether the window lies inside the parent's (step 12); undefined for the root or unknown times. */
  nested: boolean | undefined;
}

export interface LinkView {
  index: number;
  /** The header with certificates as base64 DER. */
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  /** Who signed and how, as the link presents itself (unverified). */
  signer: {
    kind: SignerKind;
    /** The link's `iss`. */
    id: string;
    /** For a delegate: the key link i−1 named for it, which must verify this link. */
    key?: KeyDescription;
    /** The leaf certificate of `x5c`. */
    certificate?: CertificateSummary;
  };
  /** Whether `iss` is the delegate link i−1 named (step 9); undefined for the root. */
  issuerIsParentDelegate: boolean | undefined;
  delegate: { id: string; key: KeyDescription };
  tmb: KeyDescription;
  scope: ScopeView;
  /** Further links allowed after this one. */
  depth: number | undefined;
  validity: ValidityView;
  /** base64url SHA-256 of this link's bytes: what the next link's `prev` must be. */
  hash: string;
  /** `prev` and whether it is link i−1's hash (step 8); undefined on a link without one. */
  prev: { value: string; matchesParent: boolean } | undefined;
  certificates: CertificateSummary[] | undefined;
  /** CBOR diagnostic notation (CBOR links only). */
  diagnostic: string | undefined;
}

export interface ChainView {
  verified: false;
  format: LinkFormat;
  /** Now, in seconds since the epoch, as the windows were judged. */
  now: number;
  parties: PartyView[];
  links: LinkView[];
  /** The times a timeline must cover: every window and now. */
  span: { from: number; to: number };
  /**
   * The request this chain is made for, read from it (audience of link 0, the last delegate and its
   * key, the last scope). A verifier takes these from the request and its own authentication.
   */
  request: { audience: string; requester: { id: string; jkt?: string }; scope: string };
}

export async function inspectChain(chain: Chain, options: InspectOptions = {}): Promise<ChainView> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  const decoded = decodeChain(chain, { limits, codecs: INSPECT_CODECS });
  const hashes = await Promise.all(decoded.map((link) => linkHash(link.bytes)));
  const links: LinkView[] = [];
  for (const link of decoded) {
    const parent = links[link.index - 1];
    links.push(await viewLink(link, parent, hashes[link.index] as string, { now, tolerance, limits, describe: options.describeCertificates }));
  }
  const first = links[0] as LinkView;
  const last = links[links.length - 1] as LinkView;
  const parties: PartyView[] = [{ id: first.signer.id, role: 'root' }, ...links.map((link, index): PartyView => ({
    id: link.delegate.id, role: index === links.length - 1 ? 'requester' : 'delegate',
  }))];
  const times = links.flatMap((link) => [link.validity.start, link.validity.exp]).filter((time): time is number => time !== undefined);
  const requesterJkt = await keyThumbprint(mayAct(last.claims).cnf);
  return {
    verified: false,
    format: chain.format,
    now,
    parties,
    links,
    span: { from: Math.min(now, ...times), to: Math.max(now, ...times) },
    request: {
      audience: text(first.claims.aud),
      requester: requesterJkt === undefined ? { id: last.delegate.id } : { id: last.delegate.id, jkt: requesterJkt },
      scope: text(last.claims.scope),
    },
  };
}

interface ViewContext {
  now: number;
  tolerance: number;
  limits: Limits;
  describe: InspectOptions['describeCertificates'];
}

async function viewLink(link: DecodedLink, parent: LinkView | undefined, hash: string, context: ViewContext): Promise<LinkView> {
  const claims = link.claims;
  const { x5c, ...header } = link.header;
  const certificates = x5c === undefined ? undefined : context.describe?.(x5c);
  const leaf = certificates?.[0];
  const iss = text(claims.iss);
  const delegate = mayAct(claims);
  const prev = typeof claims.prev === 'string' ? claims.prev : undefined;
  return {
    index: link.index,
    header: x5c === undefined ? header : { ...header, x5c: x5c.map((der) => toBase64(der)) },
    claims,
    signer: {
      kind: signerKind(link, parent),
      id: iss,
      ...(parent === undefined ? {} : { key: await describeConfirmation(mayAct(parent.claims).cnf) }),
      ...(leaf === undefined ? {} : { certificate: leaf }),
    },
    issuerIsParentDelegate: parent === undefined ? undefined : parent.delegate.id === iss,
    delegate: { id: text(delegate.sub), key: await describeConfirmation(delegate.cnf) },
    tmb: await describeConfirmation(claims.tmb),
    scope: viewScope(claims.scope, parent?.claims.scope),
    depth: integer(claims.depth),
    validity: viewValidity(claims, parent?.validity, context),
    hash,
    prev: prev === undefined ? undefined : { value: prev, matchesParent: prev === parent?.hash },
    certificates,
    diagnostic: link.format === 'cwt' ? linkDiagnosticNotation(link.bytes, context.limits) : undefined,
  };
}

/**
 * Link 0 with `x5c`: an X.509 signer; naming itself as subject (`sub` = `iss`): a key holder (a
 * holder root requires it, §5); otherwise an issuer. Later links are signed by the key the parent
 * named (`delegate`), by certificate when it carries `x5c`. Only the trust configuration decides.
 */
function signerKind(link: DecodedLink, parent: LinkView | undefined): SignerKind {
  if (link.header.x5c !== undefined) return 'x509';
  if (parent !== undefined) return 'delegate';
  return link.claims.sub !== undefined && link.claims.sub === link.claims.iss ? 'holder' : 'issuer';
}

function viewScope(scope: unknown, parentScope: unknown): ScopeView {
  const tokens = [...scopeTokens(text(scope))];
  if (parentScope === undefined) return { tokens, removed: [], added: [] };
  const parentTokens = [...scopeTokens(text(parentScope))];
  return {
    tokens,
    removed: parentTokens.filter((token) => !tokens.includes(token)),
    added: tokens.filter((token) => !parentTokens.includes(token)),
  };
}

function viewValidity(claims: Record<string, unknown>, parent: ValidityView | undefined, { now, tolerance }: ViewContext): ValidityView {
  const iat = integer(claims.iat);
  const nbf = integer(claims.nbf);
  const exp = integer(claims.exp);
  const start = nbf ?? iat;
  let state: WindowState = 'unknown';
  if (start !== undefined && exp !== undefined) {
    // The comparisons of step 12, in its order.
    state = start > now + tolerance ? 'not_yet_valid' : exp <= now - tolerance ? 'expired' : 'valid';
  }
  const known = start !== undefined && exp !== undefined && parent?.start !== undefined && parent.exp !== undefined;
  return { iat, nbf, start, exp, state, nested: known ? start >= (parent.start as number) && exp <= (parent.exp as number) : undefined };
}

export async function describeConfirmation(value: unknown): Promise<KeyDescription> {
  if (value === null || typeof value !== 'object') return '(missing)';
  const cnf = value as Partial<Record<'jkt' | 'jwk' | 'x5t#S256', unknown>>;
  if (typeof cnf.jkt === 'string') return `jkt ${cnf.jkt}`;
  if (cnf.jwk !== undefined) {
    const jkt = await keyThumbprint(value);
    return jkt === undefined ? 'jwk (not a usable public key)' : `jwk (jkt ${jkt})`;
  }
  if (typeof cnf['x5t#S256'] === 'string') return `x5t#S256 ${cnf['x5t#S256']}`;
  return '(unrecognised)';
}

/** The JWK thumbprint a confirmation names (`jkt`, or its `jwk`'s), if any. */
async function keyThumbprint(value: unknown): Promise<string | undefined> {
  if (value === null || typeof value !== 'object') return undefined;
  const cnf = value as Partial<Record<'jkt' | 'jwk', unknown>>;
  if (typeof cnf.jkt === 'string') return cnf.jkt;
  if (cnf.jwk === null || typeof cnf.jwk !== 'object') return undefined;
  try {
    return await jwkThumbprint(cnf.jwk as PublicJwk);
  } catch {
    return undefined;
  }
}

function mayAct(claims: Record<string, unknown>): { sub?: unknown; cnf?: unknown } {
  const value = claims.may_act;
  return value !== null && typeof value === 'object' ? (value as { sub?: unknown; cnf?: unknown }) : {};
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? '';
}

function integer(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
}
