/** Test-only: the matrix's people, teams and channels in a MemoryWorld, driven through ProductHarness. */
import type { Method } from '../contract/api';
import type { Post, User } from '../../plugin/model/types';
import { MemoryWorld, type PublishedEvent } from '../../plugin/testing/memory_api';
import { ProductHarness } from '../testing/product_harness';
import { SYNC_DELAY_MS } from '../alerts/intake';
import type { MattermostFacts, TeamKey } from './table';
import { type Driver, type HttpAnswer, type MemberKind, PEOPLE, type PersonKey } from './scenario';

const DAY_MS = 86_400_000;
const CHANNEL_ROLES: Record<MemberKind, string> = { user: 'channel_user', admin: 'channel_user channel_admin', guest: 'channel_guest' };

export class MemoryDriver implements Driver {
  readonly world = new MemoryWorld();
  readonly h: ProductHarness;
  readonly users: Record<PersonKey, User>;
  readonly ids: Record<PersonKey, string>;
  readonly usernames: Record<PersonKey, string> = { ...PEOPLE };
  readonly teams: Record<TeamKey, { id: string; name: string; town: string; townName: string }>;
  readonly empty: Record<TeamKey, { id: string; name: string }>;
  readonly feeds: Record<TeamKey, string>;
  botUserId = '';
  /** MemoryApi's team_admin role has no create_post (the real one has: see table.ts). */
  readonly mattermost: MattermostFacts = { teamAdminsPostInOpenChannels: false };

  constructor() {
    const w = this.world;
    const A = w.addTeam('ops');
    const B = w.addTeam('acme');
    const guest = { Roles: 'system_guest' };
    this.users = Object.fromEntries(
      Object.entries(PEOPLE).map(([key, name]) => [
        key,
        w.addUser(name, key === 'sysadmin' ? { Roles: 'system_user system_admin' } : key === 'guest' || key === 'channelGuest' ? guest : {}),
      ]),
    ) as Record<PersonKey, User>;
    this.ids = Object.fromEntries(Object.entries(this.users).map(([k, u]) => [k, u.Id])) as Record<PersonKey, string>;
    const inA: PersonKey[] = ['owner', 'helper', 'sysadmin', 'teamAdmin', 'channelAdmin', 'channelMember', 'teamMember'];
    for (const p of inA) w.addTeamMember(A.Id, this.ids[p], p === 'teamAdmin' ? 'team_user team_admin' : 'team_user');
    for (const p of ['guest', 'channelGuest'] as const) w.addTeamMember(A.Id, this.ids[p], 'team_guest');
    for (const p of ['ownerB', 'helperB', 'thirdB', 'otherTeamUser'] as const) w.addTeamMember(B.Id, this.ids[p]);
    const townA = w.addChannel(A.Id, 'town-square');
    for (const p of inA) w.addChannelMember(townA.Id, this.ids[p]);
    for (const p of ['guest', 'channelGuest'] as const) w.addChannelMember(townA.Id, this.ids[p], 'channel_guest');
    const townB = w.addChannel(B.Id, 'town-square');
    for (const p of ['ownerB', 'helperB', 'thirdB', 'otherTeamUser'] as const) w.addChannelMember(townB.Id, this.ids[p]);
    const feedA = w.addChannel(A.Id, 'feed');
    const feedB = w.addChannel(B.Id, 'feed');
    w.addChannelMember(feedA.Id, this.ids.owner);
    w.addChannelMember(feedB.Id, this.ids.ownerB);
    const emptyA = w.addChannel(A.Id, 'empty-a', 'P');
    const emptyB = w.addChannel(B.Id, 'empty-b', 'P');
    w.addChannelMember(emptyA.Id, this.ids.owner);
    w.addChannelMember(emptyB.Id, this.ids.ownerB);
    this.teams = { A: { id: A.Id, name: A.Name, town: townA.Id, townName: townA.Name }, B: { id: B.Id, name: B.Name, town: townB.Id, townName: townB.Name } };
    this.empty = { A: { id: emptyA.Id, name: emptyA.Name }, B: { id: emptyB.Id, name: emptyB.Name } };
    this.feeds = { A: feedA.Id, B: feedB.Id };
    w.pluginConfig = { IncidentFeedChannel: 'feed', RfcApprovers: PEOPLE.channelAdmin, IncidentPrivateByDefault: true };
    this.h = new ProductHarness(w);
  }

  async start(): Promise<this> {
    await this.h.activate();
    this.botUserId = this.h.ctx.botUserId;
    // Lazy per-team state (the handbook guilds) is made now, not by the first actor.
    for (const [owner, team] of [['owner', 'A'], ['ownerB', 'B']] as const) await this.http(owner, 'GET', `/teams/${this.teams[team].id}/guilds`);
    return this;
  }

  now(): number {
    return this.h.clock;
  }

  async newChannel(team: TeamKey, type: 'O' | 'P', name: string, creator: PersonKey): Promise<{ id: string; name: string }> {
    const ch = this.world.addChannel(this.teams[team].id, name, type);
    this.world.addChannelMember(ch.Id, this.ids[creator], CHANNEL_ROLES.admin);
    return { id: ch.Id, name: ch.Name };
  }

  async addMember(channelId: string, person: PersonKey, kind: MemberKind): Promise<void> {
    this.world.addChannelMember(channelId, this.ids[person], CHANNEL_ROLES[kind]);
  }

  async removeMember(channelId: string, person: PersonKey): Promise<void> {
    this.world.channelMembers.delete(`${channelId}:${this.ids[person]}`);
  }

  async convertToPrivate(channelId: string): Promise<void> {
    this.world.channels.get(channelId)!.Type = 'P';
  }

  async readOnly(channelId: string): Promise<void> {
    this.world.readOnlyChannels.add(channelId);
  }

  async channelName(channelId: string): Promise<string> {
    return this.world.channels.get(channelId)?.Name ?? '';
  }

  async command(person: PersonKey, channelId: string, _teamId: string, text: string): Promise<string> {
    return (await this.h.command(this.users[person], channelId, text)).Text ?? '';
  }

  http(person: PersonKey, method: Method, path: string, body?: unknown): Promise<HttpAnswer> {
    return this.h.http(method, `/api/v1${path}`, this.users[person], body);
  }

  async hook(path: string, body: unknown): Promise<number> {
    return (await this.h.http('POST', path.replace(/^\/plugins\/[^/]+/, ''), null, body)).status;
  }

  /** The due jobs, with the clock moved on past the alert batcher's delay. */
  async settle(): Promise<void> {
    await this.h.ctx.scheduler.runDue();
    this.h.clock += SYNC_DELAY_MS;
    await this.h.ctx.scheduler.runDue();
  }

  async page(person: PersonKey | null, path: string): Promise<{ status: number; text: string }> {
    const answer = await this.h.http('GET', path.replace(/^\/plugins\/[^/]+/, ''), person ? this.users[person] : null);
    return { status: answer.status, text: typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body) };
  }

  /** As Mattermost: a member of the channel posts there, or a system admin (the upload is stamped with the product's clock). */
  async attach(person: PersonKey, channelId: string, name: string, text: string): Promise<boolean> {
    if (person !== 'sysadmin' && !this.world.channelMembers.has(`${channelId}:${this.ids[person]}`)) return false;
    const post = this.world.attachFile(channelId, this.ids[person], name, new TextEncoder().encode(text));
    post.CreateAt = this.h.clock;
    for (const id of (post['FileIds'] as string[] | undefined) ?? []) {
      const file = this.world.files.get(id);
      if (file) file.info.CreateAt = this.h.clock;
    }
    return true;
  }

  /** `/infra digest on`, then day by day (up to four, past a weekend) until the person's digest DM comes. */
  async digest(person: PersonKey, team: TeamKey): Promise<string> {
    await this.command(person, this.teams[team].town, this.teams[team].id, '/infra digest on');
    const mark = this.mark();
    for (let day = 0; day < 4; day++) {
      this.h.clock += DAY_MS;
      await this.h.ctx.scheduler.runDue();
      const dms = this.dmsTo(person, this.since(mark).posts);
      if (dms.length) return dms.map((post) => post.Message ?? '').join('\n');
    }
    return '';
  }

  /** The bot's posts among `posts` in its direct channel with the person. */
  dmsTo(person: PersonKey, posts: readonly Post[]): Post[] {
    return posts.filter((post) => {
      const ch = this.world.channels.get(post.ChannelId);
      return ch?.Type === 'D' && post.UserId === this.botUserId && this.world.membersOf(ch.Id).includes(this.ids[person]);
    });
  }

  /** What the world holds now, to tell later what an action published, posted or changed. */
  mark(): Mark {
    return { events: this.world.events.length, posts: new Set(this.world.posts.keys()), channels: new Set(this.world.channels.keys()) };
  }

  since(mark: Mark): { events: PublishedEvent[]; posts: Post[]; channels: string[] } {
    return {
      events: this.world.events.slice(mark.events),
      posts: [...this.world.posts.values()].filter((p) => !mark.posts.has(p.Id!)),
      channels: [...this.world.channels.keys()].filter((id) => !mark.channels.has(id)),
    };
  }

  /** The plugin's stored state, to prove a refused action changed nothing. */
  kvSnapshot(): Map<string, string> {
    const kv = this.world.kv;
    const out = new Map<string, string>();
    for (const key of kv.list(0, 1_000_000)) out.set(key, Buffer.from(kv.get(key) ?? new Uint8Array()).toString('latin1'));
    return out;
  }

  close(): void {
    this.h.close();
  }
}

export interface Mark {
  events: number;
  posts: Set<string>;
  channels: Set<string>;
}
