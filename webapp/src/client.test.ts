import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ClientError, addIdea, apiUrl, getIdea, listIdeas, scoreIdea, setSiteURL, sitePath } from './client';
import { fixtureIdea } from './testing/fixtures';

interface Call {
  url: string;
  init: RequestInit;
}

const g = globalThis as { fetch: typeof fetch; document?: unknown };
const realFetch = g.fetch;
let calls: Call[] = [];

function answer(status: number, body: unknown, raw = false): void {
  g.fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(raw ? String(body) : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  }) as typeof fetch;
}

describe('URL building', () => {
  afterEach(() => setSiteURL(''));

  it('keeps only the path of the SiteURL', () => {
    assert.equal(sitePath('https://chat.example.com'), '');
    assert.equal(sitePath('https://chat.example.com/'), '');
    assert.equal(sitePath('https://example.com/mattermost/'), '/mattermost');
    assert.equal(sitePath('/sub'), '/sub');
    assert.equal(sitePath(undefined), '');
  });

  it('builds plugin API URLs under the subpath, skipping empty query values and encoding the rest', () => {
    setSiteURL('https://example.com/mm');
    assert.equal(apiUrl('/teams/t/ideas', { q: 't 1', channel_id: undefined, filter: '', per_page: 100 }), '/mm/plugins/infra-ops/api/v1/teams/t/ideas?q=t+1&per_page=100');
    setSiteURL('');
    assert.equal(apiUrl('/teams/t/incidents'), '/plugins/infra-ops/api/v1/teams/t/incidents');
  });

  it('encodes path segments', async () => {
    answer(200, { idea: fixtureIdea({ teamId: 'a/b' }) });
    await getIdea('a/b', 3);
    assert.equal(calls.at(-1)?.url, '/plugins/infra-ops/api/v1/teams/a%2Fb/ideas/3');
  });
});

describe('requests', () => {
  beforeEach(() => {
    calls = [];
    g.document = { cookie: 'MMCSRF=csrf-1' };
  });
  afterEach(() => {
    g.fetch = realFetch;
    delete g.document;
  });

  it('GETs and decodes a page of ideas', async () => {
    answer(200, { items: [fixtureIdea({ number: 4 })], nextCursor: null, threshold: 5.5 });
    const page = await listIdeas('team1', { channel_id: 'ch1', filter: 'all', per_page: 100 });
    assert.equal(page.items[0]?.number, 4);
    assert.equal(page.threshold, 5.5);
    const call = calls[0]!;
    assert.equal(call.url, '/plugins/infra-ops/api/v1/teams/team1/ideas?channel_id=ch1&filter=all&per_page=100');
    assert.equal(call.init.method, 'GET');
    assert.equal((call.init.headers as Record<string, string>)['X-CSRF-Token'], undefined);
  });

  it('POSTs JSON with the CSRF token', async () => {
    answer(201, { idea: fixtureIdea() });
    await addIdea('team1', { channel_id: 'ch1', title: 'Cache the builds' });
    const call = calls[0]!;
    assert.equal(call.init.method, 'POST');
    assert.equal(call.init.body, JSON.stringify({ channel_id: 'ch1', title: 'Cache the builds' }));
    assert.equal((call.init.headers as Record<string, string>)['X-CSRF-Token'], 'csrf-1');
    assert.equal((call.init.headers as Record<string, string>)['Content-Type'], 'application/json');
  });

  it('returns the score answer with autoRevealed', async () => {
    answer(200, { idea: fixtureIdea(), autoRevealed: true });
    const res = await scoreIdea('team1', 1, 8, 3);
    assert.equal(res.autoRevealed, true);
    assert.equal(calls[0]!.url, '/plugins/infra-ops/api/v1/teams/team1/ideas/1/score');
    assert.equal(calls[0]!.init.body, '{"payoff":8,"cost":3}');
  });

  it("turns the server's {error} into a ClientError with its status", async () => {
    answer(403, { error: 'Only the owner may reveal IDEA-1.' });
    await assert.rejects(getIdea('t', 1), (err: unknown) => err instanceof ClientError && err.status === 403 && err.message === 'Only the owner may reveal IDEA-1.');
  });

  it('reports a non-JSON error body by status', async () => {
    answer(502, '<html>bad gateway</html>', true);
    await assert.rejects(getIdea('t', 1), /status 502/);
  });

  it('reports an answer that does not match the contract, naming the field', async () => {
    answer(200, { idea: { ...fixtureIdea(), number: 'one' } });
    await assert.rejects(getIdea('t', 1), /Unexpected answer from the server \(idea\.number: expected number/);
    answer(200, { idea: { ...fixtureIdea(), myScore: null } });
    await assert.rejects(getIdea('t', 1), /idea: unexpected field myScore/);
  });

  it('reports network failures', async () => {
    g.fetch = (async () => {
      throw new TypeError('Failed to fetch');
    });
    await assert.rejects(getIdea('t', 1), (err: unknown) => err instanceof ClientError && err.status === 0 && /Failed to fetch/.test(err.message));
  });
});
