import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { UserError } from '../shared/errors';
import { fromPlaybook, kindOf } from './playbooks_import';

const FIXTURE = readFileSync(join(__dirname, 'fixtures', 'playbook_release_v1.json'), 'utf8');

function refusal(text: string): string {
  try {
    fromPlaybook(text);
  } catch (err) {
    assert.ok(err instanceof UserError, String(err));
    assert.equal(err.status, 400);
    return err.message;
  }
  assert.fail('the import was not refused');
}

const playbook = (extra: Record<string, unknown>): string => JSON.stringify({ version: 1, title: 'Rollback', ...extra });

test('a Playbooks export (version 1) becomes a template: checklists, items, due times, commands, cadence, retrospective, summary, channel name', () => {
  const { draft, carriedOver, notCarried } = fromPlaybook(FIXTURE);
  assert.equal(draft.name, 'Product release (Playbooks)');
  assert.equal(draft.kind, 'release');
  assert.match(draft.description, /^How we ship a product release/);
  assert.deepEqual(
    draft.checklists.map((l) => [l.title, l.items.map((i) => i.title)]),
    [
      ['Prepare', ['Cut the release branch', 'Draft the release notes', 'Freeze merges to the release branch']],
      ['Approve', ['QA final approves the release', 'Security review of new dependencies']],
      ['Ship', ['Deploy the canary', 'Announce the release']],
    ],
  );
  const [prepare, approve, ship] = draft.checklists;
  assert.deepEqual(prepare!.items.map((i) => i.dueMinutes), [60, 1440, null], 'relative due times in ms become minutes after the start');
  assert.equal(approve!.items[0]!.dueMinutes, 2880);
  assert.equal(prepare!.items[1]!.command, '/jira create --project REL --summary "Release notes"');
  assert.equal(ship!.items[0]!.description, 'Watch error rates for 30 minutes before going to 100%.');
  assert.equal(ship!.items[1]!.command, null);
  assert.equal(draft.statusUpdateMinutes, 24 * 60, 'the reminder timer (86400 s) is the status-update cadence');
  assert.deepEqual(draft.retrospective, ['Summary', 'What went well', 'What should change', 'Action items']);
  assert.equal(draft.summary, 'Release **vX.Y.Z**: scope, owner, target date.');
  assert.deepEqual(draft.channel, { nameTemplate: 'Release {name}', private: true, invite: [] });

  assert.ok(carriedOver.includes('3 checklists, 7 items (4 with a description, 3 with a slash command, 3 with a due time, 0 with an assignee)'), carriedOver.join('\n'));
  assert.ok(carriedOver.includes('status updates every 1440 minutes (the reminder timer)'));
  assert.ok(carriedOver.some((l) => l.startsWith('retrospective: 4 sections')));
  for (const expected of [
    'the status update template (updates here are written freely) (reminder_message_template)',
    'the welcome message for people joining the run channel (message_on_join)',
    'the retrospective reminder interval (retrospective_reminder_interval_seconds)',
    'the sidebar category for run channels (categorize_channel_enabled)',
    'keeping run participants and channel members in step (create_channel_member_on_new_participant)',
    'metrics (1: “Time to ship”)',
    "the retrospective template's text under its headings (sections keep their titles)",
  ]) {
    assert.ok(notCarried.includes(expected), `${expected}\n— in —\n${notCarried.join('\n')}`);
  }
});

test('nothing is dropped silently: unknown fields, task actions, run attributes, conditions, broadcast channels and linked channels are listed', () => {
  const { draft, notCarried } = fromPlaybook(
    playbook({
      frobnicate: true,
      broadcast_channel_ids: ['c'.repeat(26)],
      webhook_on_status_update_urls: [],
      channel_mode: 'link_existing_channel',
      properties: [{ id: 'p1', name: 'Zone', type: 'select', attrs: {} }],
      conditions: [{ id: 'k1', version: 1, condition_expr: {} }],
      checklists: [{ title: 'Do', color: 'red', items: [{ title: 'Roll back', task_actions: [{ trigger: {}, actions: [] }], frob: 1, state: 'closed' }] }],
    }),
  );
  assert.equal(draft.checklists[0]!.items[0]!.title, 'Roll back');
  for (const expected of [
    "frobnicate: not part of Playbooks' export format version 1",
    'broadcast channels (status updates here go to the run channel) (broadcast_channel_ids)',
    'running in an existing channel (a run here gets a channel of its own) (channel_mode “link_existing_channel”)',
    'run attributes (1: “Zone”)',
    'conditional tasks (1 conditions): their items are imported as ordinary items',
    "checklists[0].color: not part of Playbooks' export format version 1",
    "checklists[0].items[0].frob: not part of Playbooks' export format version 1",
    'item 1.1: 1 task action(s) (automations on the item)',
  ]) {
    assert.ok(notCarried.includes(expected), `${expected}\n— in —\n${notCarried.join('\n')}`);
  }
  assert.ok(!notCarried.some((l) => l.includes('webhook')), 'an empty list says nothing: zero values are what the export leaves out');
  assert.ok(!notCarried.some((l) => l.includes('state')), "an item's run state is bookkeeping, not content");
});

test('fields of a playbook taken from the REST API: assignees and invitations are read; off settings are reported', () => {
  const { draft, carriedOver, notCarried } = fromPlaybook(
    playbook({
      create_public_playbook_run: true,
      invite_users_enabled: true,
      invited_user_ids: ['u'.repeat(26)],
      invited_group_ids: ['g'.repeat(26)],
      status_update_enabled: false,
      reminder_timer_default_seconds: 3600,
      checklists: [{ title: '', items: [{ title: 'Page the owner', assignee_id: 'a'.repeat(26), due_date: -5 }] }],
    }),
  );
  assert.deepEqual(draft.checklists[0]!.items[0]!.assignees, [{ userId: 'a'.repeat(26) }]);
  assert.equal(draft.checklists[0]!.title, 'Checklist 1');
  assert.deepEqual(draft.channel, { nameTemplate: '{kind}-{name}', private: false, invite: [{ userId: 'u'.repeat(26) }, { group: '', id: 'g'.repeat(26) }] });
  assert.equal(draft.statusUpdateMinutes, null);
  assert.ok(carriedOver.includes('status updates: never (they were off in the playbook; its timer said every 60 minutes)'));
  assert.ok(notCarried.includes('item 1.1: its due time (-5 ms after the start) is outside 1 minute to 90 days'));
  assert.equal(draft.checklists[0]!.items[0]!.dueMinutes, null);
});

test('a malformed export is refused, naming the field and the reason', () => {
  assert.match(refusal('{"version": 1, "title": '), /document: not JSON/);
  assert.match(refusal(playbook({ version: 2 })), /version: must be 1/);
  assert.match(refusal(JSON.stringify({ title: 'x' })), /version: missing: must be 1/);
  assert.match(refusal(JSON.stringify({ version: 1 })), /title: missing \(expected string\)/);
  assert.match(refusal(playbook({ title: '' })), /title: must not be empty/);
  assert.match(refusal(playbook({ checklists: 'many' })), /checklists: expected array/);
  const longTitle = [0, 1, 2].map((l) => ({ title: `L${l}`, items: [0, 1, 2, 3, 4].map((i) => ({ title: l === 2 && i === 4 ? 'x'.repeat(201) : `i${i}` })) }));
  assert.match(refusal(playbook({ checklists: longTitle })), /checklists\[2\]\.items\[4\]\.title: at most 200 characters/);
  assert.match(refusal(playbook({ checklists: Array.from({ length: 21 }, () => ({ title: 't', items: [] })) })), /checklists: at most 20 entries/);
  assert.match(refusal(playbook({ checklists: [{ title: 't', items: Array.from({ length: 51 }, () => ({ title: 'i' })) }] })), /checklists\[0\]\.items: at most 50 entries/);
  const many = Array.from({ length: 5 }, () => ({ title: 't', items: Array.from({ length: 45 }, () => ({ title: 'i' })) }));
  assert.match(refusal(playbook({ checklists: many })), /at most 200 items in all/);
  assert.match(refusal(playbook({ checklists: [{ items: [{ description: 'no title' }] }] })), /checklists\[0\]\.items\[0\]\.title: missing/);
  assert.match(refusal('[]'), /document: expected object/);
  const lots = refusal(playbook({ checklists: [{ items: Array.from({ length: 12 }, () => ({})) }] }));
  assert.match(lots, /and 2 more/, 'at most ten problems are listed');
});

test('the kind is guessed from the title', () => {
  assert.equal(kindOf('Incident (SEV2)'), 'incident');
  assert.equal(kindOf('Major outage'), 'incident');
  assert.equal(kindOf('Plugin Release'), 'release');
  assert.equal(kindOf('Customer onboarding'), 'process');
});
