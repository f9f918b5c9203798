/**
 * Paths for the vector tests, valid both from test/ (tsx) and from dist/test/ (npm test).
 */
import { join } from 'node:path';
import { repoRoot } from '../helpers/repo.js';

export { repoRoot as repositoryRoot } from '../helpers/repo.js';
export const VECTORS_DIR = join(repoRoot(), 'vectors');
