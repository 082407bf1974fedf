/**
 * How each case of the matrix is played, the same way in process (MemoryWorld) and on the real
 * server (e2e/rig): the owner sets the record up in the resource channel, the channel is converted
 * or moderated if the column says so, then the actor acts through a command or a route, and the
 * answer is classified as allow / hidden / forbidden. Nothing here decides what *should* happen:
 * that is table.ts.
 */
import type { Method } from '../contract/api';
import { statusPagePath } from '../contract/status';
import { alertmanagerBody } from '../alerts/test_payloads';
import { type Act, type BodyIds, type RecordRole, type Expected, expected, type MattermostFacts, type Place, type Resource, type Role, type Row, type Standing, type TeamKey } from './table';

/** Everyone in the scenario: the eight actors, and each team's record owner and helper. */
export const PEOPLE = {
  owner: 'alice',
  helper: 'sam',
  ownerB: 'bella',
  helperB: 'sid',
  /** A third member of team B's record channels, so that two scores never reveal an idea by themselves. */
  thirdB: 'tia',
  sysadmin: 'root',
  teamAdmin: 'tess',
  channelAdmin: 'chad',
  channelMember: 'cami',
  teamMember: 'tom',
  guest: 'gus',
  channelGuest: 'gil',
  otherTeamUser: 'olga',
} as const;
export type PersonKey = keyof typeof PEOPLE;

export type MemberKind = 'user' | 'admin' | 'guest';

export interface HttpAnswer {
  status: number;
  body: unknown;
}

/** What a runner offers: people, teams, channels, commands and routes of the plugin. */
export interface Driver {
  readonly ids: Readonly<Record<PersonKey, string>>;
  readonly usernames: Readonly<Record<PersonKey, string>>;
  readonly teams: Readonly<Record<TeamKey, { id: string; name: string; town: string; townName: string }>>;
  /** A private channel of each team with no record in it, that no actor is in (for "no such thing"). */
  readonly empty: Readonly<Record<TeamKey, { id: string; name: string }>>;
  /** The server's clock (the product's `now`). */
  now(): number;
  /** How this runner's Mattermost answers permissions where the fake and the real one differ. */
  readonly mattermost: MattermostFacts;
  newChannel(team: TeamKey, type: 'O' | 'P', name: string, creator: PersonKey): Promise<{ id: string; name: string }>;
  addMember(channelId: string, person: PersonKey, kind: MemberKind): Promise<void>;
  removeMember(channelId: string, person: PersonKey): Promise<void>;
  convertToPrivate(channelId: string): Promise<void>;
  readOnly(channelId: string): Promise<void>;
  channelName(channelId: string): Promise<string>;
  command(person: PersonKey, channelId: string, teamId: string, text: string): Promise<string>;
  /** `path` is under the plugin's /api/v1. */
  http(person: PersonKey, method: Method, path: string, body?: unknown): Promise<HttpAnswer>;
  /** POST of JSON to a plugin path outside /api/v1 with no session (an alert source's hook); the status. */
  hook(path: string, body: unknown): Promise<number>;
  /** Lets the plugin's background jobs that are due run (alert intake opens incidents in one). */
  settle(): Promise<void>;
  /** GET of a plugin page outside /api/v1 (`path` from /plugins/<id>/…), as the person (null: no session). */
  page(person: PersonKey | null, path: string): Promise<{ status: number; text: string }>;
  /** The person uploads a file and attaches it to a new post of theirs in the channel (false: Mattermost refused). */
  attach(person: PersonKey, channelId: string, name: string, text: string): Promise<boolean>;
  /**
   * `/infra digest on` typed by the person in the team's town square, then the clock moved to their
   * next digest morning and the due jobs run: the text of the digest DMs the bot sent them. Only a
   * runner that owns the clock offers it (in process).
   */
  digest?(person: PersonKey, team: TeamKey): Promise<string>;
}

/** The actor's standing, written from the scenario's own set-up (not asked of Mattermost). */
export function standingOf(role: Role, teams: Record<TeamKey, string>, recordTeam: TeamKey): Standing {
  const A = teams.A;
  const B = teams.B;
  const t = new Map<string, MemberKind>();
  if (role === 'otherTeamUser') t.set(B, 'user');
  else t.set(A, role === 'teamAdmin' ? 'admin' : role === 'guest' || role === 'channelGuest' ? 'guest' : 'user');
  const recordRoles = new Set<RecordRole>();
  if (role === 'channelAdmin') recordRoles.add('approver');
  if (role === 'channelMember' && recordTeam === 'A') {
    recordRoles.add('reviewer');
    recordRoles.add('facilitator');
    recordRoles.add('gateApprover');
  }
  return { role, sysadmin: role === 'sysadmin', teams: t, recordRoles };
}

export const personOf = (role: Role): PersonKey => role;

/** Everything a case knows about its record once set up. */
export interface Prepared {
  readonly team: TeamKey;
  readonly teamId: string;
  readonly channelId: string;
  readonly channelName: string;
  readonly secret: string;
  number: number | null;
  m: number | null;
  rfc: number | null;
  slug: string | null;
  name: string | null;
  concern: number | null;
  item: number | null;
  /** A team thing's name or id in paths and commands: alert source slug, webhook id, status component. */
  ref: string | null;
  /** A date (YYYY-MM-DD): a guild meeting's a week ahead, or a team holiday. */
  date: string | null;
  /** `template`: an importable template document. */
  doc: string | null;
  /** For `incident.followupOwedByActor`: whether the follow-up could be assigned to the actor at all. */
  owed: boolean;
  /** The model of the record's channel, for table.ts. */
  readonly members: Map<string, MemberKind>;
  open: boolean;
  readOnly: boolean;
}

export class SetupError extends Error {}

/**
 * A set-up call a real server may refuse for a moment while its caches catch up with a channel or
 * membership made just before (a refusal changes nothing): tried again, waiting longer each time,
 * ~8 s in all. On a loaded CI machine Mattermost once refused the owner's post permission in an
 * incident's new private channel for longer than the 1.75 s this waited before.
 */
async function retried<T>(call: () => Promise<T>, refused: (answer: T) => boolean): Promise<T> {
  let answer = await call();
  for (let wait = 250; refused(answer) && wait <= 4000; wait *= 2) {
    await new Promise((resolve) => setTimeout(resolve, wait));
    answer = await call();
  }
  return answer;
}

/** One set-up call, which must succeed (a 403/404 is tried again: retried). */
const ok = async (what: string, call: () => Promise<HttpAnswer>): Promise<Record<string, unknown>> => {
  const a = await retried(call, (answer) => answer.status === 403 || answer.status === 404);
  if (a.status >= 300) throw new SetupError(`${what}: ${a.status} ${JSON.stringify(a.body).slice(0, 300)}`);
  return a.body as Record<string, unknown>;
};
const field = <T>(o: unknown, ...path: string[]): T => path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o) as T;

let counter = 0;
/** A word nobody else uses: the record's title carries it, so any answer that shows the record shows it. */
export const freshSecret = (): string => `zq${(++counter).toString(36)}x${Math.random().toString(36).slice(2, 7)}`;

/**
 * The owner prepares the row's record in the resource; the actor's set-up-dependent part (a
 * follow-up they owe) is made here too. Then the column's conversion or moderation is applied.
 */
export async function prepare(d: Driver, row: Row, resource: Resource, actor: Role): Promise<Prepared> {
  const team = resource.team;
  const teamId = d.teams[team].id;
  const owner: PersonKey = team === 'A' ? 'owner' : 'ownerB';
  const helper: PersonKey = team === 'A' ? 'helper' : 'helperB';
  const secret = freshSecret();
  const members = new Map<string, MemberKind>();
  const channelActors: Array<[PersonKey, MemberKind]> = team === 'A' ? [['channelAdmin', 'admin'], ['channelMember', 'user'], ['channelGuest', 'guest']] : [['thirdB', 'user']];
  const addPeople = async (channelId: string): Promise<void> => {
    // The helper is a channel admin, so that it may post (sign off, raise concerns) even in a moderated channel.
    for (const [p, kind] of [[helper, 'admin'] as [PersonKey, MemberKind], ...channelActors]) {
      if (!d.ids[p]) continue; // a runner without guests (Team Edition)
      await d.addMember(channelId, p, kind);
      members.set(p, kind);
    }
  };
  const setup = row.setup;
  let channelId: string;
  let channelName: string;
  const r = (): Prepared => prepared;
  let prepared: Prepared;

  if (setup === 'incident.triage') {
    // An alert source of the team (the system admin's) with the owner as responder opens it, in triage.
    const added = await ok('alert source', () => d.http('sysadmin', 'POST', `/teams/${teamId}/alert-sources`, { name: `a${secret}`, type: 'alertmanager', responder_ids: [d.ids[owner]], private: resource.type === 'P' }));
    const hook = `${new URL(field<string>(added, 'source', 'url')).pathname}?token=${encodeURIComponent(field<string>(added, 'secret'))}`;
    const status = await d.hook(hook, alertmanagerBody(`g${secret}`, [{ name: `Alert${secret}`, fingerprint: secret, summary: `inc ${secret}` }]));
    if (status !== 202) throw new SetupError(`alert intake: ${status}`);
    let opened: { number: number; channelId: string } | undefined;
    // The intake job runs when the server gets to it: on a loaded machine that may take a while.
    for (const deadline = Date.now() + 90_000; !opened && Date.now() < deadline; ) {
      await d.settle();
      const listed = await ok('list incidents', () => d.http(owner, 'GET', `/teams/${teamId}/incidents?state=all&per_page=100`));
      opened = field<Array<{ number: number; channelId: string; title: string; phase: string }>>(listed, 'items').find((i) => i.title.includes(secret) && i.phase === 'triage' && i.channelId);
    }
    if (!opened) throw new SetupError('the alert opened no incident in triage');
    // The incident stands on its own: the source goes (a team holds at most 50).
    await ok('remove alert source', () => d.http('sysadmin', 'DELETE', `/teams/${teamId}/alert-sources/a${secret}`));
    channelId = opened.channelId;
    members.set(owner, 'user');
    await addPeople(channelId);
    channelName = await d.channelName(channelId);
    prepared = blank(team, teamId, channelId, channelName, secret, members, resource);
    prepared.number = opened.number;
  } else if (setup === 'run.release') {
    // A release run (not an incident's runbook) from the team's matrix template, started by the owner at home.
    const template = await releaseTemplate(d, team, resource.type === 'P');
    const started = await ok('start run', () => d.http(owner, 'POST', `/teams/${teamId}/runs`, { kind: 'release', name: `r ${secret}`, template, channel_id: d.teams[team].town }));
    channelId = field<string>(started, 'run', 'channelId');
    members.set(owner, 'user');
    await addPeople(channelId);
    channelName = await d.channelName(channelId);
    prepared = blank(team, teamId, channelId, channelName, secret, members, resource);
    prepared.number = field<number>(started, 'run', 'number');
  } else if (setup.startsWith('incident') || setup === 'agenda.incident' || setup.startsWith('run')) {
    // A security incident's runbook has a gate (the built-in "Security incident" template).
    const type = setup === 'run.gate' || setup === 'run.concern' || setup === 'run.gateOwedByActor' ? { type: 'Security' } : {};
    const declared = await ok('declare', () => d.http(owner, 'POST', `/teams/${teamId}/incidents`, { title: `inc ${secret}`, severity: 2, private: resource.type === 'P', ...type }));
    channelId = field<string>(declared, 'incident', 'channelId');
    members.set(owner, 'admin');
    await addPeople(channelId);
    channelName = await d.channelName(channelId);
    prepared = blank(team, teamId, channelId, channelName, secret, members, resource);
    prepared.number = field<number>(declared, 'incident', 'number');
  } else {
    const ch = await d.newChannel(team, resource.type, `m-${++counter}-${Math.random().toString(36).slice(2, 6)}`, owner);
    channelId = ch.id;
    channelName = ch.name;
    members.set(owner, 'admin');
    await addPeople(channelId);
    prepared = blank(team, teamId, channelId, channelName, secret, members, resource);
  }
  const p = r();
  const inc = `/teams/${teamId}/incidents/${p.number}`;

  const newIdea = async (title: string): Promise<number> =>
    field<number>(await ok('add idea', () => d.http(owner, 'POST', `/teams/${teamId}/ideas`, { channel_id: channelId, title })), 'idea', 'number');
  const score = async (who: PersonKey, n: number, payoff: number, cost: number): Promise<void> => {
    await ok(`score by ${who}`, () => d.http(who, 'POST', `/teams/${teamId}/ideas/${n}/score`, { payoff, cost }));
  };
  const newRfc = async (title: string): Promise<number> =>
    field<number>(await ok('open rfc', () => d.http(owner, 'POST', `/teams/${teamId}/rfcs`, { title, channel_id: channelId })), 'rfc', 'number');
  const reviewers = team === 'A' ? [d.ids.channelMember, d.ids[helper]] : [d.ids[helper]];
  // The next meeting is five minutes away, so that it may be closed now.
  const soon = new Date(d.now() + 5 * 60_000);
  const newGuild = async (name: string, channel: string, sources: string[] = [], members: PersonKey[] = []): Promise<string> => {
    const created = await ok('create guild', () =>
      d.http(owner, 'POST', `/teams/${teamId}/guilds`, {
        name,
        day: soon.getUTCDay(),
        time: `${String(soon.getUTCHours()).padStart(2, '0')}:${String(soon.getUTCMinutes()).padStart(2, '0')}`,
        time_zone: 'UTC',
        channel_id: channel,
        sources,
        facilitators: team === 'A' ? [d.ids.channelMember] : [d.ids[helper]],
        ...(members.length ? { members: members.map((m) => ({ kind: 'user', userId: d.ids[m] })) } : {}),
      }),
    );
    return field<string>(created, 'guild', 'slug');
  };

  const runCommand = async (who: PersonKey, text: string): Promise<string> => {
    // As ok(): a refusal while the real server's caches catch up is tried again.
    const reply = await retried(() => d.command(who, channelId, teamId, text), (answer) => answer.startsWith('**Error:**'));
    if (reply.startsWith('**Error:**')) throw new SetupError(`${text}: ${reply.slice(0, 300)}`);
    return reply;
  };
  /** The run hosted by the incident channel (its runbook), found in the owner's list. */
  const hostedRun = async (): Promise<number> => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const listed = await ok('list runs', () => d.http(owner, 'GET', `/teams/${teamId}/runs`));
      const found = field<Array<{ number: number; channelId: string }>>(listed, 'items').find((r) => r.channelId === channelId);
      if (found) return found.number;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new SetupError('the incident channel hosts no run');
  };
  const asAdmin = (what: string, method: Method, path: string, body?: unknown): Promise<Record<string, unknown>> => ok(what, () => d.http('sysadmin', method, path, body));
  const adminCommand = (text: string): Promise<string> => homeCommand('sysadmin', text);
  const homeCommand = async (who: PersonKey, text: string): Promise<string> => {
    const reply = await d.command(who, d.teams[team].town, teamId, text);
    if (reply.startsWith('**Error:**')) throw new SetupError(`${text}: ${reply.slice(0, 300)}`);
    return reply;
  };

  switch (setup) {
    case 'place':
    case 'incident':
    case 'incident.triage':
    case 'run.release':
      break;
    case 'run':
    case 'run.gate':
    case 'run.concern':
    case 'run.finished':
      p.number = await hostedRun();
      if (setup !== 'run' && setup !== 'run.finished') {
        const approvers = (team === 'A' ? (['channelMember', helper] as const) : ([helper] as const)).map((k) => `@${d.usernames[k]}`).join(' ');
        await runCommand(owner, `/run approvers 2.2 ${approvers}`);
      }
      if (setup === 'run.concern') await runCommand(helper, `/run concern 2.2 concern ${secret}`);
      if (setup === 'run.finished') {
        await runCommand(owner, `/run retro 1 summary ${secret}`);
        await runCommand(owner, '/run finish');
      }
      break;
    case 'run.gateOwedByActor': {
      // Naming an approver needs them to post in the channel: the actor joins for it (if in the
      // run's team at all), then is as their role says again.
      p.number = await hostedRun();
      const person = personOf(actor);
      const inTeam = (team === 'A') === (actor !== 'otherTeamUser'); // the system admin is in team A only
      if (!inTeam) break;
      const joined = !members.has(person);
      if (joined) await d.addMember(channelId, person, actor === 'guest' || actor === 'channelGuest' ? 'guest' : 'user');
      const reply = await d.command(owner, channelId, teamId, `/run approvers 2.2 @${d.usernames[person]}`);
      p.owed = !reply.startsWith('**Error:**');
      if (joined) await d.removeMember(channelId, person);
      break;
    }
    case 'alertSource':
      p.slug = `a${secret}`;
      await asAdmin('alert source', 'POST', `/teams/${teamId}/alert-sources`, { name: p.slug, type: 'alertmanager' });
      break;
    case 'webhook': {
      const added = await asAdmin('webhook', 'POST', `/teams/${teamId}/webhooks`, { url: `https://hooks.example.com/${secret}` });
      p.ref = field<string>(added, 'webhook', 'id');
      break;
    }
    case 'component':
    case 'maintenance':
      p.ref = `c${secret}`;
      await adminCommand(`/infra components add ${p.ref}`);
      if (setup === 'maintenance') {
        const { from, to } = windowOf(d.now());
        const reply = await adminCommand(`/infra maintenance add ${p.ref} ${from} ${to} upgrade ${secret}`);
        p.item = Number(/#(\d+)/.exec(reply)?.[1] ?? NaN);
        if (!Number.isInteger(p.item)) throw new SetupError(`no maintenance number in: ${reply.slice(0, 200)}`);
      }
      break;
    case 'holiday':
      await adminCommand(`/guild holidays add ${p.date} day ${secret}`);
      break;
    case 'template':
    case 'template.imported':
    case 'template.attachedByActor': {
      p.slug = 'product-release';
      // One word, so that `--template {name}` reads it whole; an answer echoing it shows nothing.
      p.name = `t${secret}`;
      const doc = await asAdmin('export template', 'GET', `/teams/${teamId}/templates/${p.slug}`);
      p.doc = JSON.stringify({ ...doc, template: { ...(doc['template'] as Record<string, unknown>), name: p.name } });
      if (setup === 'template.imported') await asAdmin('import template', 'POST', `/teams/${teamId}/templates/import`, { source: 'infra-ops', document: p.doc });
      // Attached where the command is typed (a refusal is fine: someone outside the team can't post there).
      if (setup === 'template.attachedByActor') await d.attach(personOf(actor), d.teams[team].town, `${p.name}.json`, p.doc);
      break;
    }
    case 'guild.rota':
      p.name = `g${secret}`;
      p.slug = await newGuild(p.name, channelId, [], [owner, helper]);
      break;
    case 'guild.skipped':
      p.name = `g${secret}`;
      p.slug = await newGuild(p.name, channelId);
      p.date = isoDate(soon.getTime() + 7 * DAY);
      await homeCommand(owner, `/guild skip ${p.name} ${p.date}`);
      break;
    case 'incident.resolved':
      await ok('resolve', () => d.http(owner, 'POST', `${inc}/resolve`, { summary: 'fixed' }));
      break;
    case 'incident.followup':
      await ok('followup', () => d.http(owner, 'POST', `${inc}/followups`, { text: `fu ${secret}` }));
      break;
    case 'incident.watched':
      // Watchers from outside the channel, while they can still see it (a refusal is fine).
      for (const watcher of team === 'A' ? (['teamMember', 'teamAdmin'] as const) : (['otherTeamUser'] as const)) {
        await d.http(watcher, 'POST', `${inc}/follow`, {});
      }
      break;
    case 'incident.followedByActor':
      // Following is open to whoever sees it; the column's conversion may take that away later.
      await d.http(personOf(actor), 'POST', `${inc}/follow`, {});
      break;
    case 'incident.followupOwedByActor': {
      // The actor owes a follow-up (assigning it adds them to the channel); then they are as their
      // role says again: someone outside the channel left it, or was never meant to be in it.
      const person = personOf(actor);
      const answer = await d.http(owner, 'POST', `${inc}/followups`, { text: `fu ${secret}`, owner_id: d.ids[person] });
      p.owed = answer.status < 300;
      if (p.owed && !members.has(person)) await d.removeMember(channelId, person);
      break;
    }
    case 'idea':
      p.number = await newIdea(`idea ${secret}`);
      break;
    case 'idea.scored2':
    case 'idea.revealed':
      p.number = await newIdea(`idea ${secret}`);
      await score(owner, p.number, 8, 3);
      await score(helper, p.number, 6, 4);
      if (setup === 'idea.revealed') await ok('reveal', () => d.http(owner, 'POST', `/teams/${teamId}/ideas/${p.number}/reveal`, {}));
      break;
    case 'idea.rfc':
      p.number = await newIdea(`idea ${secret}`);
      p.rfc = await newRfc(`rfc for ${secret}`);
      break;
    case 'rfc':
      p.number = await newRfc(`rfc ${secret}`);
      break;
    case 'rfc.inReview':
    case 'rfc.concern':
      p.number = await newRfc(`rfc ${secret}`);
      await ok('review', () => d.http(owner, 'POST', `/teams/${teamId}/rfcs/${p.number}/review`, { reviewers }));
      if (setup === 'rfc.concern') {
        const raised = await ok('concern', () => d.http(helper, 'POST', `/teams/${teamId}/rfcs/${p.number}/concerns`, { text: `concern ${secret}` }));
        p.concern = field<number>(raised, 'concernId');
      }
      break;
    case 'rfc.signedOff':
    case 'rfc.accepted':
      p.number = await newRfc(`rfc ${secret}`);
      await ok('review', () => d.http(owner, 'POST', `/teams/${teamId}/rfcs/${p.number}/review`, { reviewers: [d.ids[helper]] }));
      await ok('sign-off', () => d.http(helper, 'POST', `/teams/${teamId}/rfcs/${p.number}/approve`, {}));
      if (setup === 'rfc.accepted') {
        await ok('accept', () => d.http(owner, 'POST', `/teams/${teamId}/rfcs/${p.number}/decision`, { action: 'accept' }));
        p.m = await newRfc(`successor ${secret}`);
      }
      break;
    case 'guild':
    case 'guild.item':
    case 'guild.note':
      p.name = `g${secret}`;
      p.slug = await newGuild(p.name, channelId);
      // Its meeting a week ahead (the one to call off).
      p.date = isoDate(soon.getTime() + 7 * DAY);
      if (setup === 'guild.item') {
        const queued = await ok('queue', () => d.http(owner, 'POST', `/teams/${teamId}/guilds/${p.slug}/queue`, { text: `item ${secret}` }));
        p.item = field<number>(queued, 'item', 'id');
      }
      if (setup === 'guild.note') {
        const noted = await ok('note', () => d.http(owner, 'POST', `/teams/${teamId}/guilds/${p.slug}/notes`, { text: `note ${secret}` }));
        p.item = field<Array<{ id: number }>>(noted, 'guild', 'notes').at(-1)?.id ?? null;
      }
      break;
    case 'agenda.incident':
      await ok('resolve', () => d.http(owner, 'POST', `${inc}/resolve`, { summary: 'fixed' }));
      p.name = `agenda${++counter}`;
      p.slug = await newGuild(p.name, d.teams[team].town, ['incidents']);
      break;
    case 'agenda.rfc':
      p.number = await newRfc(`rfc ${secret}`);
      await ok('review', () => d.http(owner, 'POST', `/teams/${teamId}/rfcs/${p.number}/review`, { reviewers: [d.ids[helper]] }));
      p.name = `agenda${++counter}`;
      p.slug = await newGuild(p.name, d.teams[team].town, ['rfcs']);
      break;
    case 'agenda.idea':
      p.number = await newIdea(`idea ${secret}`);
      await score(owner, p.number, 9, 9);
      await score(helper, p.number, 8, 8);
      await ok('reveal', () => d.http(owner, 'POST', `/teams/${teamId}/ideas/${p.number}/reveal`, {}));
      p.name = `agenda${++counter}`;
      p.slug = await newGuild(p.name, d.teams[team].town, ['pick']);
      break;
  }

  if (resource.then === 'convert') {
    await d.convertToPrivate(channelId);
    p.open = false;
  } else if (resource.then === 'readonly') {
    await d.readOnly(channelId);
    p.readOnly = true;
  }
  return p;
}

/** The team's matrix release template (made once per runner, team and privacy): its name. */
const releaseTemplates = new WeakMap<Driver, Map<string, Promise<string>>>();
function releaseTemplate(d: Driver, team: TeamKey, privateChannel: boolean): Promise<string> {
  let made = releaseTemplates.get(d);
  if (!made) releaseTemplates.set(d, (made = new Map<string, Promise<string>>()));
  const key = `${team}:${privateChannel}`;
  let name = made.get(key);
  if (!name) {
    const mine = importReleaseTemplate(d, team, privateChannel);
    made.set(key, mine);
    mine.catch(() => made.delete(key));
    name = mine;
  }
  return name;
}

/** Product release with status updates every 30 minutes, item 1.1's command a trigger no server has, and the column's channel type. */
async function importReleaseTemplate(d: Driver, team: TeamKey, privateChannel: boolean): Promise<string> {
  const teamId = d.teams[team].id;
  const name = `matrix release ${privateChannel ? 'private' : 'open'}`;
  const doc = await ok('export template', () => d.http('sysadmin', 'GET', `/teams/${teamId}/templates/product-release`));
  const body = doc['template'] as { checklists: Array<{ items: Array<Record<string, unknown>> }>; channel: Record<string, unknown> } & Record<string, unknown>;
  const [first, ...rest] = body.checklists;
  const items = (first?.items ?? []).map((it, i) => (i === 0 ? { ...it, command: '/mxnosuchtrigger go' } : it));
  const template = { ...body, name, statusUpdateMinutes: 30, checklists: [{ ...first, items }, ...rest], channel: { ...body.channel, private: privateChannel } };
  await ok('import template', () => d.http('sysadmin', 'POST', `/teams/${teamId}/templates/import`, { source: 'infra-ops', document: JSON.stringify({ ...doc, template }) }));
  return name;
}

function blank(team: TeamKey, teamId: string, channelId: string, channelName: string, secret: string, members: Map<string, MemberKind>, resource: Resource): Prepared {
  return {
    team,
    teamId,
    channelId,
    channelName,
    secret,
    number: null,
    m: null,
    rfc: null,
    slug: null,
    name: null,
    concern: null,
    item: null,
    ref: null,
    // A day of its own for each record (a team holiday is one per date).
    date: isoDate(Date.UTC(2031, 0, 1) + counter * DAY),
    doc: null,
    owed: false,
    members,
    open: resource.type === 'O',
    readOnly: false,
  };
}

const DAY = 86_400_000;
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
/** A maintenance window from tomorrow, in the form `/infra maintenance add` reads (the actor's zone: UTC). */
const windowOf = (now: number): { from: string; to: string } => {
  const at = (ms: number): string => new Date(ms).toISOString().slice(0, 16);
  return { from: at(now + DAY), to: at(now + DAY + 3_600_000) };
};

/** The record's place in table.ts's terms (team-level creations have no channel). */
export function placeOf(row: Row, p: Prepared, d: Driver): Place {
  if (row.teamLevel) return { teamId: p.teamId, channel: null };
  return { teamId: p.teamId, channel: { id: p.channelId, teamId: d.teams[p.team].id, open: p.open, readOnly: p.readOnly, members: p.members } };
}

export function expectationOf(row: Row, role: Role, p: Prepared, d: Driver): Expected {
  // A follow-up can only be owed by someone in the incident's team (a system admin outside team B is not).
  if (row.setup.endsWith('OwedByActor') && !p.owed) return 'hidden';
  return expected(row, standingOf(role, { A: d.teams.A.id, B: d.teams.B.id }, p.team), placeOf(row, p, d), d.mattermost, d.teams.A.id);
}

// ---------------------------------------------------------------- acting

export const MISSING_NUMBER = 987654;
export const MISSING_NAME = 'noguildqq';
export const MISSING_SLUG = 'noguildqq';
/** A webhook id of the right shape that no webhook has. */
export const MISSING_WEBHOOK = 'wh0000000000000000';

export interface Performed {
  /** null for a command. */
  status: number | null;
  text: string;
  body: unknown;
}

/** The act with the record's values, or (missing = true) with a record that does not exist. */
export async function perform(d: Driver, row: Row, p: Prepared, actor: PersonKey, missing = false): Promise<Performed> {
  const act = row.act;
  const ids: BodyIds = {
    owner: d.ids[p.team === 'A' ? 'owner' : 'ownerB'],
    helper: d.ids[p.team === 'A' ? 'helper' : 'helperB'],
    actor: d.ids[actor],
    channelId: missing ? d.empty[p.team].id : p.channelId,
    rfc: p.rfc,
    m: p.m,
    secret: p.secret,
    doc: p.doc,
    teamId: row.throughTeamA ? d.teams.A.id : p.teamId,
    number: missing ? MISSING_NUMBER : p.number,
    ownerName: d.usernames[p.team === 'A' ? 'owner' : 'ownerB'],
    helperName: d.usernames[p.team === 'A' ? 'helper' : 'helperB'],
    now: d.now(),
  };
  const teamId = ids.teamId;
  const home = row.throughTeamA ? d.teams.A.town : d.teams[p.team].town;
  if ('http' in act) {
    const path = fillHttpPath(act, p, d, missing, teamId);
    const body = act.body === undefined ? undefined : typeof act.body === 'function' ? act.body(ids) : act.body;
    const answer = await d.http(actor, act.http, path, act.http === 'GET' ? undefined : (body ?? (act.http === 'DELETE' ? undefined : {})));
    if (row.card && answer.status === 200) {
      // The card's protocol: the clicker reads `ephemeral_text`, a change (`1.1: checked.`) or a refusal.
      const text = (answer.body as { ephemeral_text?: unknown }).ephemeral_text;
      const said = typeof text === 'string' ? text : '';
      // A snooze button's change names the run (`RUN-3: the status-update reminder is snoozed …`).
      const changed = /^\d{1,2}\.\d{1,3}: |^Nothing changed on |^RUN-\d+: the (?:status-update )?reminder /.test(said);
      return { status: null, text: changed ? said : `**Error:** ${said}`, body: answer.body };
    }
    const refusal = row.dialog && answer.status === 200 ? (answer.body as { error?: string; errors?: unknown }) : null;
    if (refusal?.error !== undefined || refusal?.errors !== undefined) {
      // The dialog protocol answers refusals with 200: read them as a command's refusal.
      return { status: null, text: `**Error:** ${refusal.error ?? JSON.stringify(refusal.errors)}`, body: answer.body };
    }
    return { status: answer.status, text: JSON.stringify(answer.body), body: answer.body };
  }
  if ('page' in act) {
    const answer = await d.page(actor, statusPagePath(missing ? MISSING_NAME : d.teams[p.team].name));
    return { status: answer.status, text: answer.text, body: answer.text };
  }
  if ('digest' in act) {
    if (!d.digest) throw new Error('this runner cannot move the clock to a digest morning');
    const text = await d.digest(actor, p.team);
    return { status: null, text, body: text };
  }
  if ('feed' in act) {
    // A new link of the actor's (shown once), then the feed as a calendar app fetches it: no session.
    const reply = await d.command(actor, d.teams[p.team].town, p.teamId, `/infra calendar rotate ${act.feed}`);
    const link = /\/plugins\/[^\s`]+\.ics/.exec(reply)?.[0];
    if (!link) return { status: null, text: reply, body: reply };
    const feed = await d.page(null, link);
    return { status: feed.status, text: feed.text, body: feed.text };
  }
  const text = fillCommand(act, p, d, missing);
  const where = act.in === 'record' ? (missing ? d.empty[p.team].id : p.channelId) : home;
  const reply = await d.command(actor, where, act.in === 'record' ? p.teamId : teamId, text);
  return { status: null, text: reply, body: reply };
}

function fillHttpPath(act: Extract<Act, { http: Method }>, p: Prepared, d: Driver, missing: boolean, teamId: string): string {
  const values: Record<string, string | number | null> = {
    teamId,
    number: missing ? MISSING_NUMBER : p.number,
    slug: missing ? MISSING_SLUG : p.slug,
    channelId: missing ? d.empty[p.team].id : p.channelId,
    concernId: p.concern,
    /** The follow-up (the set-up adds one), queue item or note in question. */
    n: p.item ?? 1,
    webhookId: missing ? MISSING_WEBHOOK : p.ref,
  };
  const path = act.path.replace(/:([a-z]+)/gi, (_m, name: string) => encodeURIComponent(String(values[name] ?? `:${name}`)));
  const query = act.query?.replace('{channelId}', missing ? d.empty[p.team].id : p.channelId);
  return query ? `${path}?${query}` : path;
}

function fillCommand(act: Extract<Act, { command: string }>, p: Prepared, d: Driver, missing: boolean): string {
  const values: Record<string, string> = {
    n: String(missing ? MISSING_NUMBER : p.number),
    m: String(p.m),
    rfc: String(p.rfc),
    name: missing ? MISSING_NAME : (p.name ?? ''),
    concern: String(p.concern),
    item: String(p.item),
    channelName: missing ? d.empty[p.team].name : p.channelName,
    text: `t ${p.secret}`,
    secret: p.secret,
    slug: missing ? MISSING_SLUG : (p.slug ?? ''),
    ref: missing ? (p.ref?.startsWith('wh') ? MISSING_WEBHOOK : MISSING_SLUG) : (p.ref ?? ''),
    date: p.date ?? '',
    ...windowOf(d.now()),
    ownerName: d.usernames[p.team === 'A' ? 'owner' : 'ownerB'],
    doc: p.doc ?? '',
    helperName: d.usernames[p.team === 'A' ? 'helper' : 'helperB'],
  };
  return act.command.replace(/\{([a-z]+)\}/gi, (_m, name: string) => values[name] ?? `{${name}}`);
}

/** The record as its owner reads it (to prove an action through another team left it alone). */
export async function ownerView(d: Driver, row: Row, p: Prepared): Promise<string> {
  const collection = { incidents: 'incidents', pick: 'ideas', rfc: 'rfcs', guilds: 'guilds', runs: 'runs', infra: null }[row.feature];
  const key = row.feature === 'guilds' ? p.slug : p.number;
  if (!collection || key === null) return '';
  const a = await d.http(p.team === 'A' ? 'owner' : 'ownerB', 'GET', `/teams/${p.teamId}/${collection}/${key}`);
  return `${a.status} ${JSON.stringify(a.body)}`;
}

// ---------------------------------------------------------------- classifying

/** 'allow' | 'hidden' | 'forbidden', or what came back instead. */
export type Got = string;

/** What the actor typed or addressed, which an answer may echo without showing anything. */
const echoes = (p: Prepared, d: Driver): string[] =>
  [p.name, p.slug, p.channelName, MISSING_NAME, MISSING_SLUG, d.empty.A.name, d.empty.B.name].filter((w): w is string => !!w).sort((a, b) => b.length - a.length);

const normal = (text: string, p: Prepared, d: Driver): string => {
  let t = text;
  for (const word of echoes(p, d)) t = t.split(word).join('<echo>');
  return t.replace(/[a-z0-9]{26}/g, '<id>').replace(/\d+/g, '#');
};

const isError = (text: string): boolean => text.startsWith('**Error:**');

/**
 * allow · hidden (refused exactly as for a record that does not exist, nothing of it shown) ·
 * forbidden (refused otherwise) · anything else names what came back.
 */
export function classify(row: Row, p: Prepared, d: Driver, got: Performed, baseline: () => Promise<Performed>): Promise<Got> | Got {
  const shows = includes(row, p, got);
  const showsBeyondEcho = includes(row, p, { ...got, text: normal(got.text, p, d) });
  // Through team A, another team's record: whatever answers (team A's own record of that number,
  // or a refusal), it must not be this one, and must not have acted on it.
  if (row.throughTeamA && p.team !== 'A') return showsBeyondEcho ? 'allow' : 'hidden';
  if (row.kind === 'list') {
    if (got.status === null) return isError(got.text) ? (shows ? 'error reply showing the record' : 'hidden') : shows ? 'allow' : 'hidden';
    if (got.status === 404) return shows ? '404 showing the record' : 'hidden';
    if (got.status >= 200 && got.status < 300) return shows ? 'allow' : 'hidden';
    return `${got.status} ${got.text.slice(0, 160)}`;
  }
  const refused = got.status === null ? isError(got.text) : got.status >= 400;
  if (!refused) {
    if (got.status !== null && got.status >= 300) return `${got.status} ${got.text.slice(0, 160)}`;
    if (row.kind === 'read' && !shows) return `answered without the record: ${got.text.slice(0, 160)}`;
    return 'allow';
  }
  // 403 is for those who may see the record: it may name it.
  if (got.status === 403) return 'forbidden';
  if (got.status !== null && got.status !== 404) return `${got.status} ${got.text.slice(0, 200)}`;
  return (async () => {
    const missing = await baseline();
    const same = normal(missing.text, p, d) === normal(got.text, p, d) && missing.status === got.status;
    if (got.status === 404) return same && !showsBeyondEcho ? 'hidden' : `404 unlike a missing record: ${got.text.slice(0, 120)} vs ${missing.text.slice(0, 120)}`;
    if (same && !showsBeyondEcho) return 'hidden';
    // A command's refusal can't say 403 or 404: one that differs from "no such thing" is a refusal
    // to someone who may see it (table.ts says whether they may).
    return 'forbidden';
  })();
}

function includes(row: Row, p: Prepared, got: Performed): boolean {
  if (row.includes === 'metrics') {
    const total = (got.body as { metrics?: { total?: number } } | undefined)?.metrics?.total;
    return typeof total === 'number' && total > 0;
  }
  if (row.includes === 'metricsText') return Number(/\| \*\*All\*\* \| (\d+) \|/.exec(got.text)?.[1] ?? 0) > 0;
  if (row.includes === 'runStats') {
    const items = (got.body as { items?: Array<{ kind?: string; started?: number }> } | undefined)?.items ?? [];
    return items.some((i) => i.kind === 'incident' && (i.started ?? 0) > 0);
  }
  if (row.includes === 'runStatsText') return Number(/\(incident\): (\d+) started/.exec(got.text)?.[1] ?? 0) > 0;
  return got.text.includes(p.secret);
}

/** The printable name of a case. */
export const caseName = (role: Role, resource: Resource): string => `${role} × ${resource.key}`;

export type { Expected };
