// A run's actions in the sidebar: a gate's card (answer, concerns, delegation, an admin's
// override), an item's assignees, due time and removal, a checklist's new item, and finishing the
// run. Every action is one call of the contract; the answer is the run as it now is (drawn again
// from it), and a refusal is shown beside the control in the server's own words.
import React, { useState } from 'react';
import { useSelector } from 'react-redux';
import type { GlobalState } from '@mattermost/types/store';
import { addRunItem, answerGate, assignRunItem, delegateGate, finishRun, nameGateApprovers, overrideGate, raiseGateConcern, removeRunItem, resolveGateConcern, setRunItemDue } from '../client';
import { RUN_LIMITS, type RunItemView, type RunView } from '../contract';
import { dateTime } from '../people/display';
import { ANSWER_TEXT, fromLocalInput, gateLine, gatePart, mayResolve, splitUsernames, toLocalInput } from '../runs/run_view';
import { getCurrentUserId, isAdminOf } from '../selectors';
import { ErrorText, UserName } from './common';
import { useMountedState, useTimeFormat } from './hooks';

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Busy and error state around one call that answers the run. */
export function useRunCall(onChanged: (run: RunView) => void): { busy: boolean; error: string | null; run: (call: () => Promise<RunView>) => Promise<boolean> } {
  const [state, setState] = useMountedState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  return {
    ...state,
    run: async (call) => {
      setState({ busy: true, error: null });
      try {
        const next = await call();
        setState({ busy: false, error: null });
        onChanged(next);
        return true;
      } catch (err) {
        setState({ busy: false, error: message(err) });
        return false;
      }
    },
  };
}

const itemAt = (run: RunView, item: RunItemView) => ({ teamId: run.teamId, number: run.number, ref: item.ref });

/** One text box and a button: a concern, a delegate, a reason. Enter submits; the box empties on success. */
function InlineForm({ label, button, busy, maxLength, onSubmit }: { label: string; button: string; busy: boolean; maxLength: number; onSubmit: (text: string) => Promise<boolean> }) {
  const [text, setText] = useState('');
  return (
    <form
      className='io-row'
      aria-label={label}
      onSubmit={async (e) => {
        e.preventDefault();
        if (await onSubmit(text.trim())) setText('');
      }}
    >
      <input className='io-input' type='text' value={text} onChange={(e) => setText(e.target.value)} aria-label={label} placeholder={label} maxLength={maxLength} />
      <button className='io-btn io-btn--ghost' type='submit' disabled={busy || !text.trim()}>
        {button}
      </button>
    </form>
  );
}

/** The gate's card: its state, who answered what, open concerns, and the caller's buttons. */
export function GateCard({ run, item, onChanged }: { run: RunView; item: RunItemView; onChanged: (run: RunView) => void }) {
  const gate = item.gate!;
  const me = useSelector(getCurrentUserId);
  const admin = useSelector((s: GlobalState) => isAdminOf(s, run.teamId));
  const format = useTimeFormat();
  const call = useRunCall(onChanged);
  const at = itemAt(run, item);
  const part = gatePart(gate, me);
  const active = run.status === 'active';
  const mine = part.seat?.answer ?? null;
  return (
    <div className='io-gate' data-testid={`gate-${item.ref}`} role='group' aria-label={`Gate ${item.ref}`}>
      <div className={gate.state === 'blocked' ? 'io-error' : gate.state === 'passed' ? 'io-ok' : ''} data-testid={`gate-state-${item.ref}`} aria-live='polite'>
        {gateLine(gate)}
      </div>
      {gate.seats.length === 0 && <div className='io-muted'>No approvers yet: the run owner or a team admin names them.</div>}
      <ul className='io-list io-seats' aria-label={`Approvers of ${item.ref}`}>
        {gate.seats.map((s, i) => (
          <li key={i} className='io-muted'>
            {s.userId ? <UserName userId={s.userId} /> : `group ${s.groupId ?? ''}`}
            {s.delegate && (
              <>
                {' '}
                (answered for by <UserName userId={s.delegate} />)
              </>
            )}
            {': '}
            {s.answer ? `${ANSWER_TEXT[s.answer]}${s.answeredAt ? ` ${dateTime(s.answeredAt, format)}` : ''}` : 'not yet'}
          </li>
        ))}
      </ul>
      {gate.concerns.length > 0 && (
        <ul className='io-list' aria-label={`Concerns on ${item.ref}`}>
          {gate.concerns.map((c) => (
            <li key={c.id} className={c.resolvedAt === null ? 'io-error' : 'io-muted'} data-concern={c.id}>
              Concern #{c.id} by <UserName userId={c.raisedBy} />: {c.text}
              {c.resolvedBy && (
                <>
                  {' '}
                  — resolved by <UserName userId={c.resolvedBy} />
                </>
              )}
              {c.resolvedAt === null && active && mayResolve(c, me, run.ownerId, admin) && (
                <>
                  {' '}
                  <button className='io-btn io-btn--ghost' type='button' disabled={call.busy} onClick={() => void call.run(() => resolveGateConcern(at, c.id))} aria-label={`Resolve concern #${c.id} on ${item.ref}`}>
                    Resolve
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {active && gate.state !== 'passed' && part.mayAnswer && (
        <div className='io-actions' role='group' aria-label={`Answer on ${item.ref}`}>
          {(['approve', 'hold', 'abstain'] as const).map((answer) => (
            <button
              key={answer}
              className={answer === 'approve' ? 'io-btn' : 'io-btn io-btn--ghost'}
              type='button'
              disabled={call.busy || mine === answer}
              aria-pressed={mine === answer}
              onClick={() => void call.run(() => answerGate(at, answer))}
              aria-label={`${answer === 'approve' ? 'Approve' : answer === 'hold' ? 'Hold' : 'Abstain on'} ${item.ref}`}
            >
              {answer === 'approve' ? 'Approve' : answer === 'hold' ? 'Hold' : 'Abstain'}
            </button>
          ))}
          {mine !== null && (
            <button className='io-btn io-btn--ghost' type='button' disabled={call.busy} onClick={() => void call.run(() => answerGate(at, null))} aria-label={`Take back my answer on ${item.ref}`}>
              Take back
            </button>
          )}
        </div>
      )}
      {active && gate.state !== 'passed' && (
        <InlineForm label={`Raise a concern on ${item.ref}`} button='Raise concern' busy={call.busy} maxLength={RUN_LIMITS.text} onSubmit={(text) => call.run(async () => (await raiseGateConcern(at, text)).run)} />
      )}
      {active && part.mayDelegate && (
        <InlineForm label={`Delegate ${item.ref} to @user`} button='Delegate' busy={call.busy} maxLength={65} onSubmit={(to) => call.run(() => delegateGate(at, to))} />
      )}
      {active && (me === run.ownerId || admin) && gate.state !== 'passed' && (
        <InlineForm label={`Add approvers to ${item.ref}: @user @user…`} button='Add approvers' busy={call.busy} maxLength={RUN_LIMITS.approvers * 66} onSubmit={(text) => call.run(() => nameGateApprovers(at, splitUsernames(text)))} />
      )}
      {active && admin && gate.state !== 'passed' && (
        <InlineForm label={`Reason to override ${item.ref}`} button='Override (admin)' busy={call.busy} maxLength={RUN_LIMITS.text} onSubmit={(reason) => call.run(() => overrideGate(at, reason))} />
      )}
      <ErrorText error={call.error} />
    </div>
  );
}

/** An item's assignees (several), due time and removal, behind an "Edit" toggle. */
export function ItemEditor({ run, item, onChanged }: { run: RunView; item: RunItemView; onChanged: (run: RunView) => void }) {
  const [open, setOpen] = useState(false);
  const { timeZone } = useTimeFormat();
  const [due, setDue] = useState(item.due === null ? '' : toLocalInput(item.due, timeZone));
  const call = useRunCall(onChanged);
  const at = itemAt(run, item);
  if (run.status !== 'active') return null;
  return (
    <div>
      <button className='io-link' type='button' aria-expanded={open} onClick={() => setOpen(!open)} aria-label={`Edit ${item.ref}`}>
        {open ? 'Done editing' : 'Edit'}
      </button>
      {open && (
        <div className='io-form' data-testid={`edit-${item.ref}`}>
          <InlineForm label={`Assign ${item.ref} to @user @user…`} button='Assign' busy={call.busy} maxLength={RUN_LIMITS.assignees * 66} onSubmit={(text) => call.run(() => assignRunItem(at, splitUsernames(text)))} />
          <form
            className='io-row'
            aria-label={`Due time of ${item.ref}`}
            onSubmit={(e) => {
              e.preventDefault();
              const when = fromLocalInput(due, timeZone);
              void call.run(() => setRunItemDue(at, when));
            }}
          >
            <input className='io-input' type='datetime-local' value={due} onChange={(e) => setDue(e.target.value)} aria-label={`Due time of ${item.ref}`} />
            <button className='io-btn io-btn--ghost' type='submit' disabled={call.busy}>
              {due ? 'Set due' : 'Clear due'}
            </button>
          </form>
          <button className='io-btn io-btn--ghost' type='button' disabled={call.busy} onClick={() => void call.run(() => removeRunItem(at))} aria-label={`Remove ${item.ref}`}>
            Remove item
          </button>
        </div>
      )}
      <ErrorText error={call.error} />
    </div>
  );
}

/** A new item at the end of a checklist. */
export function AddItem({ run, list, title, onChanged }: { run: RunView; list: number; title: string; onChanged: (run: RunView) => void }) {
  const call = useRunCall(onChanged);
  if (run.status !== 'active') return null;
  return (
    <>
      <InlineForm label={`New item in ${title}`} button='Add' busy={call.busy} maxLength={RUN_LIMITS.itemTitle} onSubmit={(text) => call.run(async () => (await addRunItem(run.teamId, run.number, list + 1, text)).run)} />
      <ErrorText error={call.error} />
    </>
  );
}

/** Finish: refused (the open gates named) while a gate is open; a team admin may finish over them with a reason. */
export function FinishRun({ run, onChanged }: { run: RunView; onChanged: (run: RunView) => void }) {
  const admin = useSelector((s: GlobalState) => isAdminOf(s, run.teamId));
  const call = useRunCall(onChanged);
  if (run.status !== 'active') {
    return run.finishOverride ? <div className='io-muted'>Finished over open gates: {run.finishOverride}</div> : null;
  }
  return (
    <div data-testid='run-finish'>
      <div className='io-actions'>
        <button className='io-btn' type='button' disabled={call.busy} onClick={() => void call.run(() => finishRun(run.teamId, run.number))}>
          Finish run
        </button>
      </div>
      {admin && run.progress.openGates > 0 && (
        <InlineForm label='Reason to finish over open gates' button='Finish anyway (admin)' busy={call.busy} maxLength={RUN_LIMITS.text} onSubmit={(reason) => call.run(() => finishRun(run.teamId, run.number, reason))} />
      )}
      <ErrorText error={call.error} />
    </div>
  );
}
