import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AS_VECTORS, checkVectors, formatReport } from '../../lib/vectors/check.js';
import { checkAsVectors } from '../../lib/vectors/as-check.js';
import { UsageError } from '../io.js';

export const help = `tproof vectors check [DIR]

Run the shared test vectors (DIR/index.json and the files it lists) through the verifier, and the
authorization-server vectors (DIR/as/index.json) through processDeferredBindingRequest, and compare
each outcome with the expected one. Prints one line per failure and a final line "N passed, M failed"
per set; exits 1 when any vector failed. The vectors live in the repository (vectors/), not in the
npm package; without DIR, the vectors/ directory of the checkout this tproof runs from.`;

/** Where the vectors are when this tproof was installed from npm: the repository, at the same version. */
const REPOSITORY_VECTORS = 'https://github.com/transitive-proof/transitive-proof/tree/main/vectors';

/** vectors/ beside the package.json above this module (in a checkout of the repository). */
function defaultDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new UsageError('no vectors directory found: give DIR');
    dir = parent;
  }
  return join(dir, 'vectors');
}

export async function run(argv: string[]): Promise<number> {
  const [sub, dirArg, ...extra] = argv;
  if (sub !== 'check' || extra.length > 0) throw new UsageError(`expected "tproof vectors check [DIR]"\n\n${help}`);
  const dir = dirArg === undefined ? defaultDir() : resolve(dirArg);
  if (!existsSync(join(dir, 'index.json'))) {
    if (dirArg !== undefined) throw new UsageError(`${dir} has no index.json`);
    throw new UsageError(`the npm package does not ship the test vectors: give DIR, the vectors/ directory of a checkout of the repository (${REPOSITORY_VECTORS})`);
  }
  const report = await checkVectors(dir);
  process.stdout.write(formatReport(report));
  let failed = report.failed;
  if (existsSync(join(dir, AS_VECTORS, 'index.json'))) {
    const asReport = await checkAsVectors(join(dir, AS_VECTORS));
    process.stdout.write(`authorization-server vectors (${AS_VECTORS}/):\n${formatReport(asReport)}`);
    failed += asReport.failed;
  }
  return failed === 0 ? 0 : 1;
}
