/**
 * A scripted ClientSession for fidclnt tests: every call is recorded and answered by a handler
 * the test supplies, so request contents (fences, fids) and reply timing are under test control.
 */
import { encodeRerror } from "../../generated/sigmap/codec.js";
import { MsgType } from "../../generated/sigmap/types.js";
import type { SessionClosedEvent } from "../../runtime/session/client/client-types.js";
import type { ClientSession } from "../../runtime/client/fid/session-port.js";
import type { CallOptions, RawReply } from "../../runtime/contract/index.js";

export interface RecordedCall {
  type: number;
  body: unknown[];
  opts: CallOptions | undefined;
}

export type Handler = (call: RecordedCall) => RawReply | Promise<RawReply>;

export class FakeSession implements ClientSession {
  readonly id = 0x1234n;
  readonly calls: RecordedCall[] = [];
  readonly closed: Promise<SessionClosedEvent>;
  #announce!: (ev: SessionClosedEvent) => void;
  handler: Handler;

  constructor(handler: Handler) {
    this.handler = handler;
    this.closed = new Promise((r) => (this.#announce = r));
  }

  async call(
    type: number,
    body: unknown[],
    _data: Uint8Array | null,
    opts?: CallOptions,
  ): Promise<RawReply> {
    const c = { type, body, opts };
    this.calls.push(c);
    return this.handler(c);
  }

  async close(): Promise<void> {
    this.#announce({ kind: "closed", addrs: ["fake:1"], sessionId: this.id, reason: "detached" });
  }

  disconnect(): void {
    this.#announce({ kind: "closed", addrs: ["fake:1"], sessionId: this.id, reason: "local" });
  }
}

/** An Rerror reply. */
export function rerror(code: number, obj: string): RawReply {
  return {
    type: MsgType.Rerror,
    body: encodeRerror({ errCode: code, obj, err: "" }),
    data: new Uint8Array(0),
  };
}
