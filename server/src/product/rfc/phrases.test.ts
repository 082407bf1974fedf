// Issue 14, RFCs: every /rfc subcommand with phrases people really type — apostrophes, quotes,
// dashes, unicode, 3,000-character text, every reference form (RFC-1, RFC-001, rfc 1, #1, 1, and
// IDEA-7, idea 7 for --idea), typos in subcommands. Each row states the reply (exactly, or the part
// that matters) and, where the command stores something, the stored value. The rows run in order
// against one team, so each row's state is the one the rows above it left.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import type { Channel, User } from '../../plugin/model/types';
import { teamFixture } from '../pick/test_fixture';
import type { Rfc } from './records';
import { RfcStore } from './store';
import { reviewers as reviewersOf } from './views';

type Who = 'alice' | 'bob' | 'carol' | 'dave';

interface Row {
  say: string;
  /** Default alice, the owner of the RFCs. */
  by?: Who;
  /** Default the open channel ~town-square (alice, bob, carol, dave). */
  in?: 'town' | 'dm';
  reply: string | RegExp;
  /** What the row stored, read from RFC-`n` (default 1). */
  stored?: { n?: number; value: (r: Rfc) => unknown; is: unknown };
}

const LONG = 'Ä'.repeat(1000) + 'ß'.repeat(1000) + 'x'.repeat(1000); // 3,000 characters
const START = '\nStart the review: `/rfc review 1 @reviewer … [--days N]`';
const RFC_FORMS = 'RFC-7, RFC-007, rfc 7, #7 or 7';
const concern = (id: number) => (r: Rfc) => r.review.concerns.find((c) => c.id === id);

function rows(ids: Record<Who, string>): Row[] {
  const reviewers = (r: Rfc) => reviewersOf(r).map((x) => [x.userId, x.signedOffAt !== null]);
  return [
    // ---- new: title as typed, the doc link understood and said, never guessed into the title ----
    {
      say: "/rfc new We're adopting OpenTofu — finally https://docs.example.com/tofu?x=1",
      reply: `Opened RFC-001 “We're adopting OpenTofu — finally” as Draft, with its discussion thread in this channel.\nDocument: https://docs.example.com/tofu?x=1${START}`,
      stored: { value: (r) => [r.title, r.docUrl, r.status], is: ["We're adopting OpenTofu — finally", 'https://docs.example.com/tofu?x=1', 'draft'] },
    },
    { say: '/rfc new Use GitOps for everything docs.example.com/gitops', reply: '**Error:** "docs.example.com/gitops" looks like a link: write it with https:// to attach it as the document, or put the title in quotes to keep it in the title.\nUsage: `/rfc new <title> [doc link] [--idea <n>] [--no-thread]`' },
    { say: '/rfc new Move the wiki to www.example.org', reply: /^\*\*Error:\*\* "www\.example\.org" looks like a link/ },
    { say: '/rfc new "Move docs to example.com/v2"', reply: /^Opened RFC-002 “Move docs to example\.com\/v2” as Draft/, stored: { n: 2, value: (r) => [r.title, r.docUrl], is: ['Move docs to example.com/v2', null] } },
    { say: '/rfc new Ban --no-verify pushes', reply: /^\*\*Error:\*\* Unknown option --no-verify; this command knows --idea, --no-thread\./ },
    { say: '/rfc new "Ban --no-verify pushes" https://x.example/ban', reply: /^Opened RFC-003 “Ban --no-verify pushes” as Draft[\s\S]*\nDocument: https:\/\/x\.example\/ban\n/, stored: { n: 3, value: (r) => [r.title, r.docUrl], is: ['Ban --no-verify pushes', 'https://x.example/ban'] } },
    { say: '/rfc new Платёжный шлюз 🚀 “v2” --no-thread', reply: /^Opened RFC-004 “Платёжный шлюз 🚀 “v2”” as Draft \(no thread\)\./, stored: { n: 4, value: (r) => [r.title, r.rootPostId], is: ['Платёжный шлюз 🚀 “v2”', null] } },
    { say: `/rfc new ${LONG}`, reply: /^\*\*Error:\*\* An RFC title can be at most 300 characters \(this one has 3000\)\./ },
    { say: '/rfc new', reply: /^\*\*Error:\*\* Give the RFC a title\./ },
    { say: '/rfc new Tidy up --idea IDEA-9', reply: '**Error:** There is no IDEA-009 you can see in this team.' },
    { say: '/rfc new Tidy up --idea RFC-1', reply: /^\*\*Error:\*\* "RFC-1" is an RFC, not an idea\. Name the idea as IDEA-7, idea 7, #7 or 7\./ },
    { say: '/rfc new Tidy up --idea seven', reply: /^\*\*Error:\*\* "seven" is not an idea\./ },
    { say: '/rfc new A private thread', in: 'dm', reply: '**Error:** Infra Ops works in team channels, not in direct or group messages.' },
    { say: '/rfc nwe Something', reply: '**Error:** Unknown subcommand "nwe". Try `/rfc help`.' },

    // ---- review: reviewers and the period said back; adding keeps the period; --days, --restart ----
    { say: '/rfc review RFC-001', reply: /^\*\*Error:\*\* RFC-001 cannot be changed yet: name at least one reviewer/ },
    { say: '/rfc review 1 @alice', reply: '**Error:** @alice owns RFC-001 and cannot review it; name someone else.' },
    { say: '/rfc review 1 @nobody', reply: '**Error:** Unknown user: @nobody.' },
    { say: "/rfc review 1 bob's", reply: /^\*\*Error:\*\* "bob's" is not a @username\./ },
    {
      say: '/rfc review RFC-001 @bob @carol --days 5',
      reply: 'RFC-001 is in review until 2027-01-09 09:00 UTC (comment period: 5 days); reviewers: @bob, @carol.',
      stored: { value: (r) => [r.status, r.commentPeriod?.endsAt, reviewers(r)], is: ['in_review', Date.UTC(2027, 0, 9, 9), [[ids.bob, false], [ids.carol, false]]] },
    },
    {
      say: '/rfc review rfc 1 @dave',
      reply: 'Added @dave as reviewer of RFC-001 (only they were asked). The comment period still ends 2027-01-09 09:00 UTC (`--days N` moves it, `--restart` starts it again).',
      stored: { value: (r) => [r.commentPeriod?.endsAt, r.review.seats.length], is: [Date.UTC(2027, 0, 9, 9), 3] },
    },
    { say: '/rfc review #1 @bob, @carol', reply: 'Nothing changed: everyone named already reviews RFC-001, and its comment period still ends 2027-01-09 09:00 UTC (`--days N` moves it).' },
    { say: '/rfc review 001 --days 10', reply: 'The comment period now ends 2027-01-14 09:00 UTC.', stored: { value: (r) => r.commentPeriod?.endsAt, is: Date.UTC(2027, 0, 14, 9) } },
    { say: '/rfc review 1 --days 6 days', reply: 'The comment period now ends 2027-01-10 09:00 UTC.', stored: { value: (r) => r.commentPeriod?.endsAt, is: Date.UTC(2027, 0, 10, 9) } },
    { say: '/rfc review 1 --days soon', reply: /^\*\*Error:\*\* "soon" is not a number of days\./ },
    { say: '/rfc review 1 --days 400', reply: '**Error:** The comment period is 1 to 90 days.' },
    { say: '/rfc review 1 --restrat', reply: /^\*\*Error:\*\* Unknown option --restrat; this command knows --days, --restart\./ },
    { say: '/rfc approve RFC-1', by: 'bob', reply: 'Signed off on RFC-001. 2 reviewers still to sign off.' },
    {
      say: '/rfc review 1 --restart',
      reply: 'The comment period of RFC-001 starts again now and ends 2027-01-11 09:00 UTC (7 days). Sign-offs so far are kept; asked again: @carol, @dave.',
      stored: { value: (r) => [r.commentPeriod?.startedAt, r.commentPeriod?.endsAt, reviewers(r)], is: [Date.UTC(2027, 0, 4, 9), Date.UTC(2027, 0, 11, 9), [[ids.bob, true], [ids.carol, false], [ids.dave, false]]] },
    },
    { say: '/rfc reveiw 1 @bob', reply: '**Error:** Unknown subcommand "reveiw". Try `/rfc help`.' },

    // ---- approve ----
    { say: '/rfc approve rfc 1', by: 'bob', reply: 'You had already signed off on RFC-001.' },
    { say: '/rfc approve 1 now', by: 'carol', reply: '**Error:** `/rfc approve` takes only the RFC number; "now" is not expected.\nUsage: `/rfc approve <n>`' },
    { say: '/rfc approve IDEA-1', by: 'carol', reply: `**Error:** "IDEA-1" is an idea, not an RFC. Name the RFC as ${RFC_FORMS}.\nUsage: \`/rfc approve <n>\`` },
    { say: '/rfc approve 2', by: 'carol', reply: /^\*\*Error:\*\* Only its reviewers can sign off/ },

    // ---- concerns: the text as typed, said back ----
    {
      say: '/rfc concern rfc 1 We\'re not sure the "state" migration works — at all',
      by: 'carol',
      reply: 'Raised concern #1 on RFC-001: We\'re not sure the "state" migration works — at all\nIt blocks acceptance until resolved (`/rfc resolve 1 1`).',
      stored: { value: (r) => concern(1)(r)?.text, is: 'We\'re not sure the "state" migration works — at all' },
    },
    { say: '/rfc concern #1 "Quoted concern"', by: 'dave', reply: /^Raised concern #2 on RFC-001: Quoted concern\n/, stored: { value: (r) => concern(2)(r)?.text, is: 'Quoted concern' } },
    { say: '/rfc concern 1 2 pods die on --force — Ünïcödé 🚨', by: 'dave', reply: /^Raised concern #3 on RFC-001: 2 pods die on --force — Ünïcödé 🚨\n/, stored: { value: (r) => concern(3)(r)?.text, is: '2 pods die on --force — Ünïcödé 🚨' } },
    { say: `/rfc concern 1 ${LONG}`, by: 'dave', reply: '**Error:** A concern can be at most 2000 characters (this one has 3000).' },
    { say: '/rfc concern 1', reply: /^\*\*Error:\*\* Say what the concern is\./ },
    { say: '/rfc concern', reply: `**Error:** Say which RFC: ${RFC_FORMS}.\nUsage: \`/rfc concern <n> <text>\`` },
    { say: '/rfc concern Why not Terraform?', reply: /^\*\*Error:\*\* "Why" is not an RFC\./ },
    {
      say: '/rfc accept 1',
      reply: /^\*\*Error:\*\* RFC-001 cannot be accepted yet: 3 open concerns block acceptance: #1 “We're not sure/,
    },

    // ---- resolve: the resolution said back ----
    { say: "/rfc resolve 1 #1 Added a section — see §4, it's fine", by: 'carol', reply: "Resolved concern #1 on RFC-001: Added a section — see §4, it's fine\n2 still open.", stored: { value: (r) => concern(1)(r)?.resolution, is: "Added a section — see §4, it's fine" } },
    { say: '/rfc resolve rfc 1 2', reply: 'Resolved concern #2 on RFC-001.\n1 still open.', stored: { value: (r) => concern(2)(r)?.resolution, is: null } },
    { say: '/rfc resolve RFC-001 3 "Quoted answer"', reply: /^Resolved concern #3 on RFC-001: Quoted answer\nNo open concerns remain\.$/, stored: { value: (r) => concern(3)(r)?.resolution, is: 'Quoted answer' } },
    { say: '/rfc resolve 1 9', reply: '**Error:** RFC-001 has no concern #9.' },
    { say: '/rfc resolve 1 first', reply: /^\*\*Error:\*\* "first" is not a concern number such as 2\./ },
    { say: '/rfc resolve 1', reply: /^\*\*Error:\*\* Say which concern \(its number, e\.g\. 2 or #2\)\./ },

    // ---- decisions: the reason said back ----
    { say: '/rfc accept 1', reply: /^\*\*Error:\*\* RFC-001 cannot be accepted yet: waiting for sign-off from @carol, @dave; without it, acceptance opens when the comment period ends \(2027-01-11 09:00 UTC\)\./ },
    { say: '/rfc approve 1', by: 'carol', reply: 'Signed off on RFC-001. 1 reviewer still to sign off.' },
    { say: '/rfc approve #001', by: 'dave', reply: 'Signed off on RFC-001. All reviewers have signed off.' },
    { say: "/rfc accept rfc 1 Agreed in the guild — we're go", reply: "RFC-001 is now **Accepted**. Reason: Agreed in the guild — we're go", stored: { value: (r) => [r.status, r.outcome?.reason], is: ['accepted', "Agreed in the guild — we're go"] } },
    { say: '/rfc accept 1', reply: '**Error:** RFC-001 is already Accepted.' },
    { say: '/rfc withdraw RFC-4 Not needed', reply: 'RFC-004 is now **Withdrawn**. Reason: Not needed', stored: { n: 4, value: (r) => r.status, is: 'withdrawn' } },
    { say: '/rfc postpone 2', reply: 'RFC-002 is now **Postponed**.', stored: { n: 2, value: (r) => [r.status, r.outcome?.reason], is: ['postponed', null] } },
    { say: `/rfc reject 3 ${LONG}`, reply: '**Error:** A reason can be at most 2000 characters (this one has 3000).', stored: { n: 3, value: (r) => r.status, is: 'draft' } },
    { say: '/rfc reject 3 "Too risky"', reply: 'RFC-003 is now **Rejected**. Reason: Too risky', stored: { n: 3, value: (r) => r.outcome?.reason, is: 'Too risky' } },
    { say: '/rfc acept 1', reply: '**Error:** Unknown subcommand "acept". Try `/rfc help`.' },

    // ---- supersede, reviewed ----
    { say: '/rfc new Newer runners', reply: /^Opened RFC-005 “Newer runners” as Draft/ },
    { say: '/rfc supersede 1 with 5', reply: /^\*\*Error:\*\* Say which RFC supersedes it: `\/rfc supersede 3 by 7`\./ },
    { say: '/rfc supersede 1 by IDEA-5', reply: /^\*\*Error:\*\* "IDEA-5" is an idea, not an RFC\./ },
    { say: '/rfc supersede 1 by 1', reply: '**Error:** An RFC cannot supersede itself.' },
    { say: '/rfc supersede RFC-001 by rfc 5', reply: 'RFC-001 is superseded by RFC-005.', stored: { value: (r) => [r.status, r.supersededBy], is: ['superseded', 5] } },
    { say: '/rfc reviewed 5', reply: /^\*\*Error:\*\* RFC-005: You cannot confirm it still describes the current state while it is Draft; that needs Accepted\./ },

    // ---- list, show ----
    { say: '/rfc list in review', reply: /^\*\*RFCs — In review\*\*\nNone you can see\.$/ },
    { say: '/rfc list Superseded', reply: /^\*\*RFCs — Superseded\*\*\n- RFC-001 We're adopting OpenTofu — finally — Superseded · @alice$/ },
    { say: '/rfc list acepted', reply: /^\*\*Error:\*\* Unknown status "acepted"\./ },
    { say: '/rfc list --mine', by: 'dave', reply: /^\*\*RFCs \(yours: owned or reviewing\)\*\*\n- RFC-001 / },
    { say: '/rfc show rfc 1', reply: /^#### RFC-001 We're adopting OpenTofu — finally\n\*\*Superseded\*\* · owner @alice[\s\S]*\nReviewers: @bob ✅ signed off, @carol ✅ signed off, @dave ✅ signed off\n[\s\S]*\nOutcome: Superseded by @alice on 2027-01-04 09:00 UTC — superseded by RFC-005\nSuperseded by RFC-005\n/ },
    { say: '/rfc show RFC-001 please', reply: /^\*\*Error:\*\* `\/rfc show` takes only the RFC number; "please" is not expected\./ },
    { say: '/rfc show 77', reply: '**Error:** There is no RFC-077 in this team.' },
    { say: '/rfc help', reply: /^\*\*\/rfc\*\* — RFCs: propose, review/ },
    { say: '/rfc review help', reply: /^`\/rfc review <n> @reviewer… \[--days N\] \[--restart\]` — / },
  ];
}

test('every /rfc subcommand with the phrases people type: the reply and what is stored', async () => {
  const f = await teamFixture();
  f.world.addChannelMember(f.town.Id, f.dave.Id);
  const dm: Channel = f.world.addChannel('', `${f.alice.Id}__${f.bob.Id}`, 'D');
  for (const u of [f.alice, f.bob]) f.world.addChannelMember(dm.Id, u.Id);
  const people: Record<Who, User> = { alice: f.alice, bob: f.bob, carol: f.carol, dave: f.dave };
  const store = new RfcStore(f.h.ctx.kv);
  const mismatches: string[] = [];
  const table = rows({ alice: f.alice.Id, bob: f.bob.Id, carol: f.carol.Id, dave: f.dave.Id });
  for (const row of table) {
    const label = `${row.by ?? 'alice'}: ${row.say.slice(0, 80)}`;
    const reply = await f.cmd(people[row.by ?? 'alice'], row.say, row.in === 'dm' ? dm : f.town);
    const replied = typeof row.reply === 'string' ? reply === row.reply : row.reply.test(reply);
    if (!replied) mismatches.push(`${label}\n  replied: ${JSON.stringify(reply.slice(0, 500))}\n  expected: ${String(row.reply).slice(0, 500)}`);
    if (row.stored) {
      const rfc = await store.get(f.team.Id, row.stored.n ?? 1);
      const stored = rfc ? row.stored.value(rfc) : 'no such RFC';
      if (!isDeepStrictEqual(stored, row.stored.is)) mismatches.push(`${label}\n  stored: ${JSON.stringify(stored)}\n  expected: ${JSON.stringify(row.stored.is)}`);
    }
  }
  assert.equal(mismatches.join('\n\n'), '', `${mismatches.length} of ${table.length} rows differ`);
  f.h.close();
});
