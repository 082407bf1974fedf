/**
 * Hostile input against every route of the contract and every registered slash command: huge
 * fields, backtracking bait, odd unicode, wrong types and corrupt KV records. Every answer must be
 * a clear user error or a success — never an internal error — and no input may stall the process
 * (a super-linear regular expression on a 1 MB field takes seconds; the bound here is generous so
 * only such a blow-up fails it; the 50 ms figure is measured by the benchmark).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as z from 'zod/mini';
import { fillPath, type Route } from './contract/api';
import { guildRoutes } from './contract/guilds';
import { incidentRoutes } from './contract/incidents';
import { infraRoutes } from './contract/infra';
import { pickRoutes } from './contract/pick';
import { rfcRoutes } from './contract/rfc';
import type { AutocompleteData } from '../plugin/model/types';
import { teamFixture, type TeamFixture } from './pick/test_fixture';

const MB = 1_000_000;
const STALL_MS = 2_000;

/** Strings that have hurt parsers: size, separators that bait backtracking, unicode edge cases. */
const HOSTILE_STRINGS: readonly string[] = [
  'a'.repeat(MB),
  '@' + ';'.repeat(200_000) + 'x',
  ','.repeat(100_000) + '@',
  '0'.repeat(100_000) + 'x',
  '--x '.repeat(20_000),
  '"'.repeat(50_000),
  "'".repeat(50_000) + 'x',
  '-'.repeat(100_000) + '!',
  ' '.repeat(100_000) + 'x',
  '\u0000\u0001\u202e\ufeff',
  '🔥'.repeat(20_000),
  'é'.normalize('NFD').repeat(50_000),
  '@channel @all @here',
  '${constructor}__proto__',
];

/** A value of each JSON kind that a schema may not expect. */
const HOSTILE_VALUES: readonly unknown[] = [...HOSTILE_STRINGS, -1, 1e308, Number.MAX_SAFE_INTEGER + 2, true, null, [], Array.from({ length: 10_000 }, () => 'x'), { __proto__: { admin: true } }];

const ROUTE_TABLES: ReadonlyArray<Readonly<Record<string, Route>>> = [incidentRoutes, pickRoutes, rfcRoutes, guildRoutes, infraRoutes];

function fieldsOf(schema: Route['body']): string[] {
  const def = (schema as unknown as { _zod?: { def?: { type?: string; shape?: Record<string, z.ZodMiniType> } } } | null)?._zod?.def;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function pathFor(route: Route, f: TeamFixture): string {
  const params: Record<string, string | number> = { teamId: f.team.Id, channelId: f.town.Id, number: 1, slug: 'infrastructure-guild', n: 1, concernId: 1 };
  return '/api/v1' + fillPath(route.path, params as never);
}

async function timed<T>(what: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  const took = performance.now() - started;
  assert.ok(took < STALL_MS, `${what} took ${took.toFixed(0)} ms`);
  return result;
}

async function seedSomething(f: TeamFixture): Promise<void> {
  await f.cmd(f.alice, '/incident declare sev2 Hostile input drill --public');
  await f.cmd(f.alice, '/pick add Something to score');
  await f.cmd(f.alice, '/rfc new Something to review');
  await f.cmd(f.alice, '/guild list');
}

test('every route answers hostile bodies and queries with a clear error, never a 500 or a stall', async () => {
  const f = await teamFixture();
  await seedSomething(f);
  let calls = 0;
  for (const table of ROUTE_TABLES) {
    for (const [name, route] of Object.entries(table)) {
      const path = pathFor(route, f);
      const fields = fieldsOf(route.body);
      const bodies: unknown[] = route.body ? [...fields.flatMap((field) => HOSTILE_VALUES.map((v) => ({ [field]: v }))), 'not json {', []] : [undefined];
      for (const body of bodies) {
        const answer = await timed(`${route.method} ${route.path} (${name})`, () => f.h.http(route.method, path, f.alice, body));
        calls++;
        assert.ok(answer.status < 500, `${route.method} ${route.path} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 200)}`);
        assert.ok(typeof answer.body === 'object' && answer.body !== null, `${route.path} answered JSON`);
      }
      for (const value of HOSTILE_STRINGS.slice(0, 6)) {
        const query = `?cursor=${encodeURIComponent(value.slice(0, 4_000))}&per_page=${encodeURIComponent(value.slice(0, 100))}`;
        const answer = await timed(`${route.path} query`, () => f.h.http(route.method, path + query, f.alice, route.body ? {} : undefined));
        assert.ok(answer.status < 500, `${route.method} ${route.path}${query.slice(0, 40)} answered ${answer.status}`);
      }
    }
  }
  assert.ok(calls > 200, `covered ${calls} calls`);
  f.h.close();
});

function commandPaths(data: AutocompleteData, prefix: string): string[] {
  const path = `${prefix} ${data.Trigger}`.trim();
  const children = (data.SubCommands ?? []).filter((s) => s.Trigger !== 'help');
  return children.length === 0 ? [path] : [path, ...children.flatMap((c) => commandPaths(c, path))];
}

test('every slash command answers hostile arguments with a clear reply, never an internal error or a stall', async () => {
  const f = await teamFixture();
  await seedSomething(f);
  const paths = [...f.h.world.commands.values()].flatMap((c) => commandPaths(c.AutocompleteData as AutocompleteData, '/'));
  assert.ok(paths.length > 40, `found ${paths.length} command paths`);
  for (const path of paths) {
    for (const value of HOSTILE_STRINGS) {
      const text = `${path} ${value.slice(0, 16_000)}`;
      const reply = await timed(path, () => f.cmd(f.alice, text));
      assert.doesNotMatch(reply, /went wrong on our side/, `${path} with ${JSON.stringify(value.slice(0, 20))}…`);
    }
    const numbered = await timed(path, () => f.cmd(f.alice, `${path} 1 ${'x'.repeat(16_000)}`));
    assert.doesNotMatch(numbered, /went wrong on our side/, `${path} 1 <long text>`);
  }
  f.h.close();
});

test('a corrupt record under any key never breaks a list, a page or a scheduler tick', async () => {
  const f = await teamFixture();
  await seedSomething(f);
  const keys = await f.h.api.kvList(0, 1_000);
  assert.ok(keys.length > 10, `the drill wrote ${keys.length} keys`);
  const lists = ['/incident list all', '/pick list', '/rfc list', '/guild list', '/infra owe', '/pick board'];
  for (const key of keys) {
    const before = await f.h.api.kvGet(key);
    await f.h.api.kvSet(key, Buffer.from('{"v":999,"garbage":true'));
    for (const list of lists) {
      const reply = await f.cmd(f.alice, list);
      assert.doesNotMatch(reply, /went wrong on our side/, `${list} with ${key} corrupt`);
    }
    await f.h.ctx.scheduler.runDue();
    if (before) await f.h.api.kvSet(key, before);
  }
  f.h.close();
});
