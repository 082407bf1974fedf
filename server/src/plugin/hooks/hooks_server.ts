/**
 * The net/rpc service `Plugin` that Mattermost calls hooks on (the plugin side of
 * client_rpc.go's hooksRPCServer), built from a product's PluginHooks.
 *
 * Only the hooks the product implements are served and reported by `Implemented` (the server
 * skips the others). Arguments are decoded generically, so fields added by newer servers are
 * carried along or ignored, never an error. Hooks run concurrently, as the server calls them.
 */
import type { Duplex } from 'node:stream';
import { iface, interfaceValue, ptr, sliceOf, string } from '../../runtime/gob/types';
import type { RpcCaller, RpcMethod, RpcService } from '../../runtime/rpc/types';
import { AppError } from '../api/app_error';
import type { PluginAPI } from '../api/plugin_api';
import { RpcPluginAPI } from '../api/rpc_api';
import { serveBridged } from '../http/bridge';
import { remoteReader } from '../http/remote_reader';
import { ResponseWriterClient } from '../http/response_writer';
import * as M from '../model/gob_types';
import { zStruct } from '../model/gob_types';
import type {
  Channel,
  ChannelMember,
  CommandArgs,
  CommandResponse,
  PluginClusterEvent,
  PluginContext,
  Post,
  User,
} from '../model/types';
import type { PluginHooks } from './plugin_hooks';

/** What the hooks need from the go-plugin layer: the MuxBroker and a net/rpc client. */
export interface PluginTransport {
  /** Dials a broker id the server reserved (MuxBroker.Dial: id exchange done). */
  dial(id: number): Promise<Duplex>;
  /** A net/rpc client on a dialed stream. */
  rpcClient(stream: Duplex): RpcCaller;
}

export interface HooksServerOptions {
  /** Reports failures of hooks that cannot return an error to the server. Default: stderr. */
  readonly reportError?: (message: string) => void;
}

/** Z_<Hook>Returns with a single Go `error` field A (an interface: *model.AppError or *plugin.ErrorString). */
const errorReply = zStruct('Z_ErrorReturns', [iface]);
const EXECUTE_COMMAND_REPLY = zStruct('Z_ExecuteCommandReturns', [ptr(M.CommandResponse), ptr(M.AppError)]);

type Args = Record<string, unknown>;
const record = (v: unknown): Args => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Args) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0);

/** A thrown value → the `error` interface value Mattermost's glue would send (encodableError). */
export function encodableError(err: unknown): unknown {
  if (err instanceof AppError) {
    return interfaceValue(M.GobName.appError, M.AppError, {
      Id: err.id,
      Message: err.message,
      DetailedError: err.detailedError,
      StatusCode: err.statusCode,
      Where: err.where,
    });
  }
  const text = err instanceof Error ? err.message : String(err);
  return interfaceValue(M.GobName.errorString, M.ErrorString, { Code: 0, Err: text || 'error' });
}

function toAppError(err: unknown, where: string): AppError {
  if (err instanceof AppError) return err;
  const text = err instanceof Error ? err.message : String(err);
  return new AppError('plugin.hook.error', text, '', 500, where);
}

export class HooksServer {
  private api: RpcPluginAPI | undefined;
  private apiClient: RpcCaller | undefined;
  private driverStream: Duplex | undefined;
  private readonly reportError: (message: string) => void;

  constructor(
    private readonly hooks: PluginHooks,
    private readonly transport: PluginTransport,
    options: HooksServerOptions = {},
  ) {
    this.reportError = options.reportError ?? ((m) => process.stderr.write(`[ERROR] ${m}\n`));
  }

  /** The API once OnActivate has connected it. */
  get pluginAPI(): PluginAPI | undefined {
    return this.api;
  }

  /** Hook names as Mattermost's Hooks interface spells them, for `Implemented`. */
  implemented(): string[] {
    const h = this.hooks;
    const names: Array<[string, boolean]> = [
      ['OnActivate', h.onActivate !== undefined],
      ['OnDeactivate', h.onDeactivate !== undefined],
      ['OnConfigurationChange', h.onConfigurationChange !== undefined],
      ['OnInstall', h.onInstall !== undefined],
      ['ExecuteCommand', h.executeCommand !== undefined],
      ['ServeHTTP', h.httpHandler !== undefined],
      ['MessageHasBeenPosted', h.messageHasBeenPosted !== undefined],
      ['UserHasJoinedChannel', h.userHasJoinedChannel !== undefined],
      ['UserHasLeftChannel', h.userHasLeftChannel !== undefined],
      ['ChannelHasBeenCreated', h.channelHasBeenCreated !== undefined],
      ['OnPluginClusterEvent', h.onPluginClusterEvent !== undefined],
    ];
    return names.filter(([, implemented]) => implemented).map(([name]) => name);
  }

  /** The `Plugin` service for the dispensed hooks stream. */
  service(): RpcService {
    const h = this.hooks;
    const methods: Record<string, RpcMethod> = {
      Implemented: { reply: sliceOf(string), handle: () => this.implemented() },
      OnActivate: { reply: errorReply, handle: (a) => this.onActivate(record(a)) },
    };
    const withError = (name: string, run: (args: Args) => Promise<void>): void => {
      methods[name] = {
        reply: errorReply,
        handle: async (a) => {
          try {
            await run(record(a));
            return {};
          } catch (err) {
            return { A: encodableError(err) };
          }
        },
      };
    };
    const noReply = (name: string, run: (args: Args) => Promise<void>): void => {
      methods[name] = {
        reply: M.Empty,
        handle: async (a) => {
          try {
            await run(record(a));
          } catch (err) {
            this.reportError(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
          }
          return {};
        },
      };
    };

    if (h.onDeactivate) withError('OnDeactivate', () => h.onDeactivate!());
    if (h.onConfigurationChange) withError('OnConfigurationChange', () => h.onConfigurationChange!());
    if (h.onInstall) withError('OnInstall', (a) => h.onInstall!(ctx(a), { UserId: str(record(a['B'])['UserId']) }));
    if (h.executeCommand) {
      methods['ExecuteCommand'] = { reply: EXECUTE_COMMAND_REPLY, handle: (a) => this.executeCommand(record(a)) };
    }
    if (h.httpHandler) {
      methods['ServeHTTP'] = { reply: M.Empty, handle: (a) => this.serveHTTP(record(a)) };
    }
    if (h.messageHasBeenPosted) noReply('MessageHasBeenPosted', (a) => h.messageHasBeenPosted!(ctx(a), a['B'] as Post));
    if (h.userHasJoinedChannel) {
      noReply('UserHasJoinedChannel', (a) => h.userHasJoinedChannel!(ctx(a), a['B'] as ChannelMember, (a['C'] as User | undefined) ?? null));
    }
    if (h.userHasLeftChannel) {
      noReply('UserHasLeftChannel', (a) => h.userHasLeftChannel!(ctx(a), a['B'] as ChannelMember, (a['C'] as User | undefined) ?? null));
    }
    if (h.channelHasBeenCreated) noReply('ChannelHasBeenCreated', (a) => h.channelHasBeenCreated!(ctx(a), a['B'] as Channel));
    if (h.onPluginClusterEvent) {
      noReply('OnPluginClusterEvent', (a) => {
        const ev = record(a['B']);
        const event: PluginClusterEvent = { Id: str(ev['Id']), Data: ev['Data'] instanceof Uint8Array ? ev['Data'] : new Uint8Array() };
        return h.onPluginClusterEvent!(ctx(a), event);
      });
    }
    return methods;
  }

  /**
   * Like Go's hooksRPCServer.OnActivate: dial the API (and the DB driver stream, held open so the
   * server's Accept does not wait out its 5 s), then OnConfigurationChange (errors only logged),
   * then OnActivate. Failure goes back as the `error` field: the server then refuses activation.
   */
  private async onActivate(args: Args): Promise<Args> {
    try {
      const apiStream = await this.transport.dial(num(args['APIMuxId']));
      const driverId = num(args['DriverMuxId']);
      if (driverId !== 0) {
        this.driverStream = await this.transport.dial(driverId).catch((err: unknown) => {
          this.reportError(`could not dial the database driver stream: ${String(err)}`);
          return undefined;
        });
      }
      this.apiClient?.close();
      this.apiClient = this.transport.rpcClient(apiStream);
      this.api = new RpcPluginAPI(this.apiClient, { reportError: this.reportError });
      if (this.hooks.onConfigurationChange) {
        await this.hooks.onConfigurationChange().catch((err: unknown) => {
          this.reportError(`call to OnConfigurationChange failed, error: ${err instanceof Error ? err.message : String(err)}`);
        });
      }
      if (this.hooks.onActivate) await this.hooks.onActivate(this.api);
      return {};
    } catch (err) {
      return { A: encodableError(err) };
    }
  }

  private async executeCommand(args: Args): Promise<Args> {
    try {
      const response: CommandResponse = await this.hooks.executeCommand!(ctx(args), record(args['B']) as unknown as CommandArgs);
      return { A: response };
    } catch (err) {
      const e = toAppError(err, 'ExecuteCommand');
      return { B: { Id: e.id, Message: e.message, DetailedError: e.detailedError, StatusCode: e.statusCode, Where: e.where } };
    }
  }

  /**
   * Dial the response writer and the body (both at once: the server accepts them independently,
   * and each dial is a round trip); run the handler; close the body, then the writer (Go's
   * order); only then answer, since the server's ResponseWriter is dead after our reply.
   */
  private async serveHTTP(args: Args): Promise<Args> {
    const bodyId = num(args['RequestBodyStream']);
    const [writerDial, bodyDial] = await Promise.allSettled([
      this.transport.dial(num(args['ResponseWriterStream'])),
      bodyId !== 0 ? this.transport.dial(bodyId) : Promise.resolve(undefined),
    ]);
    if (writerDial.status === 'rejected') {
      if (bodyDial.status === 'fulfilled') bodyDial.value?.destroy();
      throw writerDial.reason;
    }
    const writer = new ResponseWriterClient(this.transport.rpcClient(writerDial.value));
    let bodyStream: Duplex | undefined;
    try {
      if (bodyDial.status === 'rejected') throw bodyDial.reason;
      bodyStream = bodyDial.value;
      const body = bodyStream ? remoteReader(bodyStream) : null;
      const err = await serveBridged(this.hooks.httpHandler!, record(args['Request']), ctx(args, 'Context'), body, writer);
      if (err) this.reportError(`ServeHTTP response could not be delivered: ${err.message}`);
    } finally {
      bodyStream?.destroy();
      writer.close();
    }
    return {};
  }

  /** Closes the API and driver streams (process shutdown). */
  close(): void {
    this.apiClient?.close();
    this.driverStream?.destroy();
  }
}

function ctx(args: Args, field = 'A'): PluginContext {
  return record(args[field]);
}

