import { createHash } from 'node:crypto';
import { COMPONENT_STATE_LABELS, type ComponentState } from '../contract/status';
import type { StatusIncident } from '../shared/ports';
import { type ComponentStatus, componentStatuses, overallState } from './derive';
import type { PublicPageData, StatusPageData } from './service';
import type { PublicIncident } from '../shared/ports';
import { formatInZone } from './times';

/**
 * The status page as HTML, rendered on the server: no script, one inline stylesheet allowed by its
 * hash in a strict Content-Security-Policy, every text escaped. Mattermost's look: Open Sans, the
 * default (Denim) theme's colours, cards with a hairline border; one column on a phone.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);

const STATE_COLOURS: Record<ComponentState, string> = {
  major_outage: '#d24b4e',
  partial_outage: '#f5821f',
  degraded: '#ffbc1f',
  maintenance: '#1c58d9',
  operational: '#06d6a0',
};

const STYLE = `
:root{--bg:#fff;--text:#3f4350;--muted:rgba(63,67,80,.64);--border:rgba(63,67,80,.16);--header:#1e325c;--link:#386fe5}
*{box-sizing:border-box}
body{margin:0;background:#f4f4f6;color:var(--text);font:14px/20px "Open Sans",-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
header{background:var(--header);color:#fff;padding:16px 24px}
header h1{margin:0;font-size:20px;line-height:28px;font-weight:600}
header p{margin:2px 0 0;color:rgba(255,255,255,.72);font-size:12px}
main{max-width:880px;margin:0 auto;padding:24px 16px 48px}
section{background:var(--bg);border:1px solid var(--border);border-radius:8px;margin:0 0 16px;box-shadow:0 2px 3px rgba(0,0,0,.08)}
section>h2{margin:0;padding:12px 16px;font-size:16px;line-height:24px;font-weight:600;border-bottom:1px solid var(--border)}
.banner{display:flex;align-items:center;gap:12px;padding:16px;font-size:16px;font-weight:600}
.dot{flex:none;width:12px;height:12px;border-radius:50%;display:inline-block}
ul{list-style:none;margin:0;padding:0}
li{padding:12px 16px;border-top:1px solid var(--border)}
li:first-child{border-top:0}
.row{display:flex;flex-wrap:wrap;align-items:center;gap:8px;justify-content:space-between}
.name{font-weight:600}
.state{display:inline-flex;align-items:center;gap:6px;font-size:12px;font-weight:600}
.muted{color:var(--muted);font-size:12px}
.incident{margin:6px 0 0 20px;font-size:13px}
.badge{display:inline-block;padding:0 6px;border-radius:4px;font-size:11px;font-weight:700;line-height:16px;color:#fff}
.empty{padding:12px 16px;color:var(--muted)}
@media (max-width:600px){header{padding:12px 16px}main{padding:12px 8px 32px}.incident{margin-left:0}}
`;


const SEVERITY_COLOURS: Record<number, string> = { 1: '#d24b4e', 2: '#f5821f', 3: '#ffbc1f', 4: '#5e6aa8' };

const dot = (state: ComponentState): string => `<span class="dot" data-state="${state}" aria-hidden="true"></span>`;

function badge(i: StatusIncident): string {
  return `<span class="badge sev${i.severity}">SEV${i.severity}</span>`;
}

function stateLabel(state: ComponentState): string {
  return `<span class="state">${dot(state)}${escapeHtml(COMPONENT_STATE_LABELS[state])}</span>`;
}

function componentItem(c: ComponentStatus, zone: string): string {
  const incidents = c.incidents
    .map((i) => `<div class="incident">${badge(i)} ${escapeHtml(i.reference)} ${escapeHtml(i.title)}${i.status ? ` — <span class="muted">${escapeHtml(i.status)}</span>` : ''}</div>`)
    .join('');
  const maintenance = c.maintenance
    .map((m) => `<div class="incident muted">Maintenance until ${escapeHtml(formatInZone(m.to, zone))}: ${escapeHtml(m.text)}</div>`)
    .join('');
  const description = c.component.description ? `<div class="muted">${escapeHtml(c.component.description)}</div>` : '';
  return `<li data-component="${escapeHtml(c.component.slug)}"><div class="row"><span class="name">${escapeHtml(c.component.name)}</span>${stateLabel(c.state)}</div>${description}${incidents}${maintenance}</li>`;
}

function incidentItem(i: StatusIncident, zone: string): string {
  const when = i.phase === 'resolved' && i.resolvedAt !== null ? `Resolved ${formatInZone(i.resolvedAt, zone)}` : `Declared ${formatInZone(i.declaredAt, zone)}`;
  return `<li data-incident="${escapeHtml(i.reference)}"><div class="row"><span>${badge(i)} <span class="name">${escapeHtml(i.reference)}</span> ${escapeHtml(i.title)}</span><span class="muted">${escapeHtml(when)}</span></div>${i.status ? `<div class="muted">${escapeHtml(i.status)}</div>` : ''}</li>`;
}

const list = (items: readonly string[], empty: string): string => (items.length ? `<ul>${items.join('')}</ul>` : `<p class="empty">${escapeHtml(empty)}</p>`);

/** Colours go through classes so the stylesheet stays the only style (no inline style attributes under the CSP). */
const COLOUR_RULES =
  Object.entries(STATE_COLOURS)
    .map(([s, c]) => `[data-state="${s}"]{background:${c}}`)
    .join('') + Object.entries(SEVERITY_COLOURS).map(([s, c]) => `.sev${s}{background:${c}}`).join('');

export const STATUS_STYLE = STYLE + COLOUR_RULES;

/** The page's Content-Security-Policy: nothing loads or runs but this one stylesheet. */
export const STATUS_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STATUS_STYLE).digest('base64')}'`,
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

export function renderStatusPage(data: StatusPageData): string {
  const overall = overallState(data.components);
  const headline = data.components.length === 0 ? 'No components defined yet' : overall === 'operational' ? 'All systems operational' : COMPONENT_STATE_LABELS[overall];
  const title = `${data.team.displayName} status`;
  const names = new Map(data.components.map((c) => [c.component.slug, c.component.name]));
  const sections = [
    `<section aria-label="Overall"><div class="banner">${dot(overall)}<span>${escapeHtml(headline)}</span></div></section>`,
    `<section><h2>Components</h2>${list(
      data.components.map((c) => componentItem(c, data.zone)),
      'Team admins add components with /infra components add <name>.',
    )}</section>`,
    data.untagged.length ? `<section><h2>Other active incidents</h2>${list(data.untagged.map((i) => incidentItem(i, data.zone)), '')}</section>` : '',
    `<section><h2>Scheduled maintenance</h2>${list(
      data.maintenance.map(
        (m) =>
          `<li data-maintenance="${m.n}"><div class="row"><span class="name">${escapeHtml(names.get(m.component) ?? m.component)}</span><span class="muted">${escapeHtml(formatInZone(m.from, data.zone))} → ${escapeHtml(formatInZone(m.to, data.zone))}</span></div><div>${escapeHtml(m.text)}</div></li>`,
      ),
      'No maintenance scheduled.',
    )}</section>`,
    `<section><h2>Recent incidents</h2>${list(data.recent.map((i) => incidentItem(i, data.zone)), 'No incidents resolved recently.')}</section>`,
  ];
  return page(title, `<header><h1>${escapeHtml(title)}</h1><p>As of ${escapeHtml(formatInZone(data.now, data.zone))} · only what you may see</p></header><main>${sections.join('')}</main>`);
}

function publicIncidentItem(i: PublicIncident): string {
  const when = i.phase === 'resolved' && i.resolvedAt !== null ? `Resolved ${formatInZone(i.resolvedAt, 'UTC')}` : `Since ${formatInZone(i.declaredAt, 'UTC')}`;
  return `<li data-incident="${escapeHtml(i.reference)}"><div class="row"><span class="name">${escapeHtml(i.reference)}</span><span class="muted">${escapeHtml(when)}</span></div><div>${escapeHtml(i.publicStatus)}</div></li>`;
}

/**
 * The public page behind the team's secret link: components, and only the incidents their
 * commanders marked customer-facing, each with its public text — no titles, updates, people or
 * maintenance notes. Times in UTC (there is no viewer to ask).
 */
export function renderPublicPage(data: PublicPageData): string {
  const statuses = componentStatuses(data.components, data.active, [], data.now);
  const overall = overallState(statuses);
  const headline = overall === 'operational' ? 'All systems operational' : COMPONENT_STATE_LABELS[overall];
  const title = `${data.teamName} status`;
  const sections = [
    `<section aria-label="Overall"><div class="banner">${dot(overall)}<span>${escapeHtml(headline)}</span></div></section>`,
    statuses.length
      ? `<section><h2>Components</h2><ul>${statuses
          .map((c) => `<li data-component="${escapeHtml(c.component.slug)}"><div class="row"><span class="name">${escapeHtml(c.component.name)}</span>${stateLabel(c.state)}</div></li>`)
          .join('')}</ul></section>`
      : '',
    `<section><h2>Current incidents</h2>${list(data.active.map(publicIncidentItem), 'No current incidents.')}</section>`,
    `<section><h2>Recent incidents</h2>${list(data.recent.map(publicIncidentItem), 'No incidents resolved recently.')}</section>`,
  ];
  return page(title, `<header><h1>${escapeHtml(title)}</h1><p>As of ${escapeHtml(formatInZone(data.now, 'UTC'))}</p></header><main>${sections.join('')}</main>`);
}

/** A short page for refusals (not logged in, no such team): the same look, no detail. */
export function renderMessagePage(heading: string, text: string): string {
  return page(heading, `<header><h1>${escapeHtml(heading)}</h1></header><main><section><p class="empty">${escapeHtml(text)}</p></section></main>`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STATUS_STYLE}</style></head><body>${body}</body></html>`;
}
