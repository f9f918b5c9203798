/**
 * A bounded memo keyed by a public JWK's key members (`kty`, `crv`, `x`, `y`, `n`, `e`) and a tag:
 * the one way the key caches (verdicts of the key check, imported keys) recognise a key they have
 * seen. The same keys come back on every verification, each time as a freshly parsed object, so the
 * identity of the object says nothing; the members do.
 *
 * No key string is built: entries are found by the key's `x` (or, for RSA, `n`), a string the JWK
 * already holds, and then compared member by member with `===`, so two keys share an entry only
 * when all six members and the tag are equal. A key whose members are not all strings or absent is
 * not cached (its callers judge it every time). At most `maxEntries` entries; the oldest bucket
 * goes first, so attacker-chosen keys cannot grow memory.
 */

interface Entry<V> {
  readonly tag: string;
  readonly kty: string | undefined;
  readonly crv: string | undefined;
  readonly x: string | undefined;
  readonly y: string | undefined;
  readonly n: string | undefined;
  readonly e: string | undefined;
  value: V;
}

type KeyMembers = Readonly<Record<string, unknown>>;

export class KeyMemberCache<V> {
  readonly #buckets = new Map<string, Entry<V>[]>();
  readonly #maxEntries: number;
  #size = 0;

  constructor(maxEntries = 1024) {
    this.#maxEntries = maxEntries;
  }

  /** The entry for this key and tag, when there is one (its value may be undefined): one search. */
  lookup(jwk: KeyMembers, tag = ''): { readonly value: V } | undefined {
    return this.#find(jwk, tag);
  }

  get(jwk: KeyMembers, tag = ''): V | undefined {
    return this.#find(jwk, tag)?.value;
  }

  /** Remember `value`; a key that cannot be cached (see above) is ignored. */
  set(jwk: KeyMembers, value: V, tag = ''): void {
    const found = this.#find(jwk, tag);
    if (found !== undefined) {
      found.value = value;
      return;
    }
    const name = bucketName(jwk);
    if (name === undefined || !cacheable(jwk)) return;
    if (this.#size >= this.#maxEntries) this.#evictOldest();
    const entry: Entry<V> = { tag, kty: jwk.kty as string | undefined, crv: jwk.crv as string | undefined, x: jwk.x as string | undefined, y: jwk.y as string | undefined, n: jwk.n as string | undefined, e: jwk.e as string | undefined, value };
    const bucket = this.#buckets.get(name);
    if (bucket === undefined) this.#buckets.set(name, [entry]);
    else bucket.push(entry);
    this.#size++;
  }

  delete(jwk: KeyMembers, tag = ''): void {
    const name = bucketName(jwk);
    const bucket = name === undefined ? undefined : this.#buckets.get(name);
    if (name === undefined || bucket === undefined) return;
    const at = bucket.findIndex((entry) => matches(entry, jwk, tag));
    if (at === -1) return;
    bucket.splice(at, 1);
    this.#size--;
    if (bucket.length === 0) this.#buckets.delete(name);
  }

  #find(jwk: KeyMembers, tag: string): Entry<V> | undefined {
    const name = bucketName(jwk);
    if (name === undefined) return undefined;
    const bucket = this.#buckets.get(name);
    if (bucket === undefined) return undefined;
    for (const entry of bucket) if (matches(entry, jwk, tag)) return entry;
    return undefined;
  }

  #evictOldest(): void {
    const oldest = this.#buckets.entries().next().value;
    if (oldest === undefined) return;
    this.#buckets.delete(oldest[0]);
    this.#size -= oldest[1].length;
  }
}

function bucketName(jwk: KeyMembers): string | undefined {
  const x = jwk.x;
  if (typeof x === 'string') return x;
  const n = jwk.n;
  return typeof n === 'string' ? n : undefined;
}

function cacheable(jwk: KeyMembers): boolean {
  for (const member of MEMBERS) {
    const value = jwk[member];
    if (value !== undefined && typeof value !== 'string') return false;
  }
  return true;
}

const MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e'] as const;

function matches(entry: Entry<unknown>, jwk: KeyMembers, tag: string): boolean {
  return entry.tag === tag && entry.kty === jwk.kty && entry.crv === jwk.crv && entry.x === jwk.x && entry.y === jwk.y && entry.n === jwk.n && entry.e === jwk.e;
}
