import type { OwedFeature, OwedSection } from '../contract/infra';
import { OWED_FEATURES } from '../contract/infra';
import type { Feature, ProductContext } from '../shared/context';
import { builtLedger, type Ledger, OwedLedgerReader, type OwedFact, type OwedSource } from '../shared/owed';
import { readerZone } from '../shared/people';
import { INFRA_TEXT } from './messages';
import { UserError } from '../shared/errors';

/**
 * `/infra owe`: every feature's lines for the user in one team they belong to (guests too). One
 * KV read — the user's owed ledger (shared/owed.ts) — whatever the team stores; the ledger is
 * rebuilt from the records when it is absent, incomplete or a day old. A line shows only if the
 * user may read its channel now (one lookup per distinct channel, memoised in the request's Access).
 */
export async function whatIsOwed(ctx: ProductContext, features: readonly Feature[], userId: string, teamId: string): Promise<OwedSection[]> {
  const access = ctx.access();
  if (!(await access.isTeamMember(userId, teamId))) throw UserError.notFound('No such team.');
  const sources = features.filter(hasOwedLines);
  const reader = new OwedLedgerReader(ctx.kv);
  const now = ctx.now();
  const broken = new Set<OwedFeature>();
  let ledger = await reader.read(teamId, userId);
  if (reader.needsRebuild(ledger, now)) ledger = await rebuild(ctx, reader, sources, userId, teamId, ledger, broken);

  const entries = ledger?.entries ?? [];
  const channels = [...new Set(entries.map((e) => e.ch))];
  await access.willAskAbout(userId, teamId, channels.filter((ch): ch is string => ch !== null));
  const readable = new Map(await Promise.all(channels.map(async (ch) => [ch, await access.canSee(userId, { teamId, channelId: ch })] as const)));
  const visible = entries.filter((e) => readable.get(e.ch) === true);
  const names = new Map<string, string>();
  await Promise.all(
    [...new Set(visible.map((e) => e.ch).filter((ch): ch is string => ch !== null))].map(async (ch) => names.set(ch, (await access.channel(ch))?.Name ?? ch)),
  );
  const zone = visible.length ? ((await readerZone(ctx.api, userId)) ?? 'UTC') : 'UTC';
  const view = { userId, teamId, now, zone, channelName: (ch: string) => names.get(ch) ?? ch };

  const sections = sources.map((f): OwedSection => {
    if (broken.has(f.name)) return { feature: f.name, items: [INFRA_TEXT.unreadable(f.name)] };
    try {
      const facts: OwedFact[] = visible.filter((e) => e.f === f.name);
      return { feature: f.name, items: f.owed.render(facts, view, ledger?.overflow[f.name] ?? 0) };
    } catch (err) {
      ctx.log.error('owed lines failed', { feature: f.name, error: err instanceof Error ? err.message : String(err) });
      return { feature: f.name, items: [INFRA_TEXT.unreadable(f.name)] };
    }
  });
  return sections.filter((s) => s.items.length > 0);
}

/**
 * The ledger from every feature's records. Stored only when every feature could be read and no
 * write reached the ledger meanwhile (else the next reader rebuilds again); answered either way.
 */
async function rebuild(
  ctx: ProductContext,
  reader: OwedLedgerReader,
  sources: readonly OwingFeature[],
  userId: string,
  teamId: string,
  seen: Ledger | null,
  broken: Set<OwedFeature>,
): Promise<Ledger> {
  const scanned = await Promise.all(
    sources.map(async (f) => {
      try {
        return { feature: f.name, ...(await f.owed.scan(userId, teamId)) };
      } catch (err) {
        // One feature's broken record must not hide what the others say is owed.
        ctx.log.error('owed scan failed', { feature: f.name, error: err instanceof Error ? err.message : String(err) });
        broken.add(f.name);
        return { feature: f.name, facts: [] };
      }
    }),
  );
  const built = builtLedger(scanned, (seen?.gen ?? 0) + 1, ctx.now());
  if (broken.size === 0) await reader.store(teamId, userId, seen, built);
  return built;
}

type OwingFeature = Feature & { name: OwedFeature; owed: OwedSource };

const hasOwedLines = (f: Feature): f is OwingFeature => f.owed !== undefined && (OWED_FEATURES as readonly string[]).includes(f.name);
