import type { AlertSourceType } from '../contract/alerts';
import type { ProductContext } from '../shared/context';
import { UserError } from '../shared/errors';
import { ALERT_TEXT } from './messages';
import { alertPolicy } from './policy';
import { type AlertSource, newRecordId, type SourceSettings } from './records';
import { SOURCE_DEFAULTS } from './settings';
import { newToken, tokenHash } from './signature';
import type { AlertStore } from './store';

export interface NewSource {
  name: string;
  type: AlertSourceType;
  settings: Partial<SourceSettings>;
}

/** A source with the secret it was just given: shown once, then never again. */
export interface WithSecret {
  source: AlertSource;
  secret: string;
}

/** Adding, changing, rotating and removing a team's alert sources (team admins; policy.ts). */
export class AlertSources {
  constructor(
    private readonly ctx: Pick<ProductContext, 'access' | 'now' | 'api'>,
    private readonly store: AlertStore,
  ) {}

  private async requireAdmin(userId: string, teamId: string): Promise<void> {
    await alertPolicy.require(this.ctx.access(), userId, 'manage', { scope: { teamId, channelId: null } }, 'manage alert sources');
  }

  /** Responders must be on the team: they are invited to every incident the source opens. */
  private async checkSettings(teamId: string, type: AlertSourceType, settings: Partial<SourceSettings>): Promise<void> {
    if (type !== 'grafana' && (settings.signatureHeader || settings.timestampHeader)) throw UserError.badRequest(ALERT_TEXT.signatureOnlyGrafana);
    const access = this.ctx.access();
    const outsiders = [];
    for (const id of settings.responderIds ?? []) if (!(await access.isTeamMember(id, teamId))) outsiders.push(id);
    if (outsiders.length) throw UserError.badRequest(`Responders must be members of this team (${outsiders.length} are not).`);
  }

  async list(userId: string, teamId: string): Promise<AlertSource[]> {
    await this.requireAdmin(userId, teamId);
    return this.store.teamSources(teamId);
  }

  async add(userId: string, teamId: string, input: NewSource): Promise<WithSecret> {
    await this.requireAdmin(userId, teamId);
    if (!/^[a-z0-9][a-z0-9-]{0,59}$/.test(input.name)) throw UserError.badRequest(ALERT_TEXT.badName(input.name));
    const settings: SourceSettings = {
      ...SOURCE_DEFAULTS,
      ...(input.type === 'grafana' ? { signatureHeader: 'X-Grafana-Alert-Signature' } : {}),
      ...input.settings,
    };
    await this.checkSettings(teamId, input.type, settings);
    const secret = newToken();
    const now = this.ctx.now();
    const source: AlertSource = {
      v: 1,
      id: newRecordId(),
      teamId,
      name: input.name,
      type: input.type,
      tokenHash: tokenHash(secret),
      hmacKey: input.type === 'grafana' ? secret : null,
      settings,
      createdBy: userId,
      createdAt: now,
      secretRotatedAt: now,
    };
    await this.store.insertSource(source);
    return { source, secret };
  }

  async edit(userId: string, teamId: string, name: string, settings: Partial<SourceSettings>): Promise<AlertSource> {
    const source = await this.found(userId, teamId, name);
    await this.checkSettings(teamId, source.type, { ...source.settings, ...settings });
    return this.store.updateSource(source.id, (s) => ({ ...s, settings: { ...s.settings, ...settings } }));
  }

  async rotate(userId: string, teamId: string, name: string): Promise<WithSecret> {
    const source = await this.found(userId, teamId, name);
    const secret = newToken();
    const now = this.ctx.now();
    const rotated = await this.store.updateSource(source.id, (s) => ({
      ...s,
      tokenHash: tokenHash(secret),
      hmacKey: s.type === 'grafana' ? secret : null,
      secretRotatedAt: now,
    }));
    return { source: rotated, secret };
  }

  async remove(userId: string, teamId: string, name: string): Promise<AlertSource> {
    const source = await this.found(userId, teamId, name);
    await this.store.removeSource(source);
    return source;
  }

  /** The policy first: a non-admin hears "only team admins…", never whether the name exists. */
  private async found(userId: string, teamId: string, name: string): Promise<AlertSource> {
    await this.requireAdmin(userId, teamId);
    const source = await this.store.sourceByName(teamId, name.trim().toLowerCase());
    if (!source) throw UserError.notFound(ALERT_TEXT.noSource);
    return source;
  }

  async siteUrl(): Promise<string> {
    const service = (await this.ctx.api.getConfig())['ServiceSettings'];
    const url = service && typeof service === 'object' ? (service as Record<string, unknown>)['SiteURL'] : null;
    return typeof url === 'string' ? url : '';
  }
}
