// Moving to a channel inside the host web app without a page reload: the host exposes its router
// history as window.WebappUtils.browserHistory; a plain navigation is the fallback.
import type { HostPopouts } from './popout';

interface HostHistory {
  push(path: string): void;
}

declare global {
  interface Window {
    WebappUtils?: { browserHistory?: HostHistory; popouts?: HostPopouts };
  }
}

export const channelPath = (siteURLPath: string, teamName: string, channelName: string): string =>
  `${siteURLPath}/${encodeURIComponent(teamName)}/channels/${encodeURIComponent(channelName)}`;

export function goTo(path: string, sitePathPrefix: string): void {
  const history = window.WebappUtils?.browserHistory;
  // The host's history is rooted at the site path, so it takes the path without that prefix.
  if (history) history.push(path.startsWith(sitePathPrefix) ? path.slice(sitePathPrefix.length) || '/' : path);
  else window.location.assign(path);
}
