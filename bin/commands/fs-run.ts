/**
 * Runs one fs command against named: connect, work, detach. A failure is left to the shared
 * runner (bin/run-sigma.ts) to print, with this connection's mount points attached so that a path
 * under none of them can say which there are.
 */
import type { FsLib } from "../../runtime/client/index.js";
import { PathError } from "./cli-errors.js";
import { connectNamed, type ConnectFlags } from "./connect.js";

export async function runWithNamed(
  flags: ConnectFlags,
  work: (fsl: FsLib) => Promise<number>,
): Promise<number> {
  const fsl = await connectNamed(flags);
  try {
    return await work(fsl);
  } catch (e) {
    if (e instanceof PathError) e.context = { mounts: fsl.mounts() };
    throw e;
  } finally {
    await fsl.close().catch(() => undefined);
  }
}
