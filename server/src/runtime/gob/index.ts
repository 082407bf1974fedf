/**
 * Go's encoding/gob, spoken from TypeScript.
 *
 * Wire format (what Go's doc.go specifies, and how this codec maps it):
 *
 * Primitives
 *   uint     < 0x80 → one byte; else one byte holding −(byte count) then the big-endian bytes
 *            (minimal, 1–8). Decoded as a number below 2^53, else a bigint.
 *   int      zig-zag: u = i < 0 ? (~i << 1) | 1 : i << 1, sent as uint. Same JS mapping.
 *   bool     uint 0/1 (any non-zero decodes as true, as in Go).
 *   float    IEEE-754 float64 bits, byte-reversed, sent as uint (so small exponents stay short);
 *            float32 travels as float64 (we encode Math.fround(v), range-checked like Go's decoder).
 *   complex  two floats. JS: { real, imag }.
 *   string, []byte  uint length + bytes. Strings are decoded as UTF-8 (Go does not validate them:
 *            invalid sequences become U+FFFD here); []byte ↔ Uint8Array.
 *
 * Messages
 *   A stream is a sequence of messages, each `uint(length) payload`. A payload starts with an int
 *   type id: negative → the definition of type −id follows (a wireType struct value); otherwise a
 *   value of that type follows. Predefined ids: bool 1, int 2, uint 3, float 4, []byte 5,
 *   string 6, complex 7, interface 8 (9–63 reserved). Definitions use ids ≥ 64; a Go peer's ids
 *   are process-global (any number, not contiguous), ours start at 65 per encoder. Definitions
 *   may name ids defined in later messages, so the decoder resolves ids only when a value needs them.
 *
 * Type definitions (wireType, fields by index; a set field's delta says which kind)
 *   wireType { ArrayT, SliceT, StructT, MapT, GobEncoderT, BinaryMarshalerT, TextMarshalerT }
 *   CommonType { Name string; Id int } — both cosmetic: Go fills them inconsistently, only the
 *   message's own id counts. arrayType { CommonType; Elem id; Len int }, sliceType { CommonType;
 *   Elem id }, structType { CommonType; Field []{Name string; Id int} }, mapType { CommonType;
 *   Key id; Elem id }, gobEncoderType { CommonType }.
 *   Our encoder assigns ids like Go (a struct before its fields, a slice/array/map after its
 *   elements) and sends a type's definition before those of its parts, each as its own message,
 *   before the value message that needs them — so fresh streams reproduce Go's bytes.
 *
 * Values
 *   Top-level struct: (uint field delta, value)* then 0; deltas count from −1 over the *wire*
 *   definition's fields. Anything else at top level is a singleton: delta 0, then the value.
 *   Struct fields that are zero are omitted exactly as Go omits them: false, 0, "", empty []byte,
 *   empty or nil slices, nil maps, nil pointers, nil interfaces, zero marshalers (time.Time{}).
 *   Sent anyway: non-nil empty maps (count 0), arrays, nested non-pointer structs (even all-zero),
 *   pointers to structs. Slice, array and map elements are always sent (nil interface = name "").
 *   Pointers are flattened: *T travels as T; a pointer to a zero value is omitted like the value.
 *   slice/array: uint count + elements; map: uint count + (key, value)*; nested struct: fields + 0.
 *   Marshalers (time.Time, *url.URL, ...): uint length + the bytes of their Marshal method. Go
 *   uses GobEncode, else MarshalBinary, and never MarshalText (type.go, golang.org/issue/6760):
 *   TextMarshalerT is accepted on decode but a Go peer never sends it.
 *   Interface: uint length + registered name ("" = nil), the concrete type id (definitions for it
 *   may come first, see below), uint byte count, then the concrete value as at top level.
 *
 * The interface split
 *   When Go meets a concrete type it has not sent yet inside an interface, it flushes the message
 *   built so far together with that definition, sends further definitions as their own messages,
 *   and continues the value in a new message that begins with the concrete type id. The decoder
 *   ports Go's decodeTypeSequence: only an interface may pull in the next message, and a count
 *   left behind a definition in the same message is skipped. Our encoder never splits: it sends
 *   every definition, interface types included, as messages before the value message.
 *
 * JS representation: see types.ts. Decoded structs are plain objects holding every field that was
 * sent (unknown fields included, absent = zero), maps with string keys are plain objects and other
 * maps are Maps, interface values are plain JS when inferInterfaceType maps them back to the same
 * Go type and InterfaceValue otherwise, and marshaler values without a registered codec are
 * MarshaledValue (raw bytes), so decode → encode reproduces what the peer sent.
 *
 * Implementation: one growable ByteWriter per encoder (messages assembled in place, length
 * prefixes filled in afterwards, output handed out as views of a slab that is never rewritten);
 * MessageReader reads bounds-checked primitives from one message; per-type codecs are compiled
 * once (encode_plan.ts for descriptions, cached per process; compile.ts generates struct code with
 * constant property names; decoders per wire id, per stream). encodePair() gives a net/rpc header
 * and body as one buffer, all or nothing.
 *
 * Limits (decoder): message size (default 64 MiB; Go's is 8 GiB on 64-bit; net/rpc streams use
 * 1 GiB), nesting depth (1000), type definitions per stream (100 000), interface names ≤ 1024
 * bytes; counts are checked against the bytes left in the message before anything is allocated.
 * Any violation is a GobError and the decoder stays failed.
 */
export * from './types';
export { GobError } from './errors';
export { GobEncoder, inferInterfaceType } from './encoder';
export { GobDecoder, type GobDecoderOptions } from './decoder';
export { GoTime, timeType, urlType, defaultMarshalers } from './marshalers';
export { MarshaledValue, type Complex } from './values';
export { goTypeName } from './typekeys';
