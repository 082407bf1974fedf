// Small runtime decoders for what arrives from outside the bundle (REST bodies, websocket payloads,
// post props). A decoder either returns a typed value or throws DecodeError naming the path, so a
// malformed server answer becomes a clear message in the UI instead of a crash deep in a component.
// Hand-written rather than zod to keep the bundle small.

export class DecodeError extends Error {
  constructor(readonly path: string, expected: string, got: unknown) {
    super(`${path || 'value'}: expected ${expected}, got ${describe(got)}`);
    this.name = 'DecodeError';
  }
}

export type Decoder<T> = (value: unknown, path?: string) => T;
export type Decoded<D> = D extends Decoder<infer T> ? T : never;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return typeof v;
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const string: Decoder<string> = (v, path = '') => {
  if (typeof v !== 'string') throw new DecodeError(path, 'string', v);
  return v;
};

export const number: Decoder<number> = (v, path = '') => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new DecodeError(path, 'number', v);
  return v;
};

export const boolean: Decoder<boolean> = (v, path = '') => {
  if (typeof v !== 'boolean') throw new DecodeError(path, 'boolean', v);
  return v;
};

export function oneOf<const T extends readonly string[]>(...values: T): Decoder<T[number]> {
  return (v, path = '') => {
    if (typeof v !== 'string' || !values.includes(v)) throw new DecodeError(path, `one of ${values.join('|')}`, v);
    return v as T[number];
  };
}

export function nullable<T>(d: Decoder<T>): Decoder<T | null> {
  return (v, path = '') => (v === null || v === undefined ? null : d(v, path));
}

/** A field that may be missing; undefined and null both read as the fallback. */
export function withDefault<T>(d: Decoder<T>, fallback: T): Decoder<T> {
  return (v, path = '') => (v === null || v === undefined ? fallback : d(v, path));
}

export function array<T>(d: Decoder<T>): Decoder<T[]> {
  return (v, path = '') => {
    if (!Array.isArray(v)) throw new DecodeError(path, 'array', v);
    return v.map((item, i) => d(item, `${path}[${i}]`));
  };
}

export function record<T>(d: Decoder<T>): Decoder<Record<string, T>> {
  return (v, path = '') => {
    if (!isRecord(v)) throw new DecodeError(path, 'object', v);
    const out: Record<string, T> = {};
    for (const [k, item] of Object.entries(v)) out[k] = d(item, `${path}.${k}`);
    return out;
  };
}

/** Decodes the listed fields; unknown fields are dropped so newer servers stay compatible. */
export function object<S extends Record<string, Decoder<unknown>>>(shape: S): Decoder<{ [K in keyof S]: Decoded<S[K]> }> {
  return (v, path = '') => {
    if (!isRecord(v)) throw new DecodeError(path, 'object', v);
    const out: Record<string, unknown> = {};
    for (const [key, d] of Object.entries(shape)) out[key] = d(v[key], path ? `${path}.${key}` : key);
    return out as { [K in keyof S]: Decoded<S[K]> };
  };
}

/** Parses JSON text then decodes it; bad JSON is a DecodeError too. */
export function json<T>(d: Decoder<T>): Decoder<T> {
  return (v, path = '') => {
    const text = string(v, path);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new DecodeError(path, 'JSON text', v);
    }
    return d(parsed, path);
  };
}

/** Decodes then transforms, e.g. to add a derived key. */
export function map<T, U>(d: Decoder<T>, f: (value: T) => U): Decoder<U> {
  return (v, path = '') => f(d(v, path));
}

/** Decodes `{[field]: T}` and returns the T (for `{idea}`-style answers). */
export function field<T>(name: string, d: Decoder<T>): Decoder<T> {
  return (v, path = '') => {
    if (!isRecord(v)) throw new DecodeError(path, 'object', v);
    return d(v[name], path ? `${path}.${name}` : name);
  };
}
