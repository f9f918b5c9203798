import { parseArgs } from 'node:util';
import { inspectChain, readChainInput, summarizeCertificates } from '../../lib/inspect/index.js';
import { atMostPositionals, printJson, readChainBytesArgument } from '../io.js';
import { renderLinkTree } from '../render.js';

export const help = `tproof inspect [CHAIN|FILE|-] [--json] [--diag]
tproof inspect --web [FILE] [--port N]

Decode a chain (JWT or CBOR, detected; CBOR also as hex or raw bytes in a file) and show its links
as a tree: who authorised whom, the tmb key thumbprint, scope and what each hop removed, validity
against now and whether it nests, remaining depth, prev hash links, certificate subjects and SANs.
NOTHING IS VERIFIED: use \`tproof verify\` for that. --json prints the inspected structure; --diag
prints the CBOR diagnostic notation of CBOR links.

--web serves the inspector page on 127.0.0.1 (port 0: any free one, unless --port) and prints its
URL; the page shows FILE's chain, takes pasted or dropped chains, and verifies against a trust
configuration in the browser. Nothing leaves the machine. Ctrl-C stops it.`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, diag: { type: 'boolean', default: false }, web: { type: 'boolean', default: false }, port: { type: 'string' } },
  });
  atMostPositionals(positionals, 1);
  if (values.web) {
    const { serveInspector } = await import('../web.js');
    return serveInspector(positionals[0], values.port);
  }
  const view = await inspectChain(readChainInput(await readChainBytesArgument(positionals[0])), { describeCertificates: summarizeCertificates });
  if (values.json) {
    printJson(view);
    return 0;
  }
  if (values.diag) {
    for (const link of view.links) process.stdout.write(`[${link.index}] ${link.diagnostic ?? '(a JWT link has no CBOR diagnostic notation; use --json)'}\n`);
    return 0;
  }
  process.stdout.write(`UNVERIFIED: decoded only; no signature, key or rule has been checked.\n`);
  process.stdout.write(`chain (${view.format}, ${view.links.length} link${view.links.length === 1 ? '' : 's'}): ${view.parties.map((party) => party.id).join(' → ')}\n`);
  process.stdout.write(`${renderLinkTree(view.links)}\n`);
  return 0;
}
