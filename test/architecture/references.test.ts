/**
 * No stale reference and no dead export: every SPEC-NOTES section, step and rule a source comment or
 * shipped document names exists; every repository file a comment names exists; every export of a
 * lib/ module is used by another module of the product (lib, cli, examples, scripts, bench, web) or
 * reaches a package entry. Read from the text with the TypeScript parser; nothing is run.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { repoRoot } from '../helpers/repo.js';
import { entryFiles } from './layering.test.js';

const root = repoRoot();
const RUNTIME_BACKENDS = ['lib/runtime/seam.ts', 'lib/runtime/node.ts', 'lib/runtime/webcrypto.ts'];
const ASN1_FILES = ['lib/x509/asn1.ts', 'lib/x509/asn1.cts'];
const SOURCE_DIRS = ['lib', 'cli', 'examples', 'scripts', 'bench', 'web', 'test'];

function sources(dirs: readonly string[], extensions: readonly string[] = ['.ts']): string[] {
  return dirs.flatMap((dir) =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
          .map((name) => posix.join(dir, name.split('\\').join('/')))
          .filter((name) => extensions.some((extension) => name.endsWith(extension)) && !name.endsWith('.d.ts') && !name.includes('node_modules/'))
      : [],
  );
}

/** SPEC-NOTES headings ("6.2") → the numbers of their top-level numbered list items ("1", "17a" as "17"). */
function specOutline(): Map<string, Set<string>> {
  const outline = new Map<string, Set<string>>();
  let current: Set<string> | undefined;
  for (const line of readFileSync(join(root, 'SPEC-NOTES.md'), 'utf8').split('\n')) {
    const heading = /^#{2,4} (\d+(?:\.\d+)*)\.? /.exec(line);
    if (heading !== null) {
      current = new Set();
      outline.set(heading[1]!, current);
      continue;
    }
    const item = /^(\d+[a-z]?)\. /.exec(line);
    if (item !== null && current !== undefined) current.add(item[1]!);
  }
  return outline;
}

/** What a text names of SPEC-NOTES: `SPEC-NOTES.md §6.2 step 18`, `SPEC-NOTES §7.2 rule 7`, `SPEC-NOTES.md §3.3`. */
export function specReferences(text: string): { section: string; item?: string }[] {
  const found: { section: string; item?: string }[] = [];
  for (const match of text.matchAll(/SPEC-NOTES(?:\.md)?,? §(\d+(?:\.\d+)*)(?: (?:step|rule) (\d+[a-z]?))?/g)) {
    found.push(match[2] === undefined ? { section: match[1]! } : { section: match[1]!, item: match[2] });
  }
  return found;
}

describe('references in sources and documents', () => {
  const outline = specOutline();
  const texts = [...sources(SOURCE_DIRS), ...sources(['.'], ['README.md']).filter((name) => !name.includes('/')), 'vectors/README.md', ...sources(['schemas'], ['.json'])]
    .filter((name) => existsSync(join(root, name)));

  it('SPEC-NOTES has the outline the checks read', () => {
    assert.ok(outline.get('6.2')?.has('18'), '§6.2 lists step 18');
    assert.ok(outline.get('7.2')?.has('10'), '§7.2 lists rule 10');
  });

  it('every SPEC-NOTES section, step and rule named exists', () => {
    const stale: string[] = [];
    for (const name of texts) {
      const text = readFileSync(join(root, name), 'utf8');
      for (const reference of specReferences(text)) {
        const items = outline.get(reference.section);
        if (items === undefined) stale.push(`${name}: §${reference.section}`);
        else if (reference.item !== undefined && !items.has(reference.item) && !items.has(reference.item.replace(/[a-z]$/, ''))) {
          stale.push(`${name}: §${reference.section} item ${reference.item}`);
        }
      }
    }
    assert.deepEqual(stale, []);
  });

  it('every repository file a source comment or document names exists', () => {
    const missing: string[] = [];
    const pattern = /(?<![\w./-])((?:lib|cli|test|bench|scripts|schemas|vectors|examples|web|docs)\/[\w./-]*\.(?:ts|json|md|mjs|png|sh)|[A-Z][A-Z0-9-]+\.md)\b/g;
    for (const name of texts) {
      const text = readFileSync(join(root, name), 'utf8');
      for (const match of text.matchAll(pattern)) {
        const path = match[1]!;
        if (path.includes('*') || path.startsWith('bench/results/')) continue; // results are written by a run
        // A top-level document (README.md) or a path from the repository root.
        const candidates = path.includes('/') ? [path] : [path, posix.join(posix.dirname(name), path)];
        if (!candidates.some((candidate) => existsSync(join(root, candidate)))) missing.push(`${name}: ${path}`);
      }
    }
    assert.deepEqual([...new Set(missing)], []);
  });

  it('the reference reader finds what it must', () => {
    assert.deepEqual(specReferences('(SPEC-NOTES.md §6.2 step 18, SPEC-NOTES §7.2 rule 7)'), [
      { section: '6.2', item: '18' },
      { section: '7.2', item: '7' },
    ]);
  });
});

describe('no dead exports in lib/', () => {
  it('every export is used by another product module or reaches a package entry', () => {
    const product = sources(['lib', 'cli', 'examples', 'scripts', 'bench', 'web'], ['.ts', '.cts']);
    const entries = [...entryFiles(root)].map((file) => `lib/${file}`);
    /** file → exported names; file → names it re-exports with `export *` from a file. */
    const exported = new Map<string, Set<string>>();
    /** file → how many times each identifier occurs in it (an export used in its own file is not dead). */
    const occurrences = new Map<string, Map<string, number>>();
    const used = new Set<string>(); // "file#name"
    const starFrom = new Map<string, string[]>();
    const resolveFrom = (file: string, specifier: string): string => posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.js$/, '.ts');
    for (const file of product) {
      const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, false);
      const names = new Set<string>();
      const counts = new Map<string, number>();
      const count = (node: ts.Node): void => {
        if (ts.isIdentifier(node)) counts.set(node.text, (counts.get(node.text) ?? 0) + 1);
        ts.forEachChild(node, count);
      };
      count(source);
      occurrences.set(file, counts);
      for (const statement of source.statements) {
        const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
        const isExported = modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword) ?? false;
        if (isExported) {
          if (ts.isVariableStatement(statement)) {
            for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) names.add(declaration.name.text);
          } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name !== undefined) {
            names.add(statement.name.text);
          }
        }
        if ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier !== undefined && ts.isStringLiteral(statement.moduleSpecifier)) {
          const specifier = statement.moduleSpecifier.text;
          // `#runtime` resolves to one of the runtime backends (package.json "imports"): it uses all three;
          // `#asn1` to one of the two lists of the ASN.1 schemas: it uses both.
          const targets = specifier === '#runtime' ? RUNTIME_BACKENDS : specifier === '#asn1' ? ASN1_FILES : specifier.startsWith('.') ? [resolveFrom(file, specifier)] : [];
          for (const target of targets) {
          if (ts.isImportDeclaration(statement)) {
            const clause = statement.importClause;
            if (clause?.namedBindings !== undefined) {
              if (ts.isNamespaceImport(clause.namedBindings)) used.add(`${target}#*`);
              else for (const element of clause.namedBindings.elements) used.add(`${target}#${(element.propertyName ?? element.name).text}`);
            }
          } else if (statement.exportClause === undefined) {
            starFrom.set(file, [...(starFrom.get(file) ?? []), target]);
          } else if (ts.isNamedExports(statement.exportClause)) {
            for (const element of statement.exportClause.elements) used.add(`${target}#${(element.propertyName ?? element.name).text}`);
          }
          }
        }
      }
      exported.set(file, names);
    }
    // `export *` from an entry (or from a module an entry stars) makes every export of the target public.
    const publicStar = new Set<string>();
    const visit = (file: string): void => {
      for (const target of starFrom.get(file) ?? []) {
        if (publicStar.has(target)) continue;
        publicStar.add(target);
        visit(target);
      }
    };
    for (const entry of entries) visit(entry);
    // The backend's name is how a caller (and the backend test) tells which seam a bundle chose.
    const kept = new Set(['lib/runtime/seam.ts: name', 'lib/runtime/webcrypto.ts: name']);
    const dead: string[] = [];
    for (const [file, names] of exported) {
      if (!file.startsWith('lib/') || entries.includes(file) || publicStar.has(file) || used.has(`${file}#*`)) continue;
      for (const name of names) {
        if (!used.has(`${file}#${name}`) && (occurrences.get(file)?.get(name) ?? 0) < 2) if (!kept.has(`${file}: ${name}`)) dead.push(`${file}: ${name}`);
      }
    }
    assert.deepEqual(dead, [], 'unused exports: delete them, or use them');
  });
});
