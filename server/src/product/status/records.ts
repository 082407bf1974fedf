import { z } from 'zod';
import { STATUS_LIMITS } from '../contract/status';

/** The status page's stored records (store.ts has the key table). */

const id = z.string().max(64);

export const componentSchema = z.object({
  slug: z.string().min(1).max(STATUS_LIMITS.componentSlug),
  name: z.string().min(1).max(STATUS_LIMITS.componentName),
  description: z.string().max(STATUS_LIMITS.description),
  createdBy: id,
  createdAt: z.number(),
});
export type Component = z.output<typeof componentSchema>;

export const maintenanceSchema = z.object({
  /** Per team, increasing: what `/infra maintenance remove <n>` names. */
  n: z.number().int().positive(),
  component: z.string().min(1).max(STATUS_LIMITS.componentSlug),
  from: z.number(),
  to: z.number(),
  text: z.string().min(1).max(STATUS_LIMITS.maintenanceText),
  createdBy: id,
  createdAt: z.number(),
});
export type Maintenance = z.output<typeof maintenanceSchema>;

export const teamStatusSchema = z.object({
  v: z.literal(1),
  components: z.array(componentSchema).max(STATUS_LIMITS.componentsPerTeam),
  maintenance: z.array(maintenanceSchema).max(STATUS_LIMITS.maintenanceKept),
  /** The last maintenance number handed out. */
  lastMaintenance: z.number().int().nonnegative(),
  /** The public page's secret link, as its SHA-256 (the link itself is shown once); null: none. */
  publicLink: z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/), createdBy: id, createdAt: z.number() }).nullable().default(null),
});

/** `status:pub:<hash>` → the team whose public page the link opens. */
export const publicLinkSchema = z.object({ v: z.literal(1), teamId: id });
export type TeamStatus = z.output<typeof teamStatusSchema>;
