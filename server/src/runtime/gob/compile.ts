/**
 * Generated struct codecs. A struct's fields are known once its description (encoder) or wire
 * definition (decoder) is, so we generate a function per struct type whose property accesses use
 * constant names: V8 then uses inline caches instead of generic keyed lookups (several times
 * faster on wide structs). Field names reach the generated source only as JSON string literals,
 * so a peer-chosen name cannot inject code; `__proto__` is always set as an own property.
 */
import { GobError } from './errors';
import type { MessageReader } from './reader';
import { setKey } from './values';
import type { WireField } from './wire';

type Decode = (depth: number) => unknown;

/** Reads for the predefined ids that need no call (the rest go through a per-field decoder). */
const INLINE: Record<number, string> = {
  1: 'r.bool()', 2: 'r.intValue()', 3: 'r.uintValue()', 4: 'r.float()', 5: 'r.bytes()', 6: 'r.string()',
};

export function compileStruct(
  name: string,
  fields: readonly WireField[],
  r: MessageReader,
  decoderFor: (id: number) => Decode,
  maxDepth: number,
): Decode {
  const decoders: Decode[] = fields.map((f) => (INLINE[f.id] !== undefined ? noDecoder : decoderFor(f.id)));
  const cases = fields.map((f, i) => {
    const read = INLINE[f.id] ?? `fd[${i}](depth + 1)`;
    const key = JSON.stringify(f.name);
    const store = f.name === '__proto__' ? `setKey(o, ${key}, ${read});` : `o[${key}] = ${read};`;
    return `case ${i}: ${store} break;`;
  });
  const source = `
    return function decodeStruct(depth) {
      if (depth >= maxDepth) throw new GobError('gob: values nested deeper than ' + maxDepth);
      var o = {}, f = -1, d;
      for (;;) {
        d = r.uint();
        if (d === 0) return o;
        f += d;
        switch (f) {
          ${cases.join('\n          ')}
          default: throw new GobError('gob: field number ' + f + ' out of range for ' + (name || 'struct'));
        }
      }
    };`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated codec; names enter only as JSON literals (header)
  const make = new Function('r', 'fd', 'setKey', 'GobError', 'maxDepth', 'name', source) as (
    r: MessageReader, fd: Decode[], set: typeof setKey, err: typeof GobError, max: number, n: string,
  ) => Decode;
  return make(r, decoders, setKey, GobError, maxDepth, name);
}

const noDecoder: Decode = () => undefined;
