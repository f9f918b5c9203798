import { parseArgs } from 'node:util';
import { compileTrust, jwkThumbprint, type KnownHolder, type RootConfig, type SubjectLimit, type TrustConfig } from '../../lib/index.js';
import { printJson, UsageError } from '../io.js';
import { readPublicKey } from '../keyfile.js';
import { readCertificateChain } from '../certfile.js';
import { ALL_PARTS } from '../parts.js';

export const help = `tproof trust [--issuer ISS=KEYFILE]... [--holder ID=KEYFILE]... [--holder-thumbprints] [--anchor PEMFILE --identity uri|spiffe|dns [--trust-domain TD] [--subjects S]] [--delegate-key FILE]...

Print a trust configuration (schemas/trust-config.schema.json) for \`tproof verify --trust\`. Only
public keys are written, even when given private key files.

  --issuer ISS=KEYFILE   an issuer root: links 0 with this iss signed by this key (repeatable)
  --holder ID=KEYFILE    a key-holder root: link 0 signed by the tmb key itself, which must be this
                         key, with iss = sub = ID (repeatable)
  --holder-thumbprints   a key-holder root for any key that names itself by its RFC 9278 thumbprint
                         URI (urn:ietf:params:oauth:jwk-thumbprint:sha-256:<jkt>)
  --anchor PEMFILE       an X.509 root: the certificates in the file are trust anchors
  --identity TYPE        how a leaf certificate names the link's iss: uri, spiffe or dns (with --anchor)
  --trust-domain TD      required SPIFFE trust domain (with --identity spiffe)
  --subjects S           whom the certificates may vouch for (link 0's sub): self (default: only
                         their own identity), any, or a comma-separated list of subjects
  --delegate-key FILE    a known delegate key, for may_act.cnf given as jkt (repeatable)`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      issuer: { type: 'string', multiple: true, default: [] }, holder: { type: 'string', multiple: true, default: [] },
      'holder-thumbprints': { type: 'boolean', default: false },
      anchor: { type: 'string' }, identity: { type: 'string' }, 'trust-domain': { type: 'string' }, subjects: { type: 'string' },
      'delegate-key': { type: 'string', multiple: true, default: [] },
    },
  });
  const roots: RootConfig[] = [];
  for (const entry of values.issuer) {
    const at = entry.indexOf('=');
    if (at < 1) throw new UsageError('--issuer takes ISS=KEYFILE');
    roots.push({ type: 'issuer', iss: entry.slice(0, at), jwks: { keys: [readPublicKey(entry.slice(at + 1))] } });
  }
  const holders: KnownHolder[] = [];
  for (const entry of values.holder) {
    const at = entry.indexOf('=');
    if (at < 1) throw new UsageError('--holder takes ID=KEYFILE');
    holders.push({ iss: entry.slice(0, at), jkt: await jwkThumbprint(readPublicKey(entry.slice(at + 1))) });
  }
  if (holders.length > 0 || values['holder-thumbprints']) {
    roots.push({ type: 'holder', ...(holders.length > 0 ? { holders } : {}), ...(values['holder-thumbprints'] ? { thumbprintIssuers: true } : {}) });
  }
  if (values.anchor !== undefined) {
    const identity = values.identity;
    if (identity !== 'uri' && identity !== 'spiffe' && identity !== 'dns') throw new UsageError('--anchor needs --identity uri|spiffe|dns');
    roots.push({
      type: 'x509',
      anchors: readCertificateChain(values.anchor).map((der) => Buffer.from(der).toString('base64')),
      identity: { type: identity, ...(values['trust-domain'] === undefined ? {} : { trustDomain: values['trust-domain'] }) },
      ...(values.subjects === undefined ? {} : { subjects: subjectLimit(values.subjects) }),
    });
  }
  if (roots.length === 0) throw new UsageError('give at least one --issuer, --holder, --holder-thumbprints or --anchor');
  const config: TrustConfig = { roots };
  if (values['delegate-key'].length > 0) config.delegateKeys = { keys: values['delegate-key'].map(readPublicKey) };
  await compileTrust(config, ALL_PARTS); // refuse to print a configuration the verifier would refuse
  printJson(config);
  return 0;
}

/** --subjects self|any|ID,ID,...: whom the x509 root's certificates may vouch for (default self). */
function subjectLimit(value: string): SubjectLimit {
  if (value === 'self' || value === 'any') return value;
  const exact = value.split(',').filter((entry) => entry.length > 0);
  if (exact.length === 0) throw new UsageError('--subjects takes self, any or a comma-separated list of subjects');
  return { exact };
}
