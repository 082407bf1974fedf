/**
 * Entry of the server executable (bundled by scripts/build-server.mjs into a Node single
 * executable application). Prints the go-plugin handshake before loading anything else. Built,
 * the product loads on first use (product/lazy.ts) from the manifest the build injected; under
 * tsx (no manifest) it loads at activation.
 */
import { setFlagsFromString } from 'node:v8';
import { createLazyProduct } from './product/lazy';
import { BUILT_MANIFEST } from './product/manifest';
import { startPlugin } from './plugin/start';
import { productModule } from './product_module';

/** V8 flags the build wants set once the product is loaded (RUNTIME_V8_FLAGS in scripts/build-server.mjs says why not at exec). */
declare const __INFRA_OPS_V8_FLAGS__: string | undefined;

const loadProduct = async (options: { commandsRegistered: boolean }) => {
  const product = (await productModule()).createProduct(options);
  if (typeof __INFRA_OPS_V8_FLAGS__ === 'string' && __INFRA_OPS_V8_FLAGS__ !== '') setFlagsFromString(__INFRA_OPS_V8_FLAGS__);
  return product;
};

startPlugin(async () => (BUILT_MANIFEST ? createLazyProduct(BUILT_MANIFEST, loadProduct) : loadProduct({ commandsRegistered: false }))).catch((err: unknown) => {
  process.stderr.write(`${JSON.stringify({ '@level': 'error', '@message': 'plugin failed to start', error: String(err instanceof Error ? (err.stack ?? err.message) : err) })}\n`);
  process.exit(1);
});
