import WebSocket from 'ws';

/** One event as Mattermost's websocket sends it (model.WebSocketEvent JSON). */
export interface WsEvent {
  event: string;
  data: Record<string, unknown>;
  broadcast: { channel_id?: string; team_id?: string; user_id?: string; omit_users?: unknown };
  seq: number;
}

interface Waiter {
  name: string;
  predicate: (event: WsEvent) => boolean;
  resolve: (event: WsEvent) => void;
}

/**
 * A user's live websocket session. Every event is kept from the moment the connection is
 * authenticated, so a test can open the stream, act, then wait without racing the event.
 */
export class EventStream {
  readonly events: WsEvent[] = [];
  private waiters: Waiter[] = [];

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (raw) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse((Buffer.isBuffer(raw) ? raw : Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw)).toString('utf8'));
      } catch {
        return;
      }
      const event = parsed as Partial<WsEvent>;
      if (typeof event.event !== 'string') return; // replies to our own requests carry no `event`
      const full = event as WsEvent;
      this.events.push(full);
      this.waiters = this.waiters.filter((w) => {
        if (w.name !== full.event || !w.predicate(full)) return true;
        w.resolve(full);
        return false;
      });
    });
  }

  /** Connects with the session token and resolves once Mattermost says `hello`. */
  static async open(baseUrl: string, token: string, timeoutMs = 15_000): Promise<EventStream> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/api/v4/websocket`;
    const socket = new WebSocket(url, { headers: { Authorization: `Bearer ${token}` } });
    const stream = new EventStream(socket);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no websocket hello from ${url} in ${timeoutMs} ms`)), timeoutMs);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      const check = (): void => {
        if (stream.events.some((e) => e.event === 'hello')) {
          clearTimeout(timer);
          resolve();
        } else setTimeout(check, 20);
      };
      socket.once('open', check);
    });
    return stream;
  }

  /**
   * The first event named `name` matching `predicate`, already received or still to come.
   * Plugin events are named `custom_<plugin id>_<event>`.
   */
  async waitFor(name: string, predicate: (event: WsEvent) => boolean = () => true, timeoutMs = 15_000): Promise<WsEvent> {
    const seen = this.events.find((e) => e.event === name && predicate(e));
    if (seen) return seen;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { name, predicate, resolve: (e) => (clearTimeout(timer), resolve(e)) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const names = [...new Set(this.events.map((e) => e.event))].join(', ');
        reject(new Error(`no websocket event ${name} matching in ${timeoutMs} ms (seen: ${names || 'none'})`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  close(): void {
    this.socket.close();
  }
}
