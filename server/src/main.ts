/**
 * Entry of the server executable (bundled by scripts/build-server.mjs into a Node single
 * executable application). Prints the go-plugin handshake before loading the product.
 */
import { startPlugin } from './plugin/start';

startPlugin(async () => (await import('./product/index.js')).createProduct()).catch((err: unknown) => {
  process.stderr.write(`${JSON.stringify({ '@level': 'error', '@message': 'plugin failed to start', error: String(err instanceof Error ? (err.stack ?? err.message) : err) })}\n`);
  process.exit(1);
});
