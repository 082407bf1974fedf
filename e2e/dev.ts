/**
 * `npm run dev`: the same real server as the e2e suite, with the plugin installed and demo data,
 * kept running until Ctrl-C. No web client is built, so it is driven through the REST API,
 * slash commands (POST /api/v4/commands/execute), the plugin's HTTP API and local mode.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { seed } from './dev/seed';
import { connectRig } from './rig';
import { findBundle } from './rig/bundle';
import { startEnvironment, type Environment } from './rig/environment';
import { run } from './rig/exec';
import { freePort } from './rig/net';
import { REPO_ROOT } from './rig/paths';
import { DEFAULT_PASSWORD } from './rig/users';

const say = (line: string): void => console.log(`[dev] ${line}`);

async function portToUse(): Promise<number> {
  const wanted = Number(process.env.INFRA_OPS_DEV_PORT ?? 8065);
  const probe = await fetch(`http://127.0.0.1:${wanted}/`).then(
    () => true,
    () => false,
  );
  return probe ? freePort() : wanted; // something already answers there
}

async function main(): Promise<void> {
  let bundlePath = process.env.INFRA_OPS_E2E_BUNDLE ?? findBundle();
  if (!bundlePath && existsSync(join(REPO_ROOT, 'scripts', 'dist.mjs'))) {
    say('no bundle in dist/: running `npm run dist`…');
    await run('npm', ['run', 'dist'], { cwd: REPO_ROOT });
    bundlePath = findBundle();
  }
  if (!bundlePath) throw new Error('no dist/infra-ops-*.tar.gz: run `npm run dist` first');

  const current: { env?: Environment; stopping?: boolean } = {};
  const stop = (): void => {
    if (current.stopping) return;
    current.stopping = true;
    say('stopping Mattermost and PostgreSQL (the demo data goes with them)…');
    current.env?.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // A Ctrl-C during start-up takes effect once the start has finished.
  const env = await startEnvironment({ bundlePath, port: await portToUse(), log: say });
  current.env = env;
  if (current.stopping) {
    await env.stop();
    process.exit(0);
  }

  const rig = connectRig(env.state);
  let skipped: string[];
  try {
    skipped = await seed(rig, undefined, say);
  } catch (err) {
    await env.stop({ keepLogs: true });
    throw err;
  }
  const { state } = env;
  const users = state.users.map((u) => u.username).join(', ');
  console.log(`
Infra Ops ${state.bundleVersion} on Mattermost ${state.serverVersion.split('.').slice(0, 3).join('.')}
  URL        ${state.url}   (API only: no web client is built)
  team       ${state.team.name}   town-square ${state.channelId}
  admin      ${state.admin.username} / ${DEFAULT_PASSWORD}   token ${state.admin.token}
  users      ${users} (password ${DEFAULT_PASSWORD})
  alice      token ${state.users[0]?.token ?? ''}
  local mode ${state.socketPath}   (admin API without login)
  server log ${state.serverLog}
${skipped.length ? `  not seeded ${skipped.join('; ')}\n` : ''}
Try:
  # a slash command as alice
  curl -s -H 'Authorization: Bearer ${state.users[0]?.token ?? ''}' -H 'Content-Type: application/json' \\
    -d '{"channel_id":"${state.channelId}","team_id":"${state.team.id}","command":"/infra about"}' \\
    ${state.url}/api/v4/commands/execute
  # the plugin's HTTP API
  curl -s -H 'Authorization: Bearer ${state.users[0]?.token ?? ''}' ${state.url}/plugins/${state.pluginId}/api/v1/health
  # admin through the local socket, no login (what mmctl --local uses): installed plugins
  curl -s --unix-socket ${state.socketPath} http://localhost/api/v4/plugins
  # plugin statuses (running, errors) as the admin
  curl -s -H 'Authorization: Bearer ${state.admin.token}' ${state.url}/api/v4/plugins/statuses
  # posts in town-square (replies the plugin posted publicly)
  curl -s -H 'Authorization: Bearer ${state.users[0]?.token ?? ''}' ${state.url}/api/v4/channels/${state.channelId}/posts

Ctrl-C stops everything.`);
  await new Promise(() => {}); // runs until a signal
}

main().catch((err: unknown) => {
  console.error(`[dev] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
