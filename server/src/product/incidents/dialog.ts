import { z } from 'zod';
import type { Dialog } from '../../plugin/model/types';
import { INCIDENT_DIALOG_PATH } from '../contract/incidents';
import { API_BASE } from '../contract/api';
import { UserError } from '../shared/errors';
import { MAX_PEOPLE, type People } from '../shared/people';
import { checkText } from '../shared/text/limits';
import type { DeclareInput } from './declare';
import { ACTION_WORDS, dialogWords, input, severityOption } from './messages';
import { parseSeverity, parseType } from './parse';
import { type Caller, teamPolicy } from './policy';
import { LIMITS, type Severity } from './records';
import type { IncidentSettings } from './settings';

export const DECLARE_CALLBACK = 'incident-declare';
/** Where Mattermost posts the submission (the plugin's HTTP route, see http.ts). */
export const DIALOG_URL = `${API_BASE}${INCIDENT_DIALOG_PATH}`;

/** "@alice, @bob": a username is at most 64 characters, so this bounds MAX_PEOPLE of them with separators. */
const INVITE_MAX_CHARS = MAX_PEOPLE * 70;

/** The declare form (incident.io's `/inc`): title, severity, type, summary, private?, commander, invitees. */
export function declareDialog(
  settings: IncidentSettings,
  state: { channelId: string },
  /** What the command already said (`/incident declare sev1 --public`), pre-filled. */
  defaults: { severity: Severity; type: string; private: boolean } = { severity: 3, type: '', private: settings.privateByDefault },
): Dialog {
  return {
    CallbackId: DECLARE_CALLBACK,
    Title: dialogWords.title,
    IntroductionText: dialogWords.intro,
    SubmitLabel: dialogWords.submit,
    NotifyOnCancel: false,
    State: JSON.stringify(state),
    Elements: [
      { DisplayName: 'Title', Name: 'title', Type: 'text', Placeholder: 'Database latency in eu-west', MaxLength: LIMITS.title },
      {
        DisplayName: 'Severity',
        Name: 'severity',
        Type: 'select',
        Default: String(defaults.severity),
        Options: ([1, 2, 3, 4] as const).map((s) => ({ Text: severityOption(settings, s), Value: String(s) })),
      },
      {
        DisplayName: 'Type',
        Name: 'type',
        Type: 'select',
        Optional: true,
        ...(defaults.type ? { Default: defaults.type } : {}),
        Options: settings.types.map((t) => ({ Text: t, Value: t })),
      },
      { DisplayName: 'Summary', Name: 'summary', Type: 'textarea', Optional: true, MaxLength: LIMITS.summary, Placeholder: 'What is happening, who is affected?' },
      { DisplayName: 'Private channel', Name: 'private', Type: 'bool', Optional: true, Default: String(defaults.private), Placeholder: dialogWords.privateHelp },
      { DisplayName: 'Commander', Name: 'commander', Type: 'select', DataSource: 'users', Optional: true, HelpText: dialogWords.commanderHelp },
      { DisplayName: 'Also invite', Name: 'invite', Type: 'text', Optional: true, Placeholder: '@alice @bob', HelpText: dialogWords.inviteHelp },
    ],
  };
}

/** What Mattermost posts to the dialog URL (model.SubmitDialogRequest, JSON field names). */
export const submissionSchema = z.object({
  type: z.string().max(64).optional(),
  callback_id: z.string().max(256),
  state: z.string().max(4096).default(''),
  user_id: z.string().max(64).optional(),
  channel_id: z.string().max(64).default(''),
  team_id: z.string().max(64).default(''),
  submission: z.record(z.string(), z.unknown()).nullable().default({}),
  cancelled: z.boolean().default(false),
});
export type DialogSubmission = z.output<typeof submissionSchema>;

const stateSchema = z.object({ channelId: z.string().max(64) });

/** A declaration as the form gives it, and the channel it was opened in (where the reply goes). */
export type DialogDeclaration = DeclareInput & { channelId: string };

/** Per-field problems, shown by Mattermost next to each field. */
export class DialogFieldErrors extends Error {
  constructor(readonly errors: Record<string, string>) {
    super(Object.values(errors).join(' '));
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/**
 * Reads a submission, cheapest and most important checks first: the team is the live team of the
 * channel the form was opened in (never a team named by the form), the submitter must be allowed
 * to declare there, and only then are the fields read — invitees bounded and split linearly.
 */
export async function parseSubmission(caller: Caller, submission: DialogSubmission, settings: IncidentSettings, people: People): Promise<DialogDeclaration> {
  const channelId = dialogChannel(submission);
  const { teamId } = await caller.access.scopeOfChannel(caller.userId, channelId);
  await teamPolicy.require(caller.access, caller.userId, 'declare', { scope: { teamId, channelId: null } }, ACTION_WORDS.declare);

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
  const title = field('title', () => requiredTitle(str(values['title'])), '');
  const severity = field('severity', () => parseSeverity(str(values['severity']) || '3', settings), 3);
  const type = field('type', () => parseType(str(values['type']), settings), '');
  const summary = field('summary', () => checkText(str(values['summary']), LIMITS.summary, 'the summary'), '');
  const rawPrivate = values['private'];
  const isPrivate = rawPrivate === undefined || rawPrivate === null || rawPrivate === '' ? settings.privateByDefault : rawPrivate === true || rawPrivate === 'true';
  const commanderId = str(values['commander']).trim().slice(0, 64) || null;
  // Checked here too (declare checks again) so the form shows the problem beside the field.
  if (commanderId && !(await caller.access.isTeamMember(commanderId, teamId))) errors['commander'] = dialogWords.commanderNotOnTeam;
  let inviteeIds: string[] = [];
  try {
    inviteeIds = await resolveInvitees(str(values['invite']), people);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    errors['invite'] = err.message;
  }
  if (Object.keys(errors).length) throw new DialogFieldErrors(errors);
  return { teamId, channelId, title, severity, type, summary, private: isPrivate, commanderId, inviteeIds };
}

function dialogChannel(submission: DialogSubmission): string {
  if (!submission.state) return submission.channel_id;
  try {
    return stateSchema.parse(JSON.parse(submission.state)).channelId;
  } catch {
    throw UserError.badRequest(dialogWords.badState);
  }
}

function requiredTitle(text: string): string {
  const title = checkText(text.replace(/\s+/g, ' '), LIMITS.title, 'the title');
  if (!title) throw UserError.badRequest(input.noTitle);
  return title;
}

/** "@alice, bob;carol" → user ids: length-capped first, split without a regular expression, at most MAX_PEOPLE. */
export async function resolveInvitees(text: string, people: Pick<People, 'resolveUsernames'>): Promise<string[]> {
  if (text.length > INVITE_MAX_CHARS) throw UserError.badRequest(input.inviteTooLong(INVITE_MAX_CHARS));
  const tokens = splitNames(text);
  const unique = new Set(tokens.map((t) => t.toLowerCase()));
  if (unique.size > LIMITS.invitees) throw UserError.badRequest(input.tooManyInvitees(LIMITS.invitees, unique.size));
  return people.resolveUsernames(tokens, LIMITS.invitees);
}

function splitNames(text: string): string[] {
  const tokens: string[] = [];
  let current = '';
  for (const ch of text) {
    if (ch === ',' || ch === ';' || ch.trim() === '') {
      if (current) tokens.push(current);
      current = '';
    } else current += ch;
  }
  if (current) tokens.push(current);
  return tokens;
}
