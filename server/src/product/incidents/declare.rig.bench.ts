/**
 * Issue 5's real-server figure: `/incident declare` on Mattermost + PostgreSQL (the e2e rig) —
 * channel created, members added, card posted and pinned, feed announced — p50/p95 over 50
 * declarations, against the floor: the same REST calls made directly by a client (create the
 * private channel, add the responder, post the card, pin it, post in the feed). Target: p95 ≤ 1.5x
 * the floor. Runs and floors are interleaved so drift on a shared machine hits both alike.
 * Uses INFRA_OPS_E2E_BUNDLE or the newest dist/infra-ops-*.tar.gz (`npm run dist`; bench/real_server.ts).
 */
import { onRealServer } from '../../../../bench/real_server';
import { percentile, type BenchResult } from '../../../../bench/result';

const RUNS = 50;
const WARMUP = 3;

export default async function bench(): Promise<BenchResult[]> {
  return onRealServer(async (rig) => {
    const [alice, bob] = rig.users;
    if (!alice || !bob) throw new Error('the rig has too few users');
    const feed = await rig.admin.client.createChannel({ team_id: rig.team.id, name: 'incidents-bench', display_name: 'Incidents', type: 'O' });
    for (const u of [alice, bob]) await rig.admin.client.addToChannel(u.id, feed.id);
    const config = await rig.admin.client.getConfig();
    const current = (config.PluginSettings.Plugins[rig.pluginId] ?? {}) as Record<string, unknown>;
    await rig.admin.client.patchConfig({
      PluginSettings: { Plugins: { [rig.pluginId]: { ...current, incidentfeedchannel: 'incidents-bench', incidentresponderssev3: `@${bob.username}` } } },
    });

    const plugin: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      let start = performance.now();
      const reply = await rig.runCommand(alice, rig.channelId, `/incident declare Bench incident ${i}`);
      const pluginMs = performance.now() - start;
      if (!/^Declared/.test(reply.text ?? '')) throw new Error(`declare failed: ${reply.text}`);

      start = performance.now();
      const channel = await alice.client.createChannel({
        team_id: rig.team.id,
        name: `floor-${i}-${Date.now().toString(36)}`,
        display_name: `FLOOR-${i} Bench incident ${i}`,
        type: 'P',
        purpose: `Floor ${i}`,
      });
      await alice.client.addToChannel(bob.id, channel.id);
      const card = await alice.client.createPost({ channel_id: channel.id, message: `### FLOOR-${i}: Bench incident ${i}`, props: { infra_incident: '{}' } });
      await alice.client.pinPost(card.id);
      await alice.client.createPost({ channel_id: feed.id, message: `FLOOR-${i} declared` });
      const floorMs = performance.now() - start;
      if (i >= WARMUP) {
        plugin.push(pluginMs);
        floor.push(floorMs);
      }
    }
    return [
      { name: 'incidents declare on the real server p50 (vs direct REST floor)', value: percentile(plugin, 50), unit: 'ms', baseline: percentile(floor, 50) },
      { name: 'incidents declare on the real server p95 (vs direct REST floor)', value: percentile(plugin, 95), unit: 'ms', baseline: percentile(floor, 95) },
    ];
  });
}
