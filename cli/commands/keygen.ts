import { parseArgs } from 'node:util';
import { generateKeyPair, toPublicJwk, type KeyAlgorithmName } from '../../lib/index.js';
import { printJson, UsageError } from '../io.js';

export const help = `tproof keygen --alg EdDSA|ES256|ES384|PS256 [--kid ID] [--public]

Generate a key pair and print the private JWK (JSON). With --public, print only the public part
(use it in trust files and as --tmb-key / --delegate-key). Keep private JWKs secret.`;

const ALGS: readonly KeyAlgorithmName[] = ['EdDSA', 'ES256', 'ES384', 'PS256'];

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { alg: { type: 'string', default: 'EdDSA' }, kid: { type: 'string' }, public: { type: 'boolean', default: false } } });
  const alg = values.alg as KeyAlgorithmName;
  if (!ALGS.includes(alg)) throw new UsageError(`--alg must be one of ${ALGS.join(', ')}`);
  const { privateJwk } = await generateKeyPair(alg);
  if (values.kid !== undefined) privateJwk.kid = values.kid;
  printJson(values.public ? toPublicJwk(privateJwk) : privateJwk);
  return 0;
}
