import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type PrivateJwk } from '../../lib/index.js';
import { createCertificateAuthority, createIntermediate, createLeaf, type CertificateKeyAlgorithm, type IssuedCertificate, type NameConstraintsSpec } from '../../lib/x509/issue.js';
import { parseInteger, requireOption, UsageError } from '../io.js';
import { readCertificateChain } from '../certfile.js';
import { readPrivateKey } from '../keyfile.js';
import { X509Certificate } from '../../lib/x509/peculiar.js';

export const help = `tproof cert <ca|intermediate|leaf|demo> [options]

Create a demo PKI to try X.509-identified links (x5c / x5chain). Each certificate is written as
OUT.pem (the certificate followed by its issuer's chain, without the root: what goes in x5c) and
OUT.jwk (its private key, for mint --key). Not a production CA.

  ca            --subject DN --out OUT [--alg ES256] [--days 365] [--path-len N] [--permit-uri HOST]...
  intermediate  --issuer IN --subject DN --out OUT [--alg] [--days] [--path-len N] [--permit-uri HOST]...
  leaf          --issuer IN (--spiffe-id ID | --uri URI | --dns NAME) --out OUT [--alg] [--days]
  demo          --dir DIR [--trust-domain example.org] [--workload b]
                writes DIR/ca, DIR/intermediate (name-constrained to the trust domain) and
                DIR/leaf (spiffe://<trust-domain>/<workload>)

--alg is Ed25519, ES256, ES384 or PS256. IN is a previous OUT (IN.pem and IN.jwk are read).
--permit-uri adds a URI name constraint (a host, or ".domain" for its subdomains).`;

const ALGS: readonly CertificateKeyAlgorithm[] = ['Ed25519', 'ES256', 'ES384', 'PS256'];
const DAY = 86_400;

export async function run(argv: string[]): Promise<number> {
  const [kind, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      subject: { type: 'string' }, out: { type: 'string' }, alg: { type: 'string', default: 'ES256' }, days: { type: 'string', default: '365' },
      'path-len': { type: 'string' }, 'permit-uri': { type: 'string', multiple: true, default: [] }, issuer: { type: 'string' },
      'spiffe-id': { type: 'string' }, uri: { type: 'string' }, dns: { type: 'string' },
      dir: { type: 'string' }, 'trust-domain': { type: 'string', default: 'example.org' }, workload: { type: 'string', default: 'b' },
    },
  });
  const keyAlg = values.alg as CertificateKeyAlgorithm;
  if (!ALGS.includes(keyAlg)) throw new UsageError(`--alg must be one of ${ALGS.join(', ')}`);
  const notBefore = Math.floor(Date.now() / 1000) - 60;
  const notAfter = notBefore + (parseInteger(values.days, 'days') ?? 365) * DAY;
  const pathLength = parseInteger(values['path-len'], 'path-len');
  const nameConstraints: NameConstraintsSpec | undefined = values['permit-uri'].length > 0 ? { permitted: values['permit-uri'].map((uri) => ({ uri })) } : undefined;
  const common = { keyAlg, notBefore, notAfter };
  const caOptions = { ...common, ...(pathLength === undefined ? {} : { pathLength }), ...(nameConstraints === undefined ? {} : { nameConstraints }) };

  switch (kind) {
    case 'ca': {
      const ca = await createCertificateAuthority({ ...caOptions, subject: requireOption(values.subject, 'subject') });
      save(requireOption(values.out, 'out'), ca, []);
      return 0;
    }
    case 'intermediate': {
      const issuer = load(requireOption(values.issuer, 'issuer'));
      const cert = await createIntermediate({ ...caOptions, subject: requireOption(values.subject, 'subject'), issuer: issuer.issued });
      save(requireOption(values.out, 'out'), cert, issuer.chainBelowRoot);
      return 0;
    }
    case 'leaf': {
      const issuer = load(requireOption(values.issuer, 'issuer'));
      const identity = values['spiffe-id'] !== undefined ? { spiffeId: values['spiffe-id'] } : values.uri !== undefined ? { uri: values.uri } : values.dns !== undefined ? { dns: values.dns } : undefined;
      if (identity === undefined) throw new UsageError('give one of --spiffe-id, --uri, --dns');
      const cert = await createLeaf({ ...common, ...identity, issuer: issuer.issued });
      save(requireOption(values.out, 'out'), cert, issuer.chainBelowRoot);
      return 0;
    }
    case 'demo': {
      const dir = requireOption(values.dir, 'dir');
      mkdirSync(dir, { recursive: true });
      const domain = values['trust-domain'];
      const ca = await createCertificateAuthority({ ...common, subject: 'CN=tproof demo root CA', pathLength: 1 });
      const intermediate = await createIntermediate({ ...common, subject: `CN=tproof demo intermediate for ${domain}`, issuer: ca, pathLength: 0, nameConstraints: { permitted: [{ uri: domain }] } });
      const leaf = await createLeaf({ ...common, issuer: intermediate, spiffeId: `spiffe://${domain}/${values.workload}` });
      save(join(dir, 'ca'), ca, []);
      save(join(dir, 'intermediate'), intermediate, []);
      save(join(dir, 'leaf'), leaf, [intermediate.certificate]);
      process.stdout.write(`wrote ${dir}/{ca,intermediate,leaf}.{pem,jwk}; leaf identity spiffe://${domain}/${values.workload}\n`);
      // x509 roots vouch only for their own identity by default (subjects "self"): a link 0 whose sub is
      // another party (the usual case) needs --subjects any, or a list.
      process.stdout.write(`try: tproof trust --anchor ${dir}/ca.pem --identity spiffe --trust-domain ${domain} --subjects any > trust.json\n`);
      process.stdout.write('     (--subjects: whom the certificates may vouch for as link 0\'s sub; the default, self, admits only their own identity)\n');
      return 0;
    }
    default:
      throw new UsageError('tproof cert needs one of: ca, intermediate, leaf, demo');
  }
}

function toPem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

function save(out: string, cert: IssuedCertificate, issuerChain: Uint8Array[]): void {
  writeFileSync(`${out}.pem`, [cert.certificate, ...issuerChain].map(toPem).join(''));
  writeFileSync(`${out}.jwk`, `${JSON.stringify(cert.privateJwk, null, 2)}\n`, { mode: 0o600 });
}

function keyAlgorithmOf(jwk: PrivateJwk): CertificateKeyAlgorithm {
  if (jwk.kty === 'OKP') return 'Ed25519';
  if (jwk.kty === 'EC') return jwk.crv === 'P-384' ? 'ES384' : 'ES256';
  return 'PS256';
}

/** A previously written issuer: its certificate and key, and its chain minus a self-signed root. */
function load(prefix: string): { issued: IssuedCertificate; chainBelowRoot: Uint8Array[] } {
  const chain = readCertificateChain(`${prefix}.pem`);
  const privateJwk = readPrivateKey(`${prefix}.jwk`);
  const certificate = chain[0] as Uint8Array;
  const parsed = new X509Certificate(certificate);
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk as PrivateJwk & Record<string, unknown>;
  const issued: IssuedCertificate = { certificate, pem: readFileSync(`${prefix}.pem`, 'utf8'), privateJwk, publicJwk, keyAlg: keyAlgorithmOf(privateJwk), subject: parsed.subject };
  const selfSigned = parsed.subject === parsed.issuer;
  return { issued, chainBelowRoot: selfSigned ? [] : chain };
}
