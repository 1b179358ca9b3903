/** Small builders for hand-made histories in the checker's tests. */
import { toHistory, type History } from "../../verify/lincheck/index.js";

export interface RawOp {
  client: number;
  call: number;
  return: number | null;
  path: string;
  op: string;
  value?: string;
  output?: string | null;
}

/** `[call, return]` on client `c`, path `x` unless given. */
export const put = (
  c: number,
  call: number,
  ret: number | null,
  value: string,
  path = "x",
): RawOp => known({ client: c, call, return: ret, path, op: "put", value }, "ok");
export const append = (
  c: number,
  call: number,
  ret: number | null,
  value: string,
  path = "x",
): RawOp => known({ client: c, call, return: ret, path, op: "append", value }, "ok");
export const get = (
  c: number,
  call: number,
  ret: number,
  output: string | null,
  path = "x",
): RawOp => ({
  client: c,
  call,
  return: ret,
  path,
  op: "get",
  output,
});
export const remove = (
  c: number,
  call: number,
  ret: number | null,
  output: "ok" | "notfound",
  path = "x",
): RawOp => known({ client: c, call, return: ret, path, op: "remove" }, output);
export const create = (
  c: number,
  call: number,
  ret: number | null,
  value: string,
  output: "ok" | "exists" = "ok",
  path = "x",
): RawOp => known({ client: c, call, return: ret, path, op: "create", value }, output);

export function history(...ops: RawOp[]): History {
  return toHistory({ model: "files", ops });
}

function known(op: RawOp, output: string): RawOp {
  return op.return === null ? op : { ...op, output };
}
