import { STATUS_LIMITS } from '../contract/status';
import type { Component, Maintenance } from './records';

/** Every word the status page's commands say (the page's own words are in page.ts, beside its markup). */

export const STATUS_USAGE = {
  componentsAdd: '/infra components add <name> [--description <text>]',
  componentsRemove: '/infra components remove <name>',
  componentsList: '/infra components list',
  maintenanceAdd: '/infra maintenance add <component> <from> <to> <text>',
  maintenanceRemove: '/infra maintenance remove <n>',
  maintenanceList: '/infra maintenance list',
} as const;

export const TIME_FORMS = 'YYYY-MM-DDTHH:MM in your Mattermost time zone, or an ISO time with Z or an offset (2027-01-04T22:00Z)';

export const STATUS_TEXT = {
  noTeam: 'No such team.',
  componentsHelp: "The status page's components (team admins define them; `/incident component` tags incidents with them)",
  componentsAddHelp: 'Add a component',
  componentsRemoveHelp: 'Remove a component',
  componentsListHelp: "List the components and the status page's link",
  linkHelp: 'The public status page behind a secret link: customer-facing incidents with their public text only (team admins)',
  linkCreateHelp: 'Create the link (shown once; replaces any earlier one)',
  linkRevokeHelp: 'Revoke the link',
  linkCreated: (url: string): string =>
    `Public status page (shown once; anyone with it can read the page): ${url}\nIt shows components and the incidents whose commanders ran \`/incident public <text>\`, with that text only. Revoke with \`/infra statuslink revoke\`.`,
  linkRevoked: 'The public status link is revoked; it now answers 404.',
  noLink: 'There is no public status link.',
  maintenanceHelp: 'Scheduled maintenance shown on the status page (team admins)',
  maintenanceAddHelp: `Schedule maintenance; times: ${TIME_FORMS}`,
  maintenanceRemoveHelp: 'Remove a maintenance window',
  maintenanceListHelp: 'List current and coming maintenance',
  giveName: 'Give the component a name.',
  badName: 'A component name needs letters or digits.',
  nameTooLong: `A component name has at most ${STATUS_LIMITS.componentName} characters.`,
  descriptionTooLong: `A description has at most ${STATUS_LIMITS.description} characters.`,
  exists: (c: Component): string => `There is already a component \`${c.slug}\` (${c.name}).`,
  tooManyComponents: `A team has at most ${STATUS_LIMITS.componentsPerTeam} components.`,
  noComponent: (name: string): string => `No component \`${name.slice(0, 40)}\`; see \`/infra components list\`.`,
  componentAdded: (c: Component, link: string): string => `Component \`${c.slug}\` (${c.name}) added. Tag incidents with \`/incident component ${c.slug}\`. Status page: ${link}`,
  componentRemoved: (c: Component): string => `Component \`${c.slug}\` (${c.name}) removed, with its maintenance windows.`,
  noComponents: (link: string): string => `No components yet; add one with \`/infra components add <name>\`. Status page: ${link}`,
  components: (cs: readonly Component[], link: string): string =>
    [`**Components** — status page: ${link}`, ...cs.map((c) => `- \`${c.slug}\` ${c.name}${c.description ? ` — ${c.description}` : ''}`)].join('\n'),
  maintenanceArgs: 'Give a component, a start, an end and a description.',
  badTime: (text: string): string => `"${text.slice(0, 40)}" is not a time I read; use ${TIME_FORMS}.`,
  endBeforeStart: 'The end must be after the start.',
  endPassed: 'That window has already ended.',
  tooLong: 'A maintenance window lasts at most 30 days.',
  textTooLong: `A maintenance description has at most ${STATUS_LIMITS.maintenanceText} characters.`,
  tooManyWindows: `A team keeps at most ${STATUS_LIMITS.maintenanceKept} maintenance windows; remove some first.`,
  maintenanceAdded: (m: Maintenance, from: string, to: string): string => `Maintenance #${m.n} on \`${m.component}\` from ${from} to ${to}: ${m.text}`,
  noMaintenanceNumber: (text: string): string => `"${text.slice(0, 40)}" is not a maintenance number; see \`/infra maintenance list\`.`,
  noSuchMaintenance: (n: number): string => `No maintenance #${n}; see \`/infra maintenance list\`.`,
  maintenanceRemoved: (m: Maintenance): string => `Maintenance #${m.n} on \`${m.component}\` removed.`,
  noMaintenance: 'No maintenance scheduled.',
  maintenanceList: (lines: readonly string[]): string => ['**Maintenance**', ...lines].join('\n'),
  maintenanceLine: (m: Maintenance, from: string, to: string): string => `- #${m.n} \`${m.component}\` ${from} → ${to}: ${m.text}`,
} as const;
