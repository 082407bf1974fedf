import React, { useEffect, useRef, useState } from 'react';
import { useDispatch, useSelector } from 'react-redux';
import type { GlobalState } from '@mattermost/types/store';
import { incidentsReceived, moreIncidentsReceived, openDeclareForm, openIncident } from '../actions';
import { listIncidents } from '../client';
import { duration, severityText } from '../format';
import { getActiveIncidents, getCurrentChannelId, getCurrentTeamId, getDeclareDraft, getOpenIncident } from '../selectors';
import { INCIDENTS_SIDEBAR_PAGE, type Incident } from '../contract';
import { ChannelLink, ErrorText, Loading, SeverityBadge, UserName } from './common';
import { DeclareForm } from './declare_form';
import { IncidentDetail } from './incident_detail';
import { IncidentMetricsLine } from './incident_metrics';
import { useLoad } from './hooks';

export function IncidentsTab({ now = Date.now }: { now?: () => number }) {
  const dispatch = useDispatch();
  const teamId = useSelector(getCurrentTeamId);
  const channelId = useSelector(getCurrentChannelId);
  const draft = useSelector(getDeclareDraft);
  const open = useSelector(getOpenIncident);
  const incidents = useSelector((s: GlobalState) => getActiveIncidents(s, teamId));
  const [declared, setDeclared] = useState<{ incident: Incident; warnings: string[] } | null>(null);
  // Where "Show more" continues; null when the list has no more.
  const [next, setNext] = useState<string | null>(null);
  const [more, setMore] = useState<{ loading: boolean; error: string | null }>({ loading: false, error: null });
  // A "Show more" answer that arrives after the list was fetched again, or after the tab closed,
  // is dropped.
  const generation = useRef(0);
  useEffect(
    () => () => {
      generation.current++;
    },
    [],
  );
  // Events reach only an incident's own channel: the list's first page, most severe first, is
  // fetched again whenever the tab opens or the user moves to another channel, and replaces what
  // was shown.
  const load = useLoad(async () => {
    const mine = ++generation.current;
    setMore({ loading: false, error: null });
    const page = await listIncidents(teamId, { state: 'active', sort: 'severity', per_page: INCIDENTS_SIDEBAR_PAGE });
    if (mine !== generation.current) return;
    dispatch(incidentsReceived(teamId, page.items));
    setNext(page.nextCursor);
  }, `incidents:${teamId}:${channelId}`);
  const showMore = (cursor: string) => {
    const mine = generation.current;
    setMore({ loading: true, error: null });
    listIncidents(teamId, { state: 'active', sort: 'severity', per_page: INCIDENTS_SIDEBAR_PAGE, cursor }).then(
      (page) => {
        if (mine !== generation.current) return;
        dispatch(moreIncidentsReceived(page.items));
        setNext(page.nextCursor);
        setMore({ loading: false, error: null });
      },
      (err: unknown) => mine === generation.current && setMore({ loading: false, error: err instanceof Error ? err.message : String(err) }),
    );
  };

  if (open) return <IncidentDetail target={open} now={now} />;
  if (draft) return <DeclareForm draft={draft} onDeclared={(incident, warnings) => setDeclared({ incident, warnings })} />;

  return (
    <div>
      <div className='io-row'>
        <span className='io-h'>Active incidents</span>
        <button className='io-btn' type='button' onClick={() => dispatch(openDeclareForm({ title: '', summary: '' }))}>
          Declare incident
        </button>
      </div>
      {declared && (
        <div className='io-ok' role='status' data-testid='declared'>
          {declared.incident.reference} declared. <ChannelLink channelName={declared.incident.channelName}>Go to ~{declared.incident.channelName}</ChannelLink>
          {declared.warnings.map((w) => (
            <div key={w} className='io-muted'>
              {w}
            </div>
          ))}
        </div>
      )}
      <IncidentMetricsLine teamId={teamId} />
      <Loading loading={load.loading && incidents.length === 0} label='incidents' />
      <ErrorText error={load.error} />
      {!load.loading && !load.error && incidents.length === 0 && <div className='io-muted'>No active incidents.</div>}
      <ul className='io-list' aria-label='Active incidents'>
        {incidents.map((incident) => (
          <li key={incident.id} className='io-item' data-incident-id={incident.id}>
            <div>
              <SeverityBadge severity={incident.severity} />
              <button className='io-link io-item-title' type='button' onClick={() => dispatch(openIncident(incident))}>
                {incident.reference} {incident.title}
              </button>
            </div>
            <div className='io-muted'>
              {severityText(incident)} · commander <UserName userId={incident.roles.commander} /> · open {duration(now() - incident.declaredAt)}
              {incident.channelName ? ' · ' : ''}
              <ChannelLink channelName={incident.channelName} />
            </div>
          </li>
        ))}
      </ul>
      <ErrorText error={more.error} />
      {next !== null && !load.loading && (
        <button className='io-btn' type='button' disabled={more.loading} onClick={() => showMore(next)}>
          {more.loading ? 'Loading…' : 'Show more'}
        </button>
      )}
    </div>
  );
}
