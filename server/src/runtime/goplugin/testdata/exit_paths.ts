/**
 * Child process for handshake.test.ts: handshakes (cookie and socket dir from the environment),
 * then leaves by the exit path named in argv[2], without the normal shutdown:
 *   throw    an uncaught exception          exit     process.exit(3)
 *   wait     stays up until signalled (the test sends SIGTERM)
 */
import { listenAndHandshake } from '../handshake';

async function main(): Promise<void> {
  await listenAndHandshake({ protocolVersion: 1, magicCookieKey: 'EXIT_TEST_COOKIE', magicCookieValue: 'yes' }, { ignoreInterrupts: false });
  const how = process.argv[2];
  if (how === 'throw') setImmediate(() => {
    throw new Error('uncaught on purpose');
  });
  else if (how === 'exit') process.exit(3);
  else setInterval(() => {}, 1000);
}

void main();
