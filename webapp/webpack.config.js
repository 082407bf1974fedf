// Builds webapp/dist/main.js: one file that registers the plugin with the host web app.
// React, ReactDOM, Redux and ReactRedux are the host's (window globals), never bundled: a second
// react-redux would not see the host's store, and a second React would break hooks.
const path = require('node:path');
const { EsbuildPlugin } = require('esbuild-loader');

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
        exclude: /node_modules/,
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
  optimization: { minimizer: [new EsbuildPlugin({ target: 'es2020', legalComments: 'none' })] },
  devtool: mode === 'development' ? 'eval-source-map' : false,
  performance: { hints: false },
  output: {
    path: path.join(__dirname, 'dist'),
    filename: 'main.js',
    clean: true,
    devtoolNamespace: 'infra-ops',
  },
};
