/**
 * `tproof inspect --web [FILE]`: the inspector page on loopback. It serves the page's three files,
 * with a Content-Security-Policy that allows nothing but this origin's script and style, and FILE's
 * chain at /chain (the page loads it on start). Every other path is 404; nothing else is reached.
 */
import { createServer, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readChainInput } from '../lib/inspect/index.js';
import { parseInteger, readChainBytesArgument, UsageError } from './io.js';

export const INSPECTOR_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const PAGE_FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/main.js': { file: 'main.js', type: 'text/javascript; charset=utf-8' },
  '/inspector.css': { file: 'inspector.css', type: 'text/css; charset=utf-8' },
};

/** The built page: dist/web/inspector beside dist/cli (or, run from source, under dist/). */
function pageFile(name: string): Buffer {
  const candidates = [`../web/inspector/${name}`, `../dist/web/inspector/${name}`].map((path) => fileURLToPath(new URL(path, import.meta.url)));
  for (const path of candidates) {
    try {
      return readFileSync(path);
    } catch {
      // not built here
    }
  }
  throw new UsageError(`the inspector page is not built (${candidates[0]} is missing): run npm run build`);
}

function send(res: ServerResponse, status: number, type: string, body: Uint8Array | string): void {
  res.writeHead(status, {
    'content-type': type,
    'content-security-policy': INSPECTOR_CSP,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  res.end(body);
}

export async function serveInspector(file: string | undefined, portOption: string | undefined): Promise<number> {
  const port = parseInteger(portOption, 'port') ?? 0;
  if (port > 65535) throw new UsageError('--port must be at most 65535');
  // FILE is read and decoded once, before serving: a chain the page cannot show is an error here.
  const chain = file === undefined ? undefined : await readChainBytesArgument(file);
  if (chain !== undefined) readChainInput(chain);
  const page = Object.fromEntries(Object.entries(PAGE_FILES).map(([path, { file: name, type }]) => [path, { body: pageFile(name), type }]));
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    if (path === '/chain') {
      // 204, not 404: no chain is a normal start, not a failed load for the browser to report.
      if (chain === undefined) return send(res, 204, 'text/plain; charset=utf-8', '');
      return send(res, 200, 'application/octet-stream', chain);
    }
    // The page has no icon; answering the browser's request keeps its console clean.
    if (path === '/favicon.ico') return send(res, 204, 'image/x-icon', '');
    const entry = page[path];
    if (entry === undefined) return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
    return send(res, 200, entry.type, entry.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new UsageError(`port ${port} is in use`) : error));
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : port}/`;
  process.stdout.write(`inspector: ${url}\n(serving on loopback only; Ctrl-C stops it)\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
