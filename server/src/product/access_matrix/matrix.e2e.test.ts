/**
 * Issue 9's permission matrix on a real Mattermost (Team Edition) and PostgreSQL: the rows of
 * table.ts marked `e2e`, for the roles Team Edition has without a licence (no guest accounts, so
 * no guest and no channel guest) and the resource columns it can make (channel moderation needs a
 * licence too, so no read-only column): public, public→private (converted through
 * `PUT /api/v4/channels/:id/privacy`), private, and a channel of a second team.
 *
 * Everything goes through Mattermost's REST API and the plugin's routes as users would call them;
 * two users keep a websocket open the whole time, and no event may carry a record of a private
 * channel they are not in, or of a team they are not in. Each case's set-up is its own record, so
 * the cases of one row run concurrently (set INFRA_OPS_MATRIX_OUT=<file> for every case's result).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Method } from '../contract/api';
import { connectRig, createUser, type EventStream, type RigUser } from '../../../../e2e/rig';
import {
  caseName,
  classify,
  type Driver,
  expectationOf,
  type HttpAnswer,
  type MemberKind,
  PEOPLE,
  perform,
  type PersonKey,
  type Prepared,
  prepare,
  SetupError,
} from './scenario';
import { matches, REAL_MATTERMOST, type Resource, type Role, type Row, TABLE, TEAM_EDITION_RESOURCES, TEAM_EDITION_ROLES, type TeamKey } from './table';

const rig = connectRig();
const tag = Date.now().toString(36).slice(-5);
const ROWS = TABLE.filter((r) => r.e2e);
/** At most this many cases talk to the server at once. */
const PARALLEL = 6;

class RigDriver implements Driver {
  ids = {} as Record<PersonKey, string>;
  usernames = {} as Record<PersonKey, string>;
  users = {} as Record<PersonKey, RigUser>;
  teams = {} as Record<TeamKey, { id: string; name: string; town: string; townName: string }>;
  empty = {} as Record<TeamKey, { id: string; name: string }>;
  readonly mattermost = REAL_MATTERMOST;
  private readonly admin = rig.admin;

  async start(): Promise<this> {
    const people = Object.keys(PEOPLE).filter((k) => k !== 'guest' && k !== 'channelGuest') as PersonKey[];
    for (const key of people) {
      const user = key === 'sysadmin' ? this.admin : await createUser(rig.url, `${PEOPLE[key]}${tag}`, { admin: this.admin });
      this.users[key] = user;
      this.ids[key] = user.id;
      this.usernames[key] = user.username;
    }
    const teamB = await this.admin.client.createTeam({ name: `acme${tag}`, display_name: `Acme ${tag}`, type: 'O' } as never);
    const inA: PersonKey[] = ['owner', 'helper', 'teamAdmin', 'channelAdmin', 'channelMember', 'teamMember'];
    for (const p of inA) await this.admin.client.addToTeam(rig.team.id, this.ids[p]);
    await this.admin.client.updateTeamMemberSchemeRoles(rig.team.id, this.ids.teamAdmin, true, true);
    for (const p of ['ownerB', 'helperB', 'thirdB', 'otherTeamUser'] as const) await this.admin.client.addToTeam(teamB.id, this.ids[p]);
    const townB = await this.admin.client.getChannelByName(teamB.id, 'town-square');
    const townA = await this.admin.client.getChannel(rig.channelId);
    this.teams = { A: { id: rig.team.id, name: rig.team.name, town: townA.id, townName: townA.name }, B: { id: teamB.id, name: teamB.name, town: townB.id, townName: townB.name } };
    for (const team of ['A', 'B'] as const) {
      const owner = team === 'A' ? 'owner' : 'ownerB';
      this.empty[team] = await this.newChannel(team, 'P', `empty-${tag}`, owner);
      await this.newChannel(team, 'O', `feed-${tag}`, owner);
    }
    // The settings the scenario assumes: a feed per team, and the channel admin as the RFC approver.
    const config = await this.admin.client.getConfig();
    const plugins = (config.PluginSettings.Plugins ?? {}) as Record<string, Record<string, unknown>>;
    plugins[rig.pluginId] = { ...(plugins[rig.pluginId] ?? {}), incidentfeedchannel: `feed-${tag}`, rfcapprovers: this.usernames.channelAdmin, incidentprivatebydefault: true };
    await this.admin.client.patchConfig({ PluginSettings: { Plugins: plugins } });
    return this;
  }

  now(): number {
    return Date.now();
  }

  async newChannel(team: TeamKey, type: 'O' | 'P', name: string, creator: PersonKey): Promise<{ id: string; name: string }> {
    const ch = await this.users[creator].client.createChannel({ team_id: this.teams[team].id, name, display_name: name, type });
    return { id: ch.id, name: ch.name };
  }

  async addMember(channelId: string, person: PersonKey, kind: MemberKind): Promise<void> {
    await this.admin.client.addToChannel(this.ids[person], channelId);
    if (kind === 'admin') await this.admin.client.updateChannelMemberSchemeRoles(channelId, this.ids[person], true, true);
  }

  async removeMember(channelId: string, person: PersonKey): Promise<void> {
    await this.admin.client.removeFromChannel(this.ids[person], channelId);
  }

  async convertToPrivate(channelId: string): Promise<void> {
    await this.admin.client.updateChannelPrivacy(channelId, 'P');
  }

  readOnly(): Promise<void> {
    throw new Error('channel moderation needs a licence: no read-only column on Team Edition');
  }

  async channelName(channelId: string): Promise<string> {
    return (await this.admin.client.getChannel(channelId)).name;
  }

  async command(person: PersonKey, channelId: string, teamId: string, text: string): Promise<string> {
    try {
      const reply = await this.users[person].client.executeCommand(text, { channel_id: channelId, team_id: teamId });
      return reply.text ?? '';
    } catch (err) {
      // Mattermost itself refused (e.g. a channel the user is not in): the plugin never saw it.
      return `${MATTERMOST_REFUSED} ${(err as { status_code?: number }).status_code ?? ''}`;
    }
  }

  async hook(path: string, body: unknown): Promise<number> {
    const res = await fetch(`${rig.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    await res.text();
    return res.status;
  }

  /** The server runs its jobs itself: a moment for them. */
  async settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 500));
  }

  /** A browser's GET (the session cookie, as the status page is opened), or a calendar app's (none). */
  async page(person: PersonKey | null, path: string): Promise<{ status: number; text: string }> {
    const token = person ? this.users[person].token : null;
    const res = await fetch(`${rig.url}${path}`, { headers: token ? { Cookie: `MMAUTHTOKEN=${token}`, Accept: 'text/html' } : {}, redirect: 'manual' });
    return { status: res.status, text: await res.text() };
  }

  /** Uploaded through Mattermost's REST API and attached to a new post of theirs, as a person attaches a file. */
  async attach(person: PersonKey, channelId: string, name: string, text: string): Promise<boolean> {
    const form = new FormData();
    form.append('channel_id', channelId);
    form.append('files', new Blob([text], { type: 'application/json' }), name);
    const uploaded = await fetch(`${rig.url}/api/v4/files`, { method: 'POST', headers: { Authorization: `Bearer ${this.users[person].token}` }, body: form });
    if (uploaded.status !== 201) return false;
    const { file_infos: infos } = (await uploaded.json()) as { file_infos: Array<{ id: string }> };
    return this.users[person].client.createPost({ channel_id: channelId, message: 'a template', file_ids: infos.map((i) => i.id) }).then(
      () => true,
      () => false,
    );
  }

  async http(person: PersonKey, method: Method, path: string, body?: unknown): Promise<HttpAnswer> {
    const res = await rig.pluginFetch(this.users[person], `/api/v1${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // keep the text
    }
    return { status: res.status, body: parsed };
  }
}

const MATTERMOST_REFUSED = '**Error:** (Mattermost refused the command)';

interface CaseResult {
  row: string;
  role: Role;
  resource: string;
  expected: string;
  got: string;
}
const results: CaseResult[] = [];
const d = new RigDriver();
let streams: Partial<Record<PersonKey, EventStream>> = {};
/** Secrets of records each listener must never receive an event about. */
const neverFor: Record<string, Set<string>> = { teamMember: new Set(), otherTeamUser: new Set() };

before(async () => {
  await d.start();
  streams = { teamMember: await rig.listen(d.users.teamMember), otherTeamUser: await rig.listen(d.users.otherTeamUser) };
});
after(() => {
  const out = process.env.INFRA_OPS_MATRIX_OUT;
  if (out) writeFileSync(out, JSON.stringify(results, null, 1));
  rig.close();
});

async function runCase(row: Row, resource: Resource, role: Role, shared: Map<string, Promise<Prepared>>): Promise<CaseResult> {
  const base = { row: row.id, role, resource: resource.key };
  let p: Prepared;
  try {
    const share = row.kind === 'read' || row.kind === 'list' ? row.setup !== 'incident.followupOwedByActor' : false;
    if (share) {
      if (!shared.has(resource.key)) shared.set(resource.key, prepare(d, row, resource, role));
      p = await shared.get(resource.key)!;
    } else p = await prepare(d, row, resource, role);
  } catch (err) {
    return { ...base, expected: '?', got: `setup failed: ${err instanceof SetupError ? err.message : String(err)}` };
  }
  // What the two listeners may never hear of: private from the start, or another team's (set-ups
  // that bring the actor into the channel for a while are left out).
  if (!row.setup.endsWith('ByActor') && row.kind !== 'create') {
    if (resource.type === 'P' || resource.team === 'B') neverFor.teamMember!.add(p.secret);
    if (resource.team === 'A' || resource.type === 'P') neverFor.otherTeamUser!.add(p.secret);
  }
  const want = expectationOf(row, role, p, d);
  const done = await perform(d, row, p, role);
  let got = await classify(row, p, d, done, () => perform(d, row, p, role, true));
  if (done.status === null && done.text.startsWith(MATTERMOST_REFUSED) && want !== 'allow') got = want; // refused before the plugin
  return { ...base, expected: want, got };
}

/** The handbook guilds every team gets; everything else the matrix made is removed between rows. */
const HANDBOOK_GUILDS = new Set(['reliability-engineering-guild', 'infrastructure-guild']);

/**
 * A team may hold 50 guilds (a bound the product enforces), and the real server keeps what each
 * row made for the rows and e2e files after it: the system admin deletes every guild but the
 * handbook ones before and after each guild row.
 */
async function removeMatrixGuilds(): Promise<void> {
  for (const team of Object.values(d.teams)) {
    const listed = await d.http('sysadmin', 'GET', `/teams/${team.id}/guilds`);
    const items = (listed.body as { items?: Array<{ slug: string }> }).items ?? [];
    for (const { slug } of items.filter((g) => !HANDBOOK_GUILDS.has(g.slug))) {
      const gone = await d.http('sysadmin', 'DELETE', `/teams/${team.id}/guilds/${slug}`);
      assert.ok(gone.status < 300, `could not remove guild ${slug}: ${gone.status}`);
    }
  }
}

for (const row of ROWS) {
  test(row.id, async (t) => {
    if (row.feature === 'guilds') {
      await removeMatrixGuilds();
      t.after(removeMatrixGuilds);
    }
    const shared = new Map<string, Promise<Prepared>>();
    const cases = TEAM_EDITION_RESOURCES.flatMap((resource) => TEAM_EDITION_ROLES.map((role) => ({ resource, role })));
    const done: CaseResult[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < cases.length) {
          const i = next++;
          done[i] = await runCase(row, cases[i]!.resource, cases[i]!.role, shared);
        }
      }),
    );
    for (const [i, c] of cases.entries()) {
      const r = done[i]!;
      results.push(r);
      await t.test(caseName(c.role, c.resource), () => {
        assert.ok(matches(r.expected as never, r.got), `expected ${r.expected}, got ${r.got}`);
      });
    }
  });
}

test('websocket: no event reaches a user who may not see its record, and none is team-wide', async () => {
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (const [who, stream] of Object.entries(streams)) {
    const ours = stream.events.filter((e) => e.event.startsWith(`custom_${rig.pluginId}_`));
    for (const e of ours) {
      assert.ok(!e.broadcast.team_id, `${e.event} to ${who} was broadcast to team ${e.broadcast.team_id}`);
      const text = JSON.stringify(e.data);
      const leaked = [...neverFor[who]!].filter((s) => text.includes(s));
      assert.deepEqual(leaked, [], `${who} received ${e.event} about a record they may not see`);
    }
  }
});
