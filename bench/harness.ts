/**
 * A small paired-measurement harness on node:perf_hooks.
 *
 * Why not a sequential runner: the machine is shared, so load drifts over seconds. Tasks that are
 * compared (chain verification vs the bare signatures) are therefore run in the same rounds,
 * alternating, each round a batch of ~`batchMs`, and the ratio is the median of the per-round
 * ratios. A load spike then hits both sides of a round and mostly cancels out of the ratio.
 *
 * Garbage: when the process runs with --expose-gc (npm run bench does), a full collection runs
 * before every batch, outside the timed region, so that one task's garbage is not collected (and
 * charged) in another task's batch.
 */
import { performance } from 'node:perf_hooks';

export type Task = () => Promise<unknown>;

export interface Stats {
  /** Median, microseconds per operation. */
  median: number;
  min: number;
  p25: number;
  p75: number;
  /** (p75 − p25) / median: how noisy the rounds were. */
  spread: number;
  rounds: number;
}

export interface GroupOptions {
  /** Target duration of one batch of one task. */
  batchMs: number;
  /** Rounds per group (each round runs every task once, in rotated order). */
  rounds: number;
  /** Untimed warm-up per task before calibration. */
  warmupMs: number;
}

export interface GroupResult {
  /** Per task: wall-clock µs per op. */
  tasks: Stats[];
  /** Per task i: the per-round ratio task i / task 0, wall clock. */
  ratios: Stats[];
  /** Per task: process CPU µs per op (user + system, all threads, so the crypto thread pool counts). */
  cpu: Stats[];
  /** Per task i: the per-round ratio task i / task 0, CPU time. */
  cpuRatios: Stats[];
  iterations: number[];
  /** Raw per-round samples, samples[task][round], for other pairings (see pairedRatio). */
  samples: Sample[][];
}

export interface Sample {
  wall: number;
  cpu: number;
}

export function stats(values: readonly number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => {
    const position = (sorted.length - 1) * q;
    const low = Math.floor(position);
    const high = Math.ceil(position);
    return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (position - low);
  };
  const median = at(0.5);
  return { median, min: sorted[0] as number, p25: at(0.25), p75: at(0.75), spread: median === 0 ? 0 : (at(0.75) - at(0.25)) / median, rounds: sorted.length };
}

const collect = (globalThis as { gc?: () => void }).gc;

/** Whether batches start from a collected heap (node --expose-gc). */
export const gcBetweenBatches = collect !== undefined;

/** µs per op, wall clock and CPU. CPU time is what load from other processes disturbs least. */
async function batch(task: Task, iterations: number): Promise<Sample> {
  if (collect !== undefined) {
    collect();
    // Let V8's concurrent sweeping after the collection finish on its own threads before the clock
    // starts: process CPU time counts every thread, so it would be charged to this batch.
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await task();
  const wall = ((performance.now() - start) * 1000) / iterations;
  const cpu = process.cpuUsage(cpuStart);
  return { wall, cpu: (cpu.user + cpu.system) / iterations };
}

async function warmUp(task: Task, ms: number): Promise<void> {
  const until = performance.now() + ms;
  do await task();
  while (performance.now() < until);
}

/** Iterations such that one batch takes about `batchMs`. */
async function calibrate(task: Task, batchMs: number): Promise<number> {
  let iterations = 1;
  for (;;) {
    const perOpUs = (await batch(task, iterations)).wall;
    const totalMs = (perOpUs * iterations) / 1000;
    if (totalMs >= batchMs / 4 || iterations >= 1 << 20) {
      return Math.max(1, Math.round((batchMs * 1000) / perOpUs));
    }
    iterations *= 4;
  }
}

/** Measure tasks together; ratios are relative to tasks[0]. */
export async function measureGroup(tasks: readonly Task[], options: GroupOptions): Promise<GroupResult> {
  for (const task of tasks) await warmUp(task, options.warmupMs);
  const iterations: number[] = [];
  for (const task of tasks) iterations.push(await calibrate(task, options.batchMs));
  const samples: Sample[][] = tasks.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < tasks.length; k++) {
      const i = (k + round) % tasks.length; // rotate who goes first
      (samples[i] as Sample[]).push(await batch(tasks[i] as Task, iterations[i] as number));
    }
  }
  const base = samples[0] as Sample[];
  const ratios = (pick: (sample: Sample) => number) =>
    samples.map((series) => stats(series.map((sample, round) => pick(sample) / pick(base[round] as Sample))));
  return {
    tasks: samples.map((series) => stats(series.map((sample) => sample.wall))),
    ratios: ratios((sample) => sample.wall),
    cpu: samples.map((series) => stats(series.map((sample) => sample.cpu))),
    cpuRatios: ratios((sample) => sample.cpu),
    iterations,
    samples,
  };
}

/** Throws unless `task` rejects; returns the error's code (used to label rejection cases). */
export async function rejectionCode(task: Task): Promise<string> {
  try {
    await task();
  } catch (error) {
    return String((error as { code?: unknown }).code ?? (error as Error).name);
  }
  throw new Error('expected the task to reject');
}

/** A task that must reject; any resolution is a bench bug, not a result. */
export function expectReject(task: Task): Task {
  return async () => {
    let rejected = false;
    try {
      await task();
    } catch {
      rejected = true;
    }
    if (!rejected) throw new Error('expected rejection');
  };
}

/** Per-round ratio task a / task b of a group (both measured in the same rounds). */
export function pairedRatio(result: GroupResult, a: number, b: number, measure: 'wall' | 'cpu'): Stats {
  const numerator = result.samples[a] as Sample[];
  const denominator = result.samples[b] as Sample[];
  return stats(numerator.map((sample, round) => sample[measure] / (denominator[round] as Sample)[measure]));
}
