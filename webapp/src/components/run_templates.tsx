// The team's run templates, for team admins (the server refuses others anyway): the list, one
// template's checklists, gates and retrospective sections, its JSON as a download, and an import
// from a file — our JSON or a Playbooks export — whose answer lists what could not be carried over.
import React, { useRef, useState } from 'react';
import { exportTemplate, importTemplate, listTemplates } from '../client';
import { TEMPLATE_DOCUMENT_MAX, type ImportTemplateAnswer, type TemplateDocument, type TemplatePerson, type TemplateSummaryView } from '../contract';
import { downloadText } from '../runs/download';
import { templateSourceOf } from '../runs/run_view';
import { ErrorText, Loading } from './common';
import { useLoad, useMountedState } from './hooks';

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

const personText = (p: TemplatePerson): string => ('role' in p ? p.role : 'user' in p ? `@${p.user}` : `group ${p.group || p.id}`);

function TemplateDetail({ doc }: { doc: TemplateDocument }) {
  const t = doc.template;
  return (
    <div data-testid='template-detail'>
      <div className='io-h'>
        {t.name} ({t.kind})
      </div>
      {t.description && <div>{t.description}</div>}
      <div className='io-muted'>
        Status updates: {t.statusUpdateMinutes === null ? 'never' : `every ${t.statusUpdateMinutes} minutes`} · channel {t.channel.nameTemplate}
        {t.channel.private ? ' (private)' : ''}
      </div>
      {t.checklists.map((list, i) => (
        <section key={i}>
          <div className='io-h'>
            {i + 1}. {list.title}
          </div>
          <ul className='io-list' aria-label={list.title}>
            {list.items.map((it, j) => (
              <li key={j} className='io-muted'>
                {i + 1}.{j + 1} {it.title}
                {it.assignees.length > 0 && ` — ${it.assignees.map(personText).join(', ')}`}
                {it.dueMinutes !== null && ` · due +${it.dueMinutes}m`}
                {it.command && ` · ${it.command}`}
                {it.approval && ` · gate (${it.approval.quorum.kind === 'atLeast' ? `${it.approval.quorum.n ?? 1} of` : it.approval.quorum.kind} ${it.approval.approvers.map(personText).join(', ') || 'named at the start'})`}
              </li>
            ))}
          </ul>
        </section>
      ))}
      {t.retrospective.length > 0 && <div className='io-muted'>Retrospective: {t.retrospective.join(' · ')}</div>}
    </div>
  );
}

function ImportFile({ teamId, onImported }: { teamId: string; onImported: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useMountedState<{ busy: boolean; error: string | null; answer: ImportTemplateAnswer | null }>({ busy: false, error: null, answer: null });
  return (
    <div data-testid='template-import'>
      <label className='io-h' htmlFor='io-template-file'>
        Import a template (our JSON or a Playbooks export)
      </label>
      <input
        id='io-template-file'
        ref={input}
        type='file'
        accept='.json,application/json'
        disabled={state.busy}
        onChange={async (e) => {
          const file = e.target.files?.[0];
          if (!file) return;
          if (file.size > TEMPLATE_DOCUMENT_MAX) {
            setState({ busy: false, error: `${file.name} is too large (at most ${Math.round(TEMPLATE_DOCUMENT_MAX / 1024)} kB).`, answer: null });
            return;
          }
          setState({ busy: true, error: null, answer: null });
          try {
            const document = await file.text();
            const answer = await importTemplate(teamId, { source: templateSourceOf(document), document });
            setState({ busy: false, error: null, answer });
            onImported();
          } catch (err) {
            setState({ busy: false, error: message(err), answer: null });
          }
          if (input.current) input.current.value = '';
        }}
      />
      <ErrorText error={state.error} />
      {state.answer && (
        <div role='status' data-testid='import-answer'>
          <div className='io-ok'>
            Imported “{state.answer.template.name}” as version {state.answer.template.version}: {state.answer.template.items} items, {state.answer.template.gates} gates.
          </div>
          {state.answer.carriedOver.length > 0 && <div className='io-muted'>Carried over: {state.answer.carriedOver.join(', ')}</div>}
          {state.answer.notCarried.length > 0 ? (
            <>
              <div>Not carried over:</div>
              <ul aria-label='Not carried over' data-testid='not-carried'>
                {state.answer.notCarried.map((x, i) => (
                  <li key={i}>{x}</li>
                ))}
              </ul>
            </>
          ) : (
            <div className='io-muted'>Everything was carried over.</div>
          )}
        </div>
      )}
    </div>
  );
}

export function TemplatesView({ teamId }: { teamId: string }) {
  const [items, setItems] = useMountedState<TemplateSummaryView[]>([]);
  const [shown, setShown] = useState<TemplateDocument | null>(null);
  const [state, setState] = useMountedState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const load = useLoad(async () => setItems(await listTemplates(teamId)), `templates:${teamId}`);
  const fetchDoc = async (slug: string, then: (doc: TemplateDocument) => void) => {
    setState({ busy: true, error: null });
    try {
      then(await exportTemplate(teamId, slug));
      setState({ busy: false, error: null });
    } catch (err) {
      setState({ busy: false, error: message(err) });
    }
  };
  return (
    <div data-testid='run-templates'>
      <Loading loading={load.loading && items.length === 0} label='templates' />
      <ErrorText error={load.error} />
      <ul className='io-list' aria-label='Templates'>
        {items.map((t) => (
          <li key={t.slug} className='io-item' data-template={t.slug}>
            <div className='io-item-title'>
              {t.name} <span className='io-muted'>v{t.version}</span>
            </div>
            <div className='io-muted'>
              {t.kind} · {t.items} items · {t.gates} gate{t.gates === 1 ? '' : 's'}
              {t.builtIn ? ' · built in' : ''}
            </div>
            <div className='io-actions'>
              <button className='io-btn io-btn--ghost' type='button' disabled={state.busy} onClick={() => void fetchDoc(t.slug, setShown)} aria-label={`View ${t.name}`}>
                View
              </button>
              <button
                className='io-btn io-btn--ghost'
                type='button'
                disabled={state.busy}
                onClick={() => void fetchDoc(t.slug, (doc) => downloadText(`${t.slug}.json`, `${JSON.stringify(doc, null, 2)}\n`, 'application/json;charset=utf-8'))}
                aria-label={`Export ${t.name} as JSON`}
              >
                Export JSON
              </button>
            </div>
          </li>
        ))}
      </ul>
      <ErrorText error={state.error} />
      {shown && <TemplateDetail doc={shown} />}
      <ImportFile teamId={teamId} onImported={load.reload} />
    </div>
  );
}
