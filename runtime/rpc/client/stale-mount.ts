/**
 * A client that reached a server once keeps its automount (spec 6.4 step 3) and, per spec 6.8,
 * fails with SessClosed or Unreachable through it once that server is gone, even if the server
 * has since registered again at a new address. Connecting an RPC client is where a caller
 * expects the path to be looked up afresh, so there the dead mount is dropped and the path
 * resolved again, which reads the registration in named anew.
 */
import { isErrSessClosed, isErrUnreachable, type FsLib } from "../../client/index.js";

/** named's own mount: its loss is not a stale registration, and dropping it would strand fsl. */
const NAMED_MOUNT = "name";

/** Runs `op`; if the mount serving `path` turns out dead, drops that mount and runs `op` again. */
export async function withLiveMount<T>(fsl: FsLib, path: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (e) {
    if (!(isErrSessClosed(e) || isErrUnreachable(e)) || !(await dropMount(fsl, path))) throw e;
    return op();
  }
}

async function dropMount(fsl: FsLib, path: string): Promise<boolean> {
  let mountPath: string;
  try {
    mountPath = fsl.lastMount(path).mountPath;
  } catch {
    return false;
  }
  if (mountPath === NAMED_MOUNT || mountPath === "") return false;
  await fsl.disconnect(mountPath);
  return true;
}
