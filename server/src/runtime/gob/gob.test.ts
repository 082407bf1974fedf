import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  GobDecoder, GobEncoder, GobError, GoTime, InterfaceValue, MarshaledValue, arrayOf, bool, bytes, float64, iface,
  int, int64, int8, interfaceValue, mapOf, ptr, sliceOf, string, struct, timeType, uint32, uint64,
} from './index';
import { comparable } from './conformance/corpus';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Buffer => Buffer.from(s.replace(/[^0-9a-f]/gi, ''), 'hex');
const ascii = (s: string): string => Buffer.from(s).toString('hex');

function decodeAll(data: Uint8Array, chunk = data.length): unknown[] {
  const dec = new GobDecoder();
  const out: unknown[] = [];
  for (let p = 0; p < data.length; p += chunk) {
    dec.push(data.subarray(p, p + chunk));
    for (let v = dec.next(); v; v = dec.next()) out.push(v.value);
  }
  assert.equal(dec.buffered, 0);
  return out;
}

const Request = struct('Request', () => [['ServiceMethod', string], ['Seq', uint64]]);
const Response = struct('Response', () => [['ServiceMethod', string], ['Seq', uint64], ['Error', string]]);
const emptyStruct = struct('', () => []);

// plugin-rpc.md §3 and §4: bytes produced by real Go encoders.
const goldenDispense = '2f ff 81 03 01 01 07 52 65 71 75 65 73 74 01 ff 82 00 01 02 01 0d 53 65 72 76 69 63 65 4d 65 74 68 6f 64 01 0c 00 01 03 53 65 71 01 06 00 00 00'
  + '17 ff 82 01 12 44 69 73 70 65 6e 73 65 72 2e 44 69 73 70 65 6e 73 65 00' + '08 0c 00 05 68 6f 6f 6b 73';
const goldenPing = '13 ff 82 01 0c 43 6f 6e 74 72 6f 6c 2e 50 69 6e 67 01 01 00' + '03 02 00 01';

// Go 1.26, fresh encoders (see the conformance corpus for the same shapes):
// Ret{A error}{&AppError{"x.y","boom","",1000,"OnActivate"}}: the AppError definition splits the message.
const goldenSplit = '167f0301010352657401ff80000101010141011000000067ff80010f2a6d6f64656c2e4170704572726f72ff81030101084170704572726f7201ff8200010501024964010c0001074d657373616765010c00010d44657461696c65644572726f72010c00010a537461747573436f646501040001055768657265010c00000020ff821c0103782e790104626f6f6d02fe07d0010a4f6e41637469766174650000';
// Holder{X: Bag{Items: []Item{{1},{2}}, M: {"a": {3}}}, Y: "after"}: further definitions as their own messages.
const goldenSplitMany = '20ff8303010106486f6c64657201ff84000102010158011000010159010c0000002fff8401086d61696e2e426167ff850301010342616701ff8600010201054974656d7301ff8a0001014d01ff8c0000001aff890201010b5b5d6d61696e2e4974656d01ff8a0001ff88000018ff87030101044974656d01ff8800010101014e010400000025ff8b040101146d61705b737472696e675d6d61696e2e4974656d01ff8c00010c01ff8800001bff8610010201020001040001010161010600000105616674657200';
// Holder{X: []interface{}{&AppError{"e",7}, Item{5}}, Y: "after"}: a definition and a counted value share a message.
const goldenNested = '1f7f03010106486f6c64657201ff80000102010158011000010159010c0000001eff80010e5b5d696e74657266616365207b7dff81020102ff82000110000076ff823800020f2a6d6f64656c2e4170704572726f72ff83030101084170704572726f7201ff8400010201024964010c000104436f646501040000002bff8406010165010e00096d61696e2e4974656dff85030101044974656d01ff8600010101014e010400000006ff8603010a000105616674657200';

describe('gob encoder: golden bytes', () => {
  it('net/rpc request headers and bodies (plugin-rpc.md §3)', () => {
    const enc = new GobEncoder();
    const out = hex(enc.encode(Request, { ServiceMethod: 'Dispenser.Dispense', Seq: 0 })) + hex(enc.encode(string, 'hooks'));
    assert.equal(out, unhex(goldenDispense).toString('hex'));
    const ping = hex(enc.encode(Request, { ServiceMethod: 'Control.Ping', Seq: 1 })) + hex(enc.encode(bool, true));
    assert.equal(ping, unhex(goldenPing).toString('hex'));
  });

  it('top-level singletons (plugin-rpc.md §4.4)', () => {
    const enc = new GobEncoder();
    assert.equal(hex(enc.encode(bool, true)), '03020001');
    assert.equal(hex(enc.encode(uint32, 1)), '03060001');
    assert.equal(hex(enc.encode(bytes, Buffer.from('hi'))), '050a00026869');
    assert.equal(hex(enc.encode(int, 200)), '050400fe0190');
    assert.equal(hex(enc.encode(int, 404)).slice(-6), 'fe0328');
    assert.equal(hex(enc.encode(int, -129)).slice(-6), 'fe0101');
    assert.equal(hex(enc.encode(int, -65)).slice(-4), 'ff81');
    assert.equal(hex(enc.encode(uint64, 256)).slice(-6), 'fe0100');
    assert.equal(hex(enc.encode(float64, 1.5)).slice(-6), 'fef83f');
    assert.equal(hex(enc.encode(float64, 17)).slice(-6), 'fe3140');
  });

  it('struct{} definition, ids from 65 in Go order, empty struct value (plugin-rpc.md §3/§4.3)', () => {
    const enc = new GobEncoder();
    enc.encode(Request, {});
    assert.equal(hex(enc.encode(emptyStruct, {})), unhex('0a ff 83 03 01 02 ff 84 00 00 00' + '03 ff 84 00').toString('hex'));
  });

  it('time.Time (GobEncoder) and an interface element (plugin-rpc.md §4.4)', () => {
    const t = GoTime.fromUnixNanos(BigInt(Date.UTC(2026, 0, 2, 3, 4, 5)) * 1_000_000n + 6n);
    const out = hex(new GobEncoder().encode(timeType, t));
    assert.ok(out.endsWith('0f01000000' + '0ee0e92ca500000006ffff'), out);
    const list = hex(new GobEncoder().encode(sliceOf(iface), ['k']));
    assert.ok(list.endsWith('0001' + '06' + ascii('string') + '0c03' + '00016b'), list);
  });

  it('the error response of an unknown method (plugin-rpc.md §3), value bytes', () => {
    const enc = new GobEncoder();
    const head = hex(enc.encode(Response, { ServiceMethod: 'Plugin.Nope', Seq: 2, Error: "rpc: can't find method Plugin.Nope" }));
    const want = '36ff82' + '010b' + ascii('Plugin.Nope') + '0102' + '0122' + ascii("rpc: can't find method Plugin.Nope") + '00';
    assert.ok(head.endsWith(want), head);
  });
});

describe('gob decoder: golden bytes', () => {
  it('decodes Go streams whole and one byte at a time', () => {
    for (const chunk of [Infinity, 1, 3]) {
      const size = (b: Buffer): number => Math.min(chunk, b.length);
      const d = unhex(goldenDispense + goldenPing);
      assert.deepEqual(decodeAll(d, size(d)), [
        { ServiceMethod: 'Dispenser.Dispense' }, 'hooks', { ServiceMethod: 'Control.Ping', Seq: 1 }, true,
      ]);
    }
  });

  it('the error response, with type ids defined earlier on the stream', () => {
    // Response as id 66 and struct{} as id 67, then the golden value messages of §3.
    const enc = new GobEncoder();
    enc.encode(Request, {});
    const defs = Buffer.concat([enc.encode(Response, {}), enc.encode(emptyStruct, {})]);
    const golden = unhex('36ff84010b' + ascii('Plugin.Nope') + '01020122' + ascii("rpc: can't find method Plugin.Nope") + '00' + '03ff8600');
    const values = decodeAll(Buffer.concat([defs, golden]));
    assert.deepEqual(values.slice(2), [
      { ServiceMethod: 'Plugin.Nope', Seq: 2, Error: "rpc: can't find method Plugin.Nope" }, {},
    ]);
  });

  for (const [name, golden] of [['split', goldenSplit], ['split into many', goldenSplitMany], ['nested', goldenNested]] as const) {
    it(`interface values whose definitions split the message (${name})`, () => {
      const data = unhex(golden);
      const whole = decodeAll(data);
      assert.deepEqual(comparable(decodeAll(data, 1)), comparable(whole));
      assert.deepEqual(comparable(decodeAll(data, 5)), comparable(whole));
      assert.equal(whole.length, 1);
      const v = whole[0] as Record<string, unknown>;
      if (name === 'split') {
        const a = v.A as InterfaceValue;
        assert.equal(a.name, '*model.AppError');
        assert.deepEqual(a.value, { Id: 'x.y', Message: 'boom', StatusCode: 1000, Where: 'OnActivate' });
      } else if (name === 'split into many') {
        assert.equal(v.Y, 'after');
        assert.deepEqual((v.X as InterfaceValue).value, { Items: [{ N: 1 }, { N: 2 }], M: { a: { N: 3 } } });
      } else {
        assert.equal(v.Y, 'after');
        const list = v.X as InterfaceValue[];
        assert.deepEqual(list.map((x) => [x.name, x.value]), [['*model.AppError', { Id: 'e', Code: 7 }], ['main.Item', { N: 5 }]]);
      }
      // And what we decoded encodes back to a stream that decodes to the same values.
      const again = decodeAll(new GobEncoder().encode(struct('X', () => Object.keys(v).map((k) => [k, k === 'Y' ? string : iface] as const)), v));
      assert.deepEqual(comparable(again), comparable(whole));
    });
  }
});

const Post = struct('Post', () => [
  ['Id', string], ['CreateAt', int64], ['Props', mapOf(string, iface)], ['Tags', sliceOf(string)],
  ['Root', ptr(struct('Ref', () => [['Id', string]]))], ['Pinned', ptr(bool)], ['When', timeType], ['Pair', arrayOf(int8, 2)],
  ['Inner', struct('Inner', () => [['A', int]])],
]);

describe('gob encoder: values and errors', () => {
  it('omits zero fields exactly as Go does', () => {
    const [v] = decodeAll(new GobEncoder().encode(Post, { Id: '', CreateAt: 0, Props: {}, Tags: [], Root: null, Pinned: false, When: GoTime.zero }));
    // Sent anyway: the non-nil empty map, the array, and the nested non-pointer struct.
    assert.deepEqual(v, { Props: {}, Pair: [0, 0], Inner: {} });
    const [w] = decodeAll(new GobEncoder().encode(Post, { Root: {}, Pinned: true, Pair: [-128, 127] }));
    assert.deepEqual(w, { Root: {}, Pinned: true, Pair: [-128, 127], Inner: {} });
    // An empty []byte is omitted in either of the JS forms the encoder accepts for it.
    const Blob = struct('Blob', () => [['Data', bytes], ['N', int]]);
    for (const Data of [new Uint8Array(0), []]) assert.equal(hex(new GobEncoder().encode(Blob, { Data, N: 1 }).subarray(-6)), '05ff82020200');
  });

  it('names the field and the problem', () => {
    const enc = new GobEncoder();
    assert.throws(() => enc.encode(Post, { CreateAt: 'yesterday' }), new GobError('gob: field Post.CreateAt: expected int64, got string'));
    assert.throws(() => enc.encode(Post, { Pair: [1, 300] }), /field Post\.Pair\[1\]: value 300 out of range for int8/);
    assert.throws(() => enc.encode(Post, { Pair: [1] }), /field Post\.Pair: expected an array of length 2, got 1/);
    assert.throws(() => enc.encode(Post, { Props: { m: new Map() } }), /field Post\.Props\["m"\]: cannot infer the Go type of Map/);
    assert.throws(() => enc.encode(Post, { Tags: ['a', 3] }), /field Post\.Tags\[1\]: expected string, got number/);
    assert.throws(() => enc.encode(ptr(Post), null), /cannot encode nil pointer of type \*Post/);
    assert.throws(() => enc.encode(int64, 2 ** 63), /out of range for int64/);
    assert.throws(() => enc.encode(uint64, -1), /out of range for uint64/);
    assert.throws(() => enc.encode(int64, 1.5), /out of range for int64/);
    assert.throws(() => enc.encode(sliceOf(ptr(Post)), [null]), /field \[0\]: cannot encode a nil \*Post element/);
    // A failed encode leaves the stream usable: its type definitions were not half sent.
    const ok = Buffer.concat([enc.encode(Post, { Id: 'x' }), enc.encode(int64, -(2 ** 63))]);
    assert.deepEqual(decodeAll(ok), [{ Id: 'x', Pair: [0, 0], Inner: {} }, -(2n ** 63n)]);
  });

  it('defines each type once per stream, also for rebuilt descriptions', () => {
    const enc = new GobEncoder();
    const first = enc.encode(sliceOf(string), ['a']);
    const second = enc.encode(sliceOf(string), ['b']);
    assert.ok(first.length > second.length);
    assert.deepEqual(decodeAll(Buffer.concat([first, second])), [['a'], ['b']]);
  });

  it('infers interface types from plain JS values and keeps InterfaceValue exact', () => {
    const values = [
      'k', 1.5, true, 7n, new Uint8Array([1]), ['x', null], { a: { b: [1] } }, null,
      interfaceValue('int32', { kind: 'int', bits: 32 }, -4), GoTime.fromDate(new Date(0)),
    ];
    const [decoded] = decodeAll(new GobEncoder().encode(sliceOf(iface), values));
    const d = decoded as unknown[];
    assert.deepEqual(d.slice(0, 8), values.slice(0, 8));
    assert.ok(d[8] instanceof InterfaceValue && d[8].name === 'int32' && d[8].value === -4);
    assert.deepEqual(d[9], values[9]);
  });

  it('treats field names like constructor and __proto__ as plain names', () => {
    const Odd = struct('Odd', () => [['constructor', string], ['__proto__', int], ['toString', string]]);
    const [v] = decodeAll(new GobEncoder().encode(Odd, {}));
    assert.deepEqual(v, {});
    const odd: Record<string, unknown> = {};
    Object.defineProperty(odd, '__proto__', { value: 5, enumerable: true });
    odd['constructor'] = 'c';
    const [w] = decodeAll(new GobEncoder().encode(Odd, odd)) as Array<Record<string, unknown>>;
    assert.equal(Object.getPrototypeOf(w), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(w, '__proto__')?.value, 5);
    assert.equal(w!.constructor, 'c');
  });

  it('round-trips raw marshaler bytes it has no codec for', () => {
    const url = { kind: 'marshaler', wire: 'binary', name: 'URL', marshal: (v: unknown) => Buffer.from(String(v)), unmarshal: (b: Uint8Array) => b, isZero: () => false } as const;
    const [v] = decodeAll(new GobEncoder().encode(struct('R', () => [['U', url]]), { U: 'http://x' }));
    const raw = (v as { U: MarshaledValue }).U;
    assert.ok(raw instanceof MarshaledValue);
    assert.equal(Buffer.from(raw.bytes).toString(), 'http://x');
    const [again] = decodeAll(new GobEncoder().encode(struct('R', () => [['U', url]]), v));
    assert.deepEqual(again, v);
  });
});

describe('gob decoder: hostile input', () => {
  it('rejects oversized messages before buffering them', () => {
    const dec = new GobDecoder({ maxMessageSize: 1000 });
    dec.push(unhex('fe 10 00'));
    assert.throws(() => dec.next(), /message of 4096 bytes exceeds the limit of 1000/);
    // Failed for good.
    dec.push(unhex('03 02 00 01'));
    assert.throws(() => dec.next(), /exceeds the limit/);
  });

  it('rejects counts larger than the bytes left, bad ids, duplicate types and deep nesting', () => {
    const fail = (h: string, re: RegExp, options = {}): void => {
      const dec = new GobDecoder(options);
      dec.push(unhex(h));
      assert.throws(() => { while (dec.next()); }, (e: unknown) => e instanceof GobError && re.test(e.message));
    };
    fail('05 0a 00 fe 01 00', /byte slice count 256 exceeds the 0 bytes left/);
    fail('03 ff 90 00', /unknown type id 72/);
    fail('02 7d 00', /duplicate type received/); // a definition of id 63
    fail('0a ff 83 03 01 02 ff 84 00 00 00' + '0a ff 83 03 01 02 ff 84 00 00 00', /duplicate type received/);
    fail('02 0c 05', /non-zero delta for singleton/);
    fail('04 0c 00 f0 ff', /invalid uint length byte 0xf0/);
    fail('00', /empty message/);
    // type 65 = []65 (a slice of itself), value nested 20 deep.
    fail('0d ff 81 02 01 02 ff 82 00 01 ff 82 00 00' + '18 ff 82 00' + '01'.repeat(20) + '00', /nested deeper than 10/, { maxDepth: 10 });
  });

  it('decodes deep but legal nesting, refuses deeper, and survives a cyclic value on encode', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 450; i++) deep = [deep]; // each level is an interface and a slice: depth 900
    const nested = new GobEncoder().encode(iface, deep);
    assert.deepEqual(decodeAll(nested), [deep]);
    const strict = new GobDecoder({ maxDepth: 100 });
    strict.push(nested);
    assert.throws(() => strict.next(), /nested deeper than 100/);
    const Node = struct('Node', () => [['Next', ptr(Node)]]);
    const cyclic: Record<string, unknown> = {};
    cyclic.Next = cyclic;
    const enc = new GobEncoder();
    assert.throws(() => enc.encode(Node, cyclic), GobError);
    assert.deepEqual(decodeAll(enc.encode(Node, { Next: {} })), [{ Next: {} }]);
  });

  it('does not keep the caller\'s chunk once next() has returned', () => {
    const data = Buffer.from(new GobEncoder().encode(sliceOf(string), ['abc', 'def']));
    const reused = Buffer.alloc(data.length);
    const dec = new GobDecoder();
    data.copy(reused, 0, 0, data.length - 2);
    dec.push(reused.subarray(0, data.length - 2));
    assert.equal(dec.next(), undefined);
    reused.fill(0xee); // the transport reuses its buffer
    dec.push(data.subarray(data.length - 2));
    assert.deepEqual(dec.next(), { value: ['abc', 'def'] });
  });

  it('a value split over messages is decoded again only once the message it stopped at is complete', () => {
    // Go's split (see goldenSplit), built by hand so the first message can be big: the value message
    // ends with an interface's name, the concrete type's definition follows as its own message, and
    // the value continues in a third message.
    const Item = struct('Item', () => [['N', int]]);
    const Ret = struct('Ret', () => [['When', timeType], ['Big', bytes], ['A', iface]]);
    const enc = new GobEncoder();
    const out = Buffer.from(enc.encode(Ret, { When: GoTime.fromDate(new Date(0)), Big: new Uint8Array(1 << 20), A: interfaceValue('main.Item', Item, { N: 5 }) }));
    const frame = (payload: Buffer): Buffer => Buffer.concat([unhex(payload.length < 0x80 ? payload.length.toString(16).padStart(2, '0') : `fc${payload.length.toString(16).padStart(8, '0')}`), payload]);
    const messages: Buffer[] = [];
    for (let p = 0; p < out.length;) {
      const b = out[p]!;
      const n = b < 0x80 ? 0 : 256 - b;
      let len = b < 0x80 ? b : 0;
      for (let i = 1; i <= n; i++) len = len * 256 + out[p + i]!;
      messages.push(out.subarray(p + 1 + n, p + 1 + n + len));
      p += 1 + n + len;
    }
    // Our encoder sends the Item definition (met inside the value) first, then Ret's definitions,
    // then the value; split the value after the interface's name.
    const itemDef = messages[0]!;
    const retDefs = Buffer.concat(messages.slice(1, -1).map((m) => frame(m)));
    const value = messages.at(-1)!;
    const cut = value.indexOf(Buffer.from('\x09main.Item')) + 10;
    const stream = Buffer.concat([retDefs, frame(value.subarray(0, cut)), frame(itemDef), frame(value.subarray(cut))]);
    let attempts = 0;
    const countingTime = { ...timeType, unmarshal: (b: Uint8Array) => (attempts++, timeType.unmarshal(b)) };
    const dec = new GobDecoder({ marshalers: new Map([['Time', countingTime]]) });
    const firstTwo = retDefs.length + frame(value.subarray(0, cut)).length;
    dec.push(stream.subarray(0, firstTwo));
    let got: { value: unknown } | undefined;
    for (let p = firstTwo; p < stream.length; p++) {
      dec.push(stream.subarray(p, p + 1)); // the rest arrives a byte at a time
      got ??= dec.next();
    }
    assert.ok(got);
    assert.deepEqual(((got.value as Record<string, unknown>).A as InterfaceValue).value, { N: 5 });
    // Once per message that completes (and once more when a message's length byte is all there
    // was), not once per byte received.
    assert.ok(attempts <= 4, `${attempts} decode attempts`);
  });

  it('waits for more bytes without consuming anything', () => {
    const dec = new GobDecoder();
    const data = unhex(goldenSplitMany);
    dec.push(data.subarray(0, data.length - 1));
    assert.equal(dec.next(), undefined);
    assert.equal(dec.next(), undefined);
    dec.push(data.subarray(data.length - 1));
    assert.ok(dec.next());
    assert.equal(dec.next(), undefined);
  });
});

describe('GoTime', () => {
  it('converts exactly and marshals like Go (v1 and v2)', () => {
    const t = GoTime.fromDate(new Date('2026-03-04T05:06:07.089Z'), 123);
    assert.equal(t.toDate().toISOString(), '2026-03-04T05:06:07.089Z');
    assert.equal(t.nanos, 89_000_123);
    assert.deepEqual(GoTime.unmarshalBinary(t.marshalBinary()), t);
    const odd = new GoTime(t.seconds, 5, 3630);
    assert.equal(odd.marshalBinary().length, 16);
    assert.deepEqual(GoTime.unmarshalBinary(odd.marshalBinary()), odd);
    assert.ok(GoTime.zero.isZero());
    assert.throws(() => GoTime.unmarshalBinary(new Uint8Array([3])), /unsupported version/);
  });
});
