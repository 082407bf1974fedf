import React, { useState } from 'react';
import { useDispatch, useSelector } from 'react-redux';
import type { GlobalState } from '@mattermost/types/store';
import { agendaReceived, guildsReceived, showNotice } from '../actions';
import { deleteGuild, getAgenda as fetchAgenda, listGuilds, queueGuildItem } from '../client';
import { meetingTime } from '../format';
import { agendaLines } from '../guilds/agenda_view';
import { canDeleteGuild, getAgenda, getCurrentChannelId, getCurrentTeamId, getGuilds } from '../selectors';
import { GUILD_LIMITS, WEEKDAYS, WEEKDAY_LABELS, guildKey, type Guild } from '../contract';
import { ErrorText, Loading, UserName } from './common';
import { dateTime } from '../people/display';
import { useLoad, useTimeFormat } from './hooks';

const weekday = (day: number): string => {
  const name = WEEKDAYS[day];
  return name ? WEEKDAY_LABELS[name] : '?';
};

/** Queue a topic for the next meeting, then show the agenda again with it. */
function QueueItem({ guild, onQueued }: { guild: Guild; onQueued: () => void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className='io-row'
      onSubmit={async (e) => {
        e.preventDefault();
        try {
          await queueGuildItem(guild.teamId, guild.slug, text.trim());
          setText('');
          setError(null);
          onQueued();
        } catch (err) {
          setError(err instanceof Error ? err.message : String(err));
        }
      }}
    >
      <input className='io-input' type='text' value={text} onChange={(e) => setText(e.target.value)} placeholder='Topic for the next meeting' aria-label={`Add to the agenda of ${guild.name}`} maxLength={GUILD_LIMITS.queueItem} />
      <button className='io-btn io-btn--ghost' type='submit' disabled={!text.trim()}>
        Queue
      </button>
      <ErrorText error={error} />
    </form>
  );
}

function AgendaView({ guild, now }: { guild: Guild; now: () => number }) {
  const dispatch = useDispatch();
  const agenda = useSelector((s: GlobalState) => getAgenda(s, guild));
  const load = useLoad(async () => dispatch(agendaReceived(await fetchAgenda(guild.teamId, guild.slug))), `agenda:${guildKey(guild)}`);
  const lines = agenda ? agendaLines(agenda, now()) : [];
  return (
    <div id={`io-agenda-${guild.slug}`}>
      <Loading loading={load.loading && !agenda} label='the agenda' />
      <ErrorText error={load.error} />
      {agenda && lines.length === 0 && <div className='io-muted'>Nothing on the agenda yet. Add to it with /guild queue.</div>}
      {lines.length > 0 && (
        <ol aria-label={`Agenda of ${guild.name}`}>
          {lines.map((line) => (
            <li key={line.key}>
              <strong>{line.title}</strong> <span className='io-muted'>({line.source})</span>
              {line.detail && <div className='io-muted'>{line.detail}</div>}
            </li>
          ))}
        </ol>
      )}
      <QueueItem guild={guild} onQueued={load.reload} />
    </div>
  );
}

/**
 * For the guild's creator and admins: deleting asks once more, then deletes; the server sends no
 * event for a delete, so the list is fetched again (`onDeleted`), which drops the guild.
 */
function DeleteGuild({ guild, onDeleted }: { guild: Guild; onDeleted: () => void }) {
  const dispatch = useDispatch();
  const allowed = useSelector((s: GlobalState) => canDeleteGuild(s, guild));
  const [state, setState] = useState<{ asking: boolean; busy: boolean; error: string | null }>({ asking: false, busy: false, error: null });
  if (!allowed) return null;
  if (!state.asking) {
    return (
      <button className='io-btn io-btn--ghost' type='button' onClick={() => setState({ asking: true, busy: false, error: null })}>
        Delete
      </button>
    );
  }
  const remove = async () => {
    setState({ asking: true, busy: true, error: null });
    try {
      await deleteGuild(guild.teamId, guild.slug);
      dispatch(showNotice({ kind: 'ok', text: `Deleted ${guild.name}.` }));
      onDeleted();
    } catch (err) {
      setState({ asking: true, busy: false, error: err instanceof Error ? err.message : String(err) });
    }
  };
  return (
    <div role='group' aria-label={`Delete ${guild.name}`}>
      <div className='io-muted'>Delete {guild.name} with its queue, notes and meeting history? There is no undo.</div>
      <div className='io-actions'>
        <button className='io-btn' type='button' disabled={state.busy} onClick={remove}>
          Delete {guild.name}
        </button>
        <button className='io-btn io-btn--ghost' type='button' disabled={state.busy} onClick={() => setState({ asking: false, busy: false, error: null })}>
          Keep it
        </button>
      </div>
      <ErrorText error={state.error} />
    </div>
  );
}

function Facilitators({ ids }: { ids: readonly string[] }) {
  if (ids.length === 0) return null;
  return (
    <div className='io-muted'>
      run by{' '}
      {ids.map((id, i) => (
        <React.Fragment key={id}>
          {i > 0 && ', '}
          <UserName userId={id} />
        </React.Fragment>
      ))}
    </div>
  );
}

/** The next meeting's facilitator and scribe, and the meetings called off (`/guild skip`). */
function Rota({ rota, skipped }: { rota: Guild['rota']; skipped: readonly string[] }) {
  if (!rota && skipped.length === 0) return null;
  return (
    <div className='io-muted'>
      {rota && (
        <>
          facilitator <UserName userId={rota.facilitator} />
          {rota.scribe && (
            <>
              {', scribe '}
              <UserName userId={rota.scribe} />
            </>
          )}
        </>
      )}
      {rota && skipped.length > 0 && ' · '}
      {skipped.length > 0 && `called off: ${skipped.join(', ')}`}
    </div>
  );
}

export function GuildsTab({ now = Date.now }: { now?: () => number }) {
  const dispatch = useDispatch();
  const teamId = useSelector(getCurrentTeamId);
  const channelId = useSelector(getCurrentChannelId);
  const guilds = useSelector((s: GlobalState) => getGuilds(s, teamId));
  const [open, setOpen] = useState<string | null>(null);
  // Next meetings in the user's own zone and clock, with the guild's local time when that differs.
  const timeFormat = useTimeFormat();
  // Events reach only a guild's channel and a delete sends none: the list is fetched again when the
  // tab opens, the user moves to another channel, or deletes a guild, and replaces what was shown.
  const load = useLoad(async () => dispatch(guildsReceived(teamId, await listGuilds(teamId))), `guilds:${teamId}:${channelId}`);

  return (
    <div>
      <div className='io-h'>Guilds</div>
      <Loading loading={load.loading && guilds.length === 0} label='guilds' />
      <ErrorText error={load.error} />
      {!load.loading && !load.error && guilds.length === 0 && <div className='io-muted'>No guilds yet. Create one with /guild create.</div>}
      <ul className='io-list' aria-label='Guilds'>
        {guilds.map((guild) => (
          <li key={guild.slug} className='io-item' data-guild={guild.slug}>
            <div className='io-row'>
              <span className='io-item-title'>{guild.name}</span>
              <button
                className='io-btn io-btn--ghost'
                type='button'
                aria-expanded={open === guild.slug}
                aria-controls={`io-agenda-${guild.slug}`}
                onClick={() => setOpen(open === guild.slug ? null : guild.slug)}
              >
                {open === guild.slug ? 'Hide agenda' : 'Agenda'}
              </button>
            </div>
            {guild.purpose && <div className='io-muted'>{guild.purpose}</div>}
            <Facilitators ids={guild.facilitators} />
            <div className='io-muted'>
              {weekday(guild.day)}s {guild.time}
              {guild.everyWeeks > 1 ? `, every ${guild.everyWeeks} weeks` : ''}
              {' · '}
              {guild.channelId === null
                ? 'inactive until an admin gives it a channel'
                : guild.nextMeetingAt !== null
                  ? `next ${dateTime(guild.nextMeetingAt, timeFormat)}${timeFormat.timeZone === guild.timeZone ? '' : ` (${meetingTime(guild.nextMeetingAt, guild.timeZone)})`}`
                  : 'no meeting scheduled'}
            </div>
            {guild.channelId !== null && <Rota rota={guild.rota} skipped={guild.skippedDates} />}
            {open === guild.slug && <AgendaView guild={guild} now={now} />}
            <DeleteGuild guild={guild} onDeleted={load.reload} />
          </li>
        ))}
      </ul>
    </div>
  );
}
