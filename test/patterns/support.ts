/** Assertions shared by the pattern tests: a token response refused with an OAuth error and library code. */
import assert from 'node:assert/strict';
import { errorCode, type HttpResult } from '../../examples/patterns/support.js';

export function assertRefused(response: HttpResult, error: string, code: string): void {
  assert.ok(response.status === 400 || response.status === 401, `HTTP ${response.status} ${JSON.stringify(response.body)}`);
  assert.equal(response.body.error, error, JSON.stringify(response.body));
  assert.equal(errorCode(response), code, JSON.stringify(response.body));
  assert.equal(response.body.access_token, undefined);
}

export function assertIssued(response: HttpResult): string {
  assert.equal(response.status, 200, JSON.stringify(response.body));
  assert.equal(response.body.token_type, 'DPoP');
  assert.equal(typeof response.body.access_token, 'string');
  return response.body.access_token as string;
}
