/** Injected at build time from package.json (esbuild `define`); the fallback serves tests and tsx. */
declare const __INFRA_OPS_VERSION__: string | undefined;

export const PRODUCT_VERSION: string =
  typeof __INFRA_OPS_VERSION__ === 'string' ? __INFRA_OPS_VERSION__ : (require('../../../package.json') as { version: string }).version;
