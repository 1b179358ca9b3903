/**
 * Names and paths as `sigma` prints them in text: control characters (C0, DEL, C1), the Unicode
 * bidirectional overrides that can make a name read as another, and the backslash itself are
 * escaped (`\n`, `\t`, `\x1b`, `\u{202e}`, `\\`), so a hostile name cannot move the cursor, rewrite
 * the terminal or pose as another name, and every printed name maps back to one real name.
 * `--json` output needs none of this: JSON has its own escapes.
 */
const NAMED: Record<string, string> = { "\n": "\\n", "\t": "\\t", "\r": "\\r", "\\": "\\\\" };

// C0, backslash, DEL, C1, and the bidi embeddings, overrides and isolates: matching control
// characters is this expression's job.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\\\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const named = NAMED[c];
    if (named !== undefined) return named;
    const code = c.codePointAt(0) ?? 0;
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16)}}`;
  });
}
