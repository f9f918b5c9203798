import { parseArgs } from 'node:util';
import { createVerifier, decodeChain, delegate, generateKeyPair, isTransitiveProofError, jwkThumbprint, serializeChain, startChain, appendLink, type Chain, type ChainVerifier, type KeyAlgorithmName, type LinkClaims, type LinkFormat, type PrivateJwk, type PublicJwk, type TrustConfig, type VerificationContext } from '../../lib/index.js';
import { createCertificateAuthority, createIntermediate, createLeaf } from '../../lib/x509/issue.js';
import { inspectChain } from '../../lib/inspect/index.js';
import { renderLinkTree } from '../render.js';
import { formatOption, UsageError } from '../io.js';
import { patternHelp, patternRequest, runPatternRequest } from './patterns.js';
import { ALL_PARTS, CODECS } from '../parts.js';

export const help = `tproof demo [--format jwt|cbor] [--as] [--pattern <name> | --list]

Run the deferred-binding story end to end with freshly generated keys: A (an authority over C's
key) authorises requester B to obtain a token bound to key-holder C's key; B delegates, attenuated,
to B2; the authorization server verifies the chain and prints the token's cnf, sub, act and scope;
then tampered chains (spliced link, widened scope, wrong requester) are rejected with their codes.
Exits non-zero if any step does not behave as described.

With --as the story runs against real servers on loopback: an oidc-provider authorization server
with this library's deferred-binding grant, and a resource server that checks DPoP: B obtains a
token bound to C's key, C calls the resource server, B (without C's key) is refused, and replayed,
spliced, expired and scope-widened chains get their OAuth errors. Needs the optional
oidc-provider dependency.

${patternHelp}`;

const AS = 'https://as.example';
const say = (line = ''): void => void process.stdout.write(`${line}\n`);
const indent = (text: string): string => text.split('\n').map((line) => `    ${line}`).join('\n');

interface Party {
  name: string;
  id: string;
  privateJwk: PrivateJwk;
  publicJwk: PublicJwk;
  alg: KeyAlgorithmName;
}

async function party(name: string, id: string, alg: KeyAlgorithmName): Promise<Party> {
  return { name, id, alg, ...(await generateKeyPair(alg)) };
}

export async function run(argv: string[]): Promise<number> {
  const patterns = patternRequest(argv);
  if (patterns !== undefined) return runPatternRequest(patterns, say);
  const { values } = parseArgs({ args: argv, options: { format: { type: 'string', default: 'jwt' }, as: { type: 'boolean', default: false } } });
  if (values.as) return runWithAuthorizationServer();
  const format = formatOption(values.format);
  let failures = 0;
  const expect = (ok: boolean, line: string): void => {
    say(`  ${ok ? '✔' : '✘ UNEXPECTED:'} ${line}`);
    if (!ok) failures++;
  };

  say(`transitive-proof demo: a token bound to a key the requester does not hold (${format === 'jwt' ? 'JWT' : 'CBOR/COSE'} links)`);
  say();
  say('Step 1  Generate keys');
  const A = await party('A', 'https://authority.example', 'EdDSA');
  const B = await party('B', 'client-b', 'ES256');
  const B2 = await party('B2', 'client-b2', 'EdDSA');
  const C = await party('C', 'urn:example:workload:c', 'EdDSA');
  for (const [p, role] of [[A, 'authority over C\'s key'], [B, 'requester'], [B2, 'B\'s delegate'], [C, 'key holder']] as const) {
    say(`  ${p.name.padEnd(2)} ${role.padEnd(24)} ${p.id.padEnd(28)} ${p.alg.padEnd(6)} jkt ${await jwkThumbprint(p.publicJwk)}`);
  }
  const tmb = { jkt: await jwkThumbprint(C.publicJwk) };

  say();
  say(`Step 2  A authorises B to request tokens from ${AS} bound to C's key (link 0)`);
  const rootInput = {
    iss: A.id, sub: C.id, aud: AS, scope: 'orders:read orders:write', tmb,
    delegate: { sub: B.id, cnf: { jwk: B.publicJwk } }, depth: 1, expiresIn: 600,
  };
  const signerOf = (p: Party) => ({ privateKey: p.privateJwk, alg: p.alg });
  const root = await startChain(rootInput, signerOf(A), { format, ...CODECS });
  say(indent(renderLinkTree((await inspectChain(root)).links)));

  say();
  say('Step 3  B delegates to B2, attenuated to orders:read, no further delegation (link 1)');
  const chain = await delegate(root, { delegate: { sub: B2.id, cnf: { jwk: B2.publicJwk } }, scope: 'orders:read', depth: 0 }, signerOf(B), CODECS);
  say(indent(renderLinkTree((await inspectChain(chain)).links.slice(1))));

  say();
  const trust: TrustConfig = {
    roots: [
      { type: 'issuer', iss: A.id, jwks: { keys: [A.publicJwk] } },
      { type: 'holder', holders: [{ iss: C.id, jkt: await jwkThumbprint(C.publicJwk) }] },
    ],
  };
  const verifier = await createVerifier(trust, ALL_PARTS);
  // The requester authenticated with its key (private_key_jwt): key-bound requesters are the default.
  const request: VerificationContext = { audience: AS, requester: { id: B2.id, jkt: await jwkThumbprint(B2.publicJwk) }, tmb, scope: 'orders:read' };
  const text = serializeChain(chain, CODECS);
  say(`Step 4  B2 asks the AS for a token: tmb=${JSON.stringify(tmb)}, tmb_proof=<${text.length} bytes>`);
  try {
    const result = await verifier.verify(text, request);
    expect(true, 'the AS accepts the chain; the token it issues carries:');
    say(`      cnf    ${JSON.stringify(result.cnf)}`);
    say(`      sub    ${result.sub}`);
    say(`      act    ${JSON.stringify(result.act)}`);
    say(`      scope  ${result.scope}`);
  } catch (error) {
    expect(false, `the AS rejected a valid chain: ${describe(error)}`);
  }

  say();
  say('Step 5  Key-holder root: C itself authorises B (deferred proof of possession made in advance)');
  const holderChain = await startChain({ ...rootInput, iss: C.id, tmb: { jwk: C.publicJwk }, depth: 0, scope: 'orders:read' }, signerOf(C), { format, ...CODECS });
  await expectValid(verifier, holderChain, { ...request, requester: { id: B.id, jkt: await jwkThumbprint(B.publicJwk) }, tmb: { jwk: C.publicJwk } }, expect);

  say();
  say('Step 6  Tampered chains are rejected');
  const otherRoot = await startChain({ ...rootInput, scope: 'orders:read', jti: 'another-grant' }, signerOf(A), { format, ...CODECS });
  const otherChain = await delegate(otherRoot, { delegate: { sub: B2.id, cnf: { jwk: B2.publicJwk } }, depth: 0 }, signerOf(B), CODECS);
  const spliced: Chain = { format, links: [root.links[0] as Uint8Array, otherChain.links[1] as Uint8Array] };
  await expectRejected(verifier, 'spliced link (B\'s link from another chain)', spliced, request, 'chain_broken', expect);

  const parent = decodeChain(root, CODECS)[0]?.claims as unknown as LinkClaims;
  const widened = await appendLink(root, {
    iss: B.id, sub: parent.sub, aud: AS, scope: 'orders:read orders:write admin', tmb,
    delegate: { sub: B2.id, cnf: { jwk: B2.publicJwk } }, depth: 0, iat: parent.iat, exp: parent.exp,
  }, signerOf(B), CODECS);
  await expectRejected(verifier, 'widened scope (B grants admin)', widened, { ...request, scope: 'admin' }, 'scope_escalation', expect);

  await expectRejected(verifier, 'wrong requester (B presents B2\'s chain)', chain, { ...request, requester: { id: B.id, jkt: await jwkThumbprint(B.publicJwk) } }, 'requester_mismatch', expect);

  say();
  say('Step 7  X.509: a SPIFFE workload certificate, under a configured anchor, signs link 0 (x5c)');
  await x509Story(format, C, B, tmb, request, expect);

  say();
  say(failures === 0 ? 'Demo complete: every step behaved as described.' : `Demo FAILED: ${failures} step(s) did not behave as described.`);
  say('The five deferred-binding patterns, end to end: tproof demo --list');
  return failures === 0 ? 0 : 1;
}

async function runWithAuthorizationServer(): Promise<number> {
  say('transitive-proof demo --as: deferred binding through a real OAuth server (oidc-provider) and a DPoP resource server, on loopback');
  say();
  let runAsDemo: typeof import('../../examples/demo.js').runAsDemo;
  try {
    ({ runAsDemo } = await import('../../examples/demo.js'));
  } catch (error) {
    throw new UsageError(`--as needs the optional dependency oidc-provider (npm install oidc-provider): ${(error as Error).message}`);
  }
  // The story ends with its own summary line; nothing to add here.
  const steps = await runAsDemo({ log: say });
  return steps.every((step) => step.ok) ? 0 : 1;
}

async function x509Story(format: LinkFormat, C: Party, B: Party, tmb: { jkt: string }, request: VerificationContext, expect: (ok: boolean, line: string) => void): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const validity = { keyAlg: 'ES256' as const, notBefore: now - 60, notAfter: now + 3600 };
  const ca = await createCertificateAuthority({ ...validity, subject: 'CN=demo root CA', pathLength: 1 });
  const intermediate = await createIntermediate({ ...validity, subject: 'CN=demo intermediate', issuer: ca, pathLength: 0, nameConstraints: { permitted: [{ uri: 'example.org' }] } });
  const agent = await createLeaf({ ...validity, issuer: intermediate, spiffeId: 'spiffe://example.org/agent' });
  say(`  anchor: ${ca.subject}; x5c: leaf spiffe://example.org/agent → ${intermediate.subject}`);
  const x509Trust: TrustConfig = {
    // The agent's certificate may vouch for C only: an x509 root speaks for nobody else by default.
    roots: [{ type: 'x509', anchors: [Buffer.from(ca.certificate).toString('base64')], identity: { type: 'spiffe', trustDomain: 'example.org' }, subjects: { exact: [C.id] } }],
  };
  const verifier = await createVerifier(x509Trust, ALL_PARTS);
  const input = {
    iss: 'spiffe://example.org/agent', sub: C.id, aud: AS, scope: 'orders:read', tmb,
    delegate: { sub: B.id, cnf: { jwk: B.publicJwk } }, depth: 0,
  };
  const chain = await startChain(input, { privateKey: agent.privateJwk, alg: 'ES256', x5c: [agent.certificate, intermediate.certificate] }, { format, ...CODECS });
  await expectValid(verifier, chain, { ...request, requester: { id: B.id, jkt: await jwkThumbprint(B.publicJwk) } }, expect);
  const rogueCa = await createCertificateAuthority({ ...validity, subject: 'CN=rogue CA' });
  const rogue = await createLeaf({ ...validity, issuer: rogueCa, spiffeId: 'spiffe://example.org/agent' });
  const unanchored = await startChain(input, { privateKey: rogue.privateJwk, alg: 'ES256', x5c: [rogue.certificate, rogueCa.certificate] }, { format, ...CODECS });
  await expectRejected(verifier, 'same SPIFFE ID under an unconfigured CA', unanchored, { ...request, requester: { id: B.id, jkt: await jwkThumbprint(B.publicJwk) } }, 'x5c_untrusted', expect);
}

async function expectValid(verifier: ChainVerifier, chain: Chain, context: VerificationContext, expect: (ok: boolean, line: string) => void): Promise<void> {
  try {
    const result = await verifier.verify(chain, context);
    expect(true, `accepted: cnf ${JSON.stringify(result.cnf).slice(0, 60)}…, sub ${result.sub}, act ${JSON.stringify(result.act)}`);
  } catch (error) {
    expect(false, `rejected a valid chain: ${describe(error)}`);
  }
}

async function expectRejected(verifier: ChainVerifier, label: string, chain: Chain, context: VerificationContext, code: string, expect: (ok: boolean, line: string) => void): Promise<void> {
  try {
    await verifier.verify(chain, context);
    expect(false, `${label}: accepted`);
  } catch (error) {
    const ok = isTransitiveProofError(error) && error.code === code;
    expect(ok, `${label.padEnd(46)} → ${describe(error)}`);
  }
}

function describe(error: unknown): string {
  if (!isTransitiveProofError(error)) return String(error);
  return `${error.code}${error.linkIndex === undefined ? '' : ` (link ${error.linkIndex})`} [OAuth ${error.oauthError}]`;
}
