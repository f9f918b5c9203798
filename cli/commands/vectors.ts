import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AS_VECTORS, checkVectors, formatReport } from '../../lib/vectors/check.js';
import { checkAsVectors } from '../../lib/vectors/as-check.js';
import { UsageError } from '../io.js';

export const help = `tproof vectors check [DIR]

Run the shared test vectors (DIR/index.json and the files it lists; default: the vectors/ directory
of this package) through the verifier, and the authorization-server vectors (DIR/as/index.json)
through processDeferredBindingRequest, and compare each outcome with the expected one. Prints one
line per failure and a final line "N passed, M failed" per set; exits 1 when any vector failed.`;

/** vectors/ beside the package.json above this module (the repository or the installed package). */
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
  if (!existsSync(join(dir, 'index.json'))) throw new UsageError(`${dir} has no index.json`);
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
