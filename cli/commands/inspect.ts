import { parseArgs } from 'node:util';
import { decodeChain, parseChain } from '../../lib/index.js';
import { atMostPositionals, printJson, readChainArgument } from '../io.js';
import { renderLinkTree } from '../render.js';
import { summarizeCertificates } from '../certificates.js';
import { CODECS } from '../parts.js';

export const help = `tproof inspect [CHAIN|FILE|-] [--json] [--diag]

Decode a chain (JWT or CBOR, detected) and show its links as a tree: who authorised whom, the tmb
key thumbprint, scope, validity and remaining depth, certificate subjects and SANs. NOTHING IS
VERIFIED: use \`tproof verify\` for that. --json prints the decoded structure; --diag prints the CBOR
diagnostic notation of CBOR links.`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean', default: false }, diag: { type: 'boolean', default: false } } });
  atMostPositionals(positionals, 1);
  const chain = parseChain(await readChainArgument(positionals[0]), CODECS);
  const links = decodeChain(chain, CODECS);
  if (values.json) {
    printJson({
      verified: false,
      format: chain.format,
      links: links.map((link) => {
        const { x5c, ...header } = link.header;
        return {
          index: link.index,
          header: x5c === undefined ? header : { ...header, x5c: x5c.map((der) => Buffer.from(der).toString('base64')) },
          claims: link.claims,
          ...(x5c === undefined ? {} : { certificates: summarizeCertificates(x5c) }),
        };
      }),
    });
    return 0;
  }
  if (values.diag) {
    const { diagnosticNotation } = await import('../diagnostic.js');
    for (const [index, link] of chain.links.entries()) process.stdout.write(`[${index}] ${diagnosticNotation(chain.format, link)}\n`);
    return 0;
  }
  process.stdout.write(`UNVERIFIED: decoded only; no signature, key or rule has been checked.\n`);
  process.stdout.write(`chain (${chain.format}, ${links.length} link${links.length === 1 ? '' : 's'})\n`);
  process.stdout.write(`${await renderLinkTree(links, summarizeCertificates)}\n`);
  return 0;
}
