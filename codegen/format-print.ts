/**
 * Joins code lines and placed comments into the formatted text, keeping one blank line wherever
 * the author left one or more between declarations or comments.
 */
import type { Placement } from "./format-comments.js";
import type { CodeLine } from "./format-layout.js";
import type { Comment } from "./format-lex.js";

const INDENT = "  ";

export function printSchema(
  text: string,
  mask: string,
  lines: readonly CodeLine[],
  placement: Placement,
): string {
  const out: string[] = [];
  let prev: { end: number; blankAfter: boolean } | undefined;

  const emit = (start: number, end: number, before: boolean, after: boolean, body: string) => {
    const gap = prev && prev.end <= start ? mask.slice(prev.end, start) : "";
    if (prev?.blankAfter && before && /\n[ \t\r]*\n/.test(gap)) out.push("");
    out.push(body);
    prev = { end, blankAfter: after };
  };

  for (let i = 0; i <= lines.length; i++) {
    const line = lines[i];
    const indent = INDENT.repeat(line ? line.leadIndent : 0);
    for (const g of placement.leading[i]!) {
      emit(g.start, g.end, true, !g.doc, indent + commentsText(text, g.comments, indent.length));
    }
    if (!line) break;
    let body = INDENT.repeat(line.indent) + line.text;
    let end = line.end;
    for (const g of placement.trailing[i]!) {
      body += " " + commentsText(text, g.comments, columnAfter(0, body) + 1);
      end = Math.max(end, g.end);
    }
    emit(line.start, end, line.blankBefore, line.blankAfter, body);
  }
  return out.length ? out.join("\n") + "\n" : "";
}

/** The comments of one group, separated by a space, starting at output column `col`. */
function commentsText(text: string, comments: readonly Comment[], col: number): string {
  let s = "";
  for (const c of comments) {
    if (s) s += " ";
    s += commentText(text, c, columnAfter(col, s));
  }
  return s;
}

/** The output column reached after writing `s` from column `col`. */
function columnAfter(col: number, s: string): number {
  const nl = s.lastIndexOf("\n");
  return nl < 0 ? col + s.length : s.length - nl - 1;
}

function commentText(text: string, c: Comment, col: number): string {
  if (c.kind === "doc") {
    const rest = c.text.slice(3).trimEnd();
    // The parser drops one space after `///`; adding one where there was none keeps the doc.
    return rest === "" || rest.startsWith(" ") ? `///${rest}` : `/// ${rest}`;
  }
  if (c.kind === "line") return c.text.trimEnd();
  // Continuation lines of a block comment move with its first line.
  const shift = col - (c.start - (text.lastIndexOf("\n", c.start - 1) + 1));
  return c.text
    .split("\n")
    .map((l, i) => (i === 0 ? l : reindent(l, shift)).trimEnd())
    .join("\n");
}

function reindent(line: string, shift: number): string {
  if (shift >= 0) return " ".repeat(shift) + line;
  const ws = /^[ \t]*/.exec(line)![0].length;
  return line.slice(Math.min(ws, -shift));
}
