/**
 * Issue 9's permission matrix, in process, for the whole table: every row of table.ts × every
 * role × every resource column (public, public→private, private, read-only, another team, another
 * team's public→private), on ProductHarness + MemoryWorld.
 *
 * Each case checks the answer (allow / 404 that reads exactly like a missing record / 403) and
 * what the action did: websocket events (never team-wide, only to the record's channel or to a
 * user who may see it), bot posts (only where the actor may post; the feed never names a private
 * incident; DMs only to people who may see it), and for a refusal: nothing published, posted or
 * stored. Set INFRA_OPS_MATRIX_OUT=<file> to write every case's result as JSON, INFRA_OPS_MATRIX_ROWS=<regex>
 * to run only the rows whose id matches.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { MemoryDriver } from './memory_driver';
import { caseName, classify, expectationOf, ownerView, perform, type PersonKey, type Prepared, prepare, SetupError, standingOf } from './scenario';
import { canPost, matches, type Place, RESOURCES, ROLES, type Role, type Row, sees, TABLE } from './table';

interface CaseResult {
  row: string;
  role: Role;
  resource: string;
  expected: string;
  got: string;
  problems: string[];
}
const results: CaseResult[] = [];

/**
 * Rows whose answer is a team-wide count need a world of their own per case; so do digest rows (a
 * digest lists everything the actor owes in the world, and its days move the world's clock).
 */
const isolated = (row: Row): boolean => row.includes !== undefined || 'digest' in row.act;
/**
 * One record per column serves several cases, unless the set-up depends on the actor: reads and
 * lists never change it, and a refused write must not have changed it either (that is checked:
 * stored state, posts, events) — so a write's record is set up again only after an action succeeded.
 */
const shared = (row: Row): boolean => !row.setup.endsWith('ByActor') && !isolated(row);
const spent = (row: Row, got: string): boolean => (row.kind === 'write' || row.kind === 'create') && got !== 'hidden' && got !== 'forbidden';

/** INFRA_OPS_MATRIX_ROWS=<regex>: only the rows whose id matches (while working on some of them). */
const only = process.env.INFRA_OPS_MATRIX_ROWS ? new RegExp(process.env.INFRA_OPS_MATRIX_ROWS) : null;
const ROWS = only ? TABLE.filter((r) => only.test(r.id)) : TABLE;

for (const row of ROWS) {
  test(row.id, async (t) => {
    let d = isolated(row) ? null : await new MemoryDriver().start();
    const prepared = new Map<string, Prepared>();
    try {
      for (const resource of RESOURCES) {
        for (const role of ROLES) {
          await t.test(caseName(role, resource), async () => {
            if (isolated(row)) {
              d?.close();
              d = await new MemoryDriver().start();
            }
            const driver = d!;
            let p: Prepared;
            try {
              const key = resource.key;
              p = shared(row) && prepared.has(key) ? prepared.get(key)! : await prepare(driver, row, resource, role);
              if (shared(row)) prepared.set(key, p);
            } catch (err) {
              const why = err instanceof SetupError ? err.message : String(err);
              results.push({ row: row.id, role, resource: resource.key, expected: '?', got: `setup failed: ${why}`, problems: [] });
              assert.fail(`setup failed: ${why}`);
            }
            const want = expectationOf(row, role, p, driver);
            const mutating = row.kind === 'write' || row.kind === 'create';
            // Through team A on another team's record, the action may legitimately land on team A's
            // record of the same number: what must hold is that this record was left alone.
            const acrossTeams = row.throughTeamA === true && p.team !== 'A';
            const untouched = acrossTeams ? await ownerView(driver, row, p) : null;
            const before = want === 'allow' || !mutating || acrossTeams ? null : driver.kvSnapshot();
            const mark = driver.mark();
            const done = await perform(driver, row, p, role);
            const all = driver.since(mark);
            // A digest row's days run every due job of the world (reminders, dues): the action is the DM to the actor.
            const changes = 'digest' in row.act ? { events: [], posts: driver.dmsTo(role, all.posts), channels: all.channels } : all;
            const kvAfter = before ? driver.kvSnapshot() : null;
            const got = await classify(row, p, driver, done, async () => {
              const m = driver.mark();
              const missing = await perform(driver, row, p, role, true);
              // The probe for a missing record must not leave anything behind either.
              if (driver.since(m).posts.length) throw new Error('probe for a missing record posted');
              return missing;
            });
            const problems = acrossTeams ? [] : audit(driver, row, p, role, got, changes);
            if (untouched !== null && (await ownerView(driver, row, p)) !== untouched) problems.push("another team's record changed through team A's path");
            if (before && kvAfter && got !== 'allow') {
              // rfc:approvers pins the RfcApprovers usernames to accounts the first time they are read.
              const changed = [...new Set([...before.keys(), ...kvAfter.keys()])].filter((k) => before.get(k) !== kvAfter.get(k) && !k.startsWith('rfc:approvers'));
              if (changed.length) problems.push(`refused, yet stored changes: ${changed.slice(0, 4).join(', ')}`);
            }
            if (spent(row, got) || problems.length) prepared.delete(resource.key);
            results.push({ row: row.id, role, resource: resource.key, expected: want, got, problems });
            assert.ok(matches(want, got), `expected ${want}, got ${got}`);
            assert.deepEqual(problems, []);
          });
        }
      }
    } finally {
      (d)?.close();
    }
  });
}

/**
 * Posts with no actor: a guild's meeting post (the timed cadence job) shows its agenda in the guild's
 * channel, to everyone who reads it. An item of a channel the readers may not all read (private,
 * converted) is at most counted there; an open channel's item of the same team is shown.
 */
for (const setup of ['agenda.incident', 'agenda.rfc', 'agenda.idea'] as const) {
  test(`timed post: the guild meeting post (${setup.replace('agenda.', '')} source)`, async (t) => {
    const row = TABLE.find((r) => r.setup === setup)!;
    for (const resource of RESOURCES) {
      await t.test(resource.key, async () => {
        const d = await new MemoryDriver().start();
        try {
          const p = await prepare(d, row, resource, 'teamMember');
          const guildChannel = d.teams[p.team].town;
          const mark = d.mark();
          d.h.clock += 6 * 60_000;
          await d.h.ctx.scheduler.runDue();
          const posts = d.since(mark).posts.filter((post) => post.ChannelId === guildChannel);
          assert.ok(posts.length > 0, 'the meeting post was made');
          const shown = posts.some((post) => (post.Message ?? '').includes(p.secret));
          const want = p.open ? 'shown' : 'at most counted';
          results.push({ row: `timed post (${setup})`, role: 'teamMember', resource: resource.key, expected: p.open ? 'allow' : 'hidden', got: shown ? 'allow' : 'hidden', problems: [] });
          assert.equal(shown ? 'shown' : 'at most counted', want);
          for (const post of d.since(mark).posts) assert.ok(post.ChannelId === guildChannel, `a timed post in ${post.ChannelId}`);
        } finally {
          d.close();
        }
      });
    }
  });
}

/** What the action published and posted, against the rules of issue 9. */
function audit(d: MemoryDriver, row: Row, p: Prepared, role: Role, got: string, changes: ReturnType<MemoryDriver['since']>): string[] {
  const problems: string[] = [];
  const place: Place = {
    teamId: p.teamId,
    channel: { id: p.channelId, teamId: p.teamId, open: p.open, readOnly: p.readOnly, members: p.members },
  };
  const actor = standingOf(role, { A: d.teams.A.id, B: d.teams.B.id }, p.team);
  const personOf = new Map(Object.entries(d.ids).map(([k, id]) => [id, k as PersonKey]));
  const userSees = (userId: string): boolean => {
    const who = personOf.get(userId);
    if (!who) return false;
    if (p.members.has(who)) return true;
    if ((ROLES as readonly string[]).includes(who)) return sees(standingOf(who as Role, { A: d.teams.A.id, B: d.teams.B.id }, p.team), place);
    return false; // the other team's owner and helper are in no record channel they are not a member of
  };
  const fresh = new Set(changes.channels);

  if (got !== 'allow') {
    for (const e of changes.events) problems.push(`refused, yet published ${e.event} to ${JSON.stringify(e.broadcast)}`);
    for (const post of changes.posts) problems.push(`refused, yet posted in ${channelLabel(d, p, post.ChannelId)}: ${post.Message?.slice(0, 80)}`);
    return problems;
  }
  for (const e of changes.events) {
    const b = e.broadcast;
    if (b.TeamId) problems.push(`${e.event} broadcast to a whole team`);
    if (b.ChannelId) {
      if (b.ChannelId !== p.channelId && !fresh.has(b.ChannelId)) problems.push(`${e.event} sent to ${channelLabel(d, p, b.ChannelId)}, not the record's channel`);
    } else if (b.UserId) {
      if (!userSees(b.UserId)) problems.push(`${e.event} sent to ${personOf.get(b.UserId) ?? b.UserId}, who may not see the record`);
    } else if (!b.TeamId) problems.push(`${e.event} without an audience`);
  }
  for (const post of changes.posts) {
    const ch = d.world.channels.get(post.ChannelId);
    const label = channelLabel(d, p, post.ChannelId);
    if (post.UserId !== d.botUserId) problems.push(`a post as ${personOf.get(post.UserId ?? '') ?? post.UserId} in ${label}`);
    if (fresh.has(post.ChannelId)) continue;
    if (post.ChannelId === p.channelId) {
      if (!canPost(actor, place, d.mattermost)) problems.push(`the bot posted in the record's channel, where ${role} may not post`);
    } else if (post.ChannelId === d.feeds.A || post.ChannelId === d.feeds.B) {
      if (row.feature !== 'incidents') problems.push(`the bot posted in the incident feed`);
      if (!p.open && (post.Message ?? '').includes(p.secret)) problems.push(`the feed names a private incident: ${post.Message?.slice(0, 80)}`);
    } else if (ch?.Type === 'D') {
      const other = d.world.membersOf(ch.Id).find((u) => u !== d.botUserId);
      if (!other || !userSees(other)) problems.push(`a DM to ${personOf.get(other ?? '') ?? other}, who may not see the record`);
    } else if (row.setup.startsWith('agenda') && post.ChannelId === d.teams[p.team].town) {
      // the agenda guild's own channel
    } else problems.push(`the bot posted in ${label}`);
  }
  return problems;
}

function channelLabel(d: MemoryDriver, p: Prepared, id: string): string {
  if (id === p.channelId) return "the record's channel";
  const ch = d.world.channels.get(id);
  return ch ? `~${ch.Name} (${ch.Type})` : id;
}

after(() => {
  const out = process.env.INFRA_OPS_MATRIX_OUT;
  if (out) writeFileSync(out, JSON.stringify(results, null, 1));
  const failed = results.filter((r) => !matches(r.expected as never, r.got) || r.problems.length);
  console.log(`access matrix: ${ROWS.length} rows × ${ROLES.length} roles × ${RESOURCES.length} resource columns = ${results.length} cases, ${failed.length} failing`);
});
