/**
 * Splits a byte stream of JSON values written back to back (as appendFileJson writes them) into
 * the values, without waiting for the end of the stream.
 */
import { ErrCode } from "../../../generated/sigmap/types.js";
import { SigmaError } from "../../errors/index.js";

/** Incremental splitter of back-to-back JSON values; malformed or truncated input is Inval. */
export class JsonValueSplitter {
  readonly #decoder = new TextDecoder();
  #text = "";

  /** Adds bytes; returns the values completed by them. */
  push(bytes: Uint8Array): unknown[] {
    this.#text += this.#decoder.decode(bytes, { stream: true });
    return this.#drain(false);
  }

  /** Ends the stream; returns the last values. A truncated value is Inval. */
  end(): unknown[] {
    this.#text += this.#decoder.decode();
    return this.#drain(true);
  }

  #drain(final: boolean): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      const start = skipSpace(this.#text, 0);
      if (start === this.#text.length) {
        this.#text = "";
        return out;
      }
      const end = valueEnd(this.#text, start, final);
      if (end < 0) {
        if (final) throw badJson(this.#text.slice(start, start + 40));
        this.#text = this.#text.slice(start);
        return out;
      }
      const piece = this.#text.slice(start, end);
      try {
        out.push(JSON.parse(piece));
      } catch (e) {
        throw badJson(piece.slice(0, 40), e);
      }
      this.#text = this.#text.slice(end);
    }
  }
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && /\s/.test(s[i] as string)) i++;
  return i;
}

// The end (exclusive) of the value starting at `i`, or -1 if more input is needed.
function valueEnd(s: string, i: number, final: boolean): number {
  const c = s[i];
  if (c === "{" || c === "[") {
    let depth = 0;
    for (let j = i; j < s.length; j++) {
      const d = s[j];
      if (d === '"') {
        j = stringEnd(s, j) - 1;
        if (j < 0) return -1;
      } else if (d === "{" || d === "[") depth++;
      else if (d === "}" || d === "]") {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  }
  if (c === '"') return stringEnd(s, i);
  // A scalar ends at whitespace or where the next value starts; at the end of the buffer only
  // when the stream has ended (a number could go on in the next chunk).
  let j = i;
  while (j < s.length && !/[\s{["]/.test(s[j] as string)) j++;
  return j < s.length || final ? j : -1;
}

// The end (exclusive) of the string literal starting at `i`, or -1 if incomplete.
function stringEnd(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] === "\\") j++;
    else if (s[j] === '"') return j + 1;
  }
  return -1;
}

function badJson(near: string, cause?: unknown): SigmaError {
  return new SigmaError(ErrCode.Inval, "json", `invalid argument: bad JSON near ${near}`, {
    cause,
  });
}
