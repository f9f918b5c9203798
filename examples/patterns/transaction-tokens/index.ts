/**
 * Pattern 3, transaction tokens: the API gateway starts a transaction by signing link 0 for the
 * first internal service; the chain passes through three services, each narrowing scope and
 * shortening validity; the last one redeems it for a token bound to the key it will present with.
 * A fourth service that was never delegated gets nothing. README.md beside this file.
 */
import { appendLink, decodeChain, delegate, startChain, type Chain, type LinkClaims } from '../../../lib/index.js';
import { chainTree, delegateTo, party, signer, startWorld, Story, tokenOf, tokenSummary, holderOf, type Party, type PatternRunOptions, type PatternStep, type World } from '../support.js';

export const GATEWAY = 'https://gateway.shop.example';
export const USER = 'user:alice';
export const SCOPES = { gateway: 'orders:write payments:charge ledger:append', orders: 'payments:charge ledger:append', payments: 'ledger:append' } as const;

export interface TransactionScene {
  world: World;
  gateway: Party;
  orders: Party;
  payments: Party;
  ledger: Party;
  /** The key the ledger presents the token with: the gateway's route table names it as `tmb`. */
  ledgerDpop: Party;
  /** A service on the same mesh, registered at the AS, that no link delegates to. */
  analytics: Party;
  /** A fresh transaction: gateway → orders → payments → ledger. */
  transaction(): Promise<Chain>;
}

export async function setup(): Promise<TransactionScene> {
  const [gateway, orders, payments, ledger, ledgerDpop, analytics] = await Promise.all([
    party(GATEWAY, 'EdDSA'), party('svc-orders'), party('svc-payments'), party('svc-ledger'), party('svc-ledger#dpop'), party('svc-analytics'),
  ]);
  const world = await startWorld({
    // The gateway is the one issuer the AS trusts to start transactions; the services are clients.
    trust: { roots: [{ type: 'issuer', iss: GATEWAY, jwks: { keys: [gateway.publicJwk] } }] },
    clients: [orders, payments, ledger, analytics],
    resourceScope: SCOPES.gateway,
  });
  const transaction = async (): Promise<Chain> => {
    const start = await startChain(
      { iss: GATEWAY, sub: USER, aud: world.as.issuer, scope: SCOPES.gateway, tmb: { jwk: ledgerDpop.publicJwk }, delegate: delegateTo(orders), depth: 2, expiresIn: 120 },
      signer(gateway),
    );
    const toPayments = await delegate(start, { delegate: delegateTo(payments), scope: SCOPES.orders, expiresIn: 90 }, signer(orders));
    return delegate(toPayments, { delegate: delegateTo(ledger), scope: SCOPES.payments, expiresIn: 60 }, signer(payments));
  };
  return { world, gateway, orders, payments, ledger, ledgerDpop, analytics, transaction };
}

/** A link the signer mints with fully chosen claims (delegate() refuses to widen anything). */
export async function forgedNextLink(chain: Chain, signedBy: Party, to: Party, changes: Partial<Pick<LinkClaims, 'scope' | 'exp' | 'depth'>>): Promise<Chain> {
  const links = decodeChain(chain);
  const parent = links[links.length - 1]?.claims as unknown as LinkClaims;
  return appendLink(chain, {
    iss: signedBy.id, sub: parent.sub, aud: parent.aud, scope: changes.scope ?? parent.scope, tmb: parent.tmb,
    delegate: delegateTo(to), depth: changes.depth ?? 0, iat: parent.iat, exp: changes.exp ?? parent.exp,
  }, signer(signedBy));
}

export async function run(options: PatternRunOptions = {}): Promise<PatternStep[]> {
  const story = new Story(options);
  story.say('Pattern: transaction tokens — a gateway-started chain through three services, the last one redeems');
  const scene = await setup();
  const { world, orders, payments, ledger, ledgerDpop, analytics } = scene;
  try {
    story.say(`AS ${world.as.issuer} trusts one issuer root, the gateway ${GATEWAY}; RS ${world.rs.url}`);
    const chain = await scene.transaction();
    story.say('\nThe transaction: each hop narrows scope and shortens validity');
    story.say(chainTree(chain));

    story.say('\n1. The ledger (last delegate) redeems with private_key_jwt; the token is bound to its DPoP key');
    const issued = await world.redeem(ledger, { chain });
    const token = tokenOf(issued);
    story.issued('the AS issues a token for user:alice with the whole actor chain', issued, tokenSummary(token));
    story.served('the ledger presents it with a DPoP proof of the bound key', await world.present(token, holderOf(ledgerDpop)));

    story.say('\n2. A fourth service, analytics, was not delegated');
    story.refused('analytics redeems the chain it copied from a log', await world.redeem(analytics, { chain: await scene.transaction() }), 'invalid_grant', 'requester_mismatch');
    story.refused('analytics appends its own link after the ledger\'s, signed with its key', await world.redeem(analytics, { chain: await forgedNextLink(await scene.transaction(), analytics, analytics, {}) }), 'invalid_grant', 'link_signature_invalid');
    story.refused('the ledger delegates onward to analytics: its link allows no further hop', await world.redeem(analytics, { chain: await forgedNextLink(await scene.transaction(), ledger, analytics, {}) }), 'invalid_grant', 'depth_exceeded');
    story.denied('analytics presents the ledger\'s token with its own DPoP key', await world.present(token, holderOf(analytics)), 'invalid_dpop_proof');

    story.say('\n3. Services on the path cannot pass on more than they received');
    const toPayments = await delegate(await startChain(
      { iss: GATEWAY, sub: USER, aud: world.as.issuer, scope: SCOPES.gateway, tmb: { jwk: ledgerDpop.publicJwk }, delegate: delegateTo(orders), depth: 2, expiresIn: 120 },
      signer(scene.gateway),
    ), { delegate: delegateTo(payments), scope: SCOPES.orders, expiresIn: 90 }, signer(orders));
    story.refused('payments grants the ledger orders:write, which it never had', await world.redeem(ledger, { chain: await forgedNextLink(toPayments, payments, ledger, { scope: 'orders:write ledger:append' }) }), 'invalid_grant', 'scope_escalation');
    const parentExp = (decodeChain(toPayments)[1]?.claims as unknown as LinkClaims).exp;
    story.refused('payments lets the ledger\'s link outlive its own', await world.redeem(ledger, { chain: await forgedNextLink(toPayments, payments, ledger, { exp: parentExp + 300 }) }), 'invalid_grant', 'validity_escalation');
    story.refused('the ledger asks for a scope beyond its link', await world.redeem(ledger, { chain: await scene.transaction(), scope: 'payments:charge' }), 'invalid_scope', 'scope_exceeded');
    story.refused('the ledger redeems the same transaction twice', await world.redeem(ledger, { chain }), 'invalid_grant', 'replayed');
  } finally {
    await world.close();
  }
  return story.steps;
}
