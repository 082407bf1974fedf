/**
 * Test-only product for the host tests and the bench: the real plugin layer (hooks server, API
 * client, ServeHTTP bridge, SEA packaging) under a product made to exercise it. It is built into
 * its own bundle by the host test; nothing here ships in the Infra Ops bundle.
 *
 *   /probe ping           → "probe /probe ping" (the Go baseline answers the same)
 *   /probe api            → calls every PluginAPI method against the host's fake, reports JSON
 *   GET  /bench           → 1 KiB of JSON (as the Go baseline)
 *   POST /echo            → the request body streamed back
 *   GET  /stream?n=&size= → n chunks of `size` bytes written with pauses (a streamed response)
 *   MessageHasBeenPosted  → stores `posted:<id>` = message in the KV store
 *   other hooks           → store `hook:<name>` = what they received (OnInstall also fails)
 */
import express from 'express';
import type { PluginAPI } from '../../api/plugin_api';
import { AppError } from '../../api/app_error';
import type { PluginHooks } from '../../hooks/plugin_hooks';

const enc = new TextEncoder();
const dec = new TextDecoder();
const BENCH_JSON = JSON.stringify({ data: 'x'.repeat(1012) });

type Report = Record<string, unknown>;

export function createProbe(): PluginHooks {
  let api: PluginAPI | undefined;
  const record = (hook: string, value: unknown): Promise<void> => api!.kvSet(`hook:${hook}`, enc.encode(JSON.stringify(value)));
  const app = express();
  app.use((req, res, next) => {
    if (!req.get('Mattermost-User-Id')) {
      res.status(401).json({ error: 'Not logged in.' });
      return;
    }
    next();
  });
  app.get('/bench', (_req, res) => {
    res.type('application/json').send(BENCH_JSON);
  });
  app.post('/echo', (req, res) => {
    res.setHeader('Content-Type', 'application/octet-stream');
    req.pipe(res);
  });
  app.get('/stream', (req, res) => {
    const n = Number(req.query['n'] ?? 4);
    const size = Number(req.query['size'] ?? 1024);
    res.setHeader('Content-Type', 'text/event-stream');
    let sent = 0;
    const tick = (): void => {
      if (sent === n) {
        res.end();
        return;
      }
      sent++;
      res.write(Buffer.alloc(size, 48 + (sent % 10)));
      setTimeout(tick, 5);
    };
    tick();
  });

  return {
    async onActivate(a) {
      api = a;
      await a.registerCommand({
        Trigger: 'probe',
        AutoComplete: true,
        AutoCompleteDesc: 'host test probe',
        AutocompleteData: {
          Trigger: 'probe',
          HelpText: 'host test probe',
          SubCommands: [
            { Trigger: 'ping', HelpText: 'answer at once' },
            {
              Trigger: 'api',
              HelpText: 'exercise the API',
              Arguments: [
                { HelpText: 'how', Type: 'StaticList', Required: true, Data: { PossibleArguments: [{ Item: 'all', Hint: 'every method' }] } },
                { HelpText: 'note', Type: 'TextInput', Required: true, Data: { Hint: 'free text', Pattern: '.*' } },
                { HelpText: 'user', Type: 'DynamicList', Required: true, Data: { FetchURL: '/plugins/infra-ops-probe/users' } },
              ],
            },
          ],
        },
      });
    },
    async executeCommand(_ctx, args) {
      if (args.Command.startsWith('/probe api')) {
        return { ResponseType: 'ephemeral', Text: JSON.stringify(await exercise(api!, args.TriggerId ?? '')) };
      }
      return { ResponseType: 'ephemeral', Text: `probe ${args.Command}` };
    },
    httpHandler: app,
    async messageHasBeenPosted(_ctx, post) {
      await api!.kvSet(`posted:${post.Id}`, enc.encode(`${post.Message ?? ''}|${JSON.stringify(post.Props ?? {})}`));
    },
    async userHasJoinedChannel(ctx, member, actor) {
      await record('joined', { ctx: ctx.RequestId, channel: member.ChannelId, user: member.UserId, notify: member['NotifyProps'], actor: actor?.Username ?? null });
    },
    async userHasLeftChannel(ctx, member, actor) {
      await record('left', { ctx: ctx.RequestId, channel: member.ChannelId, user: member.UserId, actor: actor?.Username ?? null });
    },
    async channelHasBeenCreated(ctx, channel) {
      await record('channelCreated', { ctx: ctx.RequestId, id: channel.Id, name: channel.Name, type: channel.Type, props: channel['Props'] });
    },
    async onPluginClusterEvent(ctx, event) {
      await record('cluster', { ctx: ctx.RequestId, id: event.Id, data: dec.decode(event.Data) });
    },
    async onInstall(ctx, event) {
      await record('install', { ctx: ctx.RequestId, user: event.UserId });
      throw new AppError('probe.install.refused', 'install hook reports errors', '', 400);
    },
  };
}

/** Runs every PluginAPI method once (KV semantics in detail) and reports what came back. */
async function exercise(api: PluginAPI, triggerId: string): Promise<Report> {
  const r: Report = {};
  const attempt = async (name: string, fn: () => Promise<unknown>): Promise<void> => {
    try {
      r[name] = await fn();
    } catch (err) {
      r[name] = err instanceof AppError ? { error: err.id, status: err.statusCode, message: err.message } : { error: String(err) };
    }
  };
  const str = (b: Uint8Array | null): string | null => (b === null ? null : dec.decode(b));

  await attempt('loadPluginConfiguration', () => api.loadPluginConfiguration());
  await attempt('getServerVersion', () => api.getServerVersion());
  await attempt('getConfig', async () => {
    const cfg = await api.getConfig();
    return (cfg['ServiceSettings'] as Record<string, unknown> | undefined)?.['SiteURL'];
  });
  await attempt('unregisterCommand', () => api.unregisterCommand('', 'nonexistent'));

  // KV store: plain, CAS, atomic options, expiry, list, deletes.
  await attempt('kv', async () => {
    await api.kvDeleteAll();
    await api.kvSet('a', enc.encode('1'));
    const out: Report = { getA: str(await api.kvGet('a')), getMissing: str(await api.kvGet('missing')) };
    out['casWrongOld'] = await api.kvCompareAndSet('a', enc.encode('nope'), enc.encode('2'));
    out['casRightOld'] = await api.kvCompareAndSet('a', enc.encode('1'), enc.encode('2'));
    out['casInsertExisting'] = await api.kvCompareAndSet('a', null, enc.encode('3'));
    out['casInsertNew'] = await api.kvCompareAndSet('b', null, enc.encode('b1'));
    out['optsAtomicWrong'] = await api.kvSetWithOptions('a', enc.encode('9'), { Atomic: true, OldValue: enc.encode('1') });
    out['optsAtomicRight'] = await api.kvSetWithOptions('a', enc.encode('4'), { Atomic: true, OldValue: enc.encode('2') });
    out['optsInsertIfAbsent'] = await api.kvSetWithOptions('lock', enc.encode('x'), { Atomic: true, OldValue: null, ExpireInSeconds: 2 });
    out['optsInsertIfAbsentAgain'] = await api.kvSetWithOptions('lock', enc.encode('y'), { Atomic: true, OldValue: null, ExpireInSeconds: 2 });
    out['optsInvalid'] = await api.kvSetWithOptions('a', enc.encode('5'), { Atomic: false, OldValue: enc.encode('4') }).catch((e: unknown) => (e instanceof AppError ? `AppError ${e.statusCode}` : String(e)));
    out['listAll'] = await api.kvList(0, 10);
    out['listPage1'] = await api.kvList(1, 2);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    out['lockAfterExpiry'] = str(await api.kvGet('lock'));
    out['optsInsertAfterExpiry'] = await api.kvSetWithOptions('lock', enc.encode('z'), { Atomic: true, OldValue: null });
    out['cadWrong'] = await api.kvCompareAndDelete('b', enc.encode('zz'));
    out['cadRight'] = await api.kvCompareAndDelete('b', enc.encode('b1'));
    await api.kvDelete('lock');
    out['deleteViaNil'] = await api.kvSetWithOptions('a', null, {});
    out['listEnd'] = await api.kvList(0, 10);
    const big = new Uint8Array(600 * 1024).map((_, i) => i & 0xff);
    await api.kvSet('big', big);
    const back = await api.kvGet('big');
    out['bigRoundTrip'] = back !== null && back.length === big.length && back.every((v, i) => v === big[i]);
    await api.kvDelete('big');
    return out;
  });

  await attempt('ensureBotUser', () => api.ensureBotUser({ Username: 'probe-bot', DisplayName: 'Probe' }));
  await attempt('ensureBotUserAgain', () => api.ensureBotUser({ Username: 'probe-bot', DisplayName: 'Probe' }));
  await attempt('getUser', async () => (await api.getUser('user1')).Username);
  await attempt('getUserMissing', () => api.getUser('nobody'));
  await attempt('getUserByUsername', async () => (await api.getUserByUsername('bob')).Id);
  await attempt('getUsersByUsernames', async () => (await api.getUsersByUsernames(['alice', 'bob', 'carol'])).map((u) => u.Id).sort());
  await attempt('getTeam', async () => (await api.getTeam('team1')).Name);
  await attempt('getTeamMember', async () => (await api.getTeamMember('team1', 'user2')).Roles);
  await attempt('getGroup', async () => (await api.getGroup('group1')).DisplayName);
  await attempt('getGroupMemberUsers', async () => (await api.getGroupMemberUsers('group1', 0, 10)).map((u) => u.Username));
  await attempt('hasPermissionTo', async () => [await api.hasPermissionTo('user1', 'manage_system'), await api.hasPermissionTo('user2', 'manage_system')]);
  await attempt('hasPermissionToTeam', () => api.hasPermissionToTeam('user2', 'team1', 'create_post'));
  await attempt('hasPermissionToChannel', async () => [await api.hasPermissionToChannel('user2', 'channel1', 'create_post'), await api.hasPermissionToChannel('user2', 'channel1', 'manage_private_channel_members')]);

  await attempt('channels', async () => {
    const created = await api.createChannel({ TeamId: 'team1', Type: 'P', Name: 'incident-1', DisplayName: 'Incident 1', Header: 'sev1' });
    const byId = await api.getChannel(created.Id);
    const byName = await api.getChannelByName('team1', 'incident-1', false);
    const updated = await api.updateChannel({ ...byId, Purpose: 'resolve it' });
    const member = await api.addChannelMember(created.Id, 'user1');
    const added = await api.addUserToChannel(created.Id, 'user2', 'user1');
    const fetched = await api.getChannelMember(created.Id, 'user2');
    const all = await api.getChannelMembers(created.Id, 0, 10);
    const promoted = await api.updateChannelMemberRoles(created.Id, 'user2', 'channel_user channel_admin');
    const direct = await api.getDirectChannel('user1', 'user2');
    const directAgain = await api.getDirectChannel('user2', 'user1');
    const mine = (await api.getChannelsForTeamForUser('team1', 'user2', true)).map((c) => c.Name);
    const none = await api.getChannelsForTeamForUser('team1', 'nobody', false).then(() => 'listed', (e: unknown) => (e instanceof AppError ? e.statusCode : String(e)));
    const duplicate = await api.createChannel({ TeamId: 'team1', Type: 'P', Name: 'incident-1', DisplayName: 'again' }).then(() => 'created', (e: unknown) => (e instanceof AppError ? e.statusCode : String(e)));
    return {
      type: byId.Type, sameByName: byName.Id === created.Id, header: updated.Header, purpose: updated.Purpose,
      member: member.UserId, added: added.UserId, fetched: fetched.Roles, count: all.length, promoted: promoted.Roles, duplicate,
      directType: direct.Type, directStable: direct.Id === directAgain.Id, mine, none,
    };
  });

  await attempt('posts', async () => {
    const post = await api.createPost({ ChannelId: 'channel1', UserId: 'user1', Message: 'hello', Props: { n: 2, nested: { ok: true }, list: ['x', 1] } });
    const got = await api.getPost(post.Id!);
    const updated = await api.updatePost({ ...got, Message: 'edited' });
    const eph = await api.sendEphemeralPost('user2', { ChannelId: 'channel1', Message: 'only you' });
    await api.deletePost(post.Id!);
    const gone = await api.getPost(post.Id!).then(() => 'still there', (e: unknown) => (e instanceof AppError ? e.statusCode : String(e)));
    return { message: got.Message, props: got.Props, updated: updated.Message, edited: (updated.EditAt ?? 0) > 0, ephemeralUser: eph.UserId, gone };
  });

  await attempt('executeSlashCommand', async () => {
    const ok = await api.executeSlashCommand({ UserId: 'user2', ChannelId: 'channel1', TeamId: 'team1', Command: '/echo hi there', RootId: 'root1' });
    const failed = await api.executeSlashCommand({ UserId: 'user2', ChannelId: 'channel1', TeamId: 'team1', Command: '/fail now' }).then(() => 'ran', (e: unknown) => (e instanceof AppError ? { id: e.id, status: e.statusCode } : String(e)));
    const boom = await api.executeSlashCommand({ UserId: 'user2', ChannelId: 'channel1', TeamId: 'team1', Command: '/boom' }).then(() => 'ran', (e: unknown) => (e instanceof AppError ? { id: e.id, message: e.message, status: e.statusCode } : String(e)));
    return { type: ok.ResponseType, text: ok.Text, props: ok.Props, failed, boom };
  });
  await attempt('files', async () => {
    const info = await api.getFileInfo('file1');
    const missing = await api.getFileInfo('nofile').then(() => 'found', (e: unknown) => (e instanceof AppError ? e.statusCode : String(e)));
    const mine = await api.getFileInfos(0, 10, { UserIds: ['user1'], ChannelIds: ['channel1'], SortBy: 'CreateAt', SortDescending: true });
    const all = await api.getFileInfos(0, 10, { ChannelIds: ['channel1'], Since: 500, SortDescending: true });
    const since = await api.getFileInfos(0, 10, { Since: 1500 });
    const data = dec.decode(await api.getFile('file1'));
    const empty = (await api.getFile('file2')).length;
    return { name: info.Name, ext: info.Extension, size: info.Size, post: info.PostId, creator: info.CreatorId, missing, mine: mine.map((f) => f.Id), all: all.map((f) => f.Id), since: since.map((f) => f.Id), data, empty };
  });
  await attempt('publishWebSocketEvent', () => api.publishWebSocketEvent('incident_updated', { id: 'i1', count: 3, tags: ['a'] }, { ChannelId: 'channel1' }));
  await attempt('publishPluginClusterEvent', () => api.publishPluginClusterEvent({ Id: 'refresh', Data: enc.encode('payload') }, { SendType: 'reliable' }));
  await attempt('publishPluginClusterEventInvalid', () => api.publishPluginClusterEvent({ Id: 'x', Data: new Uint8Array() }, { SendType: 'bogus' as 'reliable' }));
  await attempt('openInteractiveDialog', () => api.openInteractiveDialog({
    TriggerId: triggerId,
    URL: '/plugins/infra-ops-probe/dialog',
    Dialog: {
      CallbackId: 'cb', Title: 'Declare incident', SubmitLabel: 'Declare', NotifyOnCancel: true, State: 's',
      Elements: [
        { DisplayName: 'Title', Name: 'title', Type: 'text', MaxLength: 64 },
        { DisplayName: 'Severity', Name: 'sev', Type: 'select', Options: [{ Text: 'SEV1', Value: '1' }, { Text: 'SEV2', Value: '2' }] },
      ],
    },
  }));
  await attempt('openInteractiveDialogInvalid', () => api.openInteractiveDialog({ TriggerId: '', URL: '', Dialog: { Title: 't', Elements: [] } }));
  api.logDebug('probe debug');
  api.logInfo('probe info', { count: 2, who: 'alice' });
  api.logWarn('probe warn');
  api.logError('probe error', { err: new Error('bad thing') });
  return r;
}
