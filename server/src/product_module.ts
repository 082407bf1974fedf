/**
 * The product module, imported on first use (main.ts). This is the form tsx and tests run; the
 * executable's bundle replaces it with ./product_module.sea.ts (scripts/build-server.mjs).
 */
export type ProductModule = typeof import('./product/index');

export const productModule = async (): Promise<ProductModule> => import('./product/index.js');
