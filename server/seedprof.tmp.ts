import { writeFileSync } from 'node:fs';
import { teamFixture } from './src/product/pick/test_fixture';
import { PickStore } from './src/product/pick/store';
async function main(): Promise<void> {
  const f = await teamFixture();
  const store = new PickStore(f.h.ctx.kv);
  const t0 = performance.now();
  const c0 = f.h.api.kvCalls;
  for (let i = 1; i <= 1000; i++) {
    await store.create({ teamId: f.team.Id, channelId: f.town.Id, title: `Idea ${i}`, ownerId: f.alice.Id, createdAt: i, updatedAt: i, round: 1, asked: [f.alice.Id, f.bob.Id, f.carol.Id], scores: { [f.bob.Id]: { payoff: 7, cost: 3, at: i } }, history: [], rfcNumber: null, archived: null, revealed: null });
  }
  writeFileSync('/tmp/seedprof.txt', JSON.stringify({ msPerIdea: (performance.now() - t0) / 1000, calls: (f.h.api.kvCalls - c0) / 1000 }));
  f.h.close();
}
main().catch((e) => writeFileSync('/tmp/seedprof.err', String(e)));
