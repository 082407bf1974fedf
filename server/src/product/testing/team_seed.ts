import type { Channel, Team, User } from '../../plugin/model/types';
import type { MemoryWorld } from '../../plugin/testing/memory_api';

/** The people every feature's tests use: four team members, a system admin and someone outside the team. */
export interface SeededTeam {
  team: Team;
  alice: User;
  bob: User;
  carol: User;
  dave: User;
  /** Not on the team. */
  outsider: User;
  admin: User;
  /** An open channel with no members yet; each fixture adds whom it needs. */
  town: Channel;
}

/** Test-only: the team `ops` with its people and `town-square`, in the same order every time. */
export function seedTeam(world: MemoryWorld): SeededTeam {
  const team = world.addTeam('ops');
  const [alice, bob, carol, dave] = ['alice', 'bob', 'carol', 'dave'].map((n) => world.addUser(n)) as [User, User, User, User];
  const admin = world.addUser('root', { Roles: 'system_user system_admin' });
  const outsider = world.addUser('mallory');
  for (const u of [alice, bob, carol, dave, admin]) world.addTeamMember(team.Id, u.Id);
  const town = world.addChannel(team.Id, 'town-square');
  return { team, alice, bob, carol, dave, outsider, admin, town };
}
