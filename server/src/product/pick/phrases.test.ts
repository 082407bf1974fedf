// Issue 14, PICK: every /pick subcommand with phrases people really type — apostrophes, quotes,
// dashes, unicode, 3,000-character text, every reference form (IDEA-7, IDEA-007, idea 7, #7, 7,
// and RFC-1, rfc 1 for links), typos in subcommands. Each row states the reply (exactly, or the
// part that matters) and, where the command stores something, the stored value. The rows run in
// order against one team, so each row's state is the one the rows above it left.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import type { User } from '../../plugin/model/types';
import type { Idea } from './records';
import { PickStore } from './store';
import { teamFixture } from './test_fixture';

type Who = 'alice' | 'bob' | 'carol' | 'dave';

interface Row {
  say: string;
  /** Default alice, the owner of the ideas. */
  by?: Who;
  /** The reply: exactly this text, or matching this pattern. */
  reply: string | RegExp;
  /** What the row stored, read from IDEA-`n` (default 1). */
  stored?: { n?: number; value: (i: Idea) => unknown; is: unknown };
}

const LONG = 'Ä'.repeat(1000) + 'ß'.repeat(1000) + 'x'.repeat(1000); // 3,000 characters
const SCORE_1 = '`/pick score 1 payoff=<1-10> cost=<1-10>`';
const mine = (who: string) => (i: Idea) => i.scores[who] && [i.scores[who].payoff, i.scores[who].cost];

/** Rows that need user ids are built once the fixture exists. */
function rows(ids: Record<Who, string>): Row[] {
  return [
    // ---- add ----
    {
      say: "/pick add Don't page on-call for disk warnings",
      reply: `Added IDEA-001 “Don't page on-call for disk warnings”. 3 channel members are asked to score it; it reveals itself once all have (with at least 2 scores).\nScore it: ${SCORE_1}`,
      stored: { value: (i) => [i.title, i.ownerId, i.asked.length], is: ["Don't page on-call for disk warnings", ids.alice, 3] },
    },
    { say: '/pick add Use “smart quotes”, \'single\' ones — and "double" -- ok?', reply: /^Added IDEA-002 “Use “smart quotes”, 'single' ones — and "double" -- ok\?”\./, stored: { n: 2, value: (i) => i.title, is: 'Use “smart quotes”, \'single\' ones — and "double" -- ok?' } },
    { say: '/pick add "Quoted whole title"', reply: /^Added IDEA-003 “Quoted whole title”\./, stored: { n: 3, value: (i) => i.title, is: 'Quoted whole title' } },
    { say: '/pick add Ban --no-verify pushes --force', reply: /^Added IDEA-004 “Ban --no-verify pushes --force”\./, stored: { n: 4, value: (i) => i.title, is: 'Ban --no-verify pushes --force' } },
    { say: '/pick add Платёжный шлюз 🚀 完成 — مرحبا', reply: /^Added IDEA-005 “Платёжный шлюз 🚀 完成 — مرحبا”\./, stored: { n: 5, value: (i) => i.title, is: 'Платёжный шлюз 🚀 完成 — مرحبا' } },
    { say: '/pick add    Spaced     out   words ', reply: /^Added IDEA-006 “Spaced out words”\./, stored: { n: 6, value: (i) => i.title, is: 'Spaced out words' } },
    { say: `/pick add ${LONG}`, reply: '**Error:** The title can be at most 300 characters (this one has 3000).' },
    { say: '/pick add', reply: '**Error:** Say what the idea is.\nUsage: `/pick add <idea>`' },
    { say: '/pick ad Cache the builds', reply: '**Error:** Unknown subcommand "ad". Try `/pick help`.' },

    // ---- score: every reference form, every score form ----
    {
      say: '/pick score IDEA-1 payoff=8 cost=3',
      reply: 'Your score for IDEA-001: payoff 8, cost 3. 1/3 scored so far; scores stay private until the reveal.',
      stored: { value: mine(ids.alice), is: [8, 3] },
    },
    { say: '/pick score IDEA-001 p=7 c=4', reply: 'Your score for IDEA-001: payoff 7, cost 4 (changed from payoff 8, cost 3). 1/3 scored so far; scores stay private until the reveal.', stored: { value: mine(ids.alice), is: [7, 4] } },
    { say: '/pick score idea 1 payoff 6 cost 5', reply: /^Your score for IDEA-001: payoff 6, cost 5 \(changed from payoff 7, cost 4\)\./, stored: { value: mine(ids.alice), is: [6, 5] } },
    { say: '/pick score #1 cost: 2 payoff: 9', reply: /^Your score for IDEA-001: payoff 9, cost 2 \(changed/, stored: { value: mine(ids.alice), is: [9, 2] } },
    { say: '/pick score idea-1 risk=3 payoff=7', reply: /^Your score for IDEA-001: payoff 7, cost 3 \(changed/, stored: { value: mine(ids.alice), is: [7, 3] } },
    { say: '/pick score 0001 payoff=7, cost=3', reply: 'Your score for IDEA-001: payoff 7, cost 3. 1/3 scored so far; scores stay private until the reveal.' },
    { say: '/pick score 1 8 2', by: 'bob', reply: /^Your score for IDEA-001: payoff 8, cost 2\. 2\/3 scored so far/, stored: { value: mine(ids.bob), is: [8, 2] } },
    { say: '/pick score IDEA–1 payoff=8 cost=2', by: 'bob', reply: /^Your score for IDEA-001: payoff 8, cost 2\. 2\/3/, stored: { value: mine(ids.bob), is: [8, 2] } },
    { say: '/pick score 1 payoff=8 payoff=9', reply: '**Error:** payoff is given twice; give each score once.\nUsage: `/pick score <id> payoff=<1-10> cost=<1-10>`', stored: { value: mine(ids.alice), is: [7, 3] } },
    { say: '/pick score RFC-1 payoff=8 cost=3', reply: /^\*\*Error:\*\* "RFC-1" is an RFC, not an idea\. Name the idea as IDEA-7, IDEA-007, idea 7, #7 or 7\.\nUsage: `\/pick score/ },
    { say: '/pick score inc 3 8 3', reply: /^\*\*Error:\*\* "inc 3" is an incident, not an idea\./ },
    { say: '/pick score idea seven 8 3', reply: /^\*\*Error:\*\* "idea seven" is not an idea\. Name one as IDEA-7/ },
    { say: "/pick score Don't 8 3", reply: /^\*\*Error:\*\* "Don't" is not an idea\./ },
    { say: '/pick score 1 eight three', reply: /^\*\*Error:\*\* payoff must be a whole number from 1 to 10, not "eight"\./ },
    { say: '/pick score 1 payoff=11 cost=3', reply: /^\*\*Error:\*\* payoff must be a whole number from 1 to 10, not "11"\./ },
    { say: '/pick score 1 payoff=8', reply: /^\*\*Error:\*\* Give both payoff and cost, e\.g\. `payoff=7 cost=3` or `7 3`\./ },
    { say: '/pick score 1 8 3 please', reply: /^\*\*Error:\*\* Did not understand "8 3 please"\./ },
    { say: '/pick score', reply: /^\*\*Error:\*\* Say which idea: IDEA-7, IDEA-007, idea 7, #7 or 7\./ },
    { say: '/pick score 99 8 3', reply: '**Error:** There is no IDEA-099 you can see in this team.' },
    { say: '/pick scroe 1 8 3', reply: '**Error:** Unknown subcommand "scroe". Try `/pick help`.' },

    // ---- show, list, board ----
    { say: '/pick show #1', by: 'bob', reply: /^#### IDEA-001 Don't page on-call for disk warnings\nOwner @alice · added 2027-01-04 09:00 UTC · round 1 · open\nScored: 2 of 3 asked\. Scores stay private until the reveal\.\nYour score: payoff 8, cost 2 \(you may change it until the reveal\)$/ },
    { say: '/pick show idea 1', by: 'carol', reply: /\nYou have not scored this round: `\/pick score 1 payoff=<1-10> cost=<1-10>`$/ },
    { say: '/pick show IDEA-001 now', reply: /^\*\*Error:\*\* Did not understand "now"\.\nUsage: `\/pick show <id>`/ },
    { say: '/pick list', reply: /^\*\*Ideas in this channel\*\*\n- IDEA-006 Spaced out words — being scored \(0\/3\)\n[\s\S]*\n- IDEA-001 Don't page on-call for disk warnings — being scored \(2\/3\)$/ },
    { say: '/pick list Open --team', reply: /^\*\*Ideas — open in this team\*\*\n- IDEA-006/ },
    { say: '/pick list chalenge', reply: '**Error:** Unknown filter "chalenge". Filters: possible, implement, challenge, kill, open, all, archived.\nUsage: `/pick list [possible|implement|challenge|kill|open|all|archived] [--team] [--before <cursor>]`' },
    { say: '/pick list all of them', reply: /^\*\*Error:\*\* Unknown filter "all of them"\./ },
    { say: '/pick list --mine', reply: /^\*\*Error:\*\* Unknown option --mine; this command knows --before, --team\./ },
    { say: '/pick board', reply: /^#### PICK board — ~town-square · threshold 5\.5 · 0 revealed, 6 being scored\n\*\*Being scored\*\*\n- IDEA-006 Spaced out words — 0\/3 scored/ },
    { say: '/pick board now', reply: /^\*\*Error:\*\* `\/pick board` takes no arguments; "now" is not expected\./ },

    // ---- reveal ----
    { say: '/pick reveal idea 1', by: 'bob', reply: "**Error:** Only the idea's owner, team admins and system admins can reveal IDEA-001." },
    { say: '/pick reveal 2', reply: /^\*\*Error:\*\* Nobody has scored IDEA-002 yet; a reveal needs at least 2 scores\./ },
    { say: '/pick reveal 1 now', reply: /^\*\*Error:\*\* Did not understand "now"\.\nUsage: `\/pick reveal <id>`/ },
    {
      say: '/pick reveal IDEA-001',
      reply: 'Revealed IDEA-001: **Implement** (high payoff, low cost) — payoff 7.5 (IQR 0.5), cost 2.5 (IQR 0.5), 2 scorers',
      stored: { value: (i) => [i.revealed?.quadrant, i.revealed?.payoff.median, i.revealed?.cost.median], is: ['implement', 7.5, 2.5] },
    },
    { say: '/pick reveal 1', reply: '**Error:** Round 1 of IDEA-001 is already revealed; a rescore starts a new round.\nUsage: `/pick rescore 1`' },
    { say: '/pick score 1 5 5', by: 'carol', reply: /^\*\*Error:\*\* Round 1 of IDEA-001 is already revealed/ },

    // ---- link: both references in every form; what a relink replaced ----
    { say: '/rfc new Runners of our own', reply: /^Opened RFC-001 “Runners of our own” as Draft/ },
    { say: '/rfc new Second attempt', reply: /^Opened RFC-002 “Second attempt” as Draft/ },
    { say: '/pick link 1 RFC-001', reply: 'Linked IDEA-001 to RFC-001 “Runners of our own”.', stored: { value: (i) => i.rfcNumber, is: 1 } },
    { say: '/pick link IDEA-1 rfc 1', reply: 'IDEA-001 is already linked to RFC-001 “Runners of our own”.', stored: { value: (i) => i.rfcNumber, is: 1 } },
    { say: '/pick link idea 1 RFC-002', reply: 'Linked IDEA-001 to RFC-002 “Second attempt”, replacing its link to RFC-001.', stored: { value: (i) => i.rfcNumber, is: 2 } },
    { say: '/pick link #1 #1', reply: 'Linked IDEA-001 to RFC-001 “Runners of our own”, replacing its link to RFC-002.', stored: { value: (i) => i.rfcNumber, is: 1 } },
    { say: '/pick link 1 rfc RFC-002', reply: /^Linked IDEA-001 to RFC-002 “Second attempt”, replacing its link to RFC-001\./, stored: { value: (i) => i.rfcNumber, is: 2 } },
    { say: '/pick link 1 RFC–001', reply: /^Linked IDEA-001 to RFC-001 /, stored: { value: (i) => i.rfcNumber, is: 1 } },
    { say: '/pick link 1 IDEA-2', reply: /^\*\*Error:\*\* "IDEA-2" is an idea, not an RFC\. Name the RFC as RFC-7, RFC-007, rfc 7, #7 or 7\.\nUsage: `\/pick link <id> <rfc>`/ },
    { say: '/pick link 1 rfc one', reply: /^\*\*Error:\*\* "rfc one" is not an RFC\./ },
    { say: '/pick link 1 RFC-001 please', reply: /^\*\*Error:\*\* Did not understand "please"\./ },
    { say: '/pick link 1', reply: /^\*\*Error:\*\* Say which RFC: RFC-7, RFC-007, rfc 7, #7 or 7\./ },
    { say: '/pick link 1 RFC-9', reply: '**Error:** There is no RFC-009 you can see in this team.', stored: { value: (i) => i.rfcNumber, is: 1 } },
    { say: '/pick link 1 rfc 2', by: 'bob', reply: "**Error:** Only the idea's owner, team admins and system admins can link IDEA-001.", stored: { value: (i) => i.rfcNumber, is: 1 } },
    { say: '/pick lnik 1 rfc 2', reply: '**Error:** Unknown subcommand "lnik". Try `/pick help`.' },

    // ---- rescore ----
    { say: '/pick rescore idea 1', reply: `Round 2 of IDEA-001 is open: ${SCORE_1}`, stored: { value: (i) => [i.round, i.history.length, Object.keys(i.scores).length], is: [2, 1, 0] } },
    { say: '/pick rescore IDEA-001', reply: '**Error:** Round 2 of IDEA-001 is still being scored; reveal it first.' },
    { say: '/pick rescore', reply: /^\*\*Error:\*\* Say which idea/ },

    // ---- archive: the reason as typed ----
    {
      say: "/pick archive IDEA-002 We're not doing this — “ever”, says Bob's team",
      reply: "Archived IDEA-002: We're not doing this — “ever”, says Bob's team",
      stored: { n: 2, value: (i) => i.archived?.reason, is: "We're not doing this — “ever”, says Bob's team" },
    },
    { say: '/pick archive idea 3 "Quoted reason"', reply: 'Archived IDEA-003: Quoted reason', stored: { n: 3, value: (i) => i.archived?.reason, is: 'Quoted reason' } },
    { say: '/pick archive #4 --no-verify is fine -- really', reply: 'Archived IDEA-004: --no-verify is fine -- really', stored: { n: 4, value: (i) => i.archived?.reason, is: '--no-verify is fine -- really' } },
    { say: `/pick archive 5 ${LONG}`, reply: '**Error:** The reason can be at most 500 characters (this one has 3000).', stored: { n: 5, value: (i) => i.archived, is: null } },
    { say: '/pick archive 5', reply: '**Error:** Give a reason for archiving.\nUsage: `/pick archive <id> <reason>`' },
    { say: '/pick archive 2 again', reply: '**Error:** IDEA-002 is already archived.' },
    { say: '/pick list archived', reply: /^\*\*Ideas — archived in this channel\*\*\n- IDEA-004 Ban --no-verify pushes --force — archived: --no-verify is fine -- really\n- IDEA-003 Quoted whole title — archived: Quoted reason\n- IDEA-002 / },

    // ---- help ----
    { say: '/pick help', reply: /^\*\*\/pick\*\* — PICK prioritisation/ },
    { say: '/pick link --help', reply: /^`\/pick link <id> <rfc>` — Link an idea to the RFC that takes it forward \(owner or admin\): `7 RFC-001`, `IDEA-7 rfc 1`$/ },
  ];
}

test('every /pick subcommand with the phrases people type: the reply and what is stored', async () => {
  const f = await teamFixture();
  const people: Record<Who, User> = { alice: f.alice, bob: f.bob, carol: f.carol, dave: f.dave };
  const store = new PickStore(f.h.ctx.kv);
  const mismatches: string[] = [];
  const table = rows({ alice: f.alice.Id, bob: f.bob.Id, carol: f.carol.Id, dave: f.dave.Id });
  for (const row of table) {
    const label = `${row.by ?? 'alice'}: ${row.say.slice(0, 80)}`;
    const reply = await f.cmd(people[row.by ?? 'alice'], row.say);
    const replied = typeof row.reply === 'string' ? reply === row.reply : row.reply.test(reply);
    if (!replied) mismatches.push(`${label}\n  replied: ${JSON.stringify(reply.slice(0, 500))}\n  expected: ${String(row.reply).slice(0, 500)}`);
    if (row.stored) {
      const idea = await store.get(f.team.Id, row.stored.n ?? 1);
      const stored = idea ? row.stored.value(idea) : 'no such idea';
      if (!isDeepStrictEqual(stored, row.stored.is)) mismatches.push(`${label}\n  stored: ${JSON.stringify(stored)}\n  expected: ${JSON.stringify(row.stored.is)}`);
    }
  }
  assert.equal(mismatches.join('\n\n'), '', `${mismatches.length} of ${table.length} rows differ`);
  f.h.close();
});

test('a guild agenda proposes an RFC only for a Challenge that has none; linking one takes it off', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/pick add Multi-region failover');
  for (const [who, score] of [[f.alice, '9 8'], [f.bob, '8 9'], [f.carol, '9 9']] as const) await f.cmd(who, `/pick score 1 ${score}`);
  assert.match(await f.cmd(f.alice, '/guild agenda infrastructure'), /\n- `IDEA-001` Multi-region failover — Challenge: open an RFC\?/);
  assert.match(await f.cmd(f.alice, '/rfc new --idea idea 1'), /\nLinked to IDEA-001\.\n/);
  const agenda = await f.cmd(f.alice, '/guild agenda infrastructure');
  assert.doesNotMatch(agenda, /IDEA-001/, 'linked: no longer proposed');
  assert.match(agenda, /\*\*Challenge ideas \(new or disputed\):\*\* none/);
  // Someone who may not link the idea is refused before anything is made (no RFC without its link).
  assert.equal(await f.cmd(f.bob, '/rfc new Bob tries --idea 1'), "**Error:** Only the idea's owner, team admins and system admins can link IDEA-001.");
  // Opening another RFC from the same idea says what the new link replaced.
  assert.match(await f.cmd(f.alice, '/rfc new Failover, second try --idea IDEA-001'), /^Opened RFC-002 [\s\S]*\nLinked to IDEA-001, replacing its link to RFC-001\.\n/);
  f.h.close();
});
