import { STATUS_LIMITS, statusPagePath } from '../contract/status';
import type { Team } from '../../plugin/model/types';
import type { ProductContext } from '../shared/context';
import { UserError } from '../shared/errors';
import { createHash, randomBytes } from 'node:crypto';
import type { IncidentStatusSource, PublicIncident, StatusIncident } from '../shared/ports';
import { slugify } from '../shared/text/slug';
import { readerZone } from '../shared/people';
import { type ComponentStatus, componentStatuses } from './derive';
import { STATUS_TEXT } from './messages';
import { statusPolicy, teamScope } from './policy';
import type { Component, Maintenance } from './records';
import type { StatusSettings } from './settings';
import type { StatusStore } from './store';

const DAY_MS = 86_400_000;
const MAX_WINDOW_MS = 30 * DAY_MS;
/** Ended maintenance stays listed this long, then is pruned on the next write. */
const KEEP_ENDED_MS = 7 * DAY_MS;

type ServiceContext = Pick<ProductContext, 'api' | 'access' | 'now'>;

export interface StatusPageData {
  readonly team: { readonly name: string; readonly displayName: string };
  readonly components: readonly ComponentStatus[];
  readonly maintenance: readonly Maintenance[];
  readonly recent: readonly StatusIncident[];
  /** Active incidents the viewer may see that name no component (still shown: something is wrong). */
  readonly untagged: readonly StatusIncident[];
  readonly zone: string;
  readonly now: number;
}

export interface PublicPageData {
  readonly teamName: string;
  readonly components: readonly Component[];
  readonly active: readonly PublicIncident[];
  readonly recent: readonly PublicIncident[];
  readonly now: number;
}

const hashOf = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface NewMaintenance {
  component: string;
  from: number;
  to: number;
  text: string;
}

/** Components, maintenance and the page's data; who may do each is in policy.ts. */
export class StatusService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly store: StatusStore,
    private readonly incidents: IncidentStatusSource,
    private readonly settings: () => StatusSettings,
  ) {}

  private async require(userId: string, teamId: string, action: 'view' | 'manage', what: string): Promise<void> {
    await statusPolicy.require(this.ctx.access(), userId, action, { scope: teamScope(teamId) }, what);
  }

  /** The viewer's Mattermost time zone, UTC if unset. */
  async zoneOf(userId: string): Promise<string> {
    return (await readerZone(this.ctx.api, userId)) ?? 'UTC';
  }

  async link(siteUrl: string, teamId: string): Promise<string> {
    const team = await this.ctx.api.getTeam(teamId);
    return `${(siteUrl.endsWith('/') ? siteUrl.slice(0, -1) : siteUrl)}${statusPagePath(team.Name)}`;
  }

  async components(userId: string, teamId: string): Promise<Component[]> {
    await this.require(userId, teamId, 'view', 'see the components');
    return (await this.store.get(teamId)).components;
  }

  async addComponent(userId: string, teamId: string, name: string, description: string): Promise<Component> {
    await this.require(userId, teamId, 'manage', 'define components');
    const trimmed = name.trim();
    if (!trimmed) throw UserError.badRequest(STATUS_TEXT.giveName);
    if (trimmed.length > STATUS_LIMITS.componentName) throw UserError.badRequest(STATUS_TEXT.nameTooLong);
    if (description.length > STATUS_LIMITS.description) throw UserError.badRequest(STATUS_TEXT.descriptionTooLong);
    const slug = slugify(trimmed, STATUS_LIMITS.componentSlug);
    if (!slug) throw UserError.badRequest(STATUS_TEXT.badName);
    const component: Component = { slug, name: trimmed, description: description.trim(), createdBy: userId, createdAt: this.ctx.now() };
    await this.store.change(teamId, (s) => {
      const same = s.components.find((c) => c.slug === slug);
      if (same) throw UserError.conflict(STATUS_TEXT.exists(same));
      if (s.components.length >= STATUS_LIMITS.componentsPerTeam) throw UserError.conflict(STATUS_TEXT.tooManyComponents);
      return { ...s, components: [...s.components, component] };
    });
    return component;
  }

  async removeComponent(userId: string, teamId: string, name: string): Promise<Component> {
    await this.require(userId, teamId, 'manage', 'remove components');
    const slug = slugify(name, STATUS_LIMITS.componentSlug);
    let removed: Component | undefined;
    await this.store.change(teamId, (s) => {
      removed = s.components.find((c) => c.slug === slug);
      if (!removed) throw UserError.notFound(STATUS_TEXT.noComponent(name));
      return { ...s, components: s.components.filter((c) => c.slug !== slug), maintenance: s.maintenance.filter((m) => m.component !== slug) };
    });
    return removed!;
  }

  async addMaintenance(userId: string, teamId: string, input: NewMaintenance): Promise<Maintenance> {
    await this.require(userId, teamId, 'manage', 'schedule maintenance');
    const now = this.ctx.now();
    if (input.to <= input.from) throw UserError.badRequest(STATUS_TEXT.endBeforeStart);
    if (input.to <= now) throw UserError.badRequest(STATUS_TEXT.endPassed);
    if (input.to - input.from > MAX_WINDOW_MS) throw UserError.badRequest(STATUS_TEXT.tooLong);
    const text = input.text.trim();
    if (!text) throw UserError.badRequest(STATUS_TEXT.maintenanceArgs);
    if (text.length > STATUS_LIMITS.maintenanceText) throw UserError.badRequest(STATUS_TEXT.textTooLong);
    const slug = slugify(input.component, STATUS_LIMITS.componentSlug);
    let added: Maintenance | undefined;
    await this.store.change(teamId, (s) => {
      if (!s.components.some((c) => c.slug === slug)) throw UserError.notFound(STATUS_TEXT.noComponent(input.component));
      const kept = s.maintenance.filter((m) => m.to > now - KEEP_ENDED_MS);
      if (kept.length >= STATUS_LIMITS.maintenanceKept) throw UserError.conflict(STATUS_TEXT.tooManyWindows);
      added = { n: s.lastMaintenance + 1, component: slug, from: input.from, to: input.to, text, createdBy: userId, createdAt: now };
      return { ...s, maintenance: [...kept, added], lastMaintenance: added.n };
    });
    return added!;
  }

  async removeMaintenance(userId: string, teamId: string, n: number): Promise<Maintenance> {
    await this.require(userId, teamId, 'manage', 'remove maintenance');
    let removed: Maintenance | undefined;
    await this.store.change(teamId, (s) => {
      removed = s.maintenance.find((m) => m.n === n);
      if (!removed) throw UserError.notFound(STATUS_TEXT.noSuchMaintenance(n));
      return { ...s, maintenance: s.maintenance.filter((m) => m.n !== n) };
    });
    return removed!;
  }

  /** Maintenance not yet ended, soonest first. */
  async maintenance(userId: string, teamId: string): Promise<Maintenance[]> {
    await this.require(userId, teamId, 'view', 'see maintenance');
    const now = this.ctx.now();
    return (await this.store.get(teamId)).maintenance.filter((m) => m.to > now).sort((a, b) => a.from - b.from);
  }

  /**
   * A new secret link to the public page (any earlier one stops working). The link is shown once;
   * only its hash is kept. Written link-first, so a crash leaves at worst an unused mapping.
   */
  async createPublicLink(userId: string, teamId: string): Promise<string> {
    await this.require(userId, teamId, 'manage', 'create the public status link');
    const token = randomBytes(24).toString('base64url');
    const hash = hashOf(token);
    await this.store.linkTeam(hash, teamId);
    let previous: string | null = null;
    await this.store.change(teamId, (s) => {
      previous = s.publicLink?.hash ?? null;
      return { ...s, publicLink: { hash, createdBy: userId, createdAt: this.ctx.now() } };
    });
    if (previous) await this.store.unlink(previous);
    return token;
  }

  /** False when there was no link. */
  async revokePublicLink(userId: string, teamId: string): Promise<boolean> {
    await this.require(userId, teamId, 'manage', 'revoke the public status link');
    let previous: string | null = null;
    await this.store.change(teamId, (s) => {
      previous = s.publicLink?.hash ?? null;
      return { ...s, publicLink: null };
    });
    if (previous) await this.store.unlink(previous);
    return previous !== null;
  }

  /** The public page's data, by its secret; not found for an unknown or revoked link. */
  async publicPage(token: string): Promise<PublicPageData> {
    const hash = /^[\w-]{32}$/.test(token) ? hashOf(token) : null;
    const teamId = hash ? await this.store.teamOfLink(hash) : null;
    const stored = teamId ? await this.store.get(teamId) : null;
    if (!teamId || !stored || stored.publicLink?.hash !== hash) throw UserError.notFound(STATUS_TEXT.noTeam);
    const team = await this.ctx.api.getTeam(teamId).catch(() => null);
    if (!team || team.DeleteAt) throw UserError.notFound(STATUS_TEXT.noTeam);
    const now = this.ctx.now();
    const incidents = await this.incidents.customerFacing(teamId, now - this.settings().historyDays * DAY_MS);
    return { teamName: team.DisplayName || team.Name, components: stored.components, active: incidents.active, recent: incidents.recent, now };
  }

  /** The team named in the URL, or not found (the same for a team that exists and one the viewer is not in). */
  async teamByName(userId: string, name: string): Promise<Team> {
    const team = /^[a-z0-9][a-z0-9_-]{0,63}$/.test(name) ? await this.ctx.api.getTeamByName(name).catch(() => null) : null;
    if (!team || team.DeleteAt) throw UserError.notFound(STATUS_TEXT.noTeam);
    await this.require(userId, team.Id, 'view', 'read the status page');
    return team;
  }

  /** Everything the page shows, for this viewer: incidents only as they may see them now. */
  async page(userId: string, teamName: string): Promise<StatusPageData> {
    const team = await this.teamByName(userId, teamName);
    const now = this.ctx.now();
    const since = now - this.settings().historyDays * DAY_MS;
    const [stored, seen, zone] = await Promise.all([this.store.get(team.Id), this.incidents.forStatusPage(team.Id, userId, since), this.zoneOf(userId)]);
    const slugs = new Set(stored.components.map((c) => c.slug));
    return {
      team: { name: team.Name, displayName: team.DisplayName || team.Name },
      components: componentStatuses(stored.components, seen.active, stored.maintenance, now),
      maintenance: stored.maintenance.filter((m) => m.to > now).sort((a, b) => a.from - b.from),
      recent: seen.recent,
      untagged: seen.active.filter((i) => !i.components.some((c) => slugs.has(c))),
      zone,
      now,
    };
  }
}
