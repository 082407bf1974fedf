import { ALERT_SOURCE_TYPES, type AlertSourceType } from '../contract/alerts';
import type { CommandInvocation, SubcommandSpec } from '../shared/commands';
import { ephemeral } from '../shared/commands';
import type { ProductContext } from '../shared/context';
import { UserError } from '../shared/errors';
import { People } from '../shared/people';
import { parseSeverity, parseSeverityMap } from './mapping';
import { ALERT_TEXT, listText, secretText, sourceLine } from './messages';
import type { SourceSettings } from './records';
import type { AlertSources } from './sources';
import { hookUrl } from './views';

const SETTING_FLAGS = ['severity-label', 'map', 'default-severity', 'type-label', 'responders', 'signature-header', 'timestamp-header', 'window'] as const;
const HEADER = /^[a-z0-9-]{1,64}$/i;
const NONE = /^(?:none|off|-)$/i;

/** `48h`, `2d`, `12` (hours) → whole hours. */
export function parseWindowHours(text: string): number {
  const m = /^(\d{1,4}) ?(h|hours?|d|days?)?$/i.exec(text.trim());
  const hours = m ? Number(m[1]) * (m[2] && /^d/i.test(m[2]) ? 24 : 1) : NaN;
  if (!Number.isInteger(hours) || hours < 1 || hours > 24 * 30) throw UserError.badRequest(ALERT_TEXT.badWindow(text));
  return hours;
}

function onOff(text: string): boolean {
  if (/^(?:on|yes|true)$/i.test(text.trim())) return true;
  if (/^(?:off|no|false)$/i.test(text.trim())) return false;
  throw UserError.badRequest(ALERT_TEXT.badOnOff(text));
}

function header(text: string): string | null {
  if (NONE.test(text.trim())) return null;
  if (!HEADER.test(text.trim())) throw UserError.badRequest(`"${text.slice(0, 40)}" is not an HTTP header name.`);
  return text.trim();
}

/** The settings named by flags (only those given), each checked with a clear error. */
async function settingsFromFlags(inv: CommandInvocation, people: People): Promise<Partial<SourceSettings>> {
  const flag = (name: string): string | null => {
    const v = inv.flags.get(name);
    return typeof v === 'string' ? v.trim() : null;
  };
  const out: Partial<SourceSettings> = {};
  const label = flag('severity-label');
  if (label !== null) out.severityLabel = label.slice(0, 100);
  const map = flag('map');
  if (map !== null) {
    try {
      out.severityMap = parseSeverityMap(map);
    } catch (err) {
      throw UserError.badRequest(err instanceof Error ? err.message : String(err));
    }
  }
  const def = flag('default-severity');
  if (def !== null) {
    const s = parseSeverity(def);
    if (s === null) throw UserError.badRequest(ALERT_TEXT.badSeverity(def));
    out.defaultSeverity = s;
  }
  const typeLabel = flag('type-label');
  if (typeLabel !== null) out.typeLabel = NONE.test(typeLabel) ? null : typeLabel.slice(0, 100);
  const responders = flag('responders');
  if (responders !== null) out.responderIds = NONE.test(responders) ? [] : await people.resolveUsernames(responders.split(/[\s,]+/).filter(Boolean), 20);
  const sig = flag('signature-header');
  if (sig !== null) out.signatureHeader = header(sig);
  const ts = flag('timestamp-header');
  if (ts !== null) out.timestampHeader = header(ts);
  const window = flag('window');
  if (window !== null) out.dedupeWindowHours = parseWindowHours(window);
  const auto = inv.flags.get('auto-resolve');
  if (auto !== undefined) out.autoResolve = auto === true ? true : onOff(auto);
  if (inv.flags.get('public') === true) out.private = false;
  if (inv.flags.get('private') === true) out.private = true;
  return out;
}

function nameOf(inv: CommandInvocation, usage: string): string {
  const name = inv.positional[0];
  if (!name || inv.positional.length > 1) throw UserError.badRequest('Name one source.', `/infra alerts ${usage}`);
  return name.toLowerCase();
}

/** `/infra alerts add|set|list|rotate|remove`, wired into `/infra` by product/index.ts. */
export function alertsSubcommand(ctx: Pick<ProductContext, 'api'>, sources: AlertSources): SubcommandSpec {
  const url = async (s: Parameters<typeof hookUrl>[1]) => hookUrl(await sources.siteUrl(), s);
  return {
    name: 'alerts',
    usage: '',
    help: ALERT_TEXT.help.alerts,
    subcommands: [
      {
        name: 'add',
        usage: ALERT_TEXT.usage.add,
        help: ALERT_TEXT.help.add,
        valueFlags: ['type', ...SETTING_FLAGS],
        booleanFlags: ['auto-resolve', 'public'],
        run: async (inv) => {
          const type = String(inv.flags.get('type') ?? '').trim().toLowerCase();
          if (!(ALERT_SOURCE_TYPES as readonly string[]).includes(type)) throw UserError.badRequest(ALERT_TEXT.badType, `/infra alerts add ${ALERT_TEXT.usage.add}`);
          const settings = await settingsFromFlags(inv, new People(ctx.api));
          const { source, secret } = await sources.add(inv.userId, inv.teamId, { name: nameOf(inv, ALERT_TEXT.usage.add), type: type as AlertSourceType, settings });
          return ephemeral(secretText(source, await url(source), secret, false));
        },
      },
      {
        name: 'set',
        usage: ALERT_TEXT.usage.set,
        help: ALERT_TEXT.help.set,
        valueFlags: [...SETTING_FLAGS, 'auto-resolve'],
        booleanFlags: ['public', 'private'],
        run: async (inv) => {
          const settings = await settingsFromFlags(inv, new People(ctx.api));
          const source = await sources.edit(inv.userId, inv.teamId, nameOf(inv, ALERT_TEXT.usage.set), settings);
          return ephemeral(`${ALERT_TEXT.updated(source.name)}\n${sourceLine(source, await url(source), '')}`);
        },
      },
      {
        name: 'list',
        usage: '',
        help: ALERT_TEXT.help.list,
        noArguments: true,
        run: async (inv) => {
          const list = await sources.list(inv.userId, inv.teamId);
          const people = new People(ctx.api);
          const lines = await Promise.all(list.map(async (s) => sourceLine(s, await url(s), await people.mentions(s.settings.responderIds))));
          return ephemeral(listText(lines));
        },
      },
      {
        name: 'rotate',
        usage: ALERT_TEXT.usage.rotate,
        help: ALERT_TEXT.help.rotate,
        run: async (inv) => {
          const { source, secret } = await sources.rotate(inv.userId, inv.teamId, nameOf(inv, ALERT_TEXT.usage.rotate));
          return ephemeral(secretText(source, await url(source), secret, true));
        },
      },
      {
        name: 'remove',
        usage: ALERT_TEXT.usage.remove,
        help: ALERT_TEXT.help.remove,
        run: async (inv) => ephemeral(ALERT_TEXT.removed((await sources.remove(inv.userId, inv.teamId, nameOf(inv, ALERT_TEXT.usage.remove))).name)),
      },
    ],
  };
}
