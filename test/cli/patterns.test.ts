/** `tproof demo --pattern <name>` / `--pattern` / `--list`: what the demo arguments ask for. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { patternRequest } from '../../cli/commands/patterns.js';
import { PATTERNS } from '../../examples/patterns/index.js';

test('--list, a bare --pattern, or --pattern followed by another option lists the patterns', () => {
  assert.deepEqual(patternRequest(['--list']), { list: true });
  assert.deepEqual(patternRequest(['--pattern']), { list: true });
  assert.deepEqual(patternRequest(['--pattern', '--format', 'cbor']), { list: true });
  assert.deepEqual(patternRequest(['--pattern=']), { list: true });
});

test('--pattern <name> and --pattern=<name> name one pattern; no such option is the default demo', () => {
  assert.deepEqual(patternRequest(['--pattern', 'bff']), { name: 'bff' });
  assert.deepEqual(patternRequest(['--pattern=cross-domain']), { name: 'cross-domain' });
  assert.equal(patternRequest(['--as']), undefined);
});

test('the five patterns are registered, each with a folder name', () => {
  assert.deepEqual(PATTERNS.map((pattern) => pattern.name), ['spiffe-agent', 'bff', 'transaction-tokens', 'cross-domain', 'network-segmentation']);
});
