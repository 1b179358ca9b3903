import type { MessageDesc, MessageFlag } from "./descriptors.js";

/**
 * One message as the runtime reads it: a descriptor compiled by createRegistry, every flag
 * present, one shape for all messages. The session layer reads protocol semantics (fencing,
 * blocking, data, ordering) from here instead of hard-coding lists of message types.
 */
export interface MessageInfo extends MessageFlags {
  readonly type: number;
  readonly name: string;
  readonly kind: "request" | "reply";
  /** For a request: its reply's type. */
  readonly reply: number | null;
  /** For a reply: the types of the requests it answers. */
  readonly answers: readonly number[];
  /** For a request with a handler: the client method and handler name. */
  readonly method: string | null;
  /** The descriptor it was compiled from (its codec). */
  readonly desc: MessageDesc;
}

/**
 * Every flag, true or false (descriptors.ts lists them): `fenced` (the client attaches its
 * fence), `blocking` (may wait for another client; only such a request may park), `data` (a
 * payload beside the body), `unordered` (bypasses session order), `hello`, `keepalive`, `detach`
 * (the session ends once it is answered) and `error` (the error reply).
 */
export type MessageFlags = { readonly [F in MessageFlag]: boolean };
