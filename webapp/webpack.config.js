// Builds webapp/dist/main.js: one file that registers the plugin with the host web app.
// React, ReactDOM, Redux and ReactRedux are the host's (window globals), never bundled: a second
// react-redux would not see the host's store, and a second React would break hooks.
const path = require('node:path');

const mode = process.env.NODE_ENV === 'development' ? 'development' : 'production';

module.exports = {
  mode,
  context: __dirname,
  entry: './src/index.tsx',
  target: ['web', 'es2020'],
  resolve: { extensions: ['.tsx', '.ts', '.js', '.json'] },
  module: {
    rules: [
      {
        test: /\.tsx?$/,
        // The webapp's sources and the API contract it shares with the server (the only server
        // module it may import; .dependency-cruiser.cjs enforces that). zod/mini, the contract's
        // one dependency, is bundled: the host does not provide it.
        include: [path.join(__dirname, 'src'), path.join(__dirname, '../server/src/product/contract')],
        loader: 'esbuild-loader',
        options: { target: 'es2020', tsconfig: path.join(__dirname, 'tsconfig.json') },
      },
    ],
  },
  externals: {
    react: 'React',
    'react-dom': 'ReactDOM',
    redux: 'Redux',
    'react-redux': 'ReactRedux',
  },
  // webpack's default minimizer (terser), not esbuild's: esbuild minifying webpack's module
  // scopes keeps unused /*@__PURE__*/ definitions, which left ~40 KB of unused zod in the bundle.
  optimization: { minimize: mode === 'production' },
  // No eval-based source maps: Mattermost's CSP (script-src 'self') refuses eval unless the
  // server's developer flags allow it, so a development bundle from `npm run watch` would not run.
  devtool: mode === 'development' ? 'inline-source-map' : false,
  performance: { hints: false },
  output: {
    path: path.join(__dirname, 'dist'),
    filename: 'main.js',
    clean: true,
    devtoolNamespace: 'infra-ops',
  },
};
