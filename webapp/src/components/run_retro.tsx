// A run's retrospective in the sidebar: the template's sections, each edited and saved on its own;
// published by the owner (or a team admin) once the run is finished. A run that is finished and
// not published says its owner is reminded daily. When the run changes (`run_changed` fetched it
// again) the retrospective is fetched again; a section being edited keeps its draft.
import React, { useRef, useState } from 'react';
import { getRetro, publishRetro, writeRetroSection } from '../client';
import { RUN_LIMITS, type RetroView, type RunView } from '../contract';
import { dateTime } from '../people/display';
import { ErrorText, Loading, UserName } from './common';
import { useLoad, useMountedState, useTimeFormat } from './hooks';

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

function Section({ retro, index, onSaved }: { retro: RetroView; index: number; onSaved: (retro: RetroView) => void }) {
  const section = retro.sections[index]!;
  const [draft, setDraft] = useState<string | null>(null);
  const [state, setState] = useMountedState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const text = draft ?? section.text;
  const id = `io-retro-${retro.number}-${index}`;
  const published = retro.publishedAt !== null;
  return (
    <form
      className='io-form'
      aria-label={section.title}
      onSubmit={async (e) => {
        e.preventDefault();
        setState({ busy: true, error: null });
        try {
          const saved = await writeRetroSection(retro.teamId, retro.number, index + 1, text);
          setDraft(null);
          setState({ busy: false, error: null });
          onSaved(saved);
        } catch (err) {
          setState({ busy: false, error: message(err) });
        }
      }}
    >
      <label htmlFor={id}>
        {index + 1}. {section.title}
      </label>
      {published ? (
        <div id={id}>{section.text || <span className='io-muted'>(not written)</span>}</div>
      ) : (
        <>
          <textarea id={id} rows={3} value={text} maxLength={RUN_LIMITS.description} onChange={(e) => setDraft(e.target.value)} />
          <div className='io-actions'>
            <button className='io-btn io-btn--ghost' type='submit' disabled={state.busy || draft === null || draft === section.text} aria-label={`Save ${section.title}`}>
              Save
            </button>
            {draft !== null && draft !== section.text && <span className='io-muted'>Not saved yet</span>}
          </div>
        </>
      )}
      <ErrorText error={state.error} />
    </form>
  );
}

export function RetroEditor({ run }: { run: RunView }) {
  const [retro, setRetro] = useMountedState<RetroView | null>(null);
  const [state, setState] = useMountedState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const format = useTimeFormat();
  // The run's view is replaced whenever the run is fetched again (its own actions, `run_changed`):
  // the retrospective is fetched again then. Counted during render, so the first load is the only one on mount.
  const seen = useRef({ run, version: 0 });
  if (seen.current.run !== run) seen.current = { run, version: seen.current.version + 1 };
  const version = seen.current.version;
  const load = useLoad(async () => setRetro(await getRetro(run.teamId, run.number)), `retro:${run.teamId}:${run.number}:${version}`);
  return (
    <section aria-label='Retrospective' data-testid='run-retro'>
      <div className='io-h'>Retrospective</div>
      <Loading loading={load.loading && !retro} label='the retrospective' />
      <ErrorText error={load.error} />
      {retro && (
        <>
          <div className='io-muted' data-testid='retro-state' role='status'>
            {retro.publishedAt !== null ? (
              <>
                Published {dateTime(retro.publishedAt, format)} by <UserName userId={retro.publishedBy} />: it is the record now.
              </>
            ) : retro.reminded ? (
              <>
                Not published: <UserName userId={retro.ownerId} /> is reminded daily until it is.
              </>
            ) : retro.status === 'active' ? (
              'Draft: write it as you go; it can be published once the run is finished.'
            ) : (
              'Draft.'
            )}
          </div>
          {retro.sections.length === 0 && <div className='io-muted'>Its template has no retrospective sections.</div>}
          {retro.sections.map((_s, i) => (
            <Section key={i} retro={retro} index={i} onSaved={setRetro} />
          ))}
          {retro.publishedAt === null && retro.sections.length > 0 && (
            <div className='io-actions'>
              <button
                className='io-btn'
                type='button'
                disabled={state.busy}
                onClick={async () => {
                  setState({ busy: true, error: null });
                  try {
                    setRetro(await publishRetro(run.teamId, run.number));
                    setState({ busy: false, error: null });
                  } catch (err) {
                    setState({ busy: false, error: message(err) });
                  }
                }}
              >
                Publish retrospective
              </button>
            </div>
          )}
          <ErrorText error={state.error} />
        </>
      )}
    </section>
  );
}
