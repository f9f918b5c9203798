/**
 * OAuth scope strings (RFC 6749 §3.3): space-delimited, case-sensitive tokens. Attenuation is set
 * inclusion, so order and duplicates carry no meaning.
 */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export function isValidScope(scope: string): boolean {
  if (scope.length === 0) return false;
  return scope.split(' ').every((token) => SCOPE_TOKEN.test(token));
}

export function scopeTokens(scope: string): Set<string> {
  return new Set(scope.split(' ').filter((token) => token.length > 0));
}

/** The tokens of `child` that `parent` does not grant (empty when child ⊆ parent). */
export function scopeExcess(child: string, parent: string): string[] {
  const granted = scopeTokens(parent);
  return [...scopeTokens(child)].filter((token) => !granted.has(token));
}

/** Canonical form: tokens de-duplicated, in first-seen order. */
export function normalizeScope(scope: string | readonly string[]): string {
  const tokens = typeof scope === 'string' ? scopeTokens(scope) : new Set(scope);
  return [...tokens].join(' ');
}
