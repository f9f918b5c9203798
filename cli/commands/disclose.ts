import { parseArgs } from 'node:util';
import { describeSelectors, readSelectorList, type DisclosurePolicy, type DisclosureProfile } from '../../lib/as/disclosure.js';
import { previewDisclosure, readChainInput, PREVIEW_POLICIES, type DisclosureView } from '../../lib/inspect/index.js';
import { atMostPositionals, printJson, readChainBytesArgument, readJsonFile, UsageError } from '../io.js';

export const help = `tproof disclose [CHAIN|FILE|-] [--profile full|subset|actor-only] [--keep SEL[,SEL...]] [--count] [--link-hashes] [--json]
tproof disclose [CHAIN|FILE|-] --policy POLICY.json [--json]

Show what an access token issued for the chain would disclose under each disclosure profile
(SPEC-NOTES §8.4.2): which delegates its act names, how many it omits, and the deferred-binding
record that commits to the whole chain. Without --profile or --policy: full, subset (keeping
--keep, default "first") and actor-only.

  --keep SEL,...   subset selectors: first, last, an index (0 = the root's delegate; negative from
                   the requester: -1), or prefix:STRING (every delegate whose id starts with it).
                   The requester is always named.
  --count          the record states the chain's length (links, omitted) under subset/actor-only
  --link-hashes    the record lists each link's hash (needs --count outside full)
  --policy FILE    a disclosure policy as JSON (schemas/disclosure-policy.schema.json)

NOTHING IS VERIFIED: an AS issues a token only for a chain that verifies, and the record's
root.kind is decided by verification (shown as the root's iss only).`;

const PROFILES: readonly DisclosureProfile[] = ['full', 'subset', 'actor-only'];

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      profile: { type: 'string' },
      keep: { type: 'string', multiple: true },
      count: { type: 'boolean', default: false },
      'link-hashes': { type: 'boolean', default: false },
      policy: { type: 'string' },
    },
  });
  atMostPositionals(positionals, 1);
  const policies = policiesOf(values);
  const views = await previewDisclosure(readChainInput(await readChainBytesArgument(positionals[0])), policies);
  if (values.json) {
    printJson(views);
    return 0;
  }
  const first = views[0] as DisclosureView;
  process.stdout.write('UNVERIFIED: decoded only; a token is issued only for a chain that verifies.\n');
  process.stdout.write(`chain (${first.record.format}, ${first.actors.length} link${first.actors.length === 1 ? '' : 's'}): ${[first.record.root.iss, ...first.actors.map((actor) => actor.id)].join(' → ')}\n`);
  for (const view of views) process.stdout.write(`\n${render(view)}\n`);
  return 0;
}

interface Values {
  profile?: string | undefined;
  keep?: string[] | undefined;
  count?: boolean | undefined;
  'link-hashes'?: boolean | undefined;
  policy?: string | undefined;
}

function policiesOf(values: Values): readonly DisclosurePolicy[] {
  if (values.policy !== undefined) {
    if (values.profile !== undefined || values.keep !== undefined || values.count === true || values['link-hashes'] === true) {
      throw new UsageError('--policy is the whole policy: give no --profile, --keep, --count or --link-hashes with it');
    }
    return [readJsonFile(values.policy, 'disclosure policy') as DisclosurePolicy];
  }
  if (values.profile !== undefined && !(PROFILES as readonly string[]).includes(values.profile)) {
    throw new UsageError(`--profile must be one of ${PROFILES.join(', ')}`);
  }
  const keep = values.keep === undefined ? undefined : values.keep.flatMap((value) => readSelectorList(value));
  if (keep !== undefined && values.profile !== undefined && values.profile !== 'subset') throw new UsageError('--keep is for --profile subset');
  const options = { ...(values.count === true ? { count: true } : {}), ...(values['link-hashes'] === true ? { link_hashes: true } : {}) };
  const shape = (policy: DisclosurePolicy): DisclosurePolicy => {
    const withKeep: DisclosurePolicy = policy.profile === 'subset' && keep !== undefined ? { ...policy, keep } : policy;
    // --count and --link-hashes shape the record; under full the length is always stated.
    return policy.profile === 'full' ? { ...withKeep, ...(options.link_hashes === true ? { link_hashes: true } : {}) } : { ...withKeep, ...options };
  };
  const chosen = values.profile === undefined ? PREVIEW_POLICIES : PREVIEW_POLICIES.filter((policy) => policy.profile === values.profile);
  return chosen.map(shape);
}

function render(view: DisclosureView): string {
  const { policy } = view;
  const named = view.actors.filter((actor) => actor.named).length;
  const keep = policy.keep === undefined ? '' : ` (keep ${describeSelectors(policy.keep)})`;
  const lines = [`${policy.profile}${keep}: act names ${named} of ${view.actors.length} delegate${view.actors.length === 1 ? '' : 's'}`];
  const last = view.actors.length - 1;
  for (const actor of view.actors) {
    lines.push(`  [${actor.position}] ${actor.named ? 'named  ' : 'omitted'} ${actor.id}${actor.position === last ? ' (requester)' : ''}`);
  }
  lines.push(`  act: ${JSON.stringify(view.act)}`);
  lines.push(`  record: ${JSON.stringify(view.record)}`);
  return lines.join('\n');
}
