// The `custom_infra_incident` post: the incident card. It renders at once from the snapshot in
// post.props, then shows the live record: fetched on mount through the post's channel (the
// incident's own channel, so it works even when the snapshot is damaged) and kept current by
// websocket events.
import React, { useEffect, useState } from 'react';
import { useDispatch, useSelector } from 'react-redux';
import type { GlobalState } from '@mattermost/types/store';
import { incidentReceived } from '../actions';
import { getChannelIncident } from '../client';
import { duration, severityText } from '../format';
import { cardView, readCardProps, type RoleView } from '../incidents/card_view';
import { dateTime } from '../people/display';
import { getIncident, getSyncEpoch } from '../selectors';
import { showIncident } from '../sidebar_control';
import type { PostTypeProps } from '../types/registry';
import type { Phase } from '../contract';
import { SeverityBadge, UserName } from './common';
import { ErrorBoundary } from './error_boundary';
import { useTimeFormat } from './hooks';

function Role({ role }: { role: RoleView | null }) {
  if (!role) return <>—</>;
  // The host's name for the holder (per the user's display setting, fetched when missing); the
  // card's own snapshot of the username until then.
  return <UserName userId={role.userId} fallback={role.username ? `@${role.username}` : undefined} />;
}

/** The card's status badge; triage and dismissed come from alert intake. */
const PHASE_LABELS: Readonly<Record<Phase, string>> = {
  pending: 'Setting up',
  triage: 'Triage',
  active: 'Active',
  resolved: 'Resolved',
  dismissed: 'Dismissed',
};

/** The card inside an error boundary: the host draws post types without one. */
export function IncidentCard(props: PostTypeProps) {
  return (
    <ErrorBoundary what='this incident card' resetKey={props.post.id}>
      <IncidentCardBody {...props} />
    </ErrorBoundary>
  );
}

function IncidentCardBody({ post }: PostTypeProps) {
  const dispatch = useDispatch();
  const props = readCardProps(post.props);
  const snapshot = props.ok ? props.card : null;
  const [fetchedId, setFetchedId] = useState<string | null>(null);
  const incidentId = props.ok ? props.card.id : (props.incidentId ?? fetchedId);
  const live = useSelector((s: GlobalState) => (incidentId ? getIncident(s, incidentId) : undefined));
  const [refreshError, setRefreshError] = useState<string | null>(null);
  const epoch = useSelector(getSyncEpoch);
  const channelId = post.channel_id;
  const timeFormat = useTimeFormat();

  useEffect(() => {
    let current = true;
    getChannelIncident(channelId).then(
      (incident) => {
        if (!current) return;
        setFetchedId(incident.id);
        dispatch(incidentReceived(incident));
      },
      // A member who left the channel gets 404: the snapshot stays, with a note.
      (err: unknown) => current && setRefreshError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      current = false;
    };
  }, [channelId, dispatch, epoch]);

  const view = cardView(snapshot, live);
  if (!view) {
    return (
      <div className='io-card' role='article'>
        <div className='io-error'>This incident card could not be read ({props.ok ? 'no data' : props.error}).</div>
        <div className='io-muted'>{post.message}</div>
      </div>
    );
  }

  const resolved = view.phase === 'resolved' || view.phase === 'dismissed';
  const classes = ['io-card', `io-card-sev-${view.severity}`, resolved ? 'io-card-resolved' : ''].filter(Boolean).join(' ');
  return (
    <div className={classes} role='article' aria-label={`${view.reference}: ${view.title}`} data-incident-id={view.id} data-live={view.live}>
      <div>
        <SeverityBadge severity={view.severity} />
        <span className={`io-badge${resolved ? ' io-status-resolved' : ''}`}>{PHASE_LABELS[view.phase]}</span>
        <strong>
          {view.reference}: {view.title}
        </strong>
      </div>
      <div className='io-muted'>
        {severityText(view)}
        {view.type ? ` · ${view.type}` : ''}
        {view.private ? ' · private' : ''}
      </div>
      {view.summary && <p>{view.summary}</p>}
      <dl>
        <dt>Commander</dt>
        <dd>
          <Role role={view.commander} />
        </dd>
        <dt>Scribe</dt>
        <dd>
          <Role role={view.scribe} />
        </dd>
        <dt>Comms</dt>
        <dd>
          <Role role={view.comms} />
        </dd>
        {view.lastUpdate && (
          <>
            <dt>Latest update</dt>
            <dd data-testid='card-last-update'>{view.lastUpdate.text}</dd>
          </>
        )}
        <dt>Declared</dt>
        <dd>{dateTime(view.declaredAt, timeFormat)}</dd>
        <dt>{resolved ? 'Duration' : 'Open for'}</dt>
        <dd>{duration((view.resolvedAt ?? Date.now()) - view.declaredAt)}</dd>
        {view.openFollowups > 0 && (
          <>
            <dt>Follow-ups</dt>
            <dd>{view.openFollowups} open</dd>
          </>
        )}
      </dl>
      <div className='io-actions'>
        <button className='io-btn io-btn--ghost' type='button' onClick={() => showIncident(dispatch, view)}>
          Open in Infra Ops sidebar
        </button>
      </div>
      {refreshError && !view.live && <div className='io-muted'>Showing the card as posted; live state unavailable: {refreshError}</div>}
    </div>
  );
}
