/**
 * Samples made from a valid document by one edit, for the tests that compare the precompiled
 * validators with ajv (test/model/validators.test.ts, test/audit/validators-edges.test.ts).
 */

export type Path = (string | number)[];

/** Every member's path in `value`, the root's (`[]`) first. */
export function memberPaths(value: unknown, at: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [at];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [at, ...keys.flatMap((key) => memberPaths((value as Record<string | number, unknown>)[key], [...at, key]))];
}

/** A copy of `seed` with the member at `path` replaced by `value` (0), deleted (1), or given a sibling `value` (2). */
export function edited(seed: unknown, path: Path, action: number, value: unknown): unknown {
  const copy = structuredClone(seed) as Record<string | number, unknown>;
  if (path.length === 0) return action === 0 ? value : copy;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (action === 0) parent[last] = value;
  else if (action === 1 && Array.isArray(parent)) parent.splice(last as number, 1);
  else if (action === 1) delete parent[last];
  else if (Array.isArray(parent)) parent.push(value);
  else parent[`extra${String(last)}`] = value;
  return copy;
}
