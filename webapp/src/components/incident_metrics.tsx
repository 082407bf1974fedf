// One line of team figures above the incident list: how many, how fast (median MTTA/MTTR, measured
// from detection) and what is still owed (follow-ups, reviews). Loaded once per team and reconnect.
import React from 'react';
import { getIncidentMetrics } from '../client';
import { duration } from '../format';
import type { IncidentMetrics } from '../contract';
import { useLoad, useMountedState } from './hooks';

const median = (minutes: number | null) => (minutes === null ? '—' : duration(minutes * 60_000));

export function IncidentMetricsLine({ teamId }: { teamId: string }) {
  const [metrics, setMetrics] = useMountedState<IncidentMetrics | null>(null);
  // Figures are a nicety: a failure leaves the line out rather than alarming anyone.
  useLoad(async () => setMetrics(await getIncidentMetrics(teamId, 90)), `metrics:${teamId}`);
  if (!metrics) return null;
  return (
    <div className='io-muted' data-testid='incident-metrics'>
      Last 90 days: {metrics.total} incident{metrics.total === 1 ? '' : 's'} · median MTTA {median(metrics.mtta.medianMinutes)} · median MTTR{' '}
      {median(metrics.mttr.medianMinutes)} · {metrics.openFollowups} open follow-up{metrics.openFollowups === 1 ? '' : 's'} · {metrics.awaitingReview} awaiting review
    </div>
  );
}
