import { type AlertSourceView, hookPath } from '../contract/alerts';
import type { AlertSource } from './records';

/** The full URL a sender posts to (site URL + hook path). */
export function hookUrl(siteUrl: string, source: Pick<AlertSource, 'type' | 'id'>): string {
  let end = siteUrl.length;
  while (end > 0 && siteUrl[end - 1] === '/') end--;
  return `${siteUrl.slice(0, end)}${hookPath(source.type, source.id)}`;
}

/** A source as the contract shows it: never its token hash or HMAC key. */
export function sourceView(source: AlertSource, siteUrl: string): AlertSourceView {
  const s = source.settings;
  return {
    id: source.id,
    teamId: source.teamId,
    name: source.name,
    type: source.type,
    url: hookUrl(siteUrl, source),
    severityLabel: s.severityLabel,
    severityMap: { ...s.severityMap },
    defaultSeverity: s.defaultSeverity,
    typeLabel: s.typeLabel,
    responderIds: [...s.responderIds],
    signatureHeader: s.signatureHeader,
    timestampHeader: s.timestampHeader,
    dedupeWindowHours: s.dedupeWindowHours,
    autoResolve: s.autoResolve,
    private: s.private,
    createdBy: source.createdBy,
    createdAt: source.createdAt,
    secretRotatedAt: source.secretRotatedAt,
  };
}
