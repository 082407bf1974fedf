/**
 * Records the product's manifest (../manifest.ts) by activating the product against the in-memory
 * API: the commands it registers and the channel hooks its features handle. Run at build time by
 * scripts/build-server.mjs (through scripts/product_manifest.ts) and by lazy.test.ts.
 */
import { MemoryApi, MemoryWorld } from '../../plugin/testing/memory_api';
import { createProduct } from '../index';
import type { ProductManifest } from '../manifest';

export async function recordManifest(): Promise<ProductManifest> {
  const world = new MemoryWorld();
  const product = createProduct({ startScheduler: false });
  await product.onActivate!(new MemoryApi(world));
  const manifest: ProductManifest = { commands: [...world.commands.values()], hooks: product.featureHooks() };
  await product.onDeactivate!();
  return manifest;
}
