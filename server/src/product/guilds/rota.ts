/**
 * The facilitator and scribe rota, pure. The guild's user members take turns in a stored order;
 * each closed meeting moves the turn on by one, so the facilitator of one meeting is the next
 * meeting's scribe's predecessor (order[t], order[t+1]). A swap exchanges two people's places in
 * the order, which moves both their turns at once and keeps everyone else's. Members added later
 * join at the end of the order; members removed drop out of it (the turn counts modulo the rest).
 */
import type { Guild } from './records';

export interface RotaTurn {
  readonly facilitator: string;
  /** Null when the guild has a single user member (who then facilitates and takes notes). */
  readonly scribe: string | null;
}

/** The user members in rota order: the stored order (of those still members), then newer members. */
export function rotaOrder(guild: Pick<Guild, 'members' | 'rota'>): string[] {
  const users = guild.members.flatMap((m) => (m.kind === 'user' ? [m.userId] : []));
  const stored = (guild.rota?.order ?? []).filter((id) => users.includes(id));
  return [...stored, ...users.filter((id) => !stored.includes(id))];
}

/** Who runs the meeting `ahead` meetings after the next one to hold (0 = the next one); null without user members. */
export function rotaTurn(guild: Pick<Guild, 'members' | 'rota'>, ahead = 0): RotaTurn | null {
  const order = rotaOrder(guild);
  if (order.length === 0) return null;
  const t = (guild.rota?.turn ?? 0) + ahead;
  return { facilitator: order[t % order.length]!, scribe: order.length > 1 ? order[(t + 1) % order.length]! : null };
}

/** The rota after a meeting closed: the turn moves on by one. */
export function advancedRota(guild: Pick<Guild, 'members' | 'rota'>): NonNullable<Guild['rota']> {
  const order = rotaOrder(guild);
  return { order, turn: order.length ? ((guild.rota?.turn ?? 0) + 1) % order.length : 0 };
}

/** The rota with two members' places exchanged; refused unless both are distinct user members. */
export function swappedRota(guild: Pick<Guild, 'members' | 'rota'>, a: string, b: string): NonNullable<Guild['rota']> | 'not_members' | 'same_person' {
  const order = rotaOrder(guild);
  const i = order.indexOf(a);
  const j = order.indexOf(b);
  if (i < 0 || j < 0) return 'not_members';
  if (i === j) return 'same_person';
  const next = [...order];
  next[i] = b;
  next[j] = a;
  return { order: next, turn: guild.rota?.turn ?? 0 };
}
