/**
 * The attack catalogue: one negative vector (at least) per attack, named `attack-<name>`. The
 * expected code and link index of each are derived from SPEC-NOTES.md §6.2 (the first failing step
 * in the normative order) and §9, and written here by hand: never copied from the code's output.
 *
 * Unless said otherwise the base is the standard 3-link chain: issuer (Ed25519, kid) → d1 → d2 → d3,
 * scopes narrowing, depth 2/1/0, verified at NOW by requester d3.
 */
import { createHash, createHmac } from 'node:crypto';
import type { LinkFormat, LinkInput, PublicJwk, TrustConfig } from '../../lib/index.js';
import { JWT_LINK_TYP } from '../../lib/index.js';
import type { ExpectedOutcome, VectorContext } from '../../lib/vectors/types.js';
import {
  AUDIENCE,
  delegateId,
  expOf,
  failure,
  iatOf,
  ISSUER,
  MALLORY,
  NOW,
  OTHER_AUDIENCE,
  b64uJson,
  rawSignature,
  splitJws,
  standardChain,
  standardContext,
  standardTrust,
  SUBJECT,
  thumbprintUri,
  VectorBuilder,
  type ChainOptions,
  type RootKind,
} from './builder.js';
import { selfDelegationChain, type VectorFactory } from './positive.js';
import { EXPONENT_ONE_KEY, exponentOneKey, leadingZeroDropped, ps256, withClaims, withSignature } from './key-faults.js';
import { array, bstr, concat, COSE, CWT_TYP, EDDSA, HMAC_256_256, int, map, recraftCose, tag, tstr } from './cbor.js';

interface AttackDefinition {
  /** Catalogue name; the vector id is `attack-<name>` (+ `-cwt` for the CBOR variant). */
  name: string;
  description: string;
  /** The spec step that decides the outcome. */
  spec: string;
  /** Encodings the attack applies to (header attacks are JWS-specific). */
  formats: readonly LinkFormat[];
  expected: ExpectedOutcome;
  build: (b: VectorBuilder) => Promise<Built>;
}

interface Built {
  chain: Parameters<VectorBuilder['finish']>[0]['chain'];
  omitJsonForm?: boolean;
  omitLinks?: boolean;
  trust?: TrustConfig;
  context?: VectorContext;
  verifierOptions?: { requireRequesterKey?: boolean };
  requesterAsGiven?: boolean;
}

const BOTH = ['jwt', 'cwt'] as const;
const JWT = ['jwt'] as const;
const CWT = ['cwt'] as const;

/** The standard 3-link chain with hooks. */
const chain3 = (b: VectorBuilder, options: ChainOptions = {}) => standardChain(b, { length: 3, ...options });
const onLink = (target: number, edit: (input: LinkInput) => LinkInput | Promise<LinkInput>) => (i: number, input: LinkInput) => (i === target ? edit(input) : input);

function standard(chainPromise: Promise<Built['chain']>): Promise<Built> {
  return chainPromise.then((chain) => ({ chain }));
}

const encoder = new TextEncoder();

const DEFINITIONS: AttackDefinition[] = [
  // ---- Algorithm confusion (step 4.4, step 6) ----
  {
    name: 'alg-none',
    description: 'Link 1 re-headed with alg "none" (its original signature part kept, so the JWS still has three non-empty parts).',
    spec: 'SPEC-NOTES.md §6.2 step 4.4 (none is never allowed, §3.2)',
    formats: JWT,
    expected: failure('alg_not_allowed', 1),
    build: (b) => standard(chain3(b, { craft: async (i, bytes) => {
      if (i !== 1) return bytes;
      const { header, claims, signature } = splitJws(bytes);
      return b.craft({ ...header, alg: 'none' }, claims, { signature: Buffer.from(signature, 'base64url'), note: 'alg none; the signature part is the original EdDSA signature by d1-ed25519 over the original header' });
    } })),
  },
  {
    name: 'alg-none-unsecured',
    description: 'Link 1 as an Unsecured JWS (RFC 7515 Appendix A.5): alg "none" and an empty signature part.',
    spec: 'SPEC-NOTES.md §6.2 step 3 (a link must be a signed JWS compact serialization: an empty signature part is link_malformed before step 4.4 sees the alg)',
    formats: JWT,
    expected: failure('link_malformed', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => {
      if (i !== 1) return bytes;
      const { header, claims } = splitJws(bytes);
      return b.craft({ ...header, alg: 'none' }, claims, { signature: new Uint8Array(0), note: 'alg none, empty signature part' });
    } })),
  },
  {
    name: 'alg-none-mixed-case',
    description: 'Link 1 re-headed with alg "NoNe" (case games around a none blocklist); original signature part kept.',
    spec: 'SPEC-NOTES.md §6.2 step 4.4 (alg names are case-sensitive; only the allow-list passes)',
    formats: JWT,
    expected: failure('alg_not_allowed', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => {
      if (i !== 1) return bytes;
      const { header, claims, signature } = splitJws(bytes);
      return b.craft({ ...header, alg: 'NoNe' }, claims, { signature: Buffer.from(signature, 'base64url'), note: 'alg NoNe; original signature part kept' });
    } })),
  },
  {
    name: 'hmac-public-jwk-secret',
    description: 'Link 0 signed with HS256 using the issuer\'s public JWK, exactly as it appears in the trust configuration (JSON text, UTF-8), as the HMAC secret.',
    spec: 'SPEC-NOTES.md §6.2 step 4.4 (HMAC is never allowed, §3.2, §10)',
    formats: JWT,
    expected: failure('alg_not_allowed', 0),
    build: async (b) => {
      const issuer = await b.key('issuer-ed25519');
      return standard(chain3(b, { craft: (i, bytes) => {
        if (i !== 0) return bytes;
        const { header, claims } = splitJws(bytes);
        return b.craft({ ...header, alg: 'HS256' }, claims, { hmac: encoder.encode(JSON.stringify(issuer.publicJwk)), note: 'HS256 keyed with the UTF-8 JSON text of issuer-ed25519\'s public JWK as in trust.roots[0].jwks.keys[0]' });
      } }));
    },
  },
  {
    name: 'hmac-raw-public-key-secret',
    description: 'Link 0 signed with HS256 using the issuer\'s raw 32-byte Ed25519 public key as the HMAC secret.',
    spec: 'SPEC-NOTES.md §6.2 step 4.4',
    formats: JWT,
    expected: failure('alg_not_allowed', 0),
    build: async (b) => {
      const issuer = await b.key('issuer-ed25519');
      return standard(chain3(b, { craft: (i, bytes) => {
        if (i !== 0) return bytes;
        const { header, claims } = splitJws(bytes);
        return b.craft({ ...header, alg: 'HS256' }, claims, { hmac: Buffer.from(String(issuer.publicJwk.x), 'base64url'), note: 'HS256 keyed with the raw public key bytes (base64url-decoded x) of issuer-ed25519' });
      } }));
    },
  },
  {
    name: 'alg-key-type-mismatch',
    description: 'Link 1 declares ES256 (an allowed algorithm) and carries an ES256 signature by another key, but the key its parent names for d1 is Ed25519.',
    spec: 'SPEC-NOTES.md §6.2 step 6 (the alg must be one the signer key type can use)',
    formats: JWT,
    expected: failure('alg_not_allowed', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? b.resign(bytes, 'mallory-es256', { header: (h) => ({ ...h, alg: 'ES256' }) }) : bytes) })),
  },
  {
    name: 'alg-not-allowed-for-root',
    description: 'The issuer root is restricted to ES256 in the trust configuration; link 0 is a valid EdDSA link by the configured (Ed25519) key.',
    spec: 'SPEC-NOTES.md §6.2 step 6 (for link 0, the alg must be one the root allows), §5',
    formats: BOTH,
    expected: failure('alg_not_allowed', 0),
    build: async (b) => ({
      chain: await chain3(b),
      trust: { roots: [{ type: 'issuer', iss: ISSUER, jwks: { keys: [(await b.key('issuer-ed25519')).publicJwk] }, algorithms: ['ES256'] }] },
    }),
  },
  {
    name: 'alg-not-in-allow-list',
    description: 'The verifier\'s allow-list excludes EdDSA; every link is EdDSA.',
    spec: 'SPEC-NOTES.md §6.2 step 4.4 (steps 3–5 run for link 0 first)',
    formats: BOTH,
    expected: failure('alg_not_allowed', 0),
    build: async (b) => ({ chain: await chain3(b), trust: { ...(await standardTrust(b, 'issuer')), algorithms: ['ES256', 'ES384', 'PS256'] } }),
  },

  // ---- Explicit typing (step 4.1) ----
  {
    name: 'typ-missing',
    description: 'Link 1 validly signed by d1 but without a typ header parameter.',
    spec: 'SPEC-NOTES.md §6.2 step 4.1',
    formats: JWT,
    expected: failure('typ_invalid', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? b.resign(bytes, 'd1-ed25519', { header: ({ typ: _typ, ...h }) => h }) : bytes) })),
  },
  {
    name: 'typ-wrong',
    description: 'Link 1 validly signed by d1 with typ "JWT".',
    spec: 'SPEC-NOTES.md §6.2 step 4.1',
    formats: JWT,
    expected: failure('typ_invalid', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? b.resign(bytes, 'd1-ed25519', { header: (h) => ({ ...h, typ: 'JWT' }) }) : bytes) })),
  },
  {
    name: 'access-token-as-link',
    description: 'An RFC 9068 access token (typ "at+jwt") signed by the trusted issuer key, presented as a one-link chain by the client it was issued to.',
    spec: 'SPEC-NOTES.md §6.2 step 4.1 (explicit typing separates links from other JWTs signed by the same keys, §10)',
    formats: JWT,
    expected: failure('typ_invalid', 0),
    build: async (b) => {
      const issuer = await b.key('issuer-ed25519');
      const token = await b.craft(
        { alg: 'EdDSA', typ: 'at+jwt', kid: issuer.privateJwk.kid },
        { iss: ISSUER, sub: SUBJECT, aud: AUDIENCE, client_id: delegateId(1), iat: iatOf(0), exp: expOf(0), jti: 'attack-access-token-as-link-at', scope: 'read write' },
        { key: 'issuer-ed25519' },
      );
      return { chain: { format: 'jwt', links: [token] }, context: standardContext(1) };
    },
  },
  {
    name: 'dpop-proof-as-link',
    description: 'A DPoP proof (typ "dpop+jwt", with its jwk header) signed by d1\'s key, presented as link 1.',
    spec: 'SPEC-NOTES.md §6.2 step 4.1 (typ is checked before the jwk header rule of 4.2)',
    formats: JWT,
    expected: failure('typ_invalid', 1),
    build: async (b) => {
      const d1 = await b.key('d1-ed25519');
      return standard(chain3(b, { craft: (i, bytes) => (i === 1
        ? b.craft({ alg: 'EdDSA', typ: 'dpop+jwt', jwk: d1.publicJwk }, { jti: 'attack-dpop-proof-as-link-proof', htm: 'POST', htu: `${AUDIENCE}/token`, iat: NOW - 5 }, { key: 'd1-ed25519' })
        : bytes) }));
    },
  },

  // ---- Keys from headers (step 4.2) and crit (4.3) ----
  ...(['jwk', 'jku', 'x5u'] as const).map((parameter): AttackDefinition => ({
    name: `header-${parameter}`,
    description: `Link 0 claims the trusted issuer but is signed by an attacker key that the header offers ${parameter === 'jwk' ? 'inline (jwk)' : `by URL (${parameter})`}.`,
    spec: 'SPEC-NOTES.md §6.2 step 4.2 (a key is never taken from a header, §3.2)',
    formats: JWT,
    expected: failure('header_forbidden', 0),
    build: async (b) => {
      const mallory = await b.key('mallory-ed25519');
      const value = parameter === 'jwk' ? mallory.publicJwk : parameter === 'jku' ? `${MALLORY}/jwks.json` : `${MALLORY}/cert.pem`;
      return standard(chain3(b, { craft: (i, bytes) => (i === 0 ? b.resign(bytes, 'mallory-ed25519', { header: ({ kid: _kid, ...h }) => ({ ...h, [parameter]: value }) }) : bytes) }));
    },
  })),
  {
    name: 'crit-header',
    description: 'Link 1, validly signed by d1, marks a header parameter critical (crit: ["exp"]).',
    spec: 'SPEC-NOTES.md §6.2 step 4.3',
    formats: JWT,
    expected: failure('crit_unsupported', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? b.resign(bytes, 'd1-ed25519', { header: (h) => ({ ...h, exp: NOW, crit: ['exp'] }) }) : bytes) })),
  },
  {
    name: 'x5c-on-key-signer',
    description: 'Link 1 is signed by d1\'s key (named by a jwk in link 0) but also carries an x5c header (a syntactically valid base64 string).',
    spec: 'SPEC-NOTES.md §6.2 step 6 (a link with x5c whose signer is identified by a key)',
    formats: JWT,
    expected: failure('header_forbidden', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? b.resign(bytes, 'd1-ed25519', { header: (h) => ({ ...h, x5c: ['MIIBAA=='] }) }) : bytes) })),
  },

  // ---- Structure and bounds (steps 1–3, 5) ----
  {
    name: 'deep-json-claims',
    description: 'Link 1\'s claims, validly signed by d1, contain an extra member nested 20 levels deep (more than maxNesting = 8).',
    spec: 'SPEC-NOTES.md §6.2 step 3 (nesting deeper than maxNesting is link_malformed, before the claims schema of step 5)',
    formats: JWT,
    expected: failure('link_malformed', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? b.resign(bytes, 'd1-ed25519', { claims: (c) => ({ ...(c as object), ext: nested(20) }) }) : bytes) })),
  },
  {
    name: 'deep-json-header',
    description: 'Link 1\'s protected header, validly signed by d1, contains a member nested 20 levels deep.',
    spec: 'SPEC-NOTES.md §6.2 step 3',
    formats: JWT,
    expected: failure('link_malformed', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? b.resign(bytes, 'd1-ed25519', { header: (h) => ({ ...h, ext: nested(20) }) }) : bytes) })),
  },
  {
    name: 'oversized-link',
    description: 'Link 1, validly signed by d1, is padded with a 13,000-character header parameter: more than maxLinkBytes (16,384); the whole chain is under maxChainBytes.',
    spec: 'SPEC-NOTES.md §6.2 step 3 (a link larger than maxLinkBytes)',
    formats: JWT,
    expected: failure('chain_too_large', 1),
    build: async (b) => ({
      ...(await standard(chain3(b, { craft: (i, bytes) => (i === 1 ? b.resign(bytes, 'd1-ed25519', { header: (h) => ({ ...h, pad: 'x'.repeat(13_000) }) }) : bytes) }))),
      omitJsonForm: true,
    }),
  },
  {
    name: 'oversized-chain',
    description: 'An 8-link chain (within maxLinks) whose links are each padded with a 6,500-character header parameter: every link is under maxLinkBytes but the chain text exceeds maxChainBytes (65,536).',
    spec: 'SPEC-NOTES.md §6.2 step 1',
    formats: JWT,
    expected: failure('chain_too_large'),
    build: async (b) => ({
      chain: await standardChain(b, { length: 8, craft: (i, bytes) => b.resign(bytes, i === 0 ? 'issuer-ed25519' : `d${i}-ed25519`, { header: (h) => ({ ...h, pad: 'x'.repeat(6_500) }) }) }),
      omitJsonForm: true,
      omitLinks: true,
      context: standardContext(8),
    }),
  },
  {
    name: 'too-many-links',
    description: 'A 9-link chain, every link correctly signed and linked (link 0 allows depth 8): more than maxLinks (8).',
    spec: 'SPEC-NOTES.md §6.2 step 2 (counted before any link is decoded)',
    formats: BOTH,
    expected: failure('chain_too_long'),
    build: async (b) => ({ chain: await standardChain(b, { length: 9 }), context: standardContext(9) }),
  },
  {
    name: 'empty-link',
    description: 'The compact form with an empty link between two separators ("link0~~link2").',
    spec: 'SPEC-NOTES.md §6.2 step 2, §4.2',
    formats: JWT,
    expected: failure('chain_malformed'),
    build: async (b) => {
      const chain = await chain3(b);
      const text = chain.links.map((l) => Buffer.from(l).toString('latin1'));
      return { chain: { compact: `${text[0]}~~${text[2]}` } };
    },
  },
  {
    name: 'noncanonical-base64url',
    description: 'The last link\'s signature segment with its final character changed only in the unused low bits: it decodes to the same bytes, but it is another spelling (another byte string for prev and replay keys).',
    spec: 'SPEC-NOTES.md §6.2 step 3 (a segment that is not the canonical base64url spelling of its bytes → link_malformed)',
    formats: JWT,
    expected: failure('link_malformed', 2),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => {
      if (i !== 2) return bytes;
      const text = Buffer.from(bytes).toString('latin1');
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      // A 64-byte signature is 86 characters: the last one carries 2 unused bits.
      const last = alphabet.indexOf(text.at(-1) as string);
      const respelled = encoder.encode(`${text.slice(0, -1)}${alphabet[last ^ 1] as string}`);
      return b.note(respelled, { signer: 'd2-ed25519', note: 'signature part re-spelled: last character differs only in its 2 unused bits' });
    } })),
  },
  {
    name: 'multiple-audiences',
    description: 'Link 0, validly signed by the issuer, has aud as an array naming this AS and another.',
    spec: 'SPEC-NOTES.md §6.2 step 5 (aud is a single string, §3.1)',
    formats: JWT,
    expected: failure('claims_invalid', 0),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 0 ? b.resign(bytes, 'issuer-ed25519', { claims: (c) => ({ ...(c as object), aud: [AUDIENCE, OTHER_AUDIENCE] }) }) : bytes) })),
  },
  {
    name: 'unknown-claim',
    description: 'Link 1, validly signed by d1, carries an extra claim ("admin": true).',
    spec: 'SPEC-NOTES.md §6.2 step 5 (unknown claims are rejected, §3.1)',
    formats: JWT,
    expected: failure('claims_invalid', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? b.resign(bytes, 'd1-ed25519', { claims: (c) => ({ ...(c as object), admin: true }) }) : bytes) })),
  },
  {
    name: 'private-key-in-cnf',
    description: 'Link 0, validly signed by the issuer, names d1\'s key in may_act.cnf.jwk including the private member d.',
    spec: 'SPEC-NOTES.md §6.2 step 5 (private members are forbidden, §3.3)',
    formats: JWT,
    expected: failure('claims_invalid', 0),
    build: async (b) => {
      const d1 = await b.key('d1-ed25519');
      return standard(chain3(b, { craft: (i, bytes) => (i === 0 ? b.resign(bytes, 'issuer-ed25519', { claims: (c) => ({ ...(c as object), may_act: { sub: delegateId(1), cnf: { jwk: { ...d1.publicJwk, d: d1.privateJwk.d } } } }) }) : bytes) }));
    },
  },

  // ---- Signatures and trust (steps 6–7) ----
  {
    name: 'untrusted-root',
    description: 'Link 0 is issued and signed by an issuer the verifier does not trust (mallory).',
    spec: 'SPEC-NOTES.md §6.2 step 6 (no root claims link 0)',
    formats: BOTH,
    expected: failure('untrusted_root', 0),
    build: (b) => standard(chain3(b, { input: onLink(0, (input) => ({ ...input, iss: MALLORY })), signer: (i, name) => (i === 0 ? 'mallory-ed25519' : name) })),
  },
  {
    name: 'root-unknown-kid',
    description: 'Link 0 claims the trusted issuer but names a kid none of the issuer\'s configured keys has (signed by mallory).',
    spec: 'SPEC-NOTES.md §6.2 step 6 (no key of the claiming root fits the kid)',
    formats: BOTH,
    expected: failure('untrusted_root', 0),
    build: (b) => standard(chain3(b, { signer: (i, name) => (i === 0 ? 'mallory-ed25519' : name), mint: (i) => (i === 0 ? { kid: 'mallory-key-1' } : {}) })),
  },
  {
    name: 'root-kid-key-without-kid',
    description: 'The issuer\'s one configured key has no kid; link 0, signed by that very key, names kid "issuer-ed25519". A key without kid is no wildcard: when link 0 has a kid, only keys with that kid are candidates.',
    spec: 'SPEC-NOTES.md §5 (b) (a kid selects keys with that kid; a key without one is not selected), §6.2 step 6 (c)',
    formats: BOTH,
    expected: failure('untrusted_root', 0),
    build: async (b) => {
      const { kid: _kid, ...keyWithoutKid } = (await b.key('issuer-ed25519')).publicJwk as Record<string, unknown>;
      return {
        chain: await chain3(b),
        trust: { roots: [{ type: 'issuer', iss: ISSUER, jwks: { keys: [keyWithoutKid as unknown as PublicJwk] } }] },
      };
    },
  },
  {
    name: 'root-forged-signature',
    description: 'Link 0 claims the trusted issuer and its kid, but is signed by mallory\'s key.',
    spec: 'SPEC-NOTES.md §6.2 step 7',
    formats: BOTH,
    expected: failure('link_signature_invalid', 0),
    build: (b) => standard(chain3(b, { signer: (i, name) => (i === 0 ? 'mallory-ed25519' : name), mint: (i) => (i === 0 ? { kid: 'issuer-ed25519' } : {}) })),
  },
  {
    name: 'holder-root-wrong-key',
    description: 'A key-holder root chain whose link 0 (iss = sub = the holder) is signed by mallory instead of the tmb key.',
    spec: 'SPEC-NOTES.md §6.2 step 7 (a holder root\'s link 0 is signed by the target key, §5 (a))',
    formats: BOTH,
    expected: failure('link_signature_invalid', 0),
    build: async (b) => ({ chain: await chain3(b, { root: 'holder', signer: (i, name) => (i === 0 ? 'mallory-ed25519' : name) }), trust: await standardTrust(b, 'holder') }),
  },
  {
    name: 'holder-root-unbound-key',
    description: 'Mallory signs link 0 with her own key, names that key as tmb on every link and claims the configured holder identifier (iss = sub = https://holder.example); the configuration binds that identifier to the holder\'s key.',
    spec: 'SPEC-NOTES.md §6.2 step 6, §5 (a) (a listed identifier signed by any other key has no candidate key)',
    formats: BOTH,
    expected: failure('untrusted_root', 0),
    build: async (b) => ({
      chain: await chain3(b, { root: 'holder', input: async (_i, input) => ({ ...input, tmb: await b.cnf('mallory-ed25519') }), signer: (i, name) => (i === 0 ? 'mallory-ed25519' : name) }),
      trust: await standardTrust(b, 'holder'),
    }),
  },
  {
    name: 'holder-thumbprint-issuer-other-key',
    description: 'The holder root accepts RFC 9278 thumbprint-URI issuers; link 0 claims the holder key\'s thumbprint URI as iss and sub but names and is signed by mallory\'s key.',
    spec: 'SPEC-NOTES.md §6.2 step 6, §5 (a) (with thumbprintIssuers, iss must be the thumbprint URI of the signing tmb key)',
    formats: BOTH,
    expected: failure('untrusted_root', 0),
    build: async (b) => {
      const urn = await thumbprintUri(b, 'holder-ed25519');
      return {
        chain: await chain3(b, {
          root: 'holder',
          input: async (i, input) => ({ ...input, sub: urn, tmb: await b.cnf('mallory-ed25519'), ...(i === 0 ? { iss: urn } : {}) }),
          signer: (i, name) => (i === 0 ? 'mallory-ed25519' : name),
        }),
        trust: { roots: [{ type: 'holder', thumbprintIssuers: true }] },
      };
    },
  },
  {
    name: 'holder-root-foreign-subject',
    description: 'A key-holder root chain whose link 0, signed by the holder key, names another subject (sub "user-42" ≠ iss).',
    spec: 'SPEC-NOTES.md §6.2 step 6 (a key holder speaks only for itself, §5 (a))',
    formats: BOTH,
    expected: failure('subject_mismatch', 0),
    build: async (b) => ({ chain: await chain3(b, { root: 'holder', input: (_i, input) => ({ ...input, sub: SUBJECT }) }), trust: await standardTrust(b, 'holder') }),
  },
  {
    name: 'signature-tampered',
    description: 'Link 1\'s claims edited in transit (scope widened to the parent\'s) while keeping d1\'s original signature.',
    spec: 'SPEC-NOTES.md §6.2 step 7',
    formats: JWT,
    expected: failure('link_signature_invalid', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => {
      if (i !== 1) return bytes;
      const [h, , s] = Buffer.from(bytes).toString('latin1').split('.') as [string, string, string];
      const { claims } = splitJws(bytes);
      const tampered = encoder.encode(`${h}.${Buffer.from(JSON.stringify({ ...claims, scope: 'read write admin openid profile email phone address offline_access' })).toString('base64url')}.${s}`);
      return b.note(tampered, { note: 'claims edited after d1-ed25519 signed; signature part unchanged' });
    } })),
  },
  {
    name: 'ps256-signature-leading-zero-dropped',
    description: 'Link 0 names d1 by its PS256 key; link 1 carries a PS256 signature by d1 whose first octet is zero, without that octet (255 octets for the 2048-bit modulus). It is the same integer, and OpenSSL\'s PSS verification accepts it; a signature is exactly k octets (RFC 8017 §8.1.2 step 1), so it is refused.',
    spec: 'SPEC-NOTES.md §6.2 step 7 (each algorithm\'s one signature length), RFC 8017 §8.1.2',
    formats: BOTH,
    expected: failure('link_signature_invalid', 1),
    build: async (b) => {
      const d1 = (await b.key('d1-ps256')).privateJwk;
      return standard(chain3(b, {
        input: onLink(0, async (input) => ({ ...input, delegate: { sub: delegateId(1), cnf: await b.cnf('d1-ps256') } })),
        signer: (i, name) => (i === 1 ? 'd1-ps256' : name),
        craft: (i, bytes) => (i === 1 ? withSignature(b, bytes, (data) => leadingZeroDropped(d1, data), 'PS256 by d1-ps256, a signature starting with 0x00, sent without that octet') : bytes),
      }));
    },
  },
  {
    name: 'delegate-key-unresolved',
    description: 'Link 0 names d1 only by thumbprint (jkt) and the trust configuration has no delegateKeys; link 1 (by d1) follows.',
    spec: 'SPEC-NOTES.md §6.2 step 6, §3.4',
    formats: BOTH,
    expected: failure('delegate_key_unresolved', 1),
    build: (b) => standard(chain3(b, { input: onLink(0, async (input) => ({ ...input, delegate: { sub: delegateId(1), cnf: { jkt: await b.jkt('d1-ed25519') } } })) })),
  },

  // ---- Chain integrity (steps 7–9) ----
  {
    name: 'spliced-link',
    description: 'Link 1 replaced by a valid link d1 signed in another chain (same issuer, same d1, another jti): its prev hashes that chain\'s link 0.',
    spec: 'SPEC-NOTES.md §6.2 step 8 (the signature by d1 verifies, the hash link does not, §4.4)',
    formats: BOTH,
    expected: failure('chain_broken', 1),
    build: async (b) => {
      const other = await chain3(b, { jtiPrefix: `${b.id}-other-chain` });
      const chain = await chain3(b);
      return { chain: { format: chain.format, links: [chain.links[0], other.links[1], chain.links[2]] as Uint8Array[] } };
    },
  },
  {
    name: 'dropped-link',
    description: 'The middle link removed: [link 0, link 2]. Link 2 (signed by d2) now follows link 0, whose delegate key is d1\'s.',
    spec: 'SPEC-NOTES.md §6.2 step 7 (the signature is checked with the key link 0 names before the hash link of step 8)',
    formats: BOTH,
    expected: failure('link_signature_invalid', 1),
    build: async (b) => {
      const chain = await chain3(b);
      return { chain: { format: chain.format, links: [chain.links[0], chain.links[2]] as Uint8Array[] }, context: standardContext(3) };
    },
  },
  {
    name: 'dropped-root',
    description: 'Link 0 removed: [link 1, link 2]. The new first link is issued by d1, which no root claims.',
    spec: 'SPEC-NOTES.md §6.2 step 6',
    formats: BOTH,
    expected: failure('untrusted_root', 0),
    build: async (b) => {
      const chain = await chain3(b);
      return { chain: { format: chain.format, links: chain.links.slice(1) } };
    },
  },
  {
    name: 'truncated-chain',
    description: 'The last link removed: [link 0, link 1], presented by d3 (the delegate of the removed link).',
    spec: 'SPEC-NOTES.md §6.2 step 16 (index: the last link)',
    formats: BOTH,
    expected: failure('requester_mismatch', 1),
    build: async (b) => {
      const chain = await chain3(b);
      return { chain: { format: chain.format, links: chain.links.slice(0, 2) }, context: standardContext(3) };
    },
  },
  {
    name: 'reordered-links',
    description: 'Links 1 and 2 swapped: [link 0, link 2, link 1].',
    spec: 'SPEC-NOTES.md §6.2 step 7 (link 2, signed by d2, is checked against d1\'s key)',
    formats: BOTH,
    expected: failure('link_signature_invalid', 1),
    build: async (b) => {
      const chain = await chain3(b);
      return { chain: { format: chain.format, links: [chain.links[0], chain.links[2], chain.links[1]] as Uint8Array[] } };
    },
  },
  {
    name: 'duplicated-link',
    description: 'Link 1 repeated: [link 0, link 1, link 1, link 2]. The copy at index 2 is signed by d1, but link 1 names d2\'s key.',
    spec: 'SPEC-NOTES.md §6.2 step 7',
    formats: BOTH,
    expected: failure('link_signature_invalid', 2),
    build: async (b) => {
      const chain = await chain3(b);
      return { chain: { format: chain.format, links: [chain.links[0], chain.links[1], chain.links[1], chain.links[2]] as Uint8Array[] } };
    },
  },
  {
    name: 'duplicated-link-self-delegation',
    description: 'd1 delegated to itself in link 1; the chain repeats link 1: [link 0, link 1, link 1]. The copy\'s signature verifies with the key link 1 names (d1), but its prev hashes link 0, not link 1.',
    spec: 'SPEC-NOTES.md §6.2 step 8 (§4.4: duplication breaks a hash)',
    formats: BOTH,
    expected: failure('chain_broken', 2),
    build: async (b) => {
      const chain = await standardChain(b, selfDelegationChain(b));
      return { chain: { format: chain.format, links: [chain.links[0], chain.links[1], chain.links[1]] as Uint8Array[] }, context: standardContext(1) };
    },
  },
  {
    name: 'wrong-prev',
    description: 'Link 1, validly signed by d1, has a prev that hashes other bytes (the link 0 of another chain).',
    spec: 'SPEC-NOTES.md §6.2 step 8',
    formats: BOTH,
    expected: failure('chain_broken', 1),
    build: async (b) => {
      const other = await chain3(b, { jtiPrefix: `${b.id}-other-chain`, length: 1 });
      return standard(chain3(b, { previous: (i, previous) => (i === 1 ? other.links[0] : previous) }));
    },
  },
  {
    name: 'missing-prev',
    description: 'Link 1, validly signed by d1, has no prev claim.',
    spec: 'SPEC-NOTES.md §6.2 step 8',
    formats: BOTH,
    expected: failure('chain_broken', 1),
    build: (b) => standard(chain3(b, { previous: (i, previous) => (i === 1 ? undefined : previous) })),
  },
  {
    name: 'prev-on-root',
    description: 'Link 0, validly signed by the issuer, carries a prev claim.',
    spec: 'SPEC-NOTES.md §6.2 step 8 (link 0 has no prev)',
    formats: BOTH,
    expected: failure('chain_broken', 0),
    build: (b) => standard(chain3(b, { previous: (i, previous) => (i === 0 ? encoder.encode('an unrelated earlier link') : previous) })),
  },
  {
    name: 'delegate-mismatch',
    description: 'Link 1 is signed with d1\'s key (the key link 0 names) but its iss is another party than link 0\'s may_act.sub.',
    spec: 'SPEC-NOTES.md §6.2 step 9',
    formats: BOTH,
    expected: failure('delegate_mismatch', 1),
    build: (b) => standard(chain3(b, { input: onLink(1, (input) => ({ ...input, iss: MALLORY })) })),
  },

  // ---- Audience and invariants (steps 10–11) ----
  {
    name: 'audience-other-as',
    description: 'A chain minted for another authorization server (every aud is that AS) presented to this one.',
    spec: 'SPEC-NOTES.md §6.2 step 10',
    formats: BOTH,
    expected: failure('audience_mismatch', 0),
    build: (b) => standard(chain3(b, { input: (_i, input) => ({ ...input, aud: OTHER_AUDIENCE }) })),
  },
  {
    name: 'audience-changed-mid-chain',
    description: 'Link 1 is addressed to another authorization server.',
    spec: 'SPEC-NOTES.md §6.2 step 10',
    formats: BOTH,
    expected: failure('audience_mismatch', 1),
    build: (b) => standard(chain3(b, { input: onLink(1, (input) => ({ ...input, aud: OTHER_AUDIENCE })) })),
  },
  {
    name: 'subject-changed',
    description: 'Link 1 names another subject than link 0.',
    spec: 'SPEC-NOTES.md §6.2 step 11',
    formats: BOTH,
    expected: failure('subject_mismatch', 1),
    build: (b) => standard(chain3(b, { input: onLink(1, (input) => ({ ...input, sub: 'user-666' })) })),
  },
  {
    name: 'tmb-changed-mid-chain',
    description: 'Link 1 names another target key (mallory\'s) than link 0.',
    spec: 'SPEC-NOTES.md §6.2 step 11',
    formats: BOTH,
    expected: failure('tmb_mismatch', 1),
    build: (b) => standard(chain3(b, { input: onLink(1, async (input) => ({ ...input, tmb: await b.cnf('mallory-ed25519') })) })),
  },

  // ---- Time (step 12) ----
  {
    name: 'extended-expiry',
    description: 'Link 1 expires 100 seconds after its parent.',
    spec: 'SPEC-NOTES.md §6.2 step 12 (validity windows nest)',
    formats: BOTH,
    expected: failure('validity_escalation', 1),
    build: (b) => standard(chain3(b, { input: onLink(1, (input) => ({ ...input, exp: expOf(0) + 100 })) })),
  },
  {
    name: 'earlier-start',
    description: 'Link 1 starts (iat) 100 seconds before its parent.',
    spec: 'SPEC-NOTES.md §6.2 step 12 (validity windows nest)',
    formats: BOTH,
    expected: failure('validity_escalation', 1),
    build: (b) => standard(chain3(b, { input: onLink(1, (input) => ({ ...input, iat: iatOf(0) - 100 })) })),
  },
  {
    name: 'not-yet-valid',
    description: 'Link 1 has nbf 600 seconds after now (beyond the 30 s tolerance), inside its parent\'s window.',
    spec: 'SPEC-NOTES.md §6.2 step 12',
    formats: BOTH,
    expected: failure('not_yet_valid', 1),
    build: (b) => standard(chain3(b, { input: onLink(1, (input) => ({ ...input, nbf: NOW + 600 })) })),
  },
  {
    name: 'issued-in-future',
    description: 'Link 1 has iat 600 seconds after now.',
    spec: 'SPEC-NOTES.md §6.2 step 12',
    formats: BOTH,
    expected: failure('not_yet_valid', 1),
    build: (b) => standard(chain3(b, { input: onLink(1, (input) => ({ ...input, iat: NOW + 600 })) })),
  },
  {
    name: 'expired-parent',
    description: 'Link 0 expired an hour ago; the links after it are fresh (they would also escape its window).',
    spec: 'SPEC-NOTES.md §6.2 step 12 (link 0 is checked first)',
    formats: BOTH,
    expected: failure('expired', 0),
    build: (b) => standard(chain3(b, { input: onLink(0, (input) => ({ ...input, iat: NOW - 7200, exp: NOW - 3600 })) })),
  },
  {
    name: 'lifetime-exceeded',
    description: 'Link 0 is valid for 100,000 seconds, more than maxLifetimeSeconds (86,400).',
    spec: 'SPEC-NOTES.md §6.2 step 12',
    formats: BOTH,
    expected: failure('lifetime_exceeded', 0),
    build: (b) => standard(chain3(b, { input: onLink(0, (input) => ({ ...input, exp: (input.iat as number) + 100_000 })) })),
  },
  {
    name: 'inverted-validity',
    description: 'Link 1 has nbf before its iat.',
    spec: 'SPEC-NOTES.md §6.2 step 12 (nbf ≥ iat, else claims_invalid)',
    formats: BOTH,
    expected: failure('claims_invalid', 1),
    build: (b) => standard(chain3(b, { input: onLink(1, (input) => ({ ...input, nbf: (input.iat as number) - 5 })) })),
  },

  // ---- Attenuation (steps 13–14) ----
  {
    name: 'widened-scope',
    description: 'Link 1 adds a scope token ("delete") its parent did not grant.',
    spec: 'SPEC-NOTES.md §6.2 step 13',
    formats: BOTH,
    expected: failure('scope_escalation', 1),
    build: (b) => standard(chain3(b, { input: onLink(1, (input) => ({ ...input, scope: `${String(input.scope)} delete` })) })),
  },
  {
    name: 'depth-overflow',
    description: 'Link 1 has depth 0, yet link 2 follows it (link 0 allowed only depth 1).',
    spec: 'SPEC-NOTES.md §6.2 step 14 (the parent\'s depth must be ≥ 1)',
    formats: BOTH,
    expected: failure('depth_exceeded', 2),
    build: (b) => standard(chain3(b, { input: (i, input) => ({ ...input, depth: i === 0 ? 1 : 0 }) })),
  },
  {
    name: 'depth-not-decreasing',
    description: 'Link 1 claims the same depth as link 0 (2).',
    spec: 'SPEC-NOTES.md §6.2 step 14',
    formats: BOTH,
    expected: failure('depth_exceeded', 1),
    build: (b) => standard(chain3(b, { input: onLink(1, (input) => ({ ...input, depth: 2 })) })),
  },

  // ---- The request (steps 15–17) ----
  {
    name: 'tmb-request-mismatch',
    description: 'A valid chain, but the token request asks for a token bound to another key (mallory\'s).',
    spec: 'SPEC-NOTES.md §6.2 step 15 (index: the last link)',
    formats: BOTH,
    expected: failure('tmb_mismatch', 2),
    build: async (b) => ({ chain: await chain3(b), context: standardContext(3, { tmb: await b.cnf('mallory-ed25519') }) }),
  },
  {
    name: 'tmb-request-member-mismatch',
    description: 'A valid chain whose tmb is a jwk; the request names the same key by jkt. Confirmations with different members are not equal (§3.3).',
    spec: 'SPEC-NOTES.md §6.2 step 15, §3.3 (equality)',
    formats: BOTH,
    expected: failure('tmb_mismatch', 2),
    build: async (b) => ({ chain: await chain3(b), context: standardContext(3, { tmb: { jkt: await b.jkt('holder-ed25519') } }) }),
  },
  {
    name: 'requester-not-last-delegate',
    description: 'A valid chain presented by d2, an earlier delegate, instead of the last delegate d3.',
    spec: 'SPEC-NOTES.md §6.2 step 16 (index: the last link)',
    formats: BOTH,
    expected: failure('requester_mismatch', 2),
    build: async (b) => ({ chain: await chain3(b), context: standardContext(3, { requester: { id: delegateId(2) } }) }),
  },
  {
    name: 'requester-key-mismatch',
    description: 'The requester has the last delegate\'s identifier but authenticated with another key (mallory\'s jkt).',
    spec: 'SPEC-NOTES.md §6.2 step 16',
    formats: BOTH,
    expected: failure('requester_mismatch', 2),
    build: async (b) => ({ chain: await chain3(b), context: standardContext(3, { requester: { id: delegateId(3), jkt: await b.jkt('mallory-ed25519') } }) }),
  },
  {
    name: 'requester-key-required',
    description: 'The verifier requires key-bound requesters (explicitly here; it is also the default); the last delegate authenticated without a key.',
    spec: 'SPEC-NOTES.md §6.2 step 16 (requireRequesterKey)',
    formats: BOTH,
    expected: failure('requester_mismatch', 2),
    build: async (b) => ({ chain: await chain3(b), verifierOptions: { requireRequesterKey: true }, requesterAsGiven: true }),
  },
  {
    name: 'requester-key-default',
    description: 'No verifierOptions: key-bound requesters are the default, and the last delegate (d3) authenticated by secret only (no jkt, no x5t#S256).',
    spec: 'SPEC-NOTES.md §6.2 step 16 (requireRequesterKey defaults to true)',
    formats: BOTH,
    expected: failure('requester_mismatch', 2),
    build: async (b) => ({ chain: await chain3(b), requesterAsGiven: true }),
  },
  {
    name: 'scope-exceeded-request',
    description: 'The request asks for a scope token ("offline_access") that the last link does not grant.',
    spec: 'SPEC-NOTES.md §6.2 step 17',
    formats: BOTH,
    expected: failure('scope_exceeded', 2),
    build: async (b) => ({ chain: await chain3(b), context: standardContext(3, { scope: 'read offline_access' }) }),
  },

  // ---- CBOR / COSE encoding attacks (SPEC-NOTES.md §4.3); link 1 is rebuilt by hand and signed by d1 ----
  {
    name: 'cbor-duplicate-key-protected',
    description: 'Link 1\'s protected header has the alg label twice ({1: -8, 1: -8, 16: "tmb-link+cwt"}); the signature by d1 covers exactly those bytes.',
    spec: 'SPEC-NOTES.md §4.3.4 (no two keys of one map equal), step 3',
    formats: CWT,
    expected: failure('cbor_duplicate_key', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1
      ? recraftCose(b, bytes, { protectedContent: map([int(COSE.alg), int(EDDSA)], [int(COSE.alg), int(EDDSA)], [int(COSE.typ), tstr(CWT_TYP)]) }, 'protected header with a duplicate alg label, signed by d1-ed25519')
      : bytes) })),
  },
  {
    name: 'cbor-duplicate-key-payload',
    description: 'Link 1\'s payload repeats claim key 1 (iss) with the same value, entries still in sorted order; signed by d1.',
    spec: 'SPEC-NOTES.md §4.3.4 (no two keys of one map equal → cbor_duplicate_key), step 3',
    formats: CWT,
    expected: failure('cbor_duplicate_key', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1
      ? recraftCose(b, bytes, { payload: (payload) => duplicateFirstEntry(payload) }, 'payload with claim key 1 twice, signed by d1-ed25519')
      : bytes) })),
  },
  {
    name: 'cbor-indefinite-length-chain',
    description: 'A valid 3-link chain whose outer array is written with indefinite length (0x9f ... 0xff).',
    spec: 'SPEC-NOTES.md §4.3.3 (indefinite array head → cbor_indefinite_length), step 2',
    formats: CWT,
    expected: failure('cbor_indefinite_length'),
    build: async (b) => {
      const chain = await chain3(b);
      return { chain: { compact: b64u(concat(Uint8Array.of(0x9f), ...chain.links, Uint8Array.of(0xff))) } };
    },
  },
  {
    name: 'cbor-indefinite-length-protected',
    description: 'Link 1\'s protected header map is written with indefinite length (0xbf ... 0xff); signed by d1 over those bytes.',
    spec: 'SPEC-NOTES.md §4.3.4 (definite lengths only; the protected header is checked against the profile), step 3',
    formats: CWT,
    expected: failure('cbor_indefinite_length', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1
      ? recraftCose(b, bytes, { protectedContent: concat(Uint8Array.of(0xbf), int(COSE.alg), int(EDDSA), int(COSE.typ), tstr(CWT_TYP), Uint8Array.of(0xff)) }, 'indefinite-length protected header, signed by d1-ed25519')
      : bytes) })),
  },
  {
    name: 'cbor-chain-head-unreadable',
    description: 'The compact chain is the single byte 0x1c: a head with reserved additional information 28 (major type 0). The chain\'s first head is read before its type is judged, so this is cbor_malformed, not the chain_malformed of a readable head that is not an array.',
    spec: 'SPEC-NOTES.md §4.3.3 (order of checks for the compact form: the array head is read first), §4.3.4 (reserved additional information → cbor_malformed), step 2',
    formats: CWT,
    expected: failure('cbor_malformed'),
    build: () => Promise.resolve({ chain: { compact: b64u(Uint8Array.of(0x1c)) } }),
  },
  {
    name: 'cbor-trailing-bytes-chain',
    description: 'A valid 3-link chain followed by one extra byte (0x00) after the array.',
    spec: 'SPEC-NOTES.md §4.3.3 (trailing bytes after the array, checked after every element\'s extent)',
    formats: CWT,
    expected: failure('cbor_trailing_bytes'),
    build: async (b) => {
      const chain = await chain3(b);
      return { chain: { compact: b64u(concat(array(...chain.links), Uint8Array.of(0x00))) } };
    },
  },
  {
    name: 'cbor-trailing-bytes-protected',
    description: 'Link 1\'s protected bstr holds the header map followed by an extra byte (0x00); signed by d1 over those bytes.',
    spec: 'SPEC-NOTES.md §4.3.4 (nothing after the item: protected header), step 3',
    formats: CWT,
    expected: failure('cbor_trailing_bytes', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1
      ? recraftCose(b, bytes, { protectedContent: concat(map([int(COSE.alg), int(EDDSA)], [int(COSE.typ), tstr(CWT_TYP)]), Uint8Array.of(0x00)) }, 'protected header with a trailing byte, signed by d1-ed25519')
      : bytes) })),
  },
  {
    name: 'cose-protected-header-reencoded',
    description: 'Link 1\'s protected header re-encoded with the same meaning but other bytes (alg -8 written as 0x38 0x07 instead of 0x27), keeping d1\'s original signature.',
    spec: 'SPEC-NOTES.md §4.3.1 (the signature covers the protected bytes exactly as received; they are not checked for deterministic encoding), step 7',
    formats: CWT,
    expected: failure('link_signature_invalid', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1
      ? recraftCose(b, bytes, { protectedContent: map([int(COSE.alg), Uint8Array.of(0x38, 0x07)], [int(COSE.typ), tstr(CWT_TYP)]), keepSignature: true }, 'protected header re-encoded; signature part is d1-ed25519\'s over the original header')
      : bytes) })),
  },
  {
    name: 'cose-unknown-critical-header',
    description: 'Link 1\'s protected header marks an unknown label (99, present in the header) critical; signed by d1.',
    spec: 'SPEC-NOTES.md §4.3.4 (crit naming a label this profile does not process → crit_unsupported), step 3',
    formats: CWT,
    expected: failure('crit_unsupported', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1
      ? recraftCose(b, bytes, { protectedContent: map([int(COSE.alg), int(EDDSA)], [int(COSE.crit), array(int(99))], [int(COSE.typ), tstr(CWT_TYP)], [int(99), int(1)]) }, 'crit [99], signed by d1-ed25519')
      : bytes) })),
  },
  {
    name: 'cose-tag-confusion',
    description: 'Link 1 (signed by d1) is wrapped in tag 17 (COSE_Mac0) instead of tag 18 (COSE_Sign1).',
    spec: 'SPEC-NOTES.md §4.3.4 (tag 18 missing, or another tag → cose_tag_invalid), step 3',
    formats: CWT,
    expected: failure('cose_tag_invalid', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? recraftCose(b, bytes, { wrap: (item) => tag(17, item) }, 'tag 17 around a COSE_Sign1 by d1-ed25519') : bytes) })),
  },
  {
    name: 'cose-untagged',
    description: 'Link 1 (signed by d1) is an untagged COSE_Sign1.',
    spec: 'SPEC-NOTES.md §4.3.4 (tag 18 missing → cose_tag_invalid; untagged is only for the interop profile, §4.3.5), step 3',
    formats: CWT,
    expected: failure('cose_tag_invalid', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? recraftCose(b, bytes, { wrap: (item) => item }, 'untagged COSE_Sign1 by d1-ed25519') : bytes) })),
  },
  {
    name: 'cose-alg-missing',
    description: 'Link 1\'s protected header has typ but no alg; signed by d1.',
    spec: 'SPEC-NOTES.md §4.3.4 (alg missing → alg_not_allowed)',
    formats: CWT,
    expected: failure('alg_not_allowed', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? recraftCose(b, bytes, { protectedContent: map([int(COSE.typ), tstr(CWT_TYP)]) }, 'no alg, signed by d1-ed25519') : bytes) })),
  },
  {
    name: 'cose-alg-hmac',
    description: 'Link 1 declares alg 5 (HMAC 256/256) and carries an HMAC keyed with d1\'s raw public key.',
    spec: 'SPEC-NOTES.md §4.3.1 (an unregistered label is reported as its decimal text), step 4.4',
    formats: CWT,
    expected: failure('alg_not_allowed', 1),
    build: async (b) => {
      const d1 = await b.key('d1-ed25519');
      return standard(chain3(b, { craft: (i, bytes) => (i === 1
        ? recraftCose(b, bytes, { protectedContent: map([int(COSE.alg), int(HMAC_256_256)], [int(COSE.typ), tstr(CWT_TYP)]), hmacKey: Buffer.from(String(d1.publicJwk.x), 'base64url') }, 'HMAC 256/256 over the Sig_structure keyed with d1-ed25519\'s raw public key')
        : bytes) }));
    },
  },
  {
    name: 'cose-header-kcwt',
    description: 'Link 1\'s protected header carries a key (kcwt, label 13, a CWT holding mallory\'s key bytes); signed by d1.',
    spec: 'SPEC-NOTES.md §4.3.1 (kcwt, kccs, x5bag, x5u supply keys: header_forbidden), step 4.2',
    formats: CWT,
    expected: failure('header_forbidden', 1),
    build: async (b) => {
      const mallory = await b.key('mallory-ed25519');
      return standard(chain3(b, { craft: (i, bytes) => (i === 1
        ? recraftCose(b, bytes, { protectedContent: map([int(COSE.alg), int(EDDSA)], [int(COSE.kcwt), bstr(Buffer.from(String(mallory.publicJwk.x), 'base64url'))], [int(COSE.typ), tstr(CWT_TYP)]) }, 'kcwt header, signed by d1-ed25519')
        : bytes) }));
    },
  },
  {
    name: 'cose-typ-missing',
    description: 'Link 1\'s protected header has alg but no typ; signed by d1.',
    spec: 'SPEC-NOTES.md §6.2 step 4.1',
    formats: CWT,
    expected: failure('typ_invalid', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? recraftCose(b, bytes, { protectedContent: map([int(COSE.alg), int(EDDSA)]) }, 'no typ, signed by d1-ed25519') : bytes) })),
  },
  {
    name: 'cose-typ-jwt',
    description: 'Link 1\'s protected typ is the JWT link type "tmb-link+jwt"; signed by d1.',
    spec: 'SPEC-NOTES.md §6.2 step 4.1 (each encoding has its own explicit type, §3.2)',
    formats: CWT,
    expected: failure('typ_invalid', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? recraftCose(b, bytes, { protectedContent: map([int(COSE.alg), int(EDDSA)], [int(COSE.typ), tstr(JWT_LINK_TYP)]) }, 'typ tmb-link+jwt, signed by d1-ed25519') : bytes) })),
  },

  // ---- COSE text labels (SPEC-NOTES.md §4.3.1): a text label is never the integer label of the same name ----
  {
    name: 'cose-text-label-alg-only',
    description: 'Link 1\'s protected header spells alg as the text label "alg" (-8) and has no label 1; signed by d1. A text label is another, unknown label: the link has no alg.',
    spec: 'SPEC-NOTES.md §4.3.1 (a known parameter is its integer label; text labels are other labels), §4.3.4 (alg missing → alg_not_allowed), step 4.4',
    formats: CWT,
    expected: failure('alg_not_allowed', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? recraftCose(b, bytes, { protectedContent: map([tstr('alg'), int(EDDSA)], [int(COSE.typ), tstr(CWT_TYP)]) }, 'alg as the text label "alg", signed by d1-ed25519') : bytes) })),
  },
  {
    name: 'cose-text-label-typ-only',
    description: 'Link 1\'s protected header spells typ as the text label "typ" ("tmb-link+cwt") and has no label 16; signed by d1: the link has no typ.',
    spec: 'SPEC-NOTES.md §4.3.1 (a known parameter is its integer label; text labels are other labels), §6.2 step 4.1',
    formats: CWT,
    expected: failure('typ_invalid', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? recraftCose(b, bytes, { protectedContent: map([int(COSE.alg), int(EDDSA)], [tstr('typ'), tstr(CWT_TYP)]) }, 'typ as the text label "typ", signed by d1-ed25519') : bytes) })),
  },
  {
    name: 'cose-critical-text-label',
    description: 'Link 1\'s protected header has the text label "x-note" and marks it critical (crit ["x-note"]); signed by d1.',
    spec: 'SPEC-NOTES.md §4.3.4 (crit naming a label this profile does not process, a text label included → crit_unsupported), step 3',
    formats: CWT,
    expected: failure('crit_unsupported', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? recraftCose(b, bytes, { protectedContent: map([int(COSE.alg), int(EDDSA)], [int(COSE.crit), array(tstr('x-note'))], [int(COSE.typ), tstr(CWT_TYP)], [tstr('x-note'), int(1)]) }, 'crit ["x-note"], signed by d1-ed25519') : bytes) })),
  },
  {
    name: 'cose-critical-text-label-known-name',
    description: 'Link 1\'s protected header has the text label "alg" (-8) beside label 1 and marks the text one critical (crit ["alg"]); signed by d1. "alg" as text is not label 1, so crit names a label this profile does not process.',
    spec: 'SPEC-NOTES.md §4.3.4 (crit naming a label this profile does not process, a text label included → crit_unsupported; only the integer labels 1, 3, 4, 16, 33, 34 are processed), step 3',
    formats: CWT,
    expected: failure('crit_unsupported', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? recraftCose(b, bytes, { protectedContent: map([int(COSE.alg), int(EDDSA)], [int(COSE.crit), array(tstr('alg'))], [int(COSE.typ), tstr(CWT_TYP)], [tstr('alg'), int(EDDSA)]) }, 'crit ["alg"] naming the text label "alg", signed by d1-ed25519') : bytes) })),
  },
  {
    name: 'cose-text-label-both-buckets',
    description: 'Link 1 has the unknown text label "x-note" in both its protected and its unprotected bucket; signed by d1. Unknown labels are ignored, but a label in both buckets is refused whatever it is.',
    spec: 'SPEC-NOTES.md §4.3.4 (a label in both buckets → cose_header_invalid, text labels included), step 3',
    formats: CWT,
    expected: failure('cose_header_invalid', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? recraftCose(b, bytes, { protectedContent: map([int(COSE.alg), int(EDDSA)], [int(COSE.typ), tstr(CWT_TYP)], [tstr('x-note'), int(1)]), unprotected: map([tstr('x-note'), int(1)]) }, '"x-note" in both buckets, signed by d1-ed25519') : bytes) })),
  },

  // ---- Strict parsing of JWT links (SPEC-NOTES.md §4.1, step 3) ----
  {
    name: 'duplicate-member-payload',
    description: 'Link 1, signed by d1, has "scope" twice in its payload: first its own narrow scope, then the parent\'s wider one. A parser keeping the last member would read a scope escalation that a parser keeping the first would not see.',
    spec: 'SPEC-NOTES.md §4.1 (duplicate member names are refused), §6.2 step 3',
    formats: JWT,
    expected: failure('link_malformed', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? rewriteClaimsText(b, bytes, 'd1-ed25519', (text) => text.replace('"scope":"read write admin openid profile email phone address"', '"scope":"read write admin openid profile email phone address","scope":"read write admin openid profile email phone address offline_access"')) : bytes) })),
  },
  {
    name: 'duplicate-member-header',
    description: 'Link 1\'s protected header, signed by d1, has "typ" twice: "JWT", then "tmb-link+jwt".',
    spec: 'SPEC-NOTES.md §4.1 (duplicate member names are refused), §6.2 step 3 (before the typ rule of 4.1)',
    formats: JWT,
    expected: failure('link_malformed', 1),
    build: (b) => standard(chain3(b, { craft: async (i, bytes) => {
      if (i !== 1) return bytes;
      const { claims } = splitJws(bytes);
      return b.craftText('{"alg":"EdDSA","typ":"JWT","typ":"tmb-link+jwt"}', JSON.stringify(claims), 'd1-ed25519');
    } })),
  },
  {
    name: 'non-integer-exp',
    description: 'Link 1, signed by d1, writes exp as 1900002899.99999999999999999999: JSON.parse rounds it to the integer 1900002900.',
    spec: 'SPEC-NOTES.md §4.1 (every number is written as an integer), §6.2 step 3',
    formats: JWT,
    expected: failure('link_malformed', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? rewriteClaimsText(b, bytes, 'd1-ed25519', (text) => text.replace(`"exp":${expOf(1)}`, `"exp":${expOf(1) - 1}.99999999999999999999`)) : bytes) })),
  },
  {
    name: 'numericdate-fraction-zero',
    description: 'Link 1, signed by d1, writes iat as 1899999410.0: an integer value not written as an integer.',
    spec: 'SPEC-NOTES.md §2 (NumericDate), §4.1, §6.2 step 3',
    formats: JWT,
    expected: failure('link_malformed', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? rewriteClaimsText(b, bytes, 'd1-ed25519', (text) => text.replace(`"iat":${iatOf(1)}`, `"iat":${iatOf(1)}.0`)) : bytes) })),
  },
  {
    name: 'typ-not-a-string',
    description: 'Link 1, signed by d1, has "typ": 5.',
    spec: 'SPEC-NOTES.md §6.2 step 4.1 (a typ that is not a string is not the link type)',
    formats: JWT,
    expected: failure('typ_invalid', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? b.resign(bytes, 'd1-ed25519', { header: (h) => ({ ...h, typ: 5 }) }) : bytes) })),
  },
  {
    name: 'alg-missing',
    description: 'Link 1, signed by d1 (EdDSA), has no alg header parameter.',
    spec: 'SPEC-NOTES.md §6.2 step 4.4 (a missing alg is not on the allow-list)',
    formats: JWT,
    expected: failure('alg_not_allowed', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? b.resign(bytes, 'd1-ed25519', { header: ({ alg: _alg, ...h }) => h, alg: 'EdDSA' }) : bytes) })),
  },
  {
    name: 'typ-kelvin-sign',
    description: 'Link 1, signed by d1, has typ "tmb-lin\u212a+jwt" (KELVIN SIGN U+212A, which Unicode lower-casing folds to "k").',
    spec: 'SPEC-NOTES.md §3.2, §6.2 step 4.1 (media types are compared case-insensitively in ASCII only)',
    formats: JWT,
    expected: failure('typ_invalid', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? b.resign(bytes, 'd1-ed25519', { header: (h) => ({ ...h, typ: 'tmb-lin\u212a+jwt' }) }) : bytes) })),
  },
  {
    name: 'compact-trailing-crlf',
    description: 'A valid 3-link compact chain followed by CR LF: the text is taken exactly as received (no trimming).',
    spec: 'SPEC-NOTES.md §6.2 steps 1–3 (the last link is not a JWS compact serialization)',
    formats: JWT,
    expected: failure('link_malformed', 2),
    build: async (b) => ({ chain: { compact: `${(await chain3(b)).links.map((l) => Buffer.from(l).toString('latin1')).join('~')}\r\n` } }),
  },
  {
    name: 'compact-leading-bom',
    description: 'A valid 3-link compact chain preceded by a byte order mark (U+FEFF).',
    spec: 'SPEC-NOTES.md §6.2 steps 1–3 (the text is taken exactly as received: link 0 is not a JWS compact serialization)',
    formats: JWT,
    expected: failure('link_malformed', 0),
    build: async (b) => ({ chain: { compact: `\ufeff${(await chain3(b)).links.map((l) => Buffer.from(l).toString('latin1')).join('~')}` } }),
  },
  {
    name: 'x5c-unpadded',
    description: 'Link 1, signed by d1 (a key signer), carries x5c ["MIIBAA"]: base64 without its "=" padding.',
    spec: 'SPEC-NOTES.md §4.1 (x5c entries are canonical padded base64), §6.2 step 3 (x5c_malformed, before the header_forbidden of step 6)',
    formats: JWT,
    expected: failure('x5c_malformed', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? b.resign(bytes, 'd1-ed25519', { header: (h) => ({ ...h, x5c: ['MIIBAA'] }) }) : bytes) })),
  },

  // ---- Issue #23: decided orders and readings ----
  {
    name: 'x5c-too-many-and-malformed',
    description: 'Link 1, signed by d1 (a key signer), carries an x5c of 5 entries (maxCertificates is 4) whose last is not canonical base64 ("MIIBAA", unpadded). The count is checked before any entry is examined.',
    spec: 'SPEC-NOTES.md §6.2 step 3, §7.2 rule 1 (x5c counted before any entry is examined: x5c_too_many, not x5c_malformed)',
    formats: JWT,
    expected: failure('x5c_too_many', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? b.resign(bytes, 'd1-ed25519', { header: (h) => ({ ...h, x5c: ['MIIBAA==', 'MIIBAA==', 'MIIBAA==', 'MIIBAA==', 'MIIBAA'] }) }) : bytes) })),
  },
  {
    name: 'cwt-x5chain-too-many-and-malformed',
    description: 'Link 1, signed by d1, has a protected x5chain array of 5 items (maxCertificates is 4) whose last is a text string, not a certificate byte string. The count is checked before any item is examined.',
    spec: 'SPEC-NOTES.md §4.3.4 (x5chain counted first), §7.2 rule 1 (x5c_too_many, not x5c_malformed)',
    formats: CWT,
    expected: failure('x5c_too_many', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1
      ? recraftCose(b, bytes, { protectedContent: map([int(COSE.alg), int(EDDSA)], [int(COSE.typ), tstr(CWT_TYP)], [int(33), array(bstr(Uint8Array.of(0x30, 0x00)), bstr(Uint8Array.of(0x30, 0x00)), bstr(Uint8Array.of(0x30, 0x00)), bstr(Uint8Array.of(0x30, 0x00)), tstr('not a certificate'))]) }, 'x5chain of 5 items, the last a tstr, signed by d1-ed25519')
      : bytes) })),
  },
  {
    name: 'typ-prefix-upper-case',
    description: 'Link 1, signed by d1, has typ "Application/TMB-LINK+JWT": the application/ prefix is removed case-insensitively, so the link is typed (step 4.1 passes) and the chain fails only for the requested scope beyond the last link (step 17). A case-sensitive prefix would fail typ_invalid at link 1.',
    spec: 'SPEC-NOTES.md §3.2 (typ: the application/ prefix is matched case-insensitively), §6.2 steps 4.1 and 17',
    formats: JWT,
    expected: failure('scope_exceeded', 2),
    build: async (b) => ({
      chain: await chain3(b, { craft: (i, bytes) => (i === 1 ? b.resign(bytes, 'd1-ed25519', { header: (h) => ({ ...h, typ: 'Application/TMB-LINK+JWT' }) }) : bytes) }),
      context: standardContext(3, { scope: 'read offline_access' }),
    }),
  },
  {
    name: 'cwt-typ-prefix-upper-case',
    description: 'Link 1, signed by d1, has typ "Application/TMB-LINK+CWT": the application/ prefix is removed case-insensitively, so the link is typed and the chain fails only for the requested scope beyond the last link (step 17).',
    spec: 'SPEC-NOTES.md §3.2 (typ: the application/ prefix is matched case-insensitively), §6.2 steps 4.1 and 17',
    formats: CWT,
    expected: failure('scope_exceeded', 2),
    build: async (b) => ({
      chain: await chain3(b, { craft: (i, bytes) => (i === 1
        ? recraftCose(b, bytes, { protectedContent: map([int(COSE.alg), int(EDDSA)], [int(COSE.typ), tstr('Application/TMB-LINK+CWT')]) }, 'typ Application/TMB-LINK+CWT, signed by d1-ed25519')
        : bytes) }),
      context: standardContext(3, { scope: 'read offline_access' }),
    }),
  },
  {
    name: 'requester-jkt-non-canonical',
    description: 'The requester d3 authenticated with its key, but the context gives that key\'s jkt in a non-canonical spelling (the same 32 bytes, the last character\'s unused bits set). A jkt is compared in its canonical spelling, as the chain carries it.',
    spec: 'SPEC-NOTES.md §6.1 (requester jkt / x5t#S256 canonical, 43 characters), §3.3, §6.2 step 16',
    formats: BOTH,
    expected: failure('requester_mismatch', 2),
    build: async (b) => {
      const jkt = await b.jkt('d3-ed25519');
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const alias = `${jkt.slice(0, -1)}${alphabet[alphabet.indexOf(jkt.at(-1) as string) + 1]}`;
      return { chain: await chain3(b), context: standardContext(3, { requester: { id: delegateId(3), jkt: alias } }) };
    },
  },

  // ---- Keys (SPEC-NOTES.md §3.3, step 5) ----
  {
    name: 'rsa-modulus-zero-padded',
    description: 'Link 2 (the last), signed by d2, names its delegate by an RSA jwk whose n is a 1024-bit value preceded by 128 zero octets: 256 octets long, 1024 bits by value.',
    spec: 'SPEC-NOTES.md §3.3 (n without leading zero octets, RFC 7518 §6.3.1.1; at least 2048 bits by value), §6.2 step 5',
    formats: JWT,
    expected: failure('claims_invalid', 2),
    build: async (b) => {
      const modulus = Buffer.concat([Buffer.alloc(128), Buffer.from(createHmac('sha512', 'n').update('rsa-modulus-zero-padded').digest()), Buffer.from(createHmac('sha512', 'n2').update('rsa-modulus-zero-padded').digest())]);
      modulus[128] = (modulus[128] as number) | 0x80;
      modulus[255] = (modulus[255] as number) | 0x01;
      const jwk = { kty: 'RSA', n: modulus.toString('base64url'), e: 'AQAB' };
      return standard(chain3(b, { craft: (i, bytes) => (i === 2 ? b.resign(bytes, 'd2-ed25519', { claims: (c) => ({ ...(c as object), may_act: { sub: delegateId(3), cnf: { jwk } } }) }) : bytes) }));
    },
  },
  {
    name: 'ed25519-small-order-tmb',
    description: 'Every link names as tmb the Ed25519 identity point (x = 0x01 followed by 31 zero octets), for which a signature verifies without any private key.',
    spec: 'SPEC-NOTES.md §3.3 (Ed25519 points of small order are refused), §6.2 step 5',
    formats: JWT,
    expected: failure('claims_invalid', 0),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 0 ? b.resign(bytes, 'issuer-ed25519', { claims: (c) => ({ ...(c as object), tmb: { jwk: { kty: 'OKP', crv: 'Ed25519', x: Buffer.concat([Buffer.of(1), Buffer.alloc(31)]).toString('base64url') } } }) }) : bytes) })),
  },
  {
    name: 'rsa-exponent-one-cnf',
    description: 'Link 0 names delegate d1 by an RSA jwk with e = 1 ("AQ", d1-ps256\'s modulus); link 1 is "signed" for it without any private key: with e = 1 (so d = 1) the PS256 signature is the EMSA-PSS encoding of the signing input itself. The key is refused where it appears (link 0).',
    spec: 'SPEC-NOTES.md §3.3 (RSA public exponent odd, 2^16 < e < 2^32, FIPS 186-5 §A.1.1), §6.2 step 5',
    formats: BOTH,
    expected: failure('claims_invalid', 0),
    build: async (b) => {
      const forger = exponentOneKey();
      b.fixtureKeys.set(EXPONENT_ONE_KEY, forger.privateJwk);
      return standard(chain3(b, {
        signer: (i, name) => (i === 1 ? 'd1-ps256' : name),
        craft: (i, bytes) => {
          if (i === 0) return withClaims(b, bytes, 'issuer-ed25519', (c) => ({ ...c, may_act: { sub: delegateId(1), cnf: { jwk: forger.publicJwk } } }));
          if (i === 1) return withSignature(b, bytes, (data) => ps256(forger.privateJwk, data), `PS256 with ${EXPONENT_ONE_KEY} (e = d = 1): the signature is the PSS encoding of the signed bytes`);
          return bytes;
        },
      }));
    },
  },
  {
    name: 'rsa-exponent-one-tmb',
    description: 'Link 0 names as tmb an RSA jwk with e = 1 (d1-ps256\'s modulus): a token bound to it could be presented by anyone (a DPoP proof for it needs no private key).',
    spec: 'SPEC-NOTES.md §3.3 (RSA public exponent), §6.2 step 5',
    formats: BOTH,
    expected: failure('claims_invalid', 0),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 0 ? withClaims(b, bytes, 'issuer-ed25519', (c) => ({ ...c, tmb: { jwk: exponentOneKey().publicJwk } })) : bytes) })),
  },
  {
    name: 'rsa-exponent-three-cnf',
    description: 'Link 0 names delegate d1 by an RSA jwk with e = 3 (d1-ps256\'s modulus): odd, but not above 2^16.',
    spec: 'SPEC-NOTES.md §3.3 (RSA public exponent odd, 2^16 < e < 2^32), §6.2 step 5',
    formats: BOTH,
    expected: failure('claims_invalid', 0),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 0 ? withClaims(b, bytes, 'issuer-ed25519', (c) => ({ ...c, may_act: { sub: delegateId(1), cnf: { jwk: { ...exponentOneKey().publicJwk, e: 'Aw' } } } })) : bytes) })),
  },
  {
    name: 'rsa-exponent-large-cnf',
    description: 'Link 0 names delegate d1 by an RSA jwk with e = 2^33 + 1 ("AgAAAAE", d1-ps256\'s modulus): odd and above 2^16, but not below 2^32. node:crypto verifies with such a key; Chromium\'s WebCrypto refuses to import it (more than 33 bits), so the chain would verify on one runtime and not on another.',
    spec: 'SPEC-NOTES.md §3.3 (RSA public exponent odd, 2^16 < e < 2^32: browsers refuse larger ones), §6.2 step 5',
    formats: BOTH,
    expected: failure('claims_invalid', 0),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 0 ? withClaims(b, bytes, 'issuer-ed25519', (c) => ({ ...c, may_act: { sub: delegateId(1), cnf: { jwk: { ...exponentOneKey().publicJwk, e: 'AgAAAAE' } } } })) : bytes) })),
  },
  {
    name: 'rsa-modulus-even-cnf',
    description: 'Link 0 names delegate d1 by an RSA jwk whose modulus is d1-ps256\'s with its lowest bit cleared (even: no RSA key), e = 65537; link 1 is signed by d1-ps256 with PS256. node:crypto imports such a key and verifies nothing with it (link_signature_invalid at link 1), browsers refuse to import it: the key is refused where it appears (link 0).',
    spec: 'SPEC-NOTES.md §3.3 (an RSA modulus is odd), §6.2 step 5',
    formats: BOTH,
    expected: failure('claims_invalid', 0),
    build: (b) => {
      const n = Buffer.from(exponentOneKey().publicJwk.n as string, 'base64url');
      n[n.length - 1] = (n[n.length - 1] as number) & 0xfe;
      const jwk = { kty: 'RSA', n: n.toString('base64url'), e: 'AQAB' };
      return standard(chain3(b, {
        signer: (i, name) => (i === 1 ? 'd1-ps256' : name),
        craft: (i, bytes) => (i === 0 ? withClaims(b, bytes, 'issuer-ed25519', (c) => ({ ...c, may_act: { sub: delegateId(1), cnf: { jwk } } })) : bytes),
      }));
    },
  },
  {
    name: 'rsa-exponent-one-requested-tmb',
    description: 'A valid chain; the token request names as its tmb an RSA jwk with e = 1.',
    spec: 'SPEC-NOTES.md §3.3 (the key checks apply to the request\'s tmb: request_invalid), §6.1',
    formats: BOTH,
    expected: failure('request_invalid'),
    build: async (b) => ({ chain: await chain3(b), context: standardContext(3, { tmb: { jwk: exponentOneKey().publicJwk } }) }),
  },
  {
    name: 'jwk-alg-mismatch-cnf',
    description: 'Link 0 names delegate d1 by its P-256 jwk carrying "alg": "ES512" (Wycheproof json_web_key tcId 19); link 1 is signed by d1 with ES256 (ESP256 in COSE). A JWK alg that does not fit the key makes the key invalid; it is not dropped.',
    spec: 'SPEC-NOTES.md §3.3 (a JWK alg names the only algorithm the key is used with, and must fit its type and curve), §6.2 step 5',
    formats: BOTH,
    expected: failure('claims_invalid', 0),
    build: async (b) => {
      const d1 = await b.key('d1-es256');
      return standard(chain3(b, {
        signer: (i, name) => (i === 1 ? 'd1-es256' : name),
        craft: (i, bytes) => (i === 0 ? withClaims(b, bytes, 'issuer-ed25519', (c) => ({ ...c, may_act: { sub: delegateId(1), cnf: { jwk: { ...d1.publicJwk, alg: 'ES512' } } } })) : bytes),
      }));
    },
  },
  {
    name: 'jwk-alg-restricts-key',
    description: 'Link 0 names delegate d1 by its Ed25519 jwk with "alg": "Ed25519", and link 1 is signed by d1 with EdDSA, the same operation under its other name (RFC 9864): allowed; but link 2 is signed by d2, named by link 1 as an Ed25519 jwk with "alg": "ES256", which no Ed25519 key can do.',
    spec: 'SPEC-NOTES.md §3.3 (a JWK alg must fit the key\'s type and curve; EdDSA and Ed25519 are one operation), §6.2 step 5 (link 1, where the key appears)',
    formats: BOTH,
    expected: failure('claims_invalid', 1),
    build: async (b) => {
      const d1 = await b.key('d1-ed25519');
      const d2 = await b.key('d2-ed25519');
      return standard(chain3(b, {
        craft: (i, bytes) => {
          if (i === 0) return withClaims(b, bytes, 'issuer-ed25519', (c) => ({ ...c, may_act: { sub: delegateId(1), cnf: { jwk: { ...d1.publicJwk, alg: 'Ed25519' } } } }));
          if (i === 1) return withClaims(b, bytes, 'd1-ed25519', (c) => ({ ...c, may_act: { sub: delegateId(2), cnf: { jwk: { ...d2.publicJwk, alg: 'ES256' } } } }));
          return bytes;
        },
      }));
    },
  },
  {
    name: 'ec-point-off-curve-cnf',
    description: 'Link 0 names d1 by a P-256 jwk whose y is d1\'s y plus one (off the curve); link 1 is signed by d1\'s real key. The key is refused where it appears (link 0), before it would be used (link 1).',
    spec: 'SPEC-NOTES.md §3.3 (EC points on the curve), §6.2 step 5 (every link\'s claims before step 6 of any)',
    formats: JWT,
    expected: failure('claims_invalid', 0),
    build: async (b) => {
      const d1 = await b.key('d1-es256');
      const y = Buffer.from(String(d1.publicJwk.y), 'base64url');
      y[31] = ((y[31] as number) + 1) & 0xff;
      const jwk = { ...d1.publicJwk, y: y.toString('base64url') };
      return standard(chain3(b, { keyType: 'es256', craft: (i, bytes) => (i === 0 ? b.resign(bytes, 'issuer-es256', { claims: (c) => ({ ...(c as object), may_act: { sub: delegateId(1), cnf: { jwk } } }) }) : bytes) }));
    },
  },
  {
    name: 'jkt-noncanonical',
    description: 'Every link names tmb by a jkt whose last character differs from the holder key\'s thumbprint only in its two unused bits (the same 32 bytes, another spelling).',
    spec: 'SPEC-NOTES.md §3.3 (jkt and x5t#S256 are canonical base64url: one key, one thumbprint), §6.2 step 5',
    formats: JWT,
    expected: failure('claims_invalid', 0),
    build: async (b) => {
      const jkt = await b.jkt('holder-ed25519');
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const respelled = `${jkt.slice(0, -1)}${alphabet[alphabet.indexOf(jkt.at(-1) as string) ^ 1] as string}`;
      return standard(chain3(b, { craft: (i, bytes) => (i === 0 ? b.resign(bytes, 'issuer-ed25519', { claims: (c) => ({ ...(c as object), tmb: { jkt: respelled } }) }) : bytes) }));
    },
  },

  // ---- Limits of the claims schema a reading of the text alone missed (impl8) ----
  {
    name: 'may-act-sub-too-long',
    description: 'The last link (2), validly signed by d2, names as its delegate an identifier of 2049 characters, and the requester has that identifier (and the delegate\'s key). may_act.sub is 1–2048 characters, as every identifier.',
    spec: 'SPEC-NOTES.md §3.1 (may_act.sub: 1–2048), §6.2 step 5',
    formats: JWT,
    expected: failure('claims_invalid', 2),
    build: async (b) => {
      const longSub = `https://d3.example/${'a'.repeat(2049 - 'https://d3.example/'.length)}`;
      return {
        chain: await chain3(b, { craft: (i, bytes) => (i === 2 ? b.resign(bytes, 'd2-ed25519', { claims: (c) => ({ ...(c as object), may_act: { ...((c as { may_act: object }).may_act), sub: longSub } }) }) : bytes) }),
        context: standardContext(3, { requester: { id: longSub } }),
      };
    },
  },
  {
    name: 'jwk-kid-not-string',
    description: 'Link 0, validly signed by the issuer, names d1 by its jwk with a member "kid": 1 (a number). A JWK\'s kid is a string of at most 256 characters.',
    spec: 'SPEC-NOTES.md §3.3 (the members of a JWK), §6.2 step 5',
    formats: JWT,
    expected: failure('claims_invalid', 0),
    build: async (b) => {
      const d1 = await b.key('d1-ed25519');
      return standard(chain3(b, { craft: (i, bytes) => (i === 0 ? b.resign(bytes, 'issuer-ed25519', { claims: (c) => ({ ...(c as object), may_act: { sub: delegateId(1), cnf: { jwk: { ...d1.publicJwk, kid: 1 } } } }) }) : bytes) }));
    },
  },
  {
    name: 'rsa-modulus-over-member-length',
    description: 'The last link (2), validly signed by d2, names the last delegate by an RSA jwk whose n is 1402 base64url characters (an odd 8408-bit value, e = 65537; never used to verify: the requester presents its thumbprint). Each of x, y, n and e is at most 1400 characters, so an RSA key in a link is at most 8400 bits, below the 16384 of the key checks.',
    spec: 'SPEC-NOTES.md §3.3 (the members of a JWK: x, y, n, e at most 1400 characters), §6.2 step 5',
    formats: JWT,
    expected: failure('claims_invalid', 2),
    build: async (b) => {
      const modulus = Buffer.alloc(1051, 0xab);
      const jwk = { kty: 'RSA', n: modulus.toString('base64url'), e: 'AQAB' };
      const jkt = createHash('sha256').update(`{"e":"AQAB","kty":"RSA","n":"${jwk.n}"}`).digest('base64url');
      return {
        chain: await chain3(b, { craft: (i, bytes) => (i === 2 ? b.resign(bytes, 'd2-ed25519', { claims: (c) => ({ ...(c as object), may_act: { sub: delegateId(3), cnf: { jwk } } }) }) : bytes) }),
        context: standardContext(3, { requester: { id: delegateId(3), jkt } }),
      };
    },
  },

  // ---- The normative order: several faults at once (SPEC-NOTES.md §6.2) ----
  {
    name: 'order-steps-3-5-link-by-link',
    description: 'Link 0 has an unknown claim (step 5) and link 1\'s signature segment is not canonical base64url (step 3). Steps 3–5 run link by link, so link 0\'s step 5 comes first.',
    spec: 'SPEC-NOTES.md §6.2 (steps 3–5 run for one link, then the next)',
    formats: JWT,
    expected: failure('claims_invalid', 0),
    build: (b) => standard(chain3(b, { craft: async (i, bytes) => {
      if (i === 0) return b.resign(bytes, 'issuer-ed25519', { claims: (c) => ({ ...(c as object), admin: true }) });
      if (i !== 1) return bytes;
      const text = Buffer.from(bytes).toString('latin1');
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      return b.note(encoder.encode(`${text.slice(0, -1)}${alphabet[alphabet.indexOf(text.at(-1) as string) ^ 1] as string}`), { signer: 'd1-ed25519', note: 'signature re-spelled in its unused bits' });
    } })),
  },
  {
    name: 'order-steps-6-14-link-by-link',
    description: 'Link 0 expired (step 12) and link 1\'s signature is forged (step 7). Steps 6–14 run link by link from the root, so link 0\'s step 12 comes first.',
    spec: 'SPEC-NOTES.md §6.2 (steps 6–14 run for one link, then the next)',
    formats: BOTH,
    expected: failure('expired', 0),
    build: (b) => standard(chain3(b, {
      input: (i, input) => ({ ...input, exp: NOW - 100 - 10 * i }),
      signer: (i, name) => (i === 1 ? 'mallory-ed25519' : name),
    })),
  },
  {
    name: 'order-step-4-typ-first',
    description: 'Link 1 (signed by d1) has a wrong typ, a jwk header, crit and alg "none" at once: 4.1 comes first.',
    spec: 'SPEC-NOTES.md §6.2 step 4 (4.1, 4.2, 4.3, 4.4 in this order)',
    formats: JWT,
    expected: failure('typ_invalid', 1),
    build: async (b) => {
      const d1 = await b.key('d1-ed25519');
      return standard(chain3(b, { craft: (i, bytes) => (i === 1 ? b.resign(bytes, 'd1-ed25519', { header: () => ({ alg: 'none', typ: 'JWT', jwk: d1.publicJwk, crit: ['exp'], exp: NOW }), alg: 'EdDSA' }) : bytes) }));
    },
  },
  {
    name: 'order-step-4-2-before-4-3',
    description: 'Link 1 (signed by d1) has a jwk header, crit and alg "none": 4.2 comes before 4.3 and 4.4.',
    spec: 'SPEC-NOTES.md §6.2 step 4 (4.2 before 4.3 before 4.4)',
    formats: JWT,
    expected: failure('header_forbidden', 1),
    build: async (b) => {
      const d1 = await b.key('d1-ed25519');
      return standard(chain3(b, { craft: (i, bytes) => (i === 1 ? b.resign(bytes, 'd1-ed25519', { header: () => ({ alg: 'none', typ: JWT_LINK_TYP, jwk: d1.publicJwk, crit: ['exp'], exp: NOW }), alg: 'EdDSA' }) : bytes) }));
    },
  },
  {
    name: 'order-step-4-3-before-4-4',
    description: 'Link 1 (signed by d1) has crit and no alg at all: 4.3 comes before 4.4.',
    spec: 'SPEC-NOTES.md §6.2 step 4 (4.3 before 4.4; a missing alg is judged at 4.4, not while decoding)',
    formats: JWT,
    expected: failure('crit_unsupported', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? b.resign(bytes, 'd1-ed25519', { header: () => ({ typ: JWT_LINK_TYP, crit: ['exp'], exp: NOW }), alg: 'EdDSA' }) : bytes) })),
  },
  {
    name: 'order-step-3-before-4',
    description: 'Link 1 (signed by d1) has a header nested 20 levels deep and typ "JWT": step 3 comes first.',
    spec: 'SPEC-NOTES.md §6.2 (step 3 before step 4)',
    formats: JWT,
    expected: failure('link_malformed', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? b.resign(bytes, 'd1-ed25519', { header: (h) => ({ ...h, typ: 'JWT', ext: nested(20) }) }) : bytes) })),
  },
  {
    name: 'order-alg-missing-after-typ',
    description: 'Link 1 (signed by d1) has no alg and typ "JWT": a missing alg is judged at step 4.4, after 4.1.',
    spec: 'SPEC-NOTES.md §6.2 step 4 (4.1 before 4.4)',
    formats: JWT,
    expected: failure('typ_invalid', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? b.resign(bytes, 'd1-ed25519', { header: () => ({ typ: 'JWT' }), alg: 'EdDSA' }) : bytes) })),
  },
  {
    name: 'order-delegation-before-audience',
    description: 'Link 1, signed by d1, names mallory as iss and another AS as aud: step 9 comes before step 10.',
    spec: 'SPEC-NOTES.md §6.2 (step 9 before step 10)',
    formats: BOTH,
    expected: failure('delegate_mismatch', 1),
    build: (b) => standard(chain3(b, { input: onLink(1, (input) => ({ ...input, iss: MALLORY, aud: OTHER_AUDIENCE })) })),
  },
  {
    name: 'order-scope-before-depth',
    description: 'Link 1 adds a scope token its parent lacks (superuser) and keeps its parent\'s depth: step 13 comes before step 14.',
    spec: 'SPEC-NOTES.md §6.2 (step 13 before step 14)',
    formats: BOTH,
    expected: failure('scope_escalation', 1),
    build: (b) => standard(chain3(b, { input: onLink(1, (input) => ({ ...input, scope: `${input.scope as string} superuser`, depth: 2 })) })),
  },
  {
    name: 'order-time-lifetime-before-expired',
    description: 'Link 1 lived two days (iat = now − 3 days, exp = now − 1 day): lifetime_exceeded comes before expired within step 12.',
    spec: 'SPEC-NOTES.md §6.2 step 12 (its checks in the order written)',
    formats: BOTH,
    expected: failure('lifetime_exceeded', 1),
    build: (b) => standard(chain3(b, { input: onLink(1, (input) => ({ ...input, iat: NOW - 3 * 86_400, exp: NOW - 86_400 })) })),
  },
  {
    name: 'order-request-steps',
    description: 'A valid chain; the request names another tmb, comes from d2 (not the last delegate) and asks for a scope beyond the last link: step 15 comes first.',
    spec: 'SPEC-NOTES.md §6.2 (steps 15, 16, 17 in this order)',
    formats: BOTH,
    expected: failure('tmb_mismatch', 2),
    build: async (b) => ({ chain: await chain3(b), context: standardContext(3, { tmb: await b.cnf('mallory-ed25519'), requester: { id: delegateId(2) }, scope: 'offline_access' }) }),
  },
  {
    name: 'order-context-before-chain',
    description: 'Link 1 is signed by mallory\'s key instead of d1\'s (link_signature_invalid at step 7), and the request names as its tmb an RSA jwk with e = 1, which the key checks of §3.3 refuse: the context is checked before step 1, so the request fault wins, with no link index. (The requested scope, by contrast, is judged at step 17.)',
    spec: 'SPEC-NOTES.md §6.1 (the context is checked before step 1: a requested tmb that is not a valid confirmation is request_invalid)',
    formats: BOTH,
    expected: failure('request_invalid'),
    build: async (b) => ({ chain: await chain3(b, { signer: (i, name) => (i === 1 ? 'mallory-ed25519' : name) }), context: standardContext(3, { tmb: { jwk: exponentOneKey().publicJwk } }) }),
  },
  {
    name: 'order-size-before-count',
    description: 'A 9-link chain (more than maxLinks) whose text also exceeds maxChainBytes (set to 4096 here): step 1 comes before step 2.',
    spec: 'SPEC-NOTES.md §6.2 (step 1 before step 2)',
    formats: BOTH,
    expected: failure('chain_too_large'),
    build: async (b) => ({ chain: await standardChain(b, { length: 9 }), context: standardContext(9), trust: { ...(await standardTrust(b, 'issuer')), limits: { maxChainBytes: 4096 } } }),
  },
  {
    name: 'order-count-before-empty-link',
    description: 'Nine compact links separated by "~" where one is empty (more than maxLinks counted with the empty one): the count comes before the empty link within step 2.',
    spec: 'SPEC-NOTES.md §6.2 step 2 (links are counted before any is examined)',
    formats: JWT,
    expected: failure('chain_too_long'),
    build: async (b) => {
      const chain = await standardChain(b, { length: 8 });
      const text = chain.links.map((l) => Buffer.from(l).toString('latin1'));
      return { chain: { compact: `${text.slice(0, 4).join('~')}~~${text.slice(4).join('~')}` }, context: standardContext(8) };
    },
  },
  {
    name: 'order-holder-subject-before-key',
    description: 'A holder root chain whose link 0 names a foreign subject (sub user-42 ≠ iss) and is signed by mallory\'s key named as tmb (not the bound key): the subject limit comes before the key within step 6.',
    spec: 'SPEC-NOTES.md §6.2 step 6 ((b) subjects before (c) keys), §5 (a)',
    formats: BOTH,
    expected: failure('subject_mismatch', 0),
    build: async (b) => ({
      chain: await chain3(b, { root: 'holder', input: async (_i, input) => ({ ...input, sub: SUBJECT, tmb: await b.cnf('mallory-ed25519') }), signer: (i, name) => (i === 0 ? 'mallory-ed25519' : name) }),
      trust: await standardTrust(b, 'holder'),
    }),
  },
  {
    name: 'issuer-root-subject-limit',
    description: 'The issuer root may vouch only for subjects starting "urn:tenant-a:"; link 0 (validly signed) names user-42.',
    spec: 'SPEC-NOTES.md §5 (b) (subjects), §6.2 step 6 (b)',
    formats: BOTH,
    expected: failure('subject_mismatch', 0),
    build: async (b) => ({ chain: await chain3(b), trust: { roots: [{ type: 'issuer', iss: ISSUER, jwks: { keys: [(await b.key('issuer-ed25519')).publicJwk] }, subjects: { prefixes: ['urn:tenant-a:'] } }] } }),
  },
  {
    name: 'x5c-root-with-issuer-root-only',
    description: 'Link 0, validly signed by the issuer key, carries an x5c header; the only root is the issuer root for its iss.',
    spec: 'SPEC-NOTES.md §6.2 step 6 (a) (a link 0 with x5c is claimed only by x509 roots)',
    formats: JWT,
    expected: failure('untrusted_root', 0),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 0 ? b.resign(bytes, 'issuer-ed25519', { header: (h) => ({ ...h, x5c: ['MIIBAA=='] }) }) : bytes) })),
  },
  {
    name: 'request-invalid-scope',
    description: 'A valid chain; the request\'s scope "read  write" (two spaces) is not a valid scope string.',
    spec: 'SPEC-NOTES.md §6.2 step 17 (request_invalid carries no link index: it is about the request)',
    formats: JWT,
    expected: failure('request_invalid'),
    build: async (b) => ({ chain: await chain3(b), context: standardContext(3, { scope: 'read  write' }) }),
  },

  // ---- CBOR reading (SPEC-NOTES.md §4.3) ----
  {
    name: 'cwt-claim-mapping-before-typ',
    description: 'Link 1 (signed by d1) has typ "JWT" and its cti as a text string: claim mapping is part of decoding (step 3), before the typ rule (4.1).',
    spec: 'SPEC-NOTES.md §4.3.2 (claim-mapping failures are claims_invalid at step 3)',
    formats: CWT,
    expected: failure('claims_invalid', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1
      ? recraftCose(b, bytes, { protectedContent: map([int(COSE.alg), int(EDDSA)], [int(COSE.typ), tstr('JWT')]), payload: (payload) => ctiAsText(payload) }, 'typ JWT and cti as tstr, signed by d1-ed25519')
      : bytes) })),
  },
  {
    name: 'cwt-unknown-text-claim-after-typ',
    description: 'Link 1 (signed by d1) has typ "JWT" and an extra claim under the text key "zzzzzzzz" (sorted last). Unlike an unknown integer key (cwt-claim-mapping-before-typ), a text key maps to its own name; the unknown claim is refused by §3.1 at step 5, so the typ rule (4.1) reports first.',
    spec: 'SPEC-NOTES.md §4.3.2 (a text key not in the table is the claim of that name), §6.2 step 4.1 before step 5',
    formats: CWT,
    expected: failure('typ_invalid', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1
      ? recraftCose(b, bytes, { protectedContent: map([int(COSE.alg), int(EDDSA)], [int(COSE.typ), tstr('JWT')]), payload: (payload) => withLastTextClaim(payload, 'zzzzzzzz') }, 'typ JWT and an extra text-keyed claim, signed by d1-ed25519')
      : bytes) })),
  },
  {
    name: 'cose-tag-98',
    description: 'Link 1 (signed by d1) is wrapped in tag 98 (COSE_Sign) instead of 18.',
    spec: 'SPEC-NOTES.md §4.3.4 (the link\'s one tag, if not 18 → cose_tag_invalid)',
    formats: CWT,
    expected: failure('cose_tag_invalid', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? recraftCose(b, bytes, { wrap: (item) => tag(98, item) }, 'tag 98 around a COSE_Sign1 by d1-ed25519') : bytes) })),
  },
  {
    name: 'cose-tag-self-described',
    description: 'Link 1 (signed by d1) is 55799(18([...])): the self-described CBOR tag around the COSE_Sign1 tag.',
    spec: 'SPEC-NOTES.md §4.3.4 (a tag anywhere but as the link\'s one outer tag → cbor_malformed)',
    formats: CWT,
    expected: failure('cbor_malformed', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? recraftCose(b, bytes, { wrap: (item) => tag(55799, tag(18, item)) }, '55799(18(COSE_Sign1 by d1-ed25519))') : bytes) })),
  },
  {
    name: 'cose-empty-protected',
    description: 'Link 1 (signed by d1 over a Sig_structure with an empty protected bstr) has a zero-length protected header: an empty map, so no typ and no alg.',
    spec: 'SPEC-NOTES.md §4.3.1 (a zero-length protected bstr is the empty map), §6.2 step 4.1',
    formats: CWT,
    expected: failure('typ_invalid', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? recraftCose(b, bytes, { protectedContent: new Uint8Array(0) }, 'empty protected bstr, signed by d1-ed25519') : bytes) })),
  },
  {
    name: 'cbor-compact-element-walk-before-link-0',
    description: 'Both forms. Link 0 has typ "nope" (its original signature kept; step 4 fails before step 7); link 1 (signed by d1) has an unprotected header nested maxNesting + 1 deep ({99: [[[[[[[[0]]]]]]]]}). Either form walks every element against the CBOR profile at step 2 (the unprotected header\'s nesting included), so link 1\'s fault is reported first, not link 0\'s typ_invalid: a JSON-form reader that reads its elements only at step 3, link by link, fails it.',
    spec: 'SPEC-NOTES.md §4.3.3 (order of checks, both forms: each element walked while splitting, before link 0 is decoded), §4.3.4 (nesting within an unprotected header)',
    formats: CWT,
    expected: failure('cbor_too_deep', 1),
    build: async (b) => {
      let deep = int(0);
      for (let k = 0; k < 8; k++) deep = array(deep);
      const chain = await chain3(b, { craft: (i, bytes) => (i === 0
        ? recraftCose(b, bytes, { protectedContent: map([int(COSE.alg), int(EDDSA)], [int(COSE.typ), tstr('nope')]), keepSignature: true }, 'typ "nope"; the signature part is the root\'s original one')
        : i === 1 ? recraftCose(b, bytes, { unprotected: map([int(99), deep]) }, 'unprotected header nested 9 deep, signed by d1-ed25519') : bytes) });
      return { chain: { compact: b64u(array(...chain.links)), json: chain.links.map((link) => b64u(link)) } };
    },
  },
  {
    name: 'cose-alg-label-beyond-safe-integer',
    description: 'Link 1\'s protected alg is -2^63 (0x3b 7f ff ff ff ff ff ff ff), an integer of the CBOR profile outside ±(2^53 − 1); signed by d1.',
    spec: 'SPEC-NOTES.md §4.3.4 (alg not an integer label within ±(2^53 − 1) → cose_header_invalid), step 3',
    formats: CWT,
    expected: failure('cose_header_invalid', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? recraftCose(b, bytes, { protectedContent: map([int(COSE.alg), Uint8Array.of(0x3b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)], [int(COSE.typ), tstr(CWT_TYP)]) }, 'alg -2^63, signed by d1-ed25519') : bytes) })),
  },
  {
    name: 'cbor-envelope-determinism-before-payload',
    description: 'Link 1 (signed by d1) has its empty unprotected map written 0xb8 0x00 (not shortest) and a payload repeating claim key 1. The envelope\'s deterministic encoding is checked after the header rules and before the payload is read.',
    spec: 'SPEC-NOTES.md §4.3.4 (the order of step 3 within a link)',
    formats: CWT,
    expected: failure('cbor_not_deterministic', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1
      ? recraftCose(b, bytes, { unprotected: Uint8Array.of(0xb8, 0x00), payload: (payload) => duplicateFirstEntry(payload) }, 'unprotected map head 0xb8 0x00 and claim key 1 twice, signed by d1-ed25519')
      : bytes) })),
  },
  {
    name: 'cwt-typ-kelvin-sign',
    description: 'Link 1\'s protected typ is "tmb-lin\u212a+cwt" (KELVIN SIGN U+212A); signed by d1.',
    spec: 'SPEC-NOTES.md §3.2, §6.2 step 4.1 (ASCII-only case folding)',
    formats: CWT,
    expected: failure('typ_invalid', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? recraftCose(b, bytes, { protectedContent: map([int(COSE.alg), int(EDDSA)], [int(COSE.typ), tstr('tmb-lin\u212a+cwt')]) }, 'typ with a Kelvin sign, signed by d1-ed25519') : bytes) })),
  },
  {
    name: 'cwt-json-element-noncanonical',
    description: 'The JSON form of a valid chain whose link 1 text has its last character changed in its unused bits.',
    spec: 'SPEC-NOTES.md §4.3.3 (a JSON-form element that is not canonical base64url → chain_malformed, step 2)',
    formats: CWT,
    expected: failure('chain_malformed'),
    build: async (b) => {
      const json = (await chain3(b)).links.map((l) => Buffer.from(l).toString('base64url'));
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const text = json[1] as string;
      json[1] = `${text.slice(0, -1)}${alphabet[alphabet.indexOf(text.at(-1) as string) ^ 1] as string}`;
      if (json[1].length % 4 === 0) throw new Error('link 1 has no unused bits');
      return { chain: { json } };
    },
  },
  {
    name: 'cwt-json-element-trailing-bytes',
    description: 'The JSON form of a valid chain whose link 1 element carries one extra byte (0x00) after the COSE_Sign1.',
    spec: 'SPEC-NOTES.md §4.3.3–4.3.4 (cbor_trailing_bytes with the element\'s index, found while splitting, error step 3)',
    formats: CWT,
    expected: failure('cbor_trailing_bytes', 1),
    build: async (b) => {
      const links = (await chain3(b)).links;
      return { chain: { json: links.map((l, i) => Buffer.from(i === 1 ? concat(l, Uint8Array.of(0)) : l).toString('base64url')) } };
    },
  },
  {
    name: 'cwt-chain-element-bstr-wrapped',
    description: 'A valid 3-link CBOR chain whose element 1 is a byte string holding link 1 (bstr .cbor COSE_Sign1) instead of the tagged item itself, in both forms: a verifier that unwraps it would verify every signature and hash. Link 1\'s outermost item has no tag 18.',
    spec: 'SPEC-NOTES.md §4.3.3 (the elements are the tagged COSE_Sign1 items, not byte strings wrapping them), §4.3.4 (tag missing → cose_tag_invalid), §6.2 step 3',
    formats: CWT,
    expected: failure('cose_tag_invalid', 1),
    build: async (b) => {
      const [l0, l1, l2] = (await chain3(b)).links as [Uint8Array, Uint8Array, Uint8Array];
      return { chain: { compact: b64u(array(l0, bstr(l1), l2)), json: [b64u(l0), b64u(bstr(l1)), b64u(l2)] } };
    },
  },
  {
    name: 'cwt-json-element-oversized',
    description: 'The JSON form of a valid chain under a trust configuration with maxLinkBytes 256: every element is larger.',
    spec: 'SPEC-NOTES.md §4.3.3, §6.2 step 3 (an element larger than maxLinkBytes → chain_too_large with its index)',
    formats: CWT,
    expected: failure('chain_too_large', 0),
    build: async (b) => ({
      chain: { json: (await chain3(b)).links.map((l) => Buffer.from(l).toString('base64url')) },
      trust: { ...(await standardTrust(b, 'issuer')), limits: { maxLinkBytes: 256 } },
    }),
  },

  // ---- Readings the text left open, closed (§2, §3.1, §4.1, step 9) ----
  {
    name: 'jti-too-long-code-points',
    description: 'Link 1, signed by d1, has a jti of 257 code points (U+1F600, each one code point, two UTF-16 code units, four UTF-8 bytes): one more than the 256 §3.1 allows, lengths being counted in code points.',
    spec: 'SPEC-NOTES.md §3.1 (string lengths are counted in Unicode code points), §6.2 step 5',
    formats: BOTH,
    expected: failure('claims_invalid', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? withClaims(b, bytes, 'd1-ed25519', (c) => ({ ...c, jti: '\u{1F600}'.repeat(257) })) : bytes) })),
  },
  {
    name: 'scope-too-long',
    description: 'Link 1, signed by d1, has a scope of 4097 characters ("read" 818 times, then "profile"), every token one its parent grants: one character more than the 4096 §3.1 allows.',
    spec: 'SPEC-NOTES.md §3.1 (scope: at most 4096 characters), §6.2 step 5 (before step 13)',
    formats: BOTH,
    expected: failure('claims_invalid', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? withClaims(b, bytes, 'd1-ed25519', (c) => ({ ...c, scope: `${Array(818).fill('read').join(' ')} profile` })) : bytes) })),
  },
  {
    name: 'numericdate-beyond-9999',
    description: 'Link 1, signed by d1, has exp 253402300800 (10000-01-01T00:00:00Z), one second past the largest NumericDate §2 admits; a verifier without the bound would report lifetime_exceeded at step 12 instead.',
    spec: 'SPEC-NOTES.md §2 (NumericDate: 0 … 253402300799), §6.2 step 5 (before step 12)',
    formats: BOTH,
    expected: failure('claims_invalid', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? withClaims(b, bytes, 'd1-ed25519', (c) => ({ ...c, exp: 253_402_300_800 })) : bytes) })),
  },
  {
    name: 'duplicate-member-escaped',
    description: 'Link 1, signed by d1, has "scope" and then "sc\\u006fpe" (the same name spelt with an escape) holding a wider scope: names are compared after their escapes are read.',
    spec: 'SPEC-NOTES.md §4.1 (member names are compared as decoded strings), §6.2 step 3',
    formats: JWT,
    expected: failure('link_malformed', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? rewriteClaimsText(b, bytes, 'd1-ed25519', (text) => text.replace('"scope":"read write admin openid profile email phone address"', '"scope":"read write admin openid profile email phone address","sc\\u006fpe":"read write admin openid profile email phone address offline_access"')) : bytes) })),
  },
  {
    name: 'payload-invalid-utf8',
    description: 'Link 1, signed by d1, has a jti holding U+1F600 in CESU-8 (ED A0 BD ED B8 80: each surrogate encoded as if it were a character, which "modified UTF-8" decoders accept and lossy ones turn into U+FFFD): not UTF-8.',
    spec: 'SPEC-NOTES.md §4.1 (UTF-8, decoded strictly: no replacement character), §6.2 step 3',
    formats: JWT,
    expected: failure('link_malformed', 1),
    build: (b) => standard(chain3(b, { craft: async (i, bytes) => {
      if (i !== 1) return bytes;
      const { header, claims } = splitJws(bytes);
      const [before, after] = JSON.stringify({ ...claims, jti: '@' }).split('"@"') as [string, string];
      const payload = concat(encoder.encode(`${before}"`), Uint8Array.of(0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80), encoder.encode(`"${after}`));
      const signingInput = `${b64uJson(header)}.${b64u(payload)}`;
      const key = await b.key('d1-ed25519');
      return b.note(encoder.encode(`${signingInput}.${b64u(rawSignature(signingInput, key.privateJwk, key.alg))}`), { signer: 'd1-ed25519', note: 'payload bytes written by hand: its jti holds CESU-8, not UTF-8' });
    } })),
  },
  {
    name: 'jwt-header-no-break-space',
    description: 'Link 1, signed by d1, has a U+00A0 NO-BREAK SPACE after the opening brace of its header JSON: not RFC 8259 white space (only space, tab, line feed and carriage return are).',
    spec: 'SPEC-NOTES.md §4.1 (RFC 8259 white space only), §6.2 step 3',
    formats: JWT,
    expected: failure('link_malformed', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => {
      if (i !== 1) return bytes;
      const { header, claims } = splitJws(bytes);
      return b.craftText(`{\u00a0${JSON.stringify(header).slice(1)}`, JSON.stringify(claims), 'd1-ed25519');
    } })),
  },
  {
    name: 'jwt-payload-bom',
    description: 'Link 1, signed by d1, has a payload whose UTF-8 begins with a byte order mark (EF BB BF) before the JSON object.',
    spec: 'SPEC-NOTES.md §4.1 (JSON text of UTF-8 without a byte order mark), §6.2 step 3',
    formats: JWT,
    expected: failure('link_malformed', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => {
      if (i !== 1) return bytes;
      const { header, claims } = splitJws(bytes);
      return b.craftText(JSON.stringify(header), `\ufeff${JSON.stringify(claims)}`, 'd1-ed25519');
    } })),
  },
  {
    name: 'jws-b64-false-critical',
    description: 'Link 1, signed by d1 over the usual signing input, carries "b64": false with crit ["b64"] (RFC 7797): this profile processes no extension, and a link carrying crit is refused.',
    spec: 'SPEC-NOTES.md §4.1 (b64 is not processed), §3.2 (crit MUST NOT be present), §6.2 step 4.3',
    formats: JWT,
    expected: failure('crit_unsupported', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? b.resign(bytes, 'd1-ed25519', { header: (h) => ({ ...h, b64: false, crit: ['b64'] }) }) : bytes) })),
  },
  {
    name: 'jws-b64-false-unencoded-payload',
    description: 'Link 1 is an RFC 7797 JWS as a b64-aware signer makes it: header "b64": false with crit ["b64"], the payload segment the claims JSON itself (not base64url), signed by d1 over header.payload-as-is. Its payload segment is JSON text, whose dots (in the identifiers) and braces make the link no three-segment JWS of base64url segments: refused while decoding (step 3), before crit is looked at (step 4.3).',
    spec: 'SPEC-NOTES.md §4.1 (b64 is not processed), §6.2 step 3 (three non-empty canonical base64url segments)',
    formats: JWT,
    expected: failure('link_malformed', 1),
    build: (b) => standard(chain3(b, { craft: async (i, bytes) => {
      if (i !== 1) return bytes;
      const { header, claims } = splitJws(bytes);
      const signingInput = `${b64uJson({ ...header, b64: false, crit: ['b64'] })}.${JSON.stringify(claims)}`;
      const key = await b.key('d1-ed25519');
      return b.note(encoder.encode(`${signingInput}.${b64u(rawSignature(signingInput, key.privateJwk, key.alg))}`), { signer: 'd1-ed25519', note: 'RFC 7797 unencoded payload: the payload segment is the claims JSON as is' });
    } })),
  },
  {
    name: 'delegate-mismatch-unicode-normalization',
    description: 'Link 0 names its delegate "https://d1.example/caf\\u00e9" (NFC); link 1, signed by that delegate\'s key, has iss "https://d1.example/cafe\\u0301" (NFD, the same text after Unicode normalization): identifiers are compared code point by code point, never normalized.',
    spec: 'SPEC-NOTES.md §3.1 (identifiers compared exactly, no normalization), §6.2 step 9',
    formats: BOTH,
    expected: failure('delegate_mismatch', 1),
    build: (b) => standard(chain3(b, { input: (i, input) => (i === 0 ? { ...input, delegate: { ...input.delegate, sub: 'https://d1.example/caf\u00e9' } } : i === 1 ? { ...input, iss: 'https://d1.example/cafe\u0301' } : input) })),
  },
  {
    name: 'expired-at-tolerance-boundary',
    description: 'Link 1 has exp = now − clockToleranceSeconds exactly (1899999970 with the default 30 s): exp is exclusive, so the link has expired.',
    spec: 'SPEC-NOTES.md §6.2 step 12 (exp > now − t, else expired)',
    formats: BOTH,
    expected: failure('expired', 1),
    build: (b) => standard(chain3(b, { input: onLink(1, (input) => ({ ...input, exp: NOW - 30 })) })),
  },
  {
    name: 'audience-single-element-array',
    description: 'Link 0, validly signed by the issuer, has aud ["https://as.example"]: an array of one element naming this AS, which RFC 7519 §4.1.3 allows and many JWT libraries read as the string.',
    spec: 'SPEC-NOTES.md §3.1 (aud is a single string; any array is invalid), §6.2 step 5 (before the audience rule of step 10)',
    formats: BOTH,
    expected: failure('claims_invalid', 0),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 0 ? withClaims(b, bytes, 'issuer-ed25519', (c) => ({ ...c, aud: [AUDIENCE] })) : bytes) })),
  },
  {
    name: 'prev-noncanonical',
    description: 'Link 1, signed by d1, has a prev whose last character has an unused bit set: a decoder that ignores unused bits reads the right hash of link 0, but the spelling is not canonical base64url.',
    spec: 'SPEC-NOTES.md §3.1 (prev: the canonical base64url spelling, compared as text), §6.2 step 5 (before the hash link of step 8)',
    formats: JWT,
    expected: failure('claims_invalid', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? withClaims(b, bytes, 'd1-ed25519', (c) => ({ ...c, prev: withUnusedBitSet(c.prev as string) })) : bytes) })),
  },
  {
    name: 'scope-token-case',
    description: 'Link 1 has scope "READ write admin openid profile email phone address": its parent grants "read", not "READ".',
    spec: 'SPEC-NOTES.md §3.1 (scope tokens are compared exactly: case-sensitive, RFC 6749 §3.3), §6.2 step 13',
    formats: BOTH,
    expected: failure('scope_escalation', 1),
    build: (b) => standard(chain3(b, { input: onLink(1, (input) => ({ ...input, scope: 'READ write admin openid profile email phone address' })) })),
  },
  {
    name: 'typ-media-type-parameter',
    description: 'Link 1, signed by d1, has typ "application/tmb-link+jwt; charset=utf-8": a media type with a parameter is not the type (a media-type parser dropping parameters would read it as tmb-link+jwt).',
    spec: 'SPEC-NOTES.md §3.2 (typ is compared as a whole, after the optional application/ prefix: no parameters), §6.2 step 4.1',
    formats: JWT,
    expected: failure('typ_invalid', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? b.resign(bytes, 'd1-ed25519', { header: (h) => ({ ...h, typ: 'application/tmb-link+jwt; charset=utf-8' }) }) : bytes) })),
  },
  {
    name: 'jwk-too-many-members',
    description: 'Link 0, validly signed by the issuer, names d1\'s key in may_act.cnf.jwk with 14 unregistered text members besides kty, crv and x: 17 members, one more than §3.3 allows (each one alone would be ignored).',
    spec: 'SPEC-NOTES.md §3.3 (a JWK has at most 16 members), §6.2 step 5',
    formats: BOTH,
    expected: failure('claims_invalid', 0),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 0 ? withClaims(b, bytes, 'issuer-ed25519', (c) => {
      const mayAct = c.may_act as { sub: string; cnf: { jwk: Record<string, unknown> } };
      const extra = Object.fromEntries(Array.from({ length: 14 }, (_, n) => [`m${n}`, 'x']));
      return { ...c, may_act: { ...mayAct, cnf: { jwk: { ...mayAct.cnf.jwk, ...extra } } } };
    }) : bytes) })),
  },
  {
    name: 'status-uri-scheme-upper-case',
    description: 'Link 1, signed by d1, carries status {"status_list": {"idx": 5, "uri": "HTTPS://status.example/lists/1"}}: the claim\'s uri starts with "http://" or "https://" in lower case, so this is claims_invalid at step 5, not a URI that §5.1 finds uncovered at step 17a (status_unavailable).',
    spec: 'SPEC-NOTES.md §3.5 (uri begins with http:// or https:// in lower case), §6.2 step 5',
    formats: BOTH,
    expected: failure('claims_invalid', 1),
    build: (b) => standard(chain3(b, { craft: (i, bytes) => (i === 1 ? withClaims(b, bytes, 'd1-ed25519', (c) => ({ ...c, status: { status_list: { idx: 5, uri: 'HTTPS://status.example/lists/1' } } })) : bytes) })),
  },
  {
    name: 'delegate-mismatch-nul',
    description: 'Link 0 names its delegate "https://d1.example\\u0000.mallory.example"; link 1, signed by that delegate\'s key, has iss "https://d1.example": a reader that stops at U+0000 (a C string) would find them equal. A string is compared whole, U+0000 a character like any other.',
    spec: 'SPEC-NOTES.md §3.1 (identifiers compared exactly, code point by code point), §6.2 step 9',
    formats: BOTH,
    expected: failure('delegate_mismatch', 1),
    build: (b) => standard(chain3(b, { input: (i, input) => (i === 0 ? { ...input, delegate: { ...input.delegate, sub: 'https://d1.example\u0000.mallory.example' } } : input) })),
  },
  {
    name: 'holder-thumbprint-issuer-urn-upper-case',
    description: 'A holder root with thumbprintIssuers; link 0, signed by the holder key it names as tmb, has iss = sub = "URN:IETF:params:oauth:jwk-thumbprint:sha-256:" + that key\'s thumbprint. URN scheme and namespace identifier are case-insensitive (RFC 8141), but the thumbprint URI is matched as the exact lower-case text of RFC 9278, so the root does not consider the link.',
    spec: 'SPEC-NOTES.md §5 (a) (the thumbprint URI prefix is matched exactly), §6.2 step 6 (a)',
    formats: BOTH,
    expected: failure('untrusted_root', 0),
    build: async (b) => {
      const urn = (await thumbprintUri(b, 'holder-ed25519')).replace('urn:ietf:', 'URN:IETF:');
      return {
        chain: await chain3(b, { root: 'holder', input: (i, input) => ({ ...input, sub: urn, ...(i === 0 ? { iss: urn } : {}) }) }),
        trust: { roots: [{ type: 'holder', thumbprintIssuers: true }] },
      };
    },
  },
  {
    name: 'json-form-text-nested-element',
    description: 'The JSON form as text: nine elements (more than maxLinks, 8), the last an object. The text is read as JSON with nesting at most 1 before its elements are counted, so the object fails the reading: chain_malformed, not chain_too_long (the count that comes first for a JSON form given as an array value).',
    spec: 'SPEC-NOTES.md §4.5 (the JSON form as text is read first, nesting at most 1), §6.2 step 2',
    formats: BOTH,
    expected: failure('chain_malformed'),
    build: async (b) => {
      const elements = (await chain3(b)).links.map((l) => Buffer.from(l).toString(b.format === 'jwt' ? 'latin1' : 'base64url'));
      const nine = [...elements, ...elements, ...elements.slice(0, 2)].map((e) => JSON.stringify(e));
      return { chain: { compact: `[${nine.join(',')},{}]` }, omitJsonForm: true };
    },
  },
];

/** Re-sign a JWT link after editing its claims' JSON text (so the text can hold what JSON.stringify never writes). */
function rewriteClaimsText(b: VectorBuilder, bytes: Uint8Array, keyName: string, edit: (text: string) => string): Promise<Uint8Array> {
  const { header, claims } = splitJws(bytes);
  const text = JSON.stringify(claims);
  const edited = edit(text);
  if (edited === text) throw new Error('the edit did not apply');
  return b.craftText(JSON.stringify(header), edited, keyName);
}

/** A minted CWT payload with its cti (key 7) turned from a bstr into a tstr of the same bytes (same length, so the map keeps its order). */
function ctiAsText(payload: Uint8Array): Uint8Array {
  const out = Uint8Array.from(payload);
  for (let i = 1; i + 1 < out.length; i++) {
    if (out[i] === 0x07 && ((out[i + 1] as number) >> 5) === 2) {
      out[i + 1] = ((out[i + 1] as number) & 0x1f) | (3 << 5);
      return out;
    }
  }
  throw new Error('no cti in the payload');
}


/** A small CBOR map with one more entry, `key` (a text key sorting after every key present) → 1. */
function withLastTextClaim(payload: Uint8Array, key: string): Uint8Array {
  const first = payload[0] as number;
  if (first >> 5 !== 5 || (first & 0x1f) >= 23) throw new Error('payload is not a small map');
  return concat(Uint8Array.of(first + 1), payload.subarray(1), tstr(key), int(1));
}

/** A CBOR map with its first entry (a small integer key and a text value) written twice. */
function duplicateFirstEntry(payload: Uint8Array): Uint8Array {
  const first = payload[0] as number;
  if (first >> 5 !== 5 || (first & 0x1f) >= 23) throw new Error('payload is not a small map');
  const count = first & 0x1f;
  // Entry 0: key (one byte, e.g. 0x01 = iss) then a text string.
  const valueHead = payload[2] as number;
  const length = (valueHead & 0x1f) < 24 ? valueHead & 0x1f : (payload[3] as number);
  const headSize = (valueHead & 0x1f) < 24 ? 1 : 2;
  const entry = payload.subarray(1, 2 + headSize + length);
  return concat(Uint8Array.of((5 << 5) | (count + 1)), entry, payload.subarray(1));
}

const b64u = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

/** A 43-character base64url digest with its last character's lowest unused bit set: the same bytes to a lenient decoder. */
function withUnusedBitSet(digest: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(digest.slice(-1));
  if (digest.length !== 43 || last % 4 !== 0) throw new Error('not a canonical 43-character digest');
  return `${digest.slice(0, -1)}${alphabet[last + 1] as string}`;
}

function nested(levels: number): unknown {
  let value: unknown = 'deep';
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

/** The attack names of the catalogue (for the README and the tests). */
export const ATTACK_NAMES: readonly string[] = DEFINITIONS.map((d) => d.name);

export function attackVectors(formats: readonly LinkFormat[]): VectorFactory[] {
  const out: VectorFactory[] = [];
  for (const format of formats) {
    for (const definition of DEFINITIONS) {
      if (!definition.formats.includes(format)) continue;
      const id = `attack-${definition.name}${format === 'jwt' ? '' : '-cwt'}`;
      out.push({
        id,
        make: async () => {
          const b = new VectorBuilder(id, format);
          const built = await definition.build(b);
          return b.finish({
            description: definition.description,
            attack: definition.name,
            spec: definition.spec,
            chain: built.chain,
            ...(built.omitJsonForm === true ? { omitJsonForm: true } : {}),
            ...(built.omitLinks === true ? { omitLinks: true } : {}),
            trust: built.trust ?? (await standardTrust(b, 'issuer' as RootKind)),
            context: built.context ?? standardContext(3),
            ...(built.verifierOptions === undefined ? {} : { verifierOptions: built.verifierOptions }),
            ...(built.requesterAsGiven === true ? { requesterAsGiven: true } : {}),
            expected: definition.expected,
          });
        },
      });
    }
  }
  return out;
}

export { JWT_LINK_TYP };
