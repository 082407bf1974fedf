/** The TS mirror of corpus.go: for each case, the description of the Go type and the value. */
import {
  GoTime, InterfaceValue, MarshaledValue, arrayOf, bool, bytes, complex128, float32, float64, iface, int, int64,
  interfaceValue, mapOf, ptr, sliceOf, string, struct, timeType, uint32, uint64, uint8, urlType,
  type GoType, type MarshalerType,
} from '../index';

export interface Case {
  readonly name: string;
  readonly type: GoType;
  /** What TS encodes, and (unless `decoded` is given) what decoding Go's encoding must give. */
  readonly value: unknown;
  readonly decoded?: unknown;
}

const complex64: GoType = { kind: 'complex', bits: 64 };
const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

/** Celsius (a BinaryMarshaler in corpus.go): registered with the test's decoder by its wire name. */
export const celsiusType: MarshalerType = {
  kind: 'marshaler',
  wire: 'binary',
  name: 'Celsius',
  marshal: (v) => utf8(`${v as number}C`),
  unmarshal: (b) => {
    const s = Buffer.from(b).toString('utf8');
    if (!s.endsWith('C')) throw new Error(`bad celsius ${s}`);
    return Number(s.slice(0, -1));
  },
  isZero: (v) => v === 0,
};

const User = struct('User', () => [
  ['Id', string], ['Username', string], ['Roles', string], ['IsBot', bool], ['CreateAt', int64],
  ['Props', mapOf(string, string)], ['NotifyProps', mapOf(string, string)],
]);
const PostEmbed = struct('PostEmbed', () => [['Type', string], ['URL', string], ['Data', iface]]);
const PostPriority = struct('PostPriority', () => [['Priority', ptr(string)], ['RequestedAck', ptr(bool)]]);
const PostMetadata = struct('PostMetadata', () => [['Embeds', sliceOf(ptr(PostEmbed))], ['Priority', ptr(PostPriority)]]);
const Post = struct('Post', () => [
  ['Id', string], ['CreateAt', int64], ['UpdateAt', int64], ['EditAt', int64], ['DeleteAt', int64],
  ['IsPinned', bool], ['UserId', string], ['ChannelId', string], ['RootId', string], ['Message', string],
  ['Type', string], ['Props', mapOf(string, iface)], ['Hashtags', string], ['FileIds', sliceOf(string)],
  ['HasReactions', bool], ['RemoteId', ptr(string)], ['ReplyCount', int64], ['Participants', sliceOf(ptr(User))],
  ['IsFollowing', ptr(bool)], ['Metadata', ptr(PostMetadata)],
]);
const Times = struct('Times', () => [
  ['UTC', timeType], ['Fixed', timeType], ['Secs', timeType], ['Neg', timeType], ['Zero', timeType],
  ['Ptr', ptr(timeType)], ['First', timeType],
]);
const header = mapOf(string, sliceOf(string));
const HTTPRequestSubset = struct('HTTPRequestSubset', () => [
  ['Method', string], ['URL', urlType], ['Proto', string], ['ProtoMajor', int], ['ProtoMinor', int],
  ['Header', header], ['Host', string], ['RemoteAddr', string], ['RequestURI', string],
  ['ContentLength', int64], ['Form', header],
]);
const Node: GoType = struct('Node', () => [
  ['Name', string], ['Children', sliceOf(ptr(Node))], ['Next', ptr(Node)], ['Index', mapOf(string, ptr(Node))],
]);
const Limits = struct('Limits', () => [
  ['I64Max', int64], ['I64Min', int64], ['U64Max', uint64], ['I8Min', { kind: 'int', bits: 8 }],
  ['I8Max', { kind: 'int', bits: 8 }], ['U8Max', uint8], ['I16Min', { kind: 'int', bits: 16 }],
  ['U16Max', { kind: 'uint', bits: 16 }], ['I32Min', { kind: 'int', bits: 32 }], ['U32Max', uint32],
  ['IntMin', int], ['Neg1', int], ['Big53', int64], ['Uptr', uint64],
]);
const Floats = struct('Floats', () => [
  ['NaN', float64], ['PInf', float64], ['NInf', float64], ['Tiny', float64], ['Max', float64],
  ['F32', float32], ['F32Max', float32], ['Neg', float64], ['C', complex128], ['C64', complex64],
]);
const Point = struct('Point', () => [['X', int], ['Y', int]]);
const Maps = struct('Maps', () => [
  ['Nil', mapOf(string, int)], ['Empty', mapOf(string, int)], ['Ints', mapOf(int, string)],
  ['Structs', mapOf(string, Point)], ['Arr', arrayOf(uint8, 4)], ['Points', arrayOf(Point, 2)],
  ['NilSlice', sliceOf(int)], ['Bools', mapOf(bool, bool)], ['Bytes', bytes],
]);
const AppError = struct('AppError', () => [
  ['Id', string], ['Message', string], ['DetailedError', string], ['StatusCode', int], ['Where', string],
]);
const Returns = struct('Returns', () => [['A', iface], ['B', string]]);
const Ifaces = struct('Ifaces', () => [['List', sliceOf(iface)], ['One', iface], ['Nil', iface], ['Map', mapOf(string, iface)]]);
const Text = struct('Text', () => [['T', celsiusType], ['P', ptr(celsiusType)]]);
const Inner = struct('Inner', () => [['A', int], ['B', string]]);
const Outer = struct('Outer', () => [['In', Inner], ['Ptr', ptr(Inner)], ['N', int]]);
const emptyStruct = struct('', () => []);

const ms = (y: number, mo: number, d: number, h: number, mi: number, s: number): bigint =>
  BigInt(Date.UTC(y, mo - 1, d, h, mi, s)) * 1_000_000n;
const t1 = GoTime.fromUnixNanos(ms(2026, 1, 2, 3, 4, 5) + 6n);
const requestURL = 'https://u:p@example.com:8065/plugins/infra-ops/api/v1?q=1&r=%20#frag';

export const cases: readonly Case[] = [
  {
    name: 'post',
    type: Post,
    value: {
      Id: 'p1', CreateAt: 1700000000123, UpdateAt: 1700000000999, IsPinned: true, UserId: 'u1', ChannelId: 'c1',
      Message: 'hello 🌍 wörld', Type: 'custom_infra_incident',
      Props: {
        s: 'str', n: 42.5, i: 7, b: true, f: false,
        nested: { k: 'v', arr: ['a', 1, { deep: true }] },
        list: ['x', null, -0.5],
        empty: {},
      },
      FileIds: ['f1', 'f2'], ReplyCount: 3,
      Participants: [
        { Id: 'u1', Username: 'alice', Props: {} },
        { Id: 'u2', Username: 'bob', IsBot: true, NotifyProps: { email: 'true' } },
      ],
      IsFollowing: true,
      Metadata: {
        Embeds: [{ Type: 'opengraph', URL: 'http://x' }, { Type: 'permalink', Data: { post_id: 'p0' } }],
        Priority: { Priority: 'urgent', RequestedAck: true },
      },
    },
  },
  {
    name: 'posts',
    type: sliceOf(ptr(Post)),
    value: [{ Id: 'a', Message: 'm1' }, { Id: 'b', CreateAt: -1, Props: { x: 'y' } }],
  },
  {
    name: 'times',
    type: Times,
    value: {
      UTC: t1,
      Fixed: GoTime.fromUnixNanos(ms(2026, 6, 1, 6, 30, 0) + 999_999_999n, 5 * 3600 + 30 * 60),
      Secs: GoTime.fromUnixNanos(ms(1900, 6, 1, 10, 59, 30), 3630),
      Neg: GoTime.fromUnixNanos(-999_999_999n),
      Ptr: t1,
      First: new GoTime(0n, 1, null),
    },
  },
  {
    name: 'headers',
    type: header,
    value: { 'Content-Type': ['text/plain; charset=utf-8'], 'X-Multi': ['a', 'b', ''], Empty: [] },
  },
  {
    name: 'request',
    type: HTTPRequestSubset,
    value: {
      Method: 'POST', URL: requestURL, Proto: 'HTTP/1.1', ProtoMajor: 1, ProtoMinor: 1,
      Header: { 'Mattermost-User-Id': ['u1'], Accept: ['application/json', '*/*'] },
      Host: 'example.com:8065', RemoteAddr: '127.0.0.1:5555', RequestURI: '/plugins/infra-ops/api/v1?q=1',
      ContentLength: 12, Form: {},
    },
  },
  {
    name: 'tree',
    type: Node,
    value: {
      Name: 'root',
      Children: [{ Name: 'a', Children: [{ Name: 'a1' }] }, { Name: 'b', Next: { Name: 'n', Next: { Name: 'nn' } } }],
      Index: { x: { Name: 'x', Index: {} } },
    },
  },
  {
    name: 'limits',
    type: Limits,
    value: {
      I64Max: 9223372036854775807n, I64Min: -9223372036854775808n, U64Max: 18446744073709551615n,
      I8Min: -128, I8Max: 127, U8Max: 255, I16Min: -32768, U16Max: 65535, I32Min: -2147483648,
      U32Max: 4294967295, IntMin: -9223372036854775808n, Neg1: -1, Big53: 9007199254740993n, Uptr: 12345,
    },
  },
  {
    name: 'floats',
    type: Floats,
    value: {
      NaN: NaN, PInf: Infinity, NInf: -Infinity, Tiny: 5e-324, Max: Number.MAX_VALUE, F32: Math.fround(1.1),
      F32Max: 3.4028234663852886e38, Neg: -2.5, C: { real: 1.5, imag: -2 }, C64: { real: 0.5, imag: 3 },
    },
  },
  {
    name: 'maps',
    type: Maps,
    value: {
      Empty: {}, Ints: new Map<number, string>([[1, 'a'], [-2, 'b'], [0, '']]),
      Structs: { o: {}, p: { X: 1, Y: -2 } }, Arr: [1, 2, 3, 250], Points: [{ X: 1, Y: 2 }, {}],
      Bools: new Map([[true, false]]),
    },
  },
  {
    name: 'apperror',
    type: Returns,
    value: {
      A: interfaceValue('*model.AppError', ptr(AppError), { Id: 'x.y', Message: 'boom', StatusCode: 1000, Where: 'OnActivate' }),
      B: 'after',
    },
  },
  {
    name: 'ifaces',
    type: Ifaces,
    value: {
      List: [
        'k', 1.5, true, -3n, interfaceValue('uint8', uint8, 7), utf8('b'), null, { z: 0 }, [], t1,
        interfaceValue('int', int, 5), interfaceValue('main.Point', Point, { X: 3 }),
        interfaceValue('complex128', complex128, { real: 1, imag: 2 }),
        interfaceValue('[]string', sliceOf(string), ['s']),
        interfaceValue('uint64', uint64, 18446744073709551615n),
      ],
      One: interfaceValue('uint32', uint32, 9),
      Map: { err: interfaceValue('*model.AppError', ptr(AppError), { Id: 'nested' }), n: 1 },
    },
  },
  { name: 'text', type: Text, value: { T: 21.5, P: -3.25 } },
  { name: 'outer', type: Outer, value: { In: {}, N: 1 } },
  { name: 's-int', type: int, value: -5 },
  { name: 's-uint64', type: uint64, value: 18446744073709551615n },
  { name: 's-string', type: string, value: 'hooks' },
  { name: 's-bytes', type: bytes, value: utf8('hi') },
  { name: 's-bool', type: bool, value: false },
  { name: 's-float', type: float64, value: 0 },
  { name: 's-strings', type: sliceOf(string), value: ['a', ''] },
  { name: 's-intmap', type: mapOf(int, string), value: new Map() },
  { name: 's-array', type: arrayOf(int, 3), value: [0, 0, 0] },
  { name: 's-complex', type: complex128, value: { real: 1, imag: 2 } },
  { name: 's-time', type: timeType, value: t1 },
  { name: 's-text', type: celsiusType, value: -40 },
  { name: 's-point', type: Point, value: {} },
  { name: 's-empty', type: emptyStruct, value: {} },
];

/** The decoded form of `request` (the URL arrives as raw BinaryMarshaler bytes). */
export const decodedOverrides: Readonly<Record<string, (value: Record<string, unknown>) => unknown>> = {
  request: (v) => ({ ...v, URL: new MarshaledValue('binary', '', utf8(requestURL)) }),
};

/** A comparable form: interface names kept, descriptions dropped, bytes as hex. */
export function comparable(v: unknown): unknown {
  if (v instanceof InterfaceValue) return { iface: v.name, value: comparable(v.value) };
  if (v instanceof MarshaledValue) return { marshaled: v.wire, hex: Buffer.from(v.bytes).toString('hex') };
  if (v instanceof GoTime) return { time: `${v.seconds}:${v.nanos}:${v.zoneOffset}` };
  if (v instanceof Uint8Array) return { bytes: Buffer.from(v).toString('hex') };
  if (Array.isArray(v)) return v.map(comparable);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [comparable(k), comparable(x)]));
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, comparable(x)]));
  }
  return v;
}
