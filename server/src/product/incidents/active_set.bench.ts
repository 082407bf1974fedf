/**
 * In-process figures for the active set (team_sets.ts, issue 12): what one status update costs
 * with 2,000 incidents active at once against the same write with 20 active (the baseline, same
 * run): KV bytes moved (read and written) and the process's CPU per write, for the oldest active
 * incident (past the set's head: no snapshot kept) and the newest (in the head). Before the head,
 * every write to any active incident moved the whole set (~2 MB at 2,000).
 */
import type { BenchResult } from '../../../../bench/result';
import { MemoryWorld } from '../../plugin/testing/memory_api';
import { ProductHarness } from '../testing/product_harness';
import type { Incident } from './records';
import { IncidentStore } from './store';

const SIZES = [20, 2000] as const;
const WRITES = 40;

interface Cost {
  bytes: number;
  cpuMs: number;
}

async function costs(active: number): Promise<{ oldest: Cost; newest: Cost; setBytes: number }> {
  const world = new MemoryWorld();
  const team = world.addTeam('ops');
  const alice = world.addUser('alice');
  world.addTeamMember(team.Id, alice.Id);
  const town = world.addChannel(team.Id, 'town-square');
  world.addChannelMember(town.Id, alice.Id);
  // No reminder jobs: the scheduler's own index is not what this bench measures.
  world.pluginConfig = Object.fromEntries([1, 2, 3, 4].map((s) => [`IncidentUpdateIntervalSev${s}`, 0]));
  const h = await new ProductHarness(world).activate();
  const declared = await h.http('POST', `/api/v1/teams/${team.Id}/incidents`, alice, { title: 'Template', severity: 2, private: false });
  if (declared.status !== 201) throw new Error(`declare failed: ${JSON.stringify(declared.body)}`);
  const store = new IncidentStore(h.ctx.kv);
  const template = (await store.get((declared.body as { incident: { id: string } }).incident.id))!;
  // The copies share the template's channel; written as the product writes them (record, then sync).
  for (let k = 1; k < active; k++) {
    const number = await store.reserveNumber(team.Id);
    const incident: Incident = { ...template, id: `active${String(number).padStart(20, '0')}`, number, title: `Active ${number}`, outbox: [] };
    await store.insert(incident);
    await store.sync(incident, { justDeclared: true });
  }
  const write = async (number: number): Promise<Cost> => {
    const bytes = h.api.kvBytes;
    const cpu = process.cpuUsage();
    for (let i = 0; i < WRITES; i++) {
      const res = await h.http('POST', `/api/v1/teams/${team.Id}/incidents/${number}/status`, alice, { text: `Still working on it (${i})` });
      if (res.status !== 200) throw new Error(`status update failed: ${res.status} ${JSON.stringify(res.body)}`);
    }
    const used = process.cpuUsage(cpu);
    return { bytes: (h.api.kvBytes - bytes) / WRITES, cpuMs: (used.user + used.system) / 1000 / WRITES };
  };
  const result = { oldest: await write(1), newest: await write(active), setBytes: world.kv.get(`inc:set:${team.Id}:active`)!.length };
  h.close();
  return result;
}

export default async function bench(): Promise<BenchResult[]> {
  // One after the other: CPU is read for the whole process.
  const small = await costs(SIZES[0]);
  const large = await costs(SIZES[1]);
  const name = (what: string): string => `incidents: ${what} with ${SIZES[1]} active (baseline: ${SIZES[0]} active; in-memory)`;
  return [
    { name: name('status update of the oldest active, KV bytes moved'), value: Math.round(large.oldest.bytes), unit: 'bytes', baseline: Math.round(small.oldest.bytes) },
    { name: name('status update of the newest active, KV bytes moved'), value: Math.round(large.newest.bytes), unit: 'bytes', baseline: Math.round(small.newest.bytes) },
    { name: name('status update of the oldest active, CPU'), value: +large.oldest.cpuMs.toFixed(2), unit: 'ms', baseline: +small.oldest.cpuMs.toFixed(2) },
    { name: name('status update of the newest active, CPU'), value: +large.newest.cpuMs.toFixed(2), unit: 'ms', baseline: +small.newest.cpuMs.toFixed(2) },
    { name: name('the active set record'), value: large.setBytes, unit: 'bytes', baseline: small.setBytes },
  ];
}
