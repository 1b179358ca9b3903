/**
 * Finds named for the fs commands: `--named H:P[,H:P…]`, else SIGMA_NAMED (spec 6.1).
 */
import { FsLib } from "../../runtime/client/index.js";
import { CliError } from "./cli-errors.js";

export interface ConnectFlags {
  named?: string;
  uname?: string;
}

export async function connectNamed(flags: ConnectFlags): Promise<FsLib> {
  const spec = flags.named ?? process.env["SIGMA_NAMED"];
  if (!spec) throw new CliError("no named address: pass --named HOST:PORT or set SIGMA_NAMED");
  const named = spec.split(",").filter((s) => s !== "");
  return FsLib.connect({ named, uname: flags.uname ?? process.env["USER"] ?? "sigma" });
}
