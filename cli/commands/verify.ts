import { parseArgs } from 'node:util';
import { createVerifier, jwkThumbprint, type Confirmation, type TrustConfig, type VerificationContext } from '../../lib/index.js';
import { atMostPositionals, parseDate, printJson, readChainArgument, readJsonFile, reportError, requireOption, UsageError } from '../io.js';
import { readPublicKey } from '../keyfile.js';
import { ALL_PARTS } from '../parts.js';
import { timeWithRelative } from '../render.js';

export const help = `tproof verify --trust FILE --aud AS --requester ID [options] [CHAIN|FILE|-]

Verify a chain as the authorization server would for a token request. Exit 0 and print the result
(cnf, sub, act, scope), or exit 1 and print the error code and the failing link.

  --trust FILE          trust configuration (schemas/trust-config.schema.json)
  --aud AS              this authorization server's issuer identifier
  --requester ID        the authenticated client that sent the request
  --requester-jkt JKT   thumbprint of the key the client authenticated with (private_key_jwt)
  --requester-key FILE  ... or the key file it names
  --unbound-requester   accept a requester authenticated without a key (by secret): an explicit
                        opt-out of the default key-bound requester check (SPEC-NOTES.md §6.2 step 16)
  --tmb JSON            the request's tmb parameter, e.g. '{"jkt":"..."}'
  --tmb-key FILE        ... or the key file it names
  --scope "A B"         the requested scope
  --now ISO             verification time (default: now)
  --json                print the result (or the error object) as JSON`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      trust: { type: 'string' }, aud: { type: 'string' }, requester: { type: 'string' }, 'requester-jkt': { type: 'string' },
      'requester-key': { type: 'string' }, 'unbound-requester': { type: 'boolean', default: false },
      tmb: { type: 'string' }, 'tmb-key': { type: 'string' }, scope: { type: 'string' }, now: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  try {
    atMostPositionals(positionals, 1);
    const trust = readJsonFile(requireOption(values.trust, 'trust'), 'trust') as TrustConfig;
    const context: VerificationContext = {
      audience: requireOption(values.aud, 'aud'),
      requester: { id: requireOption(values.requester, 'requester') },
    };
    if (values['requester-jkt'] !== undefined && values['requester-key'] !== undefined) throw new UsageError('give only one of --requester-jkt and --requester-key');
    const requesterJkt = values['requester-key'] === undefined ? values['requester-jkt'] : await jwkThumbprint(readPublicKey(values['requester-key']));
    if (requesterJkt !== undefined) context.requester.jkt = requesterJkt;
    const tmb = requestedTmb(values.tmb, values['tmb-key']);
    if (tmb !== undefined) context.tmb = tmb;
    if (values.scope !== undefined) context.scope = values.scope;
    const now = parseDate(values.now, 'now');
    if (now !== undefined) context.now = now;
    const chainText = await readChainArgument(positionals[0]);
    const verifier = await createVerifier(trust, { requireRequesterKey: !values['unbound-requester'], ...ALL_PARTS });
    const result = await verifier.verify(chainText, context);
    if (values.json) {
      printJson({ valid: true, ...result });
    } else {
      process.stdout.write(`VALID chain (${result.format}, ${result.links.length} link${result.links.length === 1 ? '' : 's'}, root ${result.root.kind} ${result.root.iss})\n`);
      process.stdout.write(`  cnf    ${JSON.stringify(result.cnf)}\n  sub    ${result.sub}\n  act    ${JSON.stringify(result.act)}\n  scope  ${result.scope}\n  until  ${timeWithRelative(result.notAfter, (context.now?.getTime() ?? Date.now()) / 1000)}\n`);
    }
    return 0;
  } catch (error) {
    // Every failure, usage errors included, answers --json with { valid: false, error }.
    return reportError(error, values.json, { valid: false });
  }
}

function requestedTmb(json: string | undefined, keyFile: string | undefined): Confirmation | undefined {
  if (json !== undefined && keyFile !== undefined) throw new UsageError('give only one of --tmb and --tmb-key');
  if (keyFile !== undefined) return { jwk: readPublicKey(keyFile) };
  if (json === undefined) return undefined;
  try {
    return JSON.parse(json) as Confirmation;
  } catch {
    throw new UsageError('--tmb is not valid JSON');
  }
}
