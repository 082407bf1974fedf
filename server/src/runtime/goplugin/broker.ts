/**
 * go-plugin's MuxBroker: extra yamux streams identified by a uint32 id, both ways.
 *
 * Each side counts its own ids from 1 (`nextId`). The side that reserved an id `accept`s it: it
 * waits (≤ 5 s) for the peer to open a stream whose first 4 bytes are that id (little-endian),
 * then writes the same 4 bytes back as the acknowledgement. The other side `dial`s: it opens a
 * stream, writes the id, and checks the echoed 4 bytes. Every stream the peer opens (after the
 * control and stdio streams) is read for its id by `run`; an id nobody waits for is parked 5 s
 * and then closed. When the session closes, `run` ends and pending accepts fail.
 */
import type { Session, Stream } from '../yamux/index';

export const BROKER_TIMEOUT_MS = 5000;

export class BrokerError extends Error {
  override readonly name = 'BrokerError';
}

interface Waiter {
  resolve(stream: Stream): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

interface Parked {
  stream: Stream;
  timer: NodeJS.Timeout;
}

export class MuxBroker {
  private lastId = 0;
  private readonly waiters = new Map<number, Waiter>();
  private readonly parked = new Map<number, Parked>();

  constructor(
    private readonly session: Session,
    private readonly timeoutMs = BROKER_TIMEOUT_MS,
  ) {}

  /** Reserves a new id (1, 2, 3, ...) for the peer to dial. */
  nextId(): number {
    this.lastId = (this.lastId + 1) >>> 0;
    return this.lastId;
  }

  /** Waits for the peer to dial `id`, acknowledges it and returns the stream. */
  accept(id: number): Promise<Stream> {
    const ready = (stream: Stream): Stream => {
      stream.write(idBytes(id));
      return stream;
    };
    const parked = this.parked.get(id);
    if (parked) {
      this.parked.delete(id);
      clearTimeout(parked.timer);
      return Promise.resolve(ready(parked.stream));
    }
    if (this.waiters.has(id)) return Promise.reject(new BrokerError(`broker id ${id} is already being accepted`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(id);
        reject(new BrokerError('timeout waiting for accept'));
      }, this.timeoutMs);
      this.waiters.set(id, { resolve: (stream) => resolve(ready(stream)), reject, timer });
    });
  }

  /** Opens a stream to an id the peer reserved and completes the id exchange. */
  async dial(id: number): Promise<Stream> {
    const stream = this.session.open();
    stream.on('error', () => {}); // reported through the read below; later users add their own
    stream.write(idBytes(id));
    let ack: number;
    try {
      ack = await readId(stream, this.timeoutMs);
    } catch (err) {
      stream.destroy();
      throw err;
    }
    if (ack !== id) {
      stream.destroy();
      throw new BrokerError(`bad ack: ${ack} (expected ${id})`);
    }
    return stream;
  }

  /** Reads the id of every stream the session accepts from now on, until the session closes. */
  async run(): Promise<void> {
    for (;;) {
      let stream: Stream;
      try {
        stream = await this.session.accept();
      } catch {
        break;
      }
      stream.on('error', () => {});
      readId(stream, this.timeoutMs).then(
        (id) => this.arrived(id, stream),
        () => stream.destroy(),
      );
    }
    // The session is gone: nobody can dial an id any more, and no one will take a parked stream.
    for (const [id, waiter] of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new BrokerError(`session closed while waiting for broker id ${id}`));
    }
    this.waiters.clear();
    for (const parked of this.parked.values()) {
      clearTimeout(parked.timer);
      parked.stream.destroy();
    }
    this.parked.clear();
  }

  private arrived(id: number, stream: Stream): void {
    const waiter = this.waiters.get(id);
    if (waiter) {
      this.waiters.delete(id);
      clearTimeout(waiter.timer);
      waiter.resolve(stream);
      return;
    }
    if (this.parked.has(id)) {
      stream.destroy(); // a second stream for the same id: nobody can take it
      return;
    }
    const timer = setTimeout(() => {
      this.parked.delete(id);
      stream.destroy();
    }, this.timeoutMs);
    timer.unref();
    this.parked.set(id, { stream, timer });
  }
}

function idBytes(id: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32LE(id >>> 0, 0);
  return b;
}

/**
 * Reads exactly the 4-byte id and leaves everything after it buffered in the stream for its next
 * reader.
 */
export function readId(stream: Stream, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, id?: number): void => {
      clearTimeout(timer);
      stream.off('readable', tryRead);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onEnd);
      if (err) reject(err);
      else resolve(id!);
    };
    const tryRead = (): void => {
      // read(4) returns null until 4 bytes are buffered; at EOF it returns what is left.
      const bytes = stream.read(4) as Buffer | null;
      if (bytes === null) return;
      if (bytes.length < 4) {
        done(new BrokerError('unexpected EOF reading broker id'));
        return;
      }
      done(null, bytes.readUInt32LE(0));
    };
    const onEnd = (): void => done(new BrokerError('unexpected EOF reading broker id'));
    const onError = (err: Error): void => done(err);
    const timer = setTimeout(() => done(new BrokerError('timeout reading broker id')), timeoutMs);
    timer.unref();
    stream.on('readable', tryRead);
    stream.once('end', onEnd);
    stream.once('error', onError);
    stream.once('close', onEnd);
    tryRead();
  });
}
