import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InterfaceValue, type GoType, type StructType } from '../../runtime/gob/types';
import { RpcConnectionError, RpcServerError, type RpcCaller } from '../../runtime/rpc/types';
import { AppError } from './app_error';
import { RpcPluginAPI } from './rpc_api';

interface Call { method: string; type: GoType; args: Record<string, unknown> }

/** Answers every call from `replies` (by method) and records what was sent. */
/** A reply per method: a value, an Error to reject with, or a function of the call's args. */
function fakeRpc(replies: Record<string, unknown>): { rpc: RpcCaller; calls: Call[] } {
  const calls: Call[] = [];
  const rpc: RpcCaller = {
    call(method, type, args) {
      calls.push({ method, type, args: args as Record<string, unknown> });
      const reply = replies[method];
      if (reply instanceof Error) return Promise.reject(reply);
      return Promise.resolve(typeof reply === 'function' ? (reply as (a: Record<string, unknown>) => unknown)(args as Record<string, unknown>) : (reply ?? {}));
    },
    close() {},
  };
  return { rpc, calls };
}

const fieldsOf = (type: GoType): string[] => (type as StructType).fields().map((f) => `${f.name}:${describe_(f.type)}`);
function describe_(t: GoType): string {
  switch (t.kind) {
    case 'int': case 'uint': return `${t.kind}${t.bits}`;
    case 'pointer': return `*${describe_(t.elem)}`;
    case 'slice': return `[]${describe_(t.elem)}`;
    case 'map': return `map[${describe_(t.key)}]${describe_(t.elem)}`;
    case 'struct': return t.name;
    default: return t.kind;
  }
}

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const appErr = { Id: 'app.x', Message: 'no such thing', DetailedError: 'sql: no rows', StatusCode: 404, Where: 'GetX' };

describe('RpcPluginAPI', () => {
  it('sends Z_ structs with Go kinds and reads values back', async () => {
    const { rpc, calls } = fakeRpc({
      'Plugin.KVGet': { A: bytes('v1') },
      'Plugin.KVList': { A: ['a', 'b'] },
      'Plugin.KVSetWithOptions': { A: true },
      'Plugin.GetChannelByName': { A: { Id: 'c1', Name: 'town' } },
    });
    const api = new RpcPluginAPI(rpc);
    assert.deepEqual(await api.kvGet('k'), bytes('v1'));
    assert.deepEqual(await api.kvList(2, 50), ['a', 'b']);
    assert.equal(await api.kvSetWithOptions('k', bytes('x'), { Atomic: true, OldValue: null, ExpireInSeconds: 15 }), true);
    assert.equal((await api.getChannelByName('t', 'town', false)).Id, 'c1');

    assert.deepEqual(calls.map((c) => c.method), ['Plugin.KVGet', 'Plugin.KVList', 'Plugin.KVSetWithOptions', 'Plugin.GetChannelByName']);
    assert.deepEqual(fieldsOf(calls[1]!.type), ['A:int64', 'B:int64']);
    assert.deepEqual(fieldsOf(calls[2]!.type), ['A:string', 'B:bytes', 'C:PluginKVSetOptions']);
    assert.deepEqual(calls[2]!.args, { A: 'k', B: bytes('x'), C: { Atomic: true, OldValue: undefined, ExpireInSeconds: 15 } });
    assert.deepEqual(fieldsOf(calls[3]!.type), ['A:string', 'B:string', 'C:bool']);
  });

  it('a missing KV key is null, not an empty value', async () => {
    const { rpc } = fakeRpc({ 'Plugin.KVGet': {} });
    assert.equal(await new RpcPluginAPI(rpc).kvGet('missing'), null);
  });

  it('typed *AppError fields reject with AppError', async () => {
    const { rpc } = fakeRpc({ 'Plugin.GetUser': { B: appErr } });
    const err = await new RpcPluginAPI(rpc).getUser('u1').catch((e: unknown) => e);
    assert.ok(err instanceof AppError);
    assert.equal(err.id, 'app.x');
    assert.equal(err.message, 'no such thing');
    assert.equal(err.detailedError, 'sql: no rows');
    assert.equal(err.statusCode, 404);
    assert.equal(err.isNotFound, true);
  });

  it('error interface fields (AppError or plugin.ErrorString) reject with AppError', async () => {
    const { rpc } = fakeRpc({
      'Plugin.RegisterCommand': { A: new InterfaceValue('*model.AppError', { kind: 'interface' }, { ...appErr, StatusCode: 400 }) },
      'Plugin.EnsureBotUser': { B: new InterfaceValue('*plugin.ErrorString', { kind: 'interface' }, { Code: 0, Err: 'bot owner missing' }) },
    });
    const api = new RpcPluginAPI(rpc);
    await assert.rejects(api.registerCommand({ Trigger: 'infra', AutoComplete: true }), (e: unknown) => e instanceof AppError && e.statusCode === 400);
    await assert.rejects(api.ensureBotUser({ Username: 'bot' }), (e: unknown) => e instanceof AppError && e.message === 'bot owner missing');
  });

  it('a method the server lacks is "not supported by this server version"', async () => {
    const { rpc } = fakeRpc({ 'Plugin.GetGroup': new RpcServerError("rpc: can't find method Plugin.GetGroup") });
    const err = await new RpcPluginAPI(rpc).getGroup('g').catch((e: unknown) => e);
    assert.ok(err instanceof AppError);
    assert.equal(err.id, 'plugin.api.not_supported');
    assert.match(err.message, /GetGroup is not supported by this server version/);
  });

  it('other server and connection failures become AppErrors with the text kept', async () => {
    const { rpc } = fakeRpc({
      'Plugin.GetPost': new RpcServerError('API GetPost called but not implemented.'),
      'Plugin.GetTeam': new RpcConnectionError('connection is shut down'),
    });
    const api = new RpcPluginAPI(rpc);
    await assert.rejects(api.getPost('p'), (e: unknown) => e instanceof AppError && /not implemented/.test(e.message));
    await assert.rejects(api.getTeam('t'), (e: unknown) => e instanceof AppError && e.statusCode === 503);
  });

  it('registers commands with autocomplete argument data as registered interface values', async () => {
    const { rpc, calls } = fakeRpc({ 'Plugin.RegisterCommand': {} });
    await new RpcPluginAPI(rpc).registerCommand({
      Trigger: 'infra',
      AutoComplete: true,
      AutocompleteData: {
        Trigger: 'infra',
        SubCommands: [{
          Trigger: 'incident',
          Arguments: [
            { HelpText: 'title', Type: 'TextInput', Data: { Hint: 'title', Pattern: '.+' } },
            { HelpText: 'sev', Type: 'StaticList', Data: { PossibleArguments: [{ Item: 'sev1' }] } },
            { HelpText: 'who', Type: 'DynamicList', Data: { FetchURL: '/plugins/infra-ops/x' } },
          ],
        }],
      },
    });
    const sent = calls[0]!.args['A'] as { AutocompleteData: { SubCommands: Array<{ Arguments: Array<{ Data: InterfaceValue }> }> } };
    const names = sent.AutocompleteData.SubCommands[0]!.Arguments.map((a) => a.Data.name);
    assert.deepEqual(names, ['*model.AutocompleteTextArg', '*model.AutocompleteStaticListArg', '*model.AutocompleteDynamicListArg']);
  });

  it('permissions travel as *model.Permission with the id', async () => {
    const { rpc, calls } = fakeRpc({ 'Plugin.HasPermissionToChannel': { A: true }, 'Plugin.HasPermissionTo': {} });
    const api = new RpcPluginAPI(rpc);
    assert.equal(await api.hasPermissionToChannel('u', 'c', 'create_post'), true);
    assert.equal(await api.hasPermissionTo('u', 'manage_system'), false);
    assert.deepEqual(calls[0]!.args, { A: 'u', B: 'c', C: { Id: 'create_post' } });
    assert.deepEqual(fieldsOf(calls[0]!.type), ['A:string', 'B:string', 'C:*Permission']);
  });

  it('loads the plugin configuration from its JSON bytes', async () => {
    const { rpc } = fakeRpc({ 'Plugin.LoadPluginConfiguration': { A: bytes('{"EnableX":true}') } });
    assert.deepEqual(await new RpcPluginAPI(rpc).loadPluginConfiguration(), { EnableX: true });
  });

  it('logs key/value pairs as strings and reports, never throws, failures', async () => {
    const reported: string[] = [];
    const { rpc, calls } = fakeRpc({ 'Plugin.LogWarn': new RpcConnectionError('closed') });
    const api = new RpcPluginAPI(rpc, { reportError: (m) => reported.push(m) });
    api.logInfo('started', { count: 3, user: 'u1', nested: { a: 1 } });
    api.logWarn('careful');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(calls[0]!.args, { A: 'started', B: ['count', '3', 'user', 'u1', 'nested', '{"a":1}'] });
    assert.deepEqual(fieldsOf(calls[0]!.type), ['A:string', 'B:[]interface']);
    assert.equal(reported.length, 1);
    assert.match(reported[0]!, /LogWarn failed: closed/);
  });
});
