/**
 * Peers at equal depth, Ed25519: a chain of N signed links, each verified from its serialized form,
 * with the authorization logic each system applies to a delegation chain, against this project's
 * EdDSA JWT verify of an N-link chain and N raw node:crypto.verify calls, all in the same rounds.
 *
 * - Biscuit (`@biscuit-auth/biscuit-wasm`, the Rust implementation compiled to wasm): an authority
 *   block granting a right with a time check, then N - 1 attenuation blocks each adding a check
 *   (one signature per block); verified by `Biscuit.fromBase64` (every block signature) and an
 *   authorizer with facts and an allow policy. Its run limit is raised from the default 1 ms, which
 *   a loaded 2-core machine exceeds (the limit bounds Datalog evaluation, not the work done).
 * - ucanto (`@ucanto/validator` with `@ucanto/core` and `@ucanto/principal`): N delegations, each
 *   carrying the previous one as proof, archived to a CAR; verified by `Delegation.extract` and
 *   `access` of the last delegation against the root authority.
 * - UCAN (`@ucans/ucans` 0.12): N UCANs (JWTs), each embedding the previous as proof; verified by
 *   `ucans.verify` with the required capability and root issuer.
 *
 * Each peer is loaded dynamically: if it cannot load or run here, the reason is recorded instead.
 */
import { serializeChain } from '../lib/chain.js';
import type { ChainVerifier } from '../lib/verify.js';
import { rawVerify, splitJws } from './baseline.js';
import { contextFor, mintChain, verifierKeyOf, type BenchWorld } from './chains.js';
import { pairedRatio, type Stats, type Task } from './harness.js';
import { measured, type BenchIO } from './report.js';

interface Peer {
  name: 'biscuit' | 'ucanto' | 'ucans';
  label: string;
  /** A task that verifies an N-link chain of this peer, built beforehand; it throws unless the chain is accepted. */
  prepare(n: number): Promise<Task>;
}

async function biscuitPeer(): Promise<Peer> {
  const biscuit = await import('@biscuit-auth/biscuit-wasm');
  const limits = { max_facts: 1000, max_iterations: 100, max_time_micro: 1_000_000 };
  return {
    name: 'biscuit',
    label: 'biscuit-wasm: Biscuit.fromBase64 + authorize',
    async prepare(n) {
      const root = new biscuit.KeyPair();
      const builder = biscuit.Biscuit.builder();
      builder.addCode('right("file1", "read"); check if time($t), $t < 2100-01-01T00:00:00Z;');
      let token = builder.build(root.getPrivateKey());
      for (let i = 1; i < n; i++) {
        const block = biscuit.Biscuit.block_builder();
        block.addCode('check if operation("read"), time($t), $t < 2100-01-01T00:00:00Z;');
        token = token.appendBlock(block);
      }
      const text = token.toBase64();
      const publicKey = root.getPublicKey();
      const task: Task = async () => {
        const parsed = biscuit.Biscuit.fromBase64(text, publicKey);
        const authorizer = new biscuit.Authorizer();
        try {
          authorizer.addToken(parsed);
          authorizer.addCode('time(2030-03-01T12:00:00Z); operation("read"); resource("file1"); allow if right($r, $op), resource($r), operation($op);');
          if (authorizer.authorizeWithLimits(limits) !== 0) throw new Error('biscuit: not authorized');
        } finally {
          authorizer.free();
          parsed.free();
        }
      };
      await task();
      return task;
    },
  };
}

async function ucantoPeer(): Promise<Peer> {
  const { access, capability, DID } = await import('@ucanto/validator');
  const { Verifier, ed25519 } = await import('@ucanto/principal');
  const { delegate, Delegation } = await import('@ucanto/core');
  const storeAdd = capability({ can: 'store/add', with: DID });
  return {
    name: 'ucanto',
    label: '@ucanto/validator: Delegation.extract + access',
    async prepare(n) {
      const signers = [];
      for (let i = 0; i <= n; i++) signers.push(await ed25519.generate());
      const root = signers[0] as (typeof signers)[number];
      let last: Awaited<ReturnType<typeof delegate>> | undefined;
      for (let i = 0; i < n; i++) {
        last = await delegate({
          issuer: signers[i] as (typeof signers)[number],
          audience: signers[i + 1] as (typeof signers)[number],
          capabilities: [{ with: root.did(), can: 'store/add' }],
          proofs: last === undefined ? [] : [last],
          expiration: Math.floor(Date.now() / 1000) + 24 * 3600,
        });
      }
      const archive = await (last as NonNullable<typeof last>).archive();
      if (archive.error) throw archive.error;
      const bytes = archive.ok;
      const task: Task = async () => {
        const extracted = await Delegation.extract(bytes);
        if (extracted.error) throw extracted.error;
        const result = await access(extracted.ok as never, { capability: storeAdd, authority: root, principal: Verifier, validateAuthorization: () => ({ ok: {} }) });
        if (result.error) throw new Error(`ucanto: ${result.error.message}`);
      };
      await task();
      return task;
    },
  };
}

async function ucansPeer(): Promise<Peer> {
  const ucans = await import('@ucans/ucans');
  const capability = { with: { scheme: 'mailto', hierPart: 'alice@example.com' }, can: { namespace: 'msg', segments: ['SEND'] } };
  return {
    name: 'ucans',
    label: '@ucans/ucans: verify',
    async prepare(n) {
      const keys = [];
      for (let i = 0; i <= n; i++) keys.push(await ucans.EdKeypair.create());
      let encoded: string | undefined;
      for (let i = 0; i < n; i++) {
        const ucan = await ucans.build({
          issuer: keys[i] as (typeof keys)[number],
          audience: (keys[i + 1] as (typeof keys)[number]).did(),
          capabilities: [capability],
          lifetimeInSeconds: 24 * 3600,
          proofs: encoded === undefined ? [] : [encoded],
        });
        encoded = ucans.encode(ucan);
      }
      const token = encoded as string;
      const options = { audience: (keys[n] as (typeof keys)[number]).did(), requiredCapabilities: [{ capability, rootIssuer: (keys[0] as (typeof keys)[number]).did() }] };
      const task: Task = async () => {
        const result = await ucans.verify(token, options);
        if (!result.ok) throw new Error('ucans: not verified');
      };
      await task();
      return task;
    },
  };
}

const PEER_SIZES = [1, 3, 8, 32] as const;
/** @ucans/ucans re-validates nested proofs in pure-JS Ed25519: at N = 32 one op takes seconds. */
const UCANS_MAX_N = 8;

/** Returns notes (peers that could not be measured, and why). */
export async function peerGroups(world: BenchWorld, verifier: ChainVerifier, io: BenchIO): Promise<string[]> {
  const notes: string[] = [];
  const peers: Peer[] = [];
  for (const load of [biscuitPeer, ucantoPeer, ucansPeer]) {
    try {
      peers.push(await load());
    } catch (error) {
      notes.push(`peer ${load.name.replace('Peer', '')} not measured: it could not be loaded here (${(error as Error).message})`);
    }
  }
  for (const n of PEER_SIZES) {
    const chain = await mintChain(world, n);
    const text = serializeChain(chain);
    const context = contextFor(world, n);
    await verifier.verify(text, context);
    const keys = Array.from({ length: n }, (_, i) => verifierKeyOf(world, i));
    const tasks: Task[] = [rawVerify(splitJws(chain.links.map((link) => Buffer.from(link).toString('latin1'))), keys, 'EdDSA'), () => verifier.verify(text, context)];
    const measuredPeers: Peer[] = [];
    for (const peer of peers) {
      if (peer.name === 'ucans' && n > UCANS_MAX_N) {
        notes.push(`peer ucans not measured at N=${n}: one verification takes seconds here (already more than 10× behind at N = 8), which would dominate the run`);
        continue;
      }
      try {
        tasks.push(await peer.prepare(n));
        measuredPeers.push(peer);
      } catch (error) {
        notes.push(`peer ${peer.name} not measured at N=${n}: ${(error as Error).message}`);
      }
    }
    const result = await io.group(tasks);
    const base = 'raw node:crypto.verify × N';
    io.rows.push({ group: 'peers', case: `raw node:crypto.verify × ${n}`, alg: 'EdDSA', n, ...measured(result, 0) });
    io.rows.push({ group: 'peers', case: `this project: verify, ${n} JWT link(s)`, alg: 'EdDSA', n, ...measured(result, 1), baseline: base });
    measuredPeers.forEach((peer, k) => {
      io.rows.push({ group: 'peers', case: `${peer.name}: ${peer.label}`, alg: 'EdDSA', n, ...measured(result, k + 2), baseline: base, cpuRatioOursToPeer: pairedRatio(result, 1, k + 2, 'cpu') });
    });
    io.progress(`peers N=${n} (CPU / raw): ours ${(result.cpuRatios[1] as Stats).median.toFixed(2)}, ${measuredPeers.map((peer, k) => `${peer.name} ${(result.cpuRatios[k + 2] as Stats).median.toFixed(2)}`).join(', ')}`);
  }
  return notes;
}
