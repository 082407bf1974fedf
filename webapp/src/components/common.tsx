import React from 'react';
import { useSelector } from 'react-redux';
import type { GlobalState } from '@mattermost/types/store';
import { sitePath } from '../client';
import { severityName } from '../contract';
import { channelPath, goTo } from '../navigate';
import { getCurrentTeamId, getSiteURL } from '../selectors';
import { useUserName } from './hooks';

export function SeverityBadge({ severity }: { severity: number }) {
  return <span className={`io-badge io-sev-${Math.min(4, Math.max(1, severity))}`}>{severityName(severity)}</span>;
}

export function UserName({ userId, fallback }: { userId: string | null | undefined; fallback?: string }) {
  return <>{useUserName(userId, fallback)}</>;
}

export function ErrorText({ error }: { error: string | null }) {
  return error ? (
    <div className='io-error' role='alert'>
      {error}
    </div>
  ) : null;
}

export function Loading({ loading, label }: { loading: boolean; label: string }) {
  return loading ? (
    <div className='io-muted' role='status'>
      Loading {label}…
    </div>
  ) : null;
}

/** A link to a channel by name, navigating inside the host app. */
export function ChannelLink({ channelName, children }: { channelName: string; children?: React.ReactNode }) {
  const site = useSelector((s: GlobalState) => sitePath(getSiteURL(s)));
  const team = useSelector((s: GlobalState) => s.entities.teams.teams[getCurrentTeamId(s)]?.name ?? '');
  if (!channelName || !team) return null;
  const href = channelPath(site, team, channelName);
  return (
    <a
      className='io-link'
      href={href}
      onClick={(e) => {
        e.preventDefault();
        goTo(href, site);
      }}
    >
      {children ?? `~${channelName}`}
    </a>
  );
}
