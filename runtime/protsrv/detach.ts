/**
 * A session's end (spec 3.9, 4.8), in the spec's order: wake its waiters (SessClosed), close its
 * open fids (pipe counts drop), remove its ephemeral objects by identity with normal remove
 * effects, run the detach callbacks server code registered. Nothing here may fail the detach:
 * errors are logged.
 *
 * The closes and removals run in slices that yield to the event loop (slicer.ts): a session may
 * hold 100,000 ephemeral files, and removing them in one run stalled named for seconds. Other
 * requests run between slices; that is safe because every removal is by identity (a file another
 * client created meanwhile under the same name is never touched) and is an ordinary remove that
 * wakes watches, so a waiter sees each file go exactly as it would in one run.
 */
import { errorText, isErr } from "../errors/index.js";
import { ErrCode } from "../../generated/sigmap/types.js";
import { sessClosedError, type WaitContext } from "../fs/index.js";
import { closeObj } from "./open.js";
import { removeObject } from "./remove.js";
import type { ServerState } from "./server-state.js";
import { Slicer } from "./slicer.js";

export async function detachSession(server: ServerState, id: bigint): Promise<void> {
  const st = server.sessions.end(id);
  if (st === undefined) return;
  st.closing.abort(sessClosedError(id));
  server.fences.leave(st);
  const wait: WaitContext = { session: id, signal: st.closing.signal, park: () => {} };
  const slicer = new Slicer();
  for (const f of st.fids.drain()) {
    if (!f.open) continue;
    await slicer.turn();
    try {
      await closeObj(f.obj, f.mode, wait);
    } catch (e) {
      server.log("detach %s: close failed: %s", id.toString(16), errorText(e));
    }
  }
  // Iterated live: an object another request removes meanwhile leaves the set (dropEphemeral).
  for (const obj of st.ephemeral.values()) {
    await slicer.turn();
    if (!st.ephemeral.has(obj.id)) continue;
    server.sessions.takeEphemeral(st, obj);
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
