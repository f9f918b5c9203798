/**
 * The web inspector: a thin shell over the library's inspection view (inspectChain) and
 * verification outcome (verifyOutcome), bundled with the library for the browser. Plain DOM: every
 * text goes in through textContent, nothing is parsed as HTML, no inline script or style, so the page
 * runs under a CSP without 'unsafe-inline' or 'unsafe-eval'.
 */
import { describeSelectors, inspectChain, previewDisclosure, readChainInput, readSelectorList, summarizeCertificates, verifyOutcome, PREVIEW_POLICIES } from 'transitive-proof/inspect';
import type { ChainView, DisclosurePolicy, DisclosureView, LinkView, VerificationOutcome } from 'transitive-proof/inspect';
import { serializeChain, type Chain, type Confirmation, type TransitiveProofErrorJSON, type TrustConfig, type VerificationContext, type VerifiedChain } from 'transitive-proof';
import { coseCodec } from 'transitive-proof/cose';

/** Where `tproof inspect --web FILE` serves FILE's chain. */
const SERVED_CHAIN_PATH = 'chain';

const byId = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`the page has no #${id}`);
  return element as T;
};

type Child = Node | string | undefined;
function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) if (child !== undefined) element.append(child);
  return element;
}

const iso = (seconds: number | undefined): string => seconds === undefined ? '?' : new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
const json = (value: unknown): string => JSON.stringify(value, null, 2) ?? 'undefined';
const text = (value: unknown): string => typeof value === 'string' ? value : JSON.stringify(value) ?? '';

let current: { chain: Chain; view: ChainView } | undefined;

async function show(input: string | Uint8Array, now?: Date): Promise<void> {
  const error = byId('chain-error');
  try {
    const chain = readChainInput(input);
    const view = await inspectChain(chain, { describeCertificates: summarizeCertificates, ...(now === undefined ? {} : { now }) });
    current = { chain, view };
    // A chain read from a file, a drop or the server goes into the chain box too, as text (CBOR as base64url).
    if (typeof input !== 'string') byId<HTMLTextAreaElement>('chain-input').value = serializeChain(chain, { codecs: [coseCodec] });
    error.hidden = true;
    render(view);
    await renderDisclosure();
    prefillContext(view);
    byId('verdict').replaceChildren();
  } catch (problem) {
    current = undefined;
    byId('chain-view').hidden = true;
    // chain_malformed: the input is no chain in any encoding the page reads (whichever codec said so last).
    error.textContent = (problem as { code?: unknown }).code === 'chain_malformed'
      ? 'This is not a chain (chain_malformed): paste a JWT chain (compact or JSON form) or a CBOR chain (base64url or hex), or load a file.'
      : `Cannot read this chain: ${describeError(problem)}`;
    error.hidden = false;
  }
}

function describeError(problem: unknown): string {
  const code = (problem as { code?: unknown }).code;
  const message = problem instanceof Error ? problem.message : String(problem);
  return typeof code === 'string' ? `${code}: ${message}` : message;
}

/** The header as the link carries it: the decoder's bookkeeping of COSE key parameters only when there are some. */
function shownHeader(header: LinkView['header']): Record<string, unknown> {
  const { keyParameters, ...rest } = header;
  return Array.isArray(keyParameters) && keyParameters.length === 0 ? rest : { ...rest, keyParameters };
}

function render(view: ChainView): void {
  byId('chain-summary').replaceChildren(
    `${view.links.length} link${view.links.length === 1 ? '' : 's'}, ${view.format === 'jwt' ? 'JWT' : 'CBOR/COSE'}, `,
    el('strong', {}, 'unverified'), `; windows judged at ${iso(view.now)}.`,
  );
  byId('parties').replaceChildren(...view.parties.map((party, index) => el('li', { class: 'party' },
    el('span', { class: `pill ${party.role}` }, el('span', { class: 'role' }, party.role), ' ', el('span', { class: 'id' }, party.id)),
    index === view.parties.length - 1 ? undefined : el('span', { class: 'arrow', 'aria-hidden': 'true' }, '→'))));
  renderTimeline(view);
  byId('links').replaceChildren(...view.links.map(renderLink));
  byId('chain-view').hidden = false;
}

function renderTimeline(view: ChainView): void {
  const { from, to } = view.span;
  const position = (seconds: number): string => `${(100 * (seconds - from)) / Math.max(1, to - from)}%`;
  const rows = view.links.map((link) => {
    const { start, exp, state, nested } = link.validity;
    const track = el('div', { class: 'track', 'aria-hidden': 'true' });
    if (start !== undefined && exp !== undefined) {
      const bar = el('div', { class: `bar ${state}` });
      // CSSOM, not a style attribute: allowed under style-src 'self'.
      bar.style.left = position(start);
      bar.style.width = `${(100 * Math.max(0, exp - start)) / Math.max(1, to - from)}%`;
      track.append(bar);
    }
    const now = el('div', { class: 'now' });
    now.style.left = position(view.now);
    track.append(now);
    const nesting = nested === false ? el('span', { class: 'warning' }, ` not within link ${link.index - 1}'s window`) : undefined;
    return el('li', { class: 'window', id: `window-${link.index}` },
      el('span', { class: 'label' }, `link ${link.index}`),
      track,
      el('span', { class: 'times' }, `${iso(start)} → ${iso(exp)} `, el('span', { class: `badge ${state}` }, state.replaceAll('_', ' ')), nesting));
  });
  const legend = el('p', { class: 'legend' }, 'The vertical line is now (', iso(view.now), '); each bar a link\'s window, from nbf (or iat) to exp.');
  byId('timeline').replaceChildren(el('ol', { class: 'windows' }, ...rows), legend);
}

function field(name: string, ...value: Child[]): HTMLElement[] {
  return [el('dt', {}, name), el('dd', {}, ...value)];
}

function renderLink(link: LinkView): HTMLLIElement {
  const { signer, scope, validity } = link;
  const scopeTokens = el('span', { class: 'scope' },
    ...scope.tokens.map((token) => el('span', { class: scope.added.includes(token) ? 'token added' : 'token' }, token)),
    ...scope.removed.map((token) => el('del', { class: 'token removed', title: `removed at link ${link.index}` }, token)));
  const scopeNote = scope.removed.length > 0 ? ` (removed here: ${scope.removed.join(' ')})` : scope.added.length > 0 ? ` (WIDENED: ${scope.added.join(' ')})` : undefined;
  const certificate = signer.certificate === undefined ? undefined : ` · certificate ${signer.certificate.identity} (${signer.certificate.subject})`;
  const prev = link.prev === undefined
    ? (link.index === 0 ? 'none (root)' : el('span', { class: 'warning' }, 'missing'))
    : el('span', { class: link.prev.matchesParent ? 'ok' : 'warning' }, `${link.prev.value} ${link.prev.matchesParent ? `= hash of link ${link.index - 1}` : `≠ hash of link ${link.index - 1}`}`);
  const details = [
    el('details', {}, el('summary', {}, 'Header'), el('pre', {}, json(shownHeader(link.header)))),
    el('details', {}, el('summary', {}, 'Claims'), el('pre', {}, json(link.claims))),
    link.diagnostic === undefined ? undefined : el('details', {}, el('summary', {}, 'CBOR diagnostic notation'), el('pre', {}, link.diagnostic)),
  ];
  return el('li', { class: 'link', id: `link-${link.index}` },
    el('h4', {}, `Link ${link.index}: `, el('span', { class: 'id' }, signer.id), ' → ', el('span', { class: 'id' }, link.delegate.id)),
    el('p', { class: 'link-status', id: `link-status-${link.index}`, role: 'note' }),
    el('dl', {},
      ...field('signer', el('span', { class: `badge signer ${signer.kind}`, id: `signer-${link.index}` }, signer.kind), ` ${signer.id}`, certificate),
      ...(signer.key === undefined ? [] : field('signed with', `${signer.key} (named by link ${link.index - 1})`, link.issuerIsParentDelegate === false ? el('span', { class: 'warning' }, ' iss is not that delegate') : undefined)),
      ...field('delegate', `${link.delegate.id}, key ${link.delegate.key}`),
      ...field('subject', text(link.claims.sub)),
      ...field('audience', text(link.claims.aud)),
      ...field('tmb', link.tmb),
      ...field('scope', scopeTokens, scopeNote),
      ...field('depth left', `${link.depth ?? '?'}`),
      ...field('valid', `${iso(validity.start)} → ${iso(validity.exp)} (${validity.state.replaceAll('_', ' ')})`),
      ...field('prev', prev),
      ...field('hash', el('code', {}, link.hash)),
    ),
    ...details);
}

/** The three profiles for the current chain, the subset keeping what the field says. */
async function renderDisclosure(): Promise<void> {
  if (current === undefined) return;
  const error = byId('disclosure-error');
  let policies: DisclosurePolicy[];
  try {
    const keep = readSelectorList(byId<HTMLInputElement>('disclosure-keep').value);
    policies = PREVIEW_POLICIES.map((policy) => (policy.profile === 'subset' ? { ...policy, keep } : policy));
    error.hidden = true;
  } catch (problem) {
    error.textContent = describeError(problem);
    error.hidden = false;
    return;
  }
  const views = await previewDisclosure(current.chain, policies);
  byId('disclosure').replaceChildren(...views.map(renderDisclosureView));
}

function renderDisclosureView(view: DisclosureView): HTMLElement {
  const { profile } = view.policy;
  const named = view.actors.filter((actor) => actor.named).length;
  const last = view.actors.length - 1;
  const keep = view.policy.keep === undefined ? '' : ` (keep ${describeSelectors(view.policy.keep)})`;
  return el('section', { class: 'disclosure-view', id: `disclosure-${profile}` },
    el('h4', {}, profile, keep, `: act names ${named} of ${view.actors.length}`),
    el('ol', { class: 'disclosed-actors', start: '0', 'aria-label': `Delegates under ${profile}, root side first` }, ...view.actors.map((actor) =>
      el('li', { class: actor.named ? 'named' : 'omitted' },
        actor.named ? el('span', { class: 'id' }, actor.id) : el('del', { class: 'id', title: 'omitted from the token' }, actor.id),
        actor.position === last ? ' (requester)' : undefined,
        actor.named ? undefined : ' omitted'))),
    el('details', {}, el('summary', {}, 'act'), el('pre', { class: 'disclosed-act' }, json(view.act))),
    el('details', {}, el('summary', {}, 'deferred-binding record (root.kind: as verification decides)'), el('pre', { class: 'disclosed-record' }, json(view.record))));
}

function prefillContext(view: ChainView): void {
  byId<HTMLInputElement>('ctx-audience').value = view.request.audience;
  byId<HTMLInputElement>('ctx-requester').value = view.request.requester.id;
  byId<HTMLInputElement>('ctx-requester-jkt').value = view.request.requester.jkt ?? '';
}

function readContext(): VerificationContext {
  const value = (id: string): string => byId<HTMLInputElement>(id).value.trim();
  const jkt = value('ctx-requester-jkt');
  const context: VerificationContext = { audience: value('ctx-audience'), requester: jkt === '' ? { id: value('ctx-requester') } : { id: value('ctx-requester'), jkt } };
  const tmb = value('ctx-tmb');
  // A bare thumbprint is the common case: {"jkt": …}.
  if (tmb !== '') context.tmb = tmb.startsWith('{') ? JSON.parse(tmb) as Confirmation : { jkt: tmb };
  const scope = value('ctx-scope');
  if (scope !== '') context.scope = scope;
  const time = value('ctx-time');
  if (time !== '') context.now = new Date(time);
  return context;
}

/** The page fetches nothing for verification: configured remote material fails closed. */
const refuseFetch = (): Promise<never> => Promise.reject(new Error('the inspector page fetches nothing'));

async function verify(): Promise<void> {
  const verdict = byId('verdict');
  if (current === undefined) {
    verdict.replaceChildren(el('p', { class: 'error' }, 'Inspect a chain first.'));
    return;
  }
  let trust: TrustConfig;
  let context: VerificationContext;
  try {
    trust = JSON.parse(byId<HTMLTextAreaElement>('trust-input').value) as TrustConfig;
  } catch {
    verdict.replaceChildren(el('p', { class: 'error' }, 'The trust configuration is not JSON.'));
    return;
  }
  try {
    context = readContext();
  } catch {
    verdict.replaceChildren(el('p', { class: 'error' }, 'The requested tmb is not JSON.'));
    return;
  }
  // The timeline shows the windows at the time verification judges them.
  current.view = await inspectChain(current.chain, { describeCertificates: summarizeCertificates, ...(context.now === undefined ? {} : { now: context.now }) });
  render(current.view);
  let outcome: VerificationOutcome;
  try {
    outcome = await verifyOutcome(current.chain, trust, context, { fetch: refuseFetch });
  } catch (problem) {
    verdict.replaceChildren(el('p', { class: 'error' }, `Verification could not run: ${describeError(problem)}`));
    return;
  }
  if (outcome.valid) showResult(outcome.result);
  else showFailure(outcome.error);
}

function showResult(result: VerifiedChain): void {
  for (const link of result.links) {
    byId(`link-${link.index}`).classList.add('verified');
    const signer = byId(`signer-${link.index}`);
    signer.textContent = link.signer.kind;
    signer.className = `badge signer ${link.signer.kind}`;
    byId(`link-status-${link.index}`).textContent = `Verified: signed by ${link.signer.kind === 'delegate' ? 'the delegate key link ' + (link.index - 1) + ' named' : `${link.signer.kind === 'issuer' ? 'an' : 'a'} ${link.signer.kind === 'x509' ? 'X.509' : link.signer.kind} root`}${link.signer.certificate === undefined ? '' : ` (certificate ${link.signer.certificate.identity})`}.`;
  }
  const verdict = byId('verdict');
  verdict.dataset.outcome = 'valid';
  verdict.replaceChildren(
    el('h3', { class: 'valid' }, 'Verified: the chain justifies binding the token to this key'),
    el('dl', {},
      ...field('cnf', el('pre', { id: 'result-cnf' }, json(result.cnf))),
      ...field('sub', result.sub),
      ...field('act', el('pre', { id: 'result-act' }, json(result.act))),
      ...field('scope', result.scope),
      ...field('not after', iso(result.notAfter)),
      ...field('root', `${result.root.kind} ${result.root.iss}`)));
}

function showFailure(error: TransitiveProofErrorJSON): void {
  const verdict = byId('verdict');
  verdict.dataset.outcome = 'invalid';
  const where = error.linkIndex === undefined ? '' : ` at link ${error.linkIndex}`;
  const step = error.step === undefined ? '' : `SPEC-NOTES §6.2 step ${error.step}`;
  verdict.replaceChildren(
    el('h3', { class: 'invalid' }, 'Rejected', where, ': ', el('code', { id: 'failure-code' }, error.code)),
    el('dl', {},
      ...field('message', error.message),
      ...(step === '' ? [] : field('failed step', step)),
      ...field('OAuth error', error.oauthError)));
  if (error.linkIndex !== undefined) {
    const link = byId(`link-${error.linkIndex}`);
    link.classList.add('failed');
    byId(`link-status-${error.linkIndex}`).textContent = `Fails here: ${error.code}${step === '' ? '' : ` (${step})`}: ${error.message}`;
    link.scrollIntoView({ block: 'nearest' });
  }
}

async function readFile(input: HTMLInputElement): Promise<Uint8Array | undefined> {
  const file = input.files?.[0];
  return file === undefined ? undefined : new Uint8Array(await file.arrayBuffer());
}

function wire(): void {
  byId('inspect-button').addEventListener('click', () => void show(byId<HTMLTextAreaElement>('chain-input').value));
  byId('verify-button').addEventListener('click', () => void verify());
  byId('disclosure-keep').addEventListener('change', () => void renderDisclosure());
  byId<HTMLInputElement>('chain-file').addEventListener('change', async (event) => {
    const bytes = await readFile(event.target as HTMLInputElement);
    if (bytes !== undefined) await show(bytes);
  });
  byId<HTMLInputElement>('trust-file').addEventListener('change', async (event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (file !== undefined) byId<HTMLTextAreaElement>('trust-input').value = await file.text();
  });
  const zone = byId('drop-zone');
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', async (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    const file = event.dataTransfer?.files[0];
    if (file !== undefined) await show(new Uint8Array(await file.arrayBuffer()));
    else await show(event.dataTransfer?.getData('text/plain') ?? '');
  });
}

/** The chain `tproof inspect --web FILE` was given, if any (served from the same origin). */
async function loadServedChain(): Promise<void> {
  const response = await fetch(SERVED_CHAIN_PATH, { cache: 'no-store' });
  // 204: the server was given no chain.
  if (response.status === 200) await show(new Uint8Array(await response.arrayBuffer()));
}

wire();
await loadServedChain().catch(() => undefined);
document.body.dataset.ready = 'true';
