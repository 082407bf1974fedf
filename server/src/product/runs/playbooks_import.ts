/**
 * A playbook exported by Mattermost Playbooks (its export format version 1) read into a template
 * draft. The format is the playbook's fields tagged for export, zero values left out: title,
 * description, checklists of items (title, description, command, due_date — a relative due time
 * in milliseconds), the status-update reminder, retrospective and summary templates, the channel
 * name template, and a few settings we have no equivalent for. Assignees, invitations, broadcast
 * channels and webhooks are server-specific and not in the export; a playbook taken from Playbooks'
 * REST API does carry them, so they are read when present. Everything that cannot be carried over
 * is listed with its reason, never dropped silently; a malformed file is refused naming the field.
 */
import * as z from 'zod/mini';
import { RUN_LIMITS } from '../contract/runs';
import { UserError } from '../shared/errors';
import { IMPORT } from './messages';
import { checkTotalItems, describeIssues, type DraftItem, readJson, type TemplateDraft } from './template_io';

const optionalText = (max: number) => z.optional(z.string().check(z.maxLength(max)));
const id = z.string().check(z.minLength(1), z.maxLength(64));

const playbookItem = z.looseObject({
  title: z.string().check(z.minLength(1), z.maxLength(RUN_LIMITS.itemTitle)),
  description: optionalText(RUN_LIMITS.description),
  command: optionalText(RUN_LIMITS.command),
  due_date: z.optional(z.int()),
  assignee_id: z.optional(z.string().check(z.maxLength(64))),
  task_actions: z.optional(z.nullable(z.array(z.unknown()))),
});
const playbookChecklist = z.looseObject({
  title: optionalText(RUN_LIMITS.itemTitle),
  items: z.optional(z.nullable(z.array(playbookItem).check(z.maxLength(RUN_LIMITS.itemsPerChecklist)))),
});
const named = z.looseObject({ title: z.optional(z.string()), name: z.optional(z.string()) });

export const playbookExport = z.looseObject({
  version: z.literal(1),
  title: z.string().check(z.minLength(1), z.maxLength(RUN_LIMITS.templateName)),
  description: optionalText(RUN_LIMITS.description),
  checklists: z.optional(z.nullable(z.array(playbookChecklist).check(z.maxLength(RUN_LIMITS.checklists)))),
  reminder_timer_default_seconds: z.optional(z.int().check(z.minimum(0))),
  status_update_enabled: z.optional(z.boolean()),
  retrospective_template: optionalText(50_000),
  retrospective_enabled: z.optional(z.boolean()),
  run_summary_template: optionalText(RUN_LIMITS.text),
  run_summary_template_enabled: z.optional(z.boolean()),
  channel_name_template: optionalText(200),
  channel_mode: optionalText(64),
  create_public_playbook_run: z.optional(z.boolean()),
  invite_users_enabled: z.optional(z.boolean()),
  invited_user_ids: z.optional(z.nullable(z.array(id).check(z.maxLength(RUN_LIMITS.approvers)))),
  invited_group_ids: z.optional(z.nullable(z.array(id).check(z.maxLength(RUN_LIMITS.approvers)))),
  metrics: z.optional(z.nullable(z.array(named))),
  properties: z.optional(z.nullable(z.array(named))),
  conditions: z.optional(z.nullable(z.array(z.unknown()))),
});
type PlaybookExport = z.output<typeof playbookExport>;

/** The playbook's fields read above (carried over, or used to decide how). */
const READ = new Set(Object.keys(playbookExport.def.shape));
const READ_ITEM = new Set(Object.keys(playbookItem.def.shape));
const READ_CHECKLIST = new Set(Object.keys(playbookChecklist.def.shape));

/** Settings a template has no place for, and why (listed when the playbook sets them). */
const NOT_CARRIED: Readonly<Record<string, string>> = {
  reminder_message_template: 'the status update template (updates here are written freely)',
  message_on_join: 'the welcome message for people joining the run channel',
  message_on_join_enabled: 'the welcome message for people joining the run channel',
  retrospective_reminder_interval_seconds: 'the retrospective reminder interval',
  signal_any_keywords: 'keywords that suggest starting the playbook',
  signal_any_keywords_enabled: 'keywords that suggest starting the playbook',
  categorize_channel_enabled: 'the sidebar category for run channels',
  category_name: 'the sidebar category for run channels',
  create_channel_member_on_new_participant: 'keeping run participants and channel members in step',
  remove_channel_member_on_removed_participant: 'keeping run participants and channel members in step',
  channel_id: 'running in an existing channel (a run here gets a channel of its own)',
  broadcast_channel_ids: 'broadcast channels (status updates here go to the run channel)',
  broadcast_enabled: 'broadcast channels (status updates here go to the run channel)',
  webhook_on_creation_urls: 'webhooks on run creation',
  webhook_on_creation_enabled: 'webhooks on run creation',
  webhook_on_status_update_urls: 'webhooks on status updates',
  webhook_on_status_update_enabled: 'webhooks on status updates',
  default_owner_id: 'the default owner (whoever starts a run owns it)',
  default_owner_enabled: 'the default owner (whoever starts a run owns it)',
  export_channel_on_finished_enabled: 'exporting the channel on finish',
};
/** Bookkeeping of the server it came from: nothing of the template's content. */
const METADATA = new Set([
  'id',
  'team_id',
  'public',
  'create_at',
  'update_at',
  'delete_at',
  'num_stages',
  'num_steps',
  'num_runs',
  'num_actions',
  'last_run_at',
  'active_runs',
  'members',
  'member_ids',
  'default_playbook_admin_role',
  'default_playbook_member_role',
  'default_run_admin_role',
  'default_run_member_role',
]);
const ITEM_METADATA = new Set(['id', 'state', 'state_modified', 'state_modified_post_id', 'assignee_modified', 'assignee_modified_post_id', 'command_last_run', 'delete_at', 'update_at', 'condition_id', 'condition_action', 'condition_reason']);
const CHECKLIST_METADATA = new Set(['id', 'items_order', 'update_at']);

export interface PlaybookImport {
  readonly draft: TemplateDraft;
  readonly carriedOver: string[];
  readonly notCarried: string[];
}

/** A Playbooks export's text → a template draft, what was carried over and what was not. */
export function fromPlaybook(text: string): PlaybookImport {
  const parsed = z.safeParse(playbookExport, readJson(text), { reportInput: true });
  if (!parsed.success) throw UserError.badRequest(IMPORT.refused(describeIssues(parsed.error.issues)));
  const pb = parsed.data;
  const carried: string[] = [];
  const notCarried: string[] = [];
  checkTotalItems((pb.checklists ?? []).map((l) => ({ items: l.items ?? [] })));

  const kind = kindOf(pb.title);
  carried.push(`name “${pb.title}”; kind “${kind}” (from the title: Playbooks has no kind)`);
  if (pb.description) carried.push('description');

  const checklists = (pb.checklists ?? []).map((list, li) => {
    const title = list.title?.trim() || `Checklist ${li + 1}`;
    if (!list.title?.trim()) carried.push(`checklist ${li + 1} had no title: named “${title}”`);
    noteUnknown(list, READ_CHECKLIST, CHECKLIST_METADATA, `checklists[${li}]`, notCarried);
    const items = (list.items ?? []).map((it, ii): DraftItem => {
      const ref = `${li + 1}.${ii + 1}`;
      noteUnknown(it, READ_ITEM, ITEM_METADATA, `checklists[${li}].items[${ii}]`, notCarried);
      if (it.task_actions?.length) notCarried.push(`item ${ref}: ${it.task_actions.length} task action(s) (automations on the item)`);
      return {
        title: it.title,
        description: it.description ?? '',
        assignees: it.assignee_id ? [{ userId: it.assignee_id }] : [],
        dueMinutes: dueMinutes(it.due_date, ref, notCarried),
        command: it.command?.trim() ? it.command.trim() : null,
        approval: null,
      };
    });
    return { title, items };
  });
  const items = checklists.flatMap((l) => l.items);
  carried.push(
    `${checklists.length} checklists, ${items.length} items (${items.filter((i) => i.description).length} with a description, ${items.filter((i) => i.command).length} with a slash command, ${items.filter((i) => i.dueMinutes !== null).length} with a due time, ${items.filter((i) => i.assignees.length).length} with an assignee)`,
  );

  const statusUpdateMinutes = cadence(pb, carried);
  const retrospective = retroSections(pb, carried, notCarried);
  const summary = pb.run_summary_template?.trim() ?? '';
  if (summary) carried.push(`run summary template${pb.run_summary_template_enabled ? '' : ' (it was off in the playbook)'}`);
  const channel = channelOf(pb, carried, notCarried);

  for (const key of Object.keys(pb)) {
    if (READ.has(key) || METADATA.has(key) || isZero((pb as Record<string, unknown>)[key])) continue;
    const why = NOT_CARRIED[key];
    const line = why ? `${why} (${key})` : `${key}: not part of Playbooks' export format version 1`;
    if (!notCarried.includes(line)) notCarried.push(line);
  }
  if (pb.channel_mode && pb.channel_mode !== 'create_new_channel') notCarried.push(`${NOT_CARRIED.channel_id!} (channel_mode “${pb.channel_mode}”)`);
  if (pb.metrics?.length) notCarried.push(`metrics (${pb.metrics.length}: ${pb.metrics.map((m) => `“${(m.title ?? '').slice(0, 60)}”`).join(', ')})`);
  if (pb.properties?.length) notCarried.push(`run attributes (${pb.properties.length}: ${pb.properties.map((p) => `“${(p.name ?? '').slice(0, 60)}”`).join(', ')})`);
  if (pb.conditions?.length) notCarried.push(`conditional tasks (${pb.conditions.length} conditions): their items are imported as ordinary items`);

  const draft: TemplateDraft = {
    name: pb.title.trim(),
    kind,
    description: pb.description ?? '',
    checklists,
    statusUpdateMinutes,
    summary,
    retrospective,
    channel,
    appliesTo: { types: [], severities: [] },
  };
  return { draft, carriedOver: carried, notCarried };
}

/** Playbooks has no kind: an incident or a release when its title says so, else a process. */
export function kindOf(title: string): string {
  if (/\b(?:incident|outage|sev\s?\d)/i.test(title)) return 'incident';
  if (/\brelease/i.test(title)) return 'release';
  return 'process';
}

function dueMinutes(dueMs: number | undefined, ref: string, notCarried: string[]): number | null {
  if (!dueMs) return null;
  const minutes = Math.ceil(dueMs / 60_000);
  if (dueMs < 0 || minutes > RUN_LIMITS.dueMinutesMax) {
    notCarried.push(`item ${ref}: its due time (${dueMs} ms after the start) is outside 1 minute to ${RUN_LIMITS.dueMinutesMax / 1440} days`);
    return null;
  }
  return minutes;
}

/** The reminder timer becomes the status-update cadence; off (or no timer) is "never". */
function cadence(pb: PlaybookExport, carried: string[]): number | null {
  const seconds = pb.reminder_timer_default_seconds ?? 0;
  if (pb.status_update_enabled && seconds > 0) {
    const minutes = Math.min(Math.ceil(seconds / 60), RUN_LIMITS.dueMinutesMax);
    carried.push(`status updates every ${minutes} minutes (the reminder timer)`);
    return minutes;
  }
  carried.push(`status updates: never (${pb.status_update_enabled ? 'the playbook has no reminder timer' : `they were off in the playbook${seconds > 0 ? `; its timer said every ${Math.ceil(seconds / 60)} minutes` : ''}`})`);
  return null;
}

/** The retrospective template's Markdown headings become the retrospective's sections. */
function retroSections(pb: PlaybookExport, carried: string[], notCarried: string[]): string[] {
  const text = pb.retrospective_template ?? '';
  if (!text.trim()) return [];
  const lines = text.split(/\r?\n/);
  const headings = lines.map(headingOf).filter((h): h is string => h !== null && h !== '');
  const sections = headings.length ? headings : ['Retrospective'];
  const kept = sections.slice(0, RUN_LIMITS.retroSections).map((s) => s.slice(0, RUN_LIMITS.itemTitle));
  const off = pb.retrospective_enabled ? '' : ' (retrospectives were off in the playbook)';
  carried.push(`retrospective: ${kept.length} sections from the template's ${headings.length ? 'headings' : 'text'}${off}`);
  if (sections.length > kept.length) notCarried.push(`retrospective sections beyond ${RUN_LIMITS.retroSections}: ${sections.slice(kept.length).map((s) => `“${s.slice(0, 60)}”`).join(', ')}`);
  if (lines.some((l) => l.trim() && headingOf(l) === null)) notCarried.push("the retrospective template's text under its headings (sections keep their titles)");
  return kept;
}

/** A Markdown ATX heading's text ("### What went well ##" → "What went well"), or null for other lines. */
function headingOf(line: string): string | null {
  const open = /^ {0,3}#{1,6}[ \t]/.exec(line);
  if (!open) return null;
  let text = line.slice(open[0].length).trim();
  while (text.endsWith('#')) text = text.slice(0, -1);
  return text.replace(/[*_`]/g, '').trim();
}

function channelOf(pb: PlaybookExport, carried: string[], notCarried: string[]): TemplateDraft['channel'] {
  const named = pb.channel_name_template?.trim() ?? '';
  const nameTemplate = named && named.length + ' {name}'.length <= RUN_LIMITS.templateName ? `${named} {name}` : '{kind}-{name}';
  if (named && nameTemplate !== '{kind}-{name}') carried.push(`run channel name: “${nameTemplate}”`);
  if (named && nameTemplate === '{kind}-{name}') notCarried.push(`the channel name template (longer than ${RUN_LIMITS.templateName - ' {name}'.length} characters)`);
  const isPrivate = pb.create_public_playbook_run !== true;
  carried.push(pb.create_public_playbook_run === undefined ? "run channels: private (Playbooks' export does not say)" : `run channels: ${isPrivate ? 'private' : 'public'}`);
  const invite: Array<{ userId: string } | { group: string; id: string }> = [
    ...(pb.invited_user_ids ?? []).map((userId) => ({ userId })),
    ...(pb.invited_group_ids ?? []).map((gid) => ({ group: '', id: gid })),
  ];
  if (invite.length && pb.invite_users_enabled) carried.push(`invitations: ${invite.length} users and groups`);
  if (invite.length && !pb.invite_users_enabled) notCarried.push(`invitations (${invite.length} users and groups; they were off in the playbook)`);
  return { nameTemplate, private: isPrivate, invite: pb.invite_users_enabled ? invite : [] };
}

function noteUnknown(obj: Record<string, unknown>, read: ReadonlySet<string>, metadata: ReadonlySet<string>, where: string, notCarried: string[]): void {
  for (const key of Object.keys(obj)) {
    if (read.has(key) || metadata.has(key) || isZero(obj[key])) continue;
    notCarried.push(`${where}.${key.slice(0, 40)}: not part of Playbooks' export format version 1`);
  }
}

/** Playbooks leaves zero values out of its export; a dump with them says nothing more. */
function isZero(value: unknown): boolean {
  return value === null || value === undefined || value === false || value === 0 || value === '' || (Array.isArray(value) && value.length === 0);
}

