/**
 * Descriptions of Go types, as the gob encoder needs them.
 *
 * Gob is self-describing on decode, so decoding needs no description. Encoding does: the Go
 * receiver checks kinds strictly (int vs uint, []byte vs string, interface fields), so every value
 * we send is driven by a description that mirrors the Go declaration exactly.
 *
 * JS representation of Go values (both directions):
 *   bool → boolean; int*, uint* → number (bigint accepted on encode; decoded as bigint only when
 *   outside Number's safe range); float* → number; complex → {real, imag}; string → string;
 *   []byte → Uint8Array; slices/arrays → arrays; map[string]T → plain object; other maps → Map;
 *   struct → plain object keyed by Go field name (missing/undefined = zero value);
 *   pointer → the pointee or null/undefined for nil; interface → see `interfaceValue` below;
 *   GobEncoder/BinaryMarshaler/TextMarshaler → whatever the description's codec maps bytes to.
 */

export type GoType =
  | BoolType
  | IntType
  | UintType
  | FloatType
  | ComplexType
  | StringType
  | BytesType
  | SliceType
  | ArrayType
  | MapType
  | StructType
  | PointerType
  | InterfaceType
  | MarshalerType;

export interface BoolType { readonly kind: 'bool' }
export interface IntType { readonly kind: 'int'; readonly bits: 8 | 16 | 32 | 64 }
export interface UintType { readonly kind: 'uint'; readonly bits: 8 | 16 | 32 | 64 }
export interface FloatType { readonly kind: 'float'; readonly bits: 32 | 64 }
export interface ComplexType { readonly kind: 'complex'; readonly bits: 64 | 128 }
export interface StringType { readonly kind: 'string' }
/** []byte / []uint8: gob's predefined type id 5, not a slice of uint. */
export interface BytesType { readonly kind: 'bytes' }
export interface SliceType { readonly kind: 'slice'; readonly elem: GoType; readonly name?: string }
export interface ArrayType { readonly kind: 'array'; readonly elem: GoType; readonly len: number; readonly name?: string }
export interface MapType { readonly kind: 'map'; readonly key: GoType; readonly elem: GoType; readonly name?: string }
export interface StructField { readonly name: string; readonly type: GoType }
export interface StructType {
  readonly kind: 'struct';
  /** Go's type name; cosmetic on the wire, but used in type definitions like Go does. */
  readonly name: string;
  /** A thunk so that recursive and mutually recursive types can be described. */
  readonly fields: () => readonly StructField[];
}
/** Gob flattens pointers: `*T` travels as T; nil (null/undefined in JS) is simply omitted. */
export interface PointerType { readonly kind: 'pointer'; readonly elem: GoType }
export interface InterfaceType { readonly kind: 'interface' }
/** A type with its own wire bytes: time.Time (GobEncoder), *url.URL (BinaryMarshaler), ... */
export interface MarshalerType {
  readonly kind: 'marshaler';
  readonly wire: 'gob' | 'binary' | 'text';
  readonly name: string;
  readonly marshal: (value: unknown) => Uint8Array;
  readonly unmarshal: (bytes: Uint8Array) => unknown;
  /** Zero values are omitted from structs, as Go does (e.g. the zero time.Time). */
  readonly isZero: (value: unknown) => boolean;
}

export const bool: BoolType = { kind: 'bool' };
export const int: IntType = { kind: 'int', bits: 64 };
export const int8: IntType = { kind: 'int', bits: 8 };
export const int16: IntType = { kind: 'int', bits: 16 };
export const int32: IntType = { kind: 'int', bits: 32 };
export const int64: IntType = { kind: 'int', bits: 64 };
export const uint: UintType = { kind: 'uint', bits: 64 };
export const uint8: UintType = { kind: 'uint', bits: 8 };
export const uint16: UintType = { kind: 'uint', bits: 16 };
export const uint32: UintType = { kind: 'uint', bits: 32 };
export const uint64: UintType = { kind: 'uint', bits: 64 };
export const float32: FloatType = { kind: 'float', bits: 32 };
export const float64: FloatType = { kind: 'float', bits: 64 };
export const complex128: ComplexType = { kind: 'complex', bits: 128 };
export const string: StringType = { kind: 'string' };
export const bytes: BytesType = { kind: 'bytes' };
export const iface: InterfaceType = { kind: 'interface' };

export const sliceOf = (elem: GoType, name?: string): SliceType => ({ kind: 'slice', elem, name });
export const arrayOf = (elem: GoType, len: number, name?: string): ArrayType => ({ kind: 'array', elem, len, name });
export const mapOf = (key: GoType, elem: GoType, name?: string): MapType => ({ kind: 'map', key, elem, name });
export const ptr = (elem: GoType): PointerType => ({ kind: 'pointer', elem });

/** `struct('Post', () => [['Id', string], ['CreateAt', int64], ...])` */
export function struct(name: string, fields: () => ReadonlyArray<readonly [string, GoType]>): StructType {
  let cached: readonly StructField[] | undefined;
  return {
    kind: 'struct',
    name,
    fields: () => (cached ??= fields().map(([fieldName, type]) => ({ name: fieldName, type }))),
  };
}

/**
 * A value stored in a Go interface (`any`, `error`, `[]any` elements, `map[string]any` values)
 * with its registered gob name and concrete type. Plain JS values put in an interface slot are
 * inferred instead (see `inferInterfaceType` in the encoder): string → "string", boolean → "bool",
 * number → "float64" (JSON semantics, as Mattermost's props are), bigint → "int64",
 * Uint8Array → "[]uint8", array → "[]interface {}", plain object → "map[string]interface {}",
 * null/undefined → nil. The decoder returns plain JS values when that inference would give the
 * same Go type back, and an InterfaceValue otherwise, so decode → encode is exact.
 */
export class InterfaceValue {
  constructor(
    readonly name: string,
    readonly type: GoType,
    readonly value: unknown,
  ) {}
}

export const interfaceValue = (name: string, type: GoType, value: unknown): InterfaceValue =>
  new InterfaceValue(name, type, value);
