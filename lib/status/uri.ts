/**
 * Which URIs the verifier may fetch (SPEC-NOTES.md §5.1): only those the trust configuration
 * names, over HTTPS, or plain HTTP to a loopback host (local tests and sidecars). A URI must be in
 * its canonical WHATWG form, so that a prefix match on text is a match on what is fetched
 * ("/lists/../admin" is refused, not resolved past the prefix).
 */
import { TransitiveProofError, type ErrorCode } from '../errors.js';

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase()) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Why `uri` may not be fetched, or undefined when it may (subject to the configuration's list). */
export function fetchableUriProblem(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'is not an absolute URI';
  }
  if (url.href !== uri) return `is not in canonical form (${url.href})`;
  if (url.username !== '' || url.password !== '') return 'carries credentials';
  if (url.hash !== '') return 'has a fragment';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return undefined;
  return 'is neither https nor http to a loopback host';
}

export function assertFetchableUri(uri: string, what: string, code: ErrorCode = 'invalid_argument'): void {
  const problem = fetchableUriProblem(uri);
  if (problem !== undefined) throw new TransitiveProofError(code, `${what} ${uri} ${problem}`);
}

/**
 * Read a response body, refusing more than `maxBytes` (announced or received) without buffering
 * the excess. Throws `tooLarge` when the body is larger.
 */
export async function readBounded(response: Response, maxBytes: number, tooLarge: () => never): Promise<Uint8Array> {
  const announced = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(announced) && announced > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    tooLarge();
  }
  if (response.body === null) return new Uint8Array();
  return readStreamBounded(response.body, maxBytes, tooLarge);
}

/** Read a byte stream to its end, cancelling it and calling `tooLarge` once it exceeds `maxBytes`. */
export async function readStreamBounded(stream: ReadableStream<Uint8Array>, maxBytes: number, tooLarge: () => never): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
