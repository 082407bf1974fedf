import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Action } from 'redux';
import { MAX_IDS_PER_REQUEST, PROFILES_WAIT_MS, ProfileLoader, RECEIVED_PROFILES_LIST } from './profiles';

function rig(answer: (ids: string[]) => { status: number; body: unknown }, known: string[] = []) {
  const requests: Array<{ url: string; ids: string[]; headers: Record<string, string> }> = [];
  const dispatched: Action[] = [];
  const warnings: string[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const ids = JSON.parse(init.body as string) as string[];
    requests.push({ url, ids, headers: init.headers as Record<string, string> });
    const { status, body } = answer(ids);
    return new Response(JSON.stringify(body), { status });
  }) as unknown as typeof globalThis.fetch;
  const loader = new ProfileLoader({
    dispatch: ((a: Action) => (dispatched.push(a), a)) as never,
    known: (id) => known.includes(id),
    siteURL: () => 'https://chat.example.com/mm/',
    fetch,
    warn: (m) => warnings.push(m),
  });
  return { loader, requests, dispatched, warnings };
}

const users = (ids: string[]) => ids.map((id) => ({ id, username: `u-${id}` }));

describe('ProfileLoader', () => {
  it('asks once, in one batch, for the ids the host lacks, and puts them in the host store', async () => {
    const r = rig((ids) => ({ status: 200, body: users(ids) }), ['known']);
    r.loader.request(['a', 'known', 'b']);
    r.loader.request(['a', 'c', '']);
    await r.loader.flush();
    assert.equal(r.requests.length, 1);
    assert.equal(r.requests[0]!.url, '/mm/api/v4/users/ids');
    assert.deepEqual(r.requests[0]!.ids, ['a', 'b', 'c']);
    assert.equal(r.requests[0]!.headers['X-Requested-With'], 'XMLHttpRequest');
    assert.deepEqual(r.dispatched, [{ type: RECEIVED_PROFILES_LIST, data: users(['a', 'b', 'c']) }]);
    r.loader.request(['a', 'b']);
    await r.loader.flush();
    assert.equal(r.requests.length, 1, 'asked-for ids are not asked again');
  });

  it('waits for more ids before asking, and splits at the host batch size', async () => {
    const r = rig((ids) => ({ status: 200, body: users(ids) }));
    const ids = Array.from({ length: MAX_IDS_PER_REQUEST + 5 }, (_, i) => `id${i}`);
    r.loader.request(ids);
    assert.equal(r.requests.length, 0, 'nothing before the wait');
    await new Promise((res) => setTimeout(res, PROFILES_WAIT_MS + 50));
    assert.deepEqual(r.requests.map((q) => q.ids.length), [MAX_IDS_PER_REQUEST, 5]);
  });

  it('keeps names as ids on a failure, warns, and may ask again later; a missing user is not asked again', async () => {
    let status = 500;
    const r = rig((ids) => ({ status, body: status === 200 ? users(ids.filter((i) => i !== 'gone')) : { message: 'down' } }));
    r.loader.request(['a']);
    await r.loader.flush();
    assert.deepEqual(r.dispatched, []);
    assert.deepEqual(r.warnings, ['could not load user profiles']);
    status = 200;
    r.loader.request(['a', 'gone']);
    await r.loader.flush();
    assert.deepEqual(r.dispatched, [{ type: RECEIVED_PROFILES_LIST, data: users(['a']) }]);
    r.loader.request(['gone']);
    await r.loader.flush();
    assert.equal(r.requests.length, 2);
  });
});
