import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as z from 'zod/mini';
import { importTemplateAnswer, runRoutes, TEMPLATE_DOCUMENT_MAX, templateDocument } from '../contract/runs';
import { teamFixture } from '../pick/test_fixture';
import { UserError } from '../shared/errors';
import { BUILT_IN_TEMPLATES } from './builtins';
import type { TemplateBody } from './records';
import { parseDocument, type PeopleResolver, resolveDraft, toDocument } from './template_io';

const PLAYBOOK = readFileSync(join(__dirname, 'fixtures', 'playbook_release_v1.json'), 'utf8');

const U = { alice: 'a'.repeat(26), bob: 'b'.repeat(26) };
const G = { qa: 'q'.repeat(26) };
const release = BUILT_IN_TEMPLATES.find((t) => t.name === 'Product release')!;
/** The built-in release with people: users, a group and the owner role, on items, a gate and the invitations. */
const withPeople: TemplateBody = {
  ...release,
  name: 'Release with people',
  checklists: release.checklists.map((l, li) =>
    li !== 0
      ? l
      : {
          ...l,
          items: [
            { ...l.items[0]!, assignees: [{ userId: U.alice }, { groupId: G.qa }, { role: 'owner' }] },
            { ...l.items[1]!, approval: { approvers: [{ userId: U.bob }, { groupId: G.qa }], quorum: { kind: 'atLeast', n: 1 } } },
            ...l.items.slice(2),
          ],
        },
  ),
  channel: { nameTemplate: '{kind}-{name}', private: true, invite: [{ userId: U.bob }, { groupId: G.qa }] },
};
const names = { users: new Map([[U.alice, 'alice'], [U.bob, 'bob']]), groups: new Map([[G.qa, 'qa-team']]) };
const here: PeopleResolver = {
  userByName: async (name) => (name === 'alice' ? U.alice : name === 'bob' ? U.bob : null),
  userById: async (id) => (Object.values(U).includes(id) ? id : null),
  group: async (id) => (id === G.qa ? id : null),
};

function refusal(text: string): string {
  try {
    parseDocument(text);
  } catch (err) {
    assert.ok(err instanceof UserError, String(err));
    assert.equal(err.status, 400);
    return err.message;
  }
  assert.fail('the import was not refused');
}

const documentOf = (body: TemplateBody): Record<string, unknown> => JSON.parse(JSON.stringify(toDocument(body, names))) as Record<string, unknown>;

test('export then import gives the same template back; people travel as usernames and group names', async () => {
  for (const body of [...BUILT_IN_TEMPLATES, withPeople]) {
    const doc = toDocument(body, names);
    assert.ok(z.safeParse(templateDocument, doc).success, `${body.name}: the export matches the contract`);
    const { body: back, unresolved } = await resolveDraft(parseDocument(JSON.stringify(doc)), here);
    assert.deepEqual(back, body, body.name);
    assert.deepEqual(unresolved, []);
  }
  const doc = toDocument(withPeople, names);
  assert.deepEqual(doc.template.checklists[0]!.items[0]!.assignees, [{ user: 'alice' }, { group: 'qa-team', id: G.qa }, { role: 'owner' }]);
  assert.deepEqual(doc.template.channel.invite, [{ user: 'bob' }, { group: 'qa-team', id: G.qa }]);
});

test('an unknown user or group is reported once, with every place it was named, and the rest applies', async () => {
  const elsewhere: PeopleResolver = { userByName: async (n) => (n === 'alice' ? U.alice : null), userById: async () => null, group: async () => null };
  const { body, unresolved } = await resolveDraft(parseDocument(JSON.stringify(toDocument(withPeople, names))), elsewhere);
  assert.deepEqual(body.checklists[0]!.items[0]!.assignees, [{ userId: U.alice }, { role: 'owner' }]);
  assert.deepEqual(body.checklists[0]!.items[1]!.approval!.approvers, []);
  assert.deepEqual(body.channel.invite, []);
  assert.deepEqual(unresolved, [
    `group “qa-team” (${G.qa}): not found on this server — left out of item 1.1, the approvers of 1.2, the channel invitations`,
    '@bob: no such user in this team — left out of the approvers of 1.2, the channel invitations',
  ]);
  assert.equal(body.checklists.flatMap((l) => l.items).length, withPeople.checklists.flatMap((l) => l.items).length, 'every item is kept');
});

test('a malformed document is refused, naming the field and the reason', () => {
  const good = documentOf(withPeople);
  type Json = Record<string | number, unknown>;
  /** The document with `key` of the object at `path` set to `value` (removed when undefined). */
  const edit = (path: ReadonlyArray<string | number>, key: string | number, value: unknown): string => {
    const d = structuredClone(good);
    const o = path.reduce<unknown>((x, k) => (x as Json)[k], d) as Json;
    if (value === undefined) delete o[key];
    else o[key] = value;
    return JSON.stringify(d);
  };
  const item = (['template', 'checklists', 0, 'items', 2] as const).reduce<unknown>((x, k) => (x as Json)[k], good);
  const t = ['template'];
  assert.match(refusal('not json'), /document: not JSON/);
  assert.match(refusal(edit([], 'format', 'playbook')), /format: must be "infra-ops\.template"/);
  assert.match(refusal(edit([], 'version', 2)), /version: must be 1/);
  const longTitle = [0, 1, 2, 3, 4].map((i) => ({ ...(item as Json), title: i === 4 ? 'x'.repeat(201) : `i${i}` }));
  assert.match(refusal(edit([...t, 'checklists', 2], 'items', longTitle)), /template\.checklists\[2\]\.items\[4\]\.title: at most 200 characters/);
  assert.match(refusal(edit([...t, 'checklists', 0, 'items', 0], 'owner', 'me')), /template\.checklists\[0\]\.items\[0\]: unknown field "owner"/);
  assert.match(refusal(edit([...t, 'checklists', 0, 'items', 0], 'assignees', [{ person: 'x' }])), /template\.checklists\[0\]\.items\[0\]\.assignees\[0\]: expected \{"role": "owner"\}/);
  assert.match(refusal(edit(t, 'summary', undefined)), /template\.summary: missing \(expected string\)/);
  assert.match(refusal(edit(t, 'statusUpdateMinutes', 0)), /template\.statusUpdateMinutes: more than 0/);
  assert.match(refusal(edit(t, 'name', '')), /template\.name: must not be empty/);
  assert.match(refusal(edit(t, 'checklists', Array.from({ length: 21 }, () => ({ title: 't', items: [] })))), /template\.checklists: at most 20 entries/);
  const full = Array.from({ length: 5 }, () => ({ title: 't', items: Array.from({ length: 41 }, () => item) }));
  assert.match(refusal(edit(t, 'checklists', full)), /at most 200 items in all/);
});

test('over HTTP: team admins import a Playbooks export and our own format, export it, and a release runs from it; others are refused', async () => {
  const f = await teamFixture();
  const base = `/api/v1/teams/${f.team.Id}/templates`;
  const imported = await f.h.http('POST', `${base}/import`, f.admin, { source: 'playbooks', document: PLAYBOOK });
  assert.equal(imported.status, 201, JSON.stringify(imported.body));
  const answer = z.parse(importTemplateAnswer, imported.body);
  assert.deepEqual(answer.template, { slug: 'product-release-playbooks', name: 'Product release (Playbooks)', kind: 'release', version: 1, builtIn: false, items: 7, gates: 0 });
  assert.ok(answer.notCarried.some((l) => l.startsWith('metrics')), answer.notCarried.join('\n'));

  const refused = await f.h.http('POST', `${base}/import`, f.alice, { source: 'playbooks', document: PLAYBOOK });
  assert.equal(refused.status, 403, 'alice is not a team admin');
  assert.equal((await f.h.http('GET', `${base}/product-release-playbooks`, f.alice)).status, 403);
  assert.equal((await f.h.http('GET', `${base}/product-release`, f.admin)).status, 200);
  assert.equal((await f.h.http('GET', `${base}/product`, f.admin)).status, 404, 'the route takes an exact slug');
  assert.equal((await f.h.http('POST', `${base}/import`, f.outsider, { source: 'playbooks', document: PLAYBOOK })).status, 404, 'someone outside the team learns nothing');

  const exported = await f.h.http('GET', `${base}/product-release-playbooks`, f.admin);
  assert.equal(exported.status, 200);
  const doc = z.parse(runRoutes.exportTemplate.answer, exported.body);
  assert.equal(doc.template.statusUpdateMinutes, 1440);
  assert.deepEqual(doc.template.checklists[0]!.items.map((i) => i.dueMinutes), [60, 1440, null]);

  const edited = { ...doc, template: { ...doc.template, checklists: [{ ...doc.template.checklists[0]!, items: [{ ...doc.template.checklists[0]!.items[0]!, assignees: [{ user: 'bob' }, { user: 'nobody' }] }] }] } };
  const again = await f.h.http('POST', `${base}/import`, f.admin, { source: 'infra-ops', document: JSON.stringify(edited) });
  assert.equal(again.status, 201, JSON.stringify(again.body));
  const second = z.parse(importTemplateAnswer, again.body);
  assert.equal(second.template.version, 2, 'the same name makes a new version');
  assert.deepEqual(second.notCarried, ['@nobody: no such user in this team — left out of item 1.1']);

  const bad = await f.h.http('POST', `${base}/import`, f.admin, { source: 'infra-ops', document: PLAYBOOK });
  assert.equal(bad.status, 400);
  assert.match((bad.body as { error: string }).error, /format: missing: must be "infra-ops\.template"/);
  const huge = await f.h.http('POST', `${base}/import`, f.admin, { source: 'playbooks', document: ' '.repeat(TEMPLATE_DOCUMENT_MAX + 1) });
  assert.equal(huge.status, 400);
  assert.match((huge.body as { error: string }).error, /document/);

  const started = await f.cmd(f.alice, '/release start 2.0 --template Product release (Playbooks)');
  assert.match(started, /Started RUN-001 “2\.0” in ~release-2-0 from the template “Product release \(Playbooks\)” \(version 2\)/);
  const ch = [...f.world.channels.values()].find((c) => c.Name === 'release-2-0')!;
  assert.equal(ch.Type, 'P', "an imported playbook's runs get private channels");
  const checklist = await f.cmd(f.alice, '/run checklist', ch);
  assert.match(checklist, /1\.1 Cut the release branch — @bob/);
});

test('/run template export: the JSON in a code block for team admins; refused for others', async () => {
  const f = await teamFixture();
  const out = await f.cmd(f.admin, '/run template export Product release');
  assert.match(out, /^Template “Product release” \(version 1\), as JSON/);
  const json = /```json\n([\s\S]*)\n```$/.exec(out)?.[1];
  assert.ok(json, out);
  assert.ok(z.safeParse(templateDocument, JSON.parse(json)).success);
  assert.match(await f.cmd(f.alice, '/run template export Product release'), /team admin/i);
  assert.match(await f.cmd(f.admin, '/run template export'), /Say which template/);
});
