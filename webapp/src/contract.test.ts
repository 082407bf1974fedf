// The webapp's decoders against the real product (server/src/product) running in process on the
// in-memory Mattermost API: every answer the webapp reads, every card post and every websocket
// payload it handles must decode. This is where a server-side change of shape shows up first.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Team, User, Channel } from '../../server/src/plugin/model/types';
import { MemoryWorld } from '../../server/src/plugin/testing/memory_api';
import { ProductHarness } from '../../server/src/product/testing/product_harness';
import { array, field, object, number, boolean, withDefault } from './decode';
import { readCardProps } from './incidents/card_view';
import { INCIDENT_POST_TYPE } from './manifest';
import {
  decodeAgenda,
  decodeGuild,
  decodeGuildAnswer,
  decodeIdea,
  decodeIdeaPage,
  decodeIncident,
  decodeIncidentMetrics,
  decodeIncidentPage,
  decodeRfc,
  decodeRfcPage,
  decodeTimelineEntry,
} from './types/model';
import { payloadOf } from './websocket_events';

let h: ProductHarness;
let world: MemoryWorld;
let team: Team;
let alice: User;
let bob: User;
let town: Channel;

async function ok(method: string, path: string, user: User, body?: unknown): Promise<unknown> {
  const res = await h.http(method, `/api/v1${path}`, user, body);
  assert.ok(res.status >= 200 && res.status < 300, `${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The websocket payloads of an event, as the webapp's handlers read them. */
const eventPayloads = (event: string) =>
  world.events.filter((e) => e.event === event).map((e) => payloadOf({ event: `custom_infra-ops_${event}`, data: e.payload }));

before(async () => {
  world = new MemoryWorld();
  team = world.addTeam('ops');
  [alice, bob] = ['alice', 'bob'].map((n) => world.addUser(n)) as [User, User];
  for (const u of [alice, bob]) world.addTeamMember(team.Id, u.Id);
  town = world.addChannel(team.Id, 'town-square');
  for (const u of [alice, bob]) world.addChannelMember(town.Id, u.Id);
  world.addChannel(team.Id, 'incidents');
  world.pluginConfig = { IncidentFeedChannel: 'incidents' };
  h = await new ProductHarness(world).activate();
});

after(() => h?.close());

describe('contract with the server', () => {
  it('incidents: declare, list, get, status, timeline, metrics, card post and events decode', async () => {
    const declared = object({ incident: decodeIncident, warnings: array((v) => String(v)) })(
      await ok('POST', '/incidents', alice, { team_id: team.Id, title: 'Checkout 500s', severity: 1, summary: 'from the sidebar' }),
    );
    const incident = declared.incident;
    assert.equal(incident.phase, 'active');
    assert.equal(incident.roles.commander, alice.Id);
    const page = decodeIncidentPage(await ok('GET', `/incidents?team_id=${team.Id}&state=active`, alice));
    assert.deepEqual(page.items.map((i) => i.id), [incident.id]);
    decodeIncident(await ok('GET', `/incidents/${incident.id}`, alice));
    const updated = decodeIncident(await ok('POST', `/incidents/${incident.id}/status`, alice, { text: 'Rolling back' }));
    assert.equal(updated.lastUpdate?.text, 'Rolling back');
    decodeIncident(await ok('POST', `/incidents/${incident.id}/milestones`, alice, { milestone: 'mitigated' }));
    decodeIncident(await ok('POST', `/incidents/${incident.id}/follow`, alice, {}));
    object({ items: array(decodeTimelineEntry), total: number })(await ok('GET', `/incidents/${incident.id}/timeline?page=0&per_page=200`, alice));
    decodeIncidentMetrics(await ok('GET', `/incidents/metrics?team_id=${team.Id}`, alice));

    const card = [...world.posts.values()].find((p) => p.Type === INCIDENT_POST_TYPE && p.ChannelId === incident.channelId);
    assert.ok(card, 'the pinned card post exists');
    const props = readCardProps(card.Props as Record<string, unknown>);
    assert.ok(props.ok, props.ok ? '' : props.error);
    assert.equal(props.ok && props.card.id, incident.id);

    for (const event of ['incident_declared', 'incident_updated']) {
      const payloads = eventPayloads(event);
      assert.ok(payloads.length > 0, `${event} published`);
      for (const p of payloads) decodeIncident(p?.incident, 'incident');
    }
  });

  it('PICK: add, score, list, get and pick_idea_changed decode', async () => {
    const idea = field('idea', decodeIdea)(await ok('POST', '/pick/ideas', alice, { channel_id: town.Id, title: 'Cache CI builds' }));
    assert.equal(idea.id, `${team.Id}:${idea.number}`);
    const scored = object({ idea: decodeIdea, autoRevealed: withDefault(boolean, false) })(
      await ok('POST', `/pick/teams/${team.Id}/ideas/${idea.number}/score`, alice, { payoff: 8, cost: 2 }),
    );
    assert.deepEqual(scored.idea.myScore, { payoff: 8, cost: 2 });
    await ok('POST', `/pick/teams/${team.Id}/ideas/${idea.number}/score`, bob, { payoff: 9, cost: 3 });
    const revealed = field('idea', decodeIdea)(await ok('GET', `/pick/teams/${team.Id}/ideas/${idea.number}`, alice));
    assert.equal(revealed.status, 'revealed', 'every member asked has scored: auto reveal');
    assert.equal(revealed.revealed?.quadrant, 'implement');
    const page = decodeIdeaPage(await ok('GET', `/pick/ideas?team_id=${team.Id}&channel_id=${town.Id}&filter=all&per_page=100`, alice));
    assert.equal(page.ideas.length, 1);
    assert.equal(typeof page.threshold, 'number');
    for (const p of eventPayloads('pick_idea_changed')) decodeIdea(p?.idea, 'idea');

    await h.command(alice, town.Id, '/pick board', team);
    const [opened] = eventPayloads('pick_board_opened');
    assert.deepEqual(opened, { teamId: team.Id, channelId: town.Id }, 'what handlePickBoardOpened reads');
  });

  it('RFCs: create, list, get and rfc_changed decode', async () => {
    const rfc = field('rfc', decodeRfc)(await ok('POST', `/rfc/teams/${team.Id}/rfcs`, alice, { title: 'Adopt OpenTelemetry' }));
    assert.equal(rfc.status, 'draft');
    decodeRfcPage(await ok('GET', `/rfc/teams/${team.Id}/rfcs`, alice));
    field('rfc', decodeRfc)(await ok('GET', `/rfc/teams/${team.Id}/rfcs/${rfc.number}`, alice));
    const payloads = eventPayloads('rfc_changed');
    assert.ok(payloads.length > 0);
    for (const p of payloads) decodeRfc(p?.rfc, 'rfc');
  });

  it('guilds: list (seeded defaults), get and agenda decode', async () => {
    const guilds = field('guilds', array(decodeGuild))(await ok('GET', `/guilds?team_id=${team.Id}`, alice));
    assert.ok(guilds.length >= 2, 'the two handbook guilds are seeded');
    const slug = guilds[0]!.slug;
    decodeGuildAnswer(await ok('GET', `/guilds/${slug}?team_id=${team.Id}`, alice));
    field('agenda', decodeAgenda)(await ok('GET', `/guilds/${slug}/agenda?team_id=${team.Id}`, alice));
  });
});
