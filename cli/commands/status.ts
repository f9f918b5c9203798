import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { toPublicJwk, type SignatureAlgorithm } from '../../lib/index.js';
import { STATUS_INVALID, STATUS_SUSPENDED, STATUS_VALID, createStatusListToken, emptyStatusList, isStatusBits, readStatus, readStatusListTokenUnverified, verifyStatusListToken, writeStatus, type StatusBits, type StatusListFormat } from '../../lib/status/index.js';
import { formatOption, parseInteger, requireOption, UsageError } from '../io.js';
import { readPrivateKey, readPublicKey, signingAlgorithm } from '../keyfile.js';
import { timeWithRelative } from '../render.js';

export const help = `tproof status create|set|get ...

Issue and maintain a Token Status List (draft-ietf-oauth-status-list) through which a signer
withdraws links minted with --status-uri/--status-idx. FILE holds the token as it is served: JWT
text, or the COSE_Sign1 bytes of a CWT.

  tproof status create --key FILE --uri URI --size N [--bits 1|2|4|8] [--ttl S] [--expires-in S]
                       [--format jwt|cbor] --out FILE
      a new list, every entry VALID
  tproof status set FILE --key FILE --idx N --status valid|invalid|suspended|V [--ttl S] [--expires-in S]
      verify FILE with the key, set entry N and sign it again (iat now; exp now + --expires-in,
      default the old lifetime)
  tproof status get FILE --key FILE --idx N [--uri URI]
      verify FILE with the (public or private) key and print entry N

  --kid ID   key id placed in the header (create, set)
  --alg ALG  default: from the key type`;

const NAMES: Record<string, number> = { valid: STATUS_VALID, invalid: STATUS_INVALID, suspended: STATUS_SUSPENDED };

export async function run(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      key: { type: 'string' }, alg: { type: 'string' }, kid: { type: 'string' }, uri: { type: 'string' }, size: { type: 'string' },
      bits: { type: 'string' }, ttl: { type: 'string' }, 'expires-in': { type: 'string' }, format: { type: 'string', default: 'jwt' },
      out: { type: 'string' }, idx: { type: 'string' }, status: { type: 'string' },
    },
  });
  const now = Math.floor(Date.now() / 1000);
  const ttl = parseInteger(values.ttl, 'ttl');
  const expiresIn = parseInteger(values['expires-in'], 'expires-in');
  switch (action) {
    case 'create': {
      const bits = Number(values.bits ?? '1');
      if (!isStatusBits(bits)) throw new UsageError('--bits must be 1, 2, 4 or 8');
      const size = parseInteger(requireOption(values.size, 'size'), 'size') as number;
      const format = formatOption(values.format) as StatusListFormat;
      const out = requireOption(values.out, 'out');
      const uri = requireOption(values.uri, 'uri');
      const exp = now + (expiresIn ?? 86_400);
      await sign(out, format, values, { uri, bits, list: emptyStatusList(size, bits), iat: now, exp, ttl });
      process.stdout.write(`wrote ${out}: Token Status List ${uri} (${format === 'jwt' ? 'JWT' : 'CWT'}), ${size} entries of ${bits} bit${bits === 1 ? '' : 's'}, every entry VALID; expires ${timeWithRelative(exp, now)}\n`);
      return 0;
    }
    case 'set': {
      const file = onePositional(positionals);
      const idx = parseInteger(requireOption(values.idx, 'idx'), 'idx') as number;
      const name = requireOption(values.status, 'status');
      const value = NAMES[name] ?? (/^\d+$/.test(name) ? Number(name) : Number.NaN);
      if (!Number.isInteger(value)) throw new UsageError('--status must be valid, invalid, suspended or a number');
      const current = await verified(file, values.key, values.uri);
      writeStatus(current.list, current.bits, idx, value);
      const lifetime = current.exp === undefined ? 86_400 : Math.max(1, current.exp - current.iat);
      const out = values.out ?? file;
      const exp = now + (expiresIn ?? lifetime);
      await sign(out, current.format, values, { uri: current.sub, bits: current.bits, list: current.list, iat: now, exp, ttl: ttl ?? current.ttl });
      process.stdout.write(`${out}: entry ${idx} of ${current.sub} set to ${value} (${statusName(value)}), signed again; expires ${timeWithRelative(exp, now)}\n`);
      return 0;
    }
    case 'get': {
      const current = await verified(onePositional(positionals), values.key, values.uri);
      const idx = parseInteger(requireOption(values.idx, 'idx'), 'idx') as number;
      const value = readStatus(current.list, current.bits, idx);
      if (value === undefined) throw new UsageError(`index ${idx} is outside the list`);
      process.stdout.write(`${value} ${statusName(value)}\n`);
      return 0;
    }
    default:
      throw new UsageError('tproof status create|set|get (see --help)');
  }
}

function statusName(value: number): string {
  return Object.entries(NAMES).find(([, v]) => v === value)?.[0] ?? `application-specific (${value})`;
}

function onePositional(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError('give the status list token FILE');
  return positionals[0] as string;
}

function readToken(file: string): Uint8Array {
  if (!existsSync(file)) throw new UsageError(`cannot read status list file "${file}"`);
  return new Uint8Array(readFileSync(file));
}

async function verified(file: string, keyFile: string | undefined, uri: string | undefined) {
  const bytes = readToken(file);
  const key = readPublicKey(requireOption(keyFile, 'key'));
  const peek = readStatusListTokenUnverified(bytes);
  const subject = uri ?? (typeof peek.sub === 'string' ? peek.sub : '');
  const alg = signingAlgorithm(key, undefined);
  return verifyStatusListToken(bytes, { keys: [key], algorithms: new Set<SignatureAlgorithm>([alg, ...(alg === 'EdDSA' ? ['Ed25519' as const] : [])]), uri: subject, now: Math.floor(Date.now() / 1000), toleranceSeconds: 30 });
}

async function sign(
  out: string,
  format: StatusListFormat,
  values: { key?: string | undefined; alg?: string | undefined; kid?: string | undefined },
  input: { uri: string; bits: StatusBits; list: Uint8Array; iat: number; exp: number; ttl: number | undefined },
): Promise<void> {
  const privateKey = readPrivateKey(requireOption(values.key, 'key'));
  const signer = { privateKey, alg: signingAlgorithm(toPublicJwk(privateKey), values.alg), ...(values.kid === undefined ? {} : { kid: values.kid }) };
  const tokenInput = { uri: input.uri, bits: input.bits, list: input.list, iat: input.iat, exp: input.exp, ...(input.ttl === undefined ? {} : { ttl: input.ttl }) };
  if (format === 'jwt') writeFileSync(out, `${await createStatusListToken(tokenInput, signer, 'jwt')}\n`);
  else writeFileSync(out, await createStatusListToken(tokenInput, signer, 'cwt'));
}
