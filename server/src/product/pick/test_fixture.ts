/** Test-only: a team, people and channels, and the product activated on the in-memory API. */
import type { Channel, Team, User } from '../../plugin/model/types';
import { MemoryWorld } from '../../plugin/testing/memory_api';
import { ProductHarness } from '../testing/product_harness';
import { seedTeam } from '../testing/team_seed';

export interface TeamFixture {
  h: ProductHarness;
  world: MemoryWorld;
  team: Team;
  alice: User;
  bob: User;
  carol: User;
  dave: User;
  /** Not on the team. */
  outsider: User;
  admin: User;
  /** Open channel with alice, bob, carol. */
  town: Channel;
  /** Private channel with alice and bob only. */
  secret: Channel;
  /** Ephemeral reply text of a command as `user` in `channel` (default town). */
  cmd(user: User, text: string, channel?: Channel): Promise<string>;
  events(name: string): Array<Record<string, unknown>>;
}

export async function teamFixture(settings: Record<string, unknown> = {}, world = new MemoryWorld()): Promise<TeamFixture> {
  const { team, alice, bob, carol, dave, admin, outsider, town } = seedTeam(world);
  for (const u of [alice, bob, carol]) world.addChannelMember(town.Id, u.Id);
  const secret = world.addChannel(team.Id, 'secret', 'P');
  for (const u of [alice, bob]) world.addChannelMember(secret.Id, u.Id);
  world.pluginConfig = settings;
  const h = await new ProductHarness(world).activate();
  return {
    h,
    world,
    team,
    alice,
    bob,
    carol,
    dave,
    outsider,
    admin,
    town,
    secret,
    cmd: async (user, text, channel = town) => (await h.command(user, channel.Id, text, team)).Text ?? '',
    events: (name) => world.events.filter((e) => e.event === name).map((e) => JSON.parse(String(e.payload.data)) as Record<string, unknown>),
  };
}
