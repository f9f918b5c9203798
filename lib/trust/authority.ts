/**
 * Root authority (SPEC-NOTES.md §5): which link-0 issuers an x509 root speaks for, and which
 * subjects each root may vouch for. Written in the configuration, never inferred: an x509 root
 * vouches only for its certificate's own identity unless its `subjects` say more, so a certificate
 * that validates to a root's anchors cannot speak for anyone else by default.
 */

/** "self": `sub` must equal link 0's `iss`; "any": no limit; or exact values and prefixes. */
export type SubjectLimit = 'self' | 'any' | { exact?: string[]; prefixes?: string[] };
/** Link-0 issuers (certificate identities) an x509 root claims: exact values and prefixes. */
export interface IdentifierPatterns {
  exact?: string[] | undefined;
  prefixes?: string[] | undefined;
}

export type CompiledPatterns = { readonly exact: ReadonlySet<string>; readonly prefixes: readonly string[] };
export type CompiledSubjectLimit = 'self' | 'any' | CompiledPatterns;

export function compilePatterns(patterns: IdentifierPatterns): CompiledPatterns {
  return { exact: new Set(patterns.exact ?? []), prefixes: [...(patterns.prefixes ?? [])] };
}

export function compileSubjectLimit(limit: SubjectLimit): CompiledSubjectLimit {
  return limit === 'self' || limit === 'any' ? limit : compilePatterns(limit);
}

export function matchesPatterns(patterns: CompiledPatterns, value: string): boolean {
  return patterns.exact.has(value) || patterns.prefixes.some((prefix) => value.startsWith(prefix));
}

/** Whether a root with this limit may vouch for `sub` on a link 0 issued by `iss`. */
export function subjectAdmitted(limit: CompiledSubjectLimit, iss: string, sub: string): boolean {
  if (limit === 'any') return true;
  if (limit === 'self') return sub === iss;
  return matchesPatterns(limit, sub);
}
