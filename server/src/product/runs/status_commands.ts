/** `/run update|cadence|snooze|request-update`: parsing and replies only (status_service.ts holds the rules). */
import { RUN_SNOOZES, type RunSnooze, runReference } from '../contract/runs';
import { ephemeral, type SubcommandSpec } from '../shared/commands';
import { UserError } from '../shared/errors';
import { STATUS } from './messages';
import type { RunService } from './service';
import { parseCadence } from './status_updates';

/** "1h", "4h", "tomorrow" or "off" (null). */
export function parseSnooze(typed: string): RunSnooze | null {
  const t = typed.trim().toLowerCase();
  if (t === 'off' || t === 'none') return null;
  const found = RUN_SNOOZES.find((s) => s === t);
  if (!found) throw UserError.badRequest(STATUS.badSnooze);
  return found;
}

export function statusSubcommands(runs: RunService): SubcommandSpec[] {
  const status = runs.status;
  return [
    {
      name: 'update',
      usage: STATUS.usage.update,
      help: STATUS.help.update,
      run: async (inv) => {
        if (!inv.text.trim()) throw UserError.badRequest(STATUS.noText, `${inv.path} ${STATUS.usage.update}`);
        const r = await status.update(inv.userId, { channelId: inv.channelId }, inv.text);
        return ephemeral(STATUS.replies.updated(r.run.reference, r.due));
      },
    },
    {
      name: 'cadence',
      usage: STATUS.usage.cadence,
      help: STATUS.help.cadence,
      run: async (inv) => {
        if (!inv.text.trim()) throw UserError.badRequest(STATUS.badCadence, `${inv.path} ${STATUS.usage.cadence}`);
        const choice = parseCadence(inv.text);
        const r = await status.setCadence(inv.userId, { channelId: inv.channelId }, choice);
        if (!r.changed) return ephemeral(STATUS.replies.nothing(r.run.reference));
        return ephemeral(STATUS.replies.cadence(r.run.reference, r.run.updateCadenceMinutes, choice === 'severity', r.run.nextUpdateDueAt));
      },
    },
    {
      name: 'snooze',
      usage: STATUS.usage.snooze,
      help: STATUS.help.snooze,
      run: async (inv) => {
        if (inv.positional.length !== 1) throw UserError.badRequest(STATUS.badSnooze, `${inv.path} ${STATUS.usage.snooze}`);
        const r = await status.snooze(inv.userId, { channelId: inv.channelId }, parseSnooze(inv.positional[0]!));
        return ephemeral(r.changed ? STATUS.replies.snoozed(r.run.reference, r.until) : STATUS.replies.nothing(r.run.reference));
      },
    },
    {
      name: 'request-update',
      usage: STATUS.usage.requestUpdate,
      help: STATUS.help.requestUpdate,
      noArguments: true,
      run: async (inv) => {
        const r = await status.requestUpdate(inv.userId, { channelId: inv.channelId });
        const ref = runReference(r.run.number);
        if (r.run.ownerId === inv.userId) return ephemeral(STATUS.replies.ownRequest(ref));
        if (r.asked) return ephemeral(STATUS.replies.requested(ref, await runs.people().username(r.run.ownerId)));
        return ephemeral(STATUS.replies.alreadyRequested(ref, await runs.people().username(r.open?.by ?? inv.userId), r.open?.at ?? r.run.startedAt));
      },
    },
  ];
}
