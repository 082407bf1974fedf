import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatFigure, readResults, renderTable, TABLE_END, TABLE_START, withTable } from './readme';

describe('bench/readme (the Measured table comes from results.json, never by hand)', () => {
  it('renders each figure with its same-run baseline and the ratio', () => {
    const table = renderTable([
      { name: 'write p95 (vs POST /api/v4/posts)', value: 12.345, unit: 'ms', baseline: 8.2 },
      { name: 'page | KV round trips', value: 3, unit: 'calls' },
      { name: 'RSS', value: 118.49, unit: 'MiB' },
    ]);
    assert.equal(
      table,
      [
        '| figure | ours | baseline (same run) | ratio |',
        '| --- | --- | --- | --- |',
        '| write p95 (vs POST /api/v4/posts) | 12.3 ms | 8.20 ms | 1.51x |',
        '| page \\| KV round trips | 3.00 calls |  |  |',
        '| RSS | 118 MiB |  |  |',
      ].join('\n'),
    );
  });

  it('replaces only what is between the markers, and refuses a README without them', () => {
    const readme = `# x\n## Measured\n${TABLE_START}\nold\n${TABLE_END}\nafter\n`;
    const next = withTable(readme, [{ name: 'a', value: 1500, unit: 'ms' }]);
    assert.equal(next, `# x\n## Measured\n${TABLE_START}\n| figure | ours | baseline (same run) | ratio |\n| --- | --- | --- | --- |\n| a | 1,500 ms |  |  |\n${TABLE_END}\nafter\n`);
    assert.equal(withTable(next, [{ name: 'a', value: 1500, unit: 'ms' }]), next, 'idempotent');
    assert.throws(() => withTable('# no table', []), /no "Measured" markers/);
  });

  it('the README holds exactly the table of the committed bench/results.json', () => {
    const readme = readFileSync(join(__dirname, '../README.md'), 'utf8');
    const results = readResults(join(__dirname, 'results.json'));
    assert.ok(results.length > 0, 'bench/results.json is committed with the figures the README shows');
    assert.equal(withTable(readme, results), readme, 'run `npm run bench:readme` after changing bench/results.json');
  });

  it('formats figures to about three significant digits', () => {
    assert.deepEqual([formatFigure(0.0854), formatFigure(6.9), formatFigure(27.34), formatFigure(278.4)], ['0.085', '6.90', '27.3', '278']);
  });
});
