/**
 * THE permission matrix of issue 9, as one table written by hand from the issue ("Who may do what",
 * "Visibility follows Mattermost, live", "Private stays private everywhere", "The bot writes only
 * where the acting user may write"), the security review's findings (H1–H5, M1–M4, M9, L1–L2) and
 * the README. It is deliberately NOT derived from the features' policy.ts files, so that it catches
 * a wrong policy as well as a wrong use of a right one.
 *
 * One row per command and route. The expected outcome of a row for one actor on one resource is
 * worked out by `expected()` below from three hand-written facts:
 *   1. who can see the record: Mattermost's live answer for its channel (members, guests included;
 *      for an open channel also the channel team's full members, not guests; system admins), and for
 *      a record without a channel the team's full members and system admins;
 *   2. the row's `who`: which of the actor's roles may do it once they see it;
 *   3. the row's `posts`: the bot writes into the record's channel, so the actor must be allowed to
 *      post there (members; in a moderated channel only its admins; team admins in open channels;
 *      system admins).
 * Outcomes: `allow` (2xx / a normal reply; reads show the record), `hidden` (404 / a refusal that
 * reads exactly like the one for a record that does not exist, and reveals nothing), `forbidden`
 * (403 / a refusal for someone who may see it), `deny` (either refusal: the issue does not settle
 * which). For lists, agendas, counts and `/infra owe`: `allow` = the record is included,
 * `hidden` = it is not (or the call is refused as not-found).
 *
 * The generated cases: every row × ROLES × RESOURCES (each resource's phase before/after a
 * public→private conversion is its own column). matrix.test.ts runs all of them in process;
 * matrix.e2e.test.ts runs the rows marked `e2e` on the real server with the roles and resources
 * Team Edition offers.
 */
import type { Method } from '../contract/api';

// ---------------------------------------------------------------- roles, resources, phases

/**
 * The actors. None of them created the record: its owner is another member of the channel
 * ("alice" in team A, "bella" in team B), and a helper ("sam"/"sid") plays the second scorer,
 * reviewer and concern raiser. Record roles held by actors (set up by the scenario, stated here so
 * the table is self-contained):
 *   - RFC reviewer (team A records): channelMember · RFC approver (RfcApprovers): channelAdmin
 *   - guild facilitator (team A records): channelMember
 *   - approver of a run's gate (team A runs): channelMember
 *   - the run's owner (the incident's commander) and a gate concern's raiser are never an actor.
 *   - the incident's commander, the idea's/RFC's owner, the guild's creator, the concern's raiser
 *     and the queue item's author are never an actor.
 * Team B's record channels hold its owner, helper and a third member ("tia"); no actor.
 */
export const ROLES = [
  'sysadmin', // system admin; a member of team A, of no channel of it
  'teamAdmin', // team A admin, not in the record's channel
  'channelAdmin', // team A member, admin of the record's channel (team A resources)
  'channelMember', // team A member, plain member of the record's channel (team A resources)
  'teamMember', // team A member outside the record's channel
  'guest', // team A guest, in team A's town square only
  'channelGuest', // team A guest who is a member of the record's channel (team A resources)
  'otherTeamUser', // member of team B only (outside the team-B record's channel)
] as const;
export type Role = (typeof ROLES)[number];

/** Roles a real Team Edition server can have without a licence (no guest accounts). */
export const TEAM_EDITION_ROLES: readonly Role[] = ['sysadmin', 'teamAdmin', 'channelAdmin', 'channelMember', 'teamMember', 'otherTeamUser'];

export type TeamKey = 'A' | 'B';

/** Where the record lives, and what happens to that channel after it is set up (the phase). */
export interface Resource {
  readonly key: string;
  readonly team: TeamKey;
  readonly type: 'O' | 'P';
  /** Applied after the owner set the record up, before the actor acts. */
  readonly then: null | 'convert' | 'readonly';
}

export const RESOURCES: readonly Resource[] = [
  { key: 'public', team: 'A', type: 'O', then: null },
  { key: 'public→private', team: 'A', type: 'O', then: 'convert' },
  { key: 'private', team: 'A', type: 'P', then: null },
  { key: 'public read-only', team: 'A', type: 'O', then: 'readonly' },
  { key: 'other team', team: 'B', type: 'O', then: null },
  { key: 'other team public→private', team: 'B', type: 'O', then: 'convert' },
];

/** Channel moderation needs a licence: the real-server run leaves the read-only column out. */
export const TEAM_EDITION_RESOURCES: readonly Resource[] = RESOURCES.filter((r) => r.then !== 'readonly');

// ---------------------------------------------------------------- the rows

export type Feature = 'incidents' | 'pick' | 'rfc' | 'guilds' | 'runs' | 'infra';

/**
 * What the owner prepares before the actor acts (scenario.ts builds each):
 * - `place`: only the resource channel (with its members) — for creating something there;
 * - `incident…`: an incident declared by the owner whose channel is the resource (declared
 *   --public or --private to match), then the channel's actors added; `incident.watched`: also
 *   followed, while it could still be seen, by the team member outside the channel and the other
 *   team's user (so that a status update after the conversion proves who its DMs and events reach);
 *   `incident.triage`: opened by an alert of a source of its team (private or not to match, the
 *   owner its responder), then the channel's actors added;
 * - `idea…`, `rfc…`, `guild…`: the record in the resource channel;
 * - `agenda…`: the record, plus a guild in its team's town square reading that source.
 * - `run…`: an incident declared in the resource channel (as `incident`), whose channel hosts its
 *   runbook run (owned by the commander, the owner); `run.gate`: a security incident, whose
 *   runbook has a gate (2.2) with the gate approvers named by the owner; `run.concern`: also a
 *   concern on it raised by the helper; `run.finished`: the run finished by its owner;
 *   `run.gateOwedByActor`: the actor named an approver of the gate (joining the channel for that
 *   if they had to, and leaving it again).
 * - `run.release`: not an incident's runbook (those take `/incident update`), a release run the
 *   owner started from the town square with a team template the system admin imported (from
 *   "Product release": status updates every 30 minutes, item 1.1's command a trigger no server
 *   knows, its channel private for the private column); the run's own channel is the resource.
 * - team things with no channel, made by the system admin: `alertSource`, `webhook`, `component`
 *   (a status component), `maintenance` (a window on one), `holiday` (of the team's guilds), and
 *   `template` (the built-in "Product release" read, and an importable copy of it under a new name);
 *   `template.imported`: that copy imported into the team; `template.attachedByActor`: the actor
 *   attached the copy as a `.json` file to a post of theirs in the team's town square.
 * - `guild.rota`: a guild whose members (owner, helper) take turns; `guild.skipped`: a guild whose
 *   meeting a week ahead the owner called off.
 */
export type SetupName =
  | 'place'
  | 'incident'
  | 'incident.resolved'
  | 'incident.triage'
  | 'incident.followup'
  | 'incident.followupOwedByActor'
  | 'incident.followedByActor'
  | 'incident.watched'
  | 'idea'
  | 'idea.scored2'
  | 'idea.revealed'
  | 'idea.rfc'
  | 'rfc'
  | 'rfc.inReview'
  | 'rfc.signedOff'
  | 'rfc.concern'
  | 'rfc.accepted'
  | 'guild'
  | 'guild.item'
  | 'guild.note'
  | 'agenda.incident'
  | 'agenda.rfc'
  | 'agenda.idea'
  | 'run'
  | 'run.gate'
  | 'run.concern'
  | 'run.finished'
  | 'run.gateOwedByActor'
  | 'run.release'
  | 'alertSource'
  | 'webhook'
  | 'component'
  | 'maintenance'
  | 'holiday'
  | 'template'
  | 'template.imported'
  | 'template.attachedByActor'
  | 'guild.rota'
  | 'guild.skipped';

/** Who may act once they see the record (any one suffices). */
export type Who =
  | 'viewer' // anyone who can see it
  | 'member' // members of its channel (guests included)
  | 'channelAdmin'
  | 'teamAdmin' // of the record's team
  | 'sysadmin'
  | 'fullTeamMember' // the record's team's members who are not guests (and system admins)
  | 'reviewer'
  | 'approver'
  | 'facilitator'
  | 'gateApprover';

/** Placeholders: {n} number · {m} a second RFC · {slug} guild slug · {name} guild name · {concern} · {item} (queue item or note id) · {channelName} · {rfc} linked RFC · {text} fresh text. Paths: `:n` is the follow-up (1), queue item or note. */
export type Act =
  | {
      readonly http: Method;
      /** A contract path (from contract/*.ts) with :params, filled from the record. */
      readonly path: string;
      readonly query?: string;
      readonly body?: Readonly<Record<string, unknown>> | ((ids: BodyIds) => Readonly<Record<string, unknown>>);
    }
  | {
      readonly command: string;
      /** `record`: typed in the record's channel; `home`: in the town square of the record's team. */
      readonly in: 'record' | 'home';
    }
  | {
      /** A plugin page outside /api/v1 (HTML or text), fetched with the actor's session. */
      readonly page: 'status';
    }
  | {
      /** `/infra calendar rotate <feed>` typed at home, then the new link fetched as a calendar app would. */
      readonly feed: 'me' | 'team';
    }
  | {
      /** `/infra digest on` typed at home, then the actor's next digest morning (in process only): the DM they get. */
      readonly digest: 'on';
    };

export interface BodyIds {
  readonly owner: string;
  readonly helper: string;
  readonly actor: string;
  readonly channelId: string;
  readonly rfc: number | null;
  readonly m: number | null;
  readonly secret: string;
  /** `template`: an importable document (a copy of a built-in template under a fresh name). */
  readonly doc: string | null;
  /** The team the act is addressed to (the record's, or team A's for `throughTeamA`), and the record's number. */
  readonly teamId: string;
  readonly number: number | null;
  /** The record owner's and helper's usernames (for bodies that name people as typed). */
  readonly ownerName: string;
  readonly helperName: string;
  /** The record's Mattermost-side time (epoch ms) when it was set up, for bodies with a due time. */
  readonly now: number;
}

export type Kind = 'read' | 'write' | 'create' | 'list';

export interface Row {
  readonly id: string;
  readonly feature: Feature;
  readonly kind: Kind;
  readonly setup: SetupName;
  readonly who: readonly Who[];
  /** The bot posts into the record's channel: the actor must be allowed to post there. */
  readonly posts?: boolean;
  readonly act: Act;
  /** Where the expectation comes from (issue 9, security review, README) or "judgment". */
  readonly basis: string;
  /** In the real-server subset. */
  readonly e2e?: boolean;
  /** A creation at team level (no channel): the record's scope is the team. */
  readonly teamLevel?: boolean;
  /** For list rows whose answer is a count, not the record: how to tell it is included. */
  readonly includes?: 'metrics' | 'metricsText' | 'runStatsText' | 'runStats';
  /** Cells the issue leaves open between 403 and 404 (refused either way). */
  readonly denyEitherFor?: readonly Role[];
  /**
   * Addressed through team A (its path, or typed in its town square) whatever the record's team:
   * "a number or slug of one team never resolves in another team" (H1). Another team's record
   * must then never come back, to anyone; the answer may be team A's own record of that number.
   */
  readonly throughTeamA?: boolean;
  /** Mattermost's interactive-dialog protocol: a refusal is a 200 with `{error}` (or `{errors}` per field). */
  readonly dialog?: boolean;
  /** A run card's button: the answer is `{ephemeral_text}` (200), read as a command's reply. */
  readonly card?: boolean;
  /** A list for the whole team (a team calendar feed): it includes only records every full member sees (open channels). */
  readonly teamWide?: boolean;
}

const STEER = ['channelAdmin', 'sysadmin'] as const; // + the commander (never an actor)
const RESPOND = ['member', 'sysadmin'] as const;
const IDEA_ADMIN = ['teamAdmin', 'sysadmin'] as const; // + the idea's owner (never an actor)
const RFC_DECIDE = ['approver'] as const; // + the RFC's owner (never an actor)
const GUILD_RUN = ['facilitator', 'teamAdmin', 'sysadmin'] as const; // + its creator (never an actor)
const GUESTS: readonly Role[] = ['guest', 'channelGuest'];
const NOT_TEAM_ADMINS: readonly Role[] = ROLES.filter((r) => r !== 'teamAdmin' && r !== 'sysadmin');
const ADMINS = ['teamAdmin', 'sysadmin'] as const;
const RUN_LEAD = ADMINS; // + the run's owner (never an actor): finish, publish, name approvers
const GATE = ['gateApprover'] as const;
const OVERRIDE = ADMINS; // runs/policy override: team admins, system admins
/** A refusal of a team-level thing: for a guest or someone who is no admin, 403 or 404 (both say nothing). */
const teamAdminRow = { teamLevel: true, who: ADMINS, denyEitherFor: NOT_TEAM_ADMINS } as const;

const inc = '/teams/:teamId/incidents';
const idea = '/teams/:teamId/ideas';
const rfc = '/teams/:teamId/rfcs';
const guild = '/teams/:teamId/guilds';
const run = '/teams/:teamId/runs';

export const TABLE: readonly Row[] = [
  // ------------------------------------------------------------ incidents, HTTP
  { id: 'incidents POST declare', feature: 'incidents', kind: 'create', setup: 'place', teamLevel: true, who: ['fullTeamMember'], act: { http: 'POST', path: inc, body: (i) => ({ title: i.secret }) }, basis: 'issue: declaring is the team\'s full members\'; guests only see their channels (403 or 404: they are in the team)', denyEitherFor: GUESTS, e2e: true },
  { id: 'incidents GET list', feature: 'incidents', kind: 'list', setup: 'incident', who: ['viewer'], act: { http: 'GET', path: inc, query: 'state=all&per_page=100' }, basis: 'H2, M3: lists follow live visibility', e2e: true },
  { id: 'incidents GET sidebar page', feature: 'incidents', kind: 'list', setup: 'incident', who: ['viewer'], act: { http: 'GET', path: inc, query: 'state=active&sort=severity&per_page=100' }, basis: 'H2, M3: the sidebar\'s most-severe-first page follows live visibility (issue 12)' },
  { id: 'incidents GET metrics', feature: 'incidents', kind: 'list', includes: 'metrics', setup: 'incident', who: ['viewer'], act: { http: 'GET', path: `${inc}/metrics` }, basis: 'issue: private stays private in counts and metrics' },
  { id: 'incidents GET one', feature: 'incidents', kind: 'read', setup: 'incident', who: ['viewer'], act: { http: 'GET', path: `${inc}/:number` }, basis: 'H2: converted incident no longer readable team-wide', e2e: true },
  { id: 'incidents GET of channel', feature: 'incidents', kind: 'read', setup: 'incident', who: ['viewer'], act: { http: 'GET', path: '/channels/:channelId/incident' }, basis: 'issue: visibility is the channel\'s' },
  { id: 'incidents GET timeline', feature: 'incidents', kind: 'read', setup: 'incident', who: ['viewer'], act: { http: 'GET', path: `${inc}/:number/timeline` }, basis: 'H2' },
  { id: 'incidents POST status', feature: 'incidents', kind: 'write', setup: 'incident.watched', who: RESPOND, posts: true, act: { http: 'POST', path: `${inc}/:number/status`, body: (i) => ({ text: `status ${i.secret}` }) }, basis: 'README: responders update status; judgment: system admins may post anywhere in Mattermost', e2e: true },
  { id: 'incidents POST severity', feature: 'incidents', kind: 'write', setup: 'incident', who: STEER, posts: true, act: { http: 'POST', path: `${inc}/:number/severity`, body: { severity: 1 } }, basis: 'README: severity belongs to the commander, channel admins, system admins', e2e: true },
  { id: 'incidents POST roles', feature: 'incidents', kind: 'write', setup: 'incident', who: STEER, posts: true, act: { http: 'POST', path: `${inc}/:number/roles`, body: (i) => ({ role: 'scribe', user_id: i.owner }) }, basis: 'README: roles belong to the commander, channel admins, system admins' },
  { id: 'incidents POST timeline note', feature: 'incidents', kind: 'write', setup: 'incident', who: RESPOND, posts: true, act: { http: 'POST', path: `${inc}/:number/timeline`, body: { text: 'a note' } }, basis: 'responders; judgment for system admins' },
  { id: 'incidents POST milestone', feature: 'incidents', kind: 'write', setup: 'incident', who: RESPOND, posts: true, act: { http: 'POST', path: `${inc}/:number/milestones`, body: { milestone: 'acknowledged' } }, basis: 'responders; judgment for system admins' },
  { id: 'incidents POST follow', feature: 'incidents', kind: 'write', setup: 'incident', who: ['viewer'], act: { http: 'POST', path: `${inc}/:number/follow`, body: {} }, basis: 'anyone who sees it may follow it (updates by DM)' },
  { id: 'incidents DELETE follow', feature: 'incidents', kind: 'write', setup: 'incident.followedByActor', who: ['viewer'], act: { http: 'DELETE', path: `${inc}/:number/follow` }, basis: 'as follow' },
  { id: 'incidents POST resolve', feature: 'incidents', kind: 'write', setup: 'incident', who: STEER, posts: true, act: { http: 'POST', path: `${inc}/:number/resolve`, body: { summary: 'fixed' } }, basis: 'README: resolve belongs to the commander, channel admins, system admins', e2e: true },
  { id: 'incidents POST reopen', feature: 'incidents', kind: 'write', setup: 'incident.resolved', who: STEER, posts: true, act: { http: 'POST', path: `${inc}/:number/reopen`, body: {} }, basis: 'README: reopen belongs to the commander, channel admins, system admins' },
  { id: 'incidents POST reviewed', feature: 'incidents', kind: 'write', setup: 'incident.resolved', who: STEER, posts: true, act: { http: 'POST', path: `${inc}/:number/reviewed`, body: {} }, basis: 'H5: marking reviewed needs commander / channel admin / system admin' },
  { id: 'incidents POST followup', feature: 'incidents', kind: 'write', setup: 'incident', who: RESPOND, posts: true, act: { http: 'POST', path: `${inc}/:number/followups`, body: { text: 'write the postmortem' } }, basis: 'responders; judgment for system admins' },
  { id: 'incidents POST followup done', feature: 'incidents', kind: 'write', setup: 'incident.followup', who: RESPOND, posts: true, act: { http: 'POST', path: `${inc}/:number/followups/:n/done`, body: {} }, basis: 'responders; judgment for system admins' },

  // ------------------------------------------------------------ incidents, commands
  { id: 'incidents POST dialog (declare from the form)', feature: 'incidents', kind: 'create', setup: 'place', who: ['fullTeamMember'], dialog: true, act: { http: 'POST', path: '/incidents/dialog', body: (i) => ({ callback_id: 'incident-declare', state: JSON.stringify({ channelId: i.channelId }), submission: { title: i.secret, private: true } }) }, basis: 'H4\'s route: the team is the live channel\'s; the submitter must be allowed to declare there', denyEitherFor: GUESTS },
  { id: '/incident declare (in the channel)', feature: 'incidents', kind: 'create', setup: 'place', who: ['fullTeamMember'], act: { command: '/incident declare sev2 {text} --private', in: 'record' }, basis: 'the team is the channel\'s; a channel the actor cannot read is not-found; guests may not declare', denyEitherFor: GUESTS },
  { id: '/incident status', feature: 'incidents', kind: 'write', setup: 'incident.watched', who: RESPOND, posts: true, act: { command: '/incident status {text}', in: 'record' }, basis: 'H2 class; responders', e2e: true },
  { id: '/incident severity', feature: 'incidents', kind: 'write', setup: 'incident', who: STEER, posts: true, act: { command: '/incident severity sev1', in: 'record' }, basis: 'README' },
  { id: '/incident role', feature: 'incidents', kind: 'write', setup: 'incident', who: STEER, posts: true, act: { command: '/incident role scribe @{ownerName}', in: 'record' }, basis: 'README' },
  { id: '/incident timeline', feature: 'incidents', kind: 'read', setup: 'incident', who: ['viewer'], act: { command: '/incident timeline INC-{n}', in: 'home' }, basis: 'H2' },
  { id: '/incident timeline add', feature: 'incidents', kind: 'write', setup: 'incident', who: RESPOND, posts: true, act: { command: '/incident timeline add a note', in: 'record' }, basis: 'responders' },
  { id: '/incident milestone', feature: 'incidents', kind: 'write', setup: 'incident', who: RESPOND, posts: true, act: { command: '/incident milestone acknowledged', in: 'record' }, basis: 'responders' },
  { id: '/incident follow', feature: 'incidents', kind: 'write', setup: 'incident', who: ['viewer'], act: { command: '/incident follow INC-{n}', in: 'home' }, basis: 'anyone who sees it' },
  { id: '/incident unfollow', feature: 'incidents', kind: 'write', setup: 'incident.followedByActor', who: ['viewer'], act: { command: '/incident unfollow INC-{n}', in: 'home' }, basis: 'anyone who sees it' },
  { id: '/incident resolve', feature: 'incidents', kind: 'write', setup: 'incident', who: STEER, posts: true, act: { command: '/incident resolve fixed', in: 'record' }, basis: 'README' },
  { id: '/incident reopen', feature: 'incidents', kind: 'write', setup: 'incident.resolved', who: STEER, posts: true, act: { command: '/incident reopen', in: 'record' }, basis: 'README' },
  { id: '/incident followup add', feature: 'incidents', kind: 'write', setup: 'incident', who: RESPOND, posts: true, act: { command: '/incident followup add write it up', in: 'record' }, basis: 'responders' },
  { id: '/incident followup done', feature: 'incidents', kind: 'write', setup: 'incident.followup', who: RESPOND, posts: true, act: { command: '/incident followup done 1', in: 'record' }, basis: 'responders' },
  { id: '/incident followup list', feature: 'incidents', kind: 'read', setup: 'incident.followup', who: ['viewer'], act: { command: '/incident followup list', in: 'record' }, basis: 'H2' },
  { id: '/incident info', feature: 'incidents', kind: 'read', setup: 'incident', who: ['viewer'], act: { command: '/incident info INC-{n}', in: 'home' }, basis: 'H2: a number never resolves in another team, a hidden one reads as missing', e2e: true },
  { id: '/incident metrics', feature: 'incidents', kind: 'list', includes: 'metricsText', setup: 'incident', who: ['viewer'], act: { command: '/incident metrics', in: 'home' }, basis: 'issue: private stays private in counts and metrics' },
  { id: '/incident list', feature: 'incidents', kind: 'list', setup: 'incident', who: ['viewer'], act: { command: '/incident list all', in: 'home' }, basis: 'H2, M3', e2e: true },

  // ------------------------------------------------------------ PICK, HTTP
  { id: 'pick GET ideas (team)', feature: 'pick', kind: 'list', setup: 'idea', who: ['viewer'], act: { http: 'GET', path: idea, query: 'filter=all&per_page=100' }, basis: 'H1, M3', e2e: true },
  { id: 'pick GET ideas (channel)', feature: 'pick', kind: 'list', setup: 'idea', who: ['viewer'], act: { http: 'GET', path: idea, query: 'channel_id={channelId}&per_page=100' }, basis: 'H1: the channel\'s list takes its team from the channel' },
  { id: 'pick POST add', feature: 'pick', kind: 'create', setup: 'place', who: ['viewer'], posts: true, act: { http: 'POST', path: idea, body: (i) => ({ channel_id: i.channelId, title: i.secret }) }, basis: 'M4: the bot announces it in the channel, so the actor must be able to post there' },
  { id: 'pick GET idea', feature: 'pick', kind: 'read', setup: 'idea', who: ['viewer'], act: { http: 'GET', path: `${idea}/:number` }, basis: 'H1', e2e: true },
  { id: 'pick POST score', feature: 'pick', kind: 'write', setup: 'idea', who: ['viewer'], act: { http: 'POST', path: `${idea}/:number/score`, body: { payoff: 7, cost: 3 } }, basis: 'judgment: whoever sees an idea may score it (nothing is posted)', e2e: true },
  { id: 'pick POST reveal', feature: 'pick', kind: 'write', setup: 'idea.scored2', who: IDEA_ADMIN, posts: true, act: { http: 'POST', path: `${idea}/:number/reveal`, body: {} }, basis: 'issue: revealing is the owner\'s or an admin\'s; L1 (two scores set up)', e2e: true },
  { id: 'pick POST rescore', feature: 'pick', kind: 'write', setup: 'idea.revealed', who: IDEA_ADMIN, posts: true, act: { http: 'POST', path: `${idea}/:number/rescore`, body: {} }, basis: 'as reveal' },
  { id: 'pick POST archive', feature: 'pick', kind: 'write', setup: 'idea', who: IDEA_ADMIN, posts: true, act: { http: 'POST', path: `${idea}/:number/archive`, body: { reason: 'dup' } }, basis: 'owner or admin (L2 class)' },
  { id: 'pick POST link', feature: 'pick', kind: 'write', setup: 'idea.rfc', who: IDEA_ADMIN, posts: true, act: { http: 'POST', path: `${idea}/:number/link`, body: (i) => ({ rfc: i.rfc }) }, basis: 'L2: any viewer could re-link someone else\'s idea' },

  // ------------------------------------------------------------ PICK, commands
  { id: '/pick add (in the channel)', feature: 'pick', kind: 'create', setup: 'place', who: ['viewer'], posts: true, act: { command: '/pick add {text}', in: 'record' }, basis: 'M4' },
  { id: '/pick score', feature: 'pick', kind: 'write', setup: 'idea', who: ['viewer'], act: { command: '/pick score {n} payoff=7 cost=3', in: 'home' }, basis: 'judgment: whoever sees it' },
  { id: '/pick reveal', feature: 'pick', kind: 'write', setup: 'idea.scored2', who: IDEA_ADMIN, posts: true, act: { command: '/pick reveal {n}', in: 'home' }, basis: 'issue' },
  { id: '/pick show', feature: 'pick', kind: 'read', setup: 'idea', who: ['viewer'], act: { command: '/pick show {n}', in: 'home' }, basis: 'H1', e2e: true },
  { id: '/pick list (in the channel)', feature: 'pick', kind: 'list', setup: 'idea', who: ['viewer'], act: { command: '/pick list', in: 'record' }, basis: 'H1, M3' },
  { id: '/pick list --team', feature: 'pick', kind: 'list', setup: 'idea', who: ['viewer'], act: { command: '/pick list --team', in: 'home' }, basis: 'H1, M3' },
  { id: '/pick board (in the channel)', feature: 'pick', kind: 'list', setup: 'idea', who: ['viewer'], act: { command: '/pick board', in: 'record' }, basis: 'M3' },
  { id: '/pick link', feature: 'pick', kind: 'write', setup: 'idea.rfc', who: IDEA_ADMIN, posts: true, act: { command: '/pick link {n} {rfc}', in: 'home' }, basis: 'L2' },
  { id: '/pick archive', feature: 'pick', kind: 'write', setup: 'idea', who: IDEA_ADMIN, posts: true, act: { command: '/pick archive {n} duplicate', in: 'home' }, basis: 'owner or admin' },
  { id: '/pick rescore', feature: 'pick', kind: 'write', setup: 'idea.revealed', who: IDEA_ADMIN, posts: true, act: { command: '/pick rescore {n}', in: 'home' }, basis: 'owner or admin' },

  // ------------------------------------------------------------ RFCs, HTTP
  { id: 'rfc GET list', feature: 'rfc', kind: 'list', setup: 'rfc', who: ['viewer'], act: { http: 'GET', path: rfc, query: 'per_page=100' }, basis: 'H3: a private channel\'s RFC is not listed for non-members', e2e: true },
  { id: 'rfc POST create', feature: 'rfc', kind: 'create', setup: 'place', who: ['viewer'], posts: true, act: { http: 'POST', path: rfc, body: (i) => ({ title: i.secret, channel_id: i.channelId }) }, basis: 'L10, M4: the thread root is posted in the channel' },
  { id: 'rfc GET one', feature: 'rfc', kind: 'read', setup: 'rfc', who: ['viewer'], act: { http: 'GET', path: `${rfc}/:number` }, basis: 'H3', e2e: true },
  { id: 'rfc POST review', feature: 'rfc', kind: 'write', setup: 'rfc', who: RFC_DECIDE, posts: true, act: { http: 'POST', path: `${rfc}/:number/review`, body: (i) => ({ reviewers: [i.helper] }) }, basis: 'owner or approver' },
  { id: 'rfc POST approve', feature: 'rfc', kind: 'write', setup: 'rfc.inReview', who: ['reviewer'], posts: true, act: { http: 'POST', path: `${rfc}/:number/approve`, body: {} }, basis: 'only reviewers sign off' },
  { id: 'rfc POST concern', feature: 'rfc', kind: 'write', setup: 'rfc.inReview', who: ['viewer'], posts: true, act: { http: 'POST', path: `${rfc}/:number/concerns`, body: (i) => ({ text: `concern ${i.secret}` }) }, basis: 'H3: the bot posts the concern into the RFC\'s thread', e2e: true },
  { id: 'rfc POST resolve concern', feature: 'rfc', kind: 'write', setup: 'rfc.concern', who: RFC_DECIDE, posts: true, act: { http: 'POST', path: `${rfc}/:number/concerns/:concernId/resolve`, body: {} }, basis: 'issue: resolving a concern — its raiser, the owner or an approver' },
  { id: 'rfc POST decision reject', feature: 'rfc', kind: 'write', setup: 'rfc.inReview', who: RFC_DECIDE, posts: true, act: { http: 'POST', path: `${rfc}/:number/decision`, body: { action: 'reject' } }, basis: 'owner or approver' },
  { id: 'rfc POST supersede', feature: 'rfc', kind: 'write', setup: 'rfc.accepted', who: RFC_DECIDE, posts: true, act: { http: 'POST', path: `${rfc}/:number/supersede`, body: (i) => ({ by: i.m }) }, basis: 'owner or approver' },
  { id: 'rfc POST reviewed', feature: 'rfc', kind: 'write', setup: 'rfc.accepted', who: RFC_DECIDE, act: { http: 'POST', path: `${rfc}/:number/reviewed`, body: {} }, basis: 'README: owner or approver confirms an accepted RFC' },

  // ------------------------------------------------------------ RFCs, commands
  { id: '/rfc new (in the channel)', feature: 'rfc', kind: 'create', setup: 'place', who: ['viewer'], posts: true, act: { command: '/rfc new {text}', in: 'record' }, basis: 'M4, L10' },
  { id: '/rfc review', feature: 'rfc', kind: 'write', setup: 'rfc', who: RFC_DECIDE, posts: true, act: { command: '/rfc review {n} @{helperName}', in: 'home' }, basis: 'owner or approver' },
  { id: '/rfc approve', feature: 'rfc', kind: 'write', setup: 'rfc.inReview', who: ['reviewer'], posts: true, act: { command: '/rfc approve {n}', in: 'home' }, basis: 'only reviewers sign off' },
  { id: '/rfc concern', feature: 'rfc', kind: 'write', setup: 'rfc.inReview', who: ['viewer'], posts: true, act: { command: '/rfc concern {n} {text}', in: 'home' }, basis: 'H3', e2e: true },
  // Issue 10: the sign-off engine's answers on an RFC's review.
  { id: 'rfc POST answer hold', feature: 'rfc', kind: 'write', setup: 'rfc.inReview', who: ['reviewer'], posts: true, act: { http: 'POST', path: `${rfc}/:number/answer`, body: { answer: 'hold' } }, basis: 'issue 10: reviewers hold or abstain' },
  { id: 'rfc POST delegate', feature: 'rfc', kind: 'write', setup: 'rfc.inReview', who: ['reviewer'], posts: true, act: { http: 'POST', path: `${rfc}/:number/delegate`, body: (i) => ({ to: i.helper }) }, basis: 'issue 10: a reviewer delegates their seat' },
  { id: '/rfc hold', feature: 'rfc', kind: 'write', setup: 'rfc.inReview', who: ['reviewer'], posts: true, act: { command: '/rfc hold {n}', in: 'home' }, basis: 'issue 10' },
  { id: '/rfc abstain', feature: 'rfc', kind: 'write', setup: 'rfc.inReview', who: ['reviewer'], posts: true, act: { command: '/rfc abstain {n}', in: 'home' }, basis: 'issue 10' },
  { id: '/rfc delegate', feature: 'rfc', kind: 'write', setup: 'rfc.inReview', who: ['reviewer'], posts: true, act: { command: '/rfc delegate {n} @{helperName}', in: 'home' }, basis: 'issue 10' },
  { id: '/rfc resolve', feature: 'rfc', kind: 'write', setup: 'rfc.concern', who: RFC_DECIDE, posts: true, act: { command: '/rfc resolve {n} {concern} done', in: 'home' }, basis: 'issue' },
  { id: '/rfc accept', feature: 'rfc', kind: 'write', setup: 'rfc.signedOff', who: RFC_DECIDE, posts: true, act: { command: '/rfc accept {n}', in: 'home' }, basis: 'owner or approver' },
  { id: '/rfc reject', feature: 'rfc', kind: 'write', setup: 'rfc.inReview', who: RFC_DECIDE, posts: true, act: { command: '/rfc reject {n} no', in: 'home' }, basis: 'owner or approver' },
  { id: '/rfc postpone', feature: 'rfc', kind: 'write', setup: 'rfc.inReview', who: RFC_DECIDE, posts: true, act: { command: '/rfc postpone {n}', in: 'home' }, basis: 'owner or approver' },
  { id: '/rfc withdraw', feature: 'rfc', kind: 'write', setup: 'rfc.inReview', who: [], posts: true, act: { command: '/rfc withdraw {n}', in: 'home' }, basis: 'judgment: withdrawing is the owner\'s alone' },
  { id: '/rfc supersede', feature: 'rfc', kind: 'write', setup: 'rfc.accepted', who: RFC_DECIDE, posts: true, act: { command: '/rfc supersede {n} by {m}', in: 'home' }, basis: 'owner or approver' },
  { id: '/rfc reviewed', feature: 'rfc', kind: 'write', setup: 'rfc.accepted', who: RFC_DECIDE, act: { command: '/rfc reviewed {n}', in: 'home' }, basis: 'README' },
  { id: '/rfc list', feature: 'rfc', kind: 'list', setup: 'rfc', who: ['viewer'], act: { command: '/rfc list', in: 'home' }, basis: 'H3', e2e: true },
  { id: '/rfc show', feature: 'rfc', kind: 'read', setup: 'rfc', who: ['viewer'], act: { command: '/rfc show {n}', in: 'home' }, basis: 'H3' },

  // ------------------------------------------------------------ guilds, HTTP
  { id: 'guilds GET list', feature: 'guilds', kind: 'list', setup: 'guild', who: ['viewer'], act: { http: 'GET', path: guild }, basis: 'M1: guilds belong to a team; a private channel\'s guild is not listed for non-members', e2e: true },
  { id: 'guilds POST create (bound to the channel)', feature: 'guilds', kind: 'create', setup: 'place', who: ['fullTeamMember'], posts: true, act: { http: 'POST', path: guild, body: (i) => ({ name: `g${i.secret}`, day: 1, time: '10:00', time_zone: 'UTC', channel_id: i.channelId }) }, basis: 'issue: binding a guild to a channel needs create_post there; M11', denyEitherFor: GUESTS },
  { id: 'guilds GET one', feature: 'guilds', kind: 'read', setup: 'guild', who: ['viewer'], act: { http: 'GET', path: `${guild}/:slug` }, basis: 'M1', e2e: true },
  { id: 'guilds PATCH edit', feature: 'guilds', kind: 'write', setup: 'guild', who: GUILD_RUN, act: { http: 'PATCH', path: `${guild}/:slug`, body: { purpose: 'new purpose' } }, basis: 'issue: editing — its creator, facilitators, team admins, system admins' },
  { id: 'guilds DELETE', feature: 'guilds', kind: 'write', setup: 'guild', who: ['teamAdmin', 'sysadmin'], act: { http: 'DELETE', path: `${guild}/:slug` }, basis: 'judgment: deleting — its creator and admins (not facilitators)' },
  { id: 'guilds GET agenda', feature: 'guilds', kind: 'read', setup: 'guild', who: ['viewer'], act: { http: 'GET', path: `${guild}/:slug/agenda` }, basis: 'M1: another team\'s agenda is not readable' },
  { id: 'guilds POST queue', feature: 'guilds', kind: 'write', setup: 'guild', who: ['viewer'], posts: true, act: { http: 'POST', path: `${guild}/:slug/queue`, body: { text: 'talk about it' } }, basis: 'M4: queued text is relayed by the bot into the guild channel' },
  { id: 'guilds DELETE queue item', feature: 'guilds', kind: 'write', setup: 'guild.item', who: GUILD_RUN, act: { http: 'DELETE', path: `${guild}/:slug/queue/:n` }, basis: 'judgment: the item\'s author and whoever runs the meeting' },
  { id: 'guilds POST note', feature: 'guilds', kind: 'write', setup: 'guild', who: ['viewer'], posts: true, act: { http: 'POST', path: `${guild}/:slug/notes`, body: { text: 'a note' } }, basis: 'M4' },
  { id: 'guilds DELETE note', feature: 'guilds', kind: 'write', setup: 'guild.note', who: GUILD_RUN, act: { http: 'DELETE', path: `${guild}/:slug/notes/:n` }, basis: 'judgment: the note\'s author and whoever runs the meeting' },
  { id: 'guilds POST close', feature: 'guilds', kind: 'write', setup: 'guild', who: GUILD_RUN, posts: true, act: { http: 'POST', path: `${guild}/:slug/close`, body: { early: true } }, basis: 'H5; issue: closing — creator, facilitators, team admins, system admins', e2e: true },

  // ------------------------------------------------------------ guilds, commands
  { id: '/guild create --channel', feature: 'guilds', kind: 'create', setup: 'place', who: ['fullTeamMember'], posts: true, act: { command: '/guild create g{secret} --day monday --time 10:00 --tz UTC --channel ~{channelName}', in: 'home' }, basis: 'issue; M11: an unreadable channel reads like a missing one', denyEitherFor: GUESTS },
  { id: '/guild edit', feature: 'guilds', kind: 'write', setup: 'guild', who: GUILD_RUN, act: { command: '/guild edit {name} --purpose changed', in: 'home' }, basis: 'issue' },
  { id: '/guild list', feature: 'guilds', kind: 'list', setup: 'guild', who: ['viewer'], act: { command: '/guild list', in: 'home' }, basis: 'M1' },
  { id: '/guild next', feature: 'guilds', kind: 'read', setup: 'guild', who: ['viewer'], act: { command: '/guild next {name}', in: 'home' }, basis: 'M1' },
  { id: '/guild agenda', feature: 'guilds', kind: 'read', setup: 'guild', who: ['viewer'], act: { command: '/guild agenda {name}', in: 'home' }, basis: 'M1' },
  { id: '/guild queue', feature: 'guilds', kind: 'write', setup: 'guild', who: ['viewer'], posts: true, act: { command: '/guild queue {name} talk about it', in: 'home' }, basis: 'M4' },
  { id: '/guild unqueue', feature: 'guilds', kind: 'write', setup: 'guild.item', who: GUILD_RUN, act: { command: '/guild unqueue {name} Q{item}', in: 'home' }, basis: 'judgment' },
  { id: '/guild notes', feature: 'guilds', kind: 'write', setup: 'guild', who: ['viewer'], posts: true, act: { command: '/guild notes {name} a note', in: 'home' }, basis: 'M4' },
  { id: '/guild unnote', feature: 'guilds', kind: 'write', setup: 'guild.note', who: GUILD_RUN, act: { command: '/guild unnote {name} N{item}', in: 'home' }, basis: 'judgment' },
  { id: '/guild close', feature: 'guilds', kind: 'write', setup: 'guild', who: GUILD_RUN, posts: true, act: { command: '/guild close {name} --early', in: 'home' }, basis: 'H5', e2e: true },
  { id: '/guild delete', feature: 'guilds', kind: 'write', setup: 'guild', who: ['teamAdmin', 'sysadmin'], act: { command: '/guild delete {name} --confirm', in: 'home' }, basis: 'judgment' },

  // ------------------------------------------------------------ one team's numbers never resolve in another (H1)
  { id: 'pick GET ideas (team A path, the record\'s channel)', feature: 'pick', kind: 'list', setup: 'idea', who: ['viewer'], throughTeamA: true, act: { http: 'GET', path: idea, query: 'channel_id={channelId}&filter=all&per_page=100' }, basis: 'H1 exactly: team and channel not tied together', e2e: true },
  { id: 'pick GET idea (team A path)', feature: 'pick', kind: 'read', setup: 'idea', who: ['viewer'], throughTeamA: true, act: { http: 'GET', path: `${idea}/:number` }, basis: 'issue: a number of one team never resolves in another' },
  { id: '/pick show (typed in team A)', feature: 'pick', kind: 'read', setup: 'idea', who: ['viewer'], throughTeamA: true, act: { command: '/pick show {n}', in: 'home' }, basis: 'issue' },
  { id: 'incidents GET one (team A path)', feature: 'incidents', kind: 'read', setup: 'incident', who: ['viewer'], throughTeamA: true, act: { http: 'GET', path: `${inc}/:number` }, basis: 'issue' },
  { id: '/incident info (typed in team A)', feature: 'incidents', kind: 'read', setup: 'incident', who: ['viewer'], throughTeamA: true, act: { command: '/incident info INC-{n}', in: 'home' }, basis: 'issue' },
  { id: 'rfc GET one (team A path)', feature: 'rfc', kind: 'read', setup: 'rfc', who: ['viewer'], throughTeamA: true, act: { http: 'GET', path: `${rfc}/:number` }, basis: 'issue', e2e: true },
  { id: 'rfc POST concern (team A path)', feature: 'rfc', kind: 'write', setup: 'rfc.inReview', who: ['viewer'], posts: true, throughTeamA: true, act: { http: 'POST', path: `${rfc}/:number/concerns`, body: { text: 'a concern' } }, basis: 'H3 across teams' },
  { id: '/rfc show (typed in team A)', feature: 'rfc', kind: 'read', setup: 'rfc', who: ['viewer'], throughTeamA: true, act: { command: '/rfc show {n}', in: 'home' }, basis: 'issue' },
  { id: 'guilds GET one (team A path)', feature: 'guilds', kind: 'read', setup: 'guild', who: ['viewer'], throughTeamA: true, act: { http: 'GET', path: `${guild}/:slug` }, basis: 'L11, M1: slugs are per team' },
  { id: 'guilds POST close (team A path)', feature: 'guilds', kind: 'write', setup: 'guild', who: GUILD_RUN, posts: true, throughTeamA: true, act: { http: 'POST', path: `${guild}/:slug/close`, body: { early: true } }, basis: 'H5 across teams' },
  { id: '/guild agenda (typed in team A)', feature: 'guilds', kind: 'read', setup: 'guild', who: ['viewer'], throughTeamA: true, act: { command: '/guild agenda {name}', in: 'home' }, basis: 'M1' },

  // ------------------------------------------------------------ across features: agendas and /infra owe
  { id: 'agenda lists a resolved incident (HTTP)', feature: 'guilds', kind: 'list', setup: 'agenda.incident', who: ['viewer'], act: { http: 'GET', path: `${guild}/:slug/agenda` }, basis: 'M2: a private incident appears on an agenda at most as a count', e2e: true },
  { id: 'agenda lists a resolved incident (/guild agenda)', feature: 'guilds', kind: 'list', setup: 'agenda.incident', who: ['viewer'], act: { command: '/guild agenda {name}', in: 'home' }, basis: 'M2' },
  { id: 'agenda lists an RFC in review', feature: 'guilds', kind: 'list', setup: 'agenda.rfc', who: ['viewer'], act: { http: 'GET', path: `${guild}/:slug/agenda` }, basis: 'issue: agendas' },
  { id: 'agenda lists a Challenge idea', feature: 'guilds', kind: 'list', setup: 'agenda.idea', who: ['viewer'], act: { http: 'GET', path: `${guild}/:slug/agenda` }, basis: 'issue: agendas' },
  { id: 'infra GET owe (a follow-up owed)', feature: 'infra', kind: 'list', setup: 'incident.followupOwedByActor', who: ['viewer'], act: { http: 'GET', path: '/teams/:teamId/owe' }, basis: 'M9, L9: /infra owe never names what the user may not see', e2e: true },
  { id: '/infra doctor', feature: 'infra', kind: 'create', setup: 'place', teamLevel: true, who: ['sysadmin'], act: { command: '/infra doctor', in: 'home' }, basis: 'issue: an admin command lists corrupt records (they may name any team\'s keys)', denyEitherFor: ROLES.filter((r) => r !== 'sysadmin') },
  { id: '/infra owe (a follow-up owed)', feature: 'infra', kind: 'list', setup: 'incident.followupOwedByActor', who: ['viewer'], act: { command: '/infra owe', in: 'home' }, basis: 'M9, L9' },
  // Issues 10 and 11: what belongs to a team rather than to a channel, and starting a run from a channel.
  { id: 'alerts POST create a source', feature: 'infra', kind: 'create', setup: 'place', teamLevel: true, who: ['teamAdmin', 'sysadmin'], act: { http: 'POST', path: '/teams/:teamId/alert-sources', body: (i) => ({ name: `a${i.secret}`, type: 'alertmanager' }) }, basis: 'issue 11: alert sources are managed by team admins', denyEitherFor: NOT_TEAM_ADMINS },
  { id: '/infra alerts add', feature: 'infra', kind: 'create', setup: 'place', teamLevel: true, who: ['teamAdmin', 'sysadmin'], act: { command: '/infra alerts add a{secret} --type alertmanager', in: 'home' }, basis: 'issue 11', denyEitherFor: NOT_TEAM_ADMINS },
  { id: 'webhooks POST add', feature: 'infra', kind: 'create', setup: 'place', teamLevel: true, who: ['teamAdmin', 'sysadmin'], act: { http: 'POST', path: '/teams/:teamId/webhooks', body: (i) => ({ url: `https://hooks.example.com/${i.secret}` }) }, basis: 'issue 11: outgoing webhooks are per team, managed by team admins', denyEitherFor: NOT_TEAM_ADMINS },
  { id: '/infra webhooks add', feature: 'infra', kind: 'create', setup: 'place', teamLevel: true, who: ['teamAdmin', 'sysadmin'], act: { command: '/infra webhooks add https://hooks.example.com/{secret}', in: 'home' }, basis: 'issue 11', denyEitherFor: NOT_TEAM_ADMINS },
  { id: 'runs GET templates', feature: 'infra', kind: 'create', setup: 'place', teamLevel: true, who: ['fullTeamMember'], act: { http: 'GET', path: '/teams/:teamId/templates' }, basis: 'issue 10: a team\'s templates are for its full members', denyEitherFor: GUESTS },
  { id: 'runs POST start (from the channel)', feature: 'infra', kind: 'create', setup: 'place', who: ['fullTeamMember'], act: { http: 'POST', path: '/teams/:teamId/runs', body: (i) => ({ kind: 'release', name: i.secret, channel_id: i.channelId }) }, basis: 'issue 10: the run\'s team is the channel\'s; it gets its own channel', denyEitherFor: GUESTS },
  { id: '/release start (in the channel)', feature: 'infra', kind: 'create', setup: 'place', who: ['fullTeamMember'], act: { command: '/release start {secret}', in: 'record' }, basis: 'issue 10', denyEitherFor: GUESTS },

  // ------------------------------------------------------------ runs: a run's channel is the resource (runs/policy.ts)
  { id: 'runs GET list', feature: 'runs', kind: 'list', setup: 'run', who: ['viewer'], act: { http: 'GET', path: run }, basis: 'runs/policy view: a run is listed to whoever reads its channel now', e2e: true },
  { id: 'runs GET one', feature: 'runs', kind: 'read', setup: 'run', who: ['viewer'], act: { http: 'GET', path: `${run}/:number` }, basis: 'runs/policy view' },
  { id: 'runs GET report', feature: 'runs', kind: 'read', setup: 'run', who: ['viewer'], act: { http: 'GET', path: `${run}/:number/report` }, basis: 'runs/policy view: the report is the run', e2e: true },
  { id: 'runs POST item check', feature: 'runs', kind: 'write', setup: 'run', who: ['viewer'], posts: true, act: { http: 'POST', path: `${run}/:number/items/1.1`, body: { action: 'check' } }, basis: 'runs/policy work: whoever reads and may post (the card is updated in the channel)', e2e: true },
  { id: 'runs POST item skip', feature: 'runs', kind: 'write', setup: 'run', who: ['viewer'], posts: true, act: { http: 'POST', path: `${run}/:number/items/1.2`, body: { action: 'skip' } }, basis: 'runs/policy work' },
  { id: 'runs POST card click check', feature: 'runs', kind: 'write', setup: 'run', who: ['viewer'], posts: true, card: true, act: { http: 'POST', path: '/runs/card-action', body: (i) => ({ context: { team_id: i.teamId, number: String(i.number), ref: '1.1', action: 'check' } }) }, basis: 'runs/policy work: the card\'s button is `/run check`' },
  { id: 'runs POST card click approve', feature: 'runs', kind: 'write', setup: 'run.gate', who: GATE, posts: true, card: true, act: { http: 'POST', path: '/runs/card-action', body: (i) => ({ context: { team_id: i.teamId, number: String(i.number), ref: '2.2', action: 'approve' } }) }, basis: 'runs/policy answer: the card\'s button is `/run approve`' },
  { id: 'runs POST card click check (team A in the click)', feature: 'runs', kind: 'write', setup: 'run', who: ['viewer'], posts: true, card: true, throughTeamA: true, act: { http: 'POST', path: '/runs/card-action', body: (i) => ({ context: { team_id: i.teamId, number: String(i.number), ref: '1.1', action: 'check' } }) }, basis: 'the team in a click is the caller\'s word, never trusted across teams' },
  { id: 'runs GET one (team A path)', feature: 'runs', kind: 'read', setup: 'run', who: ['viewer'], throughTeamA: true, act: { http: 'GET', path: `${run}/:number` }, basis: 'issue: a number of one team never resolves in another' },
  { id: 'runs POST item check (team A path)', feature: 'runs', kind: 'write', setup: 'run', who: ['viewer'], posts: true, throughTeamA: true, act: { http: 'POST', path: `${run}/:number/items/1.1`, body: { action: 'check' } }, basis: 'issue: across teams' },
  // `/run …` typed in the run's channel
  { id: '/run checklist', feature: 'runs', kind: 'read', setup: 'run', who: ['viewer'], act: { command: '/run checklist', in: 'record' }, basis: 'runs/policy view' },
  { id: '/run timeline', feature: 'runs', kind: 'read', setup: 'run', who: ['viewer'], act: { command: '/run timeline', in: 'record' }, basis: 'runs/policy view' },
  { id: '/run retro (read)', feature: 'runs', kind: 'read', setup: 'run', who: ['viewer'], act: { command: '/run retro', in: 'record' }, basis: 'runs/policy view' },
  { id: '/run check', feature: 'runs', kind: 'write', setup: 'run', who: ['viewer'], posts: true, act: { command: '/run check 1.1', in: 'record' }, basis: 'runs/policy work', e2e: true },
  { id: '/run uncheck', feature: 'runs', kind: 'write', setup: 'run', who: ['viewer'], posts: true, act: { command: '/run uncheck 1.1', in: 'record' }, basis: 'runs/policy work (an open item: nothing changes, but the rule is asked first)' },
  { id: '/run skip', feature: 'runs', kind: 'write', setup: 'run', who: ['viewer'], posts: true, act: { command: '/run skip 1.2', in: 'record' }, basis: 'runs/policy work' },
  { id: '/run assign', feature: 'runs', kind: 'write', setup: 'run', who: ['viewer'], posts: true, act: { command: '/run assign 1.3 @{ownerName}', in: 'record' }, basis: 'runs/policy work' },
  { id: '/run due', feature: 'runs', kind: 'write', setup: 'run', who: ['viewer'], posts: true, act: { command: '/run due 1.3 in 2h', in: 'record' }, basis: 'runs/policy work' },
  { id: '/run add', feature: 'runs', kind: 'write', setup: 'run', who: ['viewer'], posts: true, act: { command: '/run add 1 {text}', in: 'record' }, basis: 'runs/policy work' },
  { id: '/run remove', feature: 'runs', kind: 'write', setup: 'run', who: ['viewer'], posts: true, act: { command: '/run remove 1.3', in: 'record' }, basis: 'runs/policy work' },
  { id: '/run export', feature: 'runs', kind: 'write', setup: 'run', who: ['viewer'], posts: true, act: { command: '/run export', in: 'record' }, basis: 'runs/policy work: the report is posted in the channel' },
  { id: '/run retro (write a section)', feature: 'runs', kind: 'write', setup: 'run', who: ['viewer'], posts: true, act: { command: '/run retro 1 {text}', in: 'record' }, basis: 'runs/policy work' },
  { id: '/run approve', feature: 'runs', kind: 'write', setup: 'run.gate', who: GATE, posts: true, act: { command: '/run approve 2.2', in: 'record' }, basis: 'runs/policy answer: the gate\'s approvers', e2e: true },
  { id: '/run hold', feature: 'runs', kind: 'write', setup: 'run.gate', who: GATE, posts: true, act: { command: '/run hold 2.2', in: 'record' }, basis: 'runs/policy answer' },
  { id: '/run abstain', feature: 'runs', kind: 'write', setup: 'run.gate', who: GATE, posts: true, act: { command: '/run abstain 2.2', in: 'record' }, basis: 'runs/policy answer' },
  { id: '/run delegate', feature: 'runs', kind: 'write', setup: 'run.gate', who: GATE, posts: true, act: { command: '/run delegate 2.2 @{ownerName}', in: 'record' }, basis: 'runs/policy answer: only a seat\'s holder hands it on' },
  { id: '/run concern', feature: 'runs', kind: 'write', setup: 'run.gate', who: ['viewer'], posts: true, act: { command: '/run concern 2.2 {text}', in: 'record' }, basis: 'runs/policy work: whoever may post raises a concern' },
  { id: '/run resolve', feature: 'runs', kind: 'write', setup: 'run.concern', who: RUN_LEAD, posts: true, act: { command: '/run resolve 2.2 1 done', in: 'record' }, basis: 'runs/policy resolve: its raiser, the run owner, team admins' },
  { id: '/run resolve (a concern number alone)', feature: 'runs', kind: 'write', setup: 'run.concern', who: RUN_LEAD, posts: true, act: { command: '/run resolve 1 done', in: 'record' }, basis: 'runs/policy resolve: the gate found by its open concern, under the same rule' },
  { id: '/run approvers', feature: 'runs', kind: 'write', setup: 'run.gate', who: RUN_LEAD, posts: true, act: { command: '/run approvers 2.2 @{helperName}', in: 'record' }, basis: 'runs/policy approvers: the run owner, team admins (the helper, a channel admin, may post even in a moderated channel)' },
  { id: '/run finish', feature: 'runs', kind: 'write', setup: 'run', who: RUN_LEAD, posts: true, act: { command: '/run finish', in: 'record' }, basis: 'runs/policy finish: the run owner, team admins', e2e: true },
  { id: '/run finish --override', feature: 'runs', kind: 'write', setup: 'run.gate', who: RUN_LEAD, posts: true, act: { command: '/run finish --override shipping anyway', in: 'record' }, basis: 'runs/policy override (team admins, system admins) and finish' },
  { id: '/run retro publish', feature: 'runs', kind: 'write', setup: 'run.finished', who: RUN_LEAD, posts: true, act: { command: '/run retro publish', in: 'record' }, basis: 'runs/policy publish: the run owner, team admins' },
  // the team's templates and figures (no channel)
  { id: '/run templates', feature: 'runs', kind: 'create', setup: 'place', teamLevel: true, who: ['fullTeamMember'], act: { command: '/run templates', in: 'home' }, basis: 'runs/policy viewTemplates: full members of the team', denyEitherFor: GUESTS },
  { id: '/run template (show)', feature: 'runs', kind: 'create', setup: 'place', teamLevel: true, who: ['fullTeamMember'], act: { command: '/run template Product release', in: 'home' }, basis: 'runs/policy viewTemplates', denyEitherFor: GUESTS },
  { id: '/run stats (counts a run)', feature: 'runs', kind: 'list', includes: 'runStatsText', setup: 'run', who: ['fullTeamMember'], act: { command: '/run stats', in: 'home' }, basis: 'runs/policy viewTemplates; issue: private stays private in counts (a run is counted for whoever sees it)' },
  { id: '/infra stats (counts a run)', feature: 'runs', kind: 'list', includes: 'runStatsText', setup: 'run', who: ['fullTeamMember'], act: { command: '/infra stats', in: 'home' }, basis: 'the same spec as /run stats: private stays private in counts' },
  { id: 'infra GET owe (a run gate awaits the actor)', feature: 'runs', kind: 'list', setup: 'run.gateOwedByActor', who: ['viewer'], act: { http: 'GET', path: '/teams/:teamId/owe' }, basis: 'M9, L9: /infra owe never names a run the user may not see (any more)' },
  { id: '/infra owe (a run gate awaits the actor)', feature: 'runs', kind: 'list', setup: 'run.gateOwedByActor', who: ['viewer'], act: { command: '/infra owe', in: 'home' }, basis: 'M9, L9' },
  { id: 'runs GET template export', feature: 'runs', kind: 'create', setup: 'template', ...teamAdminRow, act: { http: 'GET', path: '/teams/:teamId/templates/:slug' }, basis: 'runs/policy manageTemplates: exporting is for team admins' },
  { id: '/run template export', feature: 'runs', kind: 'create', setup: 'template', ...teamAdminRow, act: { command: '/run template export Product release', in: 'home' }, basis: 'runs/policy manageTemplates' },
  { id: 'runs POST template import', feature: 'runs', kind: 'create', setup: 'template', ...teamAdminRow, act: { http: 'POST', path: '/teams/:teamId/templates/import', body: (i) => ({ source: 'infra-ops', document: i.doc ?? '' }) }, basis: 'runs/policy manageTemplates' },

  // ------------------------------------------------------------ runs: the sidebar's gate and item routes (runs/http.ts; the same use cases as `/run …`)
  { id: 'runs POST gate answer', feature: 'runs', kind: 'write', setup: 'run.gate', who: GATE, posts: true, act: { http: 'POST', path: `${run}/:number/items/2.2/answer`, body: { answer: 'approve' } }, basis: 'runs/policy answer: the gate\'s approvers (and their delegates)', e2e: true },
  { id: 'runs POST gate concern', feature: 'runs', kind: 'write', setup: 'run.gate', who: ['viewer'], posts: true, act: { http: 'POST', path: `${run}/:number/items/2.2/concerns`, body: (i) => ({ text: `concern ${i.secret}` }) }, basis: 'runs/policy work: whoever may post raises a concern' },
  { id: 'runs POST gate concern resolve', feature: 'runs', kind: 'write', setup: 'run.concern', who: RUN_LEAD, posts: true, act: { http: 'POST', path: `${run}/:number/items/2.2/concerns/1/resolve`, body: {} }, basis: 'runs/policy resolve: its raiser (the helper), the run owner, team admins' },
  { id: 'runs POST gate delegate', feature: 'runs', kind: 'write', setup: 'run.gate', who: GATE, posts: true, act: { http: 'POST', path: `${run}/:number/items/2.2/delegate`, body: (i) => ({ to: i.helperName }) }, basis: 'runs/policy answer: only a seat\'s holder hands it on (to the helper, another approver, who may post even in a moderated channel)' },
  { id: 'runs POST gate override', feature: 'runs', kind: 'write', setup: 'run.gate', who: OVERRIDE, posts: true, act: { http: 'POST', path: `${run}/:number/items/2.2/override`, body: { reason: 'shipping anyway' } }, basis: 'runs/policy override: team admins, system admins' },
  { id: 'runs POST gate approvers', feature: 'runs', kind: 'write', setup: 'run.gate', who: RUN_LEAD, posts: true, act: { http: 'POST', path: `${run}/:number/items/2.2/approvers`, body: (i) => ({ usernames: [i.helperName] }) }, basis: 'runs/policy approvers: the run owner, team admins (as `/run approvers`; the helper, a channel admin, may post even in a moderated channel)' },
  { id: 'runs POST item assignees', feature: 'runs', kind: 'write', setup: 'run', who: ['viewer'], posts: true, act: { http: 'POST', path: `${run}/:number/items/1.3/assignees`, body: (i) => ({ usernames: [i.ownerName] }) }, basis: 'runs/policy work' },
  { id: 'runs POST item due', feature: 'runs', kind: 'write', setup: 'run', who: ['viewer'], posts: true, act: { http: 'POST', path: `${run}/:number/items/1.3/due`, body: (i) => ({ due: i.now + 2 * 3_600_000 }) }, basis: 'runs/policy work' },
  { id: 'runs DELETE item', feature: 'runs', kind: 'write', setup: 'run', who: ['viewer'], posts: true, act: { http: 'DELETE', path: `${run}/:number/items/1.3` }, basis: 'runs/policy work' },
  { id: 'runs POST item add', feature: 'runs', kind: 'write', setup: 'run', who: ['viewer'], posts: true, act: { http: 'POST', path: `${run}/:number/items`, body: (i) => ({ checklist: 1, title: `t ${i.secret}` }) }, basis: 'runs/policy work' },
  { id: 'runs POST item exec', feature: 'runs', kind: 'write', setup: 'run.release', who: ['viewer'], posts: true, act: { http: 'POST', path: `${run}/:number/items/1.1/exec` }, basis: 'runs/exec.ts: the command runs as the caller in the run\'s channel only once they may post there (the work rule)', e2e: true },
  { id: 'runs POST finish', feature: 'runs', kind: 'write', setup: 'run', who: RUN_LEAD, posts: true, act: { http: 'POST', path: `${run}/:number/finish`, body: {} }, basis: 'runs/policy finish: the run owner, team admins', e2e: true },
  { id: 'runs POST finish (override)', feature: 'runs', kind: 'write', setup: 'run.gate', who: OVERRIDE, posts: true, act: { http: 'POST', path: `${run}/:number/finish`, body: { override: 'shipping anyway' } }, basis: 'runs/policy override and finish' },
  { id: 'runs GET retro', feature: 'runs', kind: 'read', setup: 'run.finished', who: ['viewer'], act: { http: 'GET', path: `${run}/:number/retro` }, basis: 'runs/policy view (its summary section names the record)' },
  { id: 'runs PATCH retro', feature: 'runs', kind: 'write', setup: 'run', who: ['viewer'], posts: true, act: { http: 'PATCH', path: `${run}/:number/retro`, body: (i) => ({ section: 1, text: `t ${i.secret}` }) }, basis: 'runs/policy work' },
  { id: 'runs POST retro publish', feature: 'runs', kind: 'write', setup: 'run.finished', who: RUN_LEAD, posts: true, act: { http: 'POST', path: `${run}/:number/retro/publish`, body: {} }, basis: 'runs/policy publish: the run owner, team admins' },
  { id: 'runs GET run-stats (counts a run)', feature: 'runs', kind: 'list', includes: 'runStats', setup: 'run', who: ['fullTeamMember'], act: { http: 'GET', path: '/teams/:teamId/run-stats' }, basis: 'runs/policy viewTemplates; issue: private stays private in counts' },
  // A run's number through another team's path: never that team's run, never acted on.
  { id: 'runs POST gate answer (team A path)', feature: 'runs', kind: 'write', setup: 'run.gate', who: GATE, posts: true, throughTeamA: true, act: { http: 'POST', path: `${run}/:number/items/2.2/answer`, body: { answer: 'approve' } }, basis: 'issue: a number of one team never resolves in another' },
  { id: 'runs POST finish (team A path)', feature: 'runs', kind: 'write', setup: 'run', who: RUN_LEAD, posts: true, throughTeamA: true, act: { http: 'POST', path: `${run}/:number/finish`, body: {} }, basis: 'issue: across teams' },
  { id: 'runs PATCH retro (team A path)', feature: 'runs', kind: 'write', setup: 'run', who: ['viewer'], posts: true, throughTeamA: true, act: { http: 'PATCH', path: `${run}/:number/retro`, body: (i) => ({ section: 1, text: `t ${i.secret}` }) }, basis: 'issue: across teams' },
  { id: 'runs POST item exec (team A path)', feature: 'runs', kind: 'write', setup: 'run.release', who: ['viewer'], posts: true, throughTeamA: true, act: { http: 'POST', path: `${run}/:number/items/1.1/exec` }, basis: 'issue: across teams (a command never runs in another team\'s run channel)' },
  { id: 'runs DELETE item (team A path)', feature: 'runs', kind: 'write', setup: 'run', who: ['viewer'], posts: true, throughTeamA: true, act: { http: 'DELETE', path: `${run}/:number/items/1.3` }, basis: 'issue: across teams' },
  { id: 'runs POST gate approvers (team A path)', feature: 'runs', kind: 'write', setup: 'run.gate', who: RUN_LEAD, posts: true, throughTeamA: true, act: { http: 'POST', path: `${run}/:number/items/2.2/approvers`, body: (i) => ({ usernames: [i.helperName] }) }, basis: 'issue: across teams' },
  { id: 'runs POST gate override (team A path)', feature: 'runs', kind: 'write', setup: 'run.gate', who: OVERRIDE, posts: true, throughTeamA: true, act: { http: 'POST', path: `${run}/:number/items/2.2/override`, body: { reason: 'shipping anyway' } }, basis: 'issue: across teams' },
  { id: 'runs GET retro (team A path)', feature: 'runs', kind: 'read', setup: 'run.finished', who: ['viewer'], throughTeamA: true, act: { http: 'GET', path: `${run}/:number/retro` }, basis: 'issue: across teams' },
  { id: 'runs POST retro publish (team A path)', feature: 'runs', kind: 'write', setup: 'run.finished', who: RUN_LEAD, posts: true, throughTeamA: true, act: { http: 'POST', path: `${run}/:number/retro/publish`, body: {} }, basis: 'issue: across teams' },
  { id: 'runs PATCH cadence (team A path)', feature: 'runs', kind: 'write', setup: 'run.release', who: RUN_LEAD, posts: true, throughTeamA: true, act: { http: 'PATCH', path: `${run}/:number/cadence`, body: { minutes: 45 } }, basis: 'issue: across teams' },
  { id: 'runs POST request-update (team A path)', feature: 'runs', kind: 'write', setup: 'run.release', who: ['viewer'], throughTeamA: true, act: { http: 'POST', path: `${run}/:number/request-update`, body: {} }, basis: 'issue: across teams (no DM about another team\'s run)' },

  // ------------------------------------------------------------ runs: status updates (runs/status_http.ts, status_commands.ts) on a release run
  { id: 'runs POST status update', feature: 'runs', kind: 'write', setup: 'run.release', who: ['viewer'], posts: true, act: { http: 'POST', path: `${run}/:number/updates`, body: (i) => ({ text: `status ${i.secret}` }) }, basis: 'runs/policy work: the update is posted in the run\'s channel', e2e: true },
  { id: 'runs PATCH cadence', feature: 'runs', kind: 'write', setup: 'run.release', who: RUN_LEAD, posts: true, act: { http: 'PATCH', path: `${run}/:number/cadence`, body: { minutes: 45 } }, basis: 'runs/policy cadence: the run owner, team admins' },
  { id: 'runs PATCH snooze', feature: 'runs', kind: 'write', setup: 'run.release', who: RUN_LEAD, posts: true, act: { http: 'PATCH', path: `${run}/:number/snooze`, body: { for: '1h' } }, basis: 'runs/policy cadence (snooze)' },
  { id: 'runs POST request-update', feature: 'runs', kind: 'write', setup: 'run.release', who: ['viewer'], act: { http: 'POST', path: `${run}/:number/request-update`, body: {} }, basis: 'runs/policy request: whoever reads the channel asks the owner (by DM: nothing is posted in the channel)' },
  { id: 'runs POST reminder snooze button', feature: 'runs', kind: 'write', setup: 'run.release', who: RUN_LEAD, posts: true, card: true, act: { http: 'POST', path: '/runs/status-action', body: (i) => ({ context: { team_id: i.teamId, number: String(i.number), snooze: '1h' } }) }, basis: 'runs/policy cadence: the reminder\'s button is `/run snooze`' },
  { id: 'runs POST status update (team A path)', feature: 'runs', kind: 'write', setup: 'run.release', who: ['viewer'], posts: true, throughTeamA: true, act: { http: 'POST', path: `${run}/:number/updates`, body: (i) => ({ text: `status ${i.secret}` }) }, basis: 'issue: across teams' },
  { id: 'runs POST reminder snooze button (team A in the click)', feature: 'runs', kind: 'write', setup: 'run.release', who: RUN_LEAD, posts: true, card: true, throughTeamA: true, act: { http: 'POST', path: '/runs/status-action', body: (i) => ({ context: { team_id: i.teamId, number: String(i.number), snooze: '1h' } }) }, basis: 'the team in a click is the caller\'s word, never trusted across teams' },
  { id: '/run update', feature: 'runs', kind: 'write', setup: 'run.release', who: ['viewer'], posts: true, act: { command: '/run update {text}', in: 'record' }, basis: 'runs/policy work' },
  { id: '/run cadence', feature: 'runs', kind: 'write', setup: 'run.release', who: RUN_LEAD, posts: true, act: { command: '/run cadence 45m', in: 'record' }, basis: 'runs/policy cadence' },
  { id: '/run snooze', feature: 'runs', kind: 'write', setup: 'run.release', who: RUN_LEAD, posts: true, act: { command: '/run snooze 1h', in: 'record' }, basis: 'runs/policy cadence' },
  { id: '/run request-update', feature: 'runs', kind: 'write', setup: 'run.release', who: ['viewer'], act: { command: '/run request-update', in: 'record' }, basis: 'runs/policy request' },
  { id: '/run override', feature: 'runs', kind: 'write', setup: 'run.gate', who: OVERRIDE, posts: true, act: { command: '/run override 2.2 shipping anyway', in: 'record' }, basis: 'runs/policy override' },
  { id: '/run exec', feature: 'runs', kind: 'write', setup: 'run.release', who: ['viewer'], posts: true, act: { command: '/run exec 1.1', in: 'record' }, basis: 'runs/exec.ts and policy work' },

  // ------------------------------------------------------------ the daily digest, template import, webhooks of a template
  { id: '/infra digest on', feature: 'infra', kind: 'create', setup: 'place', teamLevel: true, who: ['viewer'], act: { command: '/infra digest on', in: 'home' }, basis: 'infra/digest: one\'s own digest, for a team one is in (system admins: any)' },
  { id: 'digest DM (a run gate awaits the actor)', feature: 'runs', kind: 'list', setup: 'run.gateOwedByActor', who: ['viewer'], act: { digest: 'on' }, basis: 'infra/digest: the lines of /infra owe, filtered by what the user may see at the morning it is sent (M9, L9)' },
  { id: 'digest DM (a follow-up owed)', feature: 'infra', kind: 'list', setup: 'incident.followupOwedByActor', who: ['viewer'], act: { digest: 'on' }, basis: 'infra/digest: as /infra owe' },
  { id: '/infra template import (pasted JSON)', feature: 'runs', kind: 'create', setup: 'template', ...teamAdminRow, act: { command: '/infra template import {doc}', in: 'home' }, basis: 'runs/policy manageTemplates' },
  { id: '/infra template import (attached file)', feature: 'runs', kind: 'create', setup: 'template.attachedByActor', ...teamAdminRow, act: { command: '/infra template import', in: 'home' }, basis: 'runs/policy manageTemplates; only the caller\'s own attachment in a channel they read' },
  { id: '/infra webhooks add --template', feature: 'infra', kind: 'create', setup: 'template.imported', ...teamAdminRow, act: { command: '/infra webhooks add https://hooks.example.com/{secret} --template {name}', in: 'home' }, basis: 'webhooks/policy manage; the template is the team\'s' },
  { id: 'webhooks POST add templates (team A path)', feature: 'infra', kind: 'create', setup: 'template.imported', ...teamAdminRow, throughTeamA: true, act: { http: 'POST', path: '/teams/:teamId/webhooks', body: (i) => ({ url: `https://hooks.example.com/${i.secret}`, templates: [`t${i.secret}`] }) }, basis: 'issue: a template of one team is never named through another' },
  { id: '/infra webhooks add --template (typed in team A)', feature: 'infra', kind: 'create', setup: 'template.imported', ...teamAdminRow, throughTeamA: true, act: { command: '/infra webhooks add https://hooks.example.com/{secret} --template {name}', in: 'home' }, basis: 'issue: across teams' },

  // ------------------------------------------------------------ incidents opened by alerts: triage (incidents/policy respond)
  { id: 'incidents POST accept', feature: 'incidents', kind: 'write', setup: 'incident.triage', who: RESPOND, posts: true, act: { http: 'POST', path: `${inc}/:number/accept`, body: {} }, basis: 'incidents/policy respond: the channel\'s members (the source\'s responders among them) accept (on the real server it passed, but its set-up waits for the intake job: 90-280 s, so it runs in process only)' },
  { id: 'incidents POST dismiss', feature: 'incidents', kind: 'write', setup: 'incident.triage', who: RESPOND, posts: true, act: { http: 'POST', path: `${inc}/:number/dismiss`, body: { reason: 'noise' } }, basis: 'incidents/policy respond' },
  { id: '/incident accept', feature: 'incidents', kind: 'write', setup: 'incident.triage', who: RESPOND, posts: true, act: { command: '/incident accept', in: 'record' }, basis: 'incidents/policy respond' },
  { id: '/incident dismiss', feature: 'incidents', kind: 'write', setup: 'incident.triage', who: RESPOND, posts: true, act: { command: '/incident dismiss noise', in: 'record' }, basis: 'incidents/policy respond' },

  // ------------------------------------------------------------ incidents: status page fields
  { id: '/incident component', feature: 'incidents', kind: 'write', setup: 'incident', who: RESPOND, posts: true, act: { command: '/incident component none', in: 'record' }, basis: 'incidents/policy respond: which components it affects' },
  { id: '/incident public', feature: 'incidents', kind: 'write', setup: 'incident', who: STEER, posts: true, act: { command: '/incident public We are looking into it', in: 'record' }, basis: 'incidents/policy steer: what the public page says' },

  // ------------------------------------------------------------ alert sources and webhooks of a team (team admins)
  { id: 'alerts GET list', feature: 'infra', kind: 'read', setup: 'alertSource', ...teamAdminRow, act: { http: 'GET', path: '/teams/:teamId/alert-sources' }, basis: 'alerts/policy manage: the list is for admins' },
  { id: 'alerts PATCH edit', feature: 'infra', kind: 'write', setup: 'alertSource', ...teamAdminRow, act: { http: 'PATCH', path: '/teams/:teamId/alert-sources/:slug', body: { default_severity: 3 } }, basis: 'alerts/policy manage' },
  { id: 'alerts POST rotate', feature: 'infra', kind: 'write', setup: 'alertSource', ...teamAdminRow, act: { http: 'POST', path: '/teams/:teamId/alert-sources/:slug/rotate', body: {} }, basis: 'alerts/policy manage' },
  { id: 'alerts DELETE', feature: 'infra', kind: 'write', setup: 'alertSource', ...teamAdminRow, act: { http: 'DELETE', path: '/teams/:teamId/alert-sources/:slug' }, basis: 'alerts/policy manage' },
  { id: '/infra alerts list', feature: 'infra', kind: 'read', setup: 'alertSource', ...teamAdminRow, act: { command: '/infra alerts list', in: 'home' }, basis: 'alerts/policy manage' },
  { id: '/infra alerts set', feature: 'infra', kind: 'write', setup: 'alertSource', ...teamAdminRow, act: { command: '/infra alerts set {slug} --default-severity 3', in: 'home' }, basis: 'alerts/policy manage' },
  { id: '/infra alerts rotate', feature: 'infra', kind: 'write', setup: 'alertSource', ...teamAdminRow, act: { command: '/infra alerts rotate {slug}', in: 'home' }, basis: 'alerts/policy manage' },
  { id: '/infra alerts remove', feature: 'infra', kind: 'write', setup: 'alertSource', ...teamAdminRow, act: { command: '/infra alerts remove {slug}', in: 'home' }, basis: 'alerts/policy manage' },
  { id: 'webhooks GET list', feature: 'infra', kind: 'read', setup: 'webhook', ...teamAdminRow, act: { http: 'GET', path: '/teams/:teamId/webhooks' }, basis: 'webhooks/policy manage: they send the team\'s incidents out' },
  { id: 'webhooks DELETE', feature: 'infra', kind: 'write', setup: 'webhook', ...teamAdminRow, act: { http: 'DELETE', path: '/teams/:teamId/webhooks/:webhookId' }, basis: 'webhooks/policy manage' },
  { id: 'webhooks POST rotate', feature: 'infra', kind: 'write', setup: 'webhook', ...teamAdminRow, act: { http: 'POST', path: '/teams/:teamId/webhooks/:webhookId/rotate' }, basis: 'webhooks/policy manage' },
  { id: 'webhooks GET deliveries', feature: 'infra', kind: 'create', setup: 'webhook', ...teamAdminRow, act: { http: 'GET', path: '/teams/:teamId/webhooks/deliveries' }, basis: 'webhooks/policy manage: the delivery log' },
  { id: '/infra webhooks list', feature: 'infra', kind: 'read', setup: 'webhook', ...teamAdminRow, act: { command: '/infra webhooks list', in: 'home' }, basis: 'webhooks/policy manage' },
  { id: '/infra webhooks remove', feature: 'infra', kind: 'write', setup: 'webhook', ...teamAdminRow, act: { command: '/infra webhooks remove {ref}', in: 'home' }, basis: 'webhooks/policy manage' },
  { id: '/infra webhooks rotate', feature: 'infra', kind: 'write', setup: 'webhook', ...teamAdminRow, act: { command: '/infra webhooks rotate {ref}', in: 'home' }, basis: 'webhooks/policy manage' },
  { id: '/infra webhooks log', feature: 'infra', kind: 'create', setup: 'webhook', ...teamAdminRow, act: { command: '/infra webhooks log', in: 'home' }, basis: 'webhooks/policy manage' },

  // ------------------------------------------------------------ the status page of a team (status/policy.ts)
  { id: '/infra components list', feature: 'infra', kind: 'read', setup: 'component', teamLevel: true, who: ['fullTeamMember'], act: { command: '/infra components list', in: 'home' }, basis: 'status/policy view: the team\'s full members', denyEitherFor: GUESTS },
  { id: '/infra components add', feature: 'infra', kind: 'create', setup: 'place', ...teamAdminRow, act: { command: '/infra components add c{secret}', in: 'home' }, basis: 'status/policy manage: team admins define components' },
  { id: '/infra components remove', feature: 'infra', kind: 'write', setup: 'component', ...teamAdminRow, act: { command: '/infra components remove {ref}', in: 'home' }, basis: 'status/policy manage' },
  { id: '/infra maintenance list', feature: 'infra', kind: 'read', setup: 'maintenance', teamLevel: true, who: ['fullTeamMember'], act: { command: '/infra maintenance list', in: 'home' }, basis: 'status/policy view', denyEitherFor: GUESTS },
  { id: '/infra maintenance add', feature: 'infra', kind: 'write', setup: 'component', ...teamAdminRow, act: { command: '/infra maintenance add {ref} {from} {to} upgrade {secret}', in: 'home' }, basis: 'status/policy manage' },
  { id: '/infra maintenance remove', feature: 'infra', kind: 'write', setup: 'maintenance', ...teamAdminRow, act: { command: '/infra maintenance remove {item}', in: 'home' }, basis: 'status/policy manage' },
  { id: '/infra statuslink create', feature: 'infra', kind: 'create', setup: 'place', ...teamAdminRow, act: { command: '/infra statuslink create', in: 'home' }, basis: 'status/policy manage: a public link to the team\'s page' },
  { id: '/infra statuslink revoke', feature: 'infra', kind: 'create', setup: 'place', ...teamAdminRow, act: { command: '/infra statuslink revoke', in: 'home' }, basis: 'status/policy manage' },
  { id: 'status page lists an active incident', feature: 'incidents', kind: 'list', setup: 'incident', who: ['fullTeamMember'], act: { page: 'status' }, basis: 'status: incidents only as the viewer may see them now; the page is for full members' },
  { id: 'status page (HTML)', feature: 'infra', kind: 'read', setup: 'component', teamLevel: true, who: ['fullTeamMember'], act: { page: 'status' }, basis: 'status/policy view: a non-member reads the same 404 as for no such team', denyEitherFor: GUESTS },

  // ------------------------------------------------------------ calendar links and feeds (calendar/policy.ts)
  { id: '/infra calendar', feature: 'infra', kind: 'create', setup: 'place', teamLevel: true, who: ['fullTeamMember'], act: { command: '/infra calendar', in: 'home' }, basis: 'calendar/policy subscribe: full members of the team, each for themselves', denyEitherFor: GUESTS },
  { id: '/infra calendar rotate', feature: 'infra', kind: 'create', setup: 'place', teamLevel: true, who: ['fullTeamMember'], act: { command: '/infra calendar rotate me', in: 'home' }, basis: 'calendar/policy subscribe', denyEitherFor: GUESTS },
  { id: 'calendar feed (me) lists a guild', feature: 'guilds', kind: 'list', setup: 'guild', who: ['fullTeamMember'], act: { feed: 'me' }, basis: 'calendar: a personal feed shows what its owner may see now; guests hold no links' },
  { id: 'calendar feed (me) lists an RFC\'s comment deadline', feature: 'rfc', kind: 'list', setup: 'rfc.inReview', who: ['fullTeamMember'], act: { feed: 'me' }, basis: 'calendar: a personal feed shows what its owner may see now' },
  { id: 'calendar feed (team) lists an RFC\'s comment deadline', feature: 'rfc', kind: 'list', setup: 'rfc.inReview', who: ['fullTeamMember'], teamWide: true, act: { feed: 'team' }, basis: 'calendar: a team feed only what every full member sees' },
  { id: 'calendar feed (team) lists a guild', feature: 'guilds', kind: 'list', setup: 'guild', who: ['fullTeamMember'], teamWide: true, act: { feed: 'team' }, basis: 'calendar: a team feed only what every full member sees (open channels)' },

  // ------------------------------------------------------------ guild rhythm (guilds/policy.ts)
  { id: '/guild skip', feature: 'guilds', kind: 'write', setup: 'guild', who: GUILD_RUN, act: { command: '/guild skip {name} {date}', in: 'home' }, basis: 'guilds/policy edit: calling off a meeting' },
  { id: '/guild unskip', feature: 'guilds', kind: 'write', setup: 'guild.skipped', who: GUILD_RUN, act: { command: '/guild unskip {name} {date}', in: 'home' }, basis: 'guilds/policy edit' },
  { id: '/guild swap', feature: 'guilds', kind: 'write', setup: 'guild.rota', who: GUILD_RUN, act: { command: '/guild swap {name} @{ownerName} @{helperName}', in: 'home' }, basis: 'guilds/policy edit: the rota' },
  { id: '/guild rota', feature: 'guilds', kind: 'read', setup: 'guild.rota', who: ['viewer'], act: { command: '/guild rota {name}', in: 'home' }, basis: 'guilds/policy view' },
  { id: '/guild holidays add', feature: 'guilds', kind: 'create', setup: 'place', ...teamAdminRow, act: { command: '/guild holidays add {date} day {secret}', in: 'home' }, basis: 'guilds/policy holidays: the team\'s list, its admins' },
  { id: '/guild holidays list', feature: 'guilds', kind: 'read', setup: 'holiday', teamLevel: true, who: ['fullTeamMember'], act: { command: '/guild holidays list', in: 'home' }, basis: 'guilds/policy view of the team', denyEitherFor: GUESTS },
  { id: '/guild holidays remove', feature: 'guilds', kind: 'write', setup: 'holiday', ...teamAdminRow, act: { command: '/guild holidays remove {date}', in: 'home' }, basis: 'guilds/policy holidays' },
];

// ---------------------------------------------------------------- the expectation

export type Outcome = 'allow' | 'hidden' | 'forbidden';
export type Expected = Outcome | 'deny';

/** What the scenario knows of the record's place, in the terms of the hand-written rules. */
export interface Place {
  readonly teamId: string;
  /** null: a record of the team with no channel. */
  readonly channel: null | {
    readonly id: string;
    readonly teamId: string;
    readonly open: boolean;
    readonly readOnly: boolean;
    /** Keyed by actor role, or by the scenario's other people ('owner', 'helper', …). */
    readonly members: ReadonlyMap<string, 'user' | 'admin' | 'guest'>;
  };
}

export type RecordRole = 'reviewer' | 'approver' | 'facilitator' | 'gateApprover';

/** The actor's standing, from the scenario (memberships are data there, not Mattermost answers). */
export interface Standing {
  readonly role: Role;
  readonly sysadmin: boolean;
  /** team id → 'user' | 'admin' | 'guest' */
  readonly teams: ReadonlyMap<string, 'user' | 'admin' | 'guest'>;
  /** Record roles the scenario gave this actor on this record. */
  readonly recordRoles: ReadonlySet<RecordRole>;
}

/** Issue 9: visibility follows Mattermost, live. */
export function sees(actor: Standing, place: Place): boolean {
  if (actor.sysadmin) return true;
  const ch = place.channel;
  if (!ch) {
    const t = actor.teams.get(place.teamId);
    return t === 'user' || t === 'admin';
  }
  if (ch.members.has(actor.role)) return true;
  if (!ch.open) return false;
  const t = actor.teams.get(ch.teamId);
  return t === 'user' || t === 'admin';
}

/**
 * One fact of Mattermost's default roles that differs between the real server and MemoryApi:
 * the real team_admin role carries create_post, so a team admin may post in an open channel of
 * their team without joining it (measured by matrix.e2e.test.ts); MemoryApi's team_admin does not.
 */
export interface MattermostFacts {
  readonly teamAdminsPostInOpenChannels: boolean;
}
export const REAL_MATTERMOST: MattermostFacts = { teamAdminsPostInOpenChannels: true };

/** Mattermost's create_post: members (guests included), in a moderated channel only its admins; system admins everywhere. */
export function canPost(actor: Standing, place: Place, mm: MattermostFacts = REAL_MATTERMOST): boolean {
  if (actor.sysadmin) return true;
  const ch = place.channel;
  if (!ch) return true;
  const m = ch.members.get(actor.role);
  if (!m) return mm.teamAdminsPostInOpenChannels && ch.open && !ch.readOnly && actor.teams.get(ch.teamId) === 'admin';
  return !ch.readOnly || m === 'admin';
}

function holds(actor: Standing, who: Who, place: Place): boolean {
  const teamRole = actor.teams.get(place.channel?.teamId ?? place.teamId);
  switch (who) {
    case 'viewer':
      return true;
    case 'member':
      return place.channel?.members.has(actor.role) ?? false;
    case 'channelAdmin':
      return place.channel?.members.get(actor.role) === 'admin';
    case 'teamAdmin':
      return teamRole === 'admin';
    case 'sysadmin':
      return actor.sysadmin;
    case 'fullTeamMember':
      return actor.sysadmin || teamRole === 'user' || teamRole === 'admin';
    case 'reviewer':
    case 'approver':
    case 'facilitator':
    case 'gateApprover':
      return actor.recordRoles.has(who);
  }
}

export function expected(row: Row, actor: Standing, place: Place, mm: MattermostFacts = REAL_MATTERMOST, teamA = ''): Expected {
  // Through team A, another team's record never comes back (nor is it acted on), for anyone.
  if (row.throughTeamA && place.teamId !== teamA) return 'hidden';
  const teamLevelCreate = row.teamLevel === true;
  // Creating at team level: the team is "seen" by any of its members (guests are in it too).
  const visible = teamLevelCreate ? actor.sysadmin || actor.teams.has(place.teamId) : sees(actor, place);
  if (row.kind === 'list') {
    // A list shows the record to whoever sees it, and holds a role the list asks (a calendar link is a full member's);
    // a team-wide list only what every full member sees.
    const included = visible && row.who.some((w) => holds(actor, w, place)) && (!row.teamWide || place.channel?.open === true);
    return included ? 'allow' : 'hidden';
  }
  let outcome: Outcome = 'allow';
  if (!visible) outcome = 'hidden';
  else if (!row.who.some((w) => holds(actor, w, place))) outcome = 'forbidden';
  else if (row.posts && !canPost(actor, place, mm)) outcome = 'forbidden';
  // Someone the row refuses whatever the record (a guest creating team things) may hear either.
  if (outcome !== 'allow' && row.denyEitherFor?.includes(actor.role)) return 'deny';
  return outcome;
}

export const matches = (want: Expected, got: string): boolean => (want === 'deny' ? got === 'hidden' || got === 'forbidden' : want === got);
