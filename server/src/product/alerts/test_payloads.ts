/** Test-only: notifications shaped exactly as Alertmanager (v4) and Grafana (v1) send them. */

export interface AlertSpec {
  name?: string;
  fingerprint: string;
  status?: 'firing' | 'resolved';
  severity?: string;
  summary?: string;
  instance?: string;
}

const alertOf = (a: AlertSpec, sev: string) => ({
  status: a.status ?? 'firing',
  labels: { alertname: a.name ?? 'HighLatency', severity: a.severity ?? sev, instance: a.instance ?? `node-${a.fingerprint}`, job: 'api' },
  annotations: { summary: a.summary ?? 'p99 latency above 2s', runbook_url: 'https://runbooks.example/latency' },
  startsAt: '2027-01-04T08:59:30.123Z',
  endsAt: a.status === 'resolved' ? '2027-01-04T09:10:00Z' : '0001-01-01T00:00:00Z',
  generatorURL: 'http://prometheus:9090/graph?g0.expr=latency',
  fingerprint: a.fingerprint,
});

/** An Alertmanager webhook v4 body (notify/webhook Message), with the newer fields receivers must ignore. */
export function alertmanagerBody(groupKey: string, alerts: readonly AlertSpec[], severity = 'critical') {
  const list = alerts.map((a) => alertOf(a, severity));
  return {
    receiver: 'infra-ops',
    status: list.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    alerts: list,
    groupLabels: { alertname: alerts[0]?.name ?? 'HighLatency' },
    commonLabels: { alertname: alerts[0]?.name ?? 'HighLatency', severity, job: 'api' },
    commonAnnotations: { summary: 'p99 latency above 2s' },
    externalURL: 'http://alertmanager:9093',
    version: '4',
    groupKey,
    truncatedAlerts: 0,
    notification_reason: 'first notification',
    routeLabels: { team: 'infra' },
  };
}

/** A Grafana unified alerting webhook body (version 1). */
export function grafanaBody(groupKey: string, alerts: readonly AlertSpec[], severity = 'warning') {
  const base = alertmanagerBody(groupKey, alerts, severity);
  const { notification_reason: _reason, routeLabels: _route, ...rest } = base;
  return {
    ...rest,
    version: '1',
    orgId: 1,
    alerts: rest.alerts.map((a) => ({ ...a, silenceURL: 'http://grafana/silence', dashboardURL: '', panelURL: '', values: { B: 44.2 }, valueString: 'B=44.2' })),
    title: `[${base.status.toUpperCase()}:${alerts.length}] HighLatency`,
    state: base.status === 'firing' ? 'alerting' : 'ok',
    message: 'p99 latency above 2s',
  };
}
