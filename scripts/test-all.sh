#!/usr/bin/env bash
# Everything CI runs, in order of cost. Stops at the first failing step.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { echo; echo "=== $* ==="; }
step typecheck; npm run typecheck
step lint; npm run lint
step depcheck; npm run depcheck
step unit; npm run test:unit
step wire; npm run test:wire
step dist; npm run dist
step host; npm run test:host
step e2e; npm run e2e
step browser; node scripts/run-tests.mjs browser
