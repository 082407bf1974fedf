// The right-hand sidebar: four tabs following the WAI-ARIA tabs pattern (arrow keys, Home/End
// move between tabs; only the selected tab is in the Tab order). Each tab sits in its own error
// boundary, so one failing tab leaves the others usable.
import React, { useRef } from 'react';
import { useDispatch, useSelector } from 'react-redux';
import { RHS_TABS, selectRhsTab, showNotice, type RhsTab } from '../actions';
import { getNotice, getRhsTab } from '../selectors';
import { ErrorBoundary } from './error_boundary';
import { GuildsTab } from './guilds_tab';
import { IncidentsTab } from './incidents_tab';
import { PickTab } from './pick_tab';
import { RfcsTab } from './rfcs_tab';

const TAB_TEXT: Record<RhsTab, string> = { incidents: 'Incidents', pick: 'PICK', rfcs: 'RFCs', guilds: 'Guilds' };

export function Sidebar() {
  const dispatch = useDispatch();
  const tab = useSelector(getRhsTab);
  const notice = useSelector(getNotice);
  const refs = useRef<Partial<Record<RhsTab, HTMLButtonElement | null>>>({});

  const move = (e: React.KeyboardEvent, index: number) => {
    const last = RHS_TABS.length - 1;
    const target = { ArrowRight: index === last ? 0 : index + 1, ArrowLeft: index === 0 ? last : index - 1, Home: 0, End: last }[e.key];
    if (target === undefined) return;
    e.preventDefault();
    const next = RHS_TABS[target]!;
    dispatch(selectRhsTab(next));
    refs.current[next]?.focus();
  };

  return (
    <div className='io-root' data-testid='infra-ops-rhs'>
      <div className='io-tabs' role='tablist' aria-label='Infra Ops'>
        {RHS_TABS.map((t, i) => (
          <button
            key={t}
            ref={(el) => {
              refs.current[t] = el;
            }}
            className='io-tab'
            role='tab'
            id={`io-tab-${t}`}
            aria-selected={tab === t}
            aria-controls={`io-panel-${t}`}
            tabIndex={tab === t ? 0 : -1}
            onClick={() => dispatch(selectRhsTab(t))}
            onKeyDown={(e) => move(e, i)}
          >
            {TAB_TEXT[t]}
          </button>
        ))}
      </div>
      {notice && (
        <div className={`io-row io-notice ${notice.kind === 'error' ? 'io-error' : 'io-ok'}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          <span>{notice.text}</span>
          <button className='io-link' type='button' onClick={() => dispatch(showNotice(null))} aria-label='Dismiss'>
            ×
          </button>
        </div>
      )}
      <div className='io-panel' role='tabpanel' id={`io-panel-${tab}`} aria-labelledby={`io-tab-${tab}`}>
        <ErrorBoundary what={`the ${TAB_TEXT[tab]} tab`} resetKey={tab}>
          {tab === 'incidents' && <IncidentsTab />}
          {tab === 'pick' && <PickTab />}
          {tab === 'rfcs' && <RfcsTab />}
          {tab === 'guilds' && <GuildsTab />}
        </ErrorBoundary>
      </div>
    </div>
  );
}

export const SidebarTitle = () => <span>Infra Ops</span>;
