/**
 * Child process for the session suite's memory rows: a session server whose Twatch parks until
 * its session closes and whose Twriteread echoes, with a control channel reporting the heap after
 * collection (`mem`, needs --expose-gc) and the server's stats. Arguments: the per-session and
 * server-wide reply-byte budgets.
 */
import { encodeRread, encodeRwatch } from "../../../generated/sigmap/codec.js";
import { MsgType } from "../../../generated/sigmap/types.js";
import { errorReply } from "../../../runtime/session/server/server-replies.js";
import { startSessionServer } from "../../../runtime/session/server/session-server.js";
import { NO_DATA, type RawReply } from "../../../runtime/contract/index.js";
import { exitWithRunner } from "../../lib/child-exit.js";
import { serveControl } from "../../lib/control-server.js";
import { announceReady } from "../../lib/ready.js";

exitWithRunner();
const [perSession, total] = process.argv.slice(2).map(Number) as [number, number];
const server = await startSessionServer({
  host: "127.0.0.1",
  port: 0,
  maxReplyBytesPerSession: perSession,
  maxReplyBytes: total,
  maxParkedPerSession: 20_000,
  dispatch(type, _body, data, ctx): Promise<RawReply> {
    if (type === MsgType.Twriteread) {
      return Promise.resolve({ type: MsgType.Rread, body: encodeRread({ data: NO_DATA }), data });
    }
    if (type === MsgType.Twatch) {
      ctx.park();
      return new Promise((resolve) => {
        ctx.signal.addEventListener("abort", () =>
          resolve({ type: MsgType.Rwatch, body: encodeRwatch({}), data: NO_DATA }),
        );
      });
    }
    return Promise.resolve(errorReply(MsgType.Rerror, 21, "", "not supported here"));
  },
});

const gc = (globalThis as { gc?: () => void }).gc;
const controlPort = await serveControl({
  addr: () => server.addr,
  /** Heap plus array buffers after two collections, in bytes. */
  mem: () => {
    gc?.();
    gc?.();
    const m = process.memoryUsage();
    return String(m.heapUsed + m.arrayBuffers);
  },
  stats: () => JSON.stringify(server.stats()),
});
announceReady(controlPort);
