/**
 * X.509 vectors: an x509 root (link 0 signed by a certificate's key, the leaf's SPIFFE ID = iss),
 * a delegate pinned by certificate thumbprint, and one attack per path-validation fault. The
 * certificates are the fixed test PKI of x509-fixtures.json (made once by make-x509-fixtures.ts).
 */
import { createHash } from 'node:crypto';
import type { LinkFormat, LinkInput, PrivateJwk, TrustConfig } from '../../lib/index.js';
import type { ExpectedOutcome } from '../../lib/vectors/types.js';
import fixtures from './x509-fixtures.json' with { type: 'json' };
import {
  AUDIENCE,
  delegateId,
  expectedResult,
  expOf,
  failure,
  iatOf,
  NOW,
  scopeOf,
  standardContext,
  SUBJECT,
  VectorBuilder,
} from './builder.js';
import type { VectorFactory } from './positive.js';

type CertificateName = keyof typeof fixtures.certificates;

export const X509_ISSUER = 'spiffe://example.org/issuer';
export const X509_AGENT = 'spiffe://example.org/agent';

function der(name: CertificateName): Uint8Array {
  return new Uint8Array(Buffer.from(fixtures.certificates[name].der, 'base64'));
}

function certKey(name: CertificateName, chain: CertificateName[]): { name: string; privateJwk: PrivateJwk; alg: 'EdDSA'; x5c: Uint8Array[] } {
  return { name: `x509-${name}`, privateJwk: fixtures.certificates[name].privateJwk as PrivateJwk, alg: 'EdDSA', x5c: chain.map(der) };
}

function x5tS256(name: CertificateName): string {
  return createHash('sha256').update(der(name)).digest('base64url');
}

/** An x509 root whose certificates may vouch for the standard subject (§5 (c): the default is only themselves). */
function x509Trust(anchor: CertificateName = 'root', extra: Partial<TrustConfig> = {}): TrustConfig {
  return { roots: [{ type: 'x509', anchors: [fixtures.certificates[anchor].der], identity: { type: 'spiffe', trustDomain: 'example.org' }, subjects: { exact: [SUBJECT] } }], ...extra };
}

type X509RootConfig = Extract<TrustConfig['roots'][number], { type: 'x509' }>;

/** One x509 root over `anchor` (SPIFFE IDs of example.org, vouching for the standard subject), with overrides. */
function x509Root(anchor: CertificateName, overrides: Partial<X509RootConfig> = {}): X509RootConfig {
  return { type: 'x509', anchors: [fixtures.certificates[anchor].der], identity: { type: 'spiffe', trustDomain: 'example.org' }, subjects: { exact: [SUBJECT] }, ...overrides };
}

/** An extendedKeyUsage no fixture leaf has (id-kp-clientAuth): a root requiring it fails with x5c_eku past its anchor. */
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

/** Certificate-named delegates validated to the test PKI's root, apart from any root (§3.4, §5). */
export function delegateCertificates(): NonNullable<TrustConfig['delegateCertificates']> {
  return { anchors: [fixtures.certificates.root.der], identity: { type: 'spiffe', trustDomain: 'example.org' } };
}

/** Link 0 signed by a certificate (leaf first in `chain`), link 1 by d1 (delegate of link 0), requester d2. */
async function x509RootChain(b: VectorBuilder, signer: CertificateName, chain: CertificateName[], iss = X509_ISSUER): Promise<{ links: Uint8Array[]; inputs: LinkInput[] }> {
  const inputs: LinkInput[] = [];
  for (let i = 0; i < 2; i++) {
    inputs.push({
      iss: i === 0 ? iss : delegateId(1),
      sub: SUBJECT,
      aud: AUDIENCE,
      scope: scopeOf(i),
      tmb: await b.cnf('holder-ed25519'),
      delegate: { sub: delegateId(i + 1), cnf: await b.cnf(`d${i + 1}-ed25519`) },
      depth: 1 - i,
      iat: iatOf(i),
      exp: expOf(i),
      jti: `${b.id}-link-${i}`,
    });
  }
  const link0 = await b.mintWithKey(inputs[0] as LinkInput, certKey(signer, chain));
  const link1 = await b.mint(inputs[1] as LinkInput, 'd1-ed25519', { previous: link0 });
  return { links: [link0, link1], inputs };
}

interface X509Attack {
  name: string;
  description: string;
  spec: string;
  expected: ExpectedOutcome;
  signer: CertificateName;
  chain: CertificateName[];
  anchor?: CertificateName;
  iss?: string;
}

const ATTACKS: X509Attack[] = [
  {
    name: 'x509-unanchored',
    description: 'Link 0 carries a valid path (leaf with the right SPIFFE ID, intermediate) to a root CA that is not a configured anchor.',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 3 (no anchor issued the last certificate)',
    expected: failure('x5c_untrusted', 0),
    signer: 'unanchoredLeaf',
    chain: ['unanchoredLeaf', 'otherIntermediate'],
  },
  {
    name: 'x509-self-signed-leaf',
    description: 'Link 0 carries only a self-signed end-entity certificate with the right SPIFFE ID (cA false), signed with its key.',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 3 (a self-issued certificate in x5c is never an anchor)',
    expected: failure('x5c_untrusted', 0),
    signer: 'selfSignedLeaf',
    chain: ['selfSignedLeaf'],
  },
  {
    name: 'x509-ca-as-leaf',
    description: 'Link 0 is signed by the intermediate CA\'s key and its x5c is only that CA certificate: a CA certificate used as the end entity.',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 8 (the leaf is not a CA)',
    expected: failure('x5c_leaf_is_ca', 0),
    signer: 'intermediate',
    chain: ['intermediate'],
  },
  {
    name: 'x509-expired-intermediate',
    description: 'Link 0\'s leaf is valid now but was issued by an intermediate CA that expired half a year ago.',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 6 (every certificate is within its validity)',
    expected: failure('x5c_expired', 0),
    signer: 'leafOfExpired',
    chain: ['leafOfExpired', 'expiredIntermediate'],
  },
  {
    name: 'x509-path-length',
    description: 'The anchor has pathLenConstraint 0, yet the path has an intermediate CA below it.',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 7 (pathLenConstraint, the anchor\'s included)',
    expected: failure('x5c_path_len', 0),
    signer: 'leafOfPathLen',
    chain: ['leafOfPathLen', 'pathLenIntermediate'],
    anchor: 'pathLenRoot',
  },
  {
    name: 'x509-name-constraints',
    description: 'The intermediate CA is constrained to URIs in other.example; the leaf names spiffe://example.org/issuer.',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 9 (URI constraints match the SPIFFE trust domain)',
    expected: failure('x5c_name_constraints', 0),
    signer: 'leafOutsideConstraints',
    chain: ['leafOutsideConstraints', 'constrainedIntermediate'],
  },
  {
    name: 'x509-identity-mismatch',
    description: 'Link 0 claims iss spiffe://example.org/issuer but is signed with the certificate of spiffe://example.org/agent (a valid path).',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 10 (the leaf identity equals the link\'s iss)',
    expected: failure('x5c_identity_mismatch', 0),
    signer: 'agentLeaf',
    chain: ['agentLeaf', 'intermediate'],
  },
  {
    name: 'x509-leaf-without-aki',
    description: 'Link 0\'s leaf, issued by the intermediate, has no authorityKeyIdentifier (RFC 5280 §4.2.1.1: MUST in every certificate but a self-signed one).',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 2 (key identifiers are required, not only compared)',
    expected: failure('x5c_name_chaining', 0),
    signer: 'leafWithoutAki',
    chain: ['leafWithoutAki', 'intermediate'],
  },
  {
    name: 'x509-leaf-key-cert-sign',
    description: 'Link 0\'s leaf (cA false) asserts keyUsage keyCertSign, which RFC 5280 §4.2.1.3 allows only with cA.',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 8 (keyCertSign only in a CA certificate)',
    expected: failure('x5c_key_usage', 0),
    signer: 'leafWithKeyCertSign',
    chain: ['leafWithKeyCertSign', 'intermediate'],
  },
  {
    name: 'x509-ca-without-key-usage',
    description: 'The intermediate CA that issued link 0\'s leaf has no keyUsage extension (RFC 5280 §4.2.1.3: MUST in a CA certificate).',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 7 (a CA certificate has keyUsage with keyCertSign)',
    expected: failure('x5c_key_usage', 0),
    signer: 'leafOfNoKeyUsage',
    chain: ['leafOfNoKeyUsage', 'intermediateWithoutKeyUsage'],
  },
  // Readings of §7.2 rules 3, 7 and 9 (issue #11): each vector fails under the other reading.
  {
    name: 'x509-order-self-issued-anchor-name',
    description: 'x5c ends with a self-issued CA certificate that copies the anchor\'s Name and subjectKeyIdentifier (so the intermediate below names it) but is signed by its own key. The anchor matches by name and key identifier and its key does not verify the signature: a self-issued certificate is an impostor root (x5c_untrusted), not a bad signature by the anchor (x5c_signature_invalid).',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 3 (d) (no candidate verifies: x5c_untrusted when self-issued)',
    expected: failure('x5c_untrusted', 0),
    signer: 'issuerLeaf',
    chain: ['issuerLeaf', 'intermediate', 'impostorRoot'],
  },
  {
    name: 'x509-order-ca-nearest-leaf-first',
    description: 'x5c[1] has no keyUsage (x5c_key_usage) and x5c[2], above it, has a non-critical basicConstraints (x5c_not_ca). Rule 7 takes the CAs one at a time from the leaf: x5c_key_usage. Checking basicConstraints over all CAs first, or the CAs from the anchor down, gives x5c_not_ca.',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 (within a rule, path order) and rule 7 (each CA through (a)-(c) before the next)',
    expected: failure('x5c_key_usage', 0),
    signer: 'leafOfLowerWithoutKeyUsage',
    chain: ['leafOfLowerWithoutKeyUsage', 'lowerWithoutKeyUsage', 'upperNotCritical'],
  },
  {
    name: 'x509-order-ca-basic-constraints-first',
    description: 'The intermediate CA has a non-critical basicConstraints and no keyUsage: rule 7 (a) comes before (b), so x5c_not_ca, not x5c_key_usage.',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 7 ((a) basicConstraints before (b) keyUsage)',
    expected: failure('x5c_not_ca', 0),
    signer: 'leafOfCaWithTwoFaults',
    chain: ['leafOfCaWithTwoFaults', 'caNotCriticalWithoutKeyUsage'],
  },
  {
    name: 'x509-nc-uri-empty-permitted',
    description: 'The intermediate CA permits the URI constraint "" (empty). A reader taking it as "every host" accepts; an empty URI constraint is no fully qualified domain name and invalidates the path.',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 9 (b) (a URI constraint is a DNS name, never empty)',
    expected: failure('x5c_name_constraints', 0),
    signer: 'leafOfNc',
    chain: ['leafOfNc', 'ncUriEmptyPermitted'],
  },
  {
    name: 'x509-nc-uri-empty-excluded',
    description: 'The intermediate CA excludes the URI constraint "" (empty). A reader taking it as "no host" (it matches nothing) accepts; an empty URI constraint invalidates the path, excluded as well as permitted.',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 9 (b) (a URI constraint is a DNS name, never empty)',
    expected: failure('x5c_name_constraints', 0),
    signer: 'leafOfNc',
    chain: ['leafOfNc', 'ncUriEmptyExcluded'],
  },
  {
    name: 'x509-nc-uri-ip-address',
    description: 'The intermediate CA permits URI hosts "example.org" and "192.0.2.1". The leaf (spiffe://example.org/issuer) matches the first, but an IP address is no fully qualified domain name: the constraint is invalid and the path fails.',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 9 (b) (a URI constraint\'s last label is not all digits)',
    expected: failure('x5c_name_constraints', 0),
    signer: 'leafOfNc',
    chain: ['leafOfNc', 'ncUriIpAddress'],
  },
  {
    name: 'x509-nc-uri-port',
    description: 'The intermediate CA permits the URI constraint "example.org:443". A reader that drops the port accepts the leaf spiffe://example.org/issuer; a constraint with a port is invalid.',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 9 (b) (no port in a URI constraint)',
    expected: failure('x5c_name_constraints', 0),
    signer: 'leafOfNc',
    chain: ['leafOfNc', 'ncUriPort'],
  },
  {
    name: 'x509-nc-uri-userinfo',
    description: 'The intermediate CA permits the URI constraint "user@example.org". A reader that matches the part after "@" accepts the leaf spiffe://example.org/issuer; a constraint with userinfo is invalid.',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 9 (b) (no userinfo in a URI constraint)',
    expected: failure('x5c_name_constraints', 0),
    signer: 'leafOfNc',
    chain: ['leafOfNc', 'ncUriUserinfo'],
  },
  {
    name: 'x509-nc-uri-domain-not-host',
    description: 'The intermediate CA permits URI hosts ".example.org"; the leaf\'s host (SPIFFE trust domain) is example.org itself. A leading period means subdomains only (RFC 5280 §4.2.1.10), so the leaf is outside.',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 9 (d) (".example.org" never matches example.org)',
    expected: failure('x5c_name_constraints', 0),
    signer: 'leafOfNc',
    chain: ['leafOfNc', 'ncUriDomainNotHost'],
  },
  {
    name: 'x509-nc-uri-host-not-domain',
    description: 'The intermediate CA permits the URI constraint "org". Without a leading period a URI constraint names one host (RFC 5280 §4.2.1.10), not a domain as a dNSName constraint does, so example.org is outside.',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 9 (d) (a URI constraint without a leading period is a host)',
    expected: failure('x5c_name_constraints', 0),
    signer: 'leafOfNc',
    chain: ['leafOfNc', 'ncUriHostNotDomain'],
  },
  {
    name: 'x509-nc-dns-leading-period',
    description: 'The intermediate CA permits the dNSName constraint ".example.org"; the leaf has no dNSName at all. A leading period is no DNS name, so the constraints cannot be read and the path fails whatever names lie below (a reader checking only names of the form accepts).',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 9 (b) (the extension as a whole, whatever the names below)',
    expected: failure('x5c_name_constraints', 0),
    signer: 'leafOfNc',
    chain: ['leafOfNc', 'ncDnsLeadingPeriod'],
  },
  {
    name: 'x509-nc-empty-permitted-list',
    description: 'The intermediate CA has an empty permittedSubtrees beside an excluded URI host evil.example. GeneralSubtrees is SIZE (1..MAX); "nothing permitted" and "no restriction" are both readings, so the path fails.',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 9 (b) (no present but empty list of subtrees)',
    expected: failure('x5c_name_constraints', 0),
    signer: 'leafOfNc',
    chain: ['leafOfNc', 'ncEmptyPermittedList'],
  },
  {
    name: 'x509-too-many-certificates',
    description: 'Link 0\'s x5c has 5 certificates, more than maxCertificates (4).',
    spec: 'SPEC-NOTES.md §6.2 step 3, §7.2 rule 1 (counted before parsing)',
    expected: failure('x5c_too_many', 0),
    signer: 'issuerLeaf',
    chain: ['issuerLeaf', 'intermediate', 'root', 'root', 'root'],
  },
  {
    name: 'x509-ecdsa-signature-ber',
    description: 'The leaf is the one of positive-x509-ecdsa-intermediate with its ECDSA signature value re-encoded in BER: r carries a superfluous leading zero octet (the TBS and the certificate envelope are DER, and r and s are the valid ones). Another encoding of a CA-issued certificate would be another x5t#S256.',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 4 (an ECDSA signature value is DER, parsed strictly)',
    expected: failure('x5c_signature_invalid', 0),
    signer: 'leafOfEcdsaBerSignature',
    chain: ['leafOfEcdsaBerSignature', 'ecdsaIntermediate'],
  },
  {
    name: 'x509-intermediate-key-not-der',
    description: 'The intermediate CA\'s RSA key is written with a redundant leading zero octet in its modulus (its subjectPublicKey is not the DER of RSAPublicKey); the root signed that TBSCertificate, and the intermediate\'s key signs the leaf. node:crypto imports such a key (the path validated on Node), browsers refuse it (x5c_signature_invalid there): one path, one verdict, x5c_malformed.',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 1 (DER throughout, the subject public key included: RFC 3279 §2.3.1)',
    expected: failure('x5c_malformed', 0),
    signer: 'leafOfRsaKeyNotDer',
    chain: ['leafOfRsaKeyNotDer', 'rsaKeyNotDerIntermediate'],
  },
  {
    name: 'x509-leaf-rsa-modulus-too-long',
    description: 'The leaf\'s subjectPublicKey is an RSA key with a modulus of 16 392 bits (more than 16 384), signed by the intermediate; link 0 is signed with the leaf\'s former Ed25519 key. node:crypto imports such a key and verifies nothing with it, browsers refuse to import it: one verdict on every runtime, x5c_malformed, before any signature is read.',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 1 (the subject public key: a modulus of at most 16384 bits, as §3.3 bounds a link\'s keys)',
    expected: failure('x5c_malformed', 0),
    signer: 'leafRsaModulusTooLong',
    chain: ['leafRsaModulusTooLong', 'intermediate'],
  },
  {
    name: 'x509-name-empty-rdn',
    description: 'The leaf\'s subject is CN=... followed by a RelativeDistinguishedName with no attribute (an empty SET, 31 00), re-signed by the intermediate; every other field is the valid issuer leaf\'s. RelativeDistinguishedName is SET SIZE (1..MAX): such a Name is not a certificate\'s, whatever schema parser accepts it.',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 1 (a Name has no empty RelativeDistinguishedName)',
    expected: failure('x5c_malformed', 0),
    signer: 'leafEmptyRdn',
    chain: ['leafEmptyRdn', 'intermediate'],
  },
  {
    name: 'x509-name-rdn-out-of-order',
    description: 'The leaf\'s subject has one RelativeDistinguishedName of two attributes, CN=... and O=o, written in descending order of their encodings, re-signed by the intermediate; every other field is the valid issuer leaf\'s. DER writes a SET OF in ascending order (X.690 §11.6): a re-encoding that keeps the order received does not see it, a DER check does.',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 1 (a multi-valued RelativeDistinguishedName in SET OF order)',
    expected: failure('x5c_malformed', 0),
    signer: 'leafRdnOutOfOrder',
    chain: ['leafRdnOutOfOrder', 'intermediate'],
  },
  {
    name: 'x509-leaf-key-ed448',
    description: 'The leaf\'s subjectPublicKey is an Ed448 key (id-Ed448, 57 octets), re-signed by the intermediate; link 0 is signed with the leaf\'s former Ed25519 key. The path is otherwise valid. Only RSA, EC P-256/P-384/P-521 and Ed25519 leaf keys are imported: an Ed448 key is x5c_malformed on every runtime, though node:crypto could import it (an implementation that imports it reaches alg_not_allowed instead).',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 1 (the leaf key import, after rule 10)',
    expected: failure('x5c_malformed', 0),
    signer: 'leafEd448',
    chain: ['leafEd448', 'intermediate'],
  },
  {
    name: 'x509-issuer-key-secp256k1',
    description: 'The intermediate\'s key is a secp256k1 key (the intermediate re-signed by the root) and it signs the issuer leaf with ECDSA/SHA-256, a correct signature that node:crypto verifies. An ECDSA issuer key is on P-256, P-384 or P-521: any other curve is x5c_signature_invalid even when the signature is correct.',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 4 (the curve of an ECDSA issuer key)',
    expected: failure('x5c_signature_invalid', 0),
    signer: 'leafOfSecp256k1',
    chain: ['leafOfSecp256k1', 'secp256k1Intermediate'],
  },
  {
    name: 'x509-key-usage-unused-bit-set',
    description: 'The leaf\'s keyUsage is 03 02 07 81: digitalSignature, and the last of the seven unused bits set (re-signed by the intermediate). The unused bits of a BIT STRING are zero (X.690 §11.2.1); one that is set would be a usage to a reader that ignores the count, so the certificate is malformed. A reader that masks the unused bits accepts.',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 1 (a keyUsage with an unused bit set)',
    expected: failure('x5c_malformed', 0),
    signer: 'leafKeyUsageUnusedBit',
    chain: ['leafKeyUsageUnusedBit', 'intermediate'],
  },
  {
    name: 'x509-san-empty',
    description: 'The leaf\'s subjectAltName is an empty GeneralNames (30 00), re-signed by the intermediate. GeneralNames is SIZE (1..MAX): the certificate is malformed, not a leaf without names (a reader that takes it as one reports x5c_identity_mismatch).',
    spec: 'SPEC-NOTES.md §6.2 step 6, §7.2 rule 1 (a subjectAltName with at least one name)',
    expected: failure('x5c_malformed', 0),
    signer: 'leafSanEmpty',
    chain: ['leafSanEmpty', 'intermediate'],
  },
];

export function x509Vectors(formats: readonly LinkFormat[]): { positive: VectorFactory[]; attacks: VectorFactory[] } {
  const positive: VectorFactory[] = [];
  const attacks: VectorFactory[] = [];
  for (const format of formats) {
    const s = format === 'jwt' ? '' : '-cwt';
    positive.push({
      id: `positive-x509-root${s}`,
      make: async () => {
        const b = new VectorBuilder(`positive-x509-root${s}`, format);
        const { links, inputs } = await x509RootChain(b, 'issuerLeaf', ['issuerLeaf', 'intermediate']);
        return b.finish({
          description: 'An x509 root: link 0 is signed with the key of a leaf certificate (SPIFFE ID spiffe://example.org/issuer = iss) whose path validates to the configured anchor; link 1 by d1.',
          spec: 'SPEC-NOTES.md §6.2, §6.3, §5 (c), §7',
          chain: { format, links },
          trust: x509Trust(),
          context: standardContext(2),
          expected: expectedResult(inputs, 'x509'),
        });
      },
    });
    const readings: { id: string; description: string; spec: string; signer: CertificateName; chain: CertificateName[]; anchor: CertificateName }[] = [
      {
        id: 'positive-x509-nc-uri-host',
        description: 'The intermediate CA permits the URI host "example.org" (no leading period: that host only); the leaf spiffe://example.org/issuer has that host (its trust domain) and validates.',
        spec: 'SPEC-NOTES.md §7.2 rule 9 (d) (a URI constraint without a leading period is a host)',
        signer: 'leafOfNc',
        chain: ['leafOfNc', 'ncUriHost'],
        anchor: 'root',
      },
      {
        id: 'positive-x509-nc-unconstrained-form',
        description: 'The intermediate CA permits only the URI host "example.org"; the leaf has its SPIFFE ID spiffe://example.org/issuer (inside) and a wildcard dNSName *.example.org. The CA constrains no dNSName, so the dNSName is not read and the path validates (a reader that requires every dNSName to be checkable, as it must be below a dNSName constraint, refuses).',
        spec: 'SPEC-NOTES.md §7.2 rule 9 (d) (a name is checked only against constraints of its own form)',
        signer: 'leafOfNcWithWildcard',
        chain: ['leafOfNcWithWildcard', 'ncUriHost'],
        anchor: 'root',
      },
      {
        id: 'positive-x509-key-usage-trailing-zero-octet',
        description: 'The leaf\'s keyUsage is digitalSignature written as GnuTLS writes it, 03 03 07 80 00: a trailing 0 octet that DER would remove (X.690 §11.2.2), so the value is not DER. Trailing 0 bits and octets are tolerated (they change no usage; the COSE WG x509-examples are written so), and the path validates. A reader holding the keyUsage value to DER refuses.',
        spec: 'SPEC-NOTES.md §7.2 rule 1 (the keyUsage BIT STRING: trailing 0 bits tolerated, unused bits zero)',
        signer: 'leafKeyUsageTrailingOctet',
        chain: ['leafKeyUsageTrailingOctet', 'intermediate'],
        anchor: 'root',
      },
      {
        id: 'positive-x509-nc-self-issued-exempt',
        description: 'The anchor permits only URI host example.org; x5c[1] is a self-issued key-rollover certificate (the anchor\'s Name, a new key, signed by the anchor) whose own URI name is spiffe://elsewhere.example/rollover. Self-issued intermediates are exempt (RFC 5280 §6.1.3 (b)); the leaf below is checked and is inside.',
        spec: 'SPEC-NOTES.md §7.2 rule 9 (c) (an intermediate\'s own names are checked unless it is self-issued)',
        signer: 'leafOfRollover',
        chain: ['leafOfRollover', 'constrainedRootRollover'],
        anchor: 'constrainedRoot',
      },
      {
        id: 'positive-x509-ecdsa-intermediate',
        description: 'The intermediate CA has an ECDSA P-256 key and signs the (Ed25519) leaf with ECDSA/SHA-256; its signature value is DER and verifies through the runtime seam.',
        spec: 'SPEC-NOTES.md §7.2 rule 4 (accepted algorithms; the signature value is DER)',
        signer: 'leafOfEcdsa',
        chain: ['leafOfEcdsa', 'ecdsaIntermediate'],
        anchor: 'root',
      },
    ];
    for (const reading of readings) {
      const id = `${reading.id}${s}`;
      positive.push({
        id,
        make: async () => {
          const b = new VectorBuilder(id, format);
          const { links, inputs } = await x509RootChain(b, reading.signer, reading.chain);
          return b.finish({ description: reading.description, spec: reading.spec, chain: { format, links }, trust: x509Trust(reading.anchor), context: standardContext(2), expected: expectedResult(inputs, 'x509') });
        },
      });
    }
    positive.push({
      id: `positive-x509-delegate${s}`,
      make: async () => {
        const b = new VectorBuilder(`positive-x509-delegate${s}`, format);
        const inputs: LinkInput[] = [
          { iss: 'https://issuer.example', sub: SUBJECT, aud: AUDIENCE, scope: scopeOf(0), tmb: await b.cnf('holder-ed25519'), delegate: { sub: X509_AGENT, cnf: { 'x5t#S256': x5tS256('agentLeaf') } }, depth: 1, iat: iatOf(0), exp: expOf(0), jti: `${b.id}-link-0` },
          { iss: X509_AGENT, sub: SUBJECT, aud: AUDIENCE, scope: scopeOf(1), tmb: await b.cnf('holder-ed25519'), delegate: { sub: delegateId(2), cnf: await b.cnf('d2-ed25519') }, depth: 0, iat: iatOf(1), exp: expOf(1), jti: `${b.id}-link-1` },
        ];
        const link0 = await b.mint(inputs[0] as LinkInput, 'issuer-ed25519');
        const link1 = await b.mintWithKey(inputs[1] as LinkInput, certKey('agentLeaf', ['agentLeaf', 'intermediate']), link0);
        const trust: TrustConfig = { roots: [{ type: 'issuer', iss: 'https://issuer.example', jwks: { keys: [(await b.key('issuer-ed25519')).publicJwk] } }], delegateCertificates: delegateCertificates() };
        return b.finish({
          description: 'Link 0 (issuer root) names its delegate by certificate thumbprint (may_act.cnf x5t#S256); link 1 carries that certificate\'s path, validated to delegateCertificates (not a root), and is signed with its key (§3.4).',
          spec: 'SPEC-NOTES.md §6.2, §6.3, §3.4, §7',
          chain: { format, links: [link0, link1] },
          trust,
          context: standardContext(2),
          expected: expectedResult(inputs, 'issuer'),
        });
      },
    });
    for (const attack of ATTACKS) {
      const id = `attack-${attack.name}${s}`;
      attacks.push({
        id,
        make: async () => {
          const b = new VectorBuilder(id, format);
          const { links } = await x509RootChain(b, attack.signer, attack.chain, attack.iss);
          return b.finish({ description: attack.description, attack: attack.name, spec: attack.spec, chain: { format, links }, trust: x509Trust(attack.anchor), context: standardContext(2), expected: attack.expected });
        },
      });
    }
    const issuerOnlyTrust = async (b: VectorBuilder): Promise<TrustConfig> => ({ roots: [{ type: 'issuer', iss: 'https://issuer.example', jwks: { keys: [(await b.key('issuer-ed25519')).publicJwk] } }], delegateCertificates: delegateCertificates() });
    const delegateInputs = async (b: VectorBuilder): Promise<LinkInput[]> => [
      { iss: 'https://issuer.example', sub: SUBJECT, aud: AUDIENCE, scope: scopeOf(0), tmb: await b.cnf('holder-ed25519'), delegate: { sub: X509_AGENT, cnf: { 'x5t#S256': x5tS256('agentLeaf') } }, depth: 1, iat: iatOf(0), exp: expOf(0), jti: `${b.id}-link-0` },
      { iss: X509_AGENT, sub: SUBJECT, aud: AUDIENCE, scope: scopeOf(1), tmb: await b.cnf('holder-ed25519'), delegate: { sub: delegateId(2), cnf: await b.cnf('d2-ed25519') }, depth: 0, iat: iatOf(1), exp: expOf(1), jti: `${b.id}-link-1` },
    ];
    const extra: { id: string; description: string; spec: string; expected: ExpectedOutcome; make: (b: VectorBuilder) => Promise<{ links: Uint8Array[]; trust: TrustConfig; length: number }> }[] = [
      {
        id: 'x509-delegate-certificate-as-root',
        description: 'Under the configuration of positive-x509-delegate (an issuer root, certificate delegates enabled), the agent\'s own certificate signs a one-link chain for sub "admin-of-everything" with a tmb of its choosing. Delegate anchors never make a root.',
        spec: 'SPEC-NOTES.md §5 (delegateCertificates are apart from roots), §6.2 step 6 (a) (no x509 root claims link 0)',
        expected: failure('untrusted_root', 0),
        make: async (b) => {
          const link0 = await b.mintWithKey({ iss: X509_AGENT, sub: 'admin-of-everything', aud: AUDIENCE, scope: scopeOf(0), tmb: await b.cnf('mallory-ed25519'), delegate: { sub: delegateId(1), cnf: await b.cnf('d1-ed25519') }, depth: 0, iat: iatOf(0), exp: expOf(0), jti: `${b.id}-link-0` }, certKey('agentLeaf', ['agentLeaf', 'intermediate']));
          return { links: [link0], trust: await issuerOnlyTrust(b), length: 1 };
        },
      },
      {
        id: 'x509-root-foreign-subject',
        description: 'An x509 root with no subjects limit (default "self"): the issuer certificate signs link 0 for sub user-42, not its own identity.',
        spec: 'SPEC-NOTES.md §5 (c) (subjects default "self"), §6.2 step 6 (b)',
        expected: failure('subject_mismatch', 0),
        make: async (b) => {
          const { links } = await x509RootChain(b, 'issuerLeaf', ['issuerLeaf', 'intermediate']);
          const trust = x509Trust();
          const { subjects: _subjects, ...root } = trust.roots[0] as Extract<TrustConfig['roots'][number], { type: 'x509' }>;
          return { links, trust: { roots: [root] }, length: 2 };
        },
      },
      {
        id: 'x509-delegate-without-delegate-certificates',
        description: 'Link 0 names its delegate by certificate; the configuration has an x509 root with the same anchor but no delegateCertificates. Root anchors never validate a delegate.',
        spec: 'SPEC-NOTES.md §3.4, §5 (delegateCertificates), §6.2 step 6 (delegate_key_unresolved)',
        expected: failure('delegate_key_unresolved', 1),
        make: async (b) => {
          const inputs = await delegateInputs(b);
          const link0 = await b.mint(inputs[0] as LinkInput, 'issuer-ed25519');
          const link1 = await b.mintWithKey(inputs[1] as LinkInput, certKey('agentLeaf', ['agentLeaf', 'intermediate']), link0);
          const trust: TrustConfig = { roots: [{ type: 'issuer', iss: 'https://issuer.example', jwks: { keys: [(await b.key('issuer-ed25519')).publicJwk] } }, { type: 'x509', anchors: [fixtures.certificates.root.der], identity: { type: 'spiffe', trustDomain: 'example.org' }, subjects: 'any' }] };
          return { links: [link0, link1], trust, length: 2 };
        },
      },
      {
        id: 'x509-pinned-untrusted-wrong-thumbprint',
        description: 'Link 0 pins the agent\'s certificate; link 1 carries a certificate that is both another one and unanchored: the pinned thumbprint is checked before path validation.',
        spec: 'SPEC-NOTES.md §3.4, §6.2 step 6 (the leaf thumbprint before §7.2)',
        expected: failure('x5c_identity_mismatch', 1),
        make: async (b) => {
          const inputs = await delegateInputs(b);
          const link0 = await b.mint(inputs[0] as LinkInput, 'issuer-ed25519');
          const link1 = await b.mintWithKey(inputs[1] as LinkInput, certKey('unanchoredLeaf', ['unanchoredLeaf', 'otherIntermediate']), link0);
          return { links: [link0, link1], trust: await issuerOnlyTrust(b), length: 2 };
        },
      },
    ];
    // Issue #11: several x509 roots (§6.2 step 6 (c)) and whose `algorithms` bind a certificate delegate (§3.4).
    const pinnedDelegateInputs = async (b: VectorBuilder): Promise<LinkInput[]> => [
      { iss: X509_ISSUER, sub: SUBJECT, aud: AUDIENCE, scope: scopeOf(0), tmb: await b.cnf('holder-ed25519'), delegate: { sub: X509_AGENT, cnf: { 'x5t#S256': x5tS256('agentLeaf') } }, depth: 1, iat: iatOf(0), exp: expOf(0), jti: `${b.id}-link-0` },
      { iss: X509_AGENT, sub: SUBJECT, aud: AUDIENCE, scope: scopeOf(1), tmb: await b.cnf('holder-ed25519'), delegate: { sub: delegateId(2), cnf: await b.cnf('d2-ed25519') }, depth: 0, iat: iatOf(1), exp: expOf(1), jti: `${b.id}-link-1` },
    ];
    extra.push(
      {
        id: 'x509-roots-first-specific-failure',
        description: 'Three x509 roots claim link 0 (issuer leaf below the intermediate), in this order: one anchored at an unconfigured CA (x5c_untrusted), one anchored at the right CA but requiring id-kp-clientAuth (x5c_eku), one anchored at the right CA but for trust domain other.example (x5c_identity_mismatch). None validates; the error is that of the first root whose failure is not x5c_untrusted. The first root\'s error gives x5c_untrusted, the last root\'s x5c_identity_mismatch.',
        spec: 'SPEC-NOTES.md §6.2 step 6 (c) (several x509 roots: the first failure that is not x5c_untrusted)',
        expected: failure('x5c_eku', 0),
        make: async (b) => {
          const { links } = await x509RootChain(b, 'issuerLeaf', ['issuerLeaf', 'intermediate']);
          const roots = [x509Root('otherRoot'), x509Root('root', { requiredEku: CLIENT_AUTH }), x509Root('root', { identity: { type: 'spiffe', trustDomain: 'other.example' } })];
          return { links, trust: { roots }, length: 2 };
        },
      },
      {
        id: 'x509-delegate-certificates-algorithms',
        description: 'An x509 root signs link 0 and names its delegate by certificate; delegateCertificates allows only Ed25519, the root every algorithm, and link 1 (the agent\'s certificate) is signed with EdDSA. A delegate is held to delegateCertificates.algorithms, never to a root\'s.',
        spec: 'SPEC-NOTES.md §3.4 (the delegate\'s alg is in delegateCertificates.algorithms), §6.2 step 6',
        expected: failure('alg_not_allowed', 1),
        make: async (b) => {
          const inputs = await pinnedDelegateInputs(b);
          const link0 = await b.mintWithKey(inputs[0] as LinkInput, certKey('issuerLeaf', ['issuerLeaf', 'intermediate']));
          const link1 = await b.mintWithKey(inputs[1] as LinkInput, certKey('agentLeaf', ['agentLeaf', 'intermediate']), link0);
          return { links: [link0, link1], trust: { roots: [x509Root('root')], delegateCertificates: { ...delegateCertificates(), algorithms: ['Ed25519'] } }, length: 2 };
        },
      },
      {
        id: 'x509-uri-identity-not-absolute',
        description: 'An x509 root with the uri identity rule; link 0\'s leaf (a valid path) has the one URI name "example.org/issuer", which has no scheme, and link 0\'s iss is that same string. The uri rule requires an absolute URI (scheme ":" then printable ASCII), so the leaf has no identity, although a reader comparing the name with iss as a string alone would accept.',
        spec: 'SPEC-NOTES.md §7.1 (uri rule: "absolute URI" is exactly scheme ":" 1*(0x21-0x7E)), §6.2 step 6 (c)',
        expected: failure('x5c_identity_mismatch', 0),
        make: async (b) => {
          const { links } = await x509RootChain(b, 'leafRelativeUri', ['leafRelativeUri', 'intermediate'], 'example.org/issuer');
          return { links, trust: { roots: [x509Root('root', { identity: { type: 'uri' } })] }, length: 2 };
        },
      },
    );
    positive.push(
      {
        id: `positive-x509-roots-second-validates${s}`,
        make: async () => {
          const b = new VectorBuilder(`positive-x509-roots-second-validates${s}`, format);
          const { links, inputs } = await x509RootChain(b, 'issuerLeaf', ['issuerLeaf', 'intermediate']);
          return b.finish({
            description: 'Two x509 roots with the same anchor claim link 0: the first requires id-kp-clientAuth, which the leaf lacks (x5c_eku); the second validates the path. The first root whose anchors validate the path signs, so a failing earlier root does not decide.',
            spec: 'SPEC-NOTES.md §6.2 step 6 (c) (the first admitting x509 root that validates the path signs)',
            chain: { format, links },
            trust: { roots: [x509Root('root', { requiredEku: CLIENT_AUTH }), x509Root('root')] },
            context: standardContext(2),
            expected: expectedResult(inputs, 'x509'),
          });
        },
      },
      {
        id: `positive-x509-root-algorithms-not-delegates${s}`,
        make: async () => {
          const b = new VectorBuilder(`positive-x509-root-algorithms-not-delegates${s}`, format);
          const inputs = await pinnedDelegateInputs(b);
          const link0 = await b.mintWithKey(inputs[0] as LinkInput, { ...certKey('issuerLeaf', ['issuerLeaf', 'intermediate']), alg: 'Ed25519' });
          const link1 = await b.mintWithKey(inputs[1] as LinkInput, certKey('agentLeaf', ['agentLeaf', 'intermediate']), link0);
          return b.finish({
            description: 'An x509 root that allows only Ed25519 signs link 0 with Ed25519 and names its delegate by certificate; link 1 (the agent\'s certificate, validated to delegateCertificates with the default allow-list) is signed with EdDSA. The root\'s algorithms never bind a delegate.',
            spec: 'SPEC-NOTES.md §3.4 (an x509 root\'s algorithms never apply to a delegate), §6.2 step 6',
            chain: { format, links: [link0, link1] },
            trust: { roots: [x509Root('root', { algorithms: ['Ed25519'] })], delegateCertificates: delegateCertificates() },
            context: standardContext(2),
            expected: expectedResult(inputs, 'x509'),
          });
        },
      },
    );
    for (const vector of extra) {
      const id = `attack-${vector.id}${s}`;
      attacks.push({
        id,
        make: async () => {
          const b = new VectorBuilder(id, format);
          const { links, trust, length } = await vector.make(b);
          return b.finish({ description: vector.description, attack: vector.id, spec: vector.spec, chain: { format, links }, trust, context: standardContext(length), expected: vector.expected });
        },
      });
    }
    const pinnedId = `attack-x509-pinned-certificate-mismatch${s}`;
    attacks.push({
      id: pinnedId,
      make: async () => {
        const b = new VectorBuilder(pinnedId, format);
        // Link 0 pins the agent's certificate; link 1 is signed with another valid certificate (issuer leaf).
        const link0 = await b.mint({ iss: 'https://issuer.example', sub: SUBJECT, aud: AUDIENCE, scope: scopeOf(0), tmb: await b.cnf('holder-ed25519'), delegate: { sub: X509_AGENT, cnf: { 'x5t#S256': x5tS256('agentLeaf') } }, depth: 1, iat: iatOf(0), exp: expOf(0), jti: `${b.id}-link-0` }, 'issuer-ed25519');
        const link1 = await b.mintWithKey({ iss: X509_AGENT, sub: SUBJECT, aud: AUDIENCE, scope: scopeOf(1), tmb: await b.cnf('holder-ed25519'), delegate: { sub: delegateId(2), cnf: await b.cnf('d2-ed25519') }, depth: 0, iat: iatOf(1), exp: expOf(1), jti: `${b.id}-link-1` }, certKey('issuerLeaf', ['issuerLeaf', 'intermediate']), link0);
        const trust: TrustConfig = { roots: [{ type: 'issuer', iss: 'https://issuer.example', jwks: { keys: [(await b.key('issuer-ed25519')).publicJwk] } }], delegateCertificates: delegateCertificates() };
        return b.finish({
          description: 'Link 0 pins its delegate\'s certificate by x5t#S256; link 1 is signed with a different certificate that also validates to the delegate anchor.',
          attack: 'x509-pinned-certificate-mismatch',
          spec: 'SPEC-NOTES.md §6.2 step 6, §3.4 (the leaf must have the pinned thumbprint → x5c_identity_mismatch, checked before path validation)',
          chain: { format, links: [link0, link1] },
          trust,
          context: standardContext(2),
          expected: failure('x5c_identity_mismatch', 1),
        });
      },
    });
  }
  return { positive, attacks };
}

export { NOW };
