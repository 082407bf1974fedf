/** Test-only: a team with people and channels, and the product activated on the in-memory API. */
import type { Channel, CommandResponse, Post, Team, User } from '../../plugin/model/types';
import { MemoryWorld } from '../../plugin/testing/memory_api';
import { ProductHarness } from '../testing/product_harness';
import { seedTeam } from '../testing/team_seed';
import { CARD_PROPS, type CardData } from '../contract/incidents';
import type { Incident } from './records';
import type { IncidentStore } from './store';

export interface Fixture {
  h: ProductHarness;
  world: MemoryWorld;
  team: Team;
  alice: User;
  bob: User;
  carol: User;
  /** A team member who is not in any incident channel. */
  dave: User;
  /** Not on the team at all. */
  outsider: User;
  admin: User;
  town: Channel;
  feed: Channel;
  cmd(user: User, text: string, channel?: Channel | string): Promise<string>;
  raw(user: User, text: string, channel?: Channel | string): Promise<CommandResponse>;
  channelOf(text: string): Channel;
  card(channelId: string): Post;
  cardData(channelId: string): CardData;
  /** What the bot sent `user` by direct message, oldest first. */
  dms(user: User): string[];
  /** `/api/v1/teams/<team>/incidents<path>` */
  url(path?: string): string;
  /** The INC number of the incident whose channel this is (from its card). */
  numberOf(channel: Channel): number;
}

export async function fixture(settings: Record<string, unknown> = {}, world = new MemoryWorld()): Promise<Fixture> {
  const { team, alice, bob, carol, dave, admin, outsider, town } = seedTeam(world);
  const feed = world.addChannel(team.Id, 'incidents');
  world.pluginConfig = { IncidentFeedChannel: 'incidents', ...settings };
  const h = await new ProductHarness(world).activate();
  const raw = (user: User, text: string, channel: Channel | string = town) =>
    h.command(user, typeof channel === 'string' ? channel : channel.Id, text, team);
  const f: Fixture = {
    h,
    world,
    team,
    alice,
    bob,
    carol,
    dave,
    outsider,
    admin,
    town,
    feed,
    raw,
    cmd: async (user, text, channel) => (await raw(user, text, channel)).Text ?? '',
    channelOf: (text) => {
      const name = /~([a-z0-9_-]+)/.exec(text)?.[1];
      const channel = [...world.channels.values()].find((c) => c.Name === name && c.TeamId === team.Id);
      if (!channel) throw new Error(`no channel in: ${text}`);
      return channel;
    },
    card: (channelId) => {
      const card = world.postsIn(channelId).find((p) => p.Type === 'custom_infra_incident');
      if (!card) throw new Error('no card');
      return card;
    },
    cardData: (channelId) => JSON.parse(String(f.card(channelId).Props?.[CARD_PROPS.card])) as CardData,
    url: (path = '') => `/api/v1/teams/${team.Id}/incidents${path}`,
    numberOf: (channel) => f.cardData(channel.Id).number,
    dms: (user) => {
      const name = [h.ctx.botUserId, user.Id].sort().join('__');
      const dm = [...world.channels.values()].find((c) => c.Type === 'D' && c.Name === name);
      return dm ? world.postsIn(dm.Id).filter((p) => p.UserId === h.ctx.botUserId).map((p) => p.Message ?? '') : [];
    },
  };
  return f;
}

/** The bot's plain posts in a channel (notices, status updates), oldest first. */
export function messages(world: MemoryWorld, channelId: string): string[] {
  return world
    .postsIn(channelId)
    .filter((p) => p.Type !== 'custom_infra_incident')
    .map((p) => p.Message ?? '');
}

/**
 * The next incident of the template's team, written straight to the store as a declaration
 * writes it (the record, then its derived copies): a copy of `template` with an id of `prefix` and
 * its number, and what `changes` says of that number.
 */
export async function writeCopy(store: IncidentStore, template: Incident, prefix: string, changes: (number: number) => Partial<Incident>): Promise<Incident> {
  const number = await store.reserveNumber(template.teamId);
  const incident: Incident = { ...template, id: `${prefix}${String(number).padStart(20, '0')}`, number, outbox: [], ...changes(number) };
  await store.insert(incident);
  await store.sync(incident, { justDeclared: true });
  return incident;
}
