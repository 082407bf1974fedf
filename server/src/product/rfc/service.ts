import type { RfcReviewItem } from '../shared/agenda_sources';
import type { ProductContext } from '../shared/context';
import { UserError } from '../shared/errors';
import { UNCHANGED } from '../shared/kv';
import { humanDuration, People, utcStamp } from '../shared/people';
import { postAsBot } from '../shared/posts';
import { type RfcAction, type RfcGuard, RFC_RULES, type RfcRole, type RfcStatus, refusal, STATUS_LABEL } from './lifecycle';
import { type Rfc, rfcReference, rfcSettings } from './schema';
import { RfcStore } from './store';

const DAY = 86_400_000;
const HISTORY_LIMIT = 100;
export const JOB_KIND = 'rfc.comment_period';
export const PAGE_SIZE = 20;

/** What RFCs need from PICK: check an idea the actor can see, and link it. */
export interface IdeaLinks {
  title(actor: string, teamId: string, ideaNumber: number): Promise<string>;
  link(actor: string, teamId: string, ideaNumber: number, rfcNumber: number): Promise<void>;
}

export interface NewRfcInput {
  title: string;
  docUrl: string | null;
  /** Where to open the discussion thread (and post review notices); null = no thread. */
  channelId: string | null;
  ideaNumber: number | null;
}

export type Decision = 'accept' | 'reject' | 'postpone' | 'withdraw';

export class RfcService {
  readonly store: RfcStore;

  constructor(
    private readonly ctx: ProductContext,
    private readonly ideas: IdeaLinks,
  ) {
    this.store = new RfcStore(ctx.kv, (err) => ctx.log.error('unreadable record skipped', { key: err.key, error: err.message }));
    ctx.scheduler.register(JOB_KIND, (payload) => this.onCommentPeriodJob(payload));
  }

  people(): People {
    return new People(this.ctx.api);
  }

  async create(actor: string, teamId: string, input: NewRfcInput): Promise<Rfc> {
    const people = this.people();
    await this.requireTeam(people, actor, teamId);
    let title = input.title.trim().replace(/\s+/g, ' ');
    if (input.ideaNumber !== null) {
      const ideaTitle = await this.ideas.title(actor, teamId, input.ideaNumber);
      title ||= ideaTitle;
    }
    if (!title) throw UserError.badRequest('Give the RFC a title.', '/rfc new <title> [doc link]');
    if (title.length > 300) throw UserError.badRequest('Keep the title under 300 characters.');
    if (input.docUrl !== null && !/^https?:\/\/\S+$/i.test(input.docUrl)) throw UserError.badRequest('The doc link must be an http(s) URL.');
    if (input.channelId && !(await people.canSeeChannel(actor, input.channelId))) throw UserError.forbidden('You are not a member of that channel.');
    const now = this.ctx.now();
    const rfc = await this.store.create({
      teamId,
      title,
      docUrl: input.docUrl,
      ownerId: actor,
      status: 'draft',
      createdAt: now,
      updatedAt: now,
      channelId: input.channelId,
      rootPostId: null,
      reviewers: [],
      commentPeriod: null,
      concerns: [],
      outcome: null,
      supersededBy: null,
      supersedes: [],
      lastReviewedAt: null,
      ideaNumber: input.ideaNumber,
      history: [{ at: now, by: actor, action: 'new', note: null }],
    });
    let stored = rfc;
    if (input.channelId) {
      const root = await this.post(input.channelId, null, `#### ${rfcReference(rfc.number)} ${title}\n${STATUS_LABEL.draft} · owner @${await people.username(actor)}${input.docUrl ? ` · [document](${input.docUrl})` : ''}\nDiscuss it in this thread.`);
      if (root) stored = await this.store.update(teamId, rfc.number, (r) => ({ ...r, rootPostId: root }));
    }
    if (input.ideaNumber !== null) await this.ideas.link(actor, teamId, input.ideaNumber, rfc.number);
    await this.changed(stored);
    return stored;
  }

  async load(actor: string, teamId: string, n: number, people = this.people()): Promise<Rfc> {
    await this.requireTeam(people, actor, teamId);
    const rfc = await this.store.get(teamId, n);
    if (!rfc) throw UserError.notFound(`There is no ${rfcReference(n)} in this team.`);
    return rfc;
  }

  /** Starts the review (or adds reviewers / extends it): reviewers are asked in the thread. */
  async startReview(actor: string, teamId: string, n: number, reviewerIds: readonly string[], days: number | null): Promise<Rfc> {
    const people = this.people();
    const settings = rfcSettings(this.ctx.settings());
    const period = days ?? settings.commentPeriodDays;
    if (!Number.isInteger(period) || period < 1 || period > 90) throw UserError.badRequest('The comment period is 1 to 90 days.');
    for (const id of reviewerIds) {
      if (!(await people.isTeamMember(id, teamId))) throw UserError.badRequest(`@${await people.username(id)} is not on this team.`);
    }
    const now = this.ctx.now();
    const rfc = await this.act(people, actor, teamId, n, 'review', (current) => {
      const known = new Set(current.reviewers.map((r) => r.userId));
      const reviewers = [...current.reviewers, ...reviewerIds.filter((id) => !known.has(id)).map((userId) => ({ userId, signedOffAt: null }))];
      return {
        ...current,
        reviewers,
        commentPeriod: { startedAt: current.commentPeriod?.startedAt ?? now, endsAt: now + period * DAY },
      };
    });
    const endsAt = rfc.commentPeriod!.endsAt;
    const key = `${teamId}:${n}`;
    if (endsAt - DAY > now) await this.ctx.scheduler.schedule(`rfc-remind:${key}`, JOB_KIND, endsAt - DAY, { teamId, number: n, endsAt, phase: 'reminder' });
    else await this.ctx.scheduler.cancel(`rfc-remind:${key}`);
    await this.ctx.scheduler.schedule(`rfc-end:${key}`, JOB_KIND, endsAt, { teamId, number: n, endsAt, phase: 'end' });
    const waiting = rfc.reviewers.filter((r) => r.signedOffAt === null).map((r) => r.userId);
    await this.notify(rfc, `${await people.mentions(waiting)}: please review ${rfcReference(n)} “${rfc.title}” by ${utcStamp(endsAt)} — \`/rfc approve ${n}\` to sign off or \`/rfc concern ${n} <text>\`.`);
    return rfc;
  }

  async approve(actor: string, teamId: string, n: number): Promise<Rfc> {
    const now = this.ctx.now();
    return this.act(this.people(), actor, teamId, n, 'approve', (current) => {
      const mine = current.reviewers.find((r) => r.userId === actor)!;
      if (mine.signedOffAt !== null) return UNCHANGED;
      return { ...current, reviewers: current.reviewers.map((r) => (r.userId === actor ? { ...r, signedOffAt: now } : r)) };
    });
  }

  async raiseConcern(actor: string, teamId: string, n: number, text: string): Promise<{ rfc: Rfc; concernId: number }> {
    const clean = text.trim();
    if (!clean) throw UserError.badRequest('Say what the concern is.', '/rfc concern <n> <text>');
    if (clean.length > 2000) throw UserError.badRequest('Keep a concern under 2000 characters.');
    const now = this.ctx.now();
    const people = this.people();
    const rfc = await this.act(people, actor, teamId, n, 'concern', (current) => {
      const id = current.concerns.reduce((max, c) => Math.max(max, c.id), 0) + 1;
      const concern = { id, text: clean, raisedBy: actor, raisedAt: now, resolvedBy: null, resolvedAt: null, resolution: null };
      return { ...current, concerns: [...current.concerns, concern] };
    }, clean);
    const concernId = rfc.concerns.filter((c) => c.raisedBy === actor && c.text === clean).at(-1)!.id;
    await this.notify(rfc, `@${await people.username(actor)} raised concern #${concernId} on ${rfcReference(n)}: ${clean}\nIt blocks acceptance until resolved (\`/rfc resolve ${n} ${concernId}\`).`);
    return { rfc, concernId };
  }

  async resolveConcern(actor: string, teamId: string, n: number, concernId: number, resolution: string | null): Promise<Rfc> {
    const now = this.ctx.now();
    const people = this.people();
    const loaded = await this.load(actor, teamId, n, people);
    if (!loaded.concerns.some((c) => c.id === concernId)) throw UserError.notFound(`${rfcReference(n)} has no concern #${concernId}.`);
    const rfc = await this.act(people, actor, teamId, n, 'resolve', (current) => {
      const concern = current.concerns.find((c) => c.id === concernId);
      if (!concern) throw UserError.notFound(`${rfcReference(n)} has no concern #${concernId}.`);
      if (concern.resolvedAt !== null) throw UserError.conflict(`Concern #${concernId} is already resolved.`);
      return {
        ...current,
        concerns: current.concerns.map((c) => (c.id === concernId ? { ...c, resolvedBy: actor, resolvedAt: now, resolution } : c)),
      };
    }, resolution, (current) => (current.concerns.find((c) => c.id === concernId)?.raisedBy === actor ? ['raiser'] : []));
    const open = rfc.concerns.filter((c) => c.resolvedAt === null).length;
    await this.notify(rfc, `Concern #${concernId} on ${rfcReference(n)} resolved by @${await people.username(actor)}. ${open ? `${open} still open.` : 'No open concerns remain.'}`);
    return rfc;
  }

  async decide(actor: string, teamId: string, n: number, action: Decision, reason: string | null): Promise<Rfc> {
    const people = this.people();
    const now = this.ctx.now();
    const rfc = await this.act(people, actor, teamId, n, action, (current) => ({
      ...current,
      outcome: { status: RFC_RULES[action].to!, reason, by: actor, at: now },
      lastReviewedAt: action === 'accept' ? now : current.lastReviewedAt,
    }), reason);
    await this.cancelJobs(teamId, n);
    await this.notify(rfc, `${rfcReference(n)} is now **${STATUS_LABEL[rfc.status]}** (@${await people.username(actor)})${reason ? `: ${reason}` : '.'}`);
    return rfc;
  }

  /** `n` is superseded by `m`: the old one records its successor, then the new one its predecessor. */
  async supersede(actor: string, teamId: string, n: number, by: number): Promise<Rfc> {
    if (n === by) throw UserError.badRequest('An RFC cannot supersede itself.');
    const people = this.people();
    const successor = await this.load(actor, teamId, by, people);
    if (successor.supersededBy === n) throw UserError.conflict(`${rfcReference(by)} is itself superseded by ${rfcReference(n)}.`);
    if (['rejected', 'withdrawn'].includes(successor.status)) throw UserError.conflict(`${rfcReference(by)} is ${STATUS_LABEL[successor.status]}; it cannot supersede anything.`);
    const now = this.ctx.now();
    const old = await this.act(people, actor, teamId, n, 'supersede', (current) => ({
      ...current,
      supersededBy: by,
      outcome: { status: 'superseded' as const, reason: `superseded by ${rfcReference(by)}`, by: actor, at: now },
    }), rfcReference(by));
    const newer = await this.store.update(teamId, by, (current) =>
      current.supersedes.includes(n) ? UNCHANGED : { ...current, supersedes: [...current.supersedes, n], updatedAt: now },
    );
    await this.changed(newer);
    return old;
  }

  /** Confirms that an accepted RFC still describes the current state of its topic. */
  async markReviewed(actor: string, teamId: string, n: number): Promise<Rfc> {
    const now = this.ctx.now();
    return this.act(this.people(), actor, teamId, n, 'reviewed', (current) => ({ ...current, lastReviewedAt: now }));
  }

  async list(actor: string, teamId: string, query: { status: RfcStatus | null; mine: boolean; before?: number | null; limit?: number }): Promise<{ rfcs: Rfc[]; next: number | null }> {
    await this.requireTeam(this.people(), actor, teamId);
    const match = (s: unknown, o: unknown, r: unknown): boolean =>
      (query.status === null || s === query.status) && (!query.mine || o === actor || String(r).split(',').includes(actor));
    const page = await this.store.teamIndex(teamId).page({ before: query.before ?? null, limit: query.limit ?? PAGE_SIZE, match: (t) => match(t.s, t.o, t.r) });
    const rfcs = (await this.store.getMany(teamId, page.entries.map((e) => Number(e.id)))).filter(
      (r): r is Rfc => r !== null && match(r.status, r.ownerId, r.reviewers.map((x) => x.userId).join(',')),
    );
    return { rfcs, next: page.next };
  }

  /** RFCs in review for a guild agenda, soonest deadline first. */
  async inReview(teamId: string): Promise<RfcReviewItem[]> {
    const entries = await this.store.teamIndex(teamId).all((t) => t.s === 'in_review');
    const rfcs = await this.store.getMany(teamId, entries.map((e) => Number(e.id)));
    return rfcs
      .filter((r): r is Rfc => r !== null && r.status === 'in_review')
      .map((r) => ({
        rfcId: `${teamId}:${r.number}`,
        reference: rfcReference(r.number),
        title: r.title,
        commentPeriodEndsAt: r.commentPeriod?.endsAt ?? null,
        missingSignoffs: r.reviewers.filter((x) => x.signedOffAt === null).map((x) => x.userId),
        openConcerns: r.concerns.filter((c) => c.resolvedAt === null).length,
      }))
      .sort((a, b) => (a.commentPeriodEndsAt ?? Infinity) - (b.commentPeriodEndsAt ?? Infinity));
  }

  /** Reviews the user owes, concerns on their RFCs to answer, their own open concerns. */
  async owedBy(userId: string, teamId: string): Promise<string[]> {
    const entries = await this.store.teamIndex(teamId).all((t) => t.s === 'draft' || t.s === 'in_review' || t.s === 'postponed');
    const rfcs = (await this.store.getMany(teamId, entries.map((e) => Number(e.id)))).filter((r): r is Rfc => r !== null);
    const now = this.ctx.now();
    const lines: string[] = [];
    for (const r of rfcs) {
      const ref = `${rfcReference(r.number)} “${r.title}”`;
      const mine = r.reviewers.find((x) => x.userId === userId);
      if (r.status === 'in_review' && mine && mine.signedOffAt === null) {
        const left = r.commentPeriod ? ` (comment period ${r.commentPeriod.endsAt > now ? `ends in ${humanDuration(r.commentPeriod.endsAt - now)}` : 'has ended'})` : '';
        lines.push(`Review ${ref}${left}: \`/rfc approve ${r.number}\` or \`/rfc concern ${r.number} <text>\``);
      }
      const open = r.concerns.filter((c) => c.resolvedAt === null);
      if (r.ownerId === userId && open.length) lines.push(`Answer ${open.length} open concern${open.length > 1 ? 's' : ''} on ${ref}`);
      for (const c of open.filter((c) => c.raisedBy === userId)) lines.push(`Your concern #${c.id} on ${ref} is open: \`/rfc resolve ${r.number} ${c.id}\` once addressed`);
    }
    return lines;
  }

  /**
   * Runs one lifecycle action under compare-and-set: roles and state are checked against the
   * current record inside the update, so two nodes can never both, say, accept and withdraw.
   */
  private async act(
    people: People,
    actor: string,
    teamId: string,
    n: number,
    action: RfcAction,
    apply: (rfc: Rfc) => Rfc | typeof UNCHANGED,
    note: string | null = null,
    extraRoles: (rfc: Rfc) => RfcRole[] = () => [],
  ): Promise<Rfc> {
    const loaded = await this.load(actor, teamId, n, people);
    const isApprover = rfcSettings(this.ctx.settings()).approvers.includes((await people.username(actor)).toLowerCase());
    const names = new Map(await Promise.all(loaded.reviewers.map(async (r) => [r.userId, await people.username(r.userId)] as const)));
    const rule = RFC_RULES[action];
    const now = this.ctx.now();
    const stored = await this.store.update(teamId, n, (current) => {
      const roles = new Set<RfcRole>(['member', ...extraRoles(current)]);
      if (current.ownerId === actor) roles.add('owner');
      if (isApprover) roles.add('approver');
      if (current.reviewers.some((r) => r.userId === actor)) roles.add('reviewer');
      const refused = refusal(action, current.status, roles);
      // The wrong role is forbidden (403); the right role at the wrong moment is a conflict (409).
      if (refused) throw new UserError(`${rfcReference(n)}: ${refused}`, rule.from.includes(current.status) ? 403 : 409);
      const next = apply(current);
      if (next === UNCHANGED) return UNCHANGED;
      // Guards judge the RFC as the action would leave it (e.g. review with its new reviewers).
      for (const guard of rule.guards) {
        const blocked = checkGuard(guard, next, now, names);
        if (blocked) throw UserError.conflict(`${rfcReference(n)} cannot be ${action === 'accept' ? 'accepted' : 'changed'} yet: ${blocked}`);
      }
      return {
        ...next,
        status: rule.to ?? next.status,
        updatedAt: now,
        history: [...next.history, { at: now, by: actor, action, note }].slice(-HISTORY_LIMIT),
      };
    });
    if (stored !== loaded) await this.changed(stored);
    return stored;
  }

  private async requireTeam(people: People, actor: string, teamId: string): Promise<void> {
    if (!teamId || !(await people.isTeamMember(actor, teamId))) throw UserError.forbidden('RFCs belong to a team; you are not a member of this one.');
  }

  private async cancelJobs(teamId: string, n: number): Promise<void> {
    await this.ctx.scheduler.cancel(`rfc-remind:${teamId}:${n}`);
    await this.ctx.scheduler.cancel(`rfc-end:${teamId}:${n}`);
  }

  /** The comment-period reminder and end notice; stale jobs (period changed, review over) do nothing. */
  private async onCommentPeriodJob(payload: Record<string, unknown>): Promise<void> {
    const { teamId, number, endsAt, phase } = payload as { teamId: string; number: number; endsAt: number; phase: string };
    const rfc = await this.store.get(teamId, number);
    if (!rfc || rfc.status !== 'in_review' || rfc.commentPeriod?.endsAt !== endsAt) return;
    const people = this.people();
    const missing = rfc.reviewers.filter((r) => r.signedOffAt === null).map((r) => r.userId);
    const open = rfc.concerns.filter((c) => c.resolvedAt === null);
    const ref = `${rfcReference(number)} “${rfc.title}”`;
    if (phase === 'reminder') {
      if (missing.length === 0) return;
      await this.notify(rfc, `Reminder: the comment period of ${ref} ends in ${humanDuration(endsAt - this.ctx.now())}. Still waiting for ${await people.mentions(missing)}.`);
      return;
    }
    const state = open.length
      ? `${open.length} open concern${open.length > 1 ? 's' : ''} block${open.length > 1 ? '' : 's'} acceptance.`
      : missing.length
        ? `No open concerns; ${missing.length} reviewer${missing.length > 1 ? 's' : ''} did not sign off (${await people.mentions(missing)}). @${await people.username(rfc.ownerId)} may now accept.`
        : `Everyone signed off and no concerns are open. @${await people.username(rfc.ownerId)} may now accept.`;
    await this.notify(rfc, `The comment period of ${ref} has ended. ${state}`);
  }

  private async notify(rfc: Rfc, message: string): Promise<void> {
    if (rfc.channelId) await this.post(rfc.channelId, rfc.rootPostId, message);
  }

  private post(channelId: string, rootId: string | null, message: string): Promise<string | null> {
    return postAsBot(this.ctx, { channelId, rootId, message }, 'RFC notice');
  }

  private async changed(rfc: Rfc): Promise<void> {
    await this.ctx.events.publish('rfc_changed', { rfc }, { teamId: rfc.teamId });
  }
}

function checkGuard(guard: RfcGuard, rfc: Rfc, now: number, names: ReadonlyMap<string, string>): string | null {
  switch (guard) {
    case 'hasReviewers':
      return rfc.reviewers.length === 0 ? 'name at least one reviewer (`/rfc review <n> @reviewer …`).' : null;
    case 'noOpenConcerns': {
      const open = rfc.concerns.filter((c) => c.resolvedAt === null);
      if (open.length === 0) return null;
      const list = open.map((c) => `#${c.id} “${c.text.slice(0, 80)}”`).join(', ');
      return `${open.length} open concern${open.length > 1 ? 's' : ''} block${open.length > 1 ? '' : 's'} acceptance: ${list}. Resolve with \`/rfc resolve ${rfc.number} <concern-id>\`.`;
    }
    case 'signedOffOrPeriodOver': {
      const missing = rfc.reviewers.filter((r) => r.signedOffAt === null);
      const endsAt = rfc.commentPeriod?.endsAt ?? 0;
      if (missing.length === 0 || now >= endsAt) return null;
      const who = missing.map((r) => `@${names.get(r.userId) ?? r.userId}`).join(', ');
      return `waiting for sign-off from ${who}; without it, acceptance opens when the comment period ends (${utcStamp(endsAt)}).`;
    }
  }
}
