import type { Rig, RigUser } from '../rig';

/**
 * Demo data for `npm run dev`, made the way users make it: slash commands run as the demo users.
 * Each feature appends its steps here; a step whose command the bundle does not register yet is
 * skipped with a note, so the dev server starts at every stage of the product.
 */
export interface SeedStep {
  /** What the step creates, for the console. */
  name: string;
  /** Slash command triggers the step needs. */
  needs: readonly string[];
  run(rig: Rig, say: (line: string) => void): Promise<void>;
}

/** Runs a command as `user`; a reply that reports an error stops the seeding with that reply. */
async function as(rig: Rig, user: RigUser, command: string, channelId = rig.channelId): Promise<string> {
  const text = (await rig.runCommand(user, channelId, command)).text ?? '';
  if (/^\*\*Error:?\*\*/.test(text)) throw new Error(`${command} as @${user.username}: ${text}`);
  return text;
}

const ideaNumber = (reply: string): string | undefined => /\bIDEA-0*([1-9]\d*)\b/i.exec(reply)?.[1];

export const SEED_STEPS: SeedStep[] = [
  {
    name: 'the two default guilds, given channels',
    needs: ['guild'],
    async run(rig, say) {
      const admin = rig.admin;
      const guilds: Array<[string, string, string]> = [
        ['reliability-engineering-guild', 'reliability-guild', 'Reliability Engineering Guild'],
        ['infrastructure-guild', 'infrastructure-guild', 'Infrastructure Guild'],
      ];
      for (const [slug, channelName, displayName] of guilds) {
        const channel = await admin.client.createChannel({
          team_id: rig.team.id,
          name: channelName,
          display_name: displayName,
          type: 'O',
        });
        for (const user of rig.users) await admin.client.addToChannel(user.id, channel.id);
        await as(rig, admin, `/guild edit ${slug} --channel ~${channelName}`);
        say(`${displayName} meets in ~${channelName}`);
      }
      await as(rig, rig.users[2] ?? admin, '/guild queue infrastructure-guild Budget for the new build cluster');
    },
  },
  {
    name: 'PICK ideas, scored by the team',
    needs: ['pick'],
    async run(rig, say) {
      const [alice, bob, carol, dave] = rig.users;
      if (!alice || !bob || !carol || !dave) throw new Error('the PICK seed needs four users');
      const ideas: Array<[RigUser, string, Array<[RigUser, number, number]>]> = [
        [alice, 'Move CI runners to spot instances', [[alice, 8, 3], [bob, 7, 4], [carol, 9, 2]]],
        [bob, 'Replace the hand-written deploy script with a pipeline', [[alice, 9, 7], [bob, 8, 8], [dave, 9, 6]]],
        [carol, 'Rotate the on-call handbook into the wiki', [[carol, 3, 2], [dave, 4, 1]]],
        [dave, 'Rewrite the monitoring stack from scratch', [[alice, 3, 9], [bob, 2, 9], [carol, 4, 8]]],
      ];
      for (const [owner, title, scores] of ideas) {
        const number = ideaNumber(await as(rig, owner, `/pick add ${title}`));
        if (!number) throw new Error(`/pick add "${title}" gave no idea number`);
        for (const [user, payoff, cost] of scores) await as(rig, user, `/pick score ${number} payoff=${payoff} cost=${cost}`);
        say(`idea ${number}: ${title}`);
      }
    },
  },
  {
    name: 'an RFC in review',
    needs: ['rfc'],
    async run(rig, say) {
      const [alice, bob, carol] = rig.users;
      if (!alice || !bob || !carol) throw new Error('the RFC seed needs three users');
      const reply = await as(rig, alice, '/rfc new Adopt OpenTelemetry for service tracing');
      const found = /\b(RFC-0*([1-9]\d*))\b/i.exec(reply);
      if (!found) throw new Error(`/rfc new gave no RFC number: ${reply}`);
      const [, reference, number] = found;
      await as(rig, alice, `/rfc review ${number} @${bob.username} @${carol.username} --days 7`);
      say(`${reference} in review by @${bob.username} and @${carol.username}`);
    },
  },
  {
    name: 'an open incident',
    needs: ['incident'],
    async run(rig, say) {
      const [, bob] = rig.users;
      if (!bob) throw new Error('the incident seed needs two users');
      await as(rig, bob, '/incident declare Checkout latency above SLO');
      say(`incident declared by @${bob.username}`);
    },
  },
];

/** Runs every step the installed bundle supports; returns the names of the skipped ones. */
export async function seed(rig: Rig, steps: readonly SeedStep[] = SEED_STEPS, say: (line: string) => void = () => {}): Promise<string[]> {
  const triggers = new Set((await rig.admin.client.getCommandsList(rig.team.id)).map((c) => c.trigger));
  const skipped: string[] = [];
  for (const step of steps) {
    const missing = step.needs.filter((t) => !triggers.has(t));
    if (missing.length > 0) {
      skipped.push(`${step.name} (no /${missing.join(', /')} yet)`);
      continue;
    }
    say(`seeding ${step.name}…`);
    await step.run(rig, (line) => say(`  ${line}`));
  }
  return skipped;
}
