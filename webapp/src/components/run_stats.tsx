// Run figures per template, over the team's runs the reader can see: a small SVG chart (runs
// started and finished; median times to first action — an incident's MTTA —, to finish — its MTTR
// —, and in approval) and the same figures as a table, with the share of due items done on time.
import React from 'react';
import { getRunStats } from '../client';
import type { RunStatsView } from '../contract';
import { countBars, minutesText, onTimeText, timeBars, type StatsBar } from '../runs/run_view';
import { ErrorText, Loading } from './common';
import { useLoad, useMountedState } from './hooks';

const W = 380;
const LABEL = 130;
const BAR = 12;
const GAP = 4;
const ROW_GAP = 10;

function Bars({ bars, y, kind }: { bars: readonly StatsBar[]; y: number; kind: string }) {
  const span = W - LABEL - 60;
  return (
    <>
      {bars.map((b, i) => (
        <g key={i}>
          <rect className={`io-bar io-bar-${kind}-${i}`} x={LABEL} y={y + i * (BAR + GAP)} width={Math.max(1, b.share * span)} height={BAR} rx={2} />
          <text x={LABEL + Math.max(1, b.share * span) + 4} y={y + i * (BAR + GAP) + BAR - 2}>
            {b.label}
          </text>
        </g>
      ))}
    </>
  );
}

/** Rows of bars, one row per template; a row's height follows its bar count. */
export function RunStatsChart({ stats }: { stats: readonly RunStatsView[] }) {
  const counts = countBars(stats);
  const times = timeBars(stats);
  const rows = stats.map((s, i) => ({ template: s.template, bars: [counts[i]!.started, counts[i]!.finished], times: times[i]!.bars }));
  let y = 18;
  const placed = rows.map((r) => {
    const at = y;
    const n = r.bars.length + r.times.length;
    y += n * (BAR + GAP) + ROW_GAP;
    return { ...r, y: at };
  });
  const height = Math.max(40, y);
  return (
    <svg className='io-chart' viewBox={`0 0 ${W} ${height}`} role='img' aria-labelledby='io-stats-title' data-testid='run-stats-chart'>
      <title id='io-stats-title'>
        {stats.length === 0
          ? 'No runs yet'
          : stats.map((s) => `${s.template}: ${s.started} started, ${s.finished} finished, to finish ${minutesText(s.medianDuration)}, in approval ${minutesText(s.medianApproval)}`).join('; ')}
      </title>
      <text x={0} y={12} className='io-qlabel'>
        Runs and median times per template
      </text>
      {placed.map((r) => (
        <g key={r.template} data-template={r.template}>
          <text x={0} y={r.y + BAR - 2}>
            {r.template.length > 20 ? `${r.template.slice(0, 19)}…` : r.template}
          </text>
          <Bars bars={r.bars} y={r.y} kind='count' />
          <Bars bars={r.times} y={r.y + r.bars.length * (BAR + GAP)} kind='time' />
        </g>
      ))}
    </svg>
  );
}

export function StatsView({ teamId }: { teamId: string }) {
  const [stats, setStats] = useMountedState<RunStatsView[] | null>(null);
  const load = useLoad(async () => setStats(await getRunStats(teamId)), `run-stats:${teamId}`);
  return (
    <div data-testid='run-stats'>
      <Loading loading={load.loading && !stats} label='run figures' />
      <ErrorText error={load.error} />
      {stats && stats.length === 0 && <div className='io-muted'>No runs yet.</div>}
      {stats && stats.length > 0 && (
        <>
          <RunStatsChart stats={stats} />
          <table className='io-table' aria-label='Run figures per template'>
            <thead>
              <tr>
                <th scope='col'>Template</th>
                <th scope='col'>Started</th>
                <th scope='col'>Finished</th>
                <th scope='col' title='Median time from the start to the first item checked (an incident runbook: MTTA)'>
                  MTTA
                </th>
                <th scope='col' title='Median time from the start to the finish (an incident: MTTR)'>
                  MTTR
                </th>
                <th scope='col'>In approval</th>
                <th scope='col'>On time</th>
              </tr>
            </thead>
            <tbody>
              {stats.map((s) => (
                <tr key={s.template}>
                  <th scope='row'>{s.template}</th>
                  <td>{s.started}</td>
                  <td>{s.finished}</td>
                  <td>{minutesText(s.medianFirstAction)}</td>
                  <td>{minutesText(s.medianDuration)}</td>
                  <td>{minutesText(s.medianApproval)}</td>
                  <td>{onTimeText(s)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className='io-muted'>Medians over the runs you can see. MTTA: start to the first item done; MTTR: start to finish.</div>
        </>
      )}
    </div>
  );
}
