/**
 * Unit tests of the matching and parsing helpers behind rules 9 and 10.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dnsNameMatches, isDnsName, uriHost, uriHostMatches } from '../../lib/x509/name-constraints.js';
import { parseSpiffeId } from '../../lib/x509/identity.js';

describe('name constraint matching', () => {
  test('dNSName: a domain matches itself and its subdomains, "" everything (a leading dot is refused when compiling)', () => {
    assert.ok(dnsNameMatches('example.com', 'example.com'));
    assert.ok(dnsNameMatches('a.b.example.com', 'example.com'));
    assert.ok(!dnsNameMatches('badexample.com', 'example.com'));
    assert.ok(dnsNameMatches('anything.test', ''));
  });

  test('URI host: exact host, or subdomains with a leading dot', () => {
    assert.ok(uriHostMatches('example.org', 'example.org'));
    assert.ok(!uriHostMatches('a.example.org', 'example.org'));
    assert.ok(uriHostMatches('a.example.org', '.example.org'));
    assert.ok(!uriHostMatches('example.org', '.example.org'));
    assert.ok(!uriHostMatches('aexample.org', '.example.org'));
  });

  test('uriHost extracts the host (the trust domain of a SPIFFE ID) and refuses what it cannot match safely', () => {
    assert.equal(uriHost('spiffe://example.org/ns/a'), 'example.org');
    assert.equal(uriHost('https://API.Example.org:8443/x?y#z'), 'api.example.org');
    assert.equal(uriHost('https://example.org'), 'example.org');
    for (const uri of ['urn:x:y', 'mailto:a@example.org', 'https://user@example.org/', 'https://[::1]/', 'https://10.0.0.1/', 'https://ex%41mple.org/', 'https://exämple.org/', 'https:///path', 'https://a..b/', 'https://127.1/', 'https://2130706433/', 'https://0x7f.1/', 'https://example.123/', 'https://example.org./']) {
      assert.equal(uriHost(uri), undefined, uri);
    }
  });

  test('isDnsName', () => {
    assert.ok(isDnsName('a-b.example.com'));
    for (const name of ['', '.example.com', 'example.com.', 'a..b', '*.example.com', '-a.example.com', 'a'.repeat(64) + '.com']) {
      assert.ok(!isDnsName(name), name);
    }
  });
});

describe('SPIFFE ID parsing', () => {
  test('valid IDs', () => {
    assert.deepEqual(parseSpiffeId('spiffe://example.org/ns/prod/sa/agent'), { trustDomain: 'example.org', path: '/ns/prod/sa/agent' });
    assert.deepEqual(parseSpiffeId('spiffe://example.org'), { trustDomain: 'example.org', path: '' });
    assert.deepEqual(parseSpiffeId('spiffe://my_td-1.example/A.b-c_d'), { trustDomain: 'my_td-1.example', path: '/A.b-c_d' });
  });

  test('invalid IDs', () => {
    const invalid = [
      'SPIFFE://example.org/a',
      'spiffe://Example.org/a',
      'spiffe://',
      'spiffe:///a',
      'spiffe://example.org/',
      'spiffe://example.org//a',
      'spiffe://example.org/a/./b',
      'spiffe://example.org/a/..',
      'spiffe://example.org:8080/a',
      'spiffe://user@example.org/a',
      'spiffe://example.org/a?q=1',
      'spiffe://example.org/a#f',
      'spiffe://example.org/a%20b',
      `spiffe://example.org/${'a'.repeat(2048)}`,
      'https://example.org/a',
    ];
    for (const id of invalid) assert.equal(parseSpiffeId(id), undefined, id);
  });
});
