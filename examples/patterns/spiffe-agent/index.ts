/**
 * Pattern 1, SPIFFE agent: the node agent holds an X.509-SVID under the trust domain's bundle. It
 * generates a key pair for a workload it attests, hands the private key to the workload (over the
 * Workload API), and signs link 0 with its SVID: "this workload's token may be bound to this key,
 * and I, the agent, will fetch it". The agent redeems; the workload presents. README.md beside this file.
 */
import { jwkThumbprint, startChain, type Chain, type TrustConfig } from '../../../lib/index.js';
import { createCertificateAuthority, createIntermediate, createLeaf, type IssuedCertificate } from '../../../lib/x509/issue.js';
import { chainTree, holderOf, party, startWorld, Story, tokenOf, tokenSummary, type Party, type PatternRunOptions, type PatternStep, type World } from '../support.js';

export const TRUST_DOMAIN = 'example.org';
export const AGENT_ID = 'spiffe://example.org/spire/agent/node-1';
export const WORKLOAD_ID = 'spiffe://example.org/node-1/billing';
/** A workload the agent on node-1 does not run. */
export const OTHER_NODE_WORKLOAD_ID = 'spiffe://example.org/node-2/payments';

export interface SpiffeScene {
  world: World;
  /** The trust bundle's root CA and the SPIRE server's intermediate (name-constrained to the trust domain). */
  bundle: IssuedCertificate;
  intermediate: IssuedCertificate;
  /** The agent's X.509-SVID. */
  agentSvid: IssuedCertificate;
  /** The agent as an OAuth client: its SVID key, registered for private_key_jwt. */
  agent: Party;
  /** The key the agent generated for the workload, now held by the workload. */
  workload: Party;
  /** Link 0 signed by an SVID (default: the agent's) for a workload (default: billing on node-1). */
  agentLink(options?: { svid?: IssuedCertificate; chainTo?: IssuedCertificate[]; sub?: string; iss?: string }): Promise<Chain>;
  /** A leaf SVID issued under the given CA (default: the SPIRE intermediate). */
  issueSvid(spiffeId: string, options?: { issuer?: IssuedCertificate; notAfter?: number }): Promise<IssuedCertificate>;
}

/**
 * The AS's trust configuration: the trust bundle as an x509 root, SPIFFE identities of the trust
 * domain, claimed for node-1's agent only (`issuers`), which may vouch only for node-1's workloads
 * (`subjects`): the agent's authority limited to its own workloads (SPEC-NOTES §5 root authority).
 */
export function spiffeTrust(bundle: IssuedCertificate): TrustConfig {
  return {
    roots: [{
      type: 'x509', anchors: [Buffer.from(bundle.certificate).toString('base64')], identity: { type: 'spiffe', trustDomain: TRUST_DOMAIN },
      issuers: { exact: [AGENT_ID] }, subjects: { prefixes: ['spiffe://example.org/node-1/'] },
    }],
  };
}

export async function setup(): Promise<SpiffeScene> {
  const now = Math.floor(Date.now() / 1000);
  const validity = { keyAlg: 'ES256' as const, notBefore: now - 60, notAfter: now + 3600 };
  const bundle = await createCertificateAuthority({ ...validity, subject: 'CN=example.org trust bundle', pathLength: 1 });
  const intermediate = await createIntermediate({ ...validity, subject: 'CN=SPIRE server', issuer: bundle, pathLength: 0, nameConstraints: { permitted: [{ uri: TRUST_DOMAIN }] } });
  const issueSvid = (spiffeId: string, options: { issuer?: IssuedCertificate; notAfter?: number } = {}): Promise<IssuedCertificate> =>
    createLeaf({ ...validity, ...(options.notAfter === undefined ? {} : { notBefore: options.notAfter - 3600, notAfter: options.notAfter }), issuer: options.issuer ?? intermediate, spiffeId });
  const agentSvid = await issueSvid(AGENT_ID);
  const agent: Party = { id: AGENT_ID, alg: 'ES256', privateJwk: agentSvid.privateJwk, publicJwk: agentSvid.publicJwk, jkt: await jwkThumbprint(agentSvid.publicJwk) };
  // The agent generates the workload's key pair and delivers the private key to the workload.
  const workload = await party(WORKLOAD_ID);
  const world = await startWorld({ trust: spiffeTrust(bundle), clients: [agent], resourceScope: 'invoices:read invoices:write' });
  const agentLink = (options: { svid?: IssuedCertificate; chainTo?: IssuedCertificate[]; sub?: string; iss?: string } = {}): Promise<Chain> => {
    const svid = options.svid ?? agentSvid;
    const x5c = [svid.certificate, ...(options.chainTo ?? [intermediate]).map((certificate) => certificate.certificate)];
    return startChain(
      // The agent is its own delegate: it redeems, authenticating with its SVID key.
      { iss: options.iss ?? AGENT_ID, sub: options.sub ?? WORKLOAD_ID, aud: world.as.issuer, scope: 'invoices:read', tmb: { jwk: workload.publicJwk }, delegate: { sub: agent.id, cnf: { jwk: agent.publicJwk } }, depth: 0, expiresIn: 300 },
      { privateKey: svid.privateJwk, alg: 'ES256', x5c },
    );
  };
  return { world, bundle, intermediate, agentSvid, agent, workload, agentLink, issueSvid };
}

export async function run(options: PatternRunOptions = {}): Promise<PatternStep[]> {
  const story = new Story(options);
  story.say('Pattern: SPIFFE agent — the node agent\'s X.509-SVID vouches for a key it generated for a workload');
  const scene = await setup();
  const { world, agent, workload } = scene;
  try {
    story.say(`AS ${world.as.issuer} trusts the ${TRUST_DOMAIN} trust bundle (x509 root, SPIFFE identities); RS ${world.rs.url}`);
    const chain = await scene.agentLink();
    story.say(`\nThe agent (${AGENT_ID}) signs link 0 with its SVID (x5c: SVID → SPIRE intermediate) for the workload ${WORKLOAD_ID}`);
    story.say(chainTree(chain));

    story.say('\n1. The agent redeems (private_key_jwt with its SVID key); the workload presents the token with its own key');
    const issued = await world.redeem(agent, { chain });
    const token = tokenOf(issued);
    story.issued('the AS issues a token for the workload, bound to the workload\'s key', issued, tokenSummary(token));
    story.served('the workload presents it with a DPoP proof of its key', await world.present(token, holderOf(workload)));

    story.say('\n2. What an attacker would try');
    story.denied('the agent, which holds the token but not the workload key, presents it', await world.present(token, holderOf(agent)), 'invalid_dpop_proof');
    const rogueCa = await createCertificateAuthority({ keyAlg: 'ES256', notBefore: Math.floor(Date.now() / 1000) - 60, notAfter: Math.floor(Date.now() / 1000) + 3600, subject: 'CN=rogue CA' });
    const rogue = await scene.issueSvid(AGENT_ID, { issuer: rogueCa });
    story.refused('the same SPIFFE ID on an SVID from a CA outside the bundle', await world.redeem(agent, { chain: await scene.agentLink({ svid: rogue, chainTo: [rogueCa] }) }), 'invalid_grant', 'x5c_untrusted');
    const foreign = await scene.issueSvid('spiffe://evil.example/spire/agent/node-1');
    story.refused('an SVID for another trust domain under the SPIRE intermediate', await world.redeem(agent, { chain: await scene.agentLink({ svid: foreign, iss: 'spiffe://evil.example/spire/agent/node-1' }) }), 'invalid_grant', 'untrusted_root');
    const expired = await scene.issueSvid(AGENT_ID, { notAfter: Math.floor(Date.now() / 1000) - 600 });
    story.refused('an expired SVID', await world.redeem(agent, { chain: await scene.agentLink({ svid: expired }) }), 'invalid_grant', 'x5c_expired');
    story.refused('the agent signs as another agent (iss ≠ its SVID\'s SPIFFE ID)', await world.redeem(agent, { chain: await scene.agentLink({ iss: 'spiffe://example.org/spire/agent/node-2' }) }), 'invalid_grant', 'untrusted_root');
    story.refused('the agent redeems the same link twice', await world.redeem(agent, { chain }), 'invalid_grant', 'replayed');
    story.refused('the agent vouches for a workload of another node', await world.redeem(agent, { chain: await scene.agentLink({ sub: OTHER_NODE_WORKLOAD_ID }) }), 'invalid_grant', 'subject_mismatch');
  } finally {
    await world.close();
  }
  return story.steps;
}
