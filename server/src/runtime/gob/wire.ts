/**
 * gob's type descriptions as they travel: a type definition is a struct value of Go's `wireType`
 * (fields by index, see index.ts), preceded by the negated id it defines.
 */
import { GobError } from './errors';
import type { MessageReader } from './reader';
import type { ByteWriter } from './writer';

/** Predefined type ids (encoding/gob type.go). */
export const TypeId = {
  Bool: 1,
  Int: 2,
  Uint: 3,
  Float: 4,
  Bytes: 5,
  String: 6,
  Complex: 7,
  Interface: 8,
} as const;

/** Go's decoder rejects definitions below this id. */
export const FIRST_USER_ID = 64;
/** Ids our encoders hand out start here, as the brief for this codec fixes. */
export const FIRST_OWN_ID = 65;

export interface WireField {
  readonly name: string;
  readonly id: number;
}

export type MarshalerWire = 'gob' | 'binary' | 'text';

export type WireType =
  | { readonly kind: 'array'; readonly name: string; readonly elem: number; readonly len: number }
  | { readonly kind: 'slice'; readonly name: string; readonly elem: number }
  | { readonly kind: 'struct'; readonly name: string; readonly fields: readonly WireField[] }
  | { readonly kind: 'map'; readonly name: string; readonly key: number; readonly elem: number }
  | { readonly kind: MarshalerWire; readonly name: string };

// Field numbers of wireType: ArrayT, SliceT, StructT, MapT, GobEncoderT, BinaryMarshalerT, TextMarshalerT.
const WIRE_FIELD: Record<WireType['kind'], number> = {
  array: 0, slice: 1, struct: 2, map: 3, gob: 4, binary: 5, text: 6,
};
const WIRE_KIND: readonly WireType['kind'][] = ['array', 'slice', 'struct', 'map', 'gob', 'binary', 'text'];

/** Writes the wireType struct value (not the id or the message framing). */
export function writeWireType(w: ByteWriter, t: WireType, id: number): void {
  w.uint(WIRE_FIELD[t.kind] + 1);
  // CommonType is field 0 of every xxxType.
  w.uint(1);
  if (t.name !== '') {
    w.uint(1);
    w.string(t.name);
    w.uint(1);
  } else {
    w.uint(2);
  }
  w.int(id);
  w.uint(0);
  switch (t.kind) {
    case 'array':
      w.uint(1); w.int(t.elem);
      if (t.len !== 0) { w.uint(1); w.int(t.len); }
      break;
    case 'slice':
      w.uint(1); w.int(t.elem);
      break;
    case 'map':
      w.uint(1); w.int(t.key);
      w.uint(1); w.int(t.elem);
      break;
    case 'struct':
      if (t.fields.length > 0) {
        w.uint(1);
        w.uint(t.fields.length);
        for (const f of t.fields) {
          if (f.name !== '') { w.uint(1); w.string(f.name); w.uint(1); } else { w.uint(2); }
          w.int(f.id);
          w.uint(0);
        }
      }
      break;
    default:
      break;
  }
  w.uint(0); // end of xxxType
  w.uint(0); // end of wireType
}

/**
 * Reads fields of a small fixed struct: calls `field(index)` for each present field, in order.
 * Indexes past `count` are an error: the definition structs never grow.
 */
function readStruct(r: MessageReader, count: number, what: string, field: (index: number) => void): void {
  let index = -1;
  for (;;) {
    const delta = r.uint();
    if (delta === 0) return;
    index += delta;
    if (index >= count) throw new GobError(`gob: bad field number ${index} in ${what}`);
    field(index);
  }
}

function readId(r: MessageReader): number {
  const id = r.int();
  if (id < 0) throw new GobError(`gob: negative type id ${id} in a type definition`);
  return id;
}

/** Reads one wireType value (the part after the negated id). */
export function readWireType(r: MessageReader): WireType {
  let result: WireType | undefined;
  readStruct(r, 7, 'wireType', (which) => {
    if (result) throw new GobError('gob: type definition sets more than one kind');
    const kind = WIRE_KIND[which]!;
    let name = '';
    let elem = 0;
    let key = 0;
    let len = 0;
    const fields: WireField[] = [];
    const common = (): void =>
      readStruct(r, 2, 'CommonType', (i) => {
        if (i === 0) name = r.string();
        else r.int(); // CommonType.Id is cosmetic (Go sends inconsistent values); the message's id counts.
      });
    switch (kind) {
      case 'array':
        readStruct(r, 3, 'arrayType', (i) => {
          if (i === 0) common();
          else if (i === 1) elem = readId(r);
          else {
            len = r.int();
            if (len < 0) throw new GobError(`gob: negative array length ${len}`);
          }
        });
        result = { kind, name, elem, len };
        break;
      case 'slice':
        readStruct(r, 2, 'sliceType', (i) => (i === 0 ? common() : (elem = readId(r))));
        result = { kind, name, elem };
        break;
      case 'map':
        readStruct(r, 3, 'mapType', (i) => {
          if (i === 0) common();
          else if (i === 1) key = readId(r);
          else elem = readId(r);
        });
        result = { kind, name, key, elem };
        break;
      case 'struct':
        readStruct(r, 2, 'structType', (i) => {
          if (i === 0) return common();
          const n = r.count('struct field');
          for (let f = 0; f < n; f++) {
            let fieldName = '';
            let id = 0;
            readStruct(r, 2, 'fieldType', (j) => {
              if (j === 0) fieldName = r.string();
              else id = readId(r);
            });
            fields.push({ name: fieldName, id });
          }
        });
        result = { kind, name, fields };
        break;
      default:
        readStruct(r, 1, 'gobEncoderType', () => common());
        result = { kind, name };
    }
  });
  if (!result) throw new GobError('gob: empty type definition');
  return result;
}
