import { z } from 'zod';

/**
 * PICK's settings from plugin.json's settings_schema, through one zod schema. Mattermost hands
 * keys to the plugin lower-cased and the console stores these as text; a blank or bad value falls
 * back to its default rather than breaking every command.
 */
export interface PickSettings {
  /** Medians at or above this count as high (scores are 1–10). */
  threshold: number;
  /** An IQR at or above this on either axis flags the result as disputed. */
  disagreementIqr: number;
}

const DEFAULTS: PickSettings = { threshold: 5.5, disagreementIqr: 3 };

const blankToUndefined = (v: unknown): unknown => (v === '' || v === null ? undefined : v);
const numberIn = (min: number, max: number, fallback: number) =>
  z.preprocess(blankToUndefined, z.coerce.number().min(min).max(max).optional()).catch(undefined).transform((v) => v ?? fallback);

const settingsSchema = z.object({
  pickquadrantthreshold: numberIn(1, 10, DEFAULTS.threshold),
  pickdisagreementiqr: numberIn(0.5, 9, DEFAULTS.disagreementIqr),
});

export function parseSettings(raw: Readonly<Record<string, unknown>>): PickSettings {
  const s = settingsSchema.parse(raw);
  return { threshold: s.pickquadrantthreshold, disagreementIqr: s.pickdisagreementiqr };
}

/** The System Console entries, as plugin.json's settings_schema carries them (settings.test.ts checks). */
export const SETTINGS_SCHEMA = [
  {
    key: 'PickQuadrantThreshold',
    display_name: 'PICK: quadrant threshold',
    type: 'text',
    help_text:
      'Median payoff and cost at or above this count as high (scores are 1–10). Possible = low payoff, low cost; Implement = high payoff, low cost; Challenge = high payoff, high cost; Kill = low payoff, high cost.',
    default: String(DEFAULTS.threshold),
  },
  {
    key: 'PickDisagreementIqr',
    display_name: 'PICK: disagreement spread',
    type: 'text',
    help_text: 'An idea is flagged for discussion when the interquartile range of its payoff or cost scores is at least this wide.',
    default: String(DEFAULTS.disagreementIqr),
  },
] as const;
