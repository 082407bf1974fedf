// Small hooks shared by the tabs: load-on-mount with error state, user display names (profiles
// fetched on demand) and the user's time format.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSelector } from 'react-redux';
import type { GlobalState } from '@mattermost/types/store';
import { displayName, nameDisplaySetting, userTimeZone, uses24HourClock, type TimeFormat } from '../people/display';
import { requestProfiles } from '../people/profiles';
import { getSyncEpoch } from '../selectors';

export interface Load {
  loading: boolean;
  error: string | null;
  reload: () => void;
}

/**
 * Runs `load` on mount and whenever `key` changes; a result that arrives after unmount or after a
 * newer run is dropped. The loader dispatches what it fetched; this hook only tracks progress.
 * It also runs again after a websocket reconnect, when events may have been missed.
 */
export function useLoad(load: () => Promise<unknown>, baseKey: string): Load {
  // After a websocket reconnect the epoch changes, so every mounted view loads again.
  const key = `${baseKey}#${useSelector(getSyncEpoch)}`;
  const [state, setState] = useState<{ loading: boolean; error: string | null }>({ loading: true, error: null });
  const run = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const start = useCallback(() => {
    const mine = ++run.current;
    setState({ loading: true, error: null });
    loadRef.current().then(
      () => mine === run.current && setState({ loading: false, error: null }),
      (err: unknown) => mine === run.current && setState({ loading: false, error: err instanceof Error ? err.message : String(err) }),
    );
  }, []);
  useEffect(() => {
    start();
    return () => {
      run.current++;
    };
  }, [key, start]);
  return { ...state, reload: start };
}

/**
 * The user's name as the host shows it (teammate-name-display setting); until the profile arrives
 * (asked for from the host on demand), `fallback` or a short form of the id.
 */
export function useUserName(userId: string | null | undefined, fallback?: string): string {
  const known = useSelector((state: GlobalState) => Boolean(userId && state.entities.users.profiles[userId]));
  useEffect(() => {
    if (userId && !known) requestProfiles([userId]);
  }, [userId, known]);
  return useSelector((state: GlobalState) => {
    if (!userId) return '—';
    const user = state.entities.users.profiles[userId];
    if (user) return displayName(user, nameDisplaySetting(state));
    return fallback ?? `user ${userId.slice(0, 6)}`;
  });
}

/** The user's Mattermost timezone and clock (12/24-hour), for showing times. */
export function useTimeFormat(): TimeFormat {
  const timeZone = useSelector(userTimeZone);
  const hour24 = useSelector(uses24HourClock);
  return useMemo(() => ({ timeZone, hour12: !hour24 }), [timeZone, hour24]);
}

/**
 * useState whose setter does nothing once the component is gone. An action's own result can
 * unmount it (a score that reveals the idea, an RFC that removes the "Open an RFC" button); React
 * 17 (Mattermost 10.x) re-renders synchronously after an await and warns about the late update.
 */
export function useMountedState<T>(initial: T): [T, (value: T) => void] {
  const [value, setValue] = useState(initial);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const set = useCallback((v: T) => {
    if (mounted.current) setValue(v);
  }, []);
  return [value, set];
}
