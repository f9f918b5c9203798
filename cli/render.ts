/**
 * Human-readable rendering of decoded links (for `inspect` and the demo). Rendering never
 * implies validity: callers label unverified output as such.
 */
import { jwkThumbprint, type Confirmation, type DecodedLink } from '../lib/index.js';

function isoTime(seconds: unknown): string {
  return typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString().replace('.000Z', 'Z') : '?';
}

export async function describeConfirmation(value: unknown): Promise<string> {
  if (value === null || typeof value !== 'object') return '(missing)';
  const cnf = value as Partial<Record<'jkt' | 'jwk' | 'x5t#S256', unknown>>;
  if (typeof cnf.jkt === 'string') return `jkt ${cnf.jkt}`;
  if (cnf.jwk !== null && typeof cnf.jwk === 'object') {
    try {
      return `jwk (jkt ${await jwkThumbprint(cnf.jwk as Extract<Confirmation, { jwk: unknown }>['jwk'])})`;
    } catch {
      return 'jwk (not a usable public key)';
    }
  }
  if (typeof cnf['x5t#S256'] === 'string') return `x5t#S256 ${cnf['x5t#S256']}`;
  return '(unrecognised)';
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? '?';
}

export interface CertificateSummary {
  subject: string;
  sans: string[];
}

export async function renderLinkTree(
  links: readonly DecodedLink[],
  describeCertificates: (der: Uint8Array[]) => CertificateSummary[] = () => [],
): Promise<string> {
  const lines: string[] = [];
  for (const [position, link] of links.entries()) {
    const last = position === links.length - 1;
    const branch = last ? '└─' : '├─';
    const pad = last ? '   ' : '│  ';
    const c = link.claims;
    const mayAct = (c.may_act ?? {}) as { sub?: unknown; cnf?: unknown };
    lines.push(`${branch} [${link.index}] ${text(c.iss)} → ${text(mayAct.sub)}`);
    lines.push(`${pad}   header     alg ${link.header.alg}, typ ${link.header.typ ?? '(none)'}${link.header.kid ? `, kid ${link.header.kid}` : ''}`);
    lines.push(`${pad}   subject    ${text(c.sub)}`);
    lines.push(`${pad}   audience   ${text(c.aud)}`);
    lines.push(`${pad}   tmb        ${await describeConfirmation(c.tmb)}`);
    lines.push(`${pad}   delegate   ${await describeConfirmation(mayAct.cnf)}`);
    lines.push(`${pad}   scope      ${text(c.scope)}`);
    lines.push(`${pad}   depth      ${text(c.depth)} further link(s) allowed`);
    const start = c.nbf ?? c.iat;
    lines.push(`${pad}   valid      ${isoTime(start)} → ${isoTime(c.exp)}  (iat ${isoTime(c.iat)})`);
    lines.push(`${pad}   jti        ${text(c.jti)}`);
    if (c.prev !== undefined) lines.push(`${pad}   prev       ${text(c.prev)}`);
    if (link.header.x5c !== undefined) {
      const certificates = describeCertificates(link.header.x5c);
      lines.push(`${pad}   x5c        ${link.header.x5c.length} certificate(s)`);
      for (const certificate of certificates) {
        lines.push(`${pad}              ${certificate.subject || '(empty subject)'}${certificate.sans.length ? `  SAN ${certificate.sans.join(', ')}` : ''}`);
      }
    }
  }
  return lines.join('\n');
}
