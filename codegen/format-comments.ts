/**
 * Decides where each comment goes in the formatted file: before a code line (a comment on its
 * own line, and every doc comment) or at the end of one (a comment that followed code).
 */
import type { CodeLine } from "./format-layout.js";
import type { Comment } from "./format-lex.js";

/** Comments that sat on one source line with only spaces between them; they stay together. */
export interface CommentGroup {
  comments: Comment[];
  start: number;
  end: number;
  doc: boolean;
}

export interface Placement {
  /** `leading[i]` goes before line i; `leading[lines.length]` closes the file. */
  leading: CommentGroup[][];
  trailing: CommentGroup[][];
}

export function groupComments(text: string, comments: readonly Comment[]): CommentGroup[] {
  const groups: CommentGroup[] = [];
  let cur: CommentGroup | undefined;
  for (const c of comments) {
    const joins =
      cur !== undefined &&
      !cur.doc &&
      c.kind !== "doc" &&
      /^[ \t]*$/.test(text.slice(cur.end, c.start));
    if (cur && joins) {
      cur.comments.push(c);
      cur.end = c.end;
    } else {
      cur = { comments: [c], start: c.start, end: c.end, doc: c.kind === "doc" };
      groups.push(cur);
    }
  }
  return groups;
}

export function placeComments(
  text: string,
  lines: readonly CodeLine[],
  groups: readonly CommentGroup[],
): Placement {
  const leading: CommentGroup[][] = Array.from({ length: lines.length + 1 }, () => []);
  const trailing: CommentGroup[][] = lines.map(() => []);
  for (const g of groups) {
    const at = lastLineStartingBefore(lines, g.start);
    const host = lines[at];
    const afterCode = !/^[ \t]*$/.test(
      text.slice(text.lastIndexOf("\n", g.start - 1) + 1, g.start),
    );
    const inside = host !== undefined && g.end <= host.end;
    if (g.doc || host === undefined || !(afterCode || inside)) {
      leading[at + 1]!.push(g);
    } else if (hasLineComment(trailing[at]!) && g.comments.some((c) => c.text.includes("\n"))) {
      // After a `//` comment, the rest of a multi-line comment would become code.
      leading[at + 1]!.push(g);
    } else {
      trailing[at]!.push(g);
    }
  }
  for (const l of leading) l.sort((a, b) => a.start - b.start);
  return { leading, trailing };
}

function lastLineStartingBefore(lines: readonly CodeLine[], offset: number): number {
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lines[mid]!.start <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function hasLineComment(groups: readonly CommentGroup[]): boolean {
  return groups.some((g) => g.comments.some((c) => c.kind === "line"));
}
