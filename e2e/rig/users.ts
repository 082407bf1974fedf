import { Client4 } from '@mattermost/client';
import type { Team } from '@mattermost/types/teams';
import type { UserProfile } from '@mattermost/types/users';

/** A user of the rig: its profile, password and a logged-in client. */
export interface RigUser {
  id: string;
  username: string;
  password: string;
  token: string;
  client: Client4;
}

/** What crosses process boundaries (the state file): no client, just the session token. */
export type RigUserRecord = Omit<RigUser, 'client'>;

export const DEFAULT_PASSWORD = 'Infra-Ops-e2e-1';

export function clientFor(url: string, token?: string): Client4 {
  const client = new Client4();
  client.setUrl(url);
  if (token) client.setToken(token);
  return client;
}

export function userFromRecord(url: string, record: RigUserRecord): RigUser {
  return { ...record, client: clientFor(url, record.token) };
}

export function toRecord(user: RigUser): RigUserRecord {
  const { client: _client, ...record } = user;
  return record;
}

/** Logs in (a fresh session each time) and returns the user with its token. */
export async function login(url: string, username: string, password: string): Promise<RigUser> {
  const client = clientFor(url);
  const profile = await client.login(username, password);
  const token = client.getToken();
  if (!token) throw new Error(`login of ${username} returned no session token`);
  return { id: profile.id, username, password, token, client };
}

/**
 * Creates a user through the API. With no `admin` this is self sign-up, which Mattermost allows
 * on an empty server: the first account becomes the system admin.
 */
export async function createUser(
  url: string,
  username: string,
  options: { admin?: RigUser; password?: string; firstName?: string; lastName?: string } = {},
): Promise<RigUser> {
  const password = options.password ?? DEFAULT_PASSWORD;
  const client = options.admin?.client ?? clientFor(url);
  await client.createUser(
    {
      username,
      password,
      email: `${username}@infra-ops.test`,
      first_name: options.firstName ?? '',
      last_name: options.lastName ?? '',
    } as UserProfile,
    '',
    '',
  );
  return login(url, username, password);
}

export async function createTeam(admin: RigUser, name: string, displayName: string): Promise<Team> {
  return admin.client.createTeam({ name, display_name: displayName, type: 'O' } as Team);
}
