import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryApi, MemoryWorld } from '../../plugin/testing/memory_api';
import { KvRepository } from '../shared/kv';
import { builtLedger, ledgerKey, ledgerSchema, OwedLedgerReader } from '../shared/owed';
import { JitteryKv, seeded, turn, twoNodes } from '../testing/staged_kv';
import { incidentOwedFacts } from './owed';
import type { Incident } from './records';
import { IncidentStore } from './store';

const T = 'team1';
const incident = (): Incident => ({
  v: 1, id: 'inc1', teamId: T, number: 1, rev: 0, phase: 'active', title: 'db down', summary: '', type: 'outage',
  severity: 2, private: false, channelId: 'ch1', channelName: 'inc-1', cardPostId: 'p1',
  setup: { invitees: ['cmdr'], membersAdded: true, announced: true, startedAt: 1, startPhase: 'active' },
  declaredBy: 'cmdr', declaredAt: 1, updatedAt: 1, roles: { commander: 'cmdr', scribe: null, comms: null },
  milestones: { detected: null, acknowledged: null, mitigated: null, resolved: null }, lastUpdate: null,
  resolution: null, resolutions: [], followers: [], followups: [], review: { needed: false, reviewedAt: null },
  timelineCount: 0, outbox: [], components: [], customerFacing: false, publicStatus: '',
});

/** The commander's ledger fact's severity, read straight from the shared KV (what /infra owe shows until a rebuild). */
async function ledgerSeverity(kv: KvRepository): Promise<unknown> {
  const ledger = await kv.get(ledgerKey(T, 'cmdr'), ledgerSchema);
  return (ledger?.entries.find((e) => e.f === 'incidents')?.d as { severity?: unknown } | undefined)?.severity;
}

/** Declared and synced, and the commander's ledger rebuilt (builtAt now): /infra owe trusts it for a day. */
async function setUp(store: IncidentStore, kv: KvRepository): Promise<void> {
  await store.insert(incident());
  await store.sync(incident(), { justDeclared: true });
  const facts = [incidentOwedFacts(incident()).get('cmdr')!];
  const reader = new OwedLedgerReader(kv);
  const seen = await reader.read(T, 'cmdr');
  assert.ok(await reader.store(T, 'cmdr', seen, builtLedger([{ feature: 'incidents', facts }], (seen?.gen ?? 0) + 1, Date.now())));
}

test('an older sync\'s ledger write landing after a newer sync\'s is put right by its next round', async () => {
  const { held: slow, slow: kvA, other: kvB } = twoNodes(new MemoryWorld());
  const [a, b] = [new IncidentStore(kvA), new IncidentStore(kvB)];
  await setUp(a, kvA);
  // A: severity 2 → 3 (rev 1); its sync's write of the commander's ledger waits.
  const ledger = slow.hold(ledgerKey(T, 'cmdr'));
  const { after: a1 } = await a.update('inc1', (i) => ({ ...i, severity: 3 }));
  const aSync = a.sync(a1);
  await ledger.reached;
  // B: severity 3 → 1 (rev 2), synced in full.
  const { after: b2 } = await b.update('inc1', (i) => ({ ...i, severity: 1 }));
  await b.sync(b2);
  ledger.release();
  await aSync; // re-reads rev 2 and runs a second round
  assert.equal((await b.get('inc1'))!.severity, 1);
  const reader = new OwedLedgerReader(kvB);
  assert.equal(reader.needsRebuild(await reader.read(T, 'cmdr'), Date.now()), false, '/infra owe will not rebuild it for a day');
  assert.equal(await ledgerSeverity(kvB), 1, 'the commander\'s ledger says what the record says');
});

test('three nodes changing severity under random delays leave the commander\'s ledger matching the record (40 seeds)', async () => {
  const failures: number[] = [];
  for (let seed = 1; seed <= 40; seed++) {
    const world = new MemoryWorld();
    const random = seeded(seed);
    const kvs = [0, 1, 2].map(() => new KvRepository(new JitteryKv(new MemoryApi(world), random)));
    const nodes = kvs.map((kv) => new IncidentStore(kv));
    await setUp(nodes[0]!, kvs[0]!);
    await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        for (let t = Math.floor(random() * 10); t > 0; t--) await turn();
        const node = nodes[Math.floor(random() * 3)]!;
        const { after } = await node.update('inc1', (cur) => ({ ...cur, severity: ((i % 4) + 1) as Incident['severity'] }));
        await node.sync(after);
      }),
    );
    const severity = (await nodes[0]!.get('inc1'))!.severity;
    assert.equal((await nodes[0]!.index(T).entryAt(0))!.t['sev'], severity, `seed ${seed}: index`);
    if ((await ledgerSeverity(kvs[0]!)) !== severity) failures.push(seed);
  }
  assert.deepEqual(failures, [], 'seeds whose commander ledger disagrees with the record');
});

test('a sync whose next round skips to a newer rev takes back a fact the rev in between put', async () => {
  const { held: slow, slow: kvA, other: kvB } = twoNodes(new MemoryWorld());
  const [a, b] = [new IncidentStore(kvA), new IncidentStore(kvB)];
  await b.insert(incident());
  await b.sync(incident(), { justDeclared: true });
  // Both ledgers rebuilt: /infra owe trusts them for a day.
  const reader = new OwedLedgerReader(kvB);
  for (const [user, facts] of [['cmdr', [incidentOwedFacts(incident()).get('cmdr')!]], ['u', []]] as const) {
    const seen = await reader.read(T, user);
    assert.ok(await reader.store(T, user, seen, builtLedger([{ feature: 'incidents', facts: [...facts] }], (seen?.gen ?? 0) + 1, Date.now())));
  }
  // A: severity 2 → 3 (rev 1); its sync has put the sets and waits on the commander's ledger write.
  const held = slow.hold(ledgerKey(T, 'cmdr'));
  const { after: r1 } = await a.update('inc1', (i) => ({ ...i, severity: 3 }));
  const aSync = a.sync(r1);
  await held.reached;
  // B: u becomes scribe (rev 2), synced in full: u's ledger gets the fact.
  const { after: r2 } = await b.update('inc1', (i) => ({ ...i, roles: { ...i.roles, scribe: 'u' } }));
  await b.sync(r2);
  // B: u stops being scribe (rev 3); its after-answer sync has not run yet.
  const { after: r3 } = await b.update('inc1', (i) => ({ ...i, roles: { ...i.roles, scribe: null } }));
  held.release();
  await aSync; // its next round reads rev 3 and puts it in the set
  await b.sync(r3); // the set already holds rev 3: this sync leaves the ledgers to that one
  const ledger = await kvB.get(ledgerKey(T, 'u'), ledgerSchema);
  assert.equal(reader.needsRebuild(ledger, Date.now()), false, '/infra owe will not rebuild it for a day');
  assert.equal((await b.get('inc1'))!.roles.scribe, null);
  assert.deepEqual(ledger!.entries.filter((e) => e.f === 'incidents'), [], 'u owes nothing in the record');
});

/** A node's KV that counts reads per key and can fail the next write of one key (a sync cut short). */
class CountingKv extends MemoryApi {
  readonly reads = new Map<string, number>();
  private failing: string | null = null;
  failNextWrite(key: string): void {
    this.failing = key;
  }
  readsOf(key: string): number {
    return this.reads.get(key) ?? 0;
  }
  override kvGet: MemoryApi['kvGet'] = (key) => {
    this.reads.set(key, this.readsOf(key) + 1);
    return super.kvGet(key);
  };
  override kvSetWithOptions: MemoryApi['kvSetWithOptions'] = (key, value, options) => {
    if (key === this.failing) {
      this.failing = null;
      return Promise.reject(new Error(`store unavailable: ${key}`));
    }
    return super.kvSetWithOptions(key, value, options);
  };
}

const numbered = (n: number): Incident => ({ ...incident(), id: `inc${n}`, number: n, channelId: `ch${n}`, channelName: `inc-${n}` });
const severityInMetrics = async (store: IncidentStore, number: number): Promise<unknown> => (await store.metricsRows(T)).find((r) => r[0] === number)?.[2];

test('the sync of the rev after one this process synced reads only the sets and summary its change touches', async () => {
  const api = new CountingKv(new MemoryWorld());
  const store = new IncidentStore(new KvRepository(api));
  // 101 active: INC-1 is past the active set's head, so its member keeps no snapshot.
  for (let n = 1; n <= 101; n++) {
    await store.insert(numbered(n));
    await store.sync(numbered(n), { justDeclared: true });
  }
  const [activeKey, followupsKey, metricsKey] = [`inc:set:${T}:active`, `inc:set:${T}:followups`, `inc:m:${T}`];
  const readsBySync = async (change: (i: Incident) => Incident): Promise<number[]> => {
    api.reads.clear();
    const { after } = await store.update('inc1', change);
    await store.sync(after);
    return [api.readsOf(activeKey), api.readsOf(followupsKey), api.readsOf(metricsKey)];
  };
  const at = 1_000;
  assert.deepEqual(await readsBySync((i) => ({ ...i, lastUpdate: { at, by: 'cmdr', text: 'looking' } })), [1, 0, 0], 'its mark is from when it led the set');
  assert.deepEqual(await readsBySync((i) => ({ ...i, lastUpdate: { at: at + 1, by: 'cmdr', text: 'found it' } })), [0, 0, 0], 'a status update');
  assert.deepEqual(await readsBySync((i) => ({ ...i, severity: 1 })), [0, 0, 1], 'a severity change rewrites its metrics row');
  assert.deepEqual(await readsBySync((i) => ({ ...i, roles: { ...i.roles, scribe: 'u' } })), [1, 0, 0], 'a new role holder is a new ower in the set');
  assert.deepEqual(await readsBySync((i) => ({ ...i, lastUpdate: { at: at + 2, by: 'u', text: 'still' } })), [0, 0, 0]);
  // What it skipped is what it would have written: a fresh process reading everything agrees.
  const fresh = new IncidentStore(new KvRepository(new MemoryApi(api.world)));
  assert.equal(await severityInMetrics(fresh, 1), 1);
  assert.deepEqual((await fresh.setMembers(T, 'active')).find((m) => m.id === 'inc1')?.u, ['cmdr', 'u']);
});

test('a sync cut short leaves no mark: the next write reads the summary again and heals it', async () => {
  const api = new CountingKv(new MemoryWorld());
  const store = new IncidentStore(new KvRepository(api));
  await store.insert(incident());
  await store.sync(incident(), { justDeclared: true });
  // Severity 2 → 3 (rev 1): its sync fails writing the metrics row.
  api.failNextWrite(`inc:m:${T}`);
  const { after: r1 } = await store.update('inc1', (i) => ({ ...i, severity: 3 }));
  await assert.rejects(store.sync(r1), /store unavailable/);
  assert.equal(await severityInMetrics(store, 1), 2, 'left stale');
  // A status update (rev 2): the same row as rev 1, but rev 1's sync did not complete here.
  const { after: r2 } = await store.update('inc1', (i) => ({ ...i, lastUpdate: { at: 1, by: 'cmdr', text: 'working' } }));
  await store.sync(r2);
  assert.equal(await severityInMetrics(store, 1), 3);
});

test('a rev written and synced by another node in between: the next sync here reads everything', async () => {
  const world = new MemoryWorld();
  const [a, b] = [new IncidentStore(new KvRepository(new MemoryApi(world))), new IncidentStore(new KvRepository(new MemoryApi(world)))];
  await a.insert(incident());
  await a.sync(incident(), { justDeclared: true }); // A settled rev 0: severity 2
  const { after: r1 } = await b.update('inc1', (i) => ({ ...i, severity: 3 }));
  await b.sync(r1); // B: severity 3 in the summary
  const { after: r2 } = await a.update('inc1', (i) => ({ ...i, severity: 2 }));
  await a.sync(r2); // rev 2 has rev 0's row, but the summary holds rev 1's
  assert.equal(await severityInMetrics(a, 1), 2);
});
