/**
 * Pattern 4, cross trust domain: work in domain A needs a token from domain B's authorization
 * server, bound to a key in domain A. B's AS is configured with domain A's token service as an
 * issuer root: A vouches for its own workloads' keys, A's federation client redeems at B, and A's
 * workload presents the token at B's resource server. README.md beside this file.
 */
import { startChain, type Chain } from '../../../lib/index.js';
import { chainTree, delegateTo, holderOf, party, signer, startWorld, Story, tokenOf, tokenSummary, type Party, type PatternRunOptions, type PatternStep, type World } from '../support.js';

export const DOMAIN_A_STS = 'https://sts.a.example';
export const DOMAIN_B_STS = 'https://sts.b.example';
export const DOMAIN_C_STS = 'https://sts.c.example';
export const WORKLOAD = 'spiffe://a.example/reports';

export interface CrossDomainScene {
  /** Domain B's AS and resource server. */
  world: World;
  /** Domain A's token service: the issuer root B's AS trusts for domain A. */
  stsA: Party;
  /** Domain B's own token service (an issuer root for B's workloads). */
  stsB: Party;
  /** A third domain's token service, which B's AS does not trust. */
  stsC: Party;
  /** The key of A's workload: the token is bound to it. */
  workload: Party;
  /** Domain A's client at B's AS, which redeems on behalf of A's workloads. */
  federation: Party;
  /** A link 0 from a token service, for A's workload, authorising A's federation client. */
  link(options?: { from?: Party; iss?: string; aud?: string; sub?: string }): Promise<Chain>;
}

export async function setup(): Promise<CrossDomainScene> {
  const [stsA, stsB, stsC, workload, federation] = await Promise.all([
    party(DOMAIN_A_STS, 'EdDSA'), party(DOMAIN_B_STS, 'EdDSA'), party(DOMAIN_C_STS, 'EdDSA'), party(WORKLOAD), party('a.example-federation'),
  ]);
  const world = await startWorld({
    trust: {
      roots: [
        // Domain A's token service, by its published key: it may vouch for domain A's subjects only.
        { type: 'issuer', iss: DOMAIN_A_STS, jwks: { keys: [stsA.publicJwk] }, subjects: { prefixes: ['spiffe://a.example/'] } },
        { type: 'issuer', iss: DOMAIN_B_STS, jwks: { keys: [stsB.publicJwk] } },
      ],
    },
    clients: [federation],
    resourceScope: 'reports:read reports:write',
  });
  const link = (options: { from?: Party; iss?: string; aud?: string; sub?: string } = {}): Promise<Chain> => {
    const from = options.from ?? stsA;
    return startChain(
      { iss: options.iss ?? from.id, sub: options.sub ?? WORKLOAD, aud: options.aud ?? world.as.issuer, scope: 'reports:read', tmb: { jwk: workload.publicJwk }, delegate: delegateTo(federation), depth: 0, expiresIn: 300 },
      signer(from),
    );
  };
  return { world, stsA, stsB, stsC, workload, federation, link };
}

export async function run(options: PatternRunOptions = {}): Promise<PatternStep[]> {
  const story = new Story(options);
  story.say('Pattern: cross trust domain — B\'s AS binds a token to a key in domain A, on the word of A\'s token service');
  const scene = await setup();
  const { world, workload, federation } = scene;
  try {
    story.say(`B's AS ${world.as.issuer} trusts issuer roots ${DOMAIN_A_STS} (domain A) and ${DOMAIN_B_STS} (its own); B's RS ${world.rs.url}`);
    const chain = await scene.link();
    story.say('\nDomain A\'s token service authorises A\'s federation client to obtain, from B, a token bound to A\'s workload key');
    story.say(chainTree(chain));

    story.say('\n1. A\'s federation client redeems at B\'s AS (private_key_jwt); A\'s workload presents the token at B\'s RS');
    const issued = await world.redeem(federation, { chain });
    const token = tokenOf(issued);
    story.issued('B\'s AS issues a token for A\'s workload, bound to its key', issued, tokenSummary(token));
    story.served('A\'s workload presents it with a DPoP proof of its key', await world.present(token, holderOf(workload)));

    story.say('\n2. What B\'s AS refuses');
    story.refused('a link from domain C, whose token service B does not trust', await world.redeem(federation, { chain: await scene.link({ from: scene.stsC }) }), 'invalid_grant', 'untrusted_root');
    story.refused('domain A speaking as domain B (iss B\'s token service, signed with A\'s key)', await world.redeem(federation, { chain: await scene.link({ iss: DOMAIN_B_STS }) }), 'invalid_grant', 'link_signature_invalid');
    story.refused('domain A vouches for a subject of domain B', await world.redeem(federation, { chain: await scene.link({ sub: 'spiffe://b.example/admin' }) }), 'invalid_grant', 'subject_mismatch');
    story.refused('a link A wrote for its own AS, replayed at B', await world.redeem(federation, { chain: await scene.link({ aud: 'https://as.a.example' }) }), 'invalid_grant', 'audience_mismatch');
    story.refused('the federation client asks for a token bound to its own key instead', await world.redeem(federation, { chain: await scene.link(), tmb: { jwk: federation.publicJwk } }), 'invalid_grant', 'tmb_mismatch');
    story.refused('the federation client redeems the same link twice', await world.redeem(federation, { chain }), 'invalid_grant', 'replayed');
    story.denied('the federation client, which got the token, presents it itself', await world.present(token, holderOf(federation)), 'invalid_dpop_proof');
  } finally {
    await world.close();
  }
  return story.steps;
}
