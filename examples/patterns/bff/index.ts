import type { PatternRunOptions, PatternStep } from '../support.js';
export async function run(_options: PatternRunOptions = {}): Promise<PatternStep[]> {
  return [];
}
