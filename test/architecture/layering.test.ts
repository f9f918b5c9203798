/**
 * The layers of lib/ (README "Architecture"), held by the imports themselves: every import of a
 * lib/ module, type-only ones included, goes to the same layer or one below; no two folders import
 * each other; no file is part of an import circle. The graph is read from the sources with the
 * TypeScript parser (nothing is run).
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { repoRoot } from '../helpers/repo.js';

/** Lowest first. A path belongs to the first entry whose prefix it starts with (lib/-relative). */
export const LAYERS: readonly (readonly string[])[] = [
  ['errors.ts', 'model/'], // 0: error classes and the encoding-neutral model
  ['runtime/', 'keys/'], // 1: the crypto seam, the algorithm table, key checks
  ['ports.ts'], // 2: the role interfaces the optional parts implement
  ['codecs/', 'x509/', 'chain.ts'], // 3: encodings, X.509 path validation, the chain container
  ['trust/', 'status/', 'stores/'], // 4: trust policy, status lists, what the Redis stores share
  ['rules/'], // 5: the steps of SPEC-NOTES §6.2
  ['verify.ts', 'mint.ts'], // 6: verifying and minting chains
  ['as/', 'dpop/', 'replay/', 'redis/'], // 7: the AS side, DPoP, replay and its stores
  ['integrations/', 'client/', 'inspect/', 'vectors/', 'toolkit.ts'], // 8: oidc-provider, clients, inspection, vectors, the toolkit
  [], // 9: the package entries (package.json "exports"), listed by entryFiles()
];

/** lib/-relative sources of the package entries: package.json "exports" pointing into dist/lib/. */
export function entryFiles(root: string): Set<string> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  const entries = new Set<string>();
  for (const target of Object.values(pkg.exports)) {
    const file = typeof target === 'string' ? target : (target as { default?: string }).default;
    const match = file === undefined ? null : /^\.\/dist\/lib\/(.+)\.js$/.exec(file);
    if (match !== null) entries.add(`${match[1]}.ts`);
  }
  return entries;
}

const ENTRIES = entryFiles(repoRoot());
const ENTRY_LAYER = LAYERS.length - 1;

export function layerOf(libPath: string): number {
  if (ENTRIES.has(libPath)) return ENTRY_LAYER;
  const layer = LAYERS.findIndex((prefixes) => prefixes.some((prefix) => libPath === prefix || (prefix.endsWith('/') && libPath.startsWith(prefix))));
  return layer;
}

/** lib/-relative path of each source file → lib/-relative paths it imports (type-only included). */
export function importGraph(libDir: string): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  const files = readdirSync(libDir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .map((name) => name.split('\\').join('/'));
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(join(libDir, file), 'utf8'), ts.ScriptTarget.Latest, false);
    const targets = new Set<string>();
    const add = (specifier: string): void => {
      if (!specifier.startsWith('.')) return;
      const target = posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.js$/, '.ts');
      targets.add(target);
    };
    const visit = (node: ts.Node): void => {
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        add(node.moduleSpecifier.text);
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const [argument] = node.arguments;
        if (argument !== undefined && ts.isStringLiteral(argument)) add(argument.text);
      } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
        add(node.argument.literal.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    graph.set(file, targets);
  }
  return graph;
}

/** A file's folder unit: its first path segment, or the file itself at lib/'s top; entries stand alone. */
function unitOf(libPath: string): string {
  if (ENTRIES.has(libPath)) return libPath;
  const slash = libPath.indexOf('/');
  return slash < 0 ? libPath : libPath.slice(0, slash + 1);
}

/** The import circles: strongly connected components of more than one file (Tarjan). */
export function importCircles(graph: Map<string, Set<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const connect = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) circles.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) connect(node);
  return circles;
}

const libDir = join(repoRoot(), 'lib');
const graph = importGraph(libDir);

describe('layering of lib/', () => {
  it('every lib/ file belongs to a layer', () => {
    const unplaced = [...graph.keys()].filter((file) => layerOf(file) < 0);
    assert.deepEqual(unplaced, [], 'add these to LAYERS (and to README "Architecture")');
  });

  it('imports run to the same layer or below, never up', () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      for (const target of targets) {
        if (layerOf(target) > layerOf(file)) upward.push(`${file} (layer ${layerOf(file)}) → ${target} (layer ${layerOf(target)})`);
      }
    }
    assert.deepEqual(upward, []);
  });

  it('no two folders import each other', () => {
    const pairs = new Map<string, string>();
    for (const [file, targets] of graph) {
      for (const target of targets) {
        const from = unitOf(file);
        const to = unitOf(target);
        if (from !== to && !pairs.has(`${from} ${to}`)) pairs.set(`${from} ${to}`, `${file} → ${target}`);
      }
    }
    const mutual: string[] = [];
    for (const [key, example] of pairs) {
      const [from, to] = key.split(' ') as [string, string];
      if (from < to && pairs.has(`${to} ${from}`)) mutual.push(`${example} and ${pairs.get(`${to} ${from}`)}`);
    }
    assert.deepEqual(mutual, []);
  });

  it('no import circles', () => {
    assert.deepEqual(importCircles(graph), []);
  });

  it('the entries are read from package.json', () => {
    assert.ok(ENTRIES.has('index.ts') && ENTRIES.has('x509/index.ts') && ENTRIES.has('as/index.ts'), [...ENTRIES].join(', '));
  });

  it('the graph is read from real imports (a known import is found)', () => {
    // Guards the reader itself: were it to find nothing, every check above would pass vacuously.
    assert.ok(graph.get('verify.ts')?.has('rules/verify-chain.ts'), 'verify.ts imports rules/verify-chain.ts');
    assert.ok(importCircles(new Map([['a.ts', new Set(['b.ts'])], ['b.ts', new Set(['a.ts'])]])).length === 1);
  });
});

