/**
 * Sessions that record the message type of every request their client sends, for tests that
 * check what a call did on the wire (e.g. that it armed no watch) rather than how long it took.
 * Pass `open` as `FsLibOptions.openSession`.
 */
import { openSessionClient } from "../../runtime/client/fid/open-session.js";
import type { ClientSession, OpenSession } from "../../runtime/client/fid/session-port.js";

export interface RecordingSessions {
  open: OpenSession;
  /** Request message types in the order they were sent, over every session opened. */
  readonly sent: number[];
}

export function recordingSessions(): RecordingSessions {
  const sent: number[] = [];
  const open: OpenSession = async (opts) => {
    const s = await openSessionClient(opts);
    const recorded: ClientSession = {
      get id() {
        return s.id;
      },
      get closed() {
        return s.closed;
      },
      get maxFrame() {
        return s.maxFrame;
      },
      call: (type, body, data, callOpts) => {
        sent.push(type);
        return s.call(type, body, data, callOpts);
      },
      close: () => s.close(),
      disconnect: () => s.disconnect(),
    };
    return recorded;
  };
  return { open, sent };
}
