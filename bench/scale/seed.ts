/**
 * Fills one team on the real server through the plugin's own HTTP API (the product's code writes
 * every record, index and summary, exactly as for a user; nothing is hand-made), a few requests
 * in flight at a time. Seeding is incremental: `to(target)` adds what is missing, so one rig goes
 * 1x → 10x → 100x.
 *
 * Shape: ideas spread over IDEA_CHANNELS channels whose members are the viewer (alice) and bob,
 * so each idea asks both; every fourth idea scored by both (revealed automatically), every fourth
 * by bob only (alice owes it), the rest unscored. Incidents declared by alice (each gets its own
 * channel). RFCs in the idea channels. Guilds meeting in the first idea channel. Runs started from
 * town-square (each gets its own channel and pinned card).
 */
import type { Rig, RigUser } from '../../e2e/rig';
import { Http, inPool } from './http';

export interface Scale {
  ideas: number;
  incidents: number;
  rfcs: number;
  guilds: number;
  runs: number;
}

/** Issue 12's team: 10,000 ideas, 2,000 incidents, 500 RFCs, 50 guilds, 200 runs. */
export const FULL: Scale = { ideas: 10_000, incidents: 2_000, rfcs: 500, guilds: 50, runs: 200 };

export const IDEA_CHANNELS = 10;
/**
 * Requests in flight while seeding (INFRA_OPS_BENCH_SEED_WIDTH overrides). seed.rig.bench.ts
 * measures widths side by side; the README's Measured prose says why this one.
 */
export const SEED_WIDTH = Number(process.env.INFRA_OPS_BENCH_SEED_WIDTH ?? '6');

export function scaled(scale: Scale, factor: number): Scale {
  const of = (n: number): number => Math.max(1, Math.round(n * factor));
  return { ideas: of(scale.ideas), incidents: of(scale.incidents), rfcs: of(scale.rfcs), guilds: of(scale.guilds), runs: of(scale.runs) };
}

export class Seeder {
  readonly have: Scale = { ideas: 0, incidents: 0, rfcs: 0, guilds: 0, runs: 0 };
  readonly ideaChannels: string[] = [];
  /** Idea numbers by seeding order, so a write can pick one of a known kind. */
  readonly ideaNumbers: number[] = [];
  readonly incidentNumbers: number[] = [];
  readonly runNumbers: number[] = [];
  readonly guildSlugs: string[] = [];
  /** Requests in flight at once (guilds go one at a time: their limit is checked in order). */
  width = SEED_WIDTH;
  private readonly http: Http;
  private readonly team: string;

  constructor(
    private readonly rig: Rig,
    readonly viewer: RigUser,
    readonly other: RigUser,
  ) {
    this.http = new Http(rig);
    this.team = `/teams/${rig.team.id}`;
  }

  async prepare(): Promise<void> {
    const tag = Date.now().toString(36);
    for (let c = 0; c < IDEA_CHANNELS; c++) {
      const channel = await this.viewer.client.createChannel({ team_id: this.rig.team.id, name: `ideas-${tag}-${c}`, display_name: `Ideas ${c}`, type: 'O' } as never);
      await this.viewer.client.addToChannel(this.other.id, channel.id);
      this.ideaChannels.push(channel.id);
    }
  }

  /** Adds what is missing up to `target`; answers how long each kind took (ms). */
  async to(target: Scale, log: (line: string) => void): Promise<Record<keyof Scale, number>> {
    const took = { ideas: 0, incidents: 0, rfcs: 0, guilds: 0, runs: 0 };
    const lap = async (kind: keyof Scale, work: (from: number, to: number) => Promise<void>): Promise<void> => {
      const from = this.have[kind];
      if (target[kind] <= from) return;
      const start = performance.now();
      await work(from, target[kind]);
      took[kind] = performance.now() - start;
      this.have[kind] = target[kind];
      log(`seeded ${kind} ${from} → ${target[kind]} in ${(took[kind] / 1000).toFixed(1)} s`);
    };
    await lap('ideas', (from, to) => inPool(from, to, this.width, (i) => this.idea(i)));
    await lap('incidents', (from, to) => inPool(from, to, this.width, (i) => this.incident(i)));
    await lap('rfcs', (from, to) => inPool(from, to, this.width, (i) => this.rfc(i)));
    await lap('guilds', (from, to) => inPool(from, to, 1, (i) => this.guild(i)));
    await lap('runs', (from, to) => inPool(from, to, this.width, (i) => this.run(i)));
    return took;
  }

  private async idea(i: number): Promise<void> {
    const channelId = this.ideaChannels[i % IDEA_CHANNELS]!;
    const title = `Idea ${i}: make the ${['builds', 'deploys', 'alerts', 'queues'][i % 4]} faster`;
    const { idea } = await this.http.pluginJson<{ idea: { number: number } }>(this.viewer, 'POST', `${this.team}/ideas`, { channel_id: channelId, title }, 201);
    this.ideaNumbers[i] = idea.number;
    const score = (user: RigUser, k: number) =>
      this.http.pluginJson(user, 'POST', `${this.team}/ideas/${idea.number}/score`, { payoff: 1 + ((i + k) % 10), cost: 1 + ((i * 3 + k) % 10) }, 200);
    if (i % 4 === 0) {
      await score(this.other, 1);
      await score(this.viewer, 2);
    } else if (i % 4 === 1) {
      await score(this.other, 1);
    }
  }

  private async incident(i: number): Promise<void> {
    const { incident } = await this.http.pluginJson<{ incident: { number: number } }>(
      this.viewer,
      'POST',
      `${this.team}/incidents`,
      { title: `Scale incident ${i}`, severity: 1 + (i % 4), private: false },
      201,
    );
    this.incidentNumbers[i] = incident.number;
  }

  private async rfc(i: number): Promise<void> {
    await this.http.pluginJson(this.viewer, 'POST', `${this.team}/rfcs`, { title: `RFC ${i}: a design`, channel_id: this.ideaChannels[i % IDEA_CHANNELS]! }, 201);
  }

  private async guild(i: number): Promise<void> {
    const r = await this.http.plugin(this.viewer, 'POST', `${this.team}/guilds`, {
      name: `Scale guild ${i}`,
      day: i % 5,
      time: '10:00',
      time_zone: i % 2 ? 'Europe/Berlin' : 'America/New_York',
      channel_id: this.ideaChannels[0]!,
    });
    // A team holds at most 50 guilds, seeded ones included: the limit is the scale then.
    if (r.status === 409) return;
    if (r.status !== 201) throw new Error(`guild ${i}: ${r.status} ${r.body.slice(0, 300)}`);
    this.guildSlugs.push((JSON.parse(r.body) as { guild: { slug: string } }).guild.slug);
  }

  private async run(i: number): Promise<void> {
    const { run } = await this.http.pluginJson<{ run: { number: number } }>(
      this.viewer,
      'POST',
      `${this.team}/runs`,
      { kind: 'release', name: `scale ${i}`, channel_id: this.rig.channelId },
      201,
    );
    this.runNumbers[i] = run.number;
  }
}
