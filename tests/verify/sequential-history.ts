/**
 * fast-check arbitraries for histories that are linearizable by construction: ops are executed
 * one at a time on a sequential `files` model at increasing instants, then each op's interval is
 * widened around its instant (so ops overlap: a concurrency window) and some outcomes are made
 * unknown (the op took effect, or not, and nobody saw its reply).
 */
import fc from "fast-check";
import { toHistory, type History } from "../../verify/lincheck/index.js";

export interface Shape {
  paths: number;
  clients: number;
  maxOps: number;
  /** How far a call or return may lie from the op's instant, in instants. */
  window: number;
}

interface Draw {
  path: number;
  client: number;
  kind: "put" | "get" | "append" | "remove" | "create";
  value: number;
  before: number;
  after: number;
  fate: "known" | "unknown-applied" | "unknown-lost";
}

const STEP = 10;

export function sequentialHistory(shape: Shape): fc.Arbitrary<History> {
  const draw: fc.Arbitrary<Draw> = fc.record({
    path: fc.nat(shape.paths - 1),
    client: fc.nat(shape.clients - 1),
    kind: fc.constantFrom("put", "get", "append", "remove", "create", "get"),
    value: fc.nat(3),
    before: fc.nat(shape.window * STEP),
    after: fc.nat(shape.window * STEP),
    fate: fc.constantFrom("known", "known", "known", "known", "unknown-applied", "unknown-lost"),
  });
  return fc.array(draw, { minLength: 1, maxLength: shape.maxOps }).map(execute);
}

function execute(draws: Draw[]): History {
  const content = new Map<number, string | null>();
  const ops = draws.map((d, i) => {
    const at = (i + 1) * STEP * 4;
    const path = `p${d.path}`;
    const value = d.kind === "get" || d.kind === "remove" ? undefined : `${"abcd"[d.value]}${i}`;
    const before = content.get(d.path) ?? null;
    let after = before;
    let output: string | null;
    switch (d.kind) {
      case "put":
        [after, output] = [value as string, "ok"];
        break;
      case "append":
        [after, output] = [(before ?? "") + (value as string), "ok"];
        break;
      case "get":
        output = before;
        break;
      case "remove":
        [after, output] = [null, before === null ? "notfound" : "ok"];
        break;
      case "create":
        [after, output] = before === null ? [value as string, "ok"] : [before, "exists"];
        break;
    }
    if (d.fate !== "unknown-lost") content.set(d.path, after);
    const call = at - d.before;
    if (d.fate !== "known")
      return { client: d.client, call, return: null, path, op: d.kind, value };
    return { client: d.client, call, return: at + d.after, path, op: d.kind, value, output };
  });
  return toHistory({ model: "files", ops });
}

/** Changes the output of one known get, remove or create, if there is one. */
export function corrupt(h: History, pick: number, to: number): History | undefined {
  const candidates = h.ops.filter((o) => o.ret !== null && o.op !== "put" && o.op !== "append");
  const victim = candidates[pick % Math.max(1, candidates.length)];
  if (victim === undefined) return undefined;
  let output: string | null;
  if (victim.op === "remove") output = victim.output === "ok" ? "notfound" : "ok";
  else if (victim.op === "create") output = victim.output === "ok" ? "exists" : "ok";
  else {
    const seen = [null, ...h.ops.filter((o) => o.path === victim.path).map((o) => o.value)];
    const other = seen.filter((v) => v !== victim.output);
    output = other[to % other.length] ?? "never-written";
  }
  const ops = h.ops.map((o) => (o === victim ? { ...o, output } : o));
  return { model: "files", ops };
}
