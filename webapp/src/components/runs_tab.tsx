// The Runs tab: the team's runs (active first), one run's checklists with its gates (answered from
// the gate's card), item edits, finishing, the retrospective and the report download, starting a
// release from the current channel; the team's templates (admins) and run figures. Buttons are not
// optimistic: the run is drawn again from the server's answer, and `run_changed` fetches it again
// for everyone in its channel.
import React, { useState } from 'react';
import { useDispatch, useSelector } from 'react-redux';
import type { GlobalState } from '@mattermost/types/store';
import { runReceived, runsReceived, showNotice } from '../actions';
import { actOnRunItem, getRun as fetchRun, getRunReport, listRuns, startRun } from '../client';
import { RUN_LIMITS, teamNumberKey, type RunItemView, type RunView } from '../contract';
import { dateTime } from '../people/display';
import { downloadText } from '../runs/download';
import { ITEM_ACTION_TEXT, ITEM_STATE_MARK, itemActions, progressLine } from '../runs/run_view';
import { getCurrentChannelId, getCurrentTeamId, getRun, getRuns, isAdminOf } from '../selectors';
import { ErrorText, Loading, UserName } from './common';
import { useLoad, useMountedState, useTimeFormat } from './hooks';
import { AddItem, FinishRun, GateCard, ItemEditor } from './run_actions';
import { RetroEditor } from './run_retro';
import { StatsView } from './run_stats';
import { TemplatesView } from './run_templates';

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

function StartRelease({ teamId, channelId, onStarted }: { teamId: string; channelId: string; onStarted: (run: RunView) => void }) {
  const [name, setName] = useState('');
  const [state, setState] = useMountedState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  return (
    <form
      className='io-row'
      aria-label='Start a release'
      onSubmit={async (e) => {
        e.preventDefault();
        setState({ busy: true, error: null });
        try {
          const run = await startRun(teamId, { kind: 'release', name: name.trim(), channel_id: channelId });
          setName('');
          setState({ busy: false, error: null });
          onStarted(run);
        } catch (err) {
          setState({ busy: false, error: message(err) });
        }
      }}
    >
      <input className='io-input' type='text' value={name} onChange={(e) => setName(e.target.value)} placeholder='Release name, e.g. 2.4.0' aria-label='Release name' maxLength={RUN_LIMITS.name} />
      <button className='io-btn' type='submit' disabled={!name.trim() || state.busy}>
        Start release
      </button>
      <ErrorText error={state.error} />
    </form>
  );
}

function Item({ run, item, onChanged }: { run: RunView; item: RunItemView; onChanged: (run: RunView) => void }) {
  const [state, setState] = useMountedState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const format = useTimeFormat();
  const act = async (action: 'check' | 'uncheck' | 'skip') => {
    setState({ busy: true, error: null });
    try {
      const next = await actOnRunItem(run.teamId, run.number, item.ref, action);
      setState({ busy: false, error: null });
      onChanged(next);
    } catch (err) {
      setState({ busy: false, error: message(err) });
    }
  };
  return (
    <li className='io-item' data-item-ref={item.ref} data-state={item.state}>
      <div>
        <span aria-hidden='true'>{ITEM_STATE_MARK[item.state]} </span>
        <span className='io-item-title'>
          {item.ref} {item.title}
        </span>
        <span className='io-sr'> ({item.state})</span>
      </div>
      {(item.by || item.due !== null) && (
        <div className='io-muted'>
          {item.by && (
            <>
              {item.state === 'skipped' ? 'skipped' : 'done'} by <UserName userId={item.by} />
            </>
          )}
          {item.due !== null && item.state === 'open' && ` due ${dateTime(item.due, format)}`}
        </div>
      )}
      {item.assignees.length > 0 && (
        <div className='io-muted'>
          assigned to{' '}
          {item.assignees.map((id, i) => (
            <React.Fragment key={id}>
              {i > 0 && ', '}
              <UserName userId={id} />
            </React.Fragment>
          ))}
        </div>
      )}
      {item.gate && <GateCard run={run} item={item} onChanged={onChanged} />}
      {run.status === 'active' && (
        <div className='io-actions'>
          {itemActions(item).map((action) => (
            <button key={action} className='io-btn io-btn--ghost' type='button' disabled={state.busy} onClick={() => void act(action)} aria-label={`${ITEM_ACTION_TEXT[action]} ${item.ref}`}>
              {ITEM_ACTION_TEXT[action]}
            </button>
          ))}
        </div>
      )}
      <ErrorText error={state.error} />
      <ItemEditor run={run} item={item} onChanged={onChanged} />
    </li>
  );
}

function ReportDownloads({ run }: { run: RunView }) {
  const [state, setState] = useMountedState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const save = async (form: 'markdown' | 'html') => {
    setState({ busy: true, error: null });
    try {
      const report = await getRunReport(run.teamId, run.number);
      if (form === 'markdown') downloadText(`${report.filename}.md`, report.markdown, 'text/markdown;charset=utf-8');
      else downloadText(`${report.filename}.html`, report.html, 'text/html;charset=utf-8');
      setState({ busy: false, error: null });
    } catch (err) {
      setState({ busy: false, error: message(err) });
    }
  };
  return (
    <div>
      <div className='io-actions'>
        <button className='io-btn io-btn--ghost' type='button' disabled={state.busy} onClick={() => void save('markdown')}>
          Report (Markdown)
        </button>
        <button className='io-btn io-btn--ghost' type='button' disabled={state.busy} onClick={() => void save('html')}>
          Report (HTML)
        </button>
      </div>
      <ErrorText error={state.error} />
    </div>
  );
}

function RunDetail({ teamId, number, onBack }: { teamId: string; number: number; onBack: () => void }) {
  const dispatch = useDispatch();
  const run = useSelector((s: GlobalState) => getRun(s, teamId, number));
  const load = useLoad(async () => dispatch(runReceived(await fetchRun(teamId, number))), `run:${teamId}:${number}`);
  const format = useTimeFormat();
  const changed = (next: RunView) => dispatch(runReceived(next));
  return (
    <div data-testid='run-detail'>
      <button className='io-link' type='button' onClick={onBack}>
        ← All runs
      </button>
      <Loading loading={load.loading && !run} label='the run' />
      <ErrorText error={load.error} />
      {run && (
        <>
          <div className='io-h'>
            {run.reference} {run.name}
          </div>
          <div className='io-muted'>
            {run.status === 'active' ? 'Active' : 'Finished'} · {run.template.name} v{run.template.version} · owner <UserName userId={run.ownerId} /> · started {dateTime(run.startedAt, format)}
          </div>
          <div className='io-muted' data-testid='run-progress'>
            {progressLine(run)}
          </div>
          {run.checklists.map((list, i) => (
            <section key={i}>
              <div className='io-h'>{list.title}</div>
              <ul className='io-list' aria-label={list.title}>
                {list.items.map((item) => (
                  <Item key={item.ref} run={run} item={item} onChanged={changed} />
                ))}
              </ul>
              <AddItem run={run} list={i} title={list.title} onChanged={changed} />
            </section>
          ))}
          <FinishRun run={run} onChanged={changed} />
          <ReportDownloads run={run} />
          <RetroEditor run={run} />
        </>
      )}
    </div>
  );
}

type RunsView = 'runs' | 'templates' | 'stats';
const VIEW_TEXT: Record<RunsView, string> = { runs: 'Runs', templates: 'Templates', stats: 'Stats' };

/** Runs, Templates (team admins) and Stats: toggle buttons, in the Tab order. */
export function RunsTab() {
  const teamId = useSelector(getCurrentTeamId);
  const admin = useSelector((s: GlobalState) => isAdminOf(s, teamId));
  const [view, setView] = useState<RunsView>('runs');
  const views: RunsView[] = admin ? ['runs', 'templates', 'stats'] : ['runs', 'stats'];
  const shown = views.includes(view) ? view : 'runs';
  return (
    <div>
      <div className='io-subnav' role='group' aria-label='Runs views'>
        {views.map((v) => (
          <button key={v} className='io-btn io-btn--ghost' type='button' aria-pressed={shown === v} onClick={() => setView(v)}>
            {VIEW_TEXT[v]}
          </button>
        ))}
      </div>
      {shown === 'runs' && <RunList />}
      {shown === 'templates' && <TemplatesView teamId={teamId} />}
      {shown === 'stats' && <StatsView teamId={teamId} />}
    </div>
  );
}

function RunList() {
  const dispatch = useDispatch();
  const teamId = useSelector(getCurrentTeamId);
  const channelId = useSelector(getCurrentChannelId);
  const runs = useSelector((s: GlobalState) => getRuns(s, teamId));
  const [open, setOpen] = useState<number | null>(null);
  // `run_changed` reaches only a run's channel: the list is fetched again on opening the tab and on
  // moving to another channel.
  const load = useLoad(async () => dispatch(runsReceived(teamId, await listRuns(teamId))), `runs:${teamId}:${channelId}`);

  if (open !== null) return <RunDetail teamId={teamId} number={open} onBack={() => setOpen(null)} />;
  return (
    <div>
      <div className='io-h'>Runs</div>
      {channelId ? (
        <StartRelease
          teamId={teamId}
          channelId={channelId}
          onStarted={(run) => {
            dispatch(runReceived(run));
            dispatch(showNotice({ kind: 'ok', text: `${run.reference} started; it has a channel of its own.` }));
            setOpen(run.number);
          }}
        />
      ) : (
        <div className='io-muted'>Open a channel to start a release from it.</div>
      )}
      <Loading loading={load.loading && runs.length === 0} label='runs' />
      <ErrorText error={load.error} />
      {!load.loading && !load.error && runs.length === 0 && <div className='io-muted'>No runs yet. Start a release above or with /run start.</div>}
      <ul className='io-list' aria-label='Runs'>
        {runs.map((run) => (
          <li key={teamNumberKey(run)} className='io-item' data-run-id={teamNumberKey(run)}>
            <div>
              <span className={`io-badge${run.status === 'finished' ? ' io-status-resolved' : ''}`}>{run.status === 'active' ? 'Active' : 'Finished'}</span>
              <button className='io-link io-item-title' type='button' onClick={() => setOpen(run.number)}>
                {run.reference} {run.name}
              </button>
            </div>
            <div className='io-muted'>
              {run.kind} · owner <UserName userId={run.ownerId} /> · {progressLine(run)}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
