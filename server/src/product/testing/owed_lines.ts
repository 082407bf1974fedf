import type { Feature, ProductContext } from '../shared/context';
import { whatIsOwed } from '../infra/owe';

/** One feature's `/infra owe` lines for a user, read as `/infra owe` reads them (the ledger). */
export async function owedLines(ctx: ProductContext, feature: Feature, userId: string, teamId: string): Promise<string[]> {
  return (await whatIsOwed(ctx, [feature], userId, teamId)).flatMap((s) => s.items);
}
