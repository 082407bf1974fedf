import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Client4 } from '@mattermost/client';
import { csrfFromCookie, requestOptions } from './request_options';

const g = globalThis as { document?: unknown };

describe('requestOptions', () => {
  afterEach(() => {
    delete g.document;
  });

  it('reads MMCSRF among other cookies', () => {
    assert.equal(csrfFromCookie('a=1; MMCSRF=tok123; MMAUTHTOKEN=x'), 'tok123');
    assert.equal(csrfFromCookie('a=1'), '');
    assert.equal(csrfFromCookie(''), '');
  });

  it('adds the CSRF token to non-GET requests only', () => {
    const post = requestOptions('POST', '{}', 'MMCSRF=t');
    assert.equal((post.headers as Record<string, string>)['X-CSRF-Token'], 't');
    const get = requestOptions('GET', undefined, 'MMCSRF=t');
    assert.equal((get.headers as Record<string, string>)['X-CSRF-Token'], undefined);
  });

  // The reason this module exists instead of Client4: it must produce what Client4 would.
  for (const [method, body, cookie] of [
    ['GET', undefined, 'MMCSRF=abc'],
    ['POST', '{"a":1}', 'x=y; MMCSRF=abc'],
    ['POST', '{}', ''],
    ['DELETE', undefined, 'MMCSRF=zz'],
  ] as const) {
    it(`equals Client4.getOptions for ${method} ${body ? 'with' : 'without'} body, cookie "${cookie}"`, () => {
      g.document = { cookie };
      const client = new Client4();
      const theirs = client.getOptions(body === undefined ? { method } : { method, body });
      const ours = requestOptions(method, body, cookie);
      assert.deepEqual(ours.headers, theirs.headers);
      assert.equal(ours.credentials, theirs.credentials);
      assert.equal(ours.method, theirs.method);
      assert.equal(ours.body, theirs.body);
    });
  }
});
