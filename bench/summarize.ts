/**
 * Markdown summary of one or more result files (bench/results/*.json), for BENCHMARKS.md: one
 * column per run, so run-to-run noise is visible next to the figures.
 *
 *   node dist/bench/summarize.js run1.json run2.json > summary.md
 */
import { readFileSync } from 'node:fs';
import type { Stats } from './harness.js';
import type { Row } from './report.js';
import { fmt } from './report.js';

interface RunFile {
  date: string;
  commit: string;
  machine: { nproc: number; cpu: string; node: string };
  load: { oneMinuteDuringRun: Stats; atStart: number[]; atEnd: number[] };
  rows: Row[];
  targets: { target: string; met: boolean; detail: string }[];
}

const files = process.argv.slice(2);
if (files.length === 0) throw new Error('usage: summarize <result.json>...');
const runs = files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as RunFile);
const first = runs[0] as RunFile;
const key = (row: Row): string => `${row.group}|${row.alg ?? ''}|${row.case}`;
const cell = (row: Row | undefined, pick: (row: Row) => string): string => (row === undefined ? '–' : pick(row));
const ratio = (stats: Stats | undefined): string => (stats === undefined ? '' : stats.median.toFixed(3));

const loads = (run: RunFile): string => `1-min load average: ${run.load.atStart[0]?.toFixed(2)} at start, median ${run.load.oneMinuteDuringRun.median.toFixed(2)} during, ${run.load.atEnd[0]?.toFixed(2)} at end`;
console.log(`Runs: ${runs.map((run, i) => `#${i + 1} ${run.date} (${loads(run)})`).join('; ')}\n`);
for (const group of [...new Set(first.rows.map((row) => row.group))]) {
  console.log(`\n#### ${group}\n`);
  const header = runs.map((_, i) => `#${i + 1} wall µs | #${i + 1} ratio wall | #${i + 1} ratio CPU`).join(' | ');
  console.log(`| case | alg | N | ${header} | code |`);
  console.log(`|---|---|---|${runs.map(() => '---|---|---').join('|')}|---|`);
  for (const row of first.rows.filter((r) => r.group === group)) {
    const cells = runs.map((run) => {
      const match = run.rows.find((other) => key(other) === key(row));
      return [cell(match, (m) => fmt(m.us.median)), cell(match, (m) => ratio(m.ratio)), cell(match, (m) => ratio(m.cpuRatio))].join(' | ');
    });
    console.log(`| ${row.case} | ${row.alg ?? ''} | ${row.n ?? ''} | ${cells.join(' | ')} | ${row.code ?? ''} |`);
  }
}
console.log('\n#### targets\n');
for (const [i, run] of runs.entries()) {
  console.log(`Run #${i + 1}:\n`);
  for (const check of run.targets) console.log(`- ${check.target.includes('(information') ? 'INFO' : check.met ? 'MET' : 'MISSED'}: ${check.target} — ${check.detail}`);
  console.log('');
}
