import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as z from 'zod/mini';
import { AppError } from '../../plugin/api/app_error';
import type { Channel, User } from '../../plugin/model/types';
import { runRoutes } from '../contract/runs';
import { teamFixture, type TeamFixture } from '../pick/test_fixture';
import { checkItemCommand } from './exec';

/** "Exec drill": Product release with commands on 1.1 (/deploy), 1.2 (a loop back into /run exec); an open channel. */
async function drill(f: TeamFixture): Promise<Channel> {
  const base = `/api/v1/teams/${f.team.Id}/templates`;
  const doc = z.parse(runRoutes.exportTemplate.answer, (await f.h.http('GET', `${base}/product-release`, f.admin)).body);
  const [first, ...rest] = doc.template.checklists;
  const items = first!.items.map((it, i) => ({ ...it, command: i === 0 ? '/deploy staging' : i === 1 ? '/RUN  Exec 1.1' : null }));
  const template = { ...doc.template, name: 'Exec drill', checklists: [{ ...first!, items }, ...rest], channel: { ...doc.template.channel, private: false } };
  const imported = await f.h.http('POST', `${base}/import`, f.admin, { source: 'infra-ops', document: JSON.stringify({ ...doc, template }) });
  assert.equal(imported.status, 201, JSON.stringify(imported.body));
  assert.match(await f.cmd(f.alice, '/release start 7.0 --template Exec drill'), /Started RUN-001/);
  const ch = [...f.world.channels.values()].find((c) => c.Name === 'release-7-0')!;
  f.world.addChannelMember(ch.Id, f.bob.Id);
  return ch;
}

test('checkItemCommand: one slash command line; a loop back into /run exec is refused', () => {
  assert.deepEqual(checkItemCommand('  /deploy staging --now \nsecond line'), { ok: true, command: '/deploy staging --now' });
  assert.deepEqual(checkItemCommand('deploy staging'), { ok: false, why: 'notSlash' });
  assert.deepEqual(checkItemCommand('// comment'), { ok: false, why: 'notSlash' });
  assert.deepEqual(checkItemCommand('/Run   EXEC 2.1'), { ok: false, why: 'recursive' });
  assert.deepEqual(checkItemCommand('/run check 2.1'), { ok: true, command: '/run check 2.1' });
});

test("/run exec runs the item's command as the acting user in the run's channel; success and failure go on the timeline; readers are refused", async () => {
  const f = await teamFixture();
  const ch = await drill(f);
  const ran = f.world.executedCommands;
  f.world.slashCommands.set('deploy', (args) => ({ ResponseType: 'in_channel', Text: `deployed @channel as ${args.UserId}` }));

  assert.match(await f.cmd(f.bob, '/run exec 1.1', ch), /^1\.1: ran `\/deploy staging` \(on the timeline\)\.$/);
  assert.deepEqual(ran.map((a) => [a.UserId, a.ChannelId, a.TeamId, a.Command]), [[f.bob.Id, ch.Id, f.team.Id, '/deploy staging']], 'as bob, never the bot, in the run channel');

  f.world.slashCommands.set('deploy', () => {
    throw new AppError('api.command.execute_command.failed.app_error', 'Bad input: no environment "staging"', '', 400);
  });
  assert.match(await f.cmd(f.bob, '/run exec cut the release', ch), /1\.1: `\/deploy staging` failed: Bad input: no environment "staging" \(recorded on the timeline\)/);
  f.world.slashCommands.delete('deploy');
  assert.match(await f.cmd(f.alice, '/run exec 1.1', ch), /failed: Command with a trigger of 'deploy' not found/);

  const timeline = await f.cmd(f.alice, '/run timeline', ch);
  assert.match(timeline, new RegExp(`@bob ran 1\\.1's command \`/deploy staging\`: deployed @\u2060channel as ${f.bob.Id}`), 'the answer, with its @channel defused');
  assert.match(timeline, /@bob ran 1\.1's command `\/deploy staging` — it failed: Bad input: no environment "staging"/);

  const before = ran.length;
  assert.match(await f.cmd(f.carol, '/run exec 1.1', ch), /cannot post|post in/i, 'carol reads the open channel but may not post there');
  assert.match(await f.cmd(f.bob, '/run exec 1.2', ch), /runs `\/run exec` itself; it is not run/);
  assert.match(await f.cmd(f.bob, '/run exec 1.3', ch), /Item 1\.3 has no command to run/);
  assert.match(await f.cmd(f.bob, '/run exec', ch), /Say which item/);
  assert.equal(ran.length, before, 'nothing refused was run');

  // Over HTTP and from the card's Run button: the same use case.
  f.world.slashCommands.set('deploy', () => ({ Text: 'ok' }));
  const url = `/api/v1/teams/${f.team.Id}/runs/1/items/1.1/exec`;
  const http = await f.h.http('POST', url, f.bob);
  assert.equal(http.status, 200, JSON.stringify(http.body));
  const answer = z.parse(runRoutes.execItem.answer, http.body);
  assert.deepEqual([answer.ok, answer.text, answer.run.reference], [true, 'ok', 'RUN-001']);
  assert.equal((await f.h.http('POST', url, f.carol)).status, 403);
  assert.equal((await f.h.http('POST', url, f.outsider)).status, 404);

  const card = f.world.postsIn(ch.Id).find((p) => p.UserId === f.h.ctx.botUserId && /#### RUN-001/.test(p.Message ?? ''))!;
  type Button = { name: string; integration: { url: string; context: Record<string, unknown> } };
  const buttons = ((card.Props?.['attachments'] as Array<{ actions: Button[] }> | undefined) ?? []).flatMap((a) => a.actions);
  assert.deepEqual(buttons.map((b) => b.name).slice(0, 3), ['▶ Run 1.1', '☑ 1.1', '▶ Run 1.2']);
  const click = async (user: User): Promise<string> => {
    const res = await f.h.http('POST', buttons[0]!.integration.url.replace('/plugins/infra-ops', ''), user, { post_id: card.Id, context: buttons[0]!.integration.context });
    return String((res.body as { ephemeral_text: string }).ephemeral_text);
  };
  assert.match(await click(f.bob), /1\.1: ran `\/deploy staging`/);
  assert.match(await click(f.carol), /cannot post|post in/i);
  assert.deepEqual(ran.at(-1)?.UserId, f.bob.Id);

  assert.match(await f.cmd(f.admin, '/run finish --override done', ch), /is finished/);
  assert.match(await f.cmd(f.alice, '/run exec 1.1', ch), /This run is finished/);
  f.h.close();
});
