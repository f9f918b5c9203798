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

async function statusTrust(b: VectorBuilder, issuerUris: { uris?: string[]; uriPrefixes?: string[] } = { uriPrefixes: ['https://status.example/lists/'] }): Promise<TrustConfig> {
  const trust = await standardTrust(b, 'issuer');
  return { ...trust, status: { issuers: [{ ...issuerUris, jwks: { keys: [(await b.key(STATUS_KEY)).publicJwk] } }] } };
}

interface StatusCase {
  name: string;
  description: string;
  list?: ListSpec;
  /** Which link carries the status entry, and which idx. Default link 1, IDX. */
  statusOn?: number;
  idx?: number;
  uri?: string;
  trustUris?: { uris?: string[]; uriPrefixes?: string[] };
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
    for (const c of CASES) (c.expected === 'valid' ? positive : attacks).push(make(format, c));
  }
  return { positive, attacks };
}
