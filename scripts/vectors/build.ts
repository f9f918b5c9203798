/**
 * All shared vectors, built in memory in a fixed order. Adding an encoding (e.g. when a codec
 * lands) is one entry in FORMATS; adding X.509 vectors is one more factory list here.
 */
import type { LinkFormat } from '../../lib/index.js';
import type { Vector, VectorIndex, VectorIndexEntry } from '../../lib/vectors/types.js';
import { VECTOR_FORMAT_VERSION } from '../../lib/vectors/types.js';
import { attackVectors } from './attacks.js';
import { positiveVectors, type VectorFactory } from './positive.js';
import { x509Vectors } from './x509.js';
import { statusVectors } from './status.js';

/** The encodings vectors are generated for. */
export const FORMATS: readonly LinkFormat[] = ['jwt', 'cwt'];

export function vectorFactories(formats: readonly LinkFormat[] = FORMATS): VectorFactory[] {
  const x509 = x509Vectors(formats);
  const status = statusVectors(formats);
  return [...positiveVectors(formats), ...x509.positive, ...status.positive, ...attackVectors(formats), ...x509.attacks, ...status.attacks];
}

export async function buildVectors(formats: readonly LinkFormat[] = FORMATS): Promise<Vector[]> {
  const vectors: Vector[] = [];
  const seen = new Set<string>();
  for (const factory of vectorFactories(formats)) {
    if (seen.has(factory.id)) throw new Error(`duplicate vector id ${factory.id}`);
    seen.add(factory.id);
    const vector = await factory.make();
    if (vector.id !== factory.id) throw new Error(`vector ${factory.id} built with id ${vector.id}`);
    vectors.push(vector);
  }
  return vectors;
}

/** Where a vector lives, relative to the vectors directory. */
export function vectorPath(vector: Vector): string {
  return `${vector.expected.valid ? 'positive' : 'attacks'}/${vector.id}.json`;
}

export function buildIndex(vectors: readonly Vector[]): VectorIndex {
  return {
    formatVersion: VECTOR_FORMAT_VERSION,
    description: 'Shared test vectors of transitive-proof (SPEC-NOTES.md). Format: schemas/vector.schema.json and vectors/README.md. Every key in these files is a TEST KEY — NEVER USE.',
    vectors: vectors.map((vector): VectorIndexEntry => ({
      id: vector.id,
      file: vectorPath(vector),
      encoding: vector.encoding,
      ...(vector.attack === undefined ? {} : { attack: vector.attack }),
      valid: vector.expected.valid,
      ...(vector.expected.valid ? {} : { code: vector.expected.error.code }),
      deterministic: vector.deterministic,
    })),
  };
}

/** The exact text a vector or index file holds. */
export function fileText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
