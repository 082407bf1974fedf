/**
 * Test-only: the guilds feature on its own, on the in-memory Mattermost (MemoryWorld), with fake
 * agenda sources that filter by reader the way the ports require. Several nodes may share one
 * world, as HA nodes share one database. Independent of the other features' wiring.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Channel, Team, User } from '../../plugin/model/types';
import { MemoryApi, MemoryWorld } from '../../plugin/testing/memory_api';
import { Access } from '../shared/access/policy';
import { CommandRouter } from '../shared/commands';
import type { Feature, Logger, ProductContext } from '../shared/context';
import { EventPublisher } from '../shared/events';
import { errorHandler, jsonBody, requireUser } from '../shared/http';
import { KvRepository } from '../shared/kv';
import type { IdeaAgendaItem, IncidentReviewItem, Listed, Reader, RfcReviewItem } from '../shared/ports';
import { Scheduler } from '../shared/scheduler';
import { AfterAnswer } from '../shared/after_answer';
import { seedTeam } from '../testing/team_seed';
import { createGuildsFeature } from './feature';
import type { GuildService, GuildSources } from './service';

type WithChannel<T> = T & { channelId: string; teamId: string };

/** Agenda sources as the other features implement the ports: filtered by reader, the rest counted. */
export class FakeSources implements GuildSources {
  incidentItems: Array<WithChannel<IncidentReviewItem>> = [];
  rfcItems: Array<WithChannel<RfcReviewItem>> = [];
  ideaItems: Array<WithChannel<IdeaAgendaItem>> = [];
  /** markReviewed calls, and the ids it marked. */
  marked: Array<{ actor: string; ids: readonly string[]; marked: string[] }> = [];
  /** Ids the incidents feature refuses to mark (the actor may not steer them). */
  refuse = new Set<string>();
  readerLog: Reader[] = [];

  constructor(private readonly world: MemoryWorld) {}

  private async listed<T extends { channelId: string; teamId: string }>(items: readonly T[], teamId: string, reader: Reader): Promise<Listed<T>> {
    this.readerLog.push(reader);
    const access = new Access(new MemoryApi(this.world));
    const ofTeam = items.filter((i) => i.teamId === teamId);
    const seen = await Promise.all(
      ofTeam.map(async (i) => {
        if ('userId' in reader) return access.canRead(reader.userId, i.channelId);
        const channel = await access.channel(i.channelId);
        const target = await access.channel(reader.channelId);
        return channel?.Type === 'O' && channel.TeamId === target?.TeamId;
      }),
    );
    return { items: ofTeam.filter((_, k) => seen[k]), hidden: seen.filter((s) => !s).length };
  }

  readonly incidents = {
    pendingReview: (teamId: string, reader: Reader) => this.listed(this.incidentItems, teamId, reader),
    markReviewed: async (actor: string, teamId: string, ids: readonly string[]): Promise<string[]> => {
      const marked = ids.filter((id) => !this.refuse.has(id) && this.incidentItems.some((i) => i.incidentId === id && i.teamId === teamId));
      this.incidentItems = this.incidentItems.filter((i) => !marked.includes(i.incidentId));
      this.marked.push({ actor, ids, marked });
      return marked;
    },
  };
  readonly rfcs = { inReview: (teamId: string, reader: Reader) => this.listed(this.rfcItems, teamId, reader) };
  readonly ideas = { challengeAgenda: (teamId: string, reader: Reader) => this.listed(this.ideaItems, teamId, reader) };
}

export interface GuildNode {
  api: MemoryApi;
  ctx: ProductContext;
  service: GuildService;
  feature: Feature;
  clock: { now: number };
  cmd(user: User, text: string, channel?: Channel, team?: Team): Promise<string>;
  http(method: string, path: string, user: User | null, body?: unknown): Promise<{ status: number; body: unknown }>;
  poll(): Promise<number>;
  close(): void;
}

const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export async function guildNode(world: MemoryWorld, sources: GuildSources, clock: { now: number }, defaultChannel: Channel): Promise<GuildNode> {
  const api = new MemoryApi(world);
  const kv = new KvRepository(api);
  const now = (): number => clock.now;
  const log: Logger = {
    ...quiet,
    warn: (message, fields) => world.logs.push({ level: 'warn', message, fields }),
    error: (message, fields) => world.logs.push({ level: 'error', message, fields }),
  };
  const ctx: ProductContext = {
    api,
    kv,
    log,
    botUserId: await api.ensureBotUser({ Username: 'infra-ops', DisplayName: 'Infra Ops' }),
    access: () => new Access(api),
    now,
    version: 'test',
    events: new EventPublisher(api, log),
    scheduler: new Scheduler(kv, now, log, { random: () => 0.5 }),
    afterAnswer: new AfterAnswer(log),
    settings: () => Object.fromEntries(Object.entries(world.pluginConfig).map(([k, v]) => [k.toLowerCase(), v])),
  };
  const feature = createGuildsFeature(ctx, sources);
  await feature.activate!();
  const router = new CommandRouter((err) => {
    throw err;
  });
  for (const spec of feature.commands ?? []) router.register(spec);
  const app = express();
  const v1 = express.Router();
  v1.use(requireUser, jsonBody());
  feature.routes!(v1);
  app.use('/api/v1', v1);
  app.use((_req, res) => res.status(404).json({ error: 'Not found.' }));
  app.use(errorHandler((message, fields) => world.logs.push({ level: 'error', message, fields })));
  const server = createServer(app);
  const port = new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
  server.unref();
  return {
    api,
    ctx,
    service: feature.service,
    feature,
    clock,
    cmd: async (user, text, channel = defaultChannel, team) =>
      (
        await router.execute({
          UserId: user.Id,
          ChannelId: channel.Id,
          TeamId: team?.Id ?? channel.TeamId,
          Command: text,
          TriggerId: 't',
          SiteURL: 'http://localhost:8065',
        })
      ).Text ?? '',
    http: async (method, path, user, body) => {
      const headers: Record<string, string> = {};
      if (user) headers['Mattermost-User-Id'] = user.Id;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const response = await fetch(`http://127.0.0.1:${await port}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON
      }
      return { status: response.status, body: parsed };
    },
    poll: () => ctx.scheduler.runDue(),
    close: () => server.close(),
  };
}

export interface GuildFixture extends GuildNode {
  world: MemoryWorld;
  sources: FakeSources;
  team: Team;
  /** A second team: bob is in both; olga only there. */
  other: Team;
  alice: User;
  bob: User;
  carol: User;
  dave: User;
  admin: User;
  /** Team admin of `team`. */
  tina: User;
  /** A guest of `team`, only in `guestroom`. */
  gina: User;
  /** In `other` only. */
  olga: User;
  outsider: User;
  /** Open: alice, bob, carol. */
  town: Channel;
  /** Private: alice, bob. */
  secret: Channel;
  /** Open and read-only for ordinary members: alice is its admin, carol a member. */
  announce: Channel;
  /** Private: alice and the guest gina. */
  guestroom: Channel;
  /** `other`'s open channel: bob, olga. */
  elsewhere: Channel;
  /** More nodes on the same world (HA). */
  node(): Promise<GuildNode>;
  events(name: string): Array<{ payload: Record<string, unknown>; broadcast: unknown }>;
}

export async function guildFixture(settings: Record<string, unknown> = {}, start = Date.UTC(2027, 0, 4, 9, 0, 0)): Promise<GuildFixture> {
  const clock = { now: start };
  const world = new MemoryWorld(() => clock.now);
  world.pluginConfig = settings;
  const { team, alice, bob, carol, dave, admin, outsider, town } = seedTeam(world);
  for (const u of [alice, bob, carol]) world.addChannelMember(town.Id, u.Id);
  const secret = world.addChannel(team.Id, 'secret', 'P');
  for (const u of [alice, bob]) world.addChannelMember(secret.Id, u.Id);
  const tina = world.addUser('tina');
  world.addTeamMember(team.Id, tina.Id, 'team_user team_admin');
  const gina = world.addUser('gina', { Roles: 'system_guest' });
  world.addTeamMember(team.Id, gina.Id, 'team_guest');
  const guestroom = world.addChannel(team.Id, 'guestroom', 'P');
  world.addChannelMember(guestroom.Id, alice.Id);
  world.addChannelMember(guestroom.Id, gina.Id, 'channel_guest');
  const announce = world.addChannel(team.Id, 'announce');
  world.addChannelMember(announce.Id, alice.Id, 'channel_user channel_admin');
  world.addChannelMember(announce.Id, carol.Id);
  world.readOnlyChannels.add(announce.Id);
  const other = world.addTeam('elsewhere');
  const olga = world.addUser('olga');
  world.addTeamMember(other.Id, olga.Id);
  world.addTeamMember(other.Id, bob.Id);
  const elsewhere = world.addChannel(other.Id, 'elsewhere-square');
  for (const u of [bob, olga]) world.addChannelMember(elsewhere.Id, u.Id);
  const sources = new FakeSources(world);
  const first = await guildNode(world, sources, clock, town);
  const nodes = [first];
  return {
    ...first,
    world,
    sources,
    team,
    other,
    alice,
    bob,
    carol,
    dave,
    admin,
    tina,
    gina,
    olga,
    outsider,
    town,
    secret,
    announce,
    guestroom,
    elsewhere,
    node: async () => {
      const n = await guildNode(world, sources, clock, town);
      nodes.push(n);
      return n;
    },
    events: (name) =>
      world.events.filter((e) => e.event === name).map((e) => ({ payload: JSON.parse(String(e.payload.data)) as Record<string, unknown>, broadcast: e.broadcast })),
    close: () => nodes.forEach((n) => n.close()),
  };
}
