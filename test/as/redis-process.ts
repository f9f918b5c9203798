/**
 * A redis-server this test process owns (not the shared one of .ci/redis.sh): started on its own
 * loopback port, killed with SIGKILL, restarted with its data or empty. Needs `redis-server` on
 * PATH (.ci/redis.sh installs it); outside CI a missing binary skips, in CI it fails.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export const RESTART_PORT = Number(process.env.TPROOF_REDIS_RESTART_PORT ?? 6391);

export function redisServerAvailable(): boolean {
  const found = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!found && process.env.CI) throw new Error('redis-server is required in CI (run .ci/redis.sh)');
  return found;
}

export interface RedisProcessOptions {
  /** appendonly yes (with appendfsync always) when true. */
  aof: boolean;
  /** Loopback port. Default RESTART_PORT. */
  port?: number;
  /** More redis-server arguments (`--replicaof`, `--cluster-enabled`, ...). */
  args?: string[];
}

export class RedisProcess {
  #child: ChildProcess | undefined;
  #dir: string;
  readonly port: number;
  readonly url: string;

  constructor(private options: RedisProcessOptions) {
    this.#dir = mkdtempSync(join(tmpdir(), 'tproof-redis-restart-'));
    this.port = options.port ?? RESTART_PORT;
    this.url = `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn('redis-server', [
      '--bind', '127.0.0.1', '--port', String(this.port), '--protected-mode', 'yes', '--save', '', '--daemonize', 'no',
      '--appendonly', this.options.aof ? 'yes' : 'no', '--appendfsync', 'always', '--dir', this.#dir, ...(this.options.args ?? []),
    ], { stdio: 'ignore' });
    this.#child = child;
    await waitForPing(this.url, child, this.port);
  }

  /** SIGSTOP / SIGCONT: the server keeps its connections open and answers nothing while stopped. */
  pause(): void {
    this.#child?.kill('SIGSTOP');
  }

  resume(): void {
    this.#child?.kill('SIGCONT');
  }

  /** kill -9: no shutdown, no final save. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.#child = undefined;
  }

  /** Forget every file the server wrote: the next start is empty. */
  wipe(): void {
    rmSync(this.#dir, { recursive: true, force: true });
    this.#dir = mkdtempSync(join(tmpdir(), 'tproof-redis-restart-'));
  }

  async stop(): Promise<void> {
    this.resume();
    await this.kill();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

async function waitForPing(url: string, child: ChildProcess, port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}); is port ${port} taken?`);
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
    client.on('error', () => {});
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') return;
    } catch {
      // not yet
    } finally {
      client.disconnect();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`redis-server did not answer on port ${port}`);
}
