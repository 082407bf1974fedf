import type { OwedSection } from '../contract/infra';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { teamFixture, type TeamFixture } from '../pick/test_fixture';
import { addSeats, type Gate, newGate, SAME } from '../shared/signoff/gate';
import { RfcService } from './service';
import { RfcStore } from './store';

/** RFCs written straight to the store: every fifth in review with bob as reviewer, every fifth in the private channel. */
async function seed(f: TeamFixture, store: RfcStore, from: number, count: number): Promise<void> {
  for (let n = from; n < from + count; n++) {
    const inReview = n % 10 === 1 || n % 10 === 5;
    const empty: Gate = { ...newGate({ kind: 'all', n: null }, { lazyConsensus: true }), deadline: null };
    const seated = inReview ? addSeats(empty, [{ userId: f.bob.Id }], { seats: 50, concerns: 100, text: 2000 }) : SAME;
    await store.create({
      teamId: f.team.Id, title: `RFC ${n}`, docUrl: null, ownerId: f.alice.Id, status: inReview ? 'in_review' : n % 3 ? 'accepted' : 'draft',
      createdAt: n, updatedAt: n, channelId: n % 5 === 0 ? f.secret.Id : f.town.Id, rootPostId: null,
      commentPeriod: inReview ? { startedAt: n, endsAt: n + 86_400_000 } : null, review: seated === SAME ? empty : seated,
      outcome: null, supersededBy: null, supersedes: [], lastReviewedAt: null, ideaNumber: null, history: [],
    });
  }
}

test('RFC lists, the review agenda and the RFC part of /infra owe cost at most 3 KV calls at 1x, 10x and 100x', async () => {
  // The digest enrols a user at their first command (KV writes once per user): not this test's subject.
  const f = await teamFixture({ DailyDigest: false });
  const store = new RfcStore(f.h.ctx.kv);
  const service = new RfcService(f.h.ctx, { title: async () => '', link: async () => ({ previous: null }) });
  const costs: Record<string, number[]> = {};
  const measure = async (name: string, run: () => Promise<void>): Promise<void> => {
    const before = f.h.api.kvCalls;
    await run();
    (costs[name] ??= []).push(f.h.api.kvCalls - before);
  };
  const owe = async (): Promise<OwedSection[]> => {
    const res = await f.h.http('GET', `/api/v1/teams/${f.team.Id}/owe`, f.bob);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body as { sections: OwedSection[] }).sections;
  };
  // bob's owed ledger is built from the records once (a day); the writes below keep it.
  await owe();
  let stored = 0;
  for (const size of [5, 50, 500]) {
    await seed(f, store, stored + 1, size - stored);
    stored = size;
    await measure('/rfc list', async () => assert.match(await f.cmd(f.carol, '/rfc list'), new RegExp(`RFC-${String(size - 1).padStart(3, '0')} `)));
    await measure('/rfc list in_review', async () => assert.doesNotMatch(await f.cmd(f.carol, '/rfc list in_review'), /None/));
    await measure('in review (agenda)', async () => {
      const listed = await service.inReview(f.team.Id, { userId: f.carol.Id });
      assert.ok(listed.items.length > 0 && listed.hidden > 0, 'the private ones only counted');
    });
    await measure('/infra owe (its RFC part)', async () => assert.ok((await owe()).some((s) => s.feature === 'rfc' && s.items.length > 0)));
  }
  for (const [name, calls] of Object.entries(costs)) assert.ok(calls.every((c) => c <= 3), `${name}: ${calls.join(', ')} KV calls at 1x, 10x, 100x`);
  f.h.close();
});

test('the open sets are built once from the indexes; entries without snapshots are repaired on read', async () => {
  const f = await teamFixture();
  const store = new RfcStore(f.h.ctx.kv);
  await seed(f, store, 1, 12);
  f.world.kv.delete(`rfc:open:${f.team.Id}`);
  const head = JSON.parse(new TextDecoder().decode(f.world.kv.get(`rfc:tm:${f.team.Id}:h`))) as { entries: Array<{ d?: unknown }> };
  for (const e of head.entries) delete e.d;
  f.world.kv.set(`rfc:tm:${f.team.Id}:h`, new TextEncoder().encode(JSON.stringify(head)));
  f.world.kv.delete('rfc:migrated:open');
  assert.equal(await store.migrateOpenSets(1), 7, 'drafts and those in review');
  assert.equal(await store.migrateOpenSets(2), 0, 'once');
  assert.deepEqual((await store.openRfcs(f.team.Id)).map((r) => r.number).sort((a, b) => a - b), [1, 3, 5, 6, 9, 11, 12]);
  const first = await f.cmd(f.alice, '/rfc list');
  const before = f.h.api.kvCalls;
  assert.equal(await f.cmd(f.alice, '/rfc list'), first);
  assert.ok(f.h.api.kvCalls - before <= 3);
  f.h.close();
});
