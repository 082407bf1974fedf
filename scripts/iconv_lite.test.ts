import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import * as lean from './iconv_lite';
import { decode, encodingExists, getDecoder } from './iconv_lite';

describe('iconv-lite stand-in (server bundle)', () => {
  it('knows the charsets HTTP clients send and refuses the rest', () => {
    for (const charset of ['utf-8', 'UTF8', 'utf-16le', 'latin1', 'iso-8859-2', 'windows-1252', 'shift_jis', 'gbk']) {
      assert.equal(encodingExists(charset), true, charset);
    }
    for (const charset of ['utf-7', 'no-such-charset', '']) assert.equal(encodingExists(charset), false, charset);
  });

  it('decodes whole bodies, dropping a BOM', () => {
    assert.equal(decode(Buffer.from('\ufeff{"t":"Grüße ✓"}', 'utf8'), 'utf-8'), '{"t":"Grüße ✓"}');
    assert.equal(decode(Buffer.from('\ufeffçà', 'utf16le'), 'utf-16le'), 'çà');
    assert.equal(decode(Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'latin1'), 'café');
    assert.throws(() => decode(Buffer.from('x'), 'utf-7'), /^Error: Encoding not recognized: 'utf-7'/);
  });

  it('streams: a character split across chunks comes out whole', () => {
    const bytes = Buffer.from('a✓b€', 'utf8');
    const decoder = getDecoder('utf-8');
    let text = '';
    for (let i = 0; i < bytes.length; i++) text += decoder.write(bytes.subarray(i, i + 1));
    assert.equal(text + decoder.end(), 'a✓b€');
    const truncated = getDecoder('utf-8');
    assert.equal(truncated.write(bytes.subarray(0, 2)) + truncated.end(), 'a\ufffd');
  });
});

describe('express bodies with the stand-in in place of iconv-lite', () => {
  it('parses JSON in the charset the request names, and answers 415 to one it cannot decode (UTF-32)', async () => {
    // What the esbuild alias does, done on the module cache: body-parser and raw-body get ours.
    const from = { paths: [dirname(require.resolve('body-parser')), dirname(require.resolve('raw-body'))] };
    const real = require.resolve('iconv-lite', from);
    require.cache[real] = { id: real, filename: real, loaded: true, exports: lean } as unknown as NodeJS.Module;
    const express = (require('express') as typeof import('express'));
    const app = express();
    app.post('/', express.json(), (req, res) => { res.json(req.body); });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const post = (body: Buffer, charset: string) => fetch(url, { method: 'POST', headers: { 'Content-Type': `application/json; charset=${charset}` }, body });
      let res = await post(Buffer.from('{"t":"Grüße"}', 'utf16le'), 'utf-16le');
      assert.deepEqual(await res.json(), { t: 'Grüße' });
      res = await post(Buffer.from('{"t":"✓"}'), 'utf-8');
      assert.deepEqual(await res.json(), { t: '✓' });
      // body-parser's JSON takes only utf-* charsets; of those, WHATWG (and so we) lack UTF-32.
      res = await post(Buffer.from('{}'), 'utf-32le');
      assert.equal(res.status, 415);
    } finally {
      server.close();
    }
  });
});
