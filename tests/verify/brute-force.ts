/**
 * A brute-force linearizability check for small one-path histories, written apart from the
 * checker (its own model, no memo, no linked lists) so that the two can be held against each
 * other: try every order that respects real time, dropping any op whose outcome is unknown.
 */
import type { Op } from "../../verify/lincheck/index.js";

export function bruteForceLinearizable(ops: readonly Op[]): boolean {
  return extend(new Set(ops), null);
}

function extend(left: Set<Op>, content: string | null): boolean {
  if ([...left].every((o) => o.ret === null)) return true;
  for (const o of left) {
    // `o` may go next only if no other remaining op returned before `o` was called.
    const blocked = [...left].some((p) => p !== o && p.ret !== null && p.ret < o.call);
    if (blocked) continue;
    const rest = new Set(left);
    rest.delete(o);
    if (o.ret === null && extend(rest, content)) return true; // it never took effect
    const after = apply(o, content);
    if (after !== undefined && extend(rest, after)) return true;
  }
  return false;
}

/** The content after `o`, or undefined when `o`'s observed output is impossible. */
function apply(o: Op, content: string | null): string | null | undefined {
  const unknown = o.ret === null;
  const v = o.value as string;
  if (o.op === "put") return v;
  if (o.op === "append") return (content ?? "") + v;
  if (o.op === "get") return unknown || o.output === content ? content : undefined;
  if (o.op === "remove") {
    const expected = content === null ? "notfound" : "ok";
    return unknown || o.output === expected ? null : undefined;
  }
  const expected = content === null ? "ok" : "exists";
  if (!unknown && o.output !== expected) return undefined;
  return content === null ? v : content;
}
