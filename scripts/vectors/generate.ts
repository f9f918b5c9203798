/**
 * `npm run vectors:generate [-- DIR]`: (re)write the shared vectors into DIR (default: the
 * repository's vectors/). Deterministic vectors come out byte-identical on every run; the others
 * (ECDSA and RSA-PSS signatures are randomized) differ only in their signatures and what hashes them.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import { buildIndex, buildVectors, fileText, vectorPath } from './build.js';
import { buildAsIndex, buildAsVectors } from './as.js';

/** The repository root: the nearest ancestor of this file with a package.json. */
export function repositoryRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('no package.json above the generator');
    dir = parent;
  }
  return dir;
}

export async function generateVectors(outDir: string): Promise<{ files: number }> {
  const vectors = await buildVectors();
  for (const sub of ['positive', 'attacks']) {
    const dir = join(outDir, sub);
    mkdirSync(dir, { recursive: true });
    // Remove stale vectors (renamed or dropped), keep nothing the generator does not write.
    for (const name of readdirSync(dir)) if (name.endsWith('.json')) rmSync(join(dir, name));
  }
  for (const vector of vectors) writeFileSync(join(outDir, vectorPath(vector)), fileText(vector));
  writeFileSync(join(outDir, 'index.json'), fileText(buildIndex(vectors)));
  // The authorization-server vectors: their own directory and index (SPEC-NOTES §8).
  const asVectors = await buildAsVectors();
  const asDir = join(outDir, 'as');
  mkdirSync(asDir, { recursive: true });
  for (const name of readdirSync(asDir)) if (name.endsWith('.json')) rmSync(join(asDir, name));
  for (const vector of asVectors) writeFileSync(join(asDir, `${vector.id}.json`), fileText(vector));
  writeFileSync(join(asDir, 'index.json'), fileText(buildAsIndex(asVectors)));
  return { files: vectors.length + asVectors.length };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const outDir = resolve(process.argv[2] ?? join(repositoryRoot(), 'vectors'));
  const { files } = await generateVectors(outDir);
  process.stdout.write(`wrote ${files} vectors and index.json to ${outDir}\n`);
}
