/**
 * The x509-limbo harness: runs one limbo testcase through lib/x509 the way a relying party would, with
 * the library's own API only (no path building here): trusted_certs → loadTrustAnchors, the peer
 * certificate and the unordered untrusted_intermediates → validateCertificateBag (which orders them),
 * validation_time → the clock, extended_key_usage → requiredEku, max_chain_depth → maxPathLength,
 * a DNS peer name → matchDnsName. IP and e-mail peer names have no matcher here: those cases fail.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TransitiveProofError } from '../../lib/errors.js';
import { loadTrustAnchors, matchDnsName, validateCertificateBag, type TrustAnchor } from '../../lib/x509/index.js';

export type LimboResult = 'SUCCESS' | 'FAILURE';

export interface LimboCase {
  id: string;
  description: string;
  features: string[];
  validation_kind: 'SERVER' | 'CLIENT';
  trusted_certs: string[];
  untrusted_intermediates: string[];
  peer_certificate: string;
  validation_time: string | null;
  extended_key_usage: string[];
  expected_result: LimboResult;
  expected_peer_name: { kind: string; value: string } | null;
  expected_peer_names: { kind: string; value: string }[];
  max_chain_depth: number | null;
}

export interface LimboOutcome {
  result: LimboResult;
  /** The error code and message of a failure, or "ok". */
  detail: string;
}

const EKU: Record<string, string> = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  anyExtendedKeyUsage: '2.5.29.37.0',
};

/** The limbo file's test cases. */
export function loadLimbo(dir: string): LimboCase[] {
  const data = JSON.parse(readFileSync(join(dir, 'limbo.json'), 'utf8')) as { testcases: LimboCase[] };
  return data.testcases;
}

function pemToDer(pem: string): Uint8Array {
  const body = pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, '');
  return Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
}

function failure(error: unknown): LimboOutcome {
  if (error instanceof TransitiveProofError) return { result: 'FAILURE', detail: `${error.code}: ${error.message}` };
  throw error;
}

/** `nowSeconds` stands for a null validation_time ("now" in limbo). */
export async function runLimboCase(testcase: LimboCase, nowSeconds: number): Promise<LimboOutcome> {
  let anchors: TrustAnchor[];
  try {
    anchors = await loadTrustAnchors(testcase.trusted_certs);
  } catch (error) {
    return failure(error);
  }
  const now = testcase.validation_time === null ? nowSeconds : Math.floor(Date.parse(testcase.validation_time) / 1000);
  const ekus = testcase.extended_key_usage.map((name) => EKU[name] ?? name);
  if (ekus.length > 1) return { result: 'FAILURE', detail: 'more than one required EKU is not supported' };
  let leafNames;
  try {
    const { chain } = await validateCertificateBag(pemToDer(testcase.peer_certificate), testcase.untrusted_intermediates.map(pemToDer), {
      anchors,
      now,
      clockToleranceSeconds: 0,
      maxCertificates: 10,
      maxCandidates: 16,
      ...(ekus[0] === undefined ? {} : { requiredEku: ekus[0] }),
      ...(testcase.max_chain_depth === null ? {} : { maxPathLength: testcase.max_chain_depth }),
    });
    leafNames = chain.leafNames;
  } catch (error) {
    return failure(error);
  }
  const names = [...(testcase.expected_peer_name === null ? [] : [testcase.expected_peer_name]), ...testcase.expected_peer_names];
  for (const name of names) {
    if (name.kind !== 'DNS') return { result: 'FAILURE', detail: `no matcher for ${name.kind} peer names` };
    try {
      if (!matchDnsName(leafNames, name.value)) return { result: 'FAILURE', detail: `x5c_identity_mismatch: no dNSName matches ${name.value}` };
    } catch (error) {
      return failure(error);
    }
  }
  return { result: 'SUCCESS', detail: 'ok' };
}
