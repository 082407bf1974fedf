import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture } from '../incidents/test_fixture';

test('an incident is a run: declared, its channel gets the runbook for its type and severity; resolved, the run finishes and its retrospective and report follow', async () => {
  const f = await fixture();
  const sev1 = f.channelOf(await f.cmd(f.alice, '/incident declare sev1 Checkout is down'));
  const card = f.world.postsIn(sev1.Id).find((p) => /#### RUN-\d+ INC-\d+ Checkout is down/.test(p.Message ?? ''));
  assert.ok(card, 'the runbook card is in the incident channel');
  assert.match(card.Message!, /commander @alice · 0\/9 done · template “Incident \(SEV1–2\)” v1/);
  assert.match(await f.cmd(f.alice, '/run check 1.1', sev1), /1\.1: checked/);

  const sev4 = f.channelOf(await f.cmd(f.alice, '/incident declare sev4 Slow dashboards'));
  assert.match(await f.cmd(f.alice, '/run checklist', sev4), /template “Incident \(SEV3–4\)” v1/);
  const security = f.channelOf(await f.cmd(f.alice, '/incident declare sev2 Leaked token --type security'));
  assert.match(await f.cmd(f.alice, '/run checklist', security), /template “Security incident” v1/, 'a template naming the type wins over one for any type');

  await f.cmd(f.alice, '/incident resolve Rolled back the deploy', sev1);
  assert.match(await f.cmd(f.alice, '/run checklist', sev1), /\*\*Finished\*\*/);
  assert.match(await f.cmd(f.alice, '/run retro root cause A config push without a canary', sev1), /Wrote “Root cause” of the retrospective/);
  assert.match(await f.cmd(f.alice, '/run retro publish', sev1), /Published the retrospective/);
  await f.cmd(f.alice, '/incident resolve Token rotated', security);
  const timeline = await f.cmd(f.alice, '/run timeline', security);
  assert.match(timeline, /finished the run overriding open gates: INC-\d+ was resolved/, "the security template's open gate is passed over by the resolution, on the record");
  assert.match(await f.cmd(f.alice, '/run export', sev1), /Posted the report/);
  assert.match(f.world.postsIn(sev1.Id).at(-1)!.Message!, /## Timeline\n\n- .* INC-\d+ was declared: its runbook is “Incident \(SEV1–2\)” v1/);
  f.h.close();
});

test("an incident's runbook expands its template's group assignees into the group's members, as a release does", async () => {
  const f = await fixture();
  const dba = f.world.addGroup('DBA', [f.bob.Id, f.carol.Id]);
  const base = `/api/v1/teams/${f.team.Id}/templates`;
  const list = (await f.h.http('GET', base, f.admin)).body as { items: Array<{ slug: string; name: string }> };
  const slug = list.items.find((t) => t.name === 'Incident (SEV1–2)')!.slug;
  const doc = (await f.h.http('GET', `${base}/${slug}`, f.admin)).body as { template: { checklists: Array<{ items: Array<Record<string, unknown>> }> } & Record<string, unknown> };
  const [first, ...rest] = doc.template.checklists;
  const items = first!.items.map((it, i) => (i === 0 ? { ...it, assignees: [{ group: 'dba', id: dba.Id }] } : it));
  const template = { ...doc.template, name: 'Database incident', appliesTo: { types: ['data'], severities: [] }, checklists: [{ ...first!, items }, ...rest] };
  const imported = await f.h.http('POST', `${base}/import`, f.admin, { source: 'infra-ops', document: JSON.stringify({ ...doc, template }) });
  assert.equal(imported.status, 201, JSON.stringify(imported.body));

  const ch = f.channelOf(await f.cmd(f.alice, '/incident declare sev2 Replica lag --type data'));
  const checklist = await f.cmd(f.alice, '/run checklist', ch);
  assert.match(checklist, /template “Database incident” v1/);
  assert.match(checklist, /☐ 1\.1 .* — @bob, @carol/, "the group's members hold the item");
  f.h.close();
});

test("a commander handoff hands over the incident's runbook: the new commander owns it (finish, cadence), on its timeline and card", async () => {
  const f = await fixture();
  const ch = f.channelOf(await f.cmd(f.alice, '/incident declare sev2 Queue backlog'));
  await f.cmd(f.alice, '/incident role scribe @bob', ch);
  assert.match(await f.cmd(f.bob, '/run cadence 2h', ch), /Error/, 'a scribe does not own the runbook');
  assert.doesNotMatch(await f.cmd(f.alice, '/run timeline', ch), /owns its runbook/, 'another role changing hands nothing over');
  await f.cmd(f.alice, '/incident role commander @bob', ch);
  const timeline = await f.cmd(f.alice, '/run timeline', ch);
  assert.match(timeline, /@bob commands INC-\d+ now and owns its runbook/);
  const card = f.world.postsIn(ch.Id).find((p) => /#### RUN-\d+ INC-\d+ Queue backlog/.test(p.Message ?? ''));
  assert.match(card!.Message!, /commander @bob/, 'the card names the new owner');
  assert.match(await f.cmd(f.bob, '/run cadence 2h', ch), /2 hours|2h/, 'the new commander sets the cadence');
  assert.match(await f.cmd(f.alice, '/run cadence 1h', ch), /Error/, 'the old commander no longer owns it');
  f.h.close();
});
