import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryApi, MemoryWorld } from '../../plugin/testing/memory_api';
import type { CommandResponse, Team, User } from '../../plugin/model/types';
import { createProduct } from '../index';
import { COUNT_CALLS_HEADER } from '../shared/call_count';
import type { ProductContext } from '../shared/context';

/**
 * A product activated against the in-memory API, for unit tests of features. Several harnesses
 * may share one MemoryWorld to simulate HA nodes sharing one database.
 */
export class ProductHarness {
  readonly api: MemoryApi;
  readonly product = createProduct({ now: () => this.clock, startScheduler: false, countCallsOnRequest: true });
  clock: number;
  private server: Server | undefined;
  private listening: Promise<number> | undefined;

  constructor(readonly world: MemoryWorld = new MemoryWorld(), start = Date.UTC(2027, 0, 4, 9, 0, 0)) {
    this.clock = start;
    this.api = new MemoryApi(world);
  }

  async activate(): Promise<this> {
    await this.product.onActivate!(this.api);
    return this;
  }

  get ctx(): ProductContext {
    const ctx = this.product.context();
    if (!ctx) throw new Error('product not activated');
    return ctx;
  }

  /**
   * Work a write left running after it answered (ctx.afterAnswer) is finished before a command or
   * HTTP call here returns, so a test sees its effects; `answerOnly` skips that wait.
   */
  async command(user: User, channelId: string, text: string, team?: Team): Promise<CommandResponse> {
    const reply = await this.answerOnly(user, channelId, text, team);
    await this.settled();
    return reply;
  }

  /** Waits for the work writes left running after they answered (a no-op before activation). */
  async settled(): Promise<void> {
    await this.product.context()?.afterAnswer.settled();
  }

  /** A command's answer, without waiting for what it left running after answering. */
  async answerOnly(user: User, channelId: string, text: string, team?: Team): Promise<CommandResponse> {
    const channel = this.world.channels.get(channelId);
    return this.product.executeCommand!(
      {},
      {
        UserId: user.Id,
        ChannelId: channelId,
        TeamId: team?.Id ?? channel?.TeamId ?? '',
        Command: text,
        TriggerId: 'trigger-' + Math.random().toString(36).slice(2),
        SiteURL: 'http://localhost:8065',
      },
    );
  }

  /**
   * An HTTP call to the product's API as `user` (null = no Mattermost-User-Id header). It returns
   * once the work the call left running has finished, unless `settle` is false (then as soon as
   * the answer is in). With `countCalls`, the answer's headers say its KV and other round trips
   * (shared/call_count.ts).
   */
  async http(method: string, path: string, user: User | null, body?: unknown, { settle = true, countCalls = false }: { settle?: boolean; countCalls?: boolean } = {}): Promise<{ status: number; body: unknown; headers: Headers }> {
    const port = await (this.listening ??= this.listen());
    const headers: Record<string, string> = {};
    if (user) headers['Mattermost-User-Id'] = user.Id;
    if (countCalls) headers[COUNT_CALLS_HEADER] = '1';
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    if (settle) await this.settled();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  /** One server per harness, however many calls race to start it. */
  private listen(): Promise<number> {
    const server = createServer(this.product.httpHandler);
    // Never time idle keep-alive sockets out: fetch would reuse one the server is closing after a
    // long pause (e.g. seeding at scale between requests) and fail.
    server.keepAliveTimeout = 0;
    this.server = server;
    return new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => {
        server.unref();
        resolve((server.address() as AddressInfo).port);
      }),
    );
  }

  close(): void {
    this.server?.close();
  }
}
