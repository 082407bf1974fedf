// One incident in the sidebar: roles, milestones, the latest update and timeline, and the
// responder actions (status update, milestones, follow, resolve/reopen, follow-ups). The server
// decides who may do what; its refusal is shown as it is worded.
import React, { useState } from 'react';
import { useDispatch, useSelector } from 'react-redux';
import type { GlobalState } from '@mattermost/types/store';
import { incidentReceived, openIncident, type OpenIncident } from '../actions';
import * as client from '../client';
import { duration, severityText } from '../format';
import { getCurrentUserId, getIncident } from '../selectors';
import { MILESTONES, MILESTONE_LABELS, ROLE_LABELS, type Incident, type TimelineEntry } from '../contract';
import { ChannelLink, ErrorText, Loading, SeverityBadge, UserName } from './common';
import { dateTime } from '../people/display';
import { useLoad, useMountedState, useTimeFormat } from './hooks';


/** Runs one server action at a time, storing the incident it returns and surfacing refusals. */
function useAction() {
  const dispatch = useDispatch();
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const run = async (call: () => Promise<Incident>): Promise<boolean> => {
    setState({ busy: true, error: null });
    try {
      dispatch(incidentReceived(await call()));
      setState({ busy: false, error: null });
      return true;
    } catch (err) {
      setState({ busy: false, error: err instanceof Error ? err.message : String(err) });
      return false;
    }
  };
  return { ...state, run };
}

/** Follow-up routes answer with the incident and the follow-up. */
const thenIncident = (call: () => Promise<{ incident: Incident }>) => async (): Promise<Incident> => (await call()).incident;

/** Every page of the timeline, oldest first (the server caps a page at 100 entries). */
async function allTimeline(target: OpenIncident): Promise<TimelineEntry[]> {
  const entries: TimelineEntry[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await client.getTimeline(target, cursor);
    entries.push(...page.items);
    if (page.nextCursor === null) return entries;
    cursor = page.nextCursor;
  }
}

function TextAction({ label, button, onSubmit, busy, required = true }: { label: string; button: string; onSubmit: (text: string) => Promise<boolean>; busy: boolean; required?: boolean }) {
  const [text, setText] = useState('');
  const id = `io-${button.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <form
      className='io-form'
      onSubmit={async (e) => {
        e.preventDefault();
        if (await onSubmit(text.trim())) setText('');
      }}
    >
      <label htmlFor={id}>{label}</label>
      <textarea id={id} rows={2} value={text} onChange={(e) => setText(e.target.value)} />
      <div className='io-actions'>
        <button className='io-btn' type='submit' disabled={busy || (required && !text.trim())}>
          {button}
        </button>
      </div>
    </form>
  );
}

export function IncidentDetail({ target, now = Date.now }: { target: OpenIncident; now?: () => number }) {
  const dispatch = useDispatch();
  const incident = useSelector((s: GlobalState) => getIncident(s, target.id));
  const me = useSelector(getCurrentUserId);
  const timeFormat = useTimeFormat();
  const [timeline, setTimeline] = useMountedState<TimelineEntry[]>([]);
  const action = useAction();
  const load = useLoad(async () => {
    if (!incident) dispatch(incidentReceived(await client.getIncident(target)));
  }, `incident:${target.id}`);
  // The timeline is reloaded whenever the record changes (every change adds an entry).
  const timelineLoad = useLoad(async () => setTimeline(await allTimeline(target)), `timeline:${target.id}:${incident?.updatedAt ?? 0}`);

  const back = (
    <button className='io-link' type='button' onClick={() => dispatch(openIncident(null))}>
      ← All incidents
    </button>
  );
  if (!incident) {
    return (
      <div>
        {back}
        <Loading loading={load.loading} label='the incident' />
        <ErrorText error={load.error} />
      </div>
    );
  }

  const active = incident.phase === 'active';
  const time = (at: number) => dateTime(at, timeFormat);
  const following = incident.followers.includes(me);
  return (
    <div aria-label={`${incident.reference}: ${incident.title}`} role='region' data-incident-detail={incident.id}>
      {back}
      <div className='io-h'>
        <SeverityBadge severity={incident.severity} />
        {incident.reference}: {incident.title}
      </div>
      <div className='io-muted'>
        {severityText(incident)} · {incident.phase} · open {duration((incident.milestones.resolved ?? now()) - incident.declaredAt)} ·{' '}
        <ChannelLink channelName={incident.channelName} />
      </div>
      {incident.summary && <p>{incident.summary}</p>}
      <div className='io-muted'>
        {ROLE_LABELS.commander} <UserName userId={incident.roles.commander} /> · {ROLE_LABELS.scribe} <UserName userId={incident.roles.scribe} /> · {ROLE_LABELS.comms}{' '}
        <UserName userId={incident.roles.comms} />
      </div>
      {incident.lastUpdate && (
        <div className='io-item' data-testid='latest-update'>
          <div className='io-muted'>Latest update, {time(incident.lastUpdate.at)}</div>
          {incident.lastUpdate.text}
        </div>
      )}
      <ErrorText error={action.error} />
      <div className='io-h'>Milestones</div>
      <ul className='io-list' aria-label='Milestones'>
        {MILESTONES.map((m) => (
          <li key={m} className='io-row'>
            <span>
              {MILESTONE_LABELS[m]}: {incident.milestones[m] === null ? <span className='io-muted'>not yet</span> : time(incident.milestones[m])}
            </span>
            {active && incident.milestones[m] === null && m !== 'resolved' && (
              <button className='io-btn io-btn--ghost' type='button' disabled={action.busy} onClick={() => action.run(() => client.setMilestone(incident, m))}>
                Mark {m} now
              </button>
            )}
          </li>
        ))}
      </ul>
      {active && <TextAction label='Status update' button='Post update' busy={action.busy} onSubmit={(text) => action.run(() => client.postStatusUpdate(incident, text))} />}
      <div className='io-actions'>
        <button
          className='io-btn io-btn--ghost'
          type='button'
          disabled={action.busy}
          onClick={() => action.run(() => (following ? client.unfollowIncident(incident) : client.followIncident(incident)))}
        >
          {following ? 'Unfollow' : 'Follow updates'}
        </button>
        {!active && incident.phase === 'resolved' && (
          <button className='io-btn io-btn--ghost' type='button' disabled={action.busy} onClick={() => action.run(() => client.reopenIncident(incident))}>
            Reopen
          </button>
        )}
      </div>
      {active && <TextAction label='Resolution summary' button='Resolve' required={false} busy={action.busy} onSubmit={(text) => action.run(() => client.resolveIncident(incident, text || undefined))} />}
      <div className='io-h'>Follow-ups</div>
      {incident.followups.length === 0 && <div className='io-muted'>None yet.</div>}
      <ul className='io-list' aria-label='Follow-ups'>
        {incident.followups.map((f) => (
          <li key={f.n} className='io-row'>
            <span>
              {f.n}. {f.doneAt !== null ? <s>{f.text}</s> : f.text}
              {f.ownerId && (
                <span className='io-muted'>
                  {' '}
                  · <UserName userId={f.ownerId} />
                </span>
              )}
              {f.due && <span className='io-muted'> · due {f.due}</span>}
            </span>
            {f.doneAt === null && (
              <button
                className='io-btn io-btn--ghost'
                type='button'
                disabled={action.busy}
                onClick={() => action.run(thenIncident(() => client.completeFollowup(incident, f.n)))}
              >
                Done
              </button>
            )}
          </li>
        ))}
      </ul>
      <TextAction
        label='New follow-up'
        button='Add follow-up'
        busy={action.busy}
        onSubmit={(text) => action.run(thenIncident(() => client.addFollowup(incident, { text })))}
      />
      <div className='io-h'>Timeline</div>
      <ErrorText error={timelineLoad.error} />
      <ol className='io-list' aria-label='Timeline'>
        {[...timeline].reverse().map((entry) => (
          <li key={entry.seq} className='io-item'>
            <div className='io-muted'>
              {time(entry.at)} · {entry.kind} · <UserName userId={entry.actorId} />
            </div>
            {entry.text}
          </li>
        ))}
      </ol>
    </div>
  );
}
