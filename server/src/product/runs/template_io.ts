/**
 * Templates as JSON: our own exchange format (`{format: "infra-ops.template", version: 1,
 * template}`, schema in the contract), out and in. People travel portably — users by username,
 * groups by id with their name — and are resolved again on import; whoever is unknown here is
 * reported and left out, and the rest of the template applies. Pure, except for the resolver the
 * service passes in.
 */
import * as z from 'zod/mini';
import { RUN_LIMITS, TEMPLATE_FORMAT, type TemplateDocument, templateDocument, type TemplatePerson } from '../contract/runs';
import { UserError } from '../shared/errors';
import { IMPORT } from './messages';
import { type Assignee, type TemplateBody, templateBodySchema, type TemplateItem } from './records';

/** A person before resolution: as a document names them, or as Playbooks stores them (a user id). */
export type PersonRef = TemplatePerson | { readonly userId: string };
type InviteRef = Exclude<PersonRef, { role: unknown }>;

export interface DraftItem extends Omit<TemplateItem, 'assignees' | 'approval'> {
  readonly assignees: readonly PersonRef[];
  readonly approval: { readonly approvers: readonly PersonRef[]; readonly quorum: NonNullable<TemplateItem['approval']>['quorum'] } | null;
}
/** A template whose people are still names: what the two readers produce and `resolveDraft` finishes. */
export interface TemplateDraft extends Omit<TemplateBody, 'checklists' | 'channel'> {
  readonly checklists: ReadonlyArray<{ readonly title: string; readonly items: readonly DraftItem[] }>;
  readonly channel: { readonly nameTemplate: string; readonly private: boolean; readonly invite: readonly InviteRef[] };
}

const MAX_PROBLEMS = 10;

// ---- reading ----

/** The document's text as JSON, or a 400 saying where it stopped being JSON. */
export function readJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw UserError.badRequest(IMPORT.refused([IMPORT.notJson(err instanceof Error ? err.message : String(err))]));
  }
}

/** `template.checklists[2].items[4].title: at most 200 characters` — each problem by field and reason. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], root: readonly PropertyKey[] = []): string[] {
  const lines = issues.map((issue) => `${fieldPath([...root, ...issue.path]) || 'document'}: ${reason(issue)}`);
  return lines.length > MAX_PROBLEMS ? [...lines.slice(0, MAX_PROBLEMS), IMPORT.moreProblems(lines.length - MAX_PROBLEMS)] : lines;
}

export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p).slice(0, 40)}`)).join('');
}

function reason(issue: z.core.$ZodIssue): string {
  const unit = (origin: string): string => (origin === 'string' ? ' characters' : origin === 'array' ? ' entries' : '');
  switch (issue.code) {
    case 'too_big':
      return `${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}${unit(issue.origin)}`;
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'must not be empty';
      return `${issue.inclusive === false ? 'more than' : 'at least'} ${String(issue.minimum)}${unit(issue.origin)}`;
    case 'invalid_type':
      return issue.input === undefined ? `missing (expected ${issue.expected})` : `expected ${issue.expected}`;
    case 'invalid_value':
      return `${issue.input === undefined ? 'missing: ' : ''}must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}`;
    case 'invalid_union':
      return 'expected {"role": "owner"}, {"user": "<username>"} or {"group": "<name>", "id": "<group id>"}';
    case 'not_multiple_of':
    case 'invalid_format':
    case 'invalid_key':
    case 'invalid_element':
    case 'custom':
      return issue.message || `invalid (${issue.code})`;
  }
}

/** Our own format: the whole document checked against the contract's schema, every problem named. */
export function parseDocument(text: string): TemplateDraft {
  const parsed = z.safeParse(templateDocument, readJson(text), { reportInput: true });
  if (!parsed.success) throw UserError.badRequest(IMPORT.refused(describeIssues(parsed.error.issues)));
  const t = parsed.data.template;
  checkTotalItems(t.checklists);
  return t;
}

export function checkTotalItems(checklists: ReadonlyArray<{ items: readonly unknown[] }>): void {
  const total = checklists.reduce((n, l) => n + l.items.length, 0);
  if (total > RUN_LIMITS.items) throw UserError.badRequest(IMPORT.refused([IMPORT.tooManyItems(RUN_LIMITS.items)]));
}

// ---- resolving people ----

/** Lookups on this server: each answers the user's or group's id, or null when there is none. */
export interface PeopleResolver {
  userByName(username: string): Promise<string | null>;
  userById(userId: string): Promise<string | null>;
  group(groupId: string): Promise<string | null>;
}

/**
 * The draft's people looked up on this server. Unknown ones are left out where they were named and
 * reported once each, with every place they were named; everything else applies.
 */
export async function resolveDraft(draft: TemplateDraft, resolver: PeopleResolver): Promise<{ body: TemplateBody; unresolved: string[] }> {
  const missing = new Map<string, { line: (where: string) => string; places: string[] }>();
  const cache = new Map<string, Promise<Assignee | null>>();
  const resolve = async (ref: PersonRef, place: string): Promise<Assignee | null> => {
    if ('role' in ref) return { role: ref.role };
    const key = 'user' in ref ? `u:${ref.user}` : 'userId' in ref ? `i:${ref.userId}` : `g:${ref.id}`;
    let found = cache.get(key);
    if (!found) {
      found = lookUp(ref, resolver);
      cache.set(key, found);
    }
    const got = await found;
    if (!got) {
      const entry = missing.get(key) ?? { line: unknownLine(ref), places: [] };
      if (!entry.places.includes(place)) entry.places.push(place);
      missing.set(key, entry);
    }
    return got;
  };
  const all = async (refs: readonly PersonRef[], place: string): Promise<Assignee[]> => {
    const out: Assignee[] = [];
    for (const ref of refs) {
      const a = await resolve(ref, place);
      if (a && !out.some((b) => JSON.stringify(b) === JSON.stringify(a))) out.push(a);
    }
    return out;
  };

  const checklists: TemplateBody['checklists'] = [];
  for (const [li, list] of draft.checklists.entries()) {
    const items: TemplateItem[] = [];
    for (const [ii, it] of list.items.entries()) {
      const ref = `${li + 1}.${ii + 1}`;
      const approval = it.approval ? { approvers: await all(it.approval.approvers, `the approvers of ${ref}`), quorum: it.approval.quorum } : null;
      items.push({ ...it, assignees: await all(it.assignees, `item ${ref}`), approval });
    }
    checklists.push({ title: list.title, items });
  }
  const invite = (await all(draft.channel.invite, 'the channel invitations')).filter((a): a is Exclude<Assignee, { role: unknown }> => !('role' in a));
  const body = templateBodySchema.parse({ ...draft, checklists, channel: { ...draft.channel, invite } });
  return { body, unresolved: [...missing.values()].map((m) => m.line(m.places.join(', '))) };
}

async function lookUp(ref: Exclude<PersonRef, { role: unknown }>, resolver: PeopleResolver): Promise<Assignee | null> {
  if ('user' in ref) {
    const id = await resolver.userByName(ref.user.replace(/^@/, ''));
    return id ? { userId: id } : null;
  }
  if ('userId' in ref) {
    const id = await resolver.userById(ref.userId);
    return id ? { userId: id } : null;
  }
  const id = await resolver.group(ref.id);
  return id ? { groupId: id } : null;
}

function unknownLine(ref: Exclude<PersonRef, { role: unknown }>): (where: string) => string {
  if ('user' in ref) return (where) => IMPORT.unknownUser(ref.user.replace(/^@/, ''), where);
  if ('userId' in ref) return (where) => IMPORT.unknownUserId(ref.userId, where);
  return (where) => IMPORT.unknownGroup(ref.group, ref.id, where);
}

// ---- writing ----

/** Names for the ids a template holds, looked up by the service; a missing one travels as its id. */
export interface Names {
  readonly users: ReadonlyMap<string, string>;
  readonly groups: ReadonlyMap<string, string>;
}

/** The user and group ids a template names (what the service looks up before exporting). */
export function idsIn(body: TemplateBody): { userIds: string[]; groupIds: string[] } {
  const people: Assignee[] = [
    ...body.checklists.flatMap((l) => l.items.flatMap((it) => [...it.assignees, ...(it.approval?.approvers ?? [])])),
    ...body.channel.invite,
  ];
  const userIds = new Set<string>();
  const groupIds = new Set<string>();
  for (const p of people) {
    if ('userId' in p) userIds.add(p.userId);
    if ('groupId' in p) groupIds.add(p.groupId);
  }
  return { userIds: [...userIds], groupIds: [...groupIds] };
}

export function toDocument(body: TemplateBody, names: Names): TemplateDocument {
  const person = (a: Assignee): TemplatePerson =>
    'role' in a ? { role: a.role } : 'userId' in a ? { user: names.users.get(a.userId) ?? a.userId } : { group: names.groups.get(a.groupId) ?? '', id: a.groupId };
  const invitee = (a: Exclude<Assignee, { role: unknown }>): { user: string } | { group: string; id: string } =>
    'userId' in a ? { user: names.users.get(a.userId) ?? a.userId } : { group: names.groups.get(a.groupId) ?? '', id: a.groupId };
  return {
    format: TEMPLATE_FORMAT,
    version: 1,
    template: {
      name: body.name,
      kind: body.kind,
      description: body.description,
      checklists: body.checklists.map((l) => ({
        title: l.title,
        items: l.items.map((it) => ({
          title: it.title,
          description: it.description,
          assignees: it.assignees.map(person),
          dueMinutes: it.dueMinutes,
          command: it.command,
          approval: it.approval ? { approvers: it.approval.approvers.map(person), quorum: { kind: it.approval.quorum.kind, n: it.approval.quorum.n } } : null,
        })),
      })),
      statusUpdateMinutes: body.statusUpdateMinutes,
      ...(body.statusUpdatesBySeverity ? { statusUpdatesBySeverity: true } : {}),
      summary: body.summary,
      retrospective: [...body.retrospective],
      channel: { nameTemplate: body.channel.nameTemplate, private: body.channel.private, invite: body.channel.invite.map(invitee) },
      appliesTo: { types: [...body.appliesTo.types], severities: [...body.appliesTo.severities] },
    },
  };
}

/** What an import of our own format says it carried over. */
export function carriedOverOf(body: TemplateBody): string[] {
  const items = body.checklists.flatMap((l) => l.items);
  return [
    `${body.checklists.length} checklists, ${items.length} items (${items.filter((i) => i.approval).length} approval gates)`,
    `status updates: ${body.statusUpdateMinutes === null ? 'never' : `every ${body.statusUpdateMinutes} minutes`}`,
    ...(body.retrospective.length ? [`retrospective: ${body.retrospective.length} sections`] : []),
  ];
}
