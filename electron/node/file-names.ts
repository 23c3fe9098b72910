/**
 * File names as users see them. On Linux a name is bytes, and not every byte
 * string is UTF-8; Node turns such a name into one that no longer opens, so
 * the file would be reported as missing. These helpers notice such names and
 * show them with the bad bytes escaped (\xE9), and make any name safe to print
 * on one line of plain output.
 */

/** Whether a name read as bytes is valid UTF-8 (and so can be opened by its string form). */
export function isUtf8Name(name: Uint8Array): boolean {
  return Buffer.from(Buffer.from(name).toString('utf8'), 'utf8').equals(Buffer.from(name));
}

/** The name with each byte that is not part of valid UTF-8 shown as \xNN. */
export function showBytes(name: Uint8Array): string {
  const buf = Buffer.from(name);
  let out = '';
  for (let i = 0; i < buf.length; ) {
    const b = buf[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    const seq = len ? buf.subarray(i, i + len) : null;
    if (seq && seq.length === len && isUtf8Name(seq)) {
      out += seq.toString('utf8');
      i += len;
    } else {
      out += `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
      i++;
    }
  }
  return out;
}

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A name that prints on one line: control characters (a newline in a file name) escaped as \n, \t, \u001b... */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The reason given for a file whose name is not valid UTF-8. */
export const NOT_UTF8 = 'its name is not valid UTF-8 (the bad bytes are shown as \\xNN); rename the file to use it in Restora';
