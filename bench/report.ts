/**
 * Result rows and the markdown tables printed at the end of a run.
 */
import type { GroupResult, Stats, Task } from './harness.js';

export interface Row {
  group: string;
  case: string;
  alg?: string;
  n?: number;
  /** Wall-clock µs per operation (median over rounds). */
  us: Stats;
  /** Process CPU µs per operation (median over rounds). */
  cpu: Stats;
  /** Ratio to the group's baseline, wall clock (median of per-round ratios). */
  ratio?: Stats;
  /** Ratio to the group's baseline, CPU time. */
  cpuRatio?: Stats;
  baseline?: string;
  /** CWT verify rows: CPU ratio to the raw node:crypto.verify of its own Sig_structures, paired per round. */
  cpuRatioToOwnRaw?: Stats;
  /** CWT verify rows: CPU ratio to the JWT verify of the same N in the same rounds. */
  cpuRatioToJwt?: Stats;
  /** Peer rows: CPU ratio of this project's verify to the peer's, paired per round. */
  cpuRatioOursToPeer?: Stats;
  /** For rejection cases: the error code the input was rejected with. */
  code?: string;
}

/** What the group modules need from the runner. */
export interface BenchIO {
  group: (tasks: Task[]) => Promise<GroupResult>;
  rows: Row[];
  progress: (line: string) => void;
}

/** The measured fields of task k of a group (k = 0 is the baseline: no ratio). */
export function measured(result: GroupResult, k: number): Pick<Row, 'us' | 'cpu' | 'ratio' | 'cpuRatio'> {
  const base = { us: result.tasks[k] as Stats, cpu: result.cpu[k] as Stats };
  return k === 0 ? base : { ...base, ratio: result.ratios[k] as Stats, cpuRatio: result.cpuRatios[k] as Stats };
}

export function fmt(us: number): string {
  return us >= 100 ? us.toFixed(0) : us >= 10 ? us.toFixed(1) : us.toFixed(2);
}

function ratioText(ratio: Stats | undefined): string {
  if (ratio === undefined) return '';
  return `${ratio.median.toFixed(3)} [${ratio.p25.toFixed(2)}–${ratio.p75.toFixed(2)}]`;
}

function otherRatios(row: Row): string {
  const parts: string[] = [];
  if (row.code !== undefined) parts.push(row.code);
  if (row.cpuRatioToOwnRaw !== undefined) parts.push(`vs own raw ${ratioText(row.cpuRatioToOwnRaw)}`);
  if (row.cpuRatioToJwt !== undefined) parts.push(`vs JWT ${ratioText(row.cpuRatioToJwt)}`);
  if (row.cpuRatioOursToPeer !== undefined) parts.push(`ours / this ${ratioText(row.cpuRatioOursToPeer)}`);
  return parts.join('; ');
}

/** Per-link cost only where it means something (verification of an N-link chain). */
const PER_LINK_GROUPS = new Set(['verify', 'cwt', 'x5c']);

export function printTables(rows: readonly Row[]): void {
  for (const name of [...new Set(rows.map((row) => row.group))]) {
    console.log(`\n### ${name}\n`);
    console.log('| case | alg | N | wall µs/op | IQR | ratio wall [p25–p75] | CPU µs/op | ratio CPU [p25–p75] | per link µs (wall) | code / other ratios (CPU) |');
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    for (const row of rows.filter((r) => r.group === name)) {
      const perLink = row.n !== undefined && PER_LINK_GROUPS.has(name) ? fmt(row.us.median / row.n) : '';
      console.log(
        `| ${row.case} | ${row.alg ?? ''} | ${row.n ?? ''} | ${fmt(row.us.median)} | ${(row.us.spread * 100).toFixed(0)}% | ${ratioText(row.ratio)} | ${fmt(row.cpu.median)} | ${ratioText(row.cpuRatio)} | ${perLink} | ${otherRatios(row)} |`,
      );
    }
  }
}
