import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryApi, MemoryWorld } from '../../plugin/testing/memory_api';
import { teamFixture } from '../pick/test_fixture';
import { KvRepository } from '../shared/kv';
import { HeldKv } from '../testing/staged_kv';
import { type Later, RunStore } from './store';

test('a list copy read before another node finished the run, landing after it, is put again from the run', async () => {
  const f = await teamFixture({ DailyDigest: false });
  await f.cmd(f.alice, '/release start 1.0');
  const { v: _v, number: _n, ordinal: _o, ...draft } = (await new RunStore(f.h.ctx.kv).get(f.team.Id, 1))!;
  f.h.close();

  const world = new MemoryWorld();
  const slow = new HeldKv(new MemoryApi(world));
  const pending: Array<Promise<void>> = [];
  const later: Later = (_key, _what, work) => void pending.push(work());
  const a = new RunStore(new KvRepository(slow), undefined, later);
  const b = new RunStore(new KvRepository(new MemoryApi(world)), undefined, later);
  const run = await a.create({ ...draft, status: 'active' });
  const team = run.teamId;
  // A renames the run (no status change): its list copy follows after the answer, from a fresh read; that put waits.
  const put = slow.hold(`run:tm:${team}:h`);
  await a.update(team, run.number, (r) => ({ ...r, name: 'renamed' }));
  await put.reached;
  // B finishes it: its entry is put before its answer.
  await b.update(team, run.number, (r) => ({ ...r, status: 'finished' }));
  put.release();
  await Promise.all(pending);
  assert.equal((await b.get(team, run.number))!.status, 'finished');
  assert.equal((await b.teamIndex(team).entryAt(run.ordinal))!.t['s'], 'finished', 'the list entry says finished');
});
