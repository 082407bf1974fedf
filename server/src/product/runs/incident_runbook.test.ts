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
