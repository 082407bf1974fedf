// Issue 14, incidents: every /incident subcommand with phrases people really type — apostrophes,
// quotes, dashes, unicode, 3,000-character text, every reference form, typos in subcommands. Each
// row states the reply (exactly, or the part that matters) and, where the command stores
// something, the stored value. The rows run in order against one team, so each row's state is the
// one the rows above it left.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import type { Channel, User } from '../../plugin/model/types';
import type { Incident } from './records';
import { IncidentStore } from './store';
import { fixture } from './test_fixture';

type Who = 'alice' | 'bob' | 'carol' | 'dave';
type Where = 'incident' | 'town';

interface Row {
  /** What is typed. */
  say: string;
  /** Default alice (the commander of INC-001). */
  by?: Who;
  /** Default the channel of INC-001 ("Phrase drill"). */
  in?: Where;
  /** The reply: exactly this text, or matching this pattern. */
  reply: string | RegExp;
  /** What the row stored, read from the record of INC-`n` (default 1). */
  stored?: { n?: number; value: (i: Incident) => unknown; is: unknown };
}

const LONG = 'Ä'.repeat(1000) + 'ß'.repeat(1000) + 'x'.repeat(1000); // 3,000 characters
const LONG_ECHO = `${LONG.slice(0, 119)}…`;
const NOT_HERE = '**Error:** This is not an incident channel.';

const ROWS: Row[] = [
  // ---- declare (in town-square) ----
  {
    say: "/incident declare sev3 Can't reach Bob's DNS box",
    in: 'town',
    reply: "Declared **INC-002** — SEV3 (Minor), private: ~inc-002-cant-reach-bobs-dns-box. You are the commander.",
    stored: { n: 2, value: (i) => i.title, is: "Can't reach Bob's DNS box" },
  },
  {
    say: '/incident declare sev 2 Платёжный шлюз — 504 🔥',
    in: 'town',
    reply: 'Declared **INC-003** — SEV2 (Major), private: ~inc-003-platezhnyi-shliuz-504. You are the commander.',
    stored: { n: 3, value: (i) => [i.title, i.severity], is: ['Платёжный шлюз — 504 🔥', 2] },
  },
  {
    say: "/incident declare SEV-1 “Smart quotes” and 'single' ones --public --type outage",
    in: 'town',
    reply: 'Declared **INC-004** — SEV1 (Critical), public, type Outage: ~inc-004-smart-quotes-and-single-ones. You are the commander.',
    stored: { n: 4, value: (i) => i.title, is: "“Smart quotes” and 'single' ones" },
  },
  { say: `/incident declare ${LONG}`, in: 'town', reply: '**Error:** The title can be at most 200 characters (this one has 3000).' },
  { say: '/incident declare kubectl --force delete broke prod', in: 'town', reply: /^\*\*Error:\*\* Unknown option --force; this command knows --type, --severity, --public, --private\./ },
  { say: '/incident declare "kubectl --force delete" broke prod', in: 'town', reply: /^Declared \*\*INC-005\*\* — SEV3 \(Minor\), private: ~inc-005-kubectl-force-delete-broke-prod\./ },
  { say: '/incident declare sev9 Title', in: 'town', reply: /^\*\*Error:\*\* "sev9" is not a severity\. Use 1–4, SEV1–SEV4 or a label/ },
  { say: '/incident declarr Disk full', in: 'town', reply: '**Error:** Unknown subcommand "declarr". Try `/incident help`.' },

  // ---- status ----
  {
    say: "/incident status We're rolling back the vault change",
    reply: /^Status update for INC-001 posted in ~inc-001-phrase-drill\. Next status update due 2027-01-04 13:00 UTC\.\nAs its first status update, it also set \*\*acknowledged\*\*/,
    stored: { value: (i) => i.lastUpdate?.text, is: "We're rolling back the vault change" },
  },
  { say: '/incident status "v2" is out; don\'t page -- ETA 10 min — maybe', reply: /^Status update for INC-001 posted/, stored: { value: (i) => i.lastUpdate?.text, is: '"v2" is out; don\'t page -- ETA 10 min — maybe' } },
  { say: '/incident status "Quoted whole update"', reply: /^Status update for INC-001/, stored: { value: (i) => i.lastUpdate?.text, is: 'Quoted whole update' } },
  { say: '/incident status Откат 🚀 完成 — مرحبا', reply: /^Status update for INC-001/, stored: { value: (i) => i.lastUpdate?.text, is: 'Откат 🚀 完成 — مرحبا' } },
  { say: `/incident status ${LONG}`, reply: /^Status update for INC-001/, stored: { value: (i) => i.lastUpdate?.text.length, is: 3000 } },
  { say: '/incident status', reply: '**Error:** The status update needs some text.\nUsage: `/incident status [INC-n] <text>`' },
  { say: '/incident status INC-001 Rolled back from the war room', in: 'town', reply: /^Status update for INC-001 posted in ~inc-001-phrase-drill/, stored: { value: (i) => i.lastUpdate?.text, is: 'Rolled back from the war room' } },
  { say: '/incident status 3 pods restarted', in: 'town', reply: /^\*\*Error:\*\* This is not an incident channel\. .*start with the incident: `\/incident status INC-7 <text>`/ },
  { say: '/incident stauts hi', reply: '**Error:** Unknown subcommand "stauts". Try `/incident help`.' },

  // ---- severity ----
  { say: '/incident severity sev1', reply: 'INC-001 is now **SEV1 (Critical)**; it was SEV3 (Minor). Next status update due 2027-01-04 09:30 UTC.', stored: { value: (i) => i.severity, is: 1 } },
  { say: '/incident severity SEV-2', reply: /^INC-001 is now \*\*SEV2 \(Major\)\*\*; it was SEV1 \(Critical\)\./, stored: { value: (i) => i.severity, is: 2 } },
  { say: '/incident severity sev 3', reply: /^INC-001 is now \*\*SEV3 \(Minor\)\*\*/, stored: { value: (i) => i.severity, is: 3 } },
  { say: '/incident severity Major', reply: /^INC-001 is now \*\*SEV2 \(Major\)\*\*/ },
  { say: '/incident severity major', reply: '**Error:** INC-001 is already SEV2 (Major).' },
  { say: '/incident severity inc 1 critical', in: 'town', reply: /^INC-001 is now \*\*SEV1 \(Critical\)\*\*/ },
  { say: '/incident severity INC-001 4', in: 'town', reply: 'INC-001 is now **SEV4 (Low)**; it was SEV1 (Critical). No status reminders at this severity.' },
  { say: '/incident severity 5', reply: /^\*\*Error:\*\* "5" is not a severity\./ },
  { say: '/incident severity sev1 now', reply: '**Error:** Give one severity.\nUsage: `/incident severity [INC-n] <1-4|SEV1-SEV4|label>`' },
  { say: '/incident severity 2', in: 'town', reply: new RegExp(`^${escape(NOT_HERE)}`) },
  { say: '/incident severity 2', by: 'bob', reply: /^\*\*Error:\*\* Only the commander, channel admins and system admins can change the severity\./ },

  // ---- role ----
  { say: '/incident role scribe @bob', reply: '@bob is now the scribe of INC-001.', stored: { value: (i) => i.roles.scribe !== null, is: true } },
  { say: '/incident role Comms @carol', reply: '@carol is now the comms lead of INC-001.' },
  { say: '/incident role scibe @bob', reply: /^\*\*Error:\*\* "scibe" is not a role\. Did you mean scribe\? Roles: commander, scribe, comms\./ },
  { say: '/incident role #1 commander @alice', in: 'town', reply: '**Error:** @alice is already the commander.' },
  { say: '/incident role scribe @nobody', reply: /^\*\*Error:\*\* Unknown user: @nobody/ },
  { say: '/incident role scribe', reply: /^\*\*Error:\*\* Name a role and one user\./ },

  // ---- timeline ----
  { say: "/incident timeline add Vault's audit log shows the error — see “ticket #42”", reply: "Added to the INC-001 timeline: Vault's audit log shows the error — see “ticket #42”" },
  { say: '/incident timeline add kubectl --force delete broke prod', reply: 'Added to the INC-001 timeline: kubectl --force delete broke prod' },
  { say: `/incident timeline add ${LONG}`, reply: `Added to the INC-001 timeline: ${LONG_ECHO}` },
  { say: '/incident timeline add 3 pods restarted 🙈', reply: 'Added to the INC-001 timeline: 3 pods restarted 🙈' },
  { say: '/incident timeline add', reply: '**Error:** The timeline entry needs some text.\nUsage: `/incident timeline add [INC-n] <text>`' },
  { say: '/incident timeline', reply: /^\*\*INC-001 timeline\*\*, times in UTC\n.*\n- 2027-01-04 09:00 — @alice: 3 pods restarted 🙈$/s },
  { say: '/incident timeline inc 1', in: 'town', reply: /^\*\*INC-001 timeline\*\*/ },
  { say: "/incident timeline ad Vault's log", reply: /^\*\*Error:\*\* "ad Vault's log" is not an incident\. Name one as INC-7, or did you mean `\/incident timeline add \[INC-n\] <text>`\?/ },

  // ---- milestone ----
  { say: '/incident milestone detected 2h ago', reply: 'INC-001: Detected set to 2027-01-04 07:00 UTC. MTTA 2h 0m.', stored: { value: (i) => i.milestones.detected, is: Date.UTC(2027, 0, 4, 7) } },
  { say: '/incident milestone acknowledged 90m ago', reply: 'INC-001: Acknowledged set to 2027-01-04 07:30 UTC. MTTA 30m.' },
  { say: '/incident milestone Mitigated 8.15', reply: 'INC-001: Mitigated set to 2027-01-04 08:15 UTC. MTTA 30m.' },
  { say: '/incident milestone mitigated 08:15', reply: 'INC-001: Mitigated is already set to 2027-01-04 08:15 UTC; nothing changed.' },
  { say: '/incident milestone detectd 5m ago', reply: /^\*\*Error:\*\* "detectd" is not a milestone\. Did you mean detected\?/ },
  { say: '/incident milestone mitigated in 5 minutes', reply: /^\*\*Error:\*\* "in 5 minutes" is not a time I understand/ },
  { say: '/incident milestone acknowledged 06:00', reply: /^\*\*Error:\*\* Acknowledged at 2027-01-04 06:00 UTC cannot be before detected, which is set to 2027-01-04 07:00 UTC;/ },
  { say: '/incident milestone resolved', reply: /^\*\*Error:\*\* Resolve the incident with `\/incident resolve`/ },
  { say: '/incident milestone acknowledged clear', reply: 'INC-001: Acknowledged cleared.', stored: { value: (i) => i.milestones.acknowledged, is: null } },
  { say: '/incident milestone inc 1 acknowledged 07:45', in: 'town', reply: 'INC-001: Acknowledged set to 2027-01-04 07:45 UTC. MTTA 45m.' },
  { say: '/incident milestone', reply: /^\*\*Error:\*\* Name the milestone\./ },
  { say: '/incident milestone mitigated 1h10m ago', reply: 'INC-001: Mitigated set to 2027-01-04 07:50 UTC. MTTA 45m.' },
  { say: '/incident milestone detected yesterday 22:10', reply: 'INC-001: Detected set to 2027-01-03 22:10 UTC. MTTA 9h 35m.' },
  { say: '/incident milestone mitigated 2 hours 5 min ago', reply: /^\*\*Error:\*\* Mitigated at 2027-01-04 06:55 UTC cannot be before acknowledged, which is set to 2027-01-04 07:45 UTC;/ },

  // ---- follow / unfollow ----
  { say: '/incident follow', by: 'bob', reply: 'You follow INC-001: its status updates, severity changes, resolves and reopens come to you by direct message.' },
  { say: '/incident follow INC-001', by: 'bob', in: 'town', reply: '**Error:** You already follow this incident.' },
  { say: '/incident unfollow #1', by: 'bob', in: 'town', reply: 'You no longer follow INC-001.' },
  { say: '/incident follow INC-0', in: 'town', reply: /^\*\*Error:\*\* "INC-0" is not an incident\./ },
  { say: '/incident follow inc 1', by: 'dave', in: 'town', reply: '**Error:** No such incident.' },
  { say: '/incident folow', reply: '**Error:** Unknown subcommand "folow". Try `/incident help`.' },

  // ---- follow-ups ----
  { say: '/incident followup add Update runbook @alice next-week', reply: /^\*\*Error:\*\* "next-week" is not a due date I understand\./ },
  {
    say: '/incident followup add Update runbook @alice +1w',
    reply: 'Follow-up #1 added to INC-001: Update runbook — owner @alice, due 2027-01-11.',
    stored: { value: (i) => [i.followups[0]?.text, i.followups[0]?.due], is: ['Update runbook', '2027-01-11'] },
  },
  { say: "/incident followup add Don't page on-call for disk warnings @bob 2027-01-20", reply: "Follow-up #2 added to INC-001: Don't page on-call for disk warnings — owner @bob, due 2027-01-20." },
  { say: '/incident followup add “Quoted” task — with dashes tomorrow @carol', reply: 'Follow-up #3 added to INC-001: “Quoted” task — with dashes — owner @carol, due 2027-01-05.' },
  { say: `/incident followup add ${LONG}`, reply: `Follow-up #4 added to INC-001: ${LONG_ECHO} — no owner, no due date.` },
  { say: '/incident followup add Backfill data 31/12/2026', reply: /^\*\*Error:\*\* "31\/12\/2026" is not a due date I understand\./ },
  { say: '/incident followup add Fix thresholds @bob 2026-11-01', reply: /^\*\*Error:\*\* The due date 2026-11-01 is in the past \(today is 2027-01-04\)\./ },
  { say: '/incident followup add @bob tomorrow', reply: /^\*\*Error:\*\* The follow-up needs a description\./ },
  { say: '/incident followup add inc 1 Rotate keys @dave', in: 'town', reply: 'Follow-up #5 added to INC-001: Rotate keys — owner @dave, no due date.' },
  { say: '/incident followup done 1', reply: 'Follow-up #1 of INC-001 done: Update runbook' },
  { say: '/incident followup done #2', reply: "Follow-up #2 of INC-001 done: Don't page on-call for disk warnings" },
  { say: '/incident followup done INC-1 3', in: 'town', reply: 'Follow-up #3 of INC-001 done: “Quoted” task — with dashes' },
  { say: '/incident followup done x', reply: /^\*\*Error:\*\* Give the follow-up number\./ },
  { say: '/incident followup list', reply: /^\*\*INC-001 follow-ups\*\*\n- ☑️ #1 Update runbook — @alice, due 2027-01-11\n/ },
  { say: '/incident followup list #1', in: 'town', reply: /- ⬜ #5 Rotate keys — @dave$/ },
  { say: '/incident followup dne 1', reply: /^\*\*\/incident followup\*\* — Follow-up actions with owners\n- `\/incident followup add/ },

  // ---- info / list / metrics ----
  { say: '/incident info', reply: /^### INC-001: Phrase drill\n\*\*SEV4 \(Low\)\*\* · 🔴 Active · private\n/ },
  { say: '/incident info INC-0001', in: 'town', reply: /^### INC-001: Phrase drill/ },
  { say: '/incident info inc 2', in: 'town', reply: /^### INC-002: Can't reach Bob's DNS box/ },
  { say: '/incident info extra', reply: /^\*\*Error:\*\* "extra" is not an incident\./ },
  { say: '/incident info INC-1 extra', in: 'town', reply: /^\*\*Error:\*\* Name at most one incident; "extra" is not expected here\./ },
  { say: '/incident list', in: 'town', reply: /^\*\*Active incidents\*\*\n- \*\*INC-005\*\*/ },
  { say: '/incident list resovled', in: 'town', reply: /^\*\*Error:\*\* Unknown filter "resovled"\. Did you mean resolved\?/ },
  { say: '/incident metrics 7d', in: 'town', reply: /^\*\*Incident metrics, last 7 days\*\*/ },
  { say: '/incident metrics seven', in: 'town', reply: /^\*\*Error:\*\* "seven" is not a number of days\./ },

  // ---- resolve / reopen ----
  { say: "/incident resolve It's fixed — “for now”", reply: /^INC-001 resolved at 2027-01-04 09:00 UTC, MTTR 10h 50m\.\nSummary: It's fixed — “for now”$/, stored: { value: (i) => i.resolution?.summary, is: "It's fixed — “for now”" } },
  { say: '/incident resolve', reply: '**Error:** INC-001 is already resolved.' },
  { say: '/incident reopen now', reply: /^\*\*Error:\*\* "now" is not an incident\./ },
  { say: '/incident reopen', reply: /^INC-001 reopened: its resolved time is cleared and its resolution summary is kept for the next resolve\./ },
  { say: '/incident resolve INC-1', in: 'town', reply: /\nNo new summary; the earlier one is kept: It's fixed — “for now”$/, stored: { value: (i) => i.resolution?.summary, is: "It's fixed — “for now”" } },
  { say: '/incident reopen #1', in: 'town', reply: /^INC-001 reopened/ },
  { say: `/incident resolve ${LONG}`, reply: /^INC-001 resolved at .*\nSummary: Ä{10}/, stored: { value: (i) => i.resolutions.length, is: 3 } },

  // ---- help ----
  { say: '/incident help', in: 'town', reply: /^\*\*\/incident\*\* — Declare and run incidents\n/ },
  { say: '/incident status help', reply: /^`\/incident status \[INC-n\] <text>` — Post a status update/ },
];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test('every /incident subcommand with the phrases people type: the reply and what is stored', async () => {
  const f = await fixture();
  const people: Record<Who, User> = { alice: f.alice, bob: f.bob, carol: f.carol, dave: f.dave };
  const incident: Channel = f.channelOf(await f.cmd(f.alice, '/incident declare Phrase drill'));
  f.world.addChannelMember(incident.Id, f.bob.Id);
  const store = new IncidentStore(f.h.ctx.kv);
  const record = async (n: number): Promise<Incident> => {
    const id = await store.idForNumber(f.team.Id, n);
    return (await store.get(id!))!;
  };
  // Every row is checked and every mismatch reported at once, each with its row.
  const mismatches: string[] = [];
  for (const row of ROWS) {
    const label = `${row.by ?? 'alice'} in ${row.in ?? 'incident'}: ${row.say.slice(0, 80)}`;
    const reply = await f.cmd(people[row.by ?? 'alice'], row.say, row.in === 'town' ? f.town : incident);
    const replied = typeof row.reply === 'string' ? reply === row.reply : row.reply.test(reply);
    if (!replied) mismatches.push(`${label}\n  replied: ${JSON.stringify(reply.slice(0, 400))}\n  expected: ${String(row.reply).slice(0, 400)}`);
    if (row.stored) {
      const stored = row.stored.value(await record(row.stored.n ?? 1));
      if (!isDeepStrictEqual(stored, row.stored.is)) mismatches.push(`${label}\n  stored: ${JSON.stringify(stored)}\n  expected: ${JSON.stringify(row.stored.is)}`);
    }
  }
  assert.equal(mismatches.join('\n\n'), '', `${mismatches.length} of ${ROWS.length} rows differ`);
  f.h.close();
});
