import { PAGE_SIZE_DEFAULT } from '../contract/api';
import type { RfcDecision, RfcView } from '../contract/rfc';
import type { Access, Holders, Scope } from '../shared/access/policy';
import type { ProductContext } from '../shared/context';
import { corruptRecordsFor } from '../shared/corrupt_records';
import { CorruptRecordError, nullIfCorrupt, UserError } from '../shared/errors';
import { UNCHANGED } from '../shared/kv';
import { People } from '../shared/people';
import type { IdeaLinkPort, Listed, Reader, RfcReviewItem, RfcReviewSource, RfcTitlePort } from '../shared/ports';
import { addSeats, answer, delegate, evaluate, type Gate, GateRefusal, newGate, raiseConcern, resolveConcern, SAME, seatsOf } from '../shared/signoff/gate';
import { checkCount, checkText } from '../shared/text/limits';
import { withoutChannelMentions } from '../shared/text/mentions';
import { Approvers } from './approvers';
import { allowedFrom, type RfcAction, type RfcGuard, type RfcStatus, RFC_TRANSITIONS } from './lifecycle';
import type { OwedFact } from '../shared/owed';
import { rfcOwedFacts } from './owed';
import { ACTION_WORDS, blocked, ERR, guardText, NO_SUCH_CHANNEL, NO_SUCH_TEAM, noSuchRfc, rfcReference, stateRefusal, thread, USAGE } from './messages';
import { RFC_RULES, type RfcRole, rfcPolicy } from './policy';
import { LIMITS, type Rfc } from './records';
import { parseSettings } from './settings';
import { RfcStore } from './store';
import { RfcThread } from './thread';
import { answererIds, type Lineage, missingSignoffs, openConcerns, reviewerIds, reviewItem, rfcChangedView, rfcView } from './views';

const DAY = 86_400_000;
const GATE_LIMITS = { seats: LIMITS.reviewers, concerns: LIMITS.concerns, text: LIMITS.text } as const;
export const JOB_KIND = 'rfc.comment_period';
/** A list page skips RFCs the reader may not see; it reads at most this many index pages to fill up. */
/** KV reads of one list page (index head and chunks), and index entries read per RFC shown. */
const LIST_READS = 3;
const LIST_SPARE = 3;

export interface OpenInput {
  title: string;
  docUrl: string | null;
  /** The channel it is opened in: it belongs there. */
  channelId: string;
  /** Post its discussion thread in the channel (false: `--no-thread`). */
  thread: boolean;
  ideaNumber: number | null;
}

export interface ListQuery {
  status: RfcStatus | null;
  /** Owned or reviewed by the caller. */
  mine: boolean;
  /** The `nextCursor` of the previous page. */
  cursor: number | null;
  limit?: number;
}

/** One command or request: who acts, in which team, and Mattermost's answers memoised for it. */
interface Call {
  readonly actor: string;
  readonly teamId: string;
  readonly access: Access;
  readonly people: People;
}

/**
 * The RFC use cases, in the order an RFC lives them: opened in a channel (it belongs there: its
 * readers see it, its thread and events go there), put in review with reviewers and a comment
 * period, signed off or met with concerns that block acceptance, decided by its owner or an
 * approver, later superseded or re-confirmed. Every step is checked against policy.ts (who) and
 * lifecycle.ts (when), on the record as it is now, under compare-and-set.
 */
export class RfcService implements RfcReviewSource, RfcTitlePort {
  readonly store: RfcStore;
  /** Unreadable records: logged once with their key and listed by `/infra doctor`; reads skip them. */
  private readonly report: (err: CorruptRecordError) => void;
  private readonly approvers: Approvers;
  private readonly thread: RfcThread;

  constructor(
    private readonly ctx: ProductContext,
    private readonly ideas: IdeaLinkPort,
    /** Reviewers asked are enrolled in the daily digest (it lists the reviews they owe). */
    private readonly involved: (userIds: readonly string[], teamId: string) => Promise<void> = async () => {},
  ) {
    const corrupt = corruptRecordsFor(ctx.kv, ctx.log, ctx.now);
    this.report = (err) => void corrupt.reportError(err);
    this.store = new RfcStore(ctx.kv, this.report);
    this.approvers = new Approvers(this.store, () => parseSettings(ctx.settings()), ctx.api, ctx.log, ctx.now);
    this.thread = new RfcThread(ctx);
  }

  /** Called once by the feature's activate. */
  /** Builds the open sets from the indexes once per installation (store.migrateOpenSets). */
  migrateOpenSets(): Promise<number> {
    return this.store.migrateOpenSets(this.ctx.now());
  }

  registerJobs(): void {
    this.ctx.scheduler.register(JOB_KIND, (payload) => this.onCommentPeriodJob(payload));
  }

  people(): People {
    return new People(this.ctx.api);
  }

  // ---- opening and reading ----

  /** `idea`: the idea it was linked to, and the RFC that idea was linked to before (replaced). */
  async open(actor: string, teamId: string, input: OpenInput): Promise<{ rfc: RfcView; idea: { number: number; replaced: number | null } | null; warnings: string[] }> {
    const c = this.call(actor, teamId);
    if (input.docUrl !== null) {
      checkText(input.docUrl, LIMITS.docUrl, 'the doc link');
      if (!/^https?:\/\/\S+$/i.test(input.docUrl)) throw UserError.badRequest(ERR.badDocUrl);
    }
    // The RFC belongs to the channel it is opened in: a team channel of this team the actor may post in.
    const scope = await c.access.scopeOfChannel(actor, input.channelId);
    if (scope.teamId !== teamId) throw UserError.notFound(NO_SUCH_CHANNEL);
    await rfcPolicy.require(c.access, actor, 'open', { scope }, ACTION_WORDS.open);
    let title = input.title.trim().replace(/\s+/g, ' ');
    // The idea is checked before anything is made: one the actor can't see or may not link is refused, not half-done.
    if (input.ideaNumber !== null) {
      const ideaTitle = (await this.ideas.title(actor, teamId, input.ideaNumber)).trim();
      title ||= ideaTitle;
    }
    if (!title) throw UserError.badRequest(ERR.noTitle, `/rfc new ${USAGE.new}`);
    title = checkText(title, LIMITS.title, 'an RFC title');

    const now = this.ctx.now();
    let rfc = await this.store.create({
      teamId,
      title,
      docUrl: input.docUrl,
      ownerId: actor,
      status: 'draft',
      createdAt: now,
      updatedAt: now,
      channelId: input.channelId,
      rootPostId: null,
      commentPeriod: null,
      review: newReviewGate(),
      outcome: null,
      supersededBy: null,
      supersedes: [],
      lastReviewedAt: null,
      ideaNumber: input.ideaNumber,
      history: [{ at: now, by: actor, action: 'new', note: null }],
    });
    if (input.thread) {
      const root = await this.thread.open(input.channelId, thread.root(rfc, await this.relay(c, rfc, title), await c.people.username(actor)));
      if (root) rfc = (await this.store.update(teamId, rfc.number, (r) => ({ ...r, rootPostId: root }))).after;
    }
    const warnings: string[] = [];
    let idea: { number: number; replaced: number | null } | null = null;
    if (input.ideaNumber !== null) {
      try {
        const { previous } = await this.ideas.link(actor, teamId, input.ideaNumber, rfc.number);
        idea = { number: input.ideaNumber, replaced: previous };
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        warnings.push(ERR.notLinked(input.ideaNumber, err.message));
      }
    }
    await this.publish(c, rfc);
    return { rfc: await this.view(c, rfc), idea, warnings };
  }

  async get(actor: string, teamId: string, n: number): Promise<RfcView> {
    const c = this.call(actor, teamId);
    return this.view(c, await this.find(c, n));
  }

  /** The team's RFCs the caller may see now, newest first. */
  async list(actor: string, teamId: string, query: ListQuery): Promise<{ items: RfcView[]; nextCursor: string | null }> {
    const c = this.call(actor, teamId);
    await this.requireMember(c);
    const limit = query.limit ?? PAGE_SIZE_DEFAULT;
    const wanted = (status: unknown, owner: unknown, reviewers: readonly string[]): boolean =>
      (query.status === null || status === query.status) && (!query.mine || owner === actor || reviewers.includes(actor));
    // One index read of spare entries (≤ 3 KV reads), then only as many access checks as needed.
    const page = await this.store.teamIndex(teamId).page({ before: query.cursor, limit: limit * LIST_SPARE, match: (t) => wanted(t.s, t.o, String(t.r ?? '').split(',')), maxReads: LIST_READS });
    const records = (await this.store.fromEntries(teamId, page.entries)).filter((r) => r.teamId === teamId && wanted(r.status, r.ownerId, reviewerIds(r)));
    const found: Rfc[] = [];
    let used = 0;
    while (found.length < limit && used < records.length) {
      const batch = records.slice(used, used + limit - found.length);
      used += batch.length;
      found.push(...(await c.access.filterVisible(actor, batch, (r) => this.scopeOf(teamId, r))));
    }
    const before = used < records.length ? records[used - 1]!.ordinal : page.next;
    return { items: await Promise.all(found.map((r) => this.view(c, r))), nextCursor: before === null ? null : String(before) };
  }

  // ---- review ----

  /**
   * Starts the review (from Draft or Postponed: the comment period starts now and every pending
   * reviewer is asked), or changes a running one: new reviewers are added and only they are asked;
   * the comment period keeps its end unless `days` moves it (`days` from now) or `restart` starts
   * it again from now (`days`, or the default length; sign-offs are kept and everyone who has not
   * signed off is asked again).
   */
  async review(
    actor: string,
    teamId: string,
    n: number,
    named: readonly string[],
    days: number | null,
    restart = false,
  ): Promise<{ rfc: RfcView; started: boolean; restarted: boolean; added: string[]; periodMoved: boolean }> {
    const c = this.call(actor, teamId);
    if (days !== null && (!Number.isInteger(days) || days < 1 || days > LIMITS.commentPeriodDays)) throw UserError.badRequest(ERR.period(LIMITS.commentPeriodDays));
    named = [...new Set(named)];
    checkCount(named.length, LIMITS.reviewers, 'reviewers per RFC');
    const loaded = await this.find(c, n);
    const scope = this.scopeOf(teamId, loaded);
    await this.requireRule(c, loaded, 'review');
    for (const id of named) await this.requireReviewer(c, loaded, scope, id);

    const defaultDays = parseSettings(this.ctx.settings()).commentPeriodDays;
    const now = this.ctx.now();
    const { before, after } = await this.act(c, loaded, 'review', (current) => {
      const known = new Set(reviewerIds(current));
      const adding = named.filter((id) => !known.has(id));
      if (current.review.seats.length + adding.length > LIMITS.reviewers) {
        throw UserError.badRequest(ERR.tooManyReviewers(LIMITS.reviewers, n, current.review.seats.length, adding.length));
      }
      const starting = current.status !== 'in_review' || current.commentPeriod === null || restart;
      const commentPeriod = starting
        ? { startedAt: now, endsAt: now + (days ?? defaultDays) * DAY }
        : { startedAt: current.commentPeriod!.startedAt, endsAt: days === null ? current.commentPeriod!.endsAt : now + days * DAY };
      if (!starting && adding.length === 0 && commentPeriod.endsAt === current.commentPeriod!.endsAt) return UNCHANGED;
      const seated = gateStep(addSeats(current.review, adding.map((userId) => ({ userId })), GATE_LIMITS), current.review);
      return { ...current, commentPeriod, review: { ...seated, deadline: commentPeriod.endsAt } };
    });
    const started = before.status !== 'in_review' || before.commentPeriod === null;
    const restarted = !started && restart;
    const known = new Set(reviewerIds(before));
    const added = reviewerIds(after).filter((id) => !known.has(id));
    const endsAt = after.commentPeriod!.endsAt;
    const periodMoved = started || endsAt !== before.commentPeriod?.endsAt;
    if (after !== before) {
      if (periodMoved) await this.scheduleJobs(teamId, n, endsAt, now);
      const ask = started || restarted ? missingSignoffs(after) : added;
      const title = await this.relay(c, after, after.title);
      if (restarted) await this.thread.notify(c.access, teamId, after, thread.periodRestarted(n, endsAt, await c.people.username(actor)), false);
      if (ask.length) {
        await this.thread.notify(c.access, teamId, after, thread.reviewRequest(await c.people.mentions(ask), n, title, endsAt), true);
        this.ctx.afterAnswer.run('digest enrolment', () => this.involved(ask, teamId));
      }
      if (periodMoved && !started && !restarted) await this.thread.notify(c.access, teamId, after, thread.periodMoved(n, endsAt, await c.people.username(actor)), false);
    }
    return { rfc: await this.view(c, after), started, restarted, added, periodMoved: after !== before && periodMoved };
  }

  /** A reviewer signs off; signing off twice changes nothing. */
  async signOff(actor: string, teamId: string, n: number): Promise<{ rfc: RfcView; already: boolean }> {
    const c = this.call(actor, teamId);
    const now = this.ctx.now();
    const loaded = await this.find(c, n);
    await this.requireRule(c, loaded, 'approve');
    const { before, after } = await this.act(c, loaded, 'approve', (current) => {
      const mine = seatsOf(current.review, actor);
      // Signing off once is enough: an approval stands, and the one who signed off keeps the time they did.
      if (mine.length === 0 || mine.every((seat) => seat.answer === 'approve')) return UNCHANGED;
      const next = answer(current.review, actor, mine, 'approve', now);
      return next === SAME ? UNCHANGED : { ...current, review: next };
    });
    if (after !== before) await this.thread.notify(c.access, teamId, after, thread.signedOff(await c.people.username(actor), n, missingSignoffs(after).length), false);
    return { rfc: await this.view(c, after), already: after === before };
  }

  /**
   * A reviewer (or whoever they delegated to) holds the RFC — acceptance waits until they sign off
   * or abstain — or abstains: they leave the count of sign-offs needed. The same answer twice
   * changes nothing.
   */
  async answerReview(actor: string, teamId: string, n: number, given: 'hold' | 'abstain', note: string | null): Promise<{ rfc: RfcView; already: boolean }> {
    const c = this.call(actor, teamId);
    const said = note === null ? null : checkText(note, LIMITS.text, 'a note') || null;
    const now = this.ctx.now();
    const loaded = await this.find(c, n);
    await this.requireRule(c, loaded, given);
    const { before, after } = await this.act(
      c,
      loaded,
      given,
      (current) => {
        const next = answer(current.review, actor, seatsOf(current.review, actor), given, now, said);
        return next === SAME ? UNCHANGED : { ...current, review: next };
      },
      said,
    );
    if (after !== before) {
      const name = await c.people.username(actor);
      const relayed = said === null ? null : await this.relay(c, after, said);
      await this.thread.notify(c.access, teamId, after, given === 'hold' ? thread.held(name, n, relayed) : thread.abstained(name, n, relayed, missingSignoffs(after).length), said !== null);
    }
    return { rfc: await this.view(c, after), already: after === before };
  }

  /** A reviewer lets `to` answer for them (null: takes it back). `to` must be able to see the RFC and post in its channel. */
  async delegateReview(actor: string, teamId: string, n: number, to: string | null): Promise<{ rfc: RfcView; already: boolean }> {
    const c = this.call(actor, teamId);
    const loaded = await this.find(c, n);
    await this.requireRule(c, loaded, 'delegate');
    if (to !== null) await this.requireReviewer(c, loaded, this.scopeOf(teamId, loaded), to);
    const { before, after } = await this.act(c, loaded, 'delegate', (current) => {
      // Only one's own seat is handed on: a delegate cannot pass it further.
      const own = current.review.seats.filter((s) => s.userId === actor);
      if (own.length === 0) throw UserError.forbidden(ERR.onlyReviewersDelegate(n));
      const next = gateCall(n, () => delegate(current.review, own, to));
      return next === SAME ? UNCHANGED : { ...current, review: next };
    });
    if (after !== before) await this.thread.notify(c.access, teamId, after, thread.delegated(await c.people.username(actor), n, to === null ? null : await c.people.username(to)), false);
    return { rfc: await this.view(c, after), already: after === before };
  }

  // ---- concerns ----

  async raiseConcern(actor: string, teamId: string, n: number, text: string): Promise<{ rfc: RfcView; concernId: number }> {
    const c = this.call(actor, teamId);
    const clean = checkText(text, LIMITS.text, 'a concern');
    if (!clean) throw UserError.badRequest(ERR.noConcernText, `/rfc concern ${USAGE.concern}`);
    const now = this.ctx.now();
    const loaded = await this.find(c, n);
    await this.requireRule(c, loaded, 'concern');
    let concernId = 0;
    const { after } = await this.act(
      c,
      loaded,
      'concern',
      (current) => {
        const raised = gateCall(n, () => raiseConcern(current.review, actor, clean, now, GATE_LIMITS));
        concernId = raised.concern.id;
        return { ...current, review: raised.gate };
      },
      clean,
    );
    await this.thread.notify(c.access, teamId, after, thread.concern(await c.people.username(actor), concernId, n, await this.relay(c, after, clean)), true);
    return { rfc: await this.view(c, after), concernId };
  }

  async resolveConcern(actor: string, teamId: string, n: number, concernId: number, resolution: string | null): Promise<RfcView> {
    const c = this.call(actor, teamId);
    const note = resolution === null ? null : checkText(resolution, LIMITS.text, 'a resolution') || null;
    const now = this.ctx.now();
    const loaded = await this.find(c, n);
    const concern = loaded.review.concerns.find((x) => x.id === concernId);
    if (!concern) throw UserError.notFound(ERR.noSuchConcern(n, concernId));
    await this.requireRule(c, loaded, 'resolve', { raiser: concern.raisedBy });
    const { after } = await this.act(
      c,
      loaded,
      'resolve',
      (current) => ({ ...current, review: gateCall(n, () => resolveConcern(current.review, concernId, actor, note, now), concernId) }),
      note,
    );
    const said = note === null ? null : await this.relay(c, after, note);
    await this.thread.notify(c.access, teamId, after, thread.resolved(concernId, n, await c.people.username(actor), said, openConcerns(after).length), note !== null);
    return this.view(c, after);
  }

  // ---- decisions ----

  async decide(actor: string, teamId: string, n: number, decision: RfcDecision, reason: string | null): Promise<RfcView> {
    const c = this.call(actor, teamId);
    const why = reason === null ? null : checkText(reason, LIMITS.text, 'a reason') || null;
    const now = this.ctx.now();
    const loaded = await this.find(c, n);
    await this.requireRule(c, loaded, decision);
    const { after } = await this.act(
      c,
      loaded,
      decision,
      (current) => ({
        ...current,
        outcome: { status: RFC_TRANSITIONS[decision].to!, reason: why, by: actor, at: now },
        lastReviewedAt: decision === 'accept' ? now : current.lastReviewedAt,
      }),
      why,
    );
    await this.cancelJobs(teamId, n);
    const said = why === null ? null : await this.relay(c, after, why);
    await this.thread.notify(c.access, teamId, after, thread.decided(n, after.status, await c.people.username(actor), said), why !== null);
    return this.view(c, after);
  }

  /**
   * `n` is superseded by `by`. Two records change: the new link is written first (`by` lists `n`
   * in `supersedes`), then `n` records its successor and becomes Superseded. Until the second write
   * lands the link is unconfirmed and no view shows it (views.ts: Lineage); if the second write is
   * refused the first is taken back, and a supersede that stopped half-way is completed by running
   * it again. A cycle (`by` already superseded by `n`, however far down the chain) is refused.
   */
  async supersede(actor: string, teamId: string, n: number, by: number): Promise<RfcView> {
    if (n === by) throw UserError.badRequest(ERR.supersedeItself);
    const c = this.call(actor, teamId);
    const old = await this.find(c, n);
    await this.requireRule(c, old, 'supersede');
    const successor = await this.find(c, by);
    await this.refuseCycle(teamId, n, successor);
    if (['rejected', 'withdrawn', 'superseded'].includes(successor.status)) throw UserError.conflict(ERR.successorClosed(by, successor.status));
    if (!allowedFrom('supersede', old.status)) throw UserError.conflict(stateRefusal('supersede', old.status, n));

    // The new link first: until `n` confirms it, no view shows it.
    await this.store.update(teamId, by, (current) => {
      if (current.supersedes.includes(n)) return UNCHANGED;
      if (current.supersedes.length >= LIMITS.lineage) throw UserError.conflict(ERR.lineageFull(by, LIMITS.lineage));
      return { ...current, supersedes: [...current.supersedes, n], updatedAt: this.ctx.now() };
    });
    const now = this.ctx.now();
    let after: Rfc;
    try {
      ({ after } = await this.act(
        c,
        old,
        'supersede',
        (current) => ({ ...current, supersededBy: by, outcome: { status: 'superseded' as const, reason: `superseded by ${rfcReference(by)}`, by: actor, at: now } }),
        rfcReference(by),
      ));
    } catch (err) {
      await this.unlink(teamId, n, by);
      throw err;
    }
    const newer = await this.find(c, by);
    await this.publish(c, newer);
    const name = await c.people.username(actor);
    // Each thread names the other RFC only where its readers may see that one too.
    const oldThreadSees = await this.readerSees(c.access, teamId, { channelId: after.channelId ?? '' }, newer);
    await this.thread.notify(c.access, teamId, after, oldThreadSees ? thread.superseded(n, by, name) : thread.supersededElsewhere(n, name), false);
    const newThreadSees = await this.readerSees(c.access, teamId, { channelId: newer.channelId ?? '' }, after);
    if (newThreadSees && newer.channelId && (await c.access.canPost(actor, newer.channelId))) {
      await this.thread.notify(c.access, teamId, newer, thread.supersedes(by, n, name), false);
    }
    return this.view(c, after);
  }

  /** Confirms that an accepted RFC still describes the current state of its topic. */
  async markReviewed(actor: string, teamId: string, n: number): Promise<RfcView> {
    const c = this.call(actor, teamId);
    const now = this.ctx.now();
    const loaded = await this.find(c, n);
    await this.requireRule(c, loaded, 'reviewed');
    const { after } = await this.act(c, loaded, 'reviewed', (current) => ({ ...current, lastReviewedAt: now }));
    return this.view(c, after);
  }

  // ---- what other features and `/infra owe` read ----

  /** RFCs of the team in review, soonest deadline first, as `reader` may see them (guild agendas). */
  async inReview(teamId: string, reader: Reader): Promise<Listed<RfcReviewItem>> {
    const access = this.ctx.access();
    const rfcs = (await this.store.openRfcs(teamId)).filter((r) => r.status === 'in_review');
    const seen = await Promise.all(rfcs.map((r) => this.readerSees(access, teamId, reader, r)));
    const items = rfcs
      .filter((_, i) => seen[i])
      .map((r) => reviewItem(r, teamId))
      .sort((a, b) => (a.commentPeriodEndsAt ?? Infinity) - (b.commentPeriodEndsAt ?? Infinity));
    return { items, hidden: rfcs.length - items.length };
  }

  /** An RFC's title for PICK, or null when there is none the caller may see. */
  async title(actorUserId: string, teamId: string, rfcNumber: number): Promise<string | null> {
    const c = this.call(actorUserId, teamId);
    const rfc = await this.store.get(teamId, rfcNumber).catch(nullIfCorrupt(this.report));
    return rfc && (await c.access.canSee(actorUserId, this.scopeOf(teamId, rfc))) ? rfc.title : null;
  }

  /** `/infra owe` from the records (the owed ledger's rebuild): this user's facts of the team's open RFCs (one KV call). */
  async owedFacts(userId: string, teamId: string): Promise<OwedFact[]> {
    return (await this.store.openRfcs(teamId)).flatMap((r) => {
      const fact = r.teamId === teamId ? rfcOwedFacts(r).get(userId) : undefined;
      return fact ? [fact] : [];
    });
  }

  // ---- the comment-period job ----

  /** The reminder a day before the comment period ends, and the notice when it has; stale jobs do nothing. */
  private async onCommentPeriodJob(payload: Record<string, unknown>): Promise<void> {
    const { teamId, number, endsAt, phase } = payload;
    if (typeof teamId !== 'string' || typeof number !== 'number' || typeof endsAt !== 'number') return;
    const rfc = await this.store.get(teamId, number).catch(nullIfCorrupt(this.report));
    if (!rfc || rfc.status !== 'in_review' || rfc.commentPeriod?.endsAt !== endsAt) return;
    const access = this.ctx.access();
    const people = this.people();
    const missing = missingSignoffs(rfc);
    // No one stands behind a timed post: channel-wide mentions in the title never fire.
    const title = withoutChannelMentions(rfc.title);
    const once = `rfc-period:${teamId}:${number}:${endsAt}:${phase === 'reminder' ? 'reminder' : 'end'}`;
    if (phase === 'reminder') {
      if (missing.length) await this.thread.notifyOnce(access, teamId, rfc, thread.reminder(number, title, endsAt - this.ctx.now(), await people.mentions(missing)), once);
      return;
    }
    const state = { open: openConcerns(rfc).length, missing: missing.length, mentions: await people.mentions(missing), owner: await people.username(rfc.ownerId) };
    await this.thread.notifyOnce(access, teamId, rfc, thread.ended(number, title, state), once);
  }

  private async scheduleJobs(teamId: string, n: number, endsAt: number, now: number): Promise<void> {
    const key = `${teamId}:${n}`;
    if (endsAt - DAY > now) await this.ctx.scheduler.schedule(`rfc-remind:${key}`, JOB_KIND, endsAt - DAY, { teamId, number: n, endsAt, phase: 'reminder' });
    else await this.ctx.scheduler.cancel(`rfc-remind:${key}`);
    await this.ctx.scheduler.schedule(`rfc-end:${key}`, JOB_KIND, endsAt, { teamId, number: n, endsAt, phase: 'end' });
  }

  private async cancelJobs(teamId: string, n: number): Promise<void> {
    await this.ctx.scheduler.cancel(`rfc-remind:${teamId}:${n}`);
    await this.ctx.scheduler.cancel(`rfc-end:${teamId}:${n}`);
  }

  // ---- the machinery every use case shares ----

  private call(actor: string, teamId: string): Call {
    return { actor, teamId, access: this.ctx.access(), people: this.people() };
  }

  /** An RFC belongs to its channel; its team is the one whose numbers it uses, checked live against the channel. */
  private scopeOf(teamId: string, rfc: Pick<Rfc, 'channelId'>): Scope {
    return { teamId, channelId: rfc.channelId };
  }

  /** The RFC if the caller may see it now; otherwise the same not-found as for a number never used. */
  private async find(c: Call, n: number): Promise<Rfc> {
    const rfc = await this.store.get(c.teamId, n).catch((err: unknown) => {
      // An unreadable record is listed for `/infra doctor` (logged once) and fails this call only.
      if (err instanceof CorruptRecordError) this.report(err);
      throw err;
    });
    if (!rfc || !(await rfcPolicy.allows(c.access, c.actor, 'view', { scope: this.scopeOf(c.teamId, rfc) }))) throw UserError.notFound(noSuchRfc(n));
    return rfc;
  }

  /** Lists need a member of the team (guests too: they then see the RFCs of their channels). */
  private async requireMember(c: Call): Promise<void> {
    if (!(await c.access.isTeamMember(c.actor, c.teamId)) && !(await c.access.isSystemAdmin(c.actor))) throw UserError.notFound(NO_SUCH_TEAM);
  }

  /** policy.ts's rule for `action` on this RFC, with the roles as its record (and settings) say now. */
  private async requireRule(c: Call, rfc: Rfc, action: RfcAction, extra: { raiser?: string } = {}): Promise<void> {
    const holders: Holders<RfcRole> = {
      owner: rfc.ownerId,
      // Whoever a reviewer delegated to answers for them, but only the reviewer hands their seat on.
      reviewer: action === 'delegate' ? reviewerIds(rfc) : answererIds(rfc),
      raiser: extra.raiser ?? null,
      approver: RFC_RULES[action].who.includes('approver') ? await this.approvers.ids() : [],
    };
    await rfcPolicy.require(c.access, c.actor, action, { scope: this.scopeOf(c.teamId, rfc), holders }, ACTION_WORDS[action]);
  }

  /** A reviewer must be able to see the RFC and to post where they would sign off; never its owner. */
  private async requireReviewer(c: Call, rfc: Rfc, scope: Scope, userId: string): Promise<void> {
    if (userId === rfc.ownerId) throw UserError.badRequest(ERR.ownerReviews(await c.people.username(userId), rfc.number));
    if (!(await c.access.canSee(userId, scope))) throw UserError.badRequest(ERR.reviewerCannotSee(await c.people.username(userId), rfc.number));
    if (scope.channelId && !(await c.access.canPost(userId, scope.channelId))) throw UserError.badRequest(ERR.reviewerCannotPost(await c.people.username(userId), rfc.number));
  }

  /**
   * Runs one lifecycle action under compare-and-set, after requireRule: the state and the guards
   * are judged on the record as it is at the write (so two nodes can never both, say, accept and
   * withdraw), the guards on the RFC as the action would leave it.
   */
  private async act(c: Call, loaded: Rfc, action: RfcAction, change: (rfc: Rfc) => Rfc | typeof UNCHANGED, note: string | null = null): Promise<{ before: Rfc; after: Rfc }> {
    const transition = RFC_TRANSITIONS[action];
    const names = transition.guards.length > 0
      ? new Map(await Promise.all(reviewerIds(loaded).map(async (id) => [id, await c.people.username(id)] as const)))
      : new Map<string, string>();
    const now = this.ctx.now();
    const result = await this.store.update(c.teamId, loaded.number, (current) => {
      if (!allowedFrom(action, current.status)) throw UserError.conflict(stateRefusal(action, current.status, current.number));
      const next = change(current);
      if (next === UNCHANGED) return UNCHANGED;
      for (const guard of transition.guards) {
        const why = guardRefusal(guard, next, now, names);
        if (why) throw UserError.conflict(blocked(action, current.number, why));
      }
      return {
        ...next,
        status: transition.to ?? next.status,
        updatedAt: now,
        history: [...next.history, { at: now, by: c.actor, action, note }].slice(-LIMITS.history),
      };
    });
    if (result.after !== result.before) await this.changed(c, result.before, result.after);
    return result;
  }

  /** After every change: the event to the RFC's channel, and the thread root brought up to date. */
  private async changed(c: Call, before: Rfc, after: Rfc): Promise<void> {
    await this.publish(c, after);
    if (after.rootPostId && (before.status !== after.status || before.supersededBy !== after.supersededBy)) {
      // The successor is named only where the thread's readers may see it.
      const successor = after.supersededBy === null ? null : await this.store.get(c.teamId, after.supersededBy).catch(nullIfCorrupt(this.report));
      const named = successor !== null && (await this.readerSees(c.access, c.teamId, { channelId: after.channelId ?? '' }, successor));
      const root = thread.root({ ...after, supersededBy: named ? after.supersededBy : null }, withoutChannelMentions(after.title), await c.people.username(after.ownerId));
      await this.thread.refreshRoot(c.access, c.teamId, after, root);
    }
  }

  /**
   * `rfc_changed` goes to the RFC's channel (whoever can read it now; a small payload, M6), or to
   * the actor alone for an RFC without a channel.
   */
  private async publish(c: Call, rfc: Rfc): Promise<void> {
    await this.ctx.events.publish('rfc_changed', { rfc: rfcChangedView(rfc, c.teamId) }, rfc.channelId ? { channelId: rfc.channelId } : { userId: c.actor });
  }

  private async view(c: Call, rfc: Rfc): Promise<RfcView> {
    return rfcView(rfc, c.teamId, await this.lineage(c, rfc));
  }

  /** Lineage as the caller may see it, and only links both RFCs confirm (see supersede). */
  private async lineage(c: Call, rfc: Rfc): Promise<Lineage> {
    const visible = async (n: number): Promise<Rfc | null> => {
      const other = await this.store.get(c.teamId, n).catch(nullIfCorrupt(this.report));
      return other && (await c.access.canSee(c.actor, this.scopeOf(c.teamId, other))) ? other : null;
    };
    const [successor, ...older] = await Promise.all([rfc.supersededBy === null ? null : visible(rfc.supersededBy), ...rfc.supersedes.map(visible)]);
    return {
      supersededBy: successor ? successor.number : null,
      supersedes: older.filter((o): o is Rfc => o !== null && o.supersededBy === rfc.number).map((o) => o.number),
    };
  }

  /** Refuses `n` superseded by `successor` when that would close a loop: walks the successor's chain, bounded. */
  private async refuseCycle(teamId: string, n: number, successor: Rfc): Promise<void> {
    let current: Rfc | null = successor;
    for (let step = 0; current && current.supersededBy !== null && step < LIMITS.lineage; step++) {
      if (current.supersededBy === n) throw UserError.conflict(ERR.supersedeCycle(n, successor.number));
      current = await this.store.get(teamId, current.supersededBy).catch(nullIfCorrupt(this.report));
    }
  }

  /** Takes back the new link of a supersede whose second write was refused (unless it did land). */
  private async unlink(teamId: string, n: number, by: number): Promise<void> {
    const old = await this.store.get(teamId, n).catch(nullIfCorrupt(this.report));
    if (old?.supersededBy === by) return;
    await this.store.update(teamId, by, (current) =>
      current.supersedes.includes(n) ? { ...current, supersedes: current.supersedes.filter((x) => x !== n) } : UNCHANGED,
    );
  }

  /** Who sees an agenda line: a person as the policy says; a channel only RFCs of its own or open channels of the team. */
  private async readerSees(access: Access, teamId: string, reader: Reader, rfc: Rfc): Promise<boolean> {
    if ('userId' in reader) return access.canSee(reader.userId, this.scopeOf(teamId, rfc));
    const where = await access.channel(reader.channelId);
    if (!where || where.TeamId !== teamId) return false;
    if (rfc.channelId === null || rfc.channelId === reader.channelId) return true;
    const home = await access.channel(rfc.channelId);
    return home !== null && !home.DeleteAt && home.TeamId === teamId && home.Type === 'O';
  }

  /** User text the bot relays into the RFC's channel: channel-wide mentions only if the actor may fire them there. */
  private async relay(c: Call, rfc: Pick<Rfc, 'channelId'>, text: string): Promise<string> {
    return rfc.channelId && (await c.access.canMentionChannel(c.actor, rfc.channelId)) ? text : withoutChannelMentions(text);
  }
}

/** The lifecycle's guards, judged by the sign-off engine on the review gate. */
function guardRefusal(guard: RfcGuard, rfc: Rfc, now: number, names: ReadonlyMap<string, string>): string | null {
  const status = evaluate(rfc.review, now);
  switch (guard) {
    case 'hasReviewers':
      return rfc.review.seats.length === 0 ? guardText.hasReviewers() : null;
    case 'noOpenConcerns':
      if (status.openConcerns.length) return guardText.noOpenConcerns(rfc.number, status.openConcerns);
      return status.holds.length === 0 ? null : guardText.held(rfc.number, status.holds.map((s) => `@${names.get(s.userId ?? '') ?? s.userId}`).join(', '));
    case 'signedOffOrPeriodOver': {
      if (status.state !== 'waiting') return null;
      const missing = missingSignoffs(rfc);
      return guardText.signedOffOrPeriodOver(missing.map((id) => `@${names.get(id) ?? id}`).join(', '), rfc.commentPeriod?.endsAt ?? 0);
    }
  }
}

/** A review: every reviewer signs off (quorum "all"); once the comment period is over, silence is consent. */
const newReviewGate = (): Gate => newGate({ kind: 'all', n: null }, { lazyConsensus: true });

const gateStep = (next: Gate | typeof SAME, current: Gate): Gate => (next === SAME ? current : next);

/** Runs an engine step, turning its refusals into this feature's words. */
function gateCall<T>(n: number, step: () => T, concernId = 0): T {
  try {
    return step();
  } catch (err) {
    if (!(err instanceof GateRefusal)) throw err;
    switch (err.code) {
      case 'tooManyConcerns':
        throw UserError.conflict(ERR.tooManyConcerns(LIMITS.concerns, n));
      case 'noSuchConcern':
        throw UserError.notFound(ERR.noSuchConcern(n, concernId));
      case 'concernResolved':
        throw UserError.conflict(ERR.concernResolved(n, concernId));
      case 'delegateIsHolder':
        throw UserError.badRequest(ERR.delegateToSelf);
      default:
        throw err;
    }
  }
}
