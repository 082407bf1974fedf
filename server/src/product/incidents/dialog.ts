import { z } from 'zod';
import type { Dialog } from '../../plugin/model/types';
import { PLUGIN_ID } from '../shared/context';
import { UserError } from '../shared/errors';
import type { People } from '../shared/people';
import type { DeclareInput } from './declare';
import { parseSeverity, parseTitle, parseType } from './parse';
import type { Severity } from './schema';
import type { IncidentSettings } from './settings';

export const DECLARE_CALLBACK = 'incident-declare';
/** Where Mattermost posts the submission (the plugin's HTTP route, see http.ts). */
export const DIALOG_URL = `/plugins/${PLUGIN_ID}/api/v1/incidents/dialog`;

/** The declare form (incident.io's `/inc`): title, severity, type, summary, private?, commander, invitees. */
export function declareDialog(
  settings: IncidentSettings,
  state: { teamId: string; channelId: string },
  /** What the command already said (`/incident declare sev1 --public`), pre-filled. */
  defaults: { severity: Severity; type: string; private: boolean } = { severity: 3, type: '', private: settings.privateByDefault },
): Dialog {
  return {
    CallbackId: DECLARE_CALLBACK,
    Title: 'Declare an incident',
    IntroductionText: 'A channel is created for the incident, responders are added and the declaration is announced.',
    SubmitLabel: 'Declare',
    NotifyOnCancel: false,
    State: JSON.stringify(state),
    Elements: [
      { DisplayName: 'Title', Name: 'title', Type: 'text', Placeholder: 'Database latency in eu-west', MaxLength: 200 },
      {
        DisplayName: 'Severity',
        Name: 'severity',
        Type: 'select',
        Default: String(defaults.severity),
        Options: ([1, 2, 3, 4] as const).map((s) => ({ Text: `SEV${s} — ${settings.severityLabels[s]}`, Value: String(s) })),
      },
      {
        DisplayName: 'Type',
        Name: 'type',
        Type: 'select',
        Optional: true,
        ...(defaults.type ? { Default: defaults.type } : {}),
        Options: settings.types.map((t) => ({ Text: t, Value: t })),
      },
      { DisplayName: 'Summary', Name: 'summary', Type: 'textarea', Optional: true, MaxLength: 4000, Placeholder: 'What is happening, who is affected?' },
      {
        DisplayName: 'Private channel',
        Name: 'private',
        Type: 'bool',
        Optional: true,
        Default: String(defaults.private),
        Placeholder: 'Only invited people can see the incident',
      },
      { DisplayName: 'Commander', Name: 'commander', Type: 'select', DataSource: 'users', Optional: true, HelpText: 'Defaults to you.' },
      { DisplayName: 'Also invite', Name: 'invite', Type: 'text', Optional: true, Placeholder: '@alice @bob', HelpText: 'Usernames, separated by spaces or commas.' },
    ],
  };
}

/** What Mattermost posts to the dialog URL (model.SubmitDialogRequest, JSON field names). */
export const submissionSchema = z.object({
  type: z.string().optional(),
  callback_id: z.string(),
  state: z.string().default(''),
  user_id: z.string().optional(),
  channel_id: z.string().default(''),
  team_id: z.string().default(''),
  submission: z.record(z.string(), z.unknown()).nullable().default({}),
  cancelled: z.boolean().default(false),
});
export type DialogSubmission = z.output<typeof submissionSchema>;

const stateSchema = z.object({ teamId: z.string(), channelId: z.string() });

/** A declaration as the form gives it: everything but the declarer, plus where to reply. */
export type DialogDeclaration = Omit<DeclareInput, 'declarerId'> & { channelId: string };

/** Per-field problems, shown by Mattermost next to each field. */
export class DialogFieldErrors extends Error {
  constructor(readonly errors: Record<string, string>) {
    super(Object.values(errors).join(' '));
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

export async function parseSubmission(
  submission: DialogSubmission,
  settings: IncidentSettings,
  people: People,
): Promise<DialogDeclaration> {
  let state: z.output<typeof stateSchema> = { teamId: submission.team_id, channelId: submission.channel_id };
  if (submission.state) {
    try {
      state = stateSchema.parse(JSON.parse(submission.state));
    } catch {
      throw UserError.badRequest('The dialog state is not valid; open the dialog again with /incident declare.');
    }
  }
  if (!state.teamId) throw UserError.badRequest('The dialog does not say which team the incident is for.');
  const values = submission.submission ?? {};
  const errors: Record<string, string> = {};
  const field = <T>(name: string, read: () => T, fallback: T): T => {
    try {
      return read();
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      errors[name] = err.message;
      return fallback;
    }
  };
  const title = field('title', () => parseTitle(str(values['title'])), '');
  const severity = field('severity', () => parseSeverity(str(values['severity']) || '3', settings), 3 as Severity);
  const type = field('type', () => parseType(str(values['type']), settings), '');
  const summary = field(
    'summary',
    () => {
      const s = str(values['summary']).trim();
      if (s.length > 4000) throw UserError.badRequest('The summary is too long (at most 4000 characters).');
      return s;
    },
    '',
  );
  const rawPrivate = values['private'];
  const isPrivate = rawPrivate === undefined || rawPrivate === null || rawPrivate === '' ? settings.privateByDefault : rawPrivate === true || rawPrivate === 'true';
  const commanderId = str(values['commander']).trim() || null;
  // Checked here too (declare checks again) so the form shows the problem beside the field.
  if (commanderId && !(await people.isTeamMember(commanderId, state.teamId))) errors['commander'] = 'The commander must be a member of this team.';
  let inviteeIds: string[] = [];
  const invite = str(values['invite']).trim();
  if (invite) {
    try {
      inviteeIds = await people.resolveUsernames(invite.split(/[\s,]+/));
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      errors['invite'] = err.message;
    }
  }
  if (Object.keys(errors).length) throw new DialogFieldErrors(errors);
  return { teamId: state.teamId, channelId: state.channelId, title, severity, type, summary, private: isPrivate, commanderId, inviteeIds };
}
