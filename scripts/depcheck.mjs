#!/usr/bin/env node
// Checks the import rules in .dependency-cruiser.cjs (layers, no cycles, what the webapp and the
// contract may import) and prints each violation; exits non-zero on any. Uses dependency-cruiser's
// API rather than its CLI: the CLI refuses to start on Node 20, which this project supports, while
// the API itself runs on it.
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const ROOTS = ['server/src', 'webapp/src', 'webapp/harness', 'e2e', 'bench', 'scripts'];

const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
const result = await cruise(ROOTS, { ...options, outputType: 'err-long' }, {}, { tsConfig: extractTSConfig('tsconfig.json') });
process.stdout.write(typeof result.output === 'string' ? result.output : JSON.stringify(result.output));
process.exit(result.exitCode);
