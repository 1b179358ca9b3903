/**
 * Session order, which linearizability alone does not check: a client's three appends to its
 * order file are in flight together, so the checker may order them either way, but the session
 * runs them in the order they were sent (docs/session.md, Order). The file's final content must
 * list them in sending order, each at most once, and every acknowledged one (exactly once).
 */

/** The first problem with one order file's final content, or null. */
export function orderProblem(
  sent: readonly string[],
  acked: ReadonlySet<string>,
  content: string | null,
): string | null {
  const rank = new Map(sent.map((v, i) => [v, i]));
  const tokens = (content ?? "").split(";").filter((t) => t !== "");
  const present = new Set(tokens.map((t) => `${t};`));
  for (const v of acked) if (!present.has(v)) return `${v.slice(0, -1)} acknowledged but missing`;
  let last = -1;
  for (const token of tokens) {
    const r = rank.get(`${token};`);
    if (r === undefined) return `${token} was never sent`;
    if (r <= last) {
      return r === last
        ? `${token} applied twice`
        : `${token} applied after ${sent[last]?.slice(0, -1)}`;
    }
    last = r;
  }
  return null;
}
