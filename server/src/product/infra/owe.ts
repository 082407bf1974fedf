import type { OwedFeature, OwedSection } from '../contract/infra';
import { OWED_FEATURES } from '../contract/infra';
import type { Feature, ProductContext } from '../shared/context';
import { INFRA_TEXT } from './messages';
import { UserError } from '../shared/errors';

/**
 * `/infra owe`: every feature's lines for the user in one team they belong to (guests too); each
 * feature filters its own lines by what the user may see now.
 */
export async function whatIsOwed(ctx: ProductContext, features: readonly Feature[], userId: string, teamId: string): Promise<OwedSection[]> {
  const access = ctx.access();
  if (!(await access.isTeamMember(userId, teamId))) throw UserError.notFound('No such team.');
  const sections = await Promise.all(
    features.filter(hasOwedLines).map(async (f): Promise<OwedSection> => {
      try {
        return { feature: f.name, items: await f.owedBy(userId, teamId) };
      } catch (err) {
        // One feature's broken record must not hide what the others say is owed.
        ctx.log.error('owedBy failed', { feature: f.name, error: err instanceof Error ? err.message : String(err) });
        return { feature: f.name, items: [INFRA_TEXT.unreadable(f.name)] };
      }
    }),
  );
  return sections.filter((s) => s.items.length > 0);
}

type OwingFeature = Feature & { name: OwedFeature; owedBy: NonNullable<Feature['owedBy']> };

const hasOwedLines = (f: Feature): f is OwingFeature => f.owedBy !== undefined && (OWED_FEATURES as readonly string[]).includes(f.name);
