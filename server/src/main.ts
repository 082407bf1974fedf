/**
 * Entry of the server executable (bundled by scripts/build-server.mjs into a Node single
 * executable application). Prints the go-plugin handshake before loading anything else (under
 * qemu or a loaded host, every module evaluated first counts against Mattermost's 3 s). Built, the
 * product loads on first use (product/lazy.ts) from the manifest the build injected; under tsx
 * (no manifest) it loads at activation.
 */
import { startPlugin } from './plugin/start';

/** V8 flags the build wants set once the product is loaded (RUNTIME_V8_FLAGS in scripts/build-server.mjs says why not at exec). */
declare const __INFRA_OPS_V8_FLAGS__: string | undefined;

const loadProduct = async (options: { commandsRegistered: boolean }) => {
  const product = (await (await import('./product_module.js')).productModule()).createProduct(options);
  if (typeof __INFRA_OPS_V8_FLAGS__ === 'string' && __INFRA_OPS_V8_FLAGS__ !== '') (await import('node:v8')).setFlagsFromString(__INFRA_OPS_V8_FLAGS__);
  return product;
};

startPlugin(async () => {
  const [{ BUILT_MANIFEST }, { createLazyProduct }] = await Promise.all([import('./product/manifest.js'), import('./product/lazy.js')]);
  return BUILT_MANIFEST ? createLazyProduct(BUILT_MANIFEST, loadProduct) : loadProduct({ commandsRegistered: false });
}).catch((err: unknown) => {
  process.stderr.write(`${JSON.stringify({ '@level': 'error', '@message': 'plugin failed to start', error: String(err instanceof Error ? (err.stack ?? err.message) : err) })}\n`);
  process.exit(1);
});
