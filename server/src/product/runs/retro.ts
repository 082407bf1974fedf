/**
 * A run's retrospective: the template's sections, written by its participants once there is
 * something to look back on, published once by the owner (then it is the record and no longer
 * changes). Pure steps over the run, like checklist.ts.
 */
import { ChecklistRefusal, note, SAME, type Step } from './checklist';
import type { Run } from './records';

export type RetroRefusalCode = 'noSuchSection' | 'published' | 'notFinished' | 'empty';

export class RetroRefusal extends Error {
  override readonly name = 'RetroRefusal';
  constructor(
    readonly code: RetroRefusalCode,
    readonly detail = '',
  ) {
    super(code);
  }
}

/** The section a person means: its number (from 1) or a unique start of its title. */
export function findSection(run: Pick<Run, 'retro'>, typed: string): number {
  const t = typed.trim().toLowerCase();
  if (/^\d{1,2}$/.test(t) && run.retro.sections[Number(t) - 1]) return Number(t) - 1;
  const found = run.retro.sections.flatMap((s, i) => (t && s.title.toLowerCase().startsWith(t) ? [i] : []));
  if (found.length === 1) return found[0]!;
  throw new RetroRefusal('noSuchSection', typed.slice(0, 80));
}

/**
 * "what went well The rehearsal caught it" → the section "What went well" and the text after it:
 * the longest run of leading words that names exactly one section (or its number) is the section.
 */
export function sectionAndText(run: Pick<Run, 'retro'>, typed: string): { section: number; text: string } {
  const words = [...typed.trim().matchAll(/\S+/g)];
  for (let k = Math.min(words.length - 1, 12); k >= 1; k--) {
    const named = typed.slice(0, words[k - 1]!.index + words[k - 1]![0].length);
    try {
      return { section: findSection(run, named), text: typed.slice(words[k]!.index).trim() };
    } catch (err) {
      if (!(err instanceof RetroRefusal)) throw err;
    }
  }
  throw new RetroRefusal('noSuchSection', (words[0]?.[0] ?? '').slice(0, 80));
}

export function writeSection(run: Run, section: number, text: string, by: string, now: number, line: string): Step {
  if (run.retro.publishedAt !== null) throw new RetroRefusal('published');
  const current = run.retro.sections[section];
  if (!current) throw new RetroRefusal('noSuchSection', String(section + 1));
  if (current.text === text) return SAME;
  const sections = run.retro.sections.map((s, i) => (i === section ? { ...s, text } : s));
  return note({ ...run, retro: { ...run.retro, sections } }, by, line, now);
}

/** Publishing needs a finished run and at least one section written; it happens once. */
export function publish(run: Run, by: string, now: number, line: string): Run {
  if (run.status !== 'finished') throw new RetroRefusal('notFinished');
  if (run.retro.publishedAt !== null) throw new RetroRefusal('published');
  if (!run.retro.sections.some((s) => s.text.trim())) throw new RetroRefusal('empty');
  return note({ ...run, retro: { ...run.retro, publishedAt: now, publishedBy: by } }, by, line, now);
}

/** The retrospective as a post. */
export function retroText(run: Pick<Run, 'retro' | 'name'>, reference: string): string {
  const parts = run.retro.sections.filter((s) => s.text.trim()).map((s) => `**${s.title}**\n${s.text}`);
  return [`#### Retrospective: ${reference} ${run.name}`, ...parts].join('\n\n');
}

export { ChecklistRefusal };
