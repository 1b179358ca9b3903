/**
 * Histories as a real run records them, linearizable by construction: each client issues one op
 * at a time (session order), every op takes effect at a random instant inside its interval, and
 * outputs come from running the `files` model in the order of those instants. 1% of outcomes are
 * made unknown (half of them took effect).
 */
import { toHistory, type History } from "../../../verify/lincheck/index.js";

export interface HistoryShape {
  ops: number;
  paths: number;
  clients: number;
  seed: number;
  /** Share of ops whose outcome is made unknown (default 0.01). */
  unknownRate?: number;
}

interface Planned {
  client: number;
  call: number;
  ret: number;
  at: number;
  path: string;
  op: "put" | "get" | "append" | "remove" | "create";
  value?: string;
  unknown: boolean;
  applied: boolean;
}

const KINDS = [
  "get",
  "get",
  "get",
  "get",
  "put",
  "put",
  "append",
  "append",
  "create",
  "remove",
] as const;

export function recordedHistory(shape: HistoryShape): History {
  const rand = xorshift(shape.seed);
  const clock = new Array<number>(shape.clients).fill(0);
  const planned: Planned[] = [];
  for (let i = 0; i < shape.ops; i++) {
    const client = i % shape.clients;
    const call = (clock[client] as number) + Math.floor(rand() * 20);
    const ret = call + 1 + Math.floor(rand() * 100);
    clock[client] = ret + 1;
    const op = KINDS[Math.floor(rand() * KINDS.length)] as Planned["op"];
    const unknown = rand() < (shape.unknownRate ?? 0.01);
    planned.push({
      client,
      call,
      ret,
      at: call + rand() * (ret - call),
      path: `name/p${Math.floor(rand() * shape.paths)}`,
      op,
      value: op === "get" || op === "remove" ? undefined : `v${i}`,
      unknown,
      applied: !unknown || rand() < 0.5,
    });
  }
  const outputs = runInOrder(planned);
  const ops = planned.map((p, i) =>
    p.unknown
      ? { client: p.client, call: p.call, return: null, path: p.path, op: p.op, value: p.value }
      : {
          client: p.client,
          call: p.call,
          return: p.ret,
          path: p.path,
          op: p.op,
          value: p.value,
          output: outputs[i],
        },
  );
  return toHistory({ model: "files", ops });
}

function runInOrder(planned: readonly Planned[]): (string | null)[] {
  const content = new Map<string, string | null>();
  const outputs: (string | null)[] = new Array<string | null>(planned.length).fill(null);
  const order = planned
    .map((_, i) => i)
    .sort((a, b) => (planned[a] as Planned).at - (planned[b] as Planned).at);
  for (const i of order) {
    const p = planned[i] as Planned;
    if (!p.applied) continue;
    const before = content.get(p.path) ?? null;
    const v = p.value as string;
    let after = before;
    let out: string | null = "ok";
    if (p.op === "put") after = v;
    else if (p.op === "append") after = (before ?? "") + v;
    else if (p.op === "get") out = before;
    else if (p.op === "remove") [after, out] = [null, before === null ? "notfound" : "ok"];
    else [after, out] = before === null ? [v, "ok"] : [before, "exists"];
    content.set(p.path, after);
    outputs[i] = out;
  }
  return outputs;
}

function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}
