/**
 * A session's end (spec 3.9, 4.8), in the spec's order: wake its waiters (SessClosed), close its
 * open fids (pipe counts drop), remove its ephemeral objects by identity with normal remove
 * effects, run the detach callbacks server code registered. Nothing here may fail the detach:
 * errors are logged.
 */
import { errorText, isErr } from "../errors/index.js";
import { ErrCode } from "../../generated/sigmap/types.js";
import { sessClosedError, type WaitContext } from "../fs/index.js";
import { closeObj } from "./open.js";
import { removeObject } from "./remove.js";
import type { ServerState } from "./server-state.js";

export async function detachSession(server: ServerState, id: bigint): Promise<void> {
  const st = server.sessions.end(id);
  if (st === undefined) return;
  st.closing.abort(sessClosedError(id));
  const wait: WaitContext = { session: id, signal: st.closing.signal, park: () => {} };
  for (const f of st.fids.drain()) {
    if (!f.open) continue;
    try {
      await closeObj(f.obj, f.mode, wait);
    } catch (e) {
      server.log("detach %s: close failed: %s", id.toString(16), errorText(e));
    }
  }
  for (const obj of server.sessions.takeEphemeral(st)) {
    try {
      await removeObject(server, obj);
    } catch (e) {
      // Removed or replaced meanwhile: a newer object bearing the name is never touched.
      if (!isErr(e, ErrCode.Notfound)) {
        server.log("detach %s: ephemeral remove failed: %s", id.toString(16), errorText(e));
      }
    }
  }
  for (const fn of st.detachCallbacks) {
    try {
      await fn();
    } catch (e) {
      server.log("detach %s: callback failed: %s", id.toString(16), errorText(e));
    }
  }
  st.detachCallbacks.clear();
}
