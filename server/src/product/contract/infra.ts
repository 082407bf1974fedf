/** `/infra`'s answers: what a user owes now, per feature, and the plugin's health. */
import * as z from 'zod/mini';
import { route } from './api';

export const OWED_FEATURES = ['incidents', 'pick', 'rfc', 'guilds', 'runs'] as const;
export type OwedFeature = (typeof OWED_FEATURES)[number];

export const FEATURE_TITLES: Readonly<Record<OwedFeature, string>> = {
  incidents: 'Incidents',
  pick: 'PICK ideas',
  rfc: 'RFCs',
  guilds: 'Guild agendas',
  runs: 'Runs',
};

export const owedSection = z.strictObject({ feature: z.enum(OWED_FEATURES), items: z.array(z.string()) });
export type OwedSection = z.output<typeof owedSection>;

export const infraRoutes = {
  health: route({
    method: 'GET',
    path: '/health',
    query: null,
    body: null,
    answer: z.strictObject({ status: z.literal('ok'), plugin: z.string(), version: z.string() }),
    status: 200,
  }),
  owe: route({ method: 'GET', path: '/teams/:teamId/owe', query: null, body: null, answer: z.strictObject({ sections: z.array(owedSection) }), status: 200 }),
} as const;

