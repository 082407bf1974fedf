/** Entry of the test-only probe plugin (see probe.ts); same start-up path as server/src/main.ts. */
import { startPlugin } from '../../start';

startPlugin(async () => (await import('./probe.js')).createProbe()).catch((err: unknown) => {
  process.stderr.write(`[ERROR] probe failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
