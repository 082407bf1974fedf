// The fixtures are what a server following the contract sends: each decodes strictly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agendaView, alertSourceView, decode, guildView, ideaView, incidentView, rfcView, runView, webhookView } from '../contract';
import * as harness from '../../harness/fixtures';
import { fixtureAgenda, fixtureAlertSource, fixtureGuild, fixtureIdea, fixtureIncident, fixtureRevealed, fixtureRfc, fixtureRun, fixtureWebhook } from './fixtures';

describe('fixtures', () => {
  it('unit-test fixtures decode with the contract', () => {
    assert.deepEqual(decode(incidentView, fixtureIncident()), fixtureIncident());
    assert.deepEqual(decode(ideaView, fixtureIdea({ status: 'revealed', revealed: fixtureRevealed(8, 2) })).revealed?.quadrant, 'implement');
    decode(rfcView, fixtureRfc());
    decode(guildView, fixtureGuild());
    decode(agendaView, fixtureAgenda());
    decode(runView, fixtureRun());
    decode(alertSourceView, fixtureAlertSource());
    decode(webhookView, fixtureWebhook());
  });

  it('browser-harness fixtures decode with the contract', () => {
    for (const i of [harness.incident(42), harness.incident(41)]) decode(incidentView, i);
    for (const i of harness.IDEAS) decode(ideaView, i);
    for (const r of harness.RFCS) decode(rfcView, r);
    for (const g of harness.GUILDS) decode(guildView, g);
    decode(agendaView, harness.AGENDA);
    for (const r of harness.RUNS) decode(runView, r);
  });
});
