/**
 * The product module inside the single executable: a script of its own, carried as the SEA asset
 * `product.cjs` with V8's code cache of it (`product.cache`, made by scripts/product_cache.cjs
 * with the executable's own Node and flags), compiled and evaluated on first use. Kept out of the
 * main script, it costs nothing at start: the main script's code cache, source and pages stay
 * those of the runtime, the plugin layer and the lazy shell (README design notes).
 */
import { getAsset } from 'node:sea';
import { Script } from 'node:vm';
import * as appError from './plugin/api/app_error';
import type { ProductModule } from './product_module';

/** Must match scripts/product_cache.cjs, which compiles the same text to make the cache. */
const WRAP = ['(function (exports, require, module) {', '\n})'] as const;

/**
 * What the product script requires from the main script instead of carrying its own copy
 * (scripts/build-server.mjs SHARED_MODULES): one AppError class, so `instanceof` holds both ways.
 */
export const SHARED_BY_MAIN: Readonly<Record<string, unknown>> = { 'infra-ops:app_error': appError };
const sharedRequire = Object.assign((id: string): unknown => (id in SHARED_BY_MAIN ? SHARED_BY_MAIN[id] : require(id)), require) as NodeJS.Require;

export const productModule = async (): Promise<ProductModule> => {
  const source = getAsset('product.cjs', 'utf8');
  const cache = getAsset('product.cache');
  const script = new Script(WRAP[0] + source + WRAP[1], {
    filename: 'product.cjs',
    ...(cache.byteLength > 0 ? { cachedData: Buffer.from(cache) } : {}),
  });
  const mod = { exports: {} as ProductModule };
  (script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown) => void)(mod.exports, sharedRequire, mod);
  return mod.exports;
};
