import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyedBatcher } from './batcher';
import { mergeNotifications, type MergeContext } from './dedupe';
import { parseSeverityMap, severityOf, typeOf } from './mapping';
import { fingerprintOf, parseNotification, PayloadError, type Notification } from './payload';
import { grafanaSignature, signatureMatches, tokenHash, tokenMatches } from './signature';
import { SOURCE_DEFAULTS } from './settings';
import { alertmanagerBody, grafanaBody } from './test_payloads';

const body = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const now = Date.UTC(2027, 0, 4, 9);
const ctx = (over: Partial<MergeContext> = {}): MergeContext => ({ sourceId: 's', windowMs: 48 * 3_600_000, now, incidentClosed: null, severity: 1, type: '', ...over });
const am = (groupKey: string, alerts: Parameters<typeof alertmanagerBody>[1]): Notification => parseNotification('alertmanager', body(alertmanagerBody(groupKey, alerts)));

test('an Alertmanager v4 notification parses, its newer fields ignored; title and alerts are normalised', () => {
  const n = am('{}:{alertname="HighLatency"}', [{ fingerprint: 'a1' }, { fingerprint: 'a2', status: 'resolved' }]);
  assert.equal(n.groupKey, '{}:{alertname="HighLatency"}');
  assert.equal(n.title, 'HighLatency: p99 latency above 2s');
  assert.deepEqual(n.alerts.map((a) => [a.fingerprint, a.status, a.name]), [['a1', 'firing', 'HighLatency'], ['a2', 'resolved', 'HighLatency']]);
});

test('a Grafana v1 notification parses; the wrong version for the source type is a 400 naming the field', () => {
  const n = parseNotification('grafana', body(grafanaBody('{}:{alertname="HighLatency"}', [{ fingerprint: 'g1' }])));
  assert.equal(n.alerts[0]!.fingerprint, 'g1');
  assert.throws(() => parseNotification('alertmanager', body(grafanaBody('k', [{ fingerprint: 'g1' }]))), (e: unknown) => e instanceof PayloadError && /version/.test(e.message));
  assert.throws(() => parseNotification('grafana', body(alertmanagerBody('k', [{ fingerprint: 'g1' }]))), /version/);
});

test('invalid JSON and missing fields are refused with the reason', () => {
  assert.throws(() => parseNotification('alertmanager', Buffer.from('{"version": "4",')), (e: unknown) => e instanceof PayloadError && /^Invalid JSON: /.test(e.message));
  const { groupKey: _gone, ...noKey } = alertmanagerBody('k', [{ fingerprint: 'a' }]);
  assert.throws(() => parseNotification('alertmanager', body(noKey)), /groupKey/);
  const badLabels = alertmanagerBody('k', [{ fingerprint: 'a' }]);
  (badLabels.alerts[0]!.labels as Record<string, unknown>)['severity'] = 3;
  assert.throws(() => parseNotification('alertmanager', body(badLabels)), /alerts\.0\.labels\.severity/);
});

test('an alert without a fingerprint gets a stable one from its labels, whatever their order', () => {
  assert.equal(fingerprintOf({ a: '1', b: '2' }), fingerprintOf({ b: '2', a: '1' }));
  assert.notEqual(fingerprintOf({ a: '1' }), fingerprintOf({ a: '2' }));
});

test('tokens compare by hash in constant time; Grafana signatures with and without timestamp', () => {
  const secret = 's3cret';
  assert.ok(tokenMatches(secret, tokenHash(secret)));
  assert.ok(!tokenMatches('s3cre', tokenHash(secret)));
  assert.ok(!tokenMatches('', tokenHash(secret)));
  const raw = Buffer.from('{"version":"1"}');
  assert.ok(signatureMatches(secret, raw, grafanaSignature(secret, raw), null, now));
  assert.ok(!signatureMatches(secret, Buffer.from('{"version":"1" }'), grafanaSignature(secret, raw), null, now), 'a tampered body');
  assert.ok(!signatureMatches('other', raw, grafanaSignature(secret, raw), null, now), 'another key');
  assert.ok(!signatureMatches(secret, raw, 'zz', null, now), 'not hex');
  const ts = String(Math.floor(now / 1000));
  assert.ok(signatureMatches(secret, raw, grafanaSignature(secret, raw, ts), ts, now));
  assert.ok(!signatureMatches(secret, raw, grafanaSignature(secret, raw), ts, now), 'signed without the timestamp');
  const old = String(Math.floor(now / 1000) - 3600);
  assert.ok(!signatureMatches(secret, raw, grafanaSignature(secret, raw, old), old, now), 'a replayed old signature');
});

test('severity comes from the label through the mapping (case-insensitive), else the most severe alert, else the default', () => {
  const s = { ...SOURCE_DEFAULTS, severityMap: parseSeverityMap('critical=1, Warning=SEV3') };
  assert.equal(severityOf({ commonLabels: { severity: 'CRITICAL' }, alerts: [] }, s), 1);
  assert.equal(severityOf({ commonLabels: { severity: 'warning' }, alerts: [] }, s), 3);
  assert.equal(severityOf({ commonLabels: { severity: 'page-me' }, alerts: [] }, s), 3, 'unmapped: default');
  const mixed = am('k', [{ fingerprint: 'a', severity: 'warning' }, { fingerprint: 'b', severity: 'critical' }]);
  assert.equal(severityOf({ commonLabels: {}, alerts: mixed.alerts }, s), 1);
  assert.equal(severityOf({ commonLabels: {}, alerts: [] }, { ...s, defaultSeverity: 4 }), 4);
  assert.equal(typeOf({ commonLabels: { kind: 'Outage' } }, { typeLabel: 'kind' }), 'Outage');
  assert.equal(typeOf({ commonLabels: { kind: 'Outage' } }, { typeLabel: null }), '');
  assert.throws(() => parseSeverityMap('critical=9'), /critical=9/);
  assert.throws(() => parseSeverityMap('critical'), /label-value=severity/);
});

test('dedupe: a repeat changes nothing; new fingerprints are counted; status changes are changes', () => {
  const first = mergeNotifications(null, [am('k', [{ fingerprint: 'a' }, { fingerprint: 'b' }])], ctx());
  assert.deepEqual(first.added, [2]);
  assert.ok(first.changed && first.group.dirty);
  const again = mergeNotifications(first.group, [am('k', [{ fingerprint: 'a' }, { fingerprint: 'b' }])], ctx({ now: now + 1000 }));
  assert.equal(again.changed, false);
  assert.equal(again.group, first.group, 'the very same record: nothing to write');
  const more = mergeNotifications(first.group, [am('k', [{ fingerprint: 'b', status: 'resolved' }, { fingerprint: 'c' }])], ctx());
  assert.deepEqual(more.added, [1]);
  assert.equal(more.group.alerts['b']!.status, 'resolved');
  assert.equal(more.group.rev, first.group.rev + 1);
});

test('dedupe: the window rolls; a resolved incident starts a new episode on a new firing alert, a dismissed one swallows it', () => {
  const g = mergeNotifications(null, [am('k', [{ fingerprint: 'a' }])], ctx()).group;
  const withIncident = { ...g, incidentId: 'x'.repeat(26), dirty: false };
  const late = mergeNotifications(withIncident, [am('k', [{ fingerprint: 'a' }])], ctx({ now: now + 49 * 3_600_000 }));
  assert.equal(late.group.incidentId, null, 'past the window: a new episode');
  const reopened = mergeNotifications(withIncident, [am('k', [{ fingerprint: 'z' }])], ctx({ incidentClosed: 'resolved' }));
  assert.equal(reopened.group.incidentId, null);
  const noise = mergeNotifications(withIncident, [am('k', [{ fingerprint: 'z' }])], ctx({ incidentClosed: 'dismissed' }));
  assert.equal(noise.group.incidentId, withIncident.incidentId);
  assert.ok(noise.group.alerts['z']);
});

test('the batcher writes concurrent submissions for one key together and keeps keys apart', async () => {
  const writes: Array<[string, number[]]> = [];
  const b = new KeyedBatcher<number, number>(async (key, items) => {
    writes.push([key, [...items]]);
    await new Promise((r) => setTimeout(r, 5));
    return items.map((i) => i * 10);
  });
  const results = await Promise.all([1, 2, 3, 4].map((i) => b.submit('k', i)).concat([b.submit('other', 9)]));
  assert.deepEqual(results, [10, 20, 30, 40, 90]);
  assert.deepEqual(writes, [['k', [1]], ['other', [9]], ['k', [2, 3, 4]]]);
  const failing = new KeyedBatcher<number, number>(async () => {
    throw new Error('kv down');
  });
  await assert.rejects(failing.submit('k', 1), /kv down/);
});
