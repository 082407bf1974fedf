import React, { useState } from 'react';
import { useDispatch, useSelector } from 'react-redux';
import type { GlobalState } from '@mattermost/types/store';
import { boardReceived, ideaReceived, rfcReceived, showNotice } from '../actions';
import { addIdea, createRfc, getIdea, listIdeas, revealIdea, scoreIdea } from '../client';
import { getChartIdeas, getCurrentChannelId, getCurrentTeamId, getCurrentUserId, getIdeasBeingScored, getPickThreshold } from '../selectors';
import { MIN_SCORES_TO_REVEAL, PICK_LIMITS, QUADRANT_LABELS, rfcReference, teamNumberKey, type Idea } from '../contract';
import { ErrorText, Loading } from './common';
import { useLoad, useMountedState } from './hooks';
import { PickChart } from './pick_chart';

const SCORES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
/** The chart shows the newest ideas in scope; the server caps a page at 100. */
const BOARD_PAGE = 100;

function ScoreForm({ idea }: { idea: Idea }) {
  const dispatch = useDispatch();
  const myScore = idea.viewer?.myScore ?? null;
  const [payoff, setPayoff] = useState(myScore?.payoff ?? 5);
  const [cost, setCost] = useState(myScore?.cost ?? 5);
  const [state, setState] = useMountedState<{ busy: boolean; error: string | null; done: boolean }>({ busy: false, error: null, done: false });
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setState({ busy: true, error: null, done: false });
    try {
      dispatch(ideaReceived((await scoreIdea(idea.teamId, idea.number, payoff, cost)).idea));
      setState({ busy: false, error: null, done: true });
    } catch (err) {
      setState({ busy: false, error: err instanceof Error ? err.message : String(err), done: false });
    }
  };
  const select = (label: string, value: number, set: (v: number) => void) => (
    <label className='io-muted'>
      {label}{' '}
      <select value={value} onChange={(e) => set(Number(e.target.value))} aria-label={`${label} for ${idea.reference}`}>
        {SCORES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <form className='io-row' onSubmit={submit}>
      {select('Payoff', payoff, setPayoff)}
      {select('Cost', cost, setCost)}
      <button className='io-btn io-btn--ghost' type='submit' disabled={state.busy}>
        {state.done || myScore ? 'Change score' : 'Score'}
      </button>
      <ErrorText error={state.error} />
    </form>
  );
}

/**
 * The owner may reveal before everyone asked has scored, but never with fewer than
 * MIN_SCORES_TO_REVEAL scores: a reveal of one would expose that person's private score.
 */
function RevealButton({ idea }: { idea: Idea }) {
  const dispatch = useDispatch();
  const [error, setError] = useMountedState<string | null>(null);
  const enough = idea.scoredCount >= MIN_SCORES_TO_REVEAL;
  const hintId = `io-reveal-hint-${idea.number}`;
  return (
    <>
      <button
        className='io-btn io-btn--ghost'
        type='button'
        disabled={!enough}
        aria-describedby={enough ? undefined : hintId}
        onClick={async () => {
          try {
            dispatch(ideaReceived(await revealIdea(idea.teamId, idea.number)));
          } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
          }
        }}
      >
        Reveal now
      </button>
      {!enough && (
        <span className='io-muted' id={hintId}>
          A reveal needs at least {MIN_SCORES_TO_REVEAL} scores, so no one&apos;s score is exposed.
        </span>
      )}
      <ErrorText error={error} />
    </>
  );
}

/** A Challenge idea offers to open an RFC; the server links the two. */
function OpenRfc({ idea }: { idea: Idea }) {
  const dispatch = useDispatch();
  const [state, setState] = useMountedState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const open = async () => {
    setState({ busy: true, error: null });
    try {
      const rfc = await createRfc(idea.teamId, { title: idea.title, channel_id: idea.channelId, idea: idea.number });
      dispatch(rfcReceived(rfc));
      dispatch(ideaReceived(await getIdea(idea.teamId, idea.number)));
      dispatch(showNotice({ kind: 'ok', text: `${rfcReference(rfc.number)} opened for ${idea.reference}.` }));
      setState({ busy: false, error: null });
    } catch (err) {
      setState({ busy: false, error: err instanceof Error ? err.message : String(err) });
    }
  };
  return (
    <div className='io-actions'>
      <button className='io-btn io-btn--ghost' type='button' disabled={state.busy} onClick={open}>
        Open an RFC
      </button>
      <ErrorText error={state.error} />
    </div>
  );
}

function AddIdea({ teamId, channelId }: { teamId: string; channelId: string }) {
  const dispatch = useDispatch();
  const [title, setTitle] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!title.trim()) return;
    try {
      dispatch(ideaReceived(await addIdea(teamId, { channel_id: channelId, title: title.trim() })));
      setTitle('');
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <form onSubmit={submit} aria-label='Add a PICK idea'>
      <div className='io-row'>
        <input className='io-input' type='text' value={title} onChange={(e) => setTitle(e.target.value)} placeholder='New idea for this channel' aria-label='Idea title' maxLength={PICK_LIMITS.title} />
        <button className='io-btn' type='submit' disabled={!title.trim()}>
          Add
        </button>
      </div>
      <ErrorText error={error} />
    </form>
  );
}

export function PickTab() {
  const dispatch = useDispatch();
  const teamId = useSelector(getCurrentTeamId);
  const channelId = useSelector(getCurrentChannelId);
  const [teamWide, setTeamWide] = useState(false);
  const chartIdeas = useSelector(getChartIdeas);
  const scoring = useSelector(getIdeasBeingScored);
  const threshold = useSelector((s: GlobalState) => getPickThreshold(s));
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = chartIdeas.find((i) => teamNumberKey(i) === selectedId) ?? null;
  const me = useSelector(getCurrentUserId);
  // With no current channel (the host's Threads view, for one) the board is the whole team's and
  // nothing can be added: an idea needs a channel.
  const noChannel = !channelId;
  const scopeChannel = teamWide || noChannel ? null : channelId;
  // Idea events reach only the idea's channel: the whole-team board is fetched again when the user
  // moves to another channel (and whenever the tab opens), not only when its scope changes.
  const load = useLoad(async () => {
    const page = await listIdeas(teamId, { channel_id: scopeChannel ?? undefined, filter: 'all', per_page: BOARD_PAGE });
    dispatch(boardReceived({ teamId, channelId: scopeChannel }, page));
  }, `board:${teamId}:${scopeChannel ?? '*'}:${channelId}`);

  return (
    <div>
      <div className='io-row'>
        <span className='io-h'>PICK chart</span>
        <label className='io-muted'>
          <input type='checkbox' checked={teamWide || noChannel} disabled={noChannel} onChange={(e) => setTeamWide(e.target.checked)} /> Whole team
        </label>
      </div>
      <Loading loading={load.loading} label='the board' />
      <ErrorText error={load.error} />
      <PickChart ideas={chartIdeas} threshold={threshold} onSelect={(idea) => setSelectedId(teamNumberKey(idea))} />
      {selected?.revealed && (
        <div className='io-item' aria-label='Selected idea'>
          <div className='io-item-title'>
            {selected.reference} {selected.title}
          </div>
          <div className='io-muted'>
            {QUADRANT_LABELS[selected.revealed.quadrant]}
            {selected.revealed.disputed ? ' · wide spread: discuss' : ''}
            {selected.rfcNumber !== null ? ` · ${rfcReference(selected.rfcNumber)}` : ''}
          </div>
          {selected.revealed.quadrant === 'challenge' && selected.rfcNumber === null && <OpenRfc idea={selected} />}
        </div>
      )}
      <div className='io-h'>Being scored</div>
      {scoring.length === 0 && <div className='io-muted'>No ideas waiting for scores.</div>}
      <ul className='io-list' aria-label='Ideas being scored'>
        {scoring.map((idea) => (
          <li key={teamNumberKey(idea)} className='io-item' data-idea-id={teamNumberKey(idea)}>
            <div className='io-item-title'>
              {idea.reference} {idea.title}
            </div>
            <div className='io-muted'>
              round {idea.round} · {idea.scoredCount}
              {idea.askedCount ? `/${idea.askedCount}` : ''} scored (hidden until revealed)
              {idea.viewer?.myScore ? ` · your score: payoff ${idea.viewer.myScore.payoff}, cost ${idea.viewer.myScore.cost}` : ''}
              {idea.viewer?.awaitingMyScore ? ' · waiting for your score' : ''}
            </div>
            <ScoreForm idea={idea} />
            {idea.ownerId === me && <RevealButton idea={idea} />}
          </li>
        ))}
      </ul>
      {noChannel ? (
        <div className='io-muted' data-testid='pick-no-channel'>
          Open a channel to add an idea to its board.
        </div>
      ) : (
        <AddIdea teamId={teamId} channelId={channelId} />
      )}
    </div>
  );
}
