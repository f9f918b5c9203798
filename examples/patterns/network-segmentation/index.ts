/**
 * Pattern 5, network segmentation: a constrained device on an isolated segment cannot reach the
 * AS. It signs, ahead of time, a compact CBOR link (COSE_Sign1/CWT) as a key-holder root,
 * authorising its gateway; the gateway redeems the chain; the device presents the token later,
 * through the gateway's forwarding, with a DPoP proof of its own key. README.md beside this file.
 */
import { serializeChain, startChain, type Chain } from '../../../lib/index.js';
import { chainTree, holderOf, party, signer, startWorld, Story, tokenOf, tokenSummary, type Party, type PatternRunOptions, type PatternStep, type World } from '../support.js';
import { coseCodec } from '../../../lib/codecs/cose/index.js';

export const DEVICE = 'urn:dev:ops:acme-sensor-17';
export const SCOPE = 'telemetry:write';

export interface SegmentationScene {
  world: World;
  device: Party;
  /** A device that was never enrolled, claiming the enrolled device's identifier. */
  rogue: Party;
  gateway: Party;
  /** Another gateway, registered at the AS, to which the device delegated nothing. */
  otherGateway: Party;
  /** The device's link: holder root, tmb and may_act by thumbprint (compact), CBOR by default. */
  deviceLink(options?: { from?: Party; format?: 'cwt' | 'jwt' }): Promise<Chain>;
}

export async function setup(): Promise<SegmentationScene> {
  const [device, rogue, gateway, otherGateway] = await Promise.all([party(DEVICE), party(DEVICE), party('edge-gateway-3'), party('edge-gateway-4')]);
  const world = await startWorld({
    trust: {
      // The device was enrolled with its key: it may speak for itself (holder root bound to that key).
      roots: [{ type: 'holder', holders: [{ iss: DEVICE, jkt: device.jkt }] }],
      // tmb names the device key by thumbprint; the key itself is known from enrolment.
      delegateKeys: { keys: [device.publicJwk] },
    },
    clients: [gateway, otherGateway],
    resourceScope: SCOPE,
  });
  const deviceLink = (options: { from?: Party; format?: 'cwt' | 'jwt' } = {}): Promise<Chain> => {
    const from = options.from ?? device;
    return startChain(
      // The last delegate's key by thumbprint only: enough to match the gateway's authentication.
      { iss: DEVICE, sub: DEVICE, aud: world.as.issuer, scope: SCOPE, tmb: { jkt: from.jkt }, delegate: { sub: gateway.id, cnf: { jkt: gateway.jkt } }, depth: 0, expiresIn: 3600 },
      signer(from),
      { format: options.format ?? 'cwt', codecs: [coseCodec] },
    );
  };
  return { world, device, rogue, gateway, otherGateway, deviceLink };
}

/** The same chain with one scope token changed in the signed payload (same length, so the CBOR stays well-formed). */
export function tamperScope(chain: Chain, replacement: string): Chain {
  const link = chain.links[0] as Uint8Array;
  const from = new TextEncoder().encode(SCOPE);
  const to = new TextEncoder().encode(replacement);
  if (to.length !== from.length) throw new Error('the replacement must have the same length');
  const at = Buffer.from(link).indexOf(Buffer.from(from));
  if (at < 0) throw new Error('scope not found in the link');
  const tampered = new Uint8Array(link);
  tampered.set(to, at);
  return { format: chain.format, links: [tampered] };
}

export async function run(options: PatternRunOptions = {}): Promise<PatternStep[]> {
  const story = new Story(options);
  story.say('Pattern: network segmentation — a constrained device mints a CBOR link offline; its gateway redeems; the device presents');
  const scene = await setup();
  const { world, device, gateway } = scene;
  try {
    story.say(`AS ${world.as.issuer} knows the device ${DEVICE} by its enrolled key (holder root); RS ${world.rs.url}`);
    const chain = await scene.deviceLink();
    const asJwt = await scene.deviceLink({ format: 'jwt' });
    story.say(`\nThe device signs, offline, a COSE_Sign1 link: ${chain.links[0]?.length} bytes (the same link as JWT: ${asJwt.links[0]?.length} bytes)`);
    story.say(chainTree(chain));
    story.say(`    chain as sent by the gateway: ${serializeChain(chain, { codecs: [coseCodec] }).slice(0, 48)}…`);

    story.say('\n1. The gateway redeems the device\'s chain (private_key_jwt); the device presents the token with DPoP');
    const issued = await world.redeem(gateway, { chain });
    const token = tokenOf(issued);
    story.issued('the AS issues a token for the device, bound to the device\'s key', issued, tokenSummary(token));
    story.served('the device presents it with a DPoP proof of its key', await world.present(token, holderOf(device)));

    story.say('\n2. What a gateway (or an attacker on the segment) would try');
    story.denied('the gateway uses the device\'s token itself', await world.present(token, holderOf(gateway)), 'invalid_dpop_proof');
    story.refused('the gateway widens the device\'s scope in the CBOR payload', await world.redeem(gateway, { chain: tamperScope(await scene.deviceLink(), 'telemetry:admin') }), 'invalid_grant', 'link_signature_invalid');
    story.refused('a rogue device claims the enrolled device\'s identifier with its own key', await world.redeem(gateway, { chain: await scene.deviceLink({ from: scene.rogue }) }), 'invalid_grant', 'untrusted_root');
    story.refused('another gateway redeems a chain it intercepted', await world.redeem(scene.otherGateway, { chain: await scene.deviceLink() }), 'invalid_grant', 'requester_mismatch');
    story.refused('the gateway redeems the same chain again', await world.redeem(gateway, { chain }), 'invalid_grant', 'replayed');
  } finally {
    await world.close();
  }
  return story.steps;
}
