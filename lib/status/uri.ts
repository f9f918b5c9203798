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
 * `work`, or the rejection `signal` aborts with, whichever comes first. The wait is bounded by the
 * signal itself, never by whether `work` (an injected fetch, a body stream) observes it: a fetch
 * whose body read stays pending after an abort, or a custom fetch that ignores its signal, ends
 * the wait all the same (SPEC-NOTES.md §5.1: every fetch is bounded by `timeoutMs`).
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | null | undefined): Promise<T> {
  if (signal === undefined || signal === null) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason ?? new Error('aborted'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * `fetch(uri, init)` with its body read under one deadline of `timeoutMs` from the call: a timer
 * held for the whole wait aborts the fetch and ends the wait (`untilAborted`). An `AbortSignal.timeout`
 * signal alone did not end a fetch whose body was trickling in a full test run: such a signal can be
 * collected while the fetch holds it weakly, and an abort during a body read can leave the read pending.
 */
export async function fetchWithin<T>(timeoutMs: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  try {
    return await untilAborted(run(controller.signal), controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Read a response body, refusing more than `maxBytes` (announced or received) without buffering
 * the excess. Throws `tooLarge` when the body is larger; ends when `signal` aborts (the stream
 * cancelled), whether or not the stream observes it.
 */
export async function readBounded(response: Response, maxBytes: number, tooLarge: () => never, signal?: AbortSignal | null): Promise<Uint8Array> {
  const announced = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(announced) && announced > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    tooLarge();
  }
  if (response.body === null) return new Uint8Array();
  return readStreamBounded(response.body, maxBytes, tooLarge, signal);
}

/** Read a byte stream to its end, cancelling it and calling `tooLarge` once it exceeds `maxBytes`, or when `signal` aborts. */
export async function readStreamBounded(stream: ReadableStream<Uint8Array>, maxBytes: number, tooLarge: () => never, signal?: AbortSignal | null): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let read: Awaited<ReturnType<typeof reader.read>>;
    try {
      read = await untilAborted(reader.read(), signal);
    } catch (error) {
      reader.cancel().catch(() => undefined);
      throw error;
    }
    const { done, value } = read;
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
