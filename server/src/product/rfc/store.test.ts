import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryApi, MemoryWorld } from '../../plugin/testing/memory_api';
import { KvRepository, UNCHANGED } from '../shared/kv';
import { ledgerKey, ledgerSchema } from '../shared/owed';
import { JitteryKv, seeded, turn, twoNodes } from '../testing/staged_kv';
import { rfcSchema } from './records';
import { type NewRfc, RfcStore } from './store';

const T = 'team1';
function draft(): NewRfc {
  const { v: _v, number: _n, ordinal: _o, ...rest } = rfcSchema.parse({
    v: 1, teamId: T, number: 1, title: 'Move to PG17', docUrl: null, ownerId: 'owner', status: 'in_review',
    createdAt: 1, updatedAt: 1, ordinal: 0, channelId: 'c1', rootPostId: null,
    reviewers: [{ userId: 'bob', signedOffAt: null }], commentPeriod: { startedAt: 1, endsAt: 100 }, concerns: [],
    outcome: null, supersededBy: null, supersedes: [], lastReviewedAt: null, ideaNumber: null,
    history: [{ at: 1, by: 'owner', action: 'new', note: null }],
  });
  return rest;
}

test('an older write\'s copies landing after a newer write rejected the RFC are written again from the record', async () => {
  const world = new MemoryWorld();
  const { held: slow, slow: kvA, other: kvB } = twoNodes(world);
  const [a, b] = [new RfcStore(kvA), new RfcStore(kvB)];
  const rfc = await a.create(draft());
  // A edits the title (still in review); its resync's index write waits.
  const put = slow.hold(`rfc:tm:${T}:h`);
  const aEdit = a.update(T, rfc.number, (r) => ({ ...r, title: 'Move to PG17 (v2)', updatedAt: 10 }));
  await put.reached;
  // Meanwhile B rejects it (a final status: nothing writes this RFC again), and its resync completes.
  await b.update(T, rfc.number, (r) => ({ ...r, status: 'rejected', updatedAt: 20 }));
  put.release();
  await aEdit;
  assert.equal((await b.get(T, rfc.number))!.status, 'rejected');
  assert.deepEqual((await b.openRfcs(T)).map((r) => [r.number, r.status]), [], 'a rejected RFC is not in the open set');
  assert.equal((await b.teamIndex(T).entryAt(rfc.ordinal))!.t['s'], 'rejected', 'its index entry says rejected');
});

test('three nodes editing and one rejecting under random delays leave the open set and the index matching the record (40 seeds)', async () => {
  const failures: string[] = [];
  for (let seed = 1; seed <= 40; seed++) {
    const world = new MemoryWorld();
    const random = seeded(seed);
    const nodes = [0, 1, 2].map(() => new RfcStore(new KvRepository(new JitteryKv(new MemoryApi(world), random))));
    const rfc = await nodes[0]!.create(draft());
    let clock = 10;
    await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        for (let t = Math.floor(random() * 10); t > 0; t--) await turn();
        // updatedAt rises with every attempt, so it follows the compare-and-set order (no clock skew).
        await nodes[Math.floor(random() * 3)]!.update(T, rfc.number, (r) =>
          r.status !== 'in_review' ? UNCHANGED : i === 3 ? { ...r, status: 'rejected', updatedAt: clock++ } : { ...r, title: `edit ${i}`, updatedAt: clock++ },
        );
      }),
    );
    const open = await nodes[0]!.openRfcs(T);
    const tag = (await nodes[0]!.teamIndex(T).entryAt(rfc.ordinal))!.t['s'];
    if (open.length !== 0 || tag !== 'rejected') failures.push(`${seed}:${open.length ? 'open-set' : ''}${tag !== 'rejected' ? '+index' : ''}`);
  }
  assert.deepEqual(failures, [], 'seeds whose open set or index disagree with the rejected record');
});

test('an older write\'s owed facts landing after a newer write rejected the RFC are taken back', async () => {
  const world = new MemoryWorld();
  const { held: slow, slow: kvA, other: kvB } = twoNodes(world);
  const [a, b] = [new RfcStore(kvA), new RfcStore(kvB)];
  const rfc = await a.create(draft());
  const bobsFacts = async (): Promise<unknown[]> =>
    ((await kvB.get(ledgerKey(T, 'bob'), ledgerSchema))?.entries ?? []).filter((e) => e.f === 'rfc').map((e) => e.d);
  assert.equal((await bobsFacts()).length, 1, 'bob owes his review');
  // A renames it (bob's fact names the title): that write to bob's ledger waits while B rejects the RFC.
  const ledger = slow.hold(ledgerKey(T, 'bob'));
  const aEdit = a.update(T, rfc.number, (r) => ({ ...r, title: 'Renamed', updatedAt: 10 }));
  await ledger.reached;
  await b.update(T, rfc.number, (r) => ({ ...r, status: 'rejected', updatedAt: 20 }));
  assert.deepEqual(await bobsFacts(), [], 'rejected: bob owes nothing');
  ledger.release();
  await aEdit;
  assert.deepEqual(await bobsFacts(), [], 'and still nothing once the older write has landed');
});
