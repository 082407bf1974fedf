// Makes V8's code cache of the product script (server/src/product_module.sea.ts): run by
// scripts/build-server.mjs with the executable's own Node and V8 flags (a cache made under other
// flags is rejected). The script is evaluated and the product created first, so the functions that
// run when it loads are in the cache too.
//   node <execArgv> scripts/product_cache.cjs <product.cjs> <product.cache>
const { readFileSync, writeFileSync } = require('node:fs');
const { Script } = require('node:vm');

const [input, output] = process.argv.slice(2);
const WRAP = ['(function (exports, require, module) {', '\n})'];
const script = new Script(WRAP[0] + readFileSync(input, 'utf8') + WRAP[1], { filename: 'product.cjs' });
const mod = { exports: {} };
// The modules the executable's main script shares with the product (build-server.mjs SHARED_MODULES):
// only their shape matters for the cache, so a stand-in class serves.
const shared = { 'infra-ops:app_error': { AppError: class AppError extends Error {} } };
script.runInThisContext()(mod.exports, (id) => (id in shared ? shared[id] : require(id)), mod);
mod.exports.createProduct({ startScheduler: false });
writeFileSync(output, script.createCachedData());
