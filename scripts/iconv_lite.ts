/**
 * Stands in for `iconv-lite` in the server bundle (scripts/build-server.mjs aliases it): express's
 * body-parser and raw-body use only encodingExists, decode and getDecoder, and Node's TextDecoder
 * (full ICU) decodes every WHATWG encoding. iconv-lite's own tables were 480 KiB of a 1.8 MiB
 * bundle, parsed, held and code-cached in every plugin process (README design notes). Differences
 * left: an encoding WHATWG does not know (UTF-7, UTF-32) is refused — for our JSON bodies (which
 * body-parser takes in utf-* charsets only) that means a UTF-32 body gets 415 "unsupported
 * charset" instead of being read — and `latin1` means windows-1252, as in browsers.
 */
import { TextDecoder } from 'node:util';

/** iconv-lite's error for an unknown encoding: raw-body matches its message to answer 415. */
function decoderFor(encoding: string): TextDecoder {
  try {
    return new TextDecoder(encoding);
  } catch {
    throw new Error(`Encoding not recognized: '${encoding}'`);
  }
}

export function encodingExists(encoding: string): boolean {
  try {
    decoderFor(encoding);
    return true;
  } catch {
    return false;
  }
}

/** The whole body as text; a leading BOM is dropped (as iconv-lite does). */
export function decode(buffer: Uint8Array, encoding: string): string {
  return decoderFor(encoding).decode(buffer);
}

/** A streaming decoder: a character split across chunks comes out whole. */
export function getDecoder(encoding: string): { write(chunk: Uint8Array): string; end(): string } {
  const decoder = decoderFor(encoding);
  return {
    write: (chunk) => decoder.decode(chunk, { stream: true }),
    end: () => decoder.decode(),
  };
}
