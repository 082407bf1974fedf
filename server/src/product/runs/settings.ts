/**
 * The runs settings from plugin.json's settings_schema, through one typed schema (Mattermost
 * hands keys to the plugin lower-cased; checked against plugin.json by settings.test.ts).
 */
import { z } from 'zod';

export interface RunSettings {
  /** A declared incident's channel gets the checklist of its team's incident template. */
  readonly incidentRunbooks: boolean;
}

const raw = z.object({ incidentrunbooks: z.union([z.boolean(), z.string()]).optional().nullable() });

export function parseSettings(values: Readonly<Record<string, unknown>>): RunSettings {
  const parsed = raw.safeParse(values);
  const value = parsed.success ? parsed.data.incidentrunbooks : undefined;
  return { incidentRunbooks: value === undefined || value === null ? true : value === true || value === 'true' };
}

export const SETTINGS_SCHEMA = [
  {
    key: 'IncidentRunbooks',
    display_name: 'Incidents: runbook checklist for each incident',
    type: 'bool',
    help_text:
      "Each declared incident's channel gets the checklist of the team's incident template for its type and severity (/run in that channel); resolving the incident finishes it and opens its retrospective.",
    default: true,
  },
] as const;
