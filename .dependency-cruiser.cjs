// The import rules of the layers (README "Architecture"), checked by `npm run depcheck`
// (scripts/depcheck.mjs). Type-only imports count: a type cycle is still a cycle of modules a
// reader has to hold in mind at once, and it is how the runtime cycles of tomorrow start.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules form a tree: a cycle means a type or function is declared in the wrong module.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'product-not-runtime',
      severity: 'error',
      comment: 'The product knows nothing of gob, net/rpc or yamux: it talks to Mattermost through server/src/plugin.',
      from: { path: '^server/src/product/' },
      to: { path: '^server/src/runtime/' },
    },
    {
      name: 'plugin-not-product',
      severity: 'error',
      comment: "server/src/plugin is Mattermost's plugin surface for any product; it knows nothing of Infra Ops.",
      from: { path: '^server/src/plugin/' },
      to: { path: '^server/src/product/' },
    },
    {
      name: 'runtime-knows-no-mattermost',
      severity: 'error',
      comment: 'server/src/runtime is the wire protocol alone.',
      from: { path: '^server/src/runtime/' },
      to: { path: '^server/src/(plugin|product)/' },
    },
    {
      name: 'webapp-only-contract',
      severity: 'error',
      comment:
        'The bundle may take from the server only the API contract (tests may reach further: the contract test runs the real product).',
      from: { path: '^webapp/', pathNot: '\\.test\\.tsx?$' },
      to: { path: '^server/', pathNot: '^server/src/product/contract/' },
    },
    {
      name: 'contract-only-zod',
      severity: 'error',
      comment: 'The contract is bundled into the webapp: it imports zod/mini and itself, nothing else (not even classic zod, which would triple the bundle).',
      from: { path: '^server/src/product/contract/', pathNot: '\\.test\\.ts$' },
      to: { pathNot: ['^server/src/product/contract/', '^node_modules/zod/(mini|v4/mini|v4/core)/'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve would slip past every rule above.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|\\.cache)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
  },
};
