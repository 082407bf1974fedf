// The sidebar's declare form: what `/incident declare` with no title and "Declare incident from
// message" open. It posts to the same server action as the command's dialog.
import React, { useState } from 'react';
import { useDispatch, useSelector } from 'react-redux';
import { closeDeclareForm, incidentReceived, type DeclareDraft } from '../actions';
import { declareIncident } from '../client';
import { getCurrentTeamId } from '../selectors';
import { INCIDENT_LIMITS, SEVERITIES, severityName, type Incident, type Severity } from '../contract';
import { ErrorText } from './common';

export function DeclareForm({ draft, onDeclared }: { draft: DeclareDraft; onDeclared: (incident: Incident, warnings: string[]) => void }) {
  const dispatch = useDispatch();
  const teamId = useSelector(getCurrentTeamId);
  const [title, setTitle] = useState(draft.title);
  const [severity, setSeverity] = useState<Severity>(3);
  const [summary, setSummary] = useState(draft.summary);
  const [isPrivate, setPrivate] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!title.trim()) {
      setError('A title is required.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { incident, warnings } = await declareIncident(teamId, {
        title: title.trim(),
        severity,
        summary: summary.trim() || undefined,
        private: isPrivate,
      });
      dispatch(incidentReceived(incident));
      dispatch(closeDeclareForm());
      onDeclared(incident, warnings);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <form className='io-form' onSubmit={submit} aria-label='Declare an incident'>
      <div className='io-h'>Declare an incident</div>
      <label htmlFor='io-declare-title'>Title</label>
      <input id='io-declare-title' type='text' value={title} onChange={(e) => setTitle(e.target.value)} required autoFocus maxLength={INCIDENT_LIMITS.title} />
      <label htmlFor='io-declare-severity'>Severity</label>
      <select id='io-declare-severity' value={severity} onChange={(e) => setSeverity(SEVERITIES.find((s) => s === Number(e.target.value)) ?? 3)}>
        {SEVERITIES.map((s) => (
          <option key={s} value={s}>
            {severityName(s)}
            {s === 1 ? ' (most severe)' : ''}
          </option>
        ))}
      </select>
      <label htmlFor='io-declare-summary'>Summary</label>
      <textarea id='io-declare-summary' rows={4} value={summary} onChange={(e) => setSummary(e.target.value)} />
      <label className='io-check'>
        <input type='checkbox' checked={isPrivate} onChange={(e) => setPrivate(e.target.checked)} /> Private incident channel
      </label>
      <ErrorText error={error} />
      <div className='io-actions'>
        <button className='io-btn' type='submit' disabled={busy}>
          {busy ? 'Declaring…' : 'Declare'}
        </button>
        <button className='io-btn io-btn--ghost' type='button' onClick={() => dispatch(closeDeclareForm())}>
          Cancel
        </button>
      </div>
    </form>
  );
}
