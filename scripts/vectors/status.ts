/**
 * Status vectors (SPEC-NOTES.md §3.5, §5.1, §6.2 step 17a): a standard two-link chain whose link 1
 * carries a Token Status List entry; the vector carries the Status List Tokens it references
 * (`statusLists`, served to the verifier by URI, no network) and the link hashes its revocation
 * store holds (`revokedLinks`). Status lists are signed with Ed25519, so the vectors are
 * deterministic; the list is in the chain's encoding.
 */
import { CompactSign } from 'jose';
import { linkHash, type LinkFormat, type TrustConfig } from '../../lib/index.js';
import { createStatusListToken, deflateStatusList, emptyStatusList, writeStatus, type StatusBits } from '../../lib/status/index.js';
import { encodeDeterministic, HeaderLabel, signSign1, type CborMap, type CborValue } from '../../lib/codecs/cose/index.js';
import { importSigningKey } from '../../lib/keys/keys.js';
import { STATUS_LIST_CWT_KEYS, STATUS_LIST_CWT_TYP, STATUS_LIST_JWT_TYP } from '../../lib/status/token.js';
import type { Vector, VectorStatusList } from '../../lib/vectors/types.js';
import { expectedResult, failure, NOW, standardChain, standardContext, standardInputs, standardTrust, VectorBuilder, type ChainOptions } from './builder.js';
import type { VectorFactory } from './positive.js';

const STATUS_SPEC = 'SPEC-NOTES.md §3.5, §5.1, §6.2 step 17a';
export const STATUS_URI = 'https://status.example/lists/1';
const STATUS_KEY = 'status-ed25519';
const WRONG_KEY = 'mallory-ed25519';
/** Entry of link 1 in every status vector. */
const IDX = 5;

interface ListSpec {
  bits?: number;
  entries?: Record<number, number>;
  size?: number;
  sub?: string;
  exp?: number;
  key?: string;
  /** Faults the minting API cannot produce (issue #23), each signed here directly. */
  raw?: 'duplicate-status-list' | 'lst-trailing-bytes' | 'lst-noncanonical' | 'payload-not-deterministic' | 'header-key' | 'extra-claims';
}

async function listToken(b: VectorBuilder, spec: ListSpec = {}): Promise<VectorStatusList> {
  const bits = spec.bits ?? 1;
  const listBits = ([1, 2, 4, 8].includes(bits) ? bits : 1) as StatusBits;
  const list = emptyStatusList(spec.size ?? 16, listBits);
  for (const [idx, value] of Object.entries(spec.entries ?? {})) writeStatus(list, listBits, Number(idx), value);
  const key = await b.key(spec.key ?? STATUS_KEY);
  const iat = NOW - 60;
  const exp = spec.exp ?? NOW + 3600;
  const sub = spec.sub ?? STATUS_URI;
  const signer = { privateKey: key.privateJwk, alg: 'EdDSA' as const };
  if (spec.raw !== undefined) return rawListToken(b, spec.raw, list, { sub, iat, exp }, key.privateJwk);
  if (bits === listBits) {
    const input = { uri: sub, bits: listBits, list, iat, exp, ttl: 300 };
    return b.format === 'jwt'
      ? { uri: STATUS_URI, format: 'jwt', token: await createStatusListToken(input, signer, 'jwt') }
      : { uri: STATUS_URI, format: 'cwt', token: Buffer.from(await createStatusListToken(input, signer, 'cwt')).toString('base64url') };
  }
  // A bits value the minting API refuses: signed here directly.
  const lst = await deflateStatusList(list);
  if (b.format === 'jwt') {
    const payload = { sub, iat, exp, status_list: { bits, lst: Buffer.from(lst).toString('base64url') } };
    const token = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'EdDSA', typ: STATUS_LIST_JWT_TYP })
      .sign(await importSigningKey(key.privateJwk, 'EdDSA'));
    return { uri: STATUS_URI, format: 'jwt', token };
  }
  const claims: CborMap = new Map<number, CborValue>([
    [STATUS_LIST_CWT_KEYS.sub, sub], [STATUS_LIST_CWT_KEYS.iat, iat], [STATUS_LIST_CWT_KEYS.exp, exp],
    [STATUS_LIST_CWT_KEYS.statusList, new Map<string, CborValue>([['bits', bits], ['lst', lst]])],
  ]);
  const protectedHeader: CborMap = new Map<number, CborValue>([[HeaderLabel.typ, STATUS_LIST_CWT_TYP]]);
  const token = await signSign1({ alg: 'EdDSA', protectedHeader, payload: encodeDeterministic(claims), key: await importSigningKey(key.privateJwk, 'EdDSA') });
  return { uri: STATUS_URI, format: 'cwt', token: Buffer.from(token).toString('base64url') };
}

/**
 * A Status List Token with one fault a verifier must refuse (SPEC-NOTES §5.1 step 1 and 4): entry
 * IDX is VALID wherever the token is read (the duplicate's first `status_list` says INVALID, its
 * last VALID), so a verifier that ignores the fault accepts the chain.
 */
async function rawListToken(b: VectorBuilder, fault: NonNullable<ListSpec['raw']>, list: Uint8Array, claims: { sub: string; iat: number; exp: number }, privateJwk: Parameters<typeof importSigningKey>[0]): Promise<VectorStatusList> {
  const revoked = Uint8Array.from(list);
  writeStatus(revoked, 1, IDX, 1);
  const lst = await deflateStatusList(list);
  const lstOf = fault === 'lst-trailing-bytes' ? Uint8Array.of(...lst, 0x00) : lst;
  const signingKey = await importSigningKey(privateJwk, 'EdDSA');
  if (b.format === 'jwt') {
    const spelled = (bytes: Uint8Array): string => {
      const canonical = Buffer.from(bytes).toString('base64url');
      if (fault !== 'lst-noncanonical') return canonical;
      // The same bytes, another spelling: the last character's unused low bit set.
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      if (canonical.length % 4 === 0) throw new Error('lst-noncanonical needs an lst with unused bits');
      return `${canonical.slice(0, -1)}${alphabet[alphabet.indexOf(canonical.at(-1) as string) ^ 1] as string}`;
    };
    const text = (bytes: Uint8Array): string => `{"bits":1,"lst":"${spelled(bytes)}"}`;
    const statusList = fault === 'duplicate-status-list' ? `${text(await deflateStatusList(revoked))},"status_list":${text(lst)}` : text(lstOf);
    const payload = `{"sub":"${claims.sub}","iat":${claims.iat},"exp":${claims.exp},"status_list":${statusList}}`;
    const header = { alg: 'EdDSA', typ: STATUS_LIST_JWT_TYP, ...(fault === 'header-key' ? { jwk: (await b.key(STATUS_KEY)).publicJwk } : {}) };
    const token = await new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader(header).sign(signingKey);
    return { uri: STATUS_URI, format: 'jwt', token };
  }
  const statusList = (bytes: Uint8Array): CborMap => new Map<string, CborValue>([['bits', 1], ['lst', bytes]]);
  const entries: [number | string, CborValue][] = [
    [STATUS_LIST_CWT_KEYS.sub, claims.sub], [STATUS_LIST_CWT_KEYS.exp, claims.exp], [STATUS_LIST_CWT_KEYS.iat, claims.iat],
    // Claims a link payload would refuse (an unknown integer key holding a byte string; a text key spelling "iss"), in key order.
    ...(fault === 'extra-claims' ? [[99, Uint8Array.of(1, 2, 3)] as [number, CborValue]] : []),
    ...(fault === 'duplicate-status-list' ? [[STATUS_LIST_CWT_KEYS.statusList, statusList(await deflateStatusList(revoked))] as [number, CborValue]] : []),
    [STATUS_LIST_CWT_KEYS.statusList, statusList(lstOf)],
    ...(fault === 'extra-claims' ? [['iss', 'https://status.example'] as [string, CborValue]] : []),
  ];
  // iat (6) before exp (4) breaks the key order of deterministic encoding; every item is still deterministic.
  if (fault === 'payload-not-deterministic') entries.splice(1, 2, entries[2] as [number, CborValue], entries[1] as [number, CborValue]);
  const payload = Uint8Array.of(0xa0 | entries.length, ...entries.flatMap(([k, v]) => [...encodeDeterministic(k), ...encodeDeterministic(v)]));
  const protectedHeader: CborMap = new Map<number, CborValue>([[HeaderLabel.typ, STATUS_LIST_CWT_TYP]]);
  if (fault === 'header-key') protectedHeader.set(HeaderLabel.x5chain, Uint8Array.of(0x30, 0x00));
  const token = await signSign1({ alg: 'EdDSA', protectedHeader, payload, key: signingKey });
  return { uri: STATUS_URI, format: 'cwt', token: Buffer.from(token).toString('base64url') };
}

interface StatusTrustSpec {
  uris?: string[];
  uriPrefixes?: string[];
  /** The issuer's keys at this jwksUri (nothing is served there: the key set cannot be had). */
  jwksUri?: string;
  unavailable?: 'reject' | 'accept';
}

async function statusTrust(b: VectorBuilder, spec: StatusTrustSpec = {}): Promise<TrustConfig> {
  const trust = await standardTrust(b, 'issuer');
  const { jwksUri, unavailable, ...uris } = spec;
  const where = uris.uris === undefined && uris.uriPrefixes === undefined ? { uriPrefixes: ['https://status.example/lists/'] } : uris;
  const keys = jwksUri === undefined ? { jwks: { keys: [(await b.key(STATUS_KEY)).publicJwk] } } : { jwksUri };
  return { ...trust, status: { issuers: [{ ...where, ...keys }], ...(unavailable === undefined ? {} : { unavailable }) } };
}

interface StatusCase {
  name: string;
  description: string;
  list?: ListSpec;
  /** Which link carries the status entry, and which idx. Default link 1, IDX. */
  statusOn?: number;
  idx?: number;
  uri?: string;
  trustUris?: StatusTrustSpec;
  /** Only for these encodings (default both). */
  formats?: readonly LinkFormat[];
  /** Revoke link i by hash. */
  revokeLink?: number;
  expected: 'valid' | [Parameters<typeof failure>[0], number];
  attack?: string;
}

const CASES: StatusCase[] = [
  { name: 'positive-status-valid', description: 'Link 1 carries a status list entry (idx 5) that is VALID in the list the vector serves; entry 3 of the same list is INVALID and concerns another link.', list: { entries: { 3: 1 } }, expected: 'valid' },
  { name: 'status-revoked', attack: 'status-revoked', description: 'Link 1\'s status list entry is INVALID (1): the link has been withdrawn by its signer.', list: { entries: { [IDX]: 1 } }, expected: ['link_revoked', 1] },
  { name: 'status-suspended', attack: 'status-suspended', description: 'Link 1\'s entry in a 2-bit list is SUSPENDED (2).', list: { bits: 2, entries: { [IDX]: 2 } }, expected: ['link_suspended', 1] },
  { name: 'status-application-specific', attack: 'status-unknown-value', description: 'Link 1\'s entry in a 2-bit list is 3 (application-specific): not understood, so treated as INVALID (fail closed).', list: { bits: 2, entries: { [IDX]: 3 } }, expected: ['link_revoked', 1] },
  { name: 'status-list-wrong-signer', attack: 'status-list-wrong-signer', description: 'The Status List Token is signed by a key the trust configuration does not give for its URI (every entry VALID).', list: { key: WRONG_KEY }, expected: ['status_list_invalid', 1] },
  { name: 'status-list-sub-mismatch', attack: 'status-list-sub-mismatch', description: 'The Status List Token served at the link\'s URI names another URI as its sub (a list replayed from elsewhere).', list: { sub: 'https://status.example/lists/2' }, expected: ['status_list_invalid', 1] },
  { name: 'status-list-expired', attack: 'status-list-expired', description: 'The Status List Token expired before the verification time (beyond the clock tolerance): a stale list could hide a revocation.', list: { exp: NOW - 31 }, expected: ['status_list_invalid', 1] },
  { name: 'status-index-out-of-range', attack: 'status-index-out-of-range', description: 'Link 1\'s idx (16) is beyond the list (16 one-bit entries).', idx: 16, expected: ['status_list_invalid', 1] },
  { name: 'status-list-unknown-bits', attack: 'status-list-unknown-bits', description: 'The Status List Token says bits 3, which the draft does not define.', list: { bits: 3 }, expected: ['status_list_invalid', 1] },
  { name: 'status-uri-not-configured', attack: 'status-uri-unconfigured', description: 'Link 1 names a status list URI no configured status issuer covers: it is never fetched (SSRF) and the status cannot be had.', uri: 'https://status.example/other/1', expected: ['status_unavailable', 1] },
  // Issue #23: one reader for Status List Tokens (§5.1), and the decided readings of §5.1.
  { name: 'status-list-duplicate-member', attack: 'status-list-duplicate-member', description: 'The Status List Token has status_list twice (CWT: claim 65533 twice): the first marks link 1\'s entry INVALID, the second VALID. Read as its last member it would let a withdrawn link through; it is refused as the link reader refuses a link with a member twice.', list: { raw: 'duplicate-status-list' }, expected: ['status_list_invalid', 1] },
  { name: 'status-list-lst-trailing-bytes', attack: 'status-list-lst-trailing-bytes', description: 'lst holds a complete ZLIB stream (every entry VALID) followed by one zero byte. Some decompressors ignore trailing bytes, others refuse them; refused.', list: { raw: 'lst-trailing-bytes' }, expected: ['status_list_invalid', 1] },
  { name: 'status-list-lst-noncanonical', attack: 'status-list-lst-noncanonical', description: 'lst is the ZLIB stream of a list whose every entry is VALID, spelled with the unused low bit of its last base64url character set: the same bytes to a lenient decoder, refused by a strict one. lst is canonical base64url, as every base64url value the verifier reads.', list: { raw: 'lst-noncanonical' }, formats: ['jwt'], expected: ['status_list_invalid', 1] },
  { name: 'status-list-payload-not-deterministic', attack: 'status-list-payload-not-deterministic', description: 'The CWT Status List Token\'s payload has its claims out of key order (iat 6 before exp 4): not in deterministic encoding, which a link payload must be and so a Status List Token payload must be.', list: { raw: 'payload-not-deterministic' }, formats: ['cwt'], expected: ['status_list_invalid', 1] },
  { name: 'status-list-header-key', attack: 'status-list-header-key', description: 'The Status List Token carries a key or certificate header parameter (JWT: jwk, the status key itself; CWT: x5chain). A status issuer\'s keys come from the trust configuration only, in both encodings: refused, not ignored.', list: { raw: 'header-key' }, expected: ['status_list_invalid', 1] },
  { name: 'status-uri-breaks-uri-rules-accept', attack: 'status-uri-dot-segment-under-accept', description: 'Link 1\'s status uri https://status.example/lists/../1 starts with the configured prefix https://status.example/lists/ as text but is not in canonical form (a dot segment): it is not covered, so unconfigured, never unavailable, and unavailable: "accept" does not let it through.', uri: 'https://status.example/lists/../1', trustUris: { unavailable: 'accept' }, expected: ['status_unavailable', 1] },
  { name: 'status-issuer-jwks-unavailable', attack: 'status-issuer-jwks-unavailable', description: 'The status issuer is given by a jwksUri where nothing is served (HTTP 404): the list\'s keys cannot be had, so its status is unavailable (status_unavailable, under the default policy reject), not invalid.', trustUris: { jwksUri: 'https://status.example/keys.json' }, expected: ['status_unavailable', 1] },
  { name: 'positive-status-token-extra-claims', description: 'The CWT Status List Token carries claims a link payload would refuse (claim 99, a byte string; a text key "iss"): a Status List Token\'s payload is read under the CBOR profile and by its own CWT keys (§5.1 step 3–4), not by the link claim mapping of §4.3.2; other claims are ignored. Link 1\'s entry is VALID.', list: { raw: 'extra-claims' }, formats: ['cwt'], expected: 'valid' },
  { name: 'positive-status-issuer-jwks-unavailable-accept', description: 'As attack-status-issuer-jwks-unavailable under unavailable: "accept": a status whose issuer keys cannot be had is unavailable, which that policy lets through.', trustUris: { jwksUri: 'https://status.example/keys.json', unavailable: 'accept' }, expected: 'valid' },
  { name: 'status-revoked-by-hash', attack: 'revoked-link-hash', description: 'Link 0 (which carries no status entry) is in the verifier\'s revocation store by its hash; link 1\'s status entry is VALID.', revokeLink: 0, expected: ['link_revoked', 0] },
];

function make(format: LinkFormat, c: StatusCase): VectorFactory {
  const id = `${c.attack === undefined ? c.name : `attack-${c.attack}`}${format === 'jwt' ? '' : '-cwt'}`;
  return {
    id,
    make: async () => {
      const b = new VectorBuilder(id, format);
      const statusOn = c.statusOn ?? 1;
      const options: ChainOptions = {
        root: 'issuer',
        length: 2,
        input: (index, input) => (index === statusOn ? { ...input, status: { status_list: { idx: c.idx ?? IDX, uri: c.uri ?? STATUS_URI } } } : input),
      };
      const chain = await standardChain(b, options);
      const statusList = await listToken(b, c.list);
      const vector: Vector = await b.finish({
        description: c.description,
        ...(c.attack === undefined ? {} : { attack: c.attack }),
        spec: STATUS_SPEC,
        chain,
        trust: await statusTrust(b, c.trustUris),
        context: standardContext(2),
        expected: c.expected === 'valid' ? expectedResult(await standardInputs(b, options), 'issuer') : failure(c.expected[0], c.expected[1]),
      });
      const revokedLinks = c.revokeLink === undefined ? undefined : [await linkHash(chain.links[c.revokeLink] as Uint8Array)];
      const { expected, testKeys, ...head } = vector;
      return { ...head, statusLists: [statusList], ...(revokedLinks === undefined ? {} : { revokedLinks }), expected, testKeys };
    },
  };
}

export function statusVectors(formats: readonly LinkFormat[]): { positive: VectorFactory[]; attacks: VectorFactory[] } {
  const positive: VectorFactory[] = [];
  const attacks: VectorFactory[] = [];
  for (const format of formats) {
    for (const c of CASES) if (c.formats === undefined || c.formats.includes(format)) (c.expected === 'valid' ? positive : attacks).push(make(format, c));
  }
  return { positive, attacks };
}
