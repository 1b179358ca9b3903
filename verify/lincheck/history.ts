/**
 * The history format every checker input uses (docs/verification.md), and its strict parser: a
 * malformed history is refused with the index and field of the first bad op, never half-checked.
 */

/** The model's operations. */
export const OP_KINDS = ["put", "get", "append", "remove", "create"] as const;
export type OpKind = (typeof OP_KINDS)[number];

/** One recorded call. `ret === null`: the outcome is unknown (a timeout or a crash). */
export interface Op {
  /** Position in the history's `ops` array: what reports name. */
  index: number;
  client: number;
  call: number;
  ret: number | null;
  path: string;
  op: OpKind;
  /** put, append and create carry one; get and remove none. */
  value: string | null;
  /** The observed output; undefined when the outcome is unknown. get: content or null. */
  output: string | null | undefined;
}

export interface History {
  model: "files";
  ops: Op[];
}

/** A malformed history: `field` is `ops[3].call` or a top-level key. */
export class HistoryError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = "HistoryError";
  }
}

const OUTPUTS: Record<OpKind, readonly string[] | "content"> = {
  put: ["ok"],
  append: ["ok"],
  remove: ["ok", "notfound"],
  create: ["ok", "exists"],
  get: "content",
};

/** Parses the JSON text of a history; throws HistoryError. */
export function parseHistory(text: string): History {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new HistoryError("history", `not JSON (${(e as Error).message})`);
  }
  return toHistory(doc);
}

/** Validates an already-parsed document. */
export function toHistory(doc: unknown): History {
  if (!isRecord(doc)) throw new HistoryError("history", "expected an object { model, ops }");
  if (doc.model !== "files") {
    throw new HistoryError("model", `expected "files", got ${JSON.stringify(doc.model)}`);
  }
  if (!Array.isArray(doc.ops)) throw new HistoryError("ops", "expected an array");
  const ops = doc.ops.map((raw: unknown, i: number) => toOp(raw, i));
  return { model: "files", ops };
}

function toOp(raw: unknown, index: number): Op {
  const at = (field: string) => `ops[${index}].${field}`;
  const bad = (field: string, reason: string) => new HistoryError(at(field), reason);
  if (!isRecord(raw)) throw new HistoryError(`ops[${index}]`, "expected an object");
  const client = raw.client;
  if (!Number.isSafeInteger(client)) throw bad("client", "expected an integer");
  const call = raw.call;
  if (!Number.isSafeInteger(call)) throw bad("call", "expected an integer");
  if (!("return" in raw)) throw bad("return", "missing (null when the outcome is unknown)");
  const ret = raw.return;
  if (ret !== null && !Number.isSafeInteger(ret))
    throw bad("return", "expected an integer or null");
  if (ret !== null && (ret as number) < (call as number)) {
    throw bad("return", `${String(ret)} is before call ${String(call)}`);
  }
  if (typeof raw.path !== "string" || raw.path === "")
    throw bad("path", "expected a non-empty string");
  const op = raw.op;
  if (typeof op !== "string" || !(OP_KINDS as readonly string[]).includes(op)) {
    throw bad("op", `expected one of ${OP_KINDS.join(", ")}, got ${JSON.stringify(op)}`);
  }
  const kind = op as OpKind;
  const takesValue = kind === "put" || kind === "append" || kind === "create";
  let value: string | null = null;
  if (takesValue) {
    if (typeof raw.value !== "string") throw bad("value", `${kind} needs a string value`);
    value = raw.value;
  } else if (raw.value !== undefined) {
    throw bad("value", `${kind} takes no value`);
  }
  let output: string | null | undefined;
  if (ret === null) {
    if (raw.output !== undefined && raw.output !== null) {
      throw bad("output", "an op with an unknown outcome (return: null) has no output");
    }
  } else {
    output = toOutput(raw, kind, bad);
  }
  return {
    index,
    client: client as number,
    call: call as number,
    ret: ret as number | null,
    path: raw.path,
    op: kind,
    value,
    output,
  };
}

function toOutput(
  raw: Record<string, unknown>,
  kind: OpKind,
  bad: (field: string, reason: string) => HistoryError,
): string | null {
  const out = raw.output;
  const allowed = OUTPUTS[kind];
  if (allowed === "content") {
    if (out === null || typeof out === "string") return out;
    throw bad("output", "get outputs the content (a string) or null (no such file)");
  }
  if (typeof out === "string" && allowed.includes(out)) return out;
  throw bad(
    "output",
    `${kind} outputs ${allowed.map((a) => JSON.stringify(a)).join(" or ")}, got ${JSON.stringify(out)}`,
  );
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
