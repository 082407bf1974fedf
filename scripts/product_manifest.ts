// Prints the product's manifest as JSON (server/src/product/manifest.ts): run by build-server.mjs.
import { recordManifest } from '../server/src/product/testing/manifest';

recordManifest().then(
  (manifest) => process.stdout.write(JSON.stringify(manifest)),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
