/**
 * The comments of a schema file. The grammar skips `//` and block comments as whitespace, so
 * the parser never sees them; the formatter finds them here to put them back.
 */

export type CommentKind = "line" | "block" | "doc";

export interface Comment {
  kind: CommentKind;
  /** Offsets into the file text; `end` is exclusive and never includes the newline. */
  start: number;
  end: number;
  text: string;
}

/** Code points that stand in for comment and string text in a masked file. */
export const MASK_COMMENT = "\u0001";
const MASK_STRING = "\u0002";

export interface Lexed {
  comments: Comment[];
  /**
   * The text with every comment character (newlines too) and string literal content replaced,
   * so that searching it for braces or blank lines only ever finds code.
   */
  mask: string;
}

/** Expects text that parses; on anything else the result is still defined but meaningless. */
export function lexComments(text: string): Lexed {
  const comments: Comment[] = [];
  const mask: string[] = [];
  let i = 0;
  const blank = (from: number, to: number, ch: string) => {
    for (let k = from; k < to; k++) mask.push(ch);
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      const end = stringEnd(text, i);
      mask.push('"');
      blank(i + 1, end - 1, MASK_STRING);
      mask.push('"');
      i = end;
    } else if (text.startsWith("//", i)) {
      let end = text.indexOf("\n", i);
      if (end < 0) end = text.length;
      // `////` is a line comment to the grammar, not a doc comment.
      const doc = text.startsWith("///", i) && !text.startsWith("////", i);
      comments.push({ kind: doc ? "doc" : "line", start: i, end, text: text.slice(i, end) });
      blank(i, end, MASK_COMMENT);
      i = end;
    } else if (text.startsWith("/*", i)) {
      const close = text.indexOf("*/", i + 2);
      const end = close < 0 ? text.length : close + 2;
      comments.push({ kind: "block", start: i, end, text: text.slice(i, end) });
      blank(i, end, MASK_COMMENT);
      i = end;
    } else {
      mask.push(c);
      i++;
    }
  }
  return { comments, mask: mask.join("") };
}

function stringEnd(text: string, open: number): number {
  let i = open + 1;
  while (i < text.length && text[i] !== '"' && text[i] !== "\n") i += text[i] === "\\" ? 2 : 1;
  return Math.min(i + 1, text.length);
}

/** The first offset at or after `from` that is neither whitespace nor comment. */
export function skipTrivia(mask: string, from: number): number {
  let i = from;
  while (i < mask.length && mask[i]! <= " ") i++;
  return i;
}
