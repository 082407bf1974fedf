/**
 * How fast the scale bench can seed through the plugin's API, by requests in flight: one rig, the
 * team grown in equal steps of 2% of issue 12's team (200 ideas with their scores, 40 incidents
 * each with its channel, 10 RFCs, 1 guild, 4 runs), the steps alternating between widths (A B A B,
 * so the team's growth and the machine's drift hit each width alike). Answers items seeded per
 * second per width and kind, and the full team's projected seeding time at each width.
 * Uses INFRA_OPS_E2E_BUNDLE or the newest dist/infra-ops-*.tar.gz.
 */
import { onRealServer } from '../real_server';
import type { BenchResult } from '../result';
import { FULL, type Scale, scaled, Seeder } from './seed';

const STEP = 0.02;
const WIDTHS = (process.env.INFRA_OPS_BENCH_SEED_WIDTHS ?? '6,16').split(',').map(Number);
const KINDS = ['ideas', 'incidents', 'rfcs', 'runs'] as const;

export default async function bench(): Promise<BenchResult[]> {
  return onRealServer(async (rig) => {
    const [alice, bob] = rig.users;
    if (!alice || !bob) throw new Error('the rig needs two users');
    const seeder = new Seeder(rig, alice, bob);
    await seeder.prepare();
    const rates = new Map<number, Record<(typeof KINDS)[number], number[]>>();
    const order = [...WIDTHS, ...WIDTHS];
    for (const [k, width] of order.entries()) {
      seeder.width = width;
      const before: Scale = { ...seeder.have };
      const took = await seeder.to(scaled(FULL, STEP * (k + 1)), (line) => process.stderr.write(`seed width ${width}: ${line}\n`));
      const into = rates.get(width) ?? { ideas: [], incidents: [], rfcs: [], runs: [] };
      for (const kind of KINDS) if (took[kind] > 0) into[kind].push(((seeder.have[kind] - before[kind]) * 1000) / took[kind]);
      rates.set(width, into);
    }
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    return [...rates.entries()].flatMap(([width, r]): BenchResult[] => [
      ...KINDS.map((kind) => ({ name: `seeding through the API, ${width} in flight: ${kind} per second`, value: mean(r[kind]), unit: `${kind}/s` })),
      {
        name: `seeding through the API, ${width} in flight: issue 12's full team, projected`,
        value: KINDS.reduce((sum, kind) => sum + FULL[kind] / mean(r[kind]), 0) / 60,
        unit: 'min',
      },
    ]);
  });
}
