/**
 * A reference for issue #27 target 1, not a verifier: the least a verifier of a compact JWT chain
 * must do between its N signature checks, written as plainly and as cheaply as Node allows, so that
 * `verify-raw --floor` can show how much of the 1.2× / 1.3× budget over N raw checks reading the
 * format alone takes, before any rule of this profile beyond the chain's own linkage.
 *
 * Per link: split the compact form, base64url-decode and `JSON.parse` the header and the claims (no
 * strict JSON: duplicate names, number forms and nesting are not checked), compare `alg`, `aud`, the
 * validity window, `iss` against the previous `may_act.sub`, `sub` and `tmb` against link 0, `prev`
 * against the SHA-256 of the previous link's bytes, then one synchronous `crypto.verify` with a
 * KeyObject kept per key (link 0: the trusted key; link i > 0: link i − 1's `may_act.cnf.jwk`,
 * imported once). At the end: the last delegate's JWK thumbprint against the requester's. No schema
 * validation, no key checks, no error codes, no promise: everything our verifier does beyond this
 * is what separates it from this floor.
 */
import { createHash, createPublicKey, verify, type KeyObject, type VerifyKeyObjectInput } from 'node:crypto';
import type { KeyAlgorithmName } from '../lib/keys/keys.js';

interface FloorJwk { kty: string; crv: string; x: string; y?: string }
interface FloorClaims {
  iss: string; sub: string; aud: string; iat: number; exp: number;
  tmb: { jwk: FloorJwk }; may_act: { sub: string; cnf: { jwk: FloorJwk } }; prev?: string;
}

const ALGS: Record<string, { digest: string | null; ec: boolean }> = {
  EdDSA: { digest: null, ec: false },
  Ed25519: { digest: null, ec: false },
  ES256: { digest: 'sha256', ec: true },
};

function thumbprint(jwk: FloorJwk): string {
  const input = jwk.kty === 'EC'
    ? `{"crv":"${jwk.crv}","kty":"EC","x":"${jwk.x}","y":"${jwk.y as string}"}`
    : `{"crv":"${jwk.crv}","kty":"${jwk.kty}","x":"${jwk.x}"}`;
  return createHash('sha256').update(input).digest('base64url');
}

/**
 * A function that checks the compact chain `text` as above and throws on the first difference; its
 * key cache lives as long as the function (as a verifier's would).
 */
export function floorVerifier(alg: KeyAlgorithmName, rootKey: KeyObject, audience: string, requesterJkt: string, nowSeconds: number): (text: string) => void {
  const params = ALGS[alg];
  if (params === undefined) throw new Error(`floor: no parameters for ${alg}`);
  const keys = new Map<string, VerifyKeyObjectInput>();
  const wrap = (key: KeyObject): VerifyKeyObjectInput => (params.ec ? { key, dsaEncoding: 'ieee-p1363' } : { key });
  const root = wrap(rootKey);
  const keyOf = (jwk: FloorJwk): VerifyKeyObjectInput => {
    const id = params.ec ? jwk.x + jwk.y : jwk.x;
    let key = keys.get(id);
    if (key === undefined) {
      key = wrap(createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, ...(jwk.y === undefined ? {} : { y: jwk.y }) }, format: 'jwk' }));
      keys.set(id, key);
    }
    return key;
  };
  return (text) => {
    const bytes = Buffer.from(text, 'latin1');
    let start = 0;
    let first: FloorClaims | undefined;
    let previous: FloorClaims | undefined;
    let previousStart = 0;
    while (start < text.length) {
      let end = text.indexOf('~', start);
      if (end === -1) end = text.length;
      const dot1 = text.indexOf('.', start);
      const dot2 = text.indexOf('.', dot1 + 1);
      const header = JSON.parse(Buffer.from(text.slice(start, dot1), 'base64url').toString()) as { alg: string };
      const claims = JSON.parse(Buffer.from(text.slice(dot1 + 1, dot2), 'base64url').toString()) as FloorClaims;
      if (header.alg !== alg) throw new Error('floor: alg');
      if (claims.aud !== audience || claims.iat > nowSeconds || claims.exp <= nowSeconds) throw new Error('floor: claims');
      if (previous === undefined || first === undefined) {
        first = claims;
      } else {
        if (claims.iss !== previous.may_act.sub || claims.sub !== first.sub) throw new Error('floor: linkage');
        if (claims.tmb.jwk.x !== first.tmb.jwk.x || claims.tmb.jwk.y !== first.tmb.jwk.y) throw new Error('floor: tmb');
        if (claims.prev !== createHash('sha256').update(bytes.subarray(previousStart, start - 1)).digest('base64url')) throw new Error('floor: prev');
      }
      const key = previous === undefined ? root : keyOf(previous.may_act.cnf.jwk);
      const signature = Buffer.from(text.slice(dot2 + 1, end), 'base64url');
      if (!verify(params.digest, bytes.subarray(start, dot2), key, signature)) throw new Error('floor: signature');
      previous = claims;
      previousStart = start;
      start = end + 1;
    }
    if (previous === undefined || thumbprint(previous.may_act.cnf.jwk) !== requesterJkt) throw new Error('floor: requester');
  };
}
