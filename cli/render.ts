/**
 * The text form of an inspected chain (for `inspect` and the demo): a tree of the links of a
 * ChainView, which computes everything shown. Rendering never implies validity: callers label
 * unverified output as such.
 */
import type { LinkView } from '../lib/inspect/index.js';

/** The one time format of every command: ISO 8601 in UTC, to the second (2026-12-07T07:09:04Z). */
export function isoTime(seconds: number | undefined): string {
  return seconds === undefined ? '?' : new Date(Math.floor(seconds) * 1000).toISOString().replace('.000Z', 'Z');
}

/** How far `seconds` is from `now` in words: "in 4 min", "3 h ago", "now". */
export function relativeTime(seconds: number, now = Date.now() / 1000): string {
  const delta = Math.round(seconds - now);
  const size = Math.abs(delta);
  if (size < 1) return 'now';
  const [amount, unit] = size < 120 ? [size, 's'] : size < 7200 ? [Math.round(size / 60), 'min'] : size < 172_800 ? [Math.round(size / 3600), 'h'] : [Math.round(size / 86_400), 'days'];
  return delta > 0 ? `in ${amount} ${unit}` : `${amount} ${unit} ago`;
}

/** ISO 8601 with the relative time beside it: "2026-12-07T07:09:04Z (in 4 min)". */
export function timeWithRelative(seconds: number, now?: number): string {
  return `${isoTime(seconds)} (${relativeTime(seconds, now)})`;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? '?';
}

export function renderLinkTree(links: readonly LinkView[]): string {
  const lines: string[] = [];
  for (const [position, link] of links.entries()) {
    const last = position === links.length - 1;
    const branch = last ? '└─' : '├─';
    const pad = last ? '   ' : '│  ';
    const { header, claims, scope, validity } = link;
    lines.push(`${branch} [${link.index}] ${link.signer.id} → ${link.delegate.id}`);
    const certificate = link.signer.certificate === undefined ? '' : `, certificate ${link.signer.certificate.identity}`;
    lines.push(`${pad}   signer     ${link.signer.kind}${certificate} (as the link presents itself)`);
    lines.push(`${pad}   header     alg ${text(header.alg)}, typ ${text(header.typ ?? '(none)')}${header.kid === undefined ? '' : `, kid ${text(header.kid)}`}`);
    lines.push(`${pad}   subject    ${text(claims.sub)}`);
    lines.push(`${pad}   audience   ${text(claims.aud)}`);
    lines.push(`${pad}   tmb        ${link.tmb}`);
    if (link.signer.key !== undefined) lines.push(`${pad}   signed by  ${link.signer.key}${link.issuerIsParentDelegate === false ? '  (iss is NOT the delegate link ' + (link.index - 1) + ' named)' : ''}`);
    lines.push(`${pad}   delegate   ${link.delegate.key}`);
    const removed = scope.removed.length === 0 ? '' : `  (removed: ${scope.removed.join(' ')})`;
    const added = scope.added.length === 0 ? '' : `  (WIDENED: ${scope.added.join(' ')})`;
    lines.push(`${pad}   scope      ${text(claims.scope)}${removed}${added}`);
    lines.push(`${pad}   depth      ${link.depth ?? '?'} further link(s) allowed`);
    const nesting = validity.nested === false ? '  NOT within link ' + (link.index - 1) + '\'s window' : '';
    const expiry = validity.exp === undefined ? '' : `, ${validity.exp > Date.now() / 1000 ? 'expires' : 'expired'} ${relativeTime(validity.exp)}`;
    lines.push(`${pad}   valid      ${isoTime(validity.start)} → ${isoTime(validity.exp)}  (iat ${isoTime(validity.iat)}; ${validity.state.replaceAll('_', ' ')} now${expiry})${nesting}`);
    lines.push(`${pad}   jti        ${text(claims.jti)}`);
    if (link.prev !== undefined) lines.push(`${pad}   prev       ${link.prev.value}${link.prev.matchesParent ? '' : `  (NOT the hash of link ${link.index - 1})`}`);
    if (link.certificates !== undefined) {
      lines.push(`${pad}   x5c        ${link.certificates.length} certificate(s)`);
      for (const certificate of link.certificates) {
        lines.push(`${pad}              ${certificate.subject || '(empty subject)'}${certificate.sans.length ? `  SAN ${certificate.sans.join(', ')}` : ''}`);
      }
    }
  }
  return lines.join('\n');
}
