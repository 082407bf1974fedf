/**
 * The lazy build's two scripts (scripts/build-server.mjs): the executable's main script and the
 * product script it loads on first use. A module both need must exist once: a second copy of
 * AppError made `instanceof` fail across the boundary, and Mattermost's refusal of a command run
 * for an item came back as a 500 (found by the real-server e2e).
 */
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SHARED_BY_MAIN } from '../server/src/product_module.sea';

/** What this test uses of the untyped build script. */
interface BuildScripts {
  repo: string;
  SHARED_MODULES: Record<string, RegExp>;
  bundle(entry: string, outfile: string, options: { lazy: boolean }): Promise<unknown>;
}

describe('the lazy build', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infra-ops-build-'));
  let build: BuildScripts;
  let main = '';
  let product = '';
  before(async () => {
    build = (await import(join(__dirname, 'build-server.mjs'))) as BuildScripts;
    const outfile = join(dir, 'main.cjs');
    await build.bundle(join(build.repo, 'server/src/main.ts'), outfile, { lazy: true });
    main = readFileSync(outfile, 'utf8');
    product = readFileSync(join(dir, 'product.cjs'), 'utf8');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the product script requires only Node built-ins and the modules the main script hands over', () => {
    const required = new Set([...product.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1] as string));
    const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
    const shared = Object.keys(build.SHARED_MODULES);
    for (const id of required) assert.ok(builtins.has(id) || shared.includes(id), `product.cjs requires ${id}`);
    assert.ok(required.has('infra-ops:app_error'), 'AppError comes from the main script');
    assert.deepEqual(Object.keys(SHARED_BY_MAIN).sort(), [...shared].sort(), 'the executable serves every shared id the build names');
  });

  it('AppError is in the main script once and not in the product script', () => {
    const marker = 'plugin.api.not_supported';
    assert.equal(main.split(marker).length - 1, 1);
    assert.equal(product.split(marker).length - 1, 0);
  });
});
