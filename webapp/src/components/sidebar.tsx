// The right-hand sidebar: tabs (Admin for admins only) following the WAI-ARIA tabs pattern (arrow
// keys, Home/End move between tabs; only the selected tab is in the Tab order). Each tab sits in its own error
// boundary, so one failing tab leaves the others usable.
import React, { useRef } from 'react';
import { useDispatch, useSelector } from 'react-redux';
import { RHS_TABS, selectRhsTab, showNotice, type RhsTab } from '../actions';
import type { GlobalState } from '@mattermost/types/store';
import { getCurrentTeamId, getNotice, getRhsTab, isAdminOf } from '../selectors';
import { AdminTab } from './admin_tab';
import { ErrorBoundary } from './error_boundary';
import { GuildsTab } from './guilds_tab';
import { IncidentsTab } from './incidents_tab';
import { PickTab } from './pick_tab';
import { RfcsTab } from './rfcs_tab';
import { RunsTab } from './runs_tab';

const TAB_TEXT: Record<RhsTab, string> = { incidents: 'Incidents', pick: 'PICK', rfcs: 'RFCs', guilds: 'Guilds', runs: 'Runs', admin: 'Admin' };

export function Sidebar() {
  const dispatch = useDispatch();
  // The Admin tab only for team and system admins, as the host knows the user's roles.
  const admin = useSelector((s: GlobalState) => isAdminOf(s, getCurrentTeamId(s)));
  const tabs: readonly RhsTab[] = admin ? RHS_TABS : RHS_TABS.filter((t) => t !== 'admin');
  const selected = useSelector(getRhsTab);
  const tab = tabs.includes(selected) ? selected : 'incidents';
  const notice = useSelector(getNotice);
  const refs = useRef<Partial<Record<RhsTab, HTMLButtonElement | null>>>({});

  const move = (e: React.KeyboardEvent, index: number) => {
    const last = tabs.length - 1;
    const target = { ArrowRight: index === last ? 0 : index + 1, ArrowLeft: index === 0 ? last : index - 1, Home: 0, End: last }[e.key];
    if (target === undefined) return;
    e.preventDefault();
    const next = tabs[target]!;
    dispatch(selectRhsTab(next));
    refs.current[next]?.focus();
  };

  return (
    <div className='io-root' data-testid='infra-ops-rhs'>
      <div className='io-tabs' role='tablist' aria-label='Infra Ops'>
        {tabs.map((t, i) => (
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
          {tab === 'runs' && <RunsTab />}
          {tab === 'admin' && <AdminTab />}
        </ErrorBoundary>
      </div>
    </div>
  );
}

export const SidebarTitle = () => <span>Infra Ops</span>;
