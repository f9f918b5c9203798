/**
 * Summarize a V8 .cpuprofile: self time by function and by package / lib module.
 *
 *   node dist/bench/profile-summary.js <file.cpuprofile> [top]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: profile-summary <file.cpuprofile> [top]');
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

function where(url: string): string {
  if (url === '') return '(native/VM)';
  const nm = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (nm) return nm[1] as string;
  // The compiled tree's own folders (dist/lib, dist/bench), whatever the checkout is called.
  const lib = url.match(/\/dist\/((?:lib|bench)\/.*)$/) ?? url.match(/\/((?:lib|bench)\/.*)$/);
  if (lib) return lib[1] as string;
  if (url.startsWith('node:')) return url;
  return url;
}

const byFunction = new Map<string, number>();
const byModule = new Map<string, number>();
for (const [id, time] of self) {
  const node = byId.get(id) as ProfileNode;
  const module = where(node.callFrame.url);
  const name = `${node.callFrame.functionName || '(anonymous)'} ${module}:${node.callFrame.lineNumber + 1}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + time);
  byModule.set(module, (byModule.get(module) ?? 0) + time);
}
const print = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [name, time] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((time / total) * 100).toFixed(1).padStart(5)}%  ${(time / 1000).toFixed(0).padStart(6)} ms  ${name}`);
  }
};
// Inclusive time of library functions: a sample counts for every distinct lib/ frame on its stack.
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const inclusive = new Map<string, number>();
for (const [id, time] of self) {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const node = byId.get(at) as ProfileNode;
    const module = where(node.callFrame.url);
    if (!module.startsWith('lib/')) continue;
    const name = `${node.callFrame.functionName || '(anonymous)'} ${module}:${node.callFrame.lineNumber + 1}`;
    if (seen.has(name)) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + time);
  }
}

console.log(`total sampled: ${(total / 1000).toFixed(0)} ms`);
print('self time by module', byModule);
print('self time by function', byFunction);
print('inclusive time of lib/ functions', inclusive);

// The load-independent figure BENCHMARKS.md quotes: the whole verification against its signatures,
// both as main-thread samples (garbage collection is not on any stack, so it is left out of both).
const verifyAll = [...inclusive].find(([name]) => name.startsWith('verifyChainWithTrust '))?.[1];
const signatures = [...inclusive].filter(([name]) => /^verify lib\/runtime\/(node|webcrypto)\.js:/.test(name)).reduce((sum, [, time]) => sum + time, 0);
const collector = byFunction.get('(garbage collector) (native/VM):0') ?? 0;
if (verifyAll !== undefined && signatures > 0) {
  console.log(`\nverifyChainWithTrust / signature checks: ${(verifyAll / signatures).toFixed(3)} (${(verifyAll / 1000).toFixed(0)} ms / ${(signatures / 1000).toFixed(0)} ms); garbage collector ${((collector / total) * 100).toFixed(1)}% of samples`);
}
