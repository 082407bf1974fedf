import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { slugify } from '../shared/text/slug';
import { candidateNames, channelNameFor, displayNameFor } from './naming';
import { parseDueInput, parseMomentInput } from './time_input';
import { parseSettings } from './settings';

const VALID = /^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?$/;

test('channel names use the one slugify: Latin, Cyrillic and Greek transliterated, the rest dropped', () => {
  assert.equal(slugify('Ünïcödé Straße — Ærø'), 'unicode-strasse-aero');
  assert.equal(slugify('Сбой базы данных'), 'sboi-bazy-dannykh');
  assert.equal(slugify('Σφάλμα δικτύου'), 'sfalma-diktyoy');
  assert.equal(slugify('数据库故障'), '');
  assert.equal(slugify('  DB   latency!!  eu-west-1 '), 'db-latency-eu-west-1');
});

test('channel names follow the template and are always valid', () => {
  const parts = { number: 42, title: 'DB latency', severity: 2, type: 'Outage' };
  assert.equal(channelNameFor('inc-{number}-{title}', parts), 'inc-042-db-latency');
  assert.equal(channelNameFor('{severity}-{type}-{number}', parts), 'sev2-outage-042');
  assert.equal(channelNameFor('INC_{number}_{title}', { ...parts, title: '数据库' }), 'inc_042');
  assert.equal(channelNameFor('inc-{number}-{title}', { ...parts, number: 12345 }), 'inc-12345-db-latency');
  const long = channelNameFor('inc-{number}-{title}', { ...parts, title: 'word '.repeat(40) });
  assert.ok(long.length <= 64 && VALID.test(long) && !long.endsWith('-'), long);
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 80 }), fc.integer({ min: 1, max: 99999 }), (title, template, number) => {
      const name = channelNameFor(template.includes('{number}') ? template : `inc-{number}-${template}`, { number, title, severity: 3, type: 'x' });
      return VALID.test(name) && name.length <= 64;
    }),
  );
});

test('candidate names are distinct and valid, the last one unique to the incident', () => {
  const base = 'inc-042-' + 'a'.repeat(56);
  const names = candidateNames(base, 'ab12cd34ef56');
  assert.equal(new Set(names).size, names.length);
  for (const n of names) assert.ok(VALID.test(n) && n.length <= 64, n);
  assert.ok(names.at(-1)!.endsWith('-ab12cd34'));
  assert.equal(displayNameFor('INC-042', 'x'.repeat(100)).length, 64);
});

test('times for milestones and due dates', () => {
  const now = Date.UTC(2027, 0, 4, 9, 0);
  assert.equal(parseMomentInput('', now, null), now);
  assert.equal(parseMomentInput('15m ago', now, null), now - 15 * 60_000);
  assert.equal(parseMomentInput('-2h', now, null), now - 2 * 3_600_000);
  assert.equal(parseMomentInput('08:40', now, null), Date.UTC(2027, 0, 4, 8, 40));
  assert.equal(parseMomentInput('09:30', now, null), Date.UTC(2027, 0, 3, 9, 30), 'later today means yesterday');
  assert.equal(parseMomentInput('08:40', now, 'Europe/Berlin'), Date.UTC(2027, 0, 4, 7, 40));
  assert.equal(parseMomentInput('2026-07-01 12:00', now, 'Europe/Berlin'), Date.UTC(2026, 6, 1, 10, 0), 'summer time');
  assert.equal(parseMomentInput('2027-01-04T08:00:00Z', now, 'Europe/Berlin'), Date.UTC(2027, 0, 4, 8, 0));
  assert.throws(() => parseMomentInput('soon', now, null), /not a time I understand/);
  assert.throws(() => parseMomentInput('24:10', now, null), /not a valid time of day/);
  assert.equal(parseDueInput('+3d', now, null), '2027-01-07');
  assert.equal(parseDueInput('+2w', now, null), '2027-01-18');
  assert.equal(parseDueInput('tomorrow', now, null), '2027-01-05');
  assert.equal(parseDueInput('2027-02-28', now, null), '2027-02-28');
  assert.equal(parseDueInput('@bob', now, null), null);
  assert.throws(() => parseDueInput('2027-02-29', now, null), /not a real date/);
});

test('times convert through the one time-zone module; absurd input is a clear error, never a RangeError', () => {
  const now = Date.UTC(2027, 0, 4, 9, 0);
  assert.equal(parseMomentInput('2027-03-28 02:30', now, 'Europe/Berlin'), Date.UTC(2027, 2, 28, 1, 30), 'a spring-forward gap moves forward (03:30 CEST)');
  assert.equal(parseMomentInput('2027-10-31 02:30', now, 'Europe/Berlin'), Date.UTC(2027, 9, 31, 0, 30), 'an autumn overlap means the first');
  assert.equal(parseMomentInput('8.40', now, null), Date.UTC(2027, 0, 4, 8, 40), 'the one clock grammar');
  assert.equal(parseMomentInput('-999999d', now, null), now - 999_999 * 86_400_000, 'far back is the use case’s to refuse');
  for (const bad of ['-9999999999d', '99999999999m ago', '+275760-09-13T00:00:00.001Z', '2027-01-04T99:99']) {
    assert.throws(() => parseMomentInput(bad, now, null), (e: Error) => e.name === 'UserError' && /not a (?:time I understand|valid time of day)/.test(e.message), bad);
  }
  assert.equal(parseDueInput('today', Date.UTC(2027, 0, 4, 23, 30), 'Asia/Tokyo'), '2027-01-05', 'today in the user’s zone');
});

test('settings: defaults, coercion, lower-cased keys, bad values fall back', () => {
  const d = parseSettings({});
  assert.equal(d.privateByDefault, true);
  assert.equal(d.channelNameTemplate, 'inc-{number}-{title}');
  assert.deepEqual(d.updateIntervalMinutes, { 1: 30, 2: 60, 3: 240, 4: 0 });
  const s = parseSettings({
    incidentprivatebydefault: 'false',
    incidentchannelnametemplate: 'no-number-{title}',
    incidentseveritylabels: 'P0, P1',
    incidentresponderssev1: '@Alice bob, group:g1;group:',
    incidentupdateintervalsev1: '10',
    incidentupdateintervalsev2: -5,
    incidentfeedchannel: '~incidents',
  });
  assert.equal(s.privateByDefault, false);
  assert.equal(s.channelNameTemplate, 'inc-{number}-{title}', 'a template without {number} could clash: default');
  assert.deepEqual(s.severityLabels, { 1: 'P0', 2: 'P1', 3: 'Minor', 4: 'Low' });
  assert.deepEqual(s.responders[1], { usernames: ['alice', 'bob'], groupIds: ['g1'] });
  assert.equal(s.updateIntervalMinutes[1], 10);
  assert.equal(s.updateIntervalMinutes[2], 60);
  assert.equal(s.feedChannel, 'incidents');
});
