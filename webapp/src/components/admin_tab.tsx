// The Admin tab (team and system admins; the sidebar hides it from others, and the server refuses
// them anyway): alert sources and outgoing webhooks, each secret shown once, when it is made or
// rotated; the team's status page; where calendar links come from.
import React, { useState } from 'react';
import { useSelector } from 'react-redux';
import type { GlobalState } from '@mattermost/types/store';
import {
  addWebhook,
  createAlertSource,
  listAlertSources,
  listWebhooks,
  removeAlertSource,
  removeWebhook,
  rotateAlertSource,
  rotateWebhook,
  sitePath,
} from '../client';
import { ALERT_SOURCE_TYPES, PLUGIN_ID, TOKEN_HEADER, WEBHOOK_EVENT_TYPES, WEBHOOK_HEADERS, WEBHOOK_LIMITS, type AlertSourceType, type AlertSourceView, type WebhookView } from '../contract';
import { getCurrentTeamId, getSiteURL } from '../selectors';
import { ErrorText, Loading } from './common';
import { useLoad, useMountedState } from './hooks';

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** A secret from a create or rotate answer: on screen until dismissed, never fetched again. */
export interface ShownSecret {
  what: string;
  secret: string;
  url?: string;
}

function SecretOnce({ shown, onDone }: { shown: ShownSecret; onDone: () => void }) {
  return (
    <div className='io-tooltip' role='status' data-testid='secret-once'>
      <div>
        <strong>{shown.what}</strong>: copy the secret now; it is not shown again.
      </div>
      {shown.url && (
        <div>
          URL: <code data-testid='secret-url'>{shown.url}</code>
        </div>
      )}
      <div>
        Secret: <code data-testid='secret-value'>{shown.secret}</code>
      </div>
      <button className='io-btn io-btn--ghost' type='button' onClick={onDone}>
        Done
      </button>
    </div>
  );
}

/** A row's rotate and (confirmed) remove buttons. */
function RowActions({ label, onRotate, onRemove }: { label: string; onRotate: () => Promise<void>; onRemove: () => Promise<void> }) {
  const [state, setState] = useMountedState<{ asking: boolean; busy: boolean; error: string | null }>({ asking: false, busy: false, error: null });
  const run = async (action: () => Promise<void>) => {
    setState({ asking: false, busy: true, error: null });
    try {
      await action();
      setState({ asking: false, busy: false, error: null });
    } catch (err) {
      setState({ asking: false, busy: false, error: message(err) });
    }
  };
  return (
    <div>
      <div className='io-actions'>
        <button className='io-btn io-btn--ghost' type='button' disabled={state.busy} onClick={() => void run(onRotate)} aria-label={`Rotate the secret of ${label}`}>
          Rotate secret
        </button>
        {state.asking ? (
          <>
            <button className='io-btn' type='button' disabled={state.busy} onClick={() => void run(onRemove)}>
              Remove {label}
            </button>
            <button className='io-btn io-btn--ghost' type='button' onClick={() => setState({ ...state, asking: false })}>
              Keep it
            </button>
          </>
        ) : (
          <button className='io-btn io-btn--ghost' type='button' disabled={state.busy} onClick={() => setState({ ...state, asking: true })} aria-label={`Remove ${label}`}>
            Remove
          </button>
        )}
      </div>
      <ErrorText error={state.error} />
    </div>
  );
}

function AlertSources({ teamId, onSecret }: { teamId: string; onSecret: (s: ShownSecret) => void }) {
  const [sources, setSources] = useMountedState<AlertSourceView[]>([]);
  const load = useLoad(async () => setSources(await listAlertSources(teamId)), `alert-sources:${teamId}`);
  const [name, setName] = useState('');
  const [type, setType] = useState<AlertSourceType>('alertmanager');
  const [error, setError] = useMountedState<string | null>(null);
  const shown = (what: string, answer: { source: AlertSourceView; secret: string }) => onSecret({ what, secret: answer.secret, url: answer.source.url });
  return (
    <section aria-label='Alert sources'>
      <div className='io-h'>Alert sources</div>
      <div className='io-muted'>
        Alertmanager and Grafana send alerts to the source&apos;s URL with its secret in the <code>{TOKEN_HEADER}</code> header.
      </div>
      <Loading loading={load.loading} label='alert sources' />
      <ErrorText error={load.error} />
      {!load.loading && !load.error && sources.length === 0 && <div className='io-muted'>No alert sources yet.</div>}
      <ul className='io-list' aria-label='Alert source list'>
        {sources.map((s) => (
          <li key={s.id} className='io-item' data-source={s.name}>
            <div>
              <span className='io-badge'>{s.type}</span>
              <span className='io-item-title'>{s.name}</span>
            </div>
            <div className='io-muted'>
              <code>{s.url}</code>
            </div>
            <RowActions
              label={s.name}
              onRotate={async () => shown(`${s.name} (new secret)`, await rotateAlertSource(teamId, s.name))}
              onRemove={async () => {
                await removeAlertSource(teamId, s.name);
                load.reload();
              }}
            />
          </li>
        ))}
      </ul>
      <form
        className='io-row'
        aria-label='Add an alert source'
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            const answer = await createAlertSource(teamId, { name: name.trim(), type });
            setName('');
            setError(null);
            shown(answer.source.name, answer);
            load.reload();
          } catch (err) {
            setError(message(err));
          }
        }}
      >
        <input className='io-input' type='text' value={name} onChange={(e) => setName(e.target.value)} placeholder='name, e.g. prod-alertmanager' aria-label='Alert source name' maxLength={60} />
        <select value={type} onChange={(e) => setType(e.target.value as AlertSourceType)} aria-label='Alert source type'>
          {ALERT_SOURCE_TYPES.map((t) => (
            <option key={t} value={t}>
              {t === 'alertmanager' ? 'Alertmanager' : 'Grafana'}
            </option>
          ))}
        </select>
        <button className='io-btn' type='submit' disabled={!name.trim()}>
          Add
        </button>
      </form>
      <ErrorText error={error} />
    </section>
  );
}

function Webhooks({ teamId, onSecret }: { teamId: string; onSecret: (s: ShownSecret) => void }) {
  const [hooks, setHooks] = useMountedState<WebhookView[]>([]);
  const load = useLoad(async () => setHooks(await listWebhooks(teamId)), `webhooks:${teamId}`);
  const [url, setUrl] = useState('');
  const [error, setError] = useMountedState<string | null>(null);
  return (
    <section aria-label='Outgoing webhooks'>
      <div className='io-h'>Outgoing webhooks</div>
      <div className='io-muted'>
        Incident events are POSTed as JSON, signed in <code>{WEBHOOK_HEADERS.signature}</code> with the webhook&apos;s secret.
      </div>
      <Loading loading={load.loading} label='webhooks' />
      <ErrorText error={load.error} />
      {!load.loading && !load.error && hooks.length === 0 && <div className='io-muted'>No webhooks yet.</div>}
      <ul className='io-list' aria-label='Webhook list'>
        {hooks.map((h) => (
          <li key={h.id} className='io-item' data-webhook={h.id}>
            <div className='io-item-title'>
              <code>{h.url}</code>
            </div>
            <div className='io-muted'>
              {h.events.length === WEBHOOK_EVENT_TYPES.length ? 'every incident and run event' : h.events.join(', ')}
              {h.templates.length ? ` · template ${h.templates.join(', ')} only` : ''}
              {h.includePrivate ? ' · includes private incidents' : ''}
            </div>
            <RowActions
              label={h.url}
              onRotate={async () => {
                const answer = await rotateWebhook(teamId, h.id);
                onSecret({ what: `${h.url} (new secret)`, secret: answer.secret });
              }}
              onRemove={async () => {
                await removeWebhook(teamId, h.id);
                load.reload();
              }}
            />
          </li>
        ))}
      </ul>
      <form
        className='io-row'
        aria-label='Add a webhook'
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            const answer = await addWebhook(teamId, { url: url.trim() });
            setUrl('');
            setError(null);
            onSecret({ what: answer.webhook.url, secret: answer.secret });
            load.reload();
          } catch (err) {
            setError(message(err));
          }
        }}
      >
        <input className='io-input' type='text' value={url} onChange={(e) => setUrl(e.target.value)} placeholder='https://…' aria-label='Webhook URL' maxLength={WEBHOOK_LIMITS.url} />
        <button className='io-btn' type='submit' disabled={!url.trim()}>
          Add
        </button>
      </form>
      <ErrorText error={error} />
    </section>
  );
}

export function AdminTab() {
  const teamId = useSelector(getCurrentTeamId);
  const site = useSelector((s: GlobalState) => sitePath(getSiteURL(s)));
  const teamName = useSelector((s: GlobalState) => s.entities.teams.teams[teamId]?.name ?? '');
  const [secret, setSecret] = useState<ShownSecret | null>(null);
  return (
    <div>
      <div className='io-h'>Team admin</div>
      {secret && <SecretOnce shown={secret} onDone={() => setSecret(null)} />}
      {teamName && (
        <div>
          <a className='io-link' href={`${site}/plugins/${PLUGIN_ID}/status/${encodeURIComponent(teamName)}`} target='_blank' rel='noopener noreferrer'>
            Status page
          </a>{' '}
          <span className='io-muted'>(team members; a public link: /infra statuslink create)</span>
        </div>
      )}
      <div className='io-muted'>Calendar links (team and personal feeds) are made with /infra calendar.</div>
      <AlertSources teamId={teamId} onSecret={setSecret} />
      <Webhooks teamId={teamId} onSecret={setSecret} />
    </div>
  );
}
