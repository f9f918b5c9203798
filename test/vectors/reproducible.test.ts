/**
 * The generator is reproducible: regenerating into a temporary directory gives byte-identical files
 * for every deterministic vector, and for the others the same vector apart from the randomized
 * signatures (the chain text and the decoded links, whose prev values hash those signatures).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateVectors } from '../../scripts/vectors/generate.js';
import type { Vector } from '../../lib/vectors/types.js';
import { VECTORS_DIR } from './support.js';

function files(dir: string): string[] {
  return ['positive', 'attacks', 'as'].flatMap((sub) => readdirSync(join(dir, sub)).map((name) => `${sub}/${name}`)).sort();
}

test('regenerated vectors equal the committed ones (byte for byte when deterministic)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tproof-regen-'));
  try {
    await generateVectors(dir);
    assert.deepEqual(files(dir), files(VECTORS_DIR));
    assert.equal(readFileSync(join(dir, 'index.json'), 'utf8'), readFileSync(join(VECTORS_DIR, 'index.json'), 'utf8'));
    let deterministic = 0;
    for (const file of files(dir)) {
      const fresh = readFileSync(join(dir, file), 'utf8');
      const committed = readFileSync(join(VECTORS_DIR, file), 'utf8');
      const vector = JSON.parse(committed) as Vector;
      // The AS vectors are Ed25519 throughout: every one of them, and as/index.json, byte for byte.
      if (file.startsWith('as/')) assert.equal(vector.deterministic ?? true, true, `${file} is not deterministic`);
      if (vector.deterministic || file === 'as/index.json') {
        deterministic++;
        assert.equal(fresh, committed, `${file} is not reproduced byte for byte`);
      } else {
        const strip = (text: string) => {
          const { chain: _chain, links: _links, ...rest } = JSON.parse(text) as Vector;
          return rest;
        };
        assert.deepEqual(strip(fresh), strip(committed), `${file} differs beyond its signatures`);
      }
    }
    assert.ok(deterministic > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
