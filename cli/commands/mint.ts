import { parseArgs } from 'node:util';
import {
  chainToJson, decodeChain, delegate as delegateChain, jwkThumbprint, parseChain, serializeChain, startChain, toPublicJwk,
  type Chain, type Confirmation, type LinkClaims, type LinkInput, type LinkSigner, type LinkStatus, type PrivateJwk,
} from '../../lib/index.js';
import { sha256Base64url } from '../../lib/x509/certificate.js';
import { formatOption, parseDate, parseInteger, printJson, readChainArgument, requireOption, UsageError } from '../io.js';
import { readPrivateKey, readPublicKey, signingAlgorithm } from '../keyfile.js';
import { readCertificateChain } from '../certfile.js';
import { CODECS } from '../parts.js';

export const help = `tproof mint --key FILE --delegate ID (--delegate-key FILE | --delegate-jkt JKT) [options]

Sign a link and print the chain. Without --chain it starts a chain (a root link); with --chain it
appends a link to it, inheriting sub, aud and tmb and taking iss from the last link's delegate.

  --key FILE            signer's private JWK
  --alg ALG             default: from the key type (EdDSA, ES256, ES384, PS256)
  --kid ID              key id placed in the header
  --x5c FILE            PEM certificate chain (leaf first) placed in x5c / x5chain
  --chain CHAIN|FILE|-  chain to append to
  --iss ID              delegator (root link; appended links are issued by the last delegate)
  --sub ID              subject of the token to be issued (root link)
  --aud AS              authorization server issuer identifier (root link)
  --tmb-key FILE        the key the token will be bound to (its public JWK) (root link)
  --tmb-jkt JKT         ... or only its RFC 7638 thumbprint
  --delegate ID         who may act next
  --delegate-key FILE   the delegate's public key (it signs the next link or authenticates)
  --delegate-jkt JKT    ... or only its thumbprint (then the verifier must know the key)
  --scope "A B"         scope granted (appended links default to the parent's)
  --depth N             further links allowed after this one (default: root 0, appended parent-1)
  --expires-in SECONDS  lifetime (default 300, i.e. 5 minutes; appended links are capped at the
                        parent's exp, and an expired chain cannot be extended)
  --now ISO             issue time (default: now)
  --format jwt|cbor     encoding of a new chain (default jwt)
  --status-uri URI      Token Status List of this link (with --status-idx): its signer can withdraw it
  --status-idx N        ... and its index in that list (tproof status set)
  --json                print the JSON form (array of links) instead of the compact form
  --any-key             with --chain: sign with --key even though it is not the key the chain names
                        for its last delegate (every verifier will refuse the link; for tests)`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      key: { type: 'string' }, alg: { type: 'string' }, kid: { type: 'string' }, x5c: { type: 'string' },
      chain: { type: 'string' }, iss: { type: 'string' }, sub: { type: 'string' }, aud: { type: 'string' },
      'tmb-key': { type: 'string' }, 'tmb-jkt': { type: 'string' },
      delegate: { type: 'string' }, 'delegate-key': { type: 'string' }, 'delegate-jkt': { type: 'string' },
      scope: { type: 'string' }, depth: { type: 'string' }, 'expires-in': { type: 'string' }, now: { type: 'string' },
      format: { type: 'string', default: 'jwt' }, json: { type: 'boolean', default: false },
      'status-uri': { type: 'string' }, 'status-idx': { type: 'string' }, 'any-key': { type: 'boolean', default: false },
    },
  });
  const privateKey = readPrivateKey(requireOption(values.key, 'key'));
  const signer: LinkSigner = { privateKey, alg: signingAlgorithm(privateKey, values.alg) };
  if (values.kid !== undefined) signer.kid = values.kid;
  if (values.x5c !== undefined) signer.x5c = readCertificateChain(values.x5c);
  const now = parseDate(values.now, 'now') ?? new Date();
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const expiresIn = parseInteger(values['expires-in'], 'expires-in');
  const depth = parseInteger(values.depth, 'depth');
  const delegateCnf = confirmationFrom(values['delegate-key'], values['delegate-jkt'], 'delegate');
  const delegate = { sub: requireOption(values.delegate, 'delegate'), cnf: delegateCnf };
  const status = statusFrom(values['status-uri'], parseInteger(values['status-idx'], 'status-idx'));

  let chain: Chain;
  if (values.chain === undefined) {
    const format = formatOption(values.format);
    const input: LinkInput = {
      iss: requireOption(values.iss, 'iss'),
      sub: requireOption(values.sub, 'sub'),
      aud: requireOption(values.aud, 'aud'),
      scope: requireOption(values.scope, 'scope'),
      tmb: confirmationFrom(values['tmb-key'], values['tmb-jkt'], 'tmb'),
      delegate,
      depth: depth ?? 0,
      iat: nowSeconds,
      ...(expiresIn === undefined ? {} : { expiresIn }),
      ...(status === undefined ? {} : { status }),
    };
    chain = await startChain(input, signer, { format, now, ...CODECS });
  } else {
    for (const inherited of ['iss', 'sub', 'aud', 'tmb-key', 'tmb-jkt', 'format'] as const) {
      if (argv.some((arg) => arg === `--${inherited}` || arg.startsWith(`--${inherited}=`))) {
        throw new UsageError(`--${inherited} is inherited from the chain when appending`);
      }
    }
    const parent = parseChain(await readChainArgument(values.chain), CODECS);
    if (!values['any-key']) await assertDelegateKey(parent, signer);
    chain = await delegateChain(parent, {
      delegate,
      ...(values.scope === undefined ? {} : { scope: values.scope }),
      ...(depth === undefined ? {} : { depth }),
      ...(expiresIn === undefined ? {} : { expiresIn }),
      ...(status === undefined ? {} : { status }),
    }, signer, { now, ...CODECS });
  }
  if (values.json) printJson(chainToJson(chain, CODECS));
  else process.stdout.write(`${serializeChain(chain, CODECS)}\n`);
  return 0;
}

/**
 * The link appended to `chain` must be signed by the key its last link names for the delegate
 * (may_act.cnf); any other key gives a chain every verifier refuses (step 7).
 */
async function assertDelegateKey(chain: Chain, signer: LinkSigner): Promise<void> {
  const index = chain.links.length - 1;
  const last = decodeChain(chain, CODECS).at(-1)?.claims as Partial<LinkClaims> | undefined;
  const delegate = last?.may_act;
  if (delegate === undefined) return;
  const { cnf } = delegate;
  if ('x5t#S256' in cnf) {
    const leaf = signer.x5c?.[0];
    if (leaf !== undefined && await sha256Base64url(leaf) === cnf['x5t#S256']) return;
    throw new UsageError(`link ${index} names its delegate ${delegate.sub} by certificate (x5t#S256 ${cnf['x5t#S256']}): give that certificate with --x5c and its key with --key (or --any-key)`);
  }
  const expected = 'jwk' in cnf ? await jwkThumbprint(cnf.jwk) : cnf.jkt;
  const given = await jwkThumbprint(toPublicJwk(signer.privateKey as PrivateJwk));
  if (given !== expected) {
    throw new UsageError(`--key is not the delegate's key: link ${index} names ${delegate.sub} with the key of thumbprint ${expected}, --key has ${given} (--any-key signs anyway)`);
  }
}

function statusFrom(uri: string | undefined, idx: number | undefined): LinkStatus | undefined {
  if ((uri === undefined) !== (idx === undefined)) throw new UsageError('give both --status-uri and --status-idx, or neither');
  return uri === undefined ? undefined : { status_list: { uri, idx: idx as number } };
}

function confirmationFrom(keyFile: string | undefined, jkt: string | undefined, what: string): Confirmation {
  if ((keyFile === undefined) === (jkt === undefined)) throw new UsageError(`give exactly one of --${what}-key or --${what}-jkt`);
  return keyFile !== undefined ? { jwk: readPublicKey(keyFile) } : { jkt: jkt as string };
}
