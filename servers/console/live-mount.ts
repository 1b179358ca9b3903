/**
 * The console reaches registered servers through automounts (spec 6.4), and a mount whose server
 * has gone fails with SessClosed or Unreachable for good (spec 6.8). The panels drop such a mount
 * so that the next look walks the registration in named afresh and finds a replacement.
 */
import { type FsLib, isErrSessClosed, isErrUnreachable } from "../../runtime/client/index.js";

/** If `e` says the server behind `path` is gone, drops its mount (never named's). */
export async function dropDeadMount(fsl: FsLib, path: string, e: unknown): Promise<void> {
  if (!isErrSessClosed(e) && !isErrUnreachable(e)) return;
  let mountPath: string;
  try {
    mountPath = fsl.lastMount(path).mountPath;
  } catch {
    return;
  }
  if (mountPath === "name" || mountPath === "") return;
  await fsl.disconnect(mountPath).catch(() => undefined);
}
