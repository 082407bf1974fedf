/**
 * Entry of the server executable (bundled by scripts/build-server.mjs into a Node single
 * executable application). Prints the go-plugin handshake before loading anything else. Built,
 * the product loads on first use (product/lazy.ts) from the manifest the build injected; under
 * tsx (no manifest) it loads at activation.
 */
import { createLazyProduct } from './product/lazy';
import { BUILT_MANIFEST } from './product/manifest';
import { startPlugin } from './plugin/start';

const loadProduct = async (options: { commandsRegistered: boolean }) => (await import('./product/index.js')).createProduct(options);

startPlugin(async () => (BUILT_MANIFEST ? createLazyProduct(BUILT_MANIFEST, loadProduct) : loadProduct({ commandsRegistered: false }))).catch((err: unknown) => {
  process.stderr.write(`${JSON.stringify({ '@level': 'error', '@message': 'plugin failed to start', error: String(err instanceof Error ? (err.stack ?? err.message) : err) })}\n`);
  process.exit(1);
});
