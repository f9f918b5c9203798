/**
 * Differential testing of lib/x509 against OpenSSL's `openssl verify -x509_strict` (Debian's
 * openssl binary). Why OpenSSL rather than pkijs: it is an independent implementation in another
 * language with its own DER parser, whereas pkijs parses with asn1js, the library under
 * @peculiar/x509 and our own parser, so a parsing bug would be common to both sides; and its strict
 * mode enforces most of the RFC 5280 profile this project enforces (key identifiers, critical
 * basicConstraints, empty names...), so the differences are few and each can be named.
 *
 * A case is a root, 0-2 intermediates and a leaf made with @peculiar/x509 (test/x509/pki.ts), with
 * a random set of mutations, each a known deviation from a valid path. Both validators see the same
 * anchor, the same leaf-first chain and the same time. A disagreement is explained only by a
 * mutation listed in DIFFERENCES with the direction and our error code it predicts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { TransitiveProofError } from '../../lib/errors.js';
import { loadTrustAnchors, validateCertificateChain } from '../../lib/x509/index.js';
import { Extension, KeyUsageFlags, X509Certificate } from '../../lib/x509/peculiar.js';
import { DAY, NOW, dnsSubtree, generateKey, makeCert, uriSubtree, type CertSpec, type TestCert, type TestKeyAlg, type TestKeyPair } from './pki.js';

export type Position = 'root' | 'int' | 'leaf';

/** One deviation from a valid path, applied to the certificate at `position`. */
export const MUTATIONS = {
  noAki: { positions: ['int', 'leaf'] },
  wrongAki: { positions: ['int', 'leaf'] },
  akiCritical: { positions: ['int', 'leaf'] },
  noSki: { positions: ['root', 'int'] },
  skiCritical: { positions: ['root', 'int', 'leaf'] },
  expired: { positions: ['root', 'int', 'leaf'] },
  notYetValid: { positions: ['root', 'int', 'leaf'] },
  wrongSigner: { positions: ['int', 'leaf'] },
  wrongIssuerName: { positions: ['int', 'leaf'] },
  notCa: { positions: ['root', 'int'] },
  noBasicConstraints: { positions: ['root', 'int', 'leaf'] },
  basicConstraintsNonCritical: { positions: ['root', 'int'] },
  noKeyCertSign: { positions: ['root', 'int'] },
  noKeyUsage: { positions: ['root', 'int', 'leaf'] },
  keyCertSignInLeaf: { positions: ['leaf'] },
  noDigitalSignature: { positions: ['leaf'] },
  leafIsCa: { positions: ['leaf'] },
  pathLenZero: { positions: ['root', 'int'] },
  ncPermittedMatch: { positions: ['root', 'int'] },
  ncPermittedMismatch: { positions: ['root', 'int'] },
  ncExcludedMatch: { positions: ['root', 'int'] },
  ncNonCritical: { positions: ['root', 'int'] },
  ncLeadingPeriod: { positions: ['root', 'int'] },
  ncInLeaf: { positions: ['leaf'] },
  // URI constraints against the leaf's URI name spiffe://svc.example.com/w (rule 9 (b), (d)).
  ncUriPermittedHost: { positions: ['root', 'int'] },
  ncUriPermittedDomain: { positions: ['root', 'int'] },
  ncUriDomainNotHost: { positions: ['root', 'int'] },
  ncUriHostNotDomain: { positions: ['root', 'int'] },
  ncUriExcludedHost: { positions: ['root', 'int'] },
  ncUriEmptyPermitted: { positions: ['root', 'int'] },
  ncUriEmptyExcluded: { positions: ['root', 'int'] },
  ncUriIpAddress: { positions: ['root', 'int'] },
  ncUriPort: { positions: ['root', 'int'] },
  serialTooLong: { positions: ['int', 'leaf'] },
  emptySubjectCriticalSan: { positions: ['leaf'] },
  emptySubjectNonCriticalSan: { positions: ['leaf'] },
  unknownCriticalExtension: { positions: ['root', 'int', 'leaf'] },
  unknownNonCriticalExtension: { positions: ['root', 'int', 'leaf'] },
  noSan: { positions: ['leaf'] },
} as const satisfies Record<string, { positions: readonly Position[] }>;

export type MutationName = keyof typeof MUTATIONS;

export interface CaseSpec {
  intermediates: 0 | 1 | 2;
  keyAlgs: TestKeyAlg[];
  /** [mutation, index of the certificate: 0 = leaf, 1.. = intermediates, last = root]. */
  mutations: [MutationName, number][];
}

/**
 * The known differences. `we`: what lib/x509 does where OpenSSL does the opposite; `code`: our
 * error code when we reject; `why`: the reason, one line.
 */
export const DIFFERENCES: Partial<Record<MutationName, { we: 'reject' | 'accept'; code: string; why: string }>> = {
  leafIsCa: { we: 'reject', code: 'x5c_leaf_is_ca', why: 'SPEC-NOTES §7.2 rule 8 (deviation limbo:leaf-is-ca): no CA certificate as a link-signing leaf; RFC 5280 and OpenSSL allow it' },
  serialTooLong: { we: 'reject', code: 'x5c_malformed', why: 'RFC 5280 §4.1.2.2: a serial number of at most 20 octets (rule 1); OpenSSL does not check its length' },
  ncNonCritical: { we: 'reject', code: 'x5c_name_constraints', why: 'RFC 5280 §4.2.1.10: nameConstraints MUST be critical (rule 9); OpenSSL -x509_strict does not check it' },
  ncLeadingPeriod: { we: 'reject', code: 'x5c_name_constraints', why: 'RFC 5280 §4.2.1.10: a dNSName constraint has no leading-period form (rule 9); OpenSSL reads ".example.com" as a suffix' },
  ncInLeaf: { we: 'reject', code: 'x5c_name_constraints', why: 'RFC 5280 §4.2.1.10: nameConstraints only in CA certificates (rule 9); OpenSSL ignores them in a leaf' },
  noDigitalSignature: { we: 'reject', code: 'x5c_key_usage', why: 'rule 8: the leaf key signs links, so its keyUsage needs digitalSignature; openssl verify without -purpose does not read a leaf keyUsage' },
  ncUriEmptyExcluded: { we: 'reject', code: 'x5c_name_constraints', why: 'rule 9 (b): an empty URI constraint is no fully qualified domain name (RFC 5280 §4.2.1.10) and invalidates the path; OpenSSL reads it as matching no host, so excluding nothing' },
  ncUriEmptyPermitted: { we: 'reject', code: 'x5c_name_constraints', why: 'rule 9 (b): an invalid constraint fails every path through its CA; OpenSSL evaluates it only against URI names, so a leaf without one (noSan) passes' },
  ncUriPort: { we: 'reject', code: 'x5c_name_constraints', why: 'rule 9 (b): a URI constraint with a port is invalid and fails every path through its CA; OpenSSL evaluates it only against URI names, so a leaf without one (noSan) passes' },
  ncUriIpAddress: { we: 'reject', code: 'x5c_name_constraints', why: 'rule 9 (b): an IP address is no fully qualified domain name, so a URI constraint "192.0.2.1" is invalid; OpenSSL compares it as a string and the other permitted host matches' },
};

export interface Pools {
  keys: Map<TestKeyAlg, TestKeyPair[]>;
}

/** Keys made once per run: key generation, not validation, would otherwise dominate. */
export async function makePools(algs: readonly TestKeyAlg[], perAlg: number): Promise<Pools> {
  const keys = new Map<TestKeyAlg, TestKeyPair[]>();
  for (const alg of algs) keys.set(alg, await Promise.all(Array.from({ length: perAlg }, () => generateKey(alg))));
  return { keys };
}

export const KEY_ALGS: readonly TestKeyAlg[] = ['ES256', 'ES384', 'Ed25519'];

export function caseArbitrary(maxMutations: number): fc.Arbitrary<CaseSpec> {
  const names = Object.keys(MUTATIONS) as MutationName[];
  return fc.integer({ min: 0, max: 2 }).chain((intermediates) =>
    fc.record({
      intermediates: fc.constant(intermediates as 0 | 1 | 2),
      keyAlgs: fc.array(fc.constantFrom(...KEY_ALGS), { minLength: intermediates + 3, maxLength: intermediates + 3 }),
      mutations: fc.uniqueArray(
        fc.constantFrom(...names).chain((name) => {
          const positions = MUTATIONS[name].positions as readonly Position[];
          const indexes = [
            ...(positions.includes('leaf') ? [0] : []),
            ...(positions.includes('int') ? Array.from({ length: intermediates }, (_, i) => i + 1) : []),
            ...(positions.includes('root') ? [intermediates + 1] : []),
          ];
          return indexes.length === 0 ? fc.constant(undefined) : fc.constantFrom(...indexes).map((i) => [name, i] as [MutationName, number]);
        }).filter((m): m is [MutationName, number] => m !== undefined),
        { maxLength: maxMutations, selector: (m) => `${m[0]}@${m[1]}` },
      ),
    }),
  );
}

export interface BuiltCase {
  /** Leaf first, root last. */
  certs: TestCert[];
}

const LEAF_DNS = 'svc.example.com';
/** The leaf's URI name: its host is LEAF_DNS. */
const LEAF_URI = `spiffe://${LEAF_DNS}/w`;
let serialCounter = 0x4000;

/** Build the certificates of a case, root first (each issues the next). */
export async function buildCase(spec: CaseSpec, pools: Pools, seed: number): Promise<BuiltCase> {
  const count = spec.intermediates + 2;
  const rootIndex = count - 1;
  const built: TestCert[] = new Array(count);
  const pick = (alg: TestKeyAlg, k: number): TestKeyPair => {
    const list = pools.keys.get(alg) as TestKeyPair[];
    return list[(seed + k) % list.length] as TestKeyPair;
  };
  for (let index = rootIndex; index >= 0; index--) {
    const position: Position = index === 0 ? 'leaf' : index === rootIndex ? 'root' : 'int';
    const alg = spec.keyAlgs[index] ?? 'ES256';
    // Distinct keys per position within a case (the pools hold at least `count + 1` keys per algorithm).
    const key = pick(alg, index);
    const issuer = index === rootIndex ? undefined : built[index + 1];
    const cert: CertSpec = {
      subject: position === 'leaf' ? 'CN=Leaf' : position === 'root' ? 'CN=Diff Root' : `CN=Diff Intermediate ${index}`,
      key,
      notBefore: NOW - DAY,
      notAfter: NOW + 30 * DAY,
      serialNumber: (serialCounter++).toString(16).padStart(6, '0'),
      ...(issuer === undefined ? {} : { issuer }),
      ...(position === 'leaf'
        ? { basicConstraints: { ca: false }, keyUsage: KeyUsageFlags.digitalSignature, san: [{ type: 'dns' as const, value: LEAF_DNS }, { type: 'url' as const, value: LEAF_URI }] }
        : { basicConstraints: { ca: true }, keyUsage: KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign }),
    };
    const nc = (names: { permitted?: string[]; excluded?: string[] }, critical = true, subtree = dnsSubtree): CertSpec['nameConstraints'] => ({
      ...(names.permitted === undefined ? {} : { permitted: names.permitted.map(subtree) }),
      ...(names.excluded === undefined ? {} : { excluded: names.excluded.map(subtree) }),
      critical,
    });
    const ncUri = (names: { permitted?: string[]; excluded?: string[] }) => nc(names, true, uriSubtree);
    for (const [name, at] of spec.mutations) {
      if (at !== index) continue;
      switch (name) {
        case 'noAki': cert.authorityKeyId = null; break;
        case 'wrongAki': cert.authorityKeyId = 'ab'.repeat(20); break;
        case 'akiCritical': cert.authorityKeyIdCritical = true; break;
        case 'noSki': cert.subjectKeyId = null; break;
        case 'skiCritical': cert.subjectKeyIdCritical = true; break;
        case 'expired': cert.notBefore = NOW - 30 * DAY; cert.notAfter = NOW - DAY; break;
        case 'notYetValid': cert.notBefore = NOW + DAY; cert.notAfter = NOW + 30 * DAY; break;
        case 'wrongSigner': cert.signWith = pick(alg, count + 1); break;
        case 'wrongIssuerName': cert.issuerName = 'CN=Somebody Else'; break;
        case 'notCa': cert.basicConstraints = { ca: false }; break;
        case 'noBasicConstraints': cert.basicConstraints = null; break;
        case 'basicConstraintsNonCritical': cert.basicConstraintsCritical = false; break;
        case 'noKeyCertSign': cert.keyUsage = KeyUsageFlags.cRLSign | KeyUsageFlags.digitalSignature; break;
        case 'noKeyUsage': cert.keyUsage = null; break;
        case 'keyCertSignInLeaf': cert.keyUsage = KeyUsageFlags.digitalSignature | KeyUsageFlags.keyCertSign; break;
        case 'noDigitalSignature': cert.keyUsage = KeyUsageFlags.keyEncipherment; break;
        case 'leafIsCa': cert.basicConstraints = { ca: true }; cert.keyUsage = KeyUsageFlags.digitalSignature | KeyUsageFlags.keyCertSign; break;
        case 'pathLenZero': cert.basicConstraints = { ca: true, pathLength: 0 }; break;
        case 'ncPermittedMatch': cert.nameConstraints = nc({ permitted: ['example.com'] }); break;
        case 'ncPermittedMismatch': cert.nameConstraints = nc({ permitted: ['example.org'] }); break;
        case 'ncExcludedMatch': cert.nameConstraints = nc({ excluded: [LEAF_DNS] }); break;
        case 'ncNonCritical': cert.nameConstraints = nc({ permitted: ['example.com'] }, false); break;
        case 'ncLeadingPeriod': cert.nameConstraints = nc({ permitted: ['.example.com'] }); break;
        case 'ncInLeaf': cert.nameConstraints = nc({ permitted: ['example.com'] }); break;
        case 'ncUriPermittedHost': cert.nameConstraints = ncUri({ permitted: [LEAF_DNS] }); break;
        case 'ncUriPermittedDomain': cert.nameConstraints = ncUri({ permitted: ['.example.com'] }); break;
        case 'ncUriDomainNotHost': cert.nameConstraints = ncUri({ permitted: [`.${LEAF_DNS}`] }); break;
        case 'ncUriHostNotDomain': cert.nameConstraints = ncUri({ permitted: ['example.com'] }); break;
        case 'ncUriExcludedHost': cert.nameConstraints = ncUri({ excluded: [LEAF_DNS] }); break;
        case 'ncUriEmptyPermitted': cert.nameConstraints = ncUri({ permitted: [''] }); break;
        case 'ncUriEmptyExcluded': cert.nameConstraints = ncUri({ excluded: [''] }); break;
        case 'ncUriIpAddress': cert.nameConstraints = ncUri({ permitted: [LEAF_DNS, '192.0.2.1'] }); break;
        case 'ncUriPort': cert.nameConstraints = ncUri({ permitted: [`${LEAF_DNS}:443`] }); break;
        case 'serialTooLong': cert.serialNumber = `01${'ab'.repeat(21)}`; break;
        case 'emptySubjectCriticalSan': cert.subject = ''; cert.sanCritical = true; break;
        case 'emptySubjectNonCriticalSan': cert.subject = ''; cert.sanCritical = false; break;
        case 'unknownCriticalExtension': cert.extraExtensions = [new Extension('1.3.6.1.4.1.55555.1', true, new Uint8Array([5, 0]).buffer)]; break;
        case 'unknownNonCriticalExtension': cert.extraExtensions = [new Extension('1.3.6.1.4.1.55555.1', false, new Uint8Array([5, 0]).buffer)]; break;
        case 'noSan': delete cert.san; break;
      }
    }
    built[index] = await makeCert(cert);
  }
  return { certs: built };
}

export interface Verdict {
  ok: boolean;
  detail: string;
}

export async function ours(built: BuiltCase): Promise<Verdict> {
  const root = built.certs[built.certs.length - 1] as TestCert;
  try {
    const anchors = await loadTrustAnchors([root.der]);
    await validateCertificateChain(
      built.certs.slice(0, -1).map((c) => c.der),
      { anchors, now: NOW, clockToleranceSeconds: 0, maxCertificates: 4 },
    );
    return { ok: true, detail: 'ok' };
  } catch (error) {
    if (error instanceof TransitiveProofError) return { ok: false, detail: error.code === 'invalid_argument' ? 'anchor_invalid' : error.code };
    throw error;
  }
}

/** The openssl binary, or undefined when there is none on PATH. */
export function findOpenssl(): string | undefined {
  const probe = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  return probe.status === 0 ? 'openssl' : undefined;
}

function pem(der: Uint8Array): string {
  return new X509Certificate(der).toString('pem');
}

/** `openssl verify -x509_strict` with only the case's root trusted, at NOW. */
export function theirs(built: BuiltCase, workDir: string): Verdict {
  const root = built.certs[built.certs.length - 1] as TestCert;
  const leaf = built.certs[0] as TestCert;
  const intermediates = built.certs.slice(1, -1);
  writeFileSync(join(workDir, 'root.pem'), pem(root.der));
  writeFileSync(join(workDir, 'leaf.pem'), pem(leaf.der));
  const args = ['verify', '-x509_strict', '-attime', String(NOW), '-no-CApath', '-no-CAstore', '-CAfile', join(workDir, 'root.pem')];
  if (intermediates.length > 0) {
    writeFileSync(join(workDir, 'untrusted.pem'), intermediates.map((c) => `${pem(c.der).trim()}\n`).join(''));
    args.push('-untrusted', join(workDir, 'untrusted.pem'));
  }
  args.push(join(workDir, 'leaf.pem'));
  const run = spawnSync('openssl', args, { encoding: 'utf8' });
  const out = `${run.stdout}${run.stderr}`;
  if (run.status === 0 && /: OK\s*$/.test(run.stdout)) return { ok: true, detail: 'OK' };
  const error = /error (\d+) at (\d+) depth lookup: ([^\n]*)/.exec(out);
  return { ok: false, detail: error === null ? out.trim().split('\n').slice(-1)[0] ?? 'failed' : `error ${error[1]} at depth ${error[2]}: ${error[3]}` };
}

export function makeWorkDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tproof-x509-diff-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** undefined when both agree; else the explanation, or a line starting with "UNEXPLAINED". */
export function explain(spec: CaseSpec, mine: Verdict, other: Verdict): string | undefined {
  if (mine.ok === other.ok) return undefined;
  const direction = mine.ok ? 'accept' : 'reject';
  for (const [name] of spec.mutations) {
    const known = DIFFERENCES[name];
    if (known === undefined || known.we !== direction) continue;
    if (direction === 'reject' && known.code !== mine.detail) continue;
    return `${name}: ${known.why}`;
  }
  return `UNEXPLAINED: ${JSON.stringify(spec)} ours=${mine.detail} openssl=${other.detail}`;
}

