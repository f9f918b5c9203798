/**
 * `statusSupport` (transitive-proof/status), the object that enables Token Status Lists in a
 * verifier (a trust configuration's `status` section): `createVerifier(trust, { status: statusSupport })`.
 * The section's validator and the list source (lib/status/support.ts) with step 17a's lookup
 * (./status.ts `checkStatusLists`), put together here, the lowest layer that sees both: a verifier
 * without status lists carries none of the lookup's code.
 */
import type { StatusSupport } from '../ports.js';
import { statusListSupport } from '../status/support.js';
import { checkStatusLists } from './status.js';

export const statusSupport: StatusSupport = Object.freeze({ ...statusListSupport, checkStatusLists });
