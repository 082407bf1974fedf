/**
 * The guilds' rhythm use cases: calling off one meeting (`/guild skip`), the team's holidays that
 * every guild of the team skips, and the facilitator/scribe rota (rota.ts).
 *
 * Both kinds of called-off day live on the guild record (its own `skips`, and a copy of the team's
 * holiday dates), so the one schedule function (schedule.ts) passes over them everywhere: the next
 * meeting, the agenda, `/guild close` and the cadence. After each change the guild's cadence job is
 * pointed at its next event; a job already waiting for a called-off meeting finds, when it fires,
 * that its event is no longer due and posts nothing (cadence.ts), so a skipped meeting fires nothing.
 *
 * The team's list is the truth; after every change its dates are copied onto each guild with one
 * compare-and-set per guild. A copy missed by a crash is brought up to date by the next change of
 * the list or by activation (resyncHolidays).
 */
import type { ProductContext } from '../shared/context';
import { nullIfCorrupt, UserError } from '../shared/errors';
import { People } from '../shared/people';
import { UNCHANGED } from '../shared/kv';
import { checkText } from '../shared/text/limits';
import { epochDayOf, isRealDate, localEpochDay, localToUtc } from '../shared/time/zone';
import { agendaMeeting } from './meetings';
import { GUILD_TEXT, USAGE } from './messages';
import { guildPolicy, holdersOf, scopeOf } from './policy';
import { type Guild, type GuildCopy, type Holiday, LIMITS, withoutControlCharacters } from './records';
import { rotaTurn, swappedRota } from './rota';
import { describeMeeting, nextMeeting, slotAfter, slotOn } from './schedule';
import type { GuildService } from './service';
import { reportCorrupt } from './store';

/** "2027-12-24" → itself when it is a real calendar date; otherwise a clear error. */
export function parseDate(text: string, usage: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) throw UserError.badRequest(GUILD_TEXT.notADate(text), usage);
  return text.trim();
}

export interface RotaLine {
  readonly at: number;
  readonly facilitator: string;
  readonly scribe: string | null;
}

export class GuildRhythm {
  constructor(
    private readonly ctx: ProductContext,
    private readonly guilds: GuildService,
  ) {}

  /** Calls off (`on`) or restores one meeting of the guild; the creator, facilitators or an admin. */
  async skip(actor: string, teamId: string, name: string, dateText: string, on: boolean): Promise<{ guild: Guild; date: string; next: number }> {
    const usage = on ? USAGE.skip : USAGE.unskip;
    const date = parseDate(dateText, usage);
    const access = this.ctx.access();
    const found = await this.guilds.get(actor, teamId, name);
    await guildPolicy.require(access, actor, 'edit', { scope: scopeOf(found), holders: holdersOf(found) }, `change ${found.name}`);
    const now = this.ctx.now();
    const stored = await this.guilds.store.update(teamId, found.slug, (current) => {
      const skips = current.skips ?? [];
      if (!on) {
        if (!skips.includes(date)) throw UserError.conflict(GUILD_TEXT.notSkipped(current, date));
        return { ...current, skips: skips.filter((d) => d !== date), updatedAt: now };
      }
      if (skips.includes(date)) throw UserError.conflict(GUILD_TEXT.alreadySkipped(current, date));
      const slot = slotOn(current, date);
      if (slot === null) {
        const nearest = slotAfter(current, localToUtc(current.timeZone, epochDayOf(date), 0, 0) - 1);
        throw UserError.badRequest(GUILD_TEXT.notAMeetingDay(current, date, describeMeeting(nearest, current.timeZone)), usage);
      }
      if (slot <= now) throw UserError.badRequest(GUILD_TEXT.skipInPast(date), usage);
      // Past skips make room for new ones; the ones to come are never dropped.
      const today = localEpochDay(current.timeZone, now);
      let kept = [...skips, date].sort();
      while (kept.length > LIMITS.skips && epochDayOf(kept[0]!) < today) kept = kept.slice(1);
      if (kept.length > LIMITS.skips) throw UserError.conflict(GUILD_TEXT.tooManySkips);
      return { ...current, skips: kept, updatedAt: now };
    });
    await this.guilds.cadence.reschedule(stored);
    await this.guilds.changed(stored, actor);
    return { guild: stored, date, next: this.guilds.nextMeetingAt(stored) };
  }

  /** The team's holidays (its full members and admins may read them). */
  async holidays(actor: string, teamId: string): Promise<Holiday[]> {
    await guildPolicy.require(this.ctx.access(), actor, 'view', { scope: { teamId, channelId: null } }, 'see the team holidays');
    return this.guilds.store.holidays(teamId);
  }

  /** Adds a team holiday (team admins) and copies the dates onto every guild of the team. */
  async addHoliday(actor: string, teamId: string, dateText: string, nameText: string): Promise<{ holiday: Holiday; guilds: number }> {
    const date = parseDate(dateText, USAGE.holidaysAdd);
    const name = checkText(withoutControlCharacters(nameText).replace(/\s+/g, ' ').trim(), LIMITS.holidayName, 'a holiday name');
    await this.requireHolidayAdmin(actor, teamId);
    const holiday = { date, name };
    const days = await this.guilds.store.updateHolidays(teamId, (current) => {
      if (current.some((d) => d.date === date)) throw UserError.conflict(GUILD_TEXT.holidayExists(date));
      if (current.length >= LIMITS.holidays) throw UserError.conflict(GUILD_TEXT.tooManyHolidays);
      return [...current, holiday].sort((a, b) => a.date.localeCompare(b.date));
    });
    const touched = await this.copyHolidays(teamId, days);
    // Guilds without a channel hold no meetings, so they are not counted.
    return { holiday, guilds: touched.filter((g) => g.channelId !== null && slotOn(g, date) !== null).length };
  }

  async removeHoliday(actor: string, teamId: string, dateText: string): Promise<string> {
    const date = parseDate(dateText, USAGE.holidaysRemove);
    await this.requireHolidayAdmin(actor, teamId);
    const days = await this.guilds.store.updateHolidays(teamId, (current) => {
      if (!current.some((d) => d.date === date)) throw UserError.notFound(GUILD_TEXT.noHoliday(date));
      return current.filter((d) => d.date !== date);
    });
    await this.copyHolidays(teamId, days);
    return date;
  }

  /** At activation: brings every guild's copy of its team's holiday dates up to date (idempotent). */
  async resyncHolidays(teamId: string): Promise<void> {
    await this.copyHolidays(teamId, await this.guilds.store.holidays(teamId));
  }

  /**
   * `@a @b` exchanges two members' places in the rota; `facilitator @a` / `scribe @a` hands that
   * role of the next meeting to @a, who swaps places with its holder.
   */
  async swap(actor: string, teamId: string, name: string, words: readonly string[]): Promise<{ guild: Guild; lines: RotaLine[] }> {
    const found = await this.guilds.get(actor, teamId, name);
    await guildPolicy.require(this.ctx.access(), actor, 'edit', { scope: scopeOf(found), holders: holdersOf(found) }, `change the ${found.name} rota`);
    const role = words[0]?.toLowerCase();
    const named = await new People(this.ctx.api).resolveUsernames(role === 'facilitator' || role === 'scribe' ? words.slice(1) : words, 2);
    const stored = await this.guilds.store.update(teamId, found.slug, (current) => {
      const turn = rotaTurn(current);
      if (!turn) throw UserError.badRequest(GUILD_TEXT.noRota(current));
      let pair: [string, string];
      if (role === 'facilitator' || role === 'scribe') {
        const holder = role === 'facilitator' ? turn.facilitator : turn.scribe;
        if (named.length !== 1 || holder === null) throw UserError.badRequest(GUILD_TEXT.sayWhoToSwap, USAGE.swap);
        pair = [holder, named[0]!];
      } else {
        if (named.length !== 2) throw UserError.badRequest(GUILD_TEXT.sayWhoToSwap, USAGE.swap);
        pair = [named[0]!, named[1]!];
      }
      const rota = swappedRota(current, pair[0], pair[1]);
      if (rota === 'not_members') throw UserError.badRequest(GUILD_TEXT.notInRota(current.name), USAGE.swap);
      if (rota === 'same_person') throw UserError.badRequest(GUILD_TEXT.swapWithSelf, USAGE.swap);
      return { ...current, rota, updatedAt: this.ctx.now() };
    });
    await this.guilds.changed(stored, actor);
    return { guild: stored, lines: this.rotaLines(stored, 4) };
  }

  async rota(actor: string, teamId: string, name: string): Promise<{ guild: GuildCopy; lines: RotaLine[] }> {
    const guild = await this.guilds.get(actor, teamId, name);
    return { guild, lines: this.rotaLines(guild, 4) };
  }

  /** Who runs each of the next `count` meetings (the one the agenda is for first). */
  rotaLines(guild: GuildCopy, count: number): RotaLine[] {
    const lines: RotaLine[] = [];
    let at = agendaMeeting(guild, this.ctx.now());
    for (let k = 0; k < count; k++, at = nextMeeting(guild, at)) {
      const turn = rotaTurn(guild, k);
      if (!turn) break;
      lines.push({ at, ...turn });
    }
    return lines;
  }

  private async requireHolidayAdmin(actor: string, teamId: string): Promise<void> {
    await guildPolicy.require(this.ctx.access(), actor, 'holidays', { scope: { teamId, channelId: null } }, 'change the team holidays');
  }

  /** The team's dates onto each of its guilds (one compare-and-set each), then each cadence re-pointed. */
  private async copyHolidays(teamId: string, days: readonly Holiday[]): Promise<Guild[]> {
    const dates = days.map((d) => d.date);
    const out: Guild[] = [];
    for (const guild of await this.guilds.store.list(teamId)) {
      // A list reads the index's copies: an unreadable record is met (and reported) only here.
      const stored = await this.guilds.store
        .update(teamId, guild.slug, (current) => ((current.holidays ?? []).join() === dates.join() ? UNCHANGED : { ...current, holidays: dates }))
        .catch(nullIfCorrupt((err) => reportCorrupt(this.ctx, err)));
      if (!stored) continue;
      if ((guild.holidays ?? []).join() !== dates.join()) await this.guilds.cadence.reschedule(stored);
      out.push(stored);
    }
    return out;
  }
}
