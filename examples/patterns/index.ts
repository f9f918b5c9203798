/**
 * The five deferred-binding patterns (examples/patterns/<name>/README.md), each runnable end to
 * end against the example oidc-provider AS and DPoP resource server: `tproof demo --pattern <name>`.
 */
import type { PatternRunOptions, PatternStep } from './support.js';

export interface PatternEntry {
  name: string;
  /** One line: who binds what to whose key. */
  summary: string;
  load(): Promise<{ run(options?: PatternRunOptions): Promise<PatternStep[]> }>;
}

export const PATTERNS: readonly PatternEntry[] = [
  {
    name: 'spiffe-agent',
    summary: 'a SPIFFE agent with an X.509-SVID obtains a token bound to a workload\'s key; the workload presents it',
    load: () => import('./spiffe-agent/index.js'),
  },
  {
    name: 'bff',
    summary: 'a browser\'s non-extractable WebCrypto key authorises its backend-for-frontend; the browser presents with DPoP',
    load: () => import('./bff/index.js'),
  },
  {
    name: 'transaction-tokens',
    summary: 'a gateway\'s link passes through three services, each attenuating; the last redeems, a fourth fails',
    load: () => import('./transaction-tokens/index.js'),
  },
  {
    name: 'cross-domain',
    summary: 'domain B\'s AS issues a token bound to a key in domain A, on the word of A\'s issuer root',
    load: () => import('./cross-domain/index.js'),
  },
  {
    name: 'network-segmentation',
    summary: 'a constrained device that cannot reach the AS mints a CBOR link for its gateway, then presents the token',
    load: () => import('./network-segmentation/index.js'),
  },
];

export function findPattern(name: string): PatternEntry | undefined {
  return PATTERNS.find((pattern) => pattern.name === name);
}
