// The webapp's door to the API contract (server/src/product/contract): the only server module the
// webapp may import (.dependency-cruiser.cjs). Everything from outside the bundle — REST answers,
// websocket payloads, post props — is decoded here with the contract's own schemas, strictly.
import * as z from 'zod/mini';
import type { Schema } from '../../server/src/product/contract';

export * from '../../server/src/product/contract';
export type {
  AgendaView as Agenda,
  CardData,
  FollowupView as Followup,
  GuildView as Guild,
  IdeaView as Idea,
  IncidentMetricsView as IncidentMetrics,
  IncidentView as Incident,
  QueueItemView as QueueItem,
  RfcView as Rfc,
  RoundResultView as RoundResult,
  TimelineEntryView as TimelineEntry,
} from '../../server/src/product/contract';

export class DecodeError extends Error {
  constructor(readonly path: string, readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'DecodeError';
  }
}

/**
 * zod/mini ships no message locale (that keeps the bundle small), so problems are described from
 * the issue itself: "idea.number: expected number", "rfc: unexpected field v".
 */
function describe(issue: z.core.$ZodIssue, base: string): string {
  const where = [base, ...issue.path.map(String)].filter(Boolean).join('.') || 'value';
  switch (issue.code) {
    case 'invalid_type':
      return `${where}: expected ${issue.expected}`;
    case 'unrecognized_keys':
      return `${where}: unexpected field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    case 'invalid_value':
      return `${where}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join('|')}`;
    default:
      return `${where}: ${issue.code}`;
  }
}

/** The value as the schema's type, or a DecodeError naming every problem. */
export function decode<S extends Schema>(schema: S, value: unknown, path = ''): z.output<S> {
  const result = z.safeParse(schema, value);
  if (result.success) return result.data;
  throw new DecodeError(path, result.error.issues.map((issue) => describe(issue, path)));
}

/** JSON text (a post prop, a websocket `data` field) decoded; bad JSON is a DecodeError too. */
export function decodeJson<S extends Schema>(schema: S, text: unknown, path = ''): z.output<S> {
  if (typeof text !== 'string') throw new DecodeError(path, [`${path || 'value'}: expected JSON text`]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new DecodeError(path, [`${path || 'value'}: not valid JSON`]);
  }
  return decode(schema, parsed, path);
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// Store keys: ideas and RFCs are numbered per team, guilds named per team.
export const teamNumberKey = (r: { teamId: string; number: number }): string => `${r.teamId}:${r.number}`;
export const guildKey = (g: { teamId: string; slug: string }): string => `${g.teamId}:${g.slug}`;
