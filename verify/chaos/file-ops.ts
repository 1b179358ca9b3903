/** The model's five ops on FsLib, each returning the model's output. */
import { ErrCode, FsLib, isErr, Mode, NoOffset } from "../../index.js";
import type { OpKind } from "../lincheck/index.js";

const text = new TextDecoder();
const bytes = (s: string) => new TextEncoder().encode(s);

export interface CallLimits {
  timeoutMs: number;
}

export async function runOp(
  fsl: FsLib,
  op: OpKind,
  path: string,
  value: string | undefined,
  lim: CallLimits,
): Promise<string | null> {
  switch (op) {
    case "put":
      await fsl.putFile(path, 0o777, Mode.OWRITE, bytes(value as string), lim);
      return "ok";
    case "append":
      await fsl.setFile(path, bytes(value as string), Mode.OAPPEND, NoOffset, lim);
      return "ok";
    case "get":
      try {
        return text.decode(await fsl.getFile(path, lim));
      } catch (e) {
        if (isErr(e, ErrCode.Notfound)) return null;
        throw e;
      }
    case "remove":
      try {
        await fsl.remove(path, lim);
        return "ok";
      } catch (e) {
        if (isErr(e, ErrCode.Notfound)) return "notfound";
        throw e;
      }
    case "create":
      try {
        await fsl.putFile(path, 0o777, Mode.OWRITE | Mode.OEXCL, bytes(value as string), lim);
        return "ok";
      } catch (e) {
        if (isErr(e, ErrCode.Exists)) return "exists";
        throw e;
      }
  }
}
