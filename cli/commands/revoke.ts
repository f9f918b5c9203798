import { parseArgs } from 'node:util';
import { decodeChain, DEFAULT_CLOCK_TOLERANCE_SECONDS, linkHash, parseChain } from '../../lib/index.js';
import { connectRedisRevocationStore } from '../../lib/redis/index.js';
import { parseInteger, printJson, readChainArgument, UsageError } from '../io.js';
import { CODECS } from '../parts.js';

export const help = `tproof revoke [CHAIN|FILE|-] [--link N] [--redis URL] [--key-prefix P]

Revoke one link of a chain by its hash (base64url SHA-256 of its exact bytes, the "prev" a next
link would carry): a verifier with the revocation store refuses every chain holding that link at
once (link_revoked). The entry lasts until the link's exp plus the default clock tolerance.

  --link N        which link (default: the last)
  --redis URL     add it to the Redis revocation store at URL (e.g. redis://127.0.0.1:6379/0)
  --key-prefix P  Redis key prefix (default tproof:revoked:)

Prints {"linkHash", "expiresAt"}; without --redis that is all it does.`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { link: { type: 'string' }, redis: { type: 'string' }, 'key-prefix': { type: 'string' } } });
  if (positionals.length > 1) throw new UsageError('give one chain');
  const chain = parseChain(await readChainArgument(positionals[0]), CODECS);
  const index = parseInteger(values.link, 'link') ?? chain.links.length - 1;
  const bytes = chain.links[index];
  if (bytes === undefined) throw new UsageError(`the chain has no link ${index}`);
  const exp = decodeChain(chain, CODECS)[index]?.claims.exp;
  const expiresAt = (typeof exp === 'number' ? exp : Math.floor(Date.now() / 1000) + 86_400) + DEFAULT_CLOCK_TOLERANCE_SECONDS;
  const hash = await linkHash(bytes);
  if (values.redis !== undefined) {
    const store = await connectRedisRevocationStore({ url: values.redis, ...(values['key-prefix'] === undefined ? {} : { keyPrefix: values['key-prefix'] }) });
    try {
      await store.revoke(hash, expiresAt);
    } finally {
      await store.close();
    }
  }
  printJson({ linkHash: hash, expiresAt, link: index });
  return 0;
}
