/**
 * Client side of Mattermost's remote io.Reader protocol (plugin/io_rpc.go), used for ServeHTTP
 * request bodies: we write a zig-zag varint (Go's binary.PutVarint) with how many bytes we want;
 * the server copies up to that many from the body, and closes the stream (FIN → our 'end') once
 * the body is exhausted (fewer bytes than asked). Bytes of one ask may arrive in several chunks.
 *
 * Flow control: we only ask again once the previous ask has been delivered *and* our consumer
 * wants more, so a slow consumer holds the server's copy loop and at most one ask is buffered.
 */
import { Readable, type Duplex } from 'node:stream';

/** How much to ask for at a time: half a yamux window keeps the server streaming without stalls. */
const ASK_BYTES = 128 * 1024;

/** Go's binary.PutVarint: zig-zag, then LEB128. `n` is a small non-negative count here. */
export function putVarint(n: number): Buffer {
  let u = BigInt(n) << 1n;
  if (n < 0) u = ~u;
  const out: number[] = [];
  while (u >= 0x80n) {
    out.push(Number(u & 0x7fn) | 0x80);
    u >>= 7n;
  }
  out.push(Number(u));
  return Buffer.from(out);
}

export function remoteReader(stream: Duplex, askBytes = ASK_BYTES): Readable {
  let outstanding = 0;
  let wanted = false;
  const ask = (): void => {
    if (outstanding > 0 || stream.writableEnded || stream.destroyed) return;
    outstanding = askBytes;
    stream.write(putVarint(askBytes));
  };

  const body = new Readable({
    read() {
      wanted = true;
      if (outstanding === 0) ask();
      stream.resume();
    },
    destroy(err, callback) {
      stream.destroy();
      callback(err);
    },
  });

  stream.on('data', (chunk: Buffer) => {
    outstanding = Math.max(0, outstanding - chunk.length);
    wanted = body.push(chunk);
    if (!wanted) stream.pause();
    else if (outstanding === 0) ask();
  });
  let ended = false;
  stream.once('end', () => {
    ended = true;
    body.push(null);
  });
  // A reset (close without FIN) must not look like a complete, shorter body. Only a reader that
  // asked for bytes has lost anything, though: a body nobody read just goes away quietly.
  const lost = (err: Error): void => {
    if (ended || body.destroyed) return;
    body.destroy(outstanding > 0 || body.readableLength > 0 ? err : undefined);
  };
  stream.once('error', lost);
  stream.once('close', () => lost(new Error('request body stream closed before its end')));
  stream.pause();
  return body;
}
