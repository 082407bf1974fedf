// The PICK 2x2 chart as SVG: quadrants split at the threshold, each revealed idea at its median
// (cost, payoff) with inter-quartile whiskers. Points are focusable buttons; hovering or focusing
// one shows its details below the chart (announced politely to screen readers).
import React, { useMemo, useState } from 'react';
import { formatScore } from '../format';
import { defaultLayout, plotIdeas, quadrantRects, scaleFor, ticks, type PlottedIdea } from '../pick/geometry';
import { QUADRANTS, QUADRANT_LABELS, teamNumberKey, type Idea } from '../contract';

export function ideaSummary(p: PlottedIdea): string {
  const r = p.result;
  return (
    `${p.idea.reference} ${p.idea.title}: ${QUADRANT_LABELS[r.quadrant]}, payoff ${formatScore(r.payoff.median)} ` +
    `(IQR ${formatScore(r.payoff.q1)}–${formatScore(r.payoff.q3)}), cost ${formatScore(r.cost.median)} ` +
    `(IQR ${formatScore(r.cost.q1)}–${formatScore(r.cost.q3)}), ${r.count} scorer${r.count === 1 ? '' : 's'}` +
    (r.disputed ? ', disputed' : '')
  );
}

export function PickChart({ ideas, threshold, onSelect }: { ideas: readonly Idea[]; threshold: number; onSelect?: (idea: Idea) => void }) {
  const layout = useMemo(() => defaultLayout(threshold), [threshold]);
  const scale = useMemo(() => scaleFor(layout), [layout]);
  const rects = useMemo(() => quadrantRects(layout), [layout]);
  const points = useMemo(() => plotIdeas(ideas, layout), [ideas, layout]);
  const [active, setActive] = useState<string | null>(null);
  const shown = points.find((p) => teamNumberKey(p.idea) === active);
  const { plot } = scale;
  const bottom = plot.y + plot.height;

  return (
    <div>
      <svg
        className='io-chart'
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        role='group'
        aria-label={`PICK chart: ${points.length} idea${points.length === 1 ? '' : 's'}; payoff upwards, cost to the right, threshold ${formatScore(threshold)}`}
      >
        {QUADRANTS.map((q) => {
          const r = rects[q];
          return (
            <g key={q} data-quadrant={q}>
              <rect className={`io-q-${q}`} x={r.x} y={r.y} width={r.width} height={r.height} />
              <text className='io-qlabel' x={q === 'implement' || q === 'possible' ? r.x + 6 : r.x + r.width - 6} y={q === 'implement' || q === 'challenge' ? r.y + 16 : r.y + r.height - 6} textAnchor={q === 'implement' || q === 'possible' ? 'start' : 'end'}>
                {QUADRANT_LABELS[q]}
              </text>
            </g>
          );
        })}
        <line className='io-axis' x1={plot.x} y1={bottom} x2={plot.x + plot.width} y2={bottom} />
        <line className='io-axis' x1={plot.x} y1={plot.y} x2={plot.x} y2={bottom} />
        {ticks().map((t) => (
          <g key={t} aria-hidden='true'>
            <text x={scale.x(t)} y={bottom + 14} textAnchor='middle'>
              {t}
            </text>
            <text x={plot.x - 6} y={scale.y(t) + 4} textAnchor='end'>
              {t}
            </text>
          </g>
        ))}
        <text x={plot.x + plot.width / 2} y={layout.height - 4} textAnchor='middle' aria-hidden='true'>
          Cost / risk →
        </text>
        <text x={12} y={plot.y + plot.height / 2} textAnchor='middle' transform={`rotate(-90 12 ${plot.y + plot.height / 2})`} aria-hidden='true'>
          Payoff →
        </text>
        <line className='io-threshold' x1={scale.x(threshold)} y1={plot.y} x2={scale.x(threshold)} y2={bottom} />
        <line className='io-threshold' x1={plot.x} y1={scale.y(threshold)} x2={plot.x + plot.width} y2={scale.y(threshold)} />
        {points.map((p) => (
          <g key={teamNumberKey(p.idea)}>
            <line className='io-whisker' x1={p.costWhisker[0]} y1={p.cy} x2={p.costWhisker[1]} y2={p.cy} aria-hidden='true' />
            <line className='io-whisker' x1={p.cx} y1={p.payoffWhisker[0]} x2={p.cx} y2={p.payoffWhisker[1]} aria-hidden='true' />
          </g>
        ))}
        {points.map((p) => (
          <circle
            key={teamNumberKey(p.idea)}
            className={`io-point io-${p.result.quadrant}${active === teamNumberKey(p.idea) ? ' io-selected' : ''}`}
            cx={p.cx}
            cy={p.cy}
            r={p.result.disputed ? 7 : 6}
            strokeDasharray={p.result.disputed ? '2 2' : undefined}
            tabIndex={0}
            role='button'
            aria-label={ideaSummary(p)}
            data-idea-id={teamNumberKey(p.idea)}
            data-quadrant={p.result.quadrant}
            onMouseEnter={() => setActive(teamNumberKey(p.idea))}
            onFocus={() => setActive(teamNumberKey(p.idea))}
            onClick={() => onSelect?.(p.idea)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                onSelect?.(p.idea);
              }
            }}
          />
        ))}
      </svg>
      <div className='io-tooltip' aria-live='polite' data-testid='pick-details'>
        {shown ? ideaSummary(shown) : <span className='io-muted'>Hover or focus a point for details.</span>}
      </div>
    </div>
  );
}
