import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { client, server, type Session } from '../yamux/index';
import { readAll, socketPair } from '../yamux/testing';
import { MuxBroker } from './broker';
import { goTimestamp, hclogLogger } from './log';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function brokers(timeoutMs = 5000): Promise<{ host: MuxBroker; plugin: MuxBroker; pluginSession: Session }> {
  const pair = await socketPair();
  const hostSession = client(pair.a);
  const pluginSession = server(pair.b);
  cleanups.push(() => {
    hostSession.close();
    pluginSession.close();
    pair.cleanup();
  });
  const host = new MuxBroker(hostSession, timeoutMs);
  const plugin = new MuxBroker(pluginSession, timeoutMs);
  void host.run();
  void plugin.run();
  return { host, plugin, pluginSession };
}

describe('MuxBroker', () => {
  it('ids count from 1 on each side', async () => {
    const { host, plugin } = await brokers();
    assert.deepEqual([host.nextId(), host.nextId(), plugin.nextId()], [1, 2, 1]);
  });

  it('dial ↔ accept both ways; bytes after the id reach the stream user', async () => {
    const { host, plugin } = await brokers();
    for (const [acceptor, dialer] of [
      [plugin, host],
      [host, plugin],
    ] as const) {
      const id = acceptor.nextId();
      const accepted = acceptor.accept(id);
      const dialed = await dialer.dial(id);
      const stream = await accepted;
      dialed.end('payload after id');
      assert.equal((await readAll(stream)).toString(), 'payload after id');
      stream.end();
    }
  });

  it('a stream that arrives before accept() is parked and handed over', async () => {
    const { host, plugin } = await brokers();
    const dialing = host.dial(7);
    await sleep(50);
    const stream = await plugin.accept(7);
    await dialing;
    assert.equal(stream.destroyed, false);
  });

  it('accept times out with go-plugin\'s message', async () => {
    const { plugin } = await brokers(100);
    await assert.rejects(plugin.accept(plugin.nextId()), /timeout waiting for accept/);
  });

  it('a pending accept fails at once when the session closes (not after its timeout, nor never)', async () => {
    const { plugin, pluginSession } = await brokers();
    const accepting = plugin.accept(plugin.nextId());
    pluginSession.close();
    const stalled = sleep(1000).then(() => 'still pending 1 s after the session closed');
    assert.match(await Promise.race([accepting.then(() => 'accepted', (e: Error) => e.message), stalled]), /session closed while waiting for broker id 1/);
  });

  it('dial to an id nobody accepts fails once the parked stream is closed', async () => {
    const { host } = await brokers(100);
    await assert.rejects(host.dial(42), /unexpected EOF reading broker id|connection reset|timeout/);
  });

  it('bad ack is reported', async () => {
    // A peer that answers with the wrong id: the raw stream is accepted by hand.
    const pair = await socketPair();
    const a = client(pair.a);
    const b = server(pair.b);
    cleanups.push(() => {
      a.close();
      b.close();
      pair.cleanup();
    });
    const dialer = new MuxBroker(a);
    const wrong = (async () => {
      const st = await b.accept();
      st.on('error', () => {});
      st.write(Buffer.from([9, 0, 0, 0]));
    })();
    await assert.rejects(dialer.dial(3), /bad ack: 9 \(expected 3\)/);
    await wrong;
  });
});

describe('hclog lines', () => {
  it('timestamp in Go layout 2006-01-02T15:04:05.000000Z07:00', () => {
    assert.equal(goTimestamp(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678))), '2026-01-02T03:04:05.678000Z');
  });

  it('@level, @message, @timestamp and fields (errors and bigints made plain)', () => {
    const lines: string[] = [];
    const log = hclogLogger({ level: 'debug', write: (l) => lines.push(l), now: () => new Date(0) });
    log.trace('hidden');
    log.warn('careful', { n: 1, big: 2n ** 70n, err: new Error('bad'), '@level': 'spoof' });
    assert.equal(lines.length, 1);
    assert.ok(lines[0]!.endsWith('\n'));
    assert.deepEqual(JSON.parse(lines[0]!), {
      '@level': 'warn',
      '@message': 'careful',
      '@timestamp': '1970-01-01T00:00:00.000000Z',
      n: 1,
      big: '1180591620717411303424',
      err: 'bad',
    });
  });
});
